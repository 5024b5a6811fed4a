import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

/** Get Many's parameters for one input item. */
export interface ListParameters {
	/** Records wanted; undefined for Return All. */
	limit?: number;
	filters: IDataObject;
	options: IDataObject;
	simplify: boolean;
}

export function listParameters(ctx: IExecuteFunctions, itemIndex: number): ListParameters {
	const returnAll = ctx.getNodeParameter('returnAll', itemIndex, false) as boolean;
	return {
		limit: returnAll ? undefined : (ctx.getNodeParameter('limit', itemIndex, 50) as number),
		filters: ctx.getNodeParameter('filters', itemIndex, {}) as IDataObject,
		options: ctx.getNodeParameter('options', itemIndex, {}) as IDataObject,
		simplify: ctx.getNodeParameter('simplify', itemIndex, true) as boolean,
	};
}

/**
 * A parameter read for many items: once, when its saved value holds no expression (the same for
 * every item; n8n's per-item read is far slower than a variable), else per item.
 */
export function perItemParameter<T>(ctx: IExecuteFunctions, name: string, fallback: T): (itemIndex: number) => T {
	const saved: unknown = ctx.getNode().parameters[name];
	if (typeof saved === 'string' && saved.startsWith('=')) return (itemIndex) => ctx.getNodeParameter(name, itemIndex, fallback) as T;
	let value: { is: T } | undefined;
	return (itemIndex) => (value ??= { is: ctx.getNodeParameter(name, itemIndex, fallback) as T }).is;
}

/** Options > Batch Size of a write (one value for the whole run), kept within 1 and the API's maximum. */
export function readBatchSize(ctx: IExecuteFunctions, items: INodeExecutionData[], maxBatchSize: number): number {
	const requested = items.length > 0 ? (ctx.getNodeParameter('options.batchSize', 0, maxBatchSize) as number) : maxBatchSize;
	return Math.max(1, Math.min(maxBatchSize, Math.floor(requested || maxBatchSize)));
}

/** One input item's payload for a write. */
export interface ItemPayload<Payload> {
	/** The input item's index. */
	index: number;
	payload: Payload;
}

/**
 * Each item's payload for a write, read before anything is sent. An item that cannot be written
 * (`toPayload` throws an input error) is left out and its error kept for its output.
 */
export function readItemPayloads<Payload>(
	items: INodeExecutionData[],
	toPayload: (json: IDataObject, itemIndex: number) => Payload,
): { records: Array<ItemPayload<Payload>>; errors: Map<number, Error> } {
	const records: Array<ItemPayload<Payload>> = [];
	const errors = new Map<number, Error>();
	for (let i = 0; i < items.length; i++) {
		try {
			records.push({ index: i, payload: toPayload(items[i].json, i) });
		} catch (error) {
			errors.set(i, error as Error);
		}
	}
	return { records, errors };
}
