/** Small value helpers the engine and every vendor use. */

/** A value as trimmed text: strings trimmed (empty → undefined), numbers and booleans stringified. */
export function text(value: unknown): string | undefined {
	if (value === null || value === undefined) return undefined;
	if (typeof value === 'string') {
		const trimmed = value.trim();
		return trimmed === '' ? undefined : trimmed;
	}
	if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
	return undefined;
}

/**
 * The object without its undefined fields: the same object when it has none, else a copy (no
 * `delete`, which turns an object into a slower, larger dictionary: 100,000 outputs at scale).
 */
export function withoutUndefined<T extends object>(record: T): T {
	const keys = Object.keys(record) as Array<keyof T>;
	if (keys.every((key) => record[key] !== undefined)) return record;
	const kept = {} as T;
	for (const key of keys) if (record[key] !== undefined) kept[key] = record[key];
	return kept;
}

/** A plain JSON object, or undefined for anything else (arrays, null, text). */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Any value as text for a message: strings as they are, anything else as JSON (or its String form). */
export function asText(value: unknown): string {
	if (typeof value === 'string') return value;
	try {
		return JSON.stringify(value) ?? String(value);
	} catch {
		return String(value);
	}
}

/** Text for a message, cut to `max` characters (long input values never flood an error). */
export function clip(value: unknown, max = 200): string {
	const textual = asText(value);
	return textual.length > max ? `${textual.slice(0, max)}…` : textual;
}

/** HTTP headers as n8n returns them: any case, a value or a list of values. */
export type Headers = Record<string, string | string[] | undefined>;

/** One header's value (its first, if repeated), whatever the case of its name. */
export function headerValue(headers: Headers, name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
	}
	return undefined;
}
