export const REDACTED = '[redacted]';

/** Query parameters that carry keys in URLs, redacted wherever a URL is shown. */
const DEFAULT_SECRET_PARAMS = ['app_key', 'apikey', 'api_key', 'token', 'access_token', 'key'];

/** A secret (or one of its encodings) this long or longer is also found by any fragment of this many characters. */
export const FRAGMENT_LENGTH = 12;

/** Secrets whose trimmed text is shorter than this are ignored: they would redact ordinary words. */
const MIN_SECRET_LENGTH = 4;

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const lowerPercent = (text: string) => text.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());

/** encodeURIComponent plus `!'()*` (RFC 3986, as `qs` and many HTTP clients send query values). */
const rfc3986 = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** application/x-www-form-urlencoded (URLSearchParams): spaces as `+`, everything but `*-._` and alphanumerics escaped. */
const formEncoded = (text: string) => new URLSearchParams({ v: text }).toString().slice(2);

const jsonInner = (text: string) => JSON.stringify(text).slice(1, -1);

const urlSafe = (base64: string) => base64.replace(/\+/g, '-').replace(/\//g, '_');

/**
 * Base64 of the secret, standard and URL-safe, with and without padding; for long secrets also the
 * characters that stay the same when the secret sits inside a longer base64 text at any of the three
 * byte alignments (e.g. `Basic base64(user:key)`).
 */
function base64Forms(secret: string): string[] {
	const bytes = Buffer.from(secret, 'utf8');
	const whole = bytes.toString('base64');
	const forms = [whole, whole.replace(/=+$/, '')];
	if (secret.length >= FRAGMENT_LENGTH) {
		for (const lead of [0, 1, 2]) {
			const encoded = Buffer.concat([Buffer.alloc(lead), bytes]).toString('base64').replace(/=+$/, '');
			// Characters mixing filler bits with secret bits are dropped at the start (lead 1: 2, lead 2: 3)
			// and at the end (a last partial group's final character also carries the next byte's bits).
			const start = [0, 2, 3][lead];
			const tail = (lead + bytes.length) % 3 === 0 ? 0 : 1;
			forms.push(encoded.slice(start, encoded.length - tail));
		}
	}
	return forms.flatMap((f) => [f, urlSafe(f)]);
}

/** Every form in which a secret can show up in a text: as is, URL-, form- and JSON-encoded, base64. */
function secretForms(secret: string): string[] {
	const encoded = [encodeURIComponent(secret), rfc3986(secret), formEncoded(secret), encodeURIComponent(secret).replace(/%20/g, '+')];
	const json = jsonInner(secret);
	return [secret, json, jsonInner(json), ...encoded, ...encoded.map(lowerPercent), ...base64Forms(secret)];
}

/**
 * Removes secrets from any text or JSON-like value: every secret (as saved and trimmed) in every
 * form it can take in a message — as is, URL-encoded (`%XX` either case, `+` for spaces), form-encoded,
 * JSON-escaped (once or twice), base64 (standard and URL-safe) — and, for secrets of 12 characters or
 * more, any fragment of 12 characters or more of any of those forms (a server that echoes half the
 * key, a key cut in a log line). Also removes every `app_key=...`-style query value.
 *
 * Fragments are found with a set of every 12-character window of every form: the text is scanned
 * once, and each run of overlapping matching windows is replaced whole. Shorter secrets (4 to 11
 * characters) are matched whole in each form; secrets shorter than 4 characters (trimmed) are ignored.
 */
export class Redactor {
	/** Every FRAGMENT_LENGTH-character window of every form of every long secret. */
	private readonly windows = new Set<string>();

	/** Forms of short secrets, matched whole. */
	private readonly whole: string[] = [];

	private readonly paramPattern: RegExp;

	constructor(secrets: Array<string | undefined>, secretParams: string[] = []) {
		const bases = new Set<string>();
		for (const secret of secrets) {
			if (typeof secret !== 'string' || secret.trim().length < MIN_SECRET_LENGTH) continue;
			bases.add(secret);
			bases.add(secret.trim());
		}
		const whole = new Set<string>();
		for (const base of bases) {
			for (const form of secretForms(base)) {
				if (base.length >= FRAGMENT_LENGTH && form.length >= FRAGMENT_LENGTH) {
					for (let i = 0; i + FRAGMENT_LENGTH <= form.length; i++) this.windows.add(form.slice(i, i + FRAGMENT_LENGTH));
				} else if (form.length >= MIN_SECRET_LENGTH) {
					whole.add(form);
				}
			}
		}
		this.whole = [...whole];
		const params = [...new Set([...DEFAULT_SECRET_PARAMS, ...secretParams])].map(escapeRegExp).join('|');
		// `?key=`, `&key=`, `;key=`, JSON-escaped `\u0026key=`, and URL-encoded `%3Fkey%3D` / `%26key%3D`.
		// The value ends at the next separator, whitespace, quote, backslash or encoded `&`.
		this.paramPattern = new RegExp(`((?:[?&;]|\\\\u0026|%3F|%26)(?:${params})(?:=|%3D))(?:[^&#\\s"'\\\\%]|%(?!26))*`, 'gi');
	}

	/** [start, end) spans of the text to replace, sorted and merged (overlapping or touching). */
	private spans(input: string): Array<[number, number]> {
		const found: Array<[number, number]> = [];
		if (this.windows.size > 0) {
			for (let i = 0; i + FRAGMENT_LENGTH <= input.length; i++) {
				if (this.windows.has(input.slice(i, i + FRAGMENT_LENGTH))) found.push([i, i + FRAGMENT_LENGTH]);
			}
		}
		for (const form of this.whole) {
			for (let at = input.indexOf(form); at !== -1; at = input.indexOf(form, at + 1)) found.push([at, at + form.length]);
		}
		if (found.length < 2) return found;
		found.sort((a, b) => a[0] - b[0]);
		const merged: Array<[number, number]> = [found[0]];
		for (const [start, end] of found.slice(1)) {
			const last = merged[merged.length - 1];
			if (start <= last[1]) last[1] = Math.max(last[1], end);
			else merged.push([start, end]);
		}
		return merged;
	}

	text(input: string): string {
		let out = input;
		const spans = this.spans(input);
		if (spans.length > 0) {
			const parts: string[] = [];
			let from = 0;
			for (const [start, end] of spans) {
				parts.push(input.slice(from, start), REDACTED);
				from = end;
			}
			parts.push(input.slice(from));
			out = parts.join('');
		}
		return out.replace(this.paramPattern, (_match, prefix: string) => `${prefix}${REDACTED}`);
	}

	/** Redacts every string (and object key) inside a JSON-like value (objects and arrays are copied). */
	value<T>(input: T): T {
		if (typeof input === 'string') return this.text(input) as T;
		if (Array.isArray(input)) return input.map((v: unknown) => this.value(v)) as T;
		if (input !== null && typeof input === 'object') {
			const out: Record<string, unknown> = {};
			for (const [k, v] of Object.entries(input as Record<string, unknown>)) out[this.text(k)] = this.value(v);
			return out as T;
		}
		return input;
	}
}
