import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** The relations GET/search /{version}/users can include (the spec's `include` enum: docs/vendors/perscom.md#endpoints-used). */
const INCLUDES = [
	'assignment_records',
	'assignment_records.*',
	'attachments',
	'award_records',
	'award_records.*',
	'award_records.award.*',
	'combat_records',
	'combat_records.*',
	'fields',
	'position',
	'primary_assignment_records',
	'primary_assignment_records.*',
	'qualification_records',
	'qualification_records.*',
	'rank',
	'rank.*',
	'rank_records',
	'rank_records.*',
	'secondary_assignment_records',
	'secondary_assignment_records.*',
	'service_records',
	'service_records.*',
	'specialty',
	'status',
	'unit',
	'unit.*',
] as const;

function includeName(value: string): string {
	const nested = value.endsWith('.*');
	const words = value
		.replace(/\.\*$/, '')
		.split(/[._]/)
		.map((w) => w.charAt(0).toUpperCase() + w.slice(1))
		.join(' ');
	return nested ? `${words} (With Relations)` : words;
}

/** Options > Include: related records returned inside each user (raw output; Simplify drops them). */
export const includeOption: INodeProperties = {
	displayName: 'Include',
	name: 'include',
	type: 'multiOptions',
	default: [],
	description: 'Related records to return with each user, e.g. rank or unit. They appear in the raw record (turn Simplify off).',
	options: INCLUDES.map((value) => ({ name: includeName(value), value })),
};

/** The include list chosen for a read (all keys are read together, so the first item's choice applies). */
export function readIncludeOption(ctx: IExecuteFunctions, itemIndex = 0): string[] {
	const value = ctx.getNodeParameter('options.include', itemIndex, []) as unknown;
	return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
