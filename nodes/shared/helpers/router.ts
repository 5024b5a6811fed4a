import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { VendorClient } from '../engine/request';
import type { VendorApi } from '../engine/vendor';
import { timeoutOption } from '../descriptions/common';

/** An operation: runs once for all input items of an execution. */
export type Operation = (this: IExecuteFunctions, items: INodeExecutionData[], client: VendorClient) => Promise<INodeExecutionData[]>;

/** One `<op>.operation.ts` file: its parameters and what it runs. */
export interface OperationModule {
	description: INodeProperties[];
	execute: Operation;
}

/**
 * A resource's operations map and parameter list, both derived from its operation files. The
 * Operation selector's option values must be exactly the files' keys: a mismatch throws when the
 * node loads, so an operation can neither be offered without code nor coded without being offered.
 */
export function resourceOperations(
	selector: INodeProperties,
	modules: Record<string, OperationModule>,
): { operations: Record<string, Operation>; description: INodeProperties[] } {
	const offered = (selector.options ?? []).map((o) => String((o as { value: unknown }).value)).sort();
	const coded = Object.keys(modules).sort();
	if (offered.join() !== coded.join()) {
		throw new Error(`Operation selector offers [${offered.join(', ')}] but the operation files are [${coded.join(', ')}]`);
	}
	const resource = String(selector.displayOptions?.show?.resource?.[0] ?? '');
	return {
		operations: Object.fromEntries(Object.entries(modules).map(([name, module]) => [name, module.execute])),
		description: [selector, ...Object.entries(modules).flatMap(([name, module]) => withTimeoutOption(module.description, resource, name))],
	};
}

/**
 * Options > Timeout on every operation (the engine reads `options.timeout` for every request): an
 * operation's parameters with Timeout in its Options collection (alphabetical, as n8n lists
 * options), or with an Options collection holding only Timeout when it has none.
 */
function withTimeoutOption(description: INodeProperties[], resource: string, operation: string): INodeProperties[] {
	const at = description.findIndex((p) => p.name === 'options' && p.type === 'collection');
	if (at < 0) {
		return [
			...description,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				displayOptions: { show: { resource: [resource], operation: [operation] } },
				options: [timeoutOption],
			},
		];
	}
	const collection = description[at];
	if ((collection.options ?? []).some((o) => 'name' in o && o.name === timeoutOption.name)) return description;
	const options = [...((collection.options ?? []) as INodeProperties[]), timeoutOption].sort((a, b) => a.displayName.localeCompare(b.displayName));
	return description.map((p, i) => (i === at ? { ...collection, options } : p));
}

/**
 * The operation a node's parameters choose (resource and operation of the first item, as n8n's own
 * routers read them), or an error naming what the node offers.
 */
export function chosenOperation(ctx: IExecuteFunctions, api: VendorApi, operations: Record<string, Record<string, Operation>>): Operation {
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const run = operations[resource]?.[operation];
	if (run) return run;
	throw new NodeOperationError(ctx.getNode(), `The operation "${operation}" on "${resource}" is not supported by the ${api.displayName} node`, {
		description: `${api.displayName}'s API offers: ${Object.entries(operations)
			.map(([r, ops]) => `${r}: ${Object.keys(ops).join(', ')}`)
			.join('; ')}.`,
	});
}
