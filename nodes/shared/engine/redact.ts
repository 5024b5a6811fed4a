export const REDACTED = '[redacted]';

/** Query parameters that carry keys in URLs, redacted wherever a URL is shown. */
const DEFAULT_SECRET_PARAMS = ['app_key', 'apikey', 'api_key', 'token', 'access_token', 'key'];

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Replaces every secret value (and every `app_key=...`-style query value) in a string.
 * Secrets shorter than 4 characters are ignored: they would redact ordinary words.
 */
export class Redactor {
	private readonly patterns: RegExp[];

	constructor(secrets: Array<string | undefined>, secretParams: string[] = []) {
		const values = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4))]
			// Longest first, so a secret containing another is removed whole.
			.sort((a, b) => b.length - a.length);
		const params = [...new Set([...DEFAULT_SECRET_PARAMS, ...secretParams])];
		this.patterns = [
			...values.flatMap((v) => [
				new RegExp(escapeRegExp(v), 'g'),
				new RegExp(escapeRegExp(encodeURIComponent(v)), 'g'),
			]),
			new RegExp(`([?&](?:${params.map(escapeRegExp).join('|')})=)[^&#\\s"']*`, 'gi'),
		];
	}

	text(input: string): string {
		let out = input;
		for (const pattern of this.patterns) {
			out = out.replace(pattern, (match, prefix?: string) =>
				typeof prefix === 'string' && match.startsWith(prefix) ? `${prefix}${REDACTED}` : REDACTED,
			);
		}
		return out;
	}

	/** Redacts every string inside a JSON-like value (objects and arrays are copied). */
	value<T>(input: T): T {
		if (typeof input === 'string') return this.text(input) as T;
		if (Array.isArray(input)) return input.map((v: unknown) => this.value(v)) as T;
		if (input !== null && typeof input === 'object') {
			const out: Record<string, unknown> = {};
			for (const [k, v] of Object.entries(input as Record<string, unknown>)) out[k] = this.value(v);
			return out as T;
		}
		return input;
	}
}
