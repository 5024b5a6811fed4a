import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

/** displayOptions showing a field for some operations of a resource. */
export function showFor(resource: string, operations: string[]): IDisplayOptions {
	return { show: { resource: [resource], operation: operations } };
}

export function simplifyField(resource: string, operations: string[]): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description:
			'Whether to return the unified person (the same fields for every vendor, ready for any People Sync upsert) instead of the raw record',
		displayOptions: showFor(resource, operations),
	};
}

export function idField(resource: string, operations: string[], label: string, description: string): INodeProperties {
	return {
		displayName: label,
		name: 'id',
		type: 'string',
		required: true,
		default: '',
		description,
		displayOptions: showFor(resource, operations),
	};
}

export function idsField(resource: string, description: string): INodeProperties {
	return {
		displayName: 'IDs',
		name: 'ids',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 123, 456, ada@example.com',
		description,
		displayOptions: showFor(resource, ['batchGet']),
	};
}

/** Batch Get options: what to do with IDs that were not found. */
export function batchGetOptions(resource: string, extra: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showFor(resource, ['batchGet']),
		options: [
			{
				displayName: 'If Not Found',
				name: 'onNotFound',
				type: 'options',
				default: 'output',
				description: 'What to do with IDs the vendor has no record for',
				options: [
					{ name: 'Output an Item', value: 'output', description: 'One item { ID, notFound: true } per missing ID' },
					{ name: 'Fail', value: 'error', description: 'Stop with an error naming the missing IDs (an error item under Continue On Fail)' },
				],
			},
			...extra,
		],
	};
}

export function returnAllField(resource: string): INodeProperties {
	return {
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: showFor(resource, ['getAll']),
	};
}

export function limitField(resource: string): INodeProperties {
	return {
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		description: 'Max number of results to return',
		displayOptions: { show: { resource: [resource], operation: ['getAll'], returnAll: [false] } },
	};
}

export function batchSizeOption(maxBatchSize: number, note: string): INodeProperties {
	return {
		displayName: 'Batch Size',
		name: 'batchSize',
		type: 'number',
		default: maxBatchSize,
		typeOptions: { minValue: 1, maxValue: maxBatchSize },
		description: `How many records to send per request, at most ${maxBatchSize} (the API's limit)`,
		hint: note,
	};
}

/** Options > Timeout: seconds each request may take, answer included (the engine reads `options.timeout`). */
export const timeoutOption: INodeProperties = {
	displayName: 'Timeout',
	name: 'timeout',
	type: 'number',
	default: 30,
	typeOptions: { minValue: 1 },
	description: 'Seconds each request may take, its answer included, before it counts as failed. A write that timed out is read back before it is sent again.',
};

/** The note shown above a write that takes whole items (Batch Upsert, Mirror): how items are matched and mapped. */
export function upsertNotice(resource: string, operations: string[], text: string): INodeProperties {
	return {
		displayName: text,
		name: 'upsertNotice',
		type: 'notice',
		default: '',
		displayOptions: showFor(resource, operations),
	};
}
