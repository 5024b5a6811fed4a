import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { VendorClient } from '../engine/request';
import type { VendorApi } from '../engine/vendor';

/** An operation: runs once for all input items of an execution. */
export type Operation = (this: IExecuteFunctions, items: INodeExecutionData[], client: VendorClient) => Promise<INodeExecutionData[]>;

/** Every vendor node's `execute`: pick the operation, make the client, run. */
export async function route(
	ctx: IExecuteFunctions,
	api: VendorApi,
	operations: Record<string, Record<string, Operation>>,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const run = operations[resource]?.[operation];
	if (!run) {
		throw new NodeOperationError(ctx.getNode(), `The operation "${operation}" on "${resource}" is not supported by the ${api.displayName} node`, {
			description: `${api.displayName}'s API offers: ${Object.entries(operations)
				.map(([r, ops]) => `${r}: ${Object.keys(ops).join(', ')}`)
				.join('; ')}.`,
		});
	}
	const client = await VendorClient.create(ctx, api);
	return [await run.call(ctx, items, client)];
}
