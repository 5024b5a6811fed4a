import { isResourceLocatorValue, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { unique } from '../engine/batch';
import { inputError } from '../engine/errors';
import { asText } from '../engine/values';
import type { VendorApi } from '../engine/vendor';

/** Keys are shown in messages cut to this many characters. */
const SHOWN_KEY_LENGTH = 100;

/** A key as messages show it: cut to 100 characters (with its full length said), so no message runs long. */
export function shownKey(key: string): string {
	return key.length > SHOWN_KEY_LENGTH ? `${key.slice(0, SHOWN_KEY_LENGTH)}… (${key.length} characters)` : key;
}

/** Emails are looked up case-insensitively everywhere; IDs are kept as given. */
export function normalizeKey(key: string): string {
	return key.includes('@') ? key.toLowerCase() : key;
}

export function isEmailKey(key: string): boolean {
	return key.includes('@');
}

/** What a value that cannot be a key is, in words, for messages: "a boolean (true)", "an object ({"a":1})". */
function kindOf(value: unknown): string {
	const kind = Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value === 'object' ? 'an object' : typeof value === 'boolean' ? 'a boolean' : `a ${typeof value}`;
	return `${kind} (${shownKey(asText(value))})`;
}

/**
 * One key as text: a string (trimmed) or a finite number; undefined when empty. Anything else (a
 * boolean, an object, a list) cannot be an ID or an email: `problem` says what it is.
 */
function keyText(value: unknown): { key?: string; problem?: string } {
	if (value === null || value === undefined) return {};
	if (typeof value === 'string') {
		const trimmed = value.trim();
		return trimmed === '' ? {} : { key: trimmed };
	}
	if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint') return { key: String(value) };
	return { problem: kindOf(value) };
}

function badKey(ctx: IExecuteFunctions, name: string, itemIndex: number, what: string, problem: string): Error {
	return inputError(
		ctx.getNode(),
		`The ${what} must be text or a number, not ${problem}`,
		itemIndex,
		`Set "${name}" to an ID or an email, e.g. with an expression such as {{ $json.id }}; check that the expression picks the field itself, not the object around it.`,
	);
}

/** A list parameter given as "a, b\nc", as an array, or as a single number; `problem` names an entry that cannot be a key. */
function keyList(value: unknown): { keys: string[]; problem?: string } {
	const raw: unknown[] = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[,\n]/) : [value];
	const keys: string[] = [];
	for (const entry of raw) {
		const { key, problem } = keyText(entry);
		if (problem) return { keys, problem };
		if (key !== undefined) keys.push(normalizeKey(key));
	}
	return { keys };
}

/** A list parameter given as "a, b\nc", as an array, or as a single number; entries that are not text or numbers are left out. */
export function parseKeyList(value: unknown): string[] {
	const raw: unknown[] = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[,\n]/) : [value];
	return raw.map((v) => keyText(v).key).filter((v): v is string => v !== undefined).map(normalizeKey);
}

/** A key and how it was given: the resource locator's mode (`list`, `id`, `email`...), or none for plain text. */
export interface LocatedKey {
	key: string;
	/** The key as given (trimmed), before emails are lower-cased: a vendor's own ID may be case-sensitive. */
	given: string;
	/** Undefined when the parameter holds plain text or a number (workflows saved before it was a resource locator). */
	mode?: string;
}

/**
 * The mode of a resource locator parameter, read without evaluating anything (the mode is never an
 * expression); undefined for plain text, which n8n keeps as it was saved and hands to the node as is
 * (n8n-core extract-value.ts: only `{mode, value}` objects are unwrapped).
 */
function locatorMode(ctx: IExecuteFunctions, name: string, itemIndex: number): string | undefined {
	const raw: unknown = ctx.getNodeParameter(name, itemIndex, undefined, { rawExpressions: true });
	return isResourceLocatorValue(raw) ? raw.mode : undefined;
}

/**
 * A key parameter that is a resource locator (`{__rl, mode, value}`) or, in workflows saved before
 * it was one, plain text or a number; either may be an expression. The value is read with
 * `extractValue`, which unwraps the locator and leaves plain values as they are. By Email must hold
 * an email; other modes go through the usual key logic (an "@" makes a key an email).
 */
export function readLocatedKey(ctx: IExecuteFunctions, name: string, itemIndex: number, what: string): LocatedKey {
	const mode = locatorMode(ctx, name, itemIndex);
	const { key, problem } = keyText(ctx.getNodeParameter(name, itemIndex, undefined, { extractValue: true }));
	if (problem) throw badKey(ctx, name, itemIndex, what, problem);
	if (key === undefined) {
		throw inputError(ctx.getNode(), `No ${what} given`, itemIndex, `Set the "${name}" parameter: pick a record From List, or give it By ID or with an expression such as {{ $json.id }}.`);
	}
	if (mode === 'email' && !isEmailKey(key)) {
		throw inputError(ctx.getNode(), `"${shownKey(key)}" is not an email address`, itemIndex, `The "${name}" parameter is set to By Email: give an address such as ada@example.com, or switch it to By ID.`);
	}
	return { key: normalizeKey(key), given: key, mode };
}

