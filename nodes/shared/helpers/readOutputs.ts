import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { unique } from '../engine/batch';
import { inputError } from '../engine/errors';
import type { VendorApi } from '../engine/vendor';
import { shownKey } from './keys';
import { perItemParameter } from './parameters';
import { errorForItem, errorItem, outputItem, shapeRecord, type ToUnified } from './output';

/**
 * A read by key: the records found by key and the keys whose read failed, each with its own error
 * (`failed` may be left out when nothing failed), or the error every item gets.
 */
export type ReadResult<Raw> = { found: Map<string, Raw>; failed?: Map<string, Error> } | { error: Error };

/**
 * Waits for a read and keeps a failure of the whole read as a value, so that it can be given to the
 * items it concerns. The read gives either a map of records or records and per-key failures.
 */
export async function settleRead<Raw>(read: Promise<Map<string, Raw> | { found: Map<string, Raw>; failed: Map<string, Error> }>): Promise<ReadResult<Raw>> {
	try {
		const result = await read;
		return result instanceof Map ? { found: result } : result;
	} catch (error) {
		return { error: error as Error };
	}
}

/** What a read by key needs to know to write its outputs. */
export interface ReadOutputOptions<Raw extends IDataObject> {
	api: VendorApi;
	toUnified: ToUnified<Raw>;
	/** "person", "member", "user": for messages. */
	noun: string;
}

function notFoundError<Raw extends IDataObject>(ctx: IExecuteFunctions, options: ReadOutputOptions<Raw>, key: string, itemIndex: number) {
	const vendor = options.api.displayName;
	return inputError(ctx.getNode(), `No ${vendor} ${options.noun} matches "${shownKey(key)}"`, itemIndex, `Check the ID or email. ${vendor} was asked and returned no record for it.`);
}

/** The failure of one key's read, if it failed (the whole read's failure counts for every key). */
function failureOf<Raw>(read: ReadResult<Raw>, key: string): Error | undefined {
	return 'error' in read ? read.error : read.failed?.get(key);
}

/**
 * Get's outputs: one per input item, the record found for its key, or an error (bad key, not
 * found, or the failure of that key's read) that is an error item under "Continue On Fail".
 */
export function getOutputs<Raw extends IDataObject>(
	ctx: IExecuteFunctions,
	keys: Array<string | Error>,
	read: ReadResult<Raw>,
	options: ReadOutputOptions<Raw>,
): INodeExecutionData[] {
	const out: INodeExecutionData[] = [];
	const simplify = perItemParameter(ctx, 'simplify', true);
	for (let i = 0; i < keys.length; i++) {
		const key = keys[i];
		let error: Error;
		let notFound = false;
		if (key instanceof Error) error = key;
		else {
			const failure = failureOf(read, key);
			const record = 'found' in read ? read.found.get(key) : undefined;
			if (!failure && record) {
				out.push(outputItem(shapeRecord(record, simplify(i), options.toUnified), i));
				continue;
			}
			notFound = !failure;
			error = failure ? errorForItem(ctx, failure, i) : notFoundError(ctx, options, key, i);
		}
		if (!ctx.continueOnFail()) throw error;
		out.push(errorItem(error, i, typeof key === 'string' ? { id: key, notFound } : {}));
	}
	return out;
}

/**
 * Batch Get's outputs: for every input item, one output per key: the record found, or the error of
 * that key's read (an error item with the key under "Continue On Fail"). Keys not found are never
 * dropped: by default each yields `{ source, id, notFound: true }`; with "If Not Found: Fail" they
 * are one error for the item.
 */
export function batchGetOutputs<Raw extends IDataObject>(
	ctx: IExecuteFunctions,
	keyLists: Array<string[] | Error>,
	read: ReadResult<Raw>,
	options: ReadOutputOptions<Raw>,
): INodeExecutionData[] {
	const out: INodeExecutionData[] = [];
	const vendor = options.api.displayName;
	const simplifyOf = perItemParameter(ctx, 'simplify', true);
	for (let i = 0; i < keyLists.length; i++) {
		const keys = keyLists[i];
		const fail = (error: Error, extra: IDataObject = {}) => {
			if (!ctx.continueOnFail()) throw error;
			out.push(errorItem(error, i, extra));
		};
		if (keys instanceof Error) {
			fail(keys);
			continue;
		}
		if ('error' in read) {
			fail(errorForItem(ctx, read.error, i));
			continue;
		}
		const simplify = simplifyOf(i);
		const missing: string[] = [];
		for (const key of unique(keys)) {
			const failure = read.failed?.get(key);
			const record = read.found.get(key);
			if (failure) fail(errorForItem(ctx, failure, i), { id: key, notFound: false });
			else if (record) out.push(outputItem(shapeRecord(record, simplify, options.toUnified), i));
			else missing.push(key);
		}
		if (missing.length === 0) continue;
		if (ctx.getNodeParameter('options.onNotFound', i, 'output') === 'error') {
			const shown = missing.slice(0, 10).map(shownKey).join(', ') + (missing.length > 10 ? ` and ${missing.length - 10} more` : '');
			fail(
				inputError(
					ctx.getNode(),
					`${missing.length} of ${keys.length} ${options.noun} IDs not found in ${vendor}: ${shown}`,
					i,
					'Check these IDs or emails, or set Options > If Not Found to "Output an Item" to carry on and mark them.',
				),
			);
		} else {
			for (const key of missing) out.push(outputItem({ source: options.api.vendor, id: key, notFound: true }, i));
		}
	}
	return out;
}
