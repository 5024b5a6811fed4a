import type { IExecuteFunctions } from 'n8n-workflow';

import { inputError } from '../engine/errors';
import { text } from '../person/unified';

/** Emails are looked up case-insensitively everywhere; IDs are kept as given. */
export function normalizeKey(key: string): string {
	return key.includes('@') ? key.toLowerCase() : key;
}

export function isEmailKey(key: string): boolean {
	return key.includes('@');
}

/** A list parameter given as "a, b\nc", as an array, or as a single number. */
export function parseKeyList(value: unknown): string[] {
	const raw: unknown[] = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[,\n]/) : [value];
	return raw.map((v) => text(v)).filter((v): v is string => v !== undefined).map(normalizeKey);
}

export function readKey(ctx: IExecuteFunctions, name: string, itemIndex: number, what: string): string {
	const key = text(ctx.getNodeParameter(name, itemIndex));
	if (key === undefined) {
		throw inputError(ctx.getNode(), `No ${what} given`, itemIndex, `Set the "${name}" parameter, e.g. with an expression such as {{ $json.id }}.`);
	}
	return normalizeKey(key);
}

export function readKeyList(ctx: IExecuteFunctions, name: string, itemIndex: number, what: string): string[] {
	const keys = parseKeyList(ctx.getNodeParameter(name, itemIndex));
	if (keys.length === 0) {
		throw inputError(ctx.getNode(), `No ${what} given`, itemIndex, `Set "${name}" to a comma-separated list or an array, e.g. {{ $json.ids }}.`);
	}
	return keys;
}

/**
 * Runs `work` for every key with at most `concurrency` in flight, for APIs without a batch read.
 * The rate limiter, not this function, decides how fast requests leave.
 */
export async function fanOut<T>(keys: string[], concurrency: number, work: (key: string) => Promise<T>): Promise<Map<string, T>> {
	const results = new Map<string, T>();
	let next = 0;
	const worker = async () => {
		while (next < keys.length) {
			const key = keys[next++];
			results.set(key, await work(key));
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, keys.length) }, worker));
	return results;
}
