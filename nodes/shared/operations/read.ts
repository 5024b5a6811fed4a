import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { inputError } from '../engine/errors';
import type { VendorClient } from '../engine/request';
import { unique } from '../engine/chunk';
import { readKey, readKeyList } from './keys';
import { errorForItem, errorItem, outputItem, shapeRecord } from './output';
import type { PersonCodec, ReadByKeys } from './types';

export interface KeyedReadOptions<Raw extends IDataObject> {
	client: VendorClient;
	codec: PersonCodec<Raw>;
	read: ReadByKeys<Raw>;
	/** "person", "member", "user": for messages. */
	noun: string;
	/**
	 * Optional: rejects a key this vendor can never look up (e.g. an ID that is not a number) with an
	 * input error for that item alone, before any request is made.
	 */
	checkKey?: (key: string, itemIndex: number) => void;
}

function notFoundError(ctx: IExecuteFunctions, client: VendorClient, noun: string, key: string, itemIndex: number) {
	const vendor = client.api.displayName;
	return inputError(
		ctx.getNode(),
		`No ${vendor} ${noun} matches "${key}"`,
		itemIndex,
		`Check the ID or email. ${vendor} was asked and returned no record for it.`,
	);
}

/**
 * Get: one output per input item. All items' keys are read together, so a vendor with a batch read
 * serves many items with few requests.
 */
export async function runGet<Raw extends IDataObject>(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	options: KeyedReadOptions<Raw>,
): Promise<INodeExecutionData[]> {
	const keys: Array<string | Error> = items.map((_, i) => {
		try {
			const key = readKey(ctx, 'id', i, `${options.noun} ID or email`);
			options.checkKey?.(key, i);
			return key;
		} catch (error) {
			return error as Error;
		}
	});
	const wanted = unique(keys.filter((k): k is string => typeof k === 'string'));
	let found = new Map<string, Raw>();
	let readError: Error | undefined;
	try {
		if (wanted.length > 0) found = await options.read(options.client, wanted);
	} catch (error) {
		readError = error as Error;
	}

	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		const key = keys[i];
		const simplify = ctx.getNodeParameter('simplify', i, true) as boolean;
		let error: Error | undefined;
		if (key instanceof Error) error = key;
		else if (readError) error = errorForItem(ctx, readError, i);
		else {
			const record = found.get(key);
			if (record) {
				out.push(outputItem(shapeRecord(options.codec, record, simplify), i));
				continue;
			}
			error = notFoundError(ctx, options.client, options.noun, key, i);
		}
		if (!ctx.continueOnFail()) throw error;
		out.push(errorItem(error, i, typeof key === 'string' ? { id: key, notFound: !readError } : {}));
	}
	return out;
}

/**
 * Batch Get: for every input item, one output per record found. Keys not found are never dropped:
 * by default each yields an item `{ notFound: true }`; with "If Not Found: Fail" they are an error.
 */
export async function runBatchGet<Raw extends IDataObject>(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	options: KeyedReadOptions<Raw>,
): Promise<INodeExecutionData[]> {
	const perItem: Array<string[] | Error> = items.map((_, i) => {
		try {
			const keys = readKeyList(ctx, 'ids', i, `${options.noun} IDs or emails`);
			for (const key of keys) options.checkKey?.(key, i);
			return keys;
		} catch (error) {
			return error as Error;
		}
	});
	const wanted = unique(perItem.flatMap((k) => (Array.isArray(k) ? k : [])));
	let found = new Map<string, Raw>();
	let readError: Error | undefined;
	try {
		if (wanted.length > 0) found = await options.read(options.client, wanted);
	} catch (error) {
		readError = error as Error;
	}

	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		const keys = perItem[i];
		const simplify = ctx.getNodeParameter('simplify', i, true) as boolean;
		const onNotFound = ctx.getNodeParameter('options.onNotFound', i, 'output') as string;
		const fail = (error: Error) => {
			if (!ctx.continueOnFail()) throw error;
			out.push(errorItem(error, i));
		};
		if (keys instanceof Error) {
			fail(keys);
			continue;
		}
		if (readError) {
			fail(errorForItem(ctx, readError, i));
			continue;
		}
		const missing: string[] = [];
		for (const key of unique(keys)) {
			const record = found.get(key);
			if (record) out.push(outputItem(shapeRecord(options.codec, record, simplify), i));
			else missing.push(key);
		}
		if (missing.length === 0) continue;
		if (onNotFound === 'error') {
			const vendor = options.client.api.displayName;
			fail(
				inputError(
					ctx.getNode(),
					`${missing.length} of ${keys.length} ${options.noun} IDs not found in ${vendor}: ${missing.join(', ')}`,
					i,
					'Check these IDs or emails, or set Options > If Not Found to "Output an Item" to carry on and mark them.',
				),
			);
		} else {
			for (const key of missing) {
				out.push(outputItem({ source: options.client.api.vendor, id: key, notFound: true }, i));
			}
		}
	}
	return out;
}
