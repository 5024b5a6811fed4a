import type { INodeProperties } from 'n8n-workflow';

import { limitField, returnAllField, showFor, simplifyField } from '../../../shared/descriptions/common';
import { changingListWarning } from '../../../shared/engine/paginate';
import { forEachItem, shapeRecord } from '../../../shared/helpers/output';
import { listParameters } from '../../../shared/helpers/parameters';
import type { Operation } from '../../../shared/helpers/router';
import { unifiedFromPerscom } from '../../mapping';
import { listSearch } from '../../search';
import { listUsers } from '../../users';
import { readIncludeOption, includeOption } from './fields';

const idFilter = (displayName: string, name: string, what: string): INodeProperties => ({
	displayName,
	name,
	type: 'number',
	default: 0,
	typeOptions: { minValue: 0 },
	description: `Only users with this ${what} ID (0 = any)`,
});

export const description: INodeProperties[] = [
	returnAllField('user'),
	limitField('user'),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		description: 'With any filter (or a sort) set, the users are read through PERSCOM\'s search (POST /users/search)',
		displayOptions: showFor('user', ['getAll']),
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
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showFor('user', ['getAll']),
		options: [
			includeOption,
			{
				displayName: 'Sort By',
				name: 'sortBy',
				type: 'options',
				default: 'id',
				options: [
					{ name: 'Created At', value: 'created_at' },
					{ name: 'Email', value: 'email' },
					{ name: 'ID', value: 'id' },
					{ name: 'Name', value: 'name' },
					{ name: 'Updated At', value: 'updated_at' },
				],
				description: 'The field to sort by (read through PERSCOM\'s search)',
			},
			{
				displayName: 'Sort Direction',
				name: 'sortDirection',
				type: 'options',
				default: 'asc',
				options: [
					{ name: 'Ascending', value: 'asc' },
					{ name: 'Descending', value: 'desc' },
				],
				description: 'Applies when Sort By is set',
			},
		],
	},
	simplifyField('user', ['getAll']),
];

/**
 * Get Many: GET /users page by page, or POST /users/search when a filter or a sort is set; a chosen
 * sort gets the ID as its tie-breaker, so that pages of equal values hold still. A list that kept
 * changing while it was read twice gets a warning hint with how many may be missing.
 */
export const execute: Operation = async function (items, client) {
	let missing = 0;
	const out = await forEachItem(this, items, async (i) => {
		const { limit, filters, options, simplify } = listParameters(this, i);
		const search = listSearch(filters, options);
		if (search?.sort && !search.sort.some((s) => s.field === 'id')) search.sort.push({ field: 'id', direction: 'asc' });
		const { users, mayBeMissing } = await listUsers(client, { search, include: readIncludeOption(this, i), limit, itemIndex: i, action: search ? 'search users' : 'list users' });
		missing += mayBeMissing;
		return users.map((user) => shapeRecord(user, simplify, unifiedFromPerscom));
	});
	if (missing > 0) this.addExecutionHints({ type: 'warning', location: 'outputPane', message: changingListWarning('PERSCOM', 'users', missing) });
	return out;
};
