import { asRecord, asText, clip } from './values';

/**
 * What a usable answer to one request looks like. An answer that does not fit is not data: the
 * engine retries it like a 5xx (for requests that may safely be sent again) and then reports it as
 * "<Vendor> answered with something that is not <what>", never as an empty success.
 */
export interface AnswerShape {
	/** In words, for messages: "a page of users", "the created members". */
	what: string;
	accepts(body: unknown): boolean;
}

export function answerShape(what: string, accepts: (body: unknown) => boolean): AnswerShape {
	return { what, accepts };
}

/** An object whose `field` is an array (and, for each `also` field, a finite number). */
export function objectWithArray(body: unknown, field: string, ...numbers: string[]): boolean {
	const record = asRecord(body);
	return !!record && Array.isArray(record[field]) && numbers.every((n) => typeof record[n] === 'number' && Number.isFinite(record[n]));
}

/** Every element of a list is an object with a non-empty `id` field (string or number). */
export function recordsWithIds(list: unknown, idField = 'id'): boolean {
	return Array.isArray(list) && list.every((entry) => hasId(entry, idField));
}

/** An object with a non-empty `id` field (string or number). */
export function hasId(entry: unknown, idField = 'id'): boolean {
	const id = asRecord(entry)?.[idField];
	return (typeof id === 'string' && id.trim() !== '') || (typeof id === 'number' && Number.isFinite(id));
}

/** The start of an answer body, as text, for an error message (at most `max` characters). */
export function bodyStart(body: unknown, max = 200): string {
	const empty = body === undefined || (typeof body === 'string' && body.trim() === '');
	return clip(empty ? '(an empty body)' : asText(body).replace(/\s+/g, ' ').trim(), max);
}
