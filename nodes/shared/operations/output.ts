import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { itemSuffix, type ApiErrorContext } from '../engine/errors';
import type { PersonCodec } from './types';

export function outputItem(json: IDataObject, itemIndex: number): INodeExecutionData {
	return { json, pairedItem: { item: itemIndex } };
}

/** The record as the user asked for it: unified (simplify) or the vendor's raw record. */
export function shapeRecord<Raw extends IDataObject>(codec: PersonCodec<Raw>, raw: Raw, simplify: boolean): IDataObject {
	return simplify ? codec.toUnified(raw) : raw;
}

/** The same error, attributed to one input item (message gets `[item N]`, context kept). */
export function errorForItem(ctx: IExecuteFunctions, error: Error, itemIndex: number): Error {
	const already = error instanceof NodeApiError || error instanceof NodeOperationError;
	if (already && (error as NodeApiError).context?.itemIndex === itemIndex) return error;
	const message = error.message.replace(/ \[item \d+\]$/, '') + itemSuffix(itemIndex);
	const description = already ? ((error as NodeApiError).description ?? undefined) : undefined;
	const copy =
		error instanceof NodeApiError
			? new NodeApiError(ctx.getNode(), { message }, { message, description, httpCode: error.httpCode ?? undefined, itemIndex })
			: new NodeOperationError(ctx.getNode(), message, { description, itemIndex });
	copy.message = message;
	if (already) Object.assign(copy.context, { ...(error as NodeApiError).context, itemIndex });
	return copy;
}

/** The error item n8n users expect under "Continue On Fail": message, how to fix, the facts. */
export function errorItem(error: Error, itemIndex: number, extra: IDataObject = {}): INodeExecutionData {
	const json: IDataObject = { ...extra, error: error.message };
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.description) json.description = error.description;
		const { status, code, requestId, fields } = error.context as ApiErrorContext;
		if (status !== undefined) json.httpCode = status;
		if (code) json.code = code;
		if (requestId) json.requestId = requestId;
		if (fields) json.fields = fields as IDataObject;
	}
	return { json, pairedItem: { item: itemIndex } };
}

/**
 * Runs `work` for every input item in order. A failure becomes an error item under "Continue On
 * Fail" and otherwise stops the node with the item named.
 */
export async function forEachItem(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	work: (itemIndex: number) => Promise<IDataObject | IDataObject[]>,
): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const result = await work(i);
			for (const json of Array.isArray(result) ? result : [result]) out.push(outputItem(json, i));
		} catch (error) {
			const attributed = errorForItem(ctx, error as Error, i);
			if (!ctx.continueOnFail()) throw attributed;
			out.push(errorItem(attributed, i));
		}
	}
	return out;
}

