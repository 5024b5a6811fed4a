import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { unique } from '../engine/batch';
import { inputError } from '../engine/errors';
import type { VendorApi } from '../engine/vendor';
import { errorForItem, errorItem, outputItem, shapeRecord, type ToUnified } from './output';

/** A read that went through or failed: the records found by key, or the error every item gets. */
export type ReadResult<Raw> = { found: Map<string, Raw> } | { error: Error };

/** Waits for a read and keeps its failure as a value, so that it can be given to the items it concerns. */
export async function settleRead<Raw>(read: Promise<Map<string, Raw>>): Promise<ReadResult<Raw>> {
	try {
		return { found: await read };
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
	return inputError(ctx.getNode(), `No ${vendor} ${options.noun} matches "${key}"`, itemIndex, `Check the ID or email. ${vendor} was asked and returned no record for it.`);
}

/**
 * Get's outputs: one per input item, the record found for its key, or an error (bad key, not
 * found, or the read's failure) that is an error item under "Continue On Fail".
 */
export function getOutputs<Raw extends IDataObject>(
	ctx: IExecuteFunctions,
	keys: Array<string | Error>,
	read: ReadResult<Raw>,
	options: ReadOutputOptions<Raw>,
): INodeExecutionData[] {
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < keys.length; i++) {
		const key = keys[i];
		let error: Error;
		if (key instanceof Error) error = key;
		else if ('error' in read) error = errorForItem(ctx, read.error, i);
		else {
			const record = read.found.get(key);
			if (record) {
				out.push(outputItem(shapeRecord(record, ctx.getNodeParameter('simplify', i, true) as boolean, options.toUnified), i));
				continue;
			}
			error = notFoundError(ctx, options, key, i);
		}
		if (!ctx.continueOnFail()) throw error;
		out.push(errorItem(error, i, typeof key === 'string' ? { id: key, notFound: !('error' in read) } : {}));
	}
	return out;
}

/**
 * Batch Get's outputs: for every input item, one output per record found. Keys not found are never
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
	for (let i = 0; i < keyLists.length; i++) {
		const keys = keyLists[i];
		const fail = (error: Error) => {
			if (!ctx.continueOnFail()) throw error;
			out.push(errorItem(error, i));
		};
		if (keys instanceof Error) {
			fail(keys);
			continue;
		}
		if ('error' in read) {
			fail(errorForItem(ctx, read.error, i));
			continue;
		}
		const simplify = ctx.getNodeParameter('simplify', i, true) as boolean;
		const missing: string[] = [];
		for (const key of unique(keys)) {
			const record = read.found.get(key);
			if (record) out.push(outputItem(shapeRecord(record, simplify, options.toUnified), i));
			else missing.push(key);
		}
		if (missing.length === 0) continue;
		if (ctx.getNodeParameter('options.onNotFound', i, 'output') === 'error') {
			fail(
				inputError(
					ctx.getNode(),
					`${missing.length} of ${keys.length} ${options.noun} IDs not found in ${vendor}: ${missing.join(', ')}`,
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
