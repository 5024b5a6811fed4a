import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { showFor } from '../../../shared/descriptions/common';

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

const idFilter = (displayName: string, name: string, what: string): INodeProperties => ({
	displayName,
	name,
	type: 'number',
	default: 0,
	typeOptions: { minValue: 0 },
	description: `Only users with this ${what} ID (0 = any)`,
});

/** Filters: Get Many's filters (what it lists), Mirror's (which users it manages); turned into a search body by search.ts `listSearch`. */
export function userFilters(operations: string[], description: string): INodeProperties {
	return {
	displayName: 'Filters',
	name: 'filters',
	type: 'collection',
	placeholder: 'Add filter',
	default: {},
	description,
	displayOptions: showFor('user', operations),
	options: [
		{
			displayName: 'Approved',
			name: 'approved',
			type: 'boolean',
			default: true,
			description: 'Whether to return only approved users (on) or only users awaiting approval (off)',
		},
		{
			displayName: 'Created Since',
			name: 'createdSince',
			type: 'dateTime',
			default: '',
			description: 'Only users created at or after this time',
		},
		{
			displayName: 'Email',
			name: 'email',
			type: 'string',
			placeholder: 'name@email.com',
			default: '',
			description: 'Only the user with this exact email',
		},
		{
			displayName: 'Name Contains',
			name: 'nameContains',
			type: 'string',
			default: '',
			description: 'Only users whose name contains this text',
		},
		idFilter('Position ID', 'positionId', 'position'),
		idFilter('Rank ID', 'rankId', 'rank'),
		{
			displayName: 'Search',
			name: 'search',
			type: 'string',
			default: '',
			description: 'Text PERSCOM searches for in its searchable user fields (name, email...)',
		},
		idFilter('Specialty ID', 'specialtyId', 'specialty'),
		idFilter('Status ID', 'statusId', 'roster status'),
		idFilter('Unit ID', 'unitId', 'unit'),
		{
			displayName: 'Updated Since',
			name: 'updatedSince',
			type: 'dateTime',
			default: '',
			description: 'Only users changed at or after this time (for incremental syncs)',
		},
	],
};
}
