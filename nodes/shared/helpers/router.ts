import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { VendorClient } from '../engine/request';
import type { VendorApi } from '../engine/vendor';
import { forTool, toolDescriptionFields, timeoutOption } from '../descriptions/common';

/** An operation: runs once for all input items of an execution. */
export type Operation = (this: IExecuteFunctions, items: INodeExecutionData[], client: VendorClient) => Promise<INodeExecutionData[]>;

/** One `<op>.operation.ts` file: its parameters and what it runs. */
export interface OperationModule {
	description: INodeProperties[];
	execute: Operation;
}

/** What the AI tool version of a resource offers (n8n's `<node>Tool`, see `forTool`). */
export interface ToolOperations {
	/** Operations the tool does not offer: batch writes, which take many input items, not one model call. */
	hidden: string[];
	/** The tool description of every operation the tool offers (`toolDescriptionFields`). */
	descriptions: Record<string, string>;
}

/**
 * A resource's operations map and parameter list, both derived from its operation files. The
 * Operation selector's option values must be exactly the files' keys: a mismatch throws when the
 * node loads, so an operation can neither be offered without code nor coded without being offered.
 * With `tools`, the node's selector is shown in the node only, and the tool version gets its own
 * (same name and values, without the hidden operations) and a tool description per operation.
 */
export function resourceOperations(
	selector: INodeProperties,
	modules: Record<string, OperationModule>,
	tools?: ToolOperations,
): { operations: Record<string, Operation>; description: INodeProperties[] } {
	const offered = (selector.options ?? []).map((o) => String((o as { value: unknown }).value)).sort();
	const coded = Object.keys(modules).sort();
	if (offered.join() !== coded.join()) {
		throw new Error(`Operation selector offers [${offered.join(', ')}] but the operation files are [${coded.join(', ')}]`);
	}
	const resource = String(selector.displayOptions?.show?.resource?.[0] ?? '');
	const forTools = offered.filter((name) => !tools?.hidden.includes(name));
	const described = Object.keys(tools?.descriptions ?? {}).sort();
	if (tools && described.join() !== forTools.join()) {
		throw new Error(`The tool offers [${forTools.join(', ')}] but has descriptions for [${described.join(', ')}]`);
	}
	const selectors = tools
		? [
				forTool(selector, false),
				forTool(
					{
						...selector,
						options: (selector.options ?? []).filter((o) => forTools.includes(String((o as { value: unknown }).value))),
						default: forTools.includes(String(selector.default)) ? selector.default : forTools[0],
					},
					true,
				),
				...toolDescriptionFields(resource, tools.descriptions),
			]
		: [selector];
	return {
		operations: Object.fromEntries(Object.entries(modules).map(([name, module]) => [name, module.execute])),
		description: [...selectors, ...Object.entries(modules).flatMap(([name, module]) => withTimeoutOption(module.description, resource, name))],
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
