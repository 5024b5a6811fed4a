import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { chunk } from '../engine/chunk';
import { isValidationError } from '../engine/errors';
import type { VendorClient } from '../engine/request';
import { errorForItem, errorItem, outputItem, shapeRecord } from './output';
import type { PersonCodec, UpsertOutcome, UpsertRecord } from './types';

/**
 * Sends records in batches; when the API rejects a whole batch for its data (400/409/422), the batch
 * is split in halves and retried until the bad records stand alone, so every valid record lands and
 * each bad one gets its own error. Other failures (auth, server down after retries) fail the batch's
 * records, each with its own error: nothing is dropped.
 */
export async function sendIsolating<R extends { index: number }, Out>(
	records: R[],
	send: (batch: R[]) => Promise<Out[]>,
	onError: (record: R, error: Error) => Out,
	/** Which failures blame the batch's data (and so are worth splitting); default: 400/409/422. */
	shouldSplit: (error: unknown) => boolean = isValidationError,
): Promise<Out[]> {
	if (records.length === 0) return [];
	try {
		return await send(records);
	} catch (error) {
		if (records.length > 1 && shouldSplit(error)) {
			const half = Math.ceil(records.length / 2);
			return [
				...(await sendIsolating(records.slice(0, half), send, onError, shouldSplit)),
				...(await sendIsolating(records.slice(half), send, onError, shouldSplit)),
			];
		}
		return records.map((record) => onError(record, error as Error));
	}
}

/** Sends records in chunks of `batchSize`, each chunk isolated as in `sendIsolating`. */
export async function sendInChunks<R extends { index: number }, Out>(
	records: R[],
	batchSize: number,
	send: (batch: R[]) => Promise<Out[]>,
	onError: (record: R, error: Error) => Out,
	shouldSplit: (error: unknown) => boolean = isValidationError,
): Promise<Out[]> {
	const out: Out[] = [];
	for (const batch of chunk(records, batchSize)) out.push(...(await sendIsolating(batch, send, onError, shouldSplit)));
	return out;
}

export interface UpsertOptions<Raw extends IDataObject, Payload> {
	client: VendorClient;
	codec: PersonCodec<Raw>;
	/** The API's largest batch; also the default and the cap of Options > Batch Size. */
	maxBatchSize: number;
	/** Maps one input item to the vendor's payload; throws an input error for a bad item. */
	toPayload: (json: IDataObject, itemIndex: number) => Payload;
	/** Writes all records (chunking with `sendInChunks`); one outcome per record. */
	write: (client: VendorClient, records: Array<UpsertRecord<Payload>>, batchSize: number) => Promise<Array<UpsertOutcome<Raw>>>;
}

/**
 * Batch Upsert: exactly one output per input item, in input order: the record as stored with
 * `action: "created" | "updated"`, or (under Continue On Fail) an error item for that item alone.
 */
export async function runBatchUpsert<Raw extends IDataObject, Payload>(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	options: UpsertOptions<Raw, Payload>,
): Promise<INodeExecutionData[]> {
	const records: Array<UpsertRecord<Payload>> = [];
	const outcomes = new Map<number, UpsertOutcome<Raw>>();
	for (let i = 0; i < items.length; i++) {
		try {
			records.push({ index: i, payload: options.toPayload(items[i].json, i) });
		} catch (error) {
			outcomes.set(i, { index: i, error: error as Error });
		}
	}
	const requested = items.length > 0 ? (ctx.getNodeParameter('options.batchSize', 0, options.maxBatchSize) as number) : options.maxBatchSize;
	const batchSize = Math.max(1, Math.min(options.maxBatchSize, Math.floor(requested || options.maxBatchSize)));
	if (records.length > 0) {
		for (const outcome of await options.write(options.client, records, batchSize)) outcomes.set(outcome.index, outcome);
	}

	const out: INodeExecutionData[] = [];
	let firstError: Error | undefined;
	for (let i = 0; i < items.length; i++) {
		const outcome = outcomes.get(i);
		if (outcome && 'record' in outcome) {
			const simplify = ctx.getNodeParameter('simplify', i, true) as boolean;
			out.push(outputItem({ ...shapeRecord(options.codec, outcome.record, simplify), action: outcome.action }, i));
			continue;
		}
		const error = errorForItem(
			ctx,
			outcome?.error ?? new Error(`${options.client.api.displayName} returned no result for this item`),
			i,
		);
		firstError ??= error;
		out.push(errorItem(error, i));
	}
	if (firstError && !ctx.continueOnFail()) throw firstError;
	return out;
}
