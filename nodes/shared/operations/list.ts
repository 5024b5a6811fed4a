import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { VendorClient } from '../engine/request';
import { forEachItem, shapeRecord } from './output';
import type { PersonCodec } from './types';

export interface ListRequest {
	/** Items wanted; undefined for Return All. */
	limit?: number;
	filters: IDataObject;
	options: IDataObject;
	itemIndex: number;
}

export type ListRecords<Raw> = (client: VendorClient, request: ListRequest) => Promise<Raw[]>;

/** Get Many: for every input item, the vendor's list (all of it, or exactly `limit`). */
export async function runGetAll<Raw extends IDataObject>(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	options: { client: VendorClient; codec: PersonCodec<Raw>; list: ListRecords<Raw> },
): Promise<INodeExecutionData[]> {
	return await forEachItem(ctx, items, async (i) => {
		const returnAll = ctx.getNodeParameter('returnAll', i, false) as boolean;
		const limit = returnAll ? undefined : (ctx.getNodeParameter('limit', i, 50) as number);
		const simplify = ctx.getNodeParameter('simplify', i, true) as boolean;
		const records = await options.list(options.client, {
			limit,
			filters: ctx.getNodeParameter('filters', i, {}) as IDataObject,
			options: ctx.getNodeParameter('options', i, {}) as IDataObject,
			itemIndex: i,
		});
		return records.map((raw) => shapeRecord(options.codec, raw, simplify));
	});
}
