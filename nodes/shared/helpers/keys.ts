import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { unique } from '../engine/batch';
import { inputError } from '../engine/errors';
import { text } from '../engine/values';
import type { VendorApi } from '../engine/vendor';

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

function checkKey(ctx: IExecuteFunctions, api: VendorApi, key: string, itemIndex: number): void {
	const found = api.checkKey?.(key);
	if (found) throw inputError(ctx.getNode(), found.problem, itemIndex, found.fix);
}

/** Get: each item's key (parameter `id`), or the input error that item gets instead. */
export function readItemKeys(ctx: IExecuteFunctions, items: INodeExecutionData[], api: VendorApi, what: string): Array<string | Error> {
	return items.map((_, i) => {
		try {
			const key = readKey(ctx, 'id', i, what);
			checkKey(ctx, api, key, i);
			return key;
		} catch (error) {
			return error as Error;
		}
	});
}

/** Batch Get: each item's list of keys (parameter `ids`), or the input error that item gets instead. */
export function readItemKeyLists(ctx: IExecuteFunctions, items: INodeExecutionData[], api: VendorApi, what: string): Array<string[] | Error> {
	return items.map((_, i) => {
		try {
			const keys = readKeyList(ctx, 'ids', i, what);
			for (const key of keys) checkKey(ctx, api, key, i);
			return keys;
		} catch (error) {
			return error as Error;
		}
	});
}

/** The distinct keys of every item that has valid ones: what one read for all items must fetch. */
export function keysToRead(perItem: Array<string | string[] | Error>): string[] {
	return unique(perItem.flatMap((keys) => (keys instanceof Error ? [] : keys)));
}
