import type { INodeProperties } from 'n8n-workflow';

import { limitFields, outputFieldsField, returnAllField, showFor, simplifyField } from '../../../shared/descriptions/common';
import { changingListWarning } from '../../../shared/engine/paginate';
import { forEachItem, shapeRecord } from '../../../shared/helpers/output';
import { withOutputFields } from '../../../shared/helpers/outputFields';
import { listParameters } from '../../../shared/helpers/parameters';
import type { Operation } from '../../../shared/helpers/router';
import { unifiedFromPerscom } from '../../mapping';
import { listSearch } from '../../search';
import { listUsers } from '../../users';
import { readIncludeOption, includeOption, userFilters } from './fields';

export const description: INodeProperties[] = [
	returnAllField('user'),
	...limitFields('user', 'users'),
	userFilters(['getAll'], 'With any filter (or a sort) set, the users are read through PERSCOM\'s search (POST /users/search)'),
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
				description: 'Ascending (A to Z, oldest first) or descending; applies when Sort By is set',
			},
		],
	},
	simplifyField('user', ['getAll']),
	outputFieldsField('user', ['getAll']),
];

/**
 * Get Many: GET /users page by page, or POST /users/search when a filter or a sort is set; a chosen
 * sort gets the ID as its tie-breaker, so that pages of equal values hold still. A list that kept
 * changing while it was read twice gets a warning hint with how many may be missing.
 */
export const execute: Operation = async function (items, client) {
	let missing = 0;
	const out = withOutputFields(this, await forEachItem(this, items, async (i) => {
		const { limit, filters, options, simplify } = listParameters(this, i);
		const search = listSearch(filters, options);
		if (search?.sort && !search.sort.some((s) => s.field === 'id')) search.sort.push({ field: 'id', direction: 'asc' });
		const { users, mayBeMissing } = await listUsers(client, { search, include: readIncludeOption(this, i), limit, itemIndex: i, action: search ? 'search users' : 'list users' });
		missing += mayBeMissing;
		return users.map((user) => shapeRecord(user, simplify, unifiedFromPerscom));
	}));
	if (missing > 0) this.addExecutionHints({ type: 'warning', location: 'outputPane', message: changingListWarning('PERSCOM', 'users', missing) });
	return out;
};
