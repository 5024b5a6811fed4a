import type { IExecuteFunctions, ILoadOptionsFunctions, INodeProperties, INodePropertyOptions, ResourceMapperField } from 'n8n-workflow';

import { showFor } from '../../../shared/descriptions/common';
import { ANY_CHOICE } from '../../../shared/helpers/listSearch';
import { VendorClient } from '../../../shared/engine/request';
import { perscomApi } from '../../api';
import { listRoster, rosterOptions, type RosterKind } from '../../lookups';
import { PERSCOM_MAPPER_FIELDS } from '../../mapping';

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

/** The dropdowns' `methods.loadOptions` of the nodes showing these filters: "Any", then the records by name. */
export const rosterLoadOptions: Record<string, (this: ILoadOptionsFunctions) => Promise<INodePropertyOptions[]>> = Object.fromEntries(
	(
		[
			['getRanks', 'rank'],
			['getUnits', 'unit'],
			['getPositions', 'position'],
			['getSpecialties', 'specialty'],
			['getStatuses', 'status'],
		] as Array<[string, RosterKind]>
	).map(([method, kind]) => [
		method,
		async function (this: ILoadOptionsFunctions) {
			return [ANY_CHOICE, ...(await rosterOptions(this, kind))];
		},
	]),
);

/** The mapper's ID fields and the roster list each names. */
const MAPPER_ROSTER: Record<string, RosterKind> = { rank_id: 'rank', unit_id: 'unit', position_id: 'position', specialty_id: 'specialty', status_id: 'status' };

/**
 * Map Each Field Manually's fields: the rank, unit, position, specialty and status IDs become
 * dropdowns of PERSCOM's records (values the numeric IDs; an expression still gives any ID). A list
 * that cannot be read leaves its field a plain number: the mapper never fails for a dropdown.
 */
export async function perscomMapperFields(ctx: ILoadOptionsFunctions): Promise<ResourceMapperField[]> {
	let client: VendorClient;
	try {
		client = await VendorClient.create(ctx, perscomApi);
	} catch {
		return PERSCOM_MAPPER_FIELDS;
	}
	const kinds = [...new Set(Object.values(MAPPER_ROSTER))];
	const lists = await Promise.all(kinds.map(async (kind) => [kind, await listRoster(client, kind).catch(() => undefined)] as const));
	const choices = new Map(lists);
	return PERSCOM_MAPPER_FIELDS.map((field) => {
		const options = MAPPER_ROSTER[field.id] ? choices.get(MAPPER_ROSTER[field.id]) : undefined;
		return options ? { ...field, type: 'options', options } : field;
	});
}

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
		// Position, Rank, Specialty, Status, Unit: dropdowns of PERSCOM's records (`methods.loadOptions`), written out for n8n's
		// lint rules; the values are the numeric IDs, so a saved number (0 = any, the first choice) or an expression keeps working.
		{
			displayName: 'Position Name or ID',
			name: 'positionId',
			type: 'options',
			default: 0,
			typeOptions: { loadOptionsMethod: 'getPositions' },
			description: 'Only users with this position (Any: no filter). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		{
			displayName: 'Rank Name or ID',
			name: 'rankId',
			type: 'options',
			default: 0,
			typeOptions: { loadOptionsMethod: 'getRanks' },
			description: 'Only users with this rank (Any: no filter). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		{
			displayName: 'Search',
			name: 'search',
			type: 'string',
			default: '',
			description: 'Text PERSCOM searches for in its searchable user fields (name, email...)',
		},
		{
			displayName: 'Specialty Name or ID',
			name: 'specialtyId',
			type: 'options',
			default: 0,
			typeOptions: { loadOptionsMethod: 'getSpecialties' },
			description: 'Only users with this specialty (Any: no filter). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		{
			displayName: 'Status Name or ID',
			name: 'statusId',
			type: 'options',
			default: 0,
			typeOptions: { loadOptionsMethod: 'getStatuses' },
			description: 'Only users with this roster status (Any: no filter). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		{
			displayName: 'Unit Name or ID',
			name: 'unitId',
			type: 'options',
			default: 0,
			typeOptions: { loadOptionsMethod: 'getUnits' },
			description: 'Only users with this unit (Any: no filter). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
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