export function readKey(ctx: IExecuteFunctions, name: string, itemIndex: number, what: string): string {
	return readLocatedKey(ctx, name, itemIndex, what).key;
}

export function readKeyList(ctx: IExecuteFunctions, name: string, itemIndex: number, what: string): string[] {
	const { keys, problem } = keyList(ctx.getNodeParameter(name, itemIndex));
	if (problem) throw badKey(ctx, name, itemIndex, `list of ${what}`, `a list holding ${problem}`);
	if (keys.length === 0) {
		throw inputError(ctx.getNode(), `No ${what} given`, itemIndex, `Set "${name}" to a comma-separated list or an array, e.g. {{ $json.ids }}.`);
	}
	return keys;
}

function checkKey(ctx: IExecuteFunctions, api: VendorApi, key: string, itemIndex: number): void {
	const found = api.checkKey?.(key);
	// The vendor's message may quote the key: a long one is cut there too.
	if (found) throw inputError(ctx.getNode(), found.problem.split(key).join(shownKey(key)), itemIndex, found.fix);
}

/**
 * `{{ $json.id }}`, `{{ $json["user id"] }}`, `{{ $json.user.id }}`: an expression that only reads
 * a field of the item, the usual way to give a key per item.
 */
const ITEM_FIELD = /^=\{\{\s*\$json((?:\.[A-Za-z_$][\w$]*|\[\s*(?:"[^"\\]*"|'[^'\\]*')\s*\])+)\s*\}\}$/;
const FIELD_STEP = /\.([A-Za-z_$][\w$]*)|\[\s*(?:"([^"]*)"|'([^']*)')\s*\]/g;

/** The field path an item-field expression reads, or undefined for any other value. */
export function itemFieldPath(value: unknown): string[] | undefined {
	if (typeof value !== 'string') return undefined;
	const match = ITEM_FIELD.exec(value);
	return match ? [...match[1].matchAll(FIELD_STEP)].map((step) => step[1] ?? step[2] ?? step[3]) : undefined;
}

/**
 * How parameter `name` is read for each item: as n8n reads it (`getNodeParameter`, an expression
 * evaluation per item, much of a large Get's time), except when the saved value is an item-field expression
 * (`{{ $json.id }}`, plain or inside a resource locator): then the field is read from the item
 * itself, which is what n8n's evaluation of that expression gives. Anything else (other
 * expressions, `$fromAI()`, constants) goes through n8n.
 */
function keyParameter(ctx: IExecuteFunctions, items: INodeExecutionData[], name: string): ((itemIndex: number) => unknown) | undefined {
	const saved: unknown = ctx.getNode().parameters[name];
	const path = itemFieldPath(isResourceLocatorValue(saved) ? saved.value : saved);
	if (!path || (isResourceLocatorValue(saved) && saved.mode === 'email')) return undefined;
	return (itemIndex) => {
		let value: unknown = items[itemIndex]?.json;
		for (const step of path) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[step] : undefined;
		return value;
	};
}

/** Get: each item's key (parameter `id`), or the input error that item gets instead. */
export function readItemKeys(ctx: IExecuteFunctions, items: INodeExecutionData[], api: VendorApi, what: string): Array<string | Error> {
	const fromItem = keyParameter(ctx, items, 'id');
	return items.map((_, i) => {
		try {
			let key: string;
			if (fromItem) {
				const found = keyText(fromItem(i));
				if (found.problem) throw badKey(ctx, 'id', i, what, found.problem);
				if (found.key === undefined) throw inputError(ctx.getNode(), `No ${what} given`, i, 'The expression of "id" gives nothing for this item: check that the item has that field.');
				key = normalizeKey(found.key);
			} else key = readKey(ctx, 'id', i, what);
			checkKey(ctx, api, key, i);
			return key;
		} catch (error) {
			return error as Error;
		}
	});
}

/** Batch Get: each item's list of keys (parameter `ids`), or the input error that item gets instead. */
export function readItemKeyLists(ctx: IExecuteFunctions, items: INodeExecutionData[], api: VendorApi, what: string): Array<string[] | Error> {
	const fromItem = keyParameter(ctx, items, 'ids');
	return items.map((_, i) => {
		try {
			let keys: string[];
			if (fromItem) {
				const found = keyList(fromItem(i));
				if (found.problem) throw badKey(ctx, 'ids', i, `list of ${what}`, `a list holding ${found.problem}`);
				if (found.keys.length === 0) throw inputError(ctx.getNode(), `No ${what} given`, i, 'The expression of "ids" gives nothing for this item: check that the item has that field.');
				keys = found.keys;
			} else keys = readKeyList(ctx, 'ids', i, what);
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
