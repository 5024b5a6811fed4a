import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { limitField, returnAllField, showFor, simplifyField } from '../../../shared/descriptions/common';
import { text } from '../../../shared/engine/values';
import { forEachItem, shapeRecord } from '../../../shared/helpers/output';
import { listParameters } from '../../../shared/helpers/parameters';
import type { Operation } from '../../../shared/helpers/router';
import { unifiedFromFlameup } from '../../mapping';
import { listPeople } from '../../people';

export const description: INodeProperties[] = [
	returnAllField('person'),
	limitField('person'),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		displayOptions: showFor('person', ['getAll']),
		options: [
			{
				displayName: 'Search',
				name: 'search',
				type: 'string',
				default: '',
				description: 'Text to search for in names and emails',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				default: 'active',
				options: [
					{ name: 'Active', value: 'active' },
					{ name: 'Bounced', value: 'bounced' },
					{ name: 'Unsubscribed', value: 'unsubscribed' },
				],
			},
		],
	},
	simplifyField('person', ['getAll']),
];

/** Get Many: GET /people, 100 a page, with the Status and Search filters as query parameters. */
export const execute: Operation = async function (items, client) {
	return await forEachItem(this, items, async (i) => {
		const { limit, filters, simplify } = listParameters(this, i);
		const query: IDataObject = {};
		if (text(filters.status)) query.status = filters.status;
		if (text(filters.search)) query.search = filters.search;
		const people = await listPeople(client, { filters: query, limit, itemIndex: i });
		return people.map((person) => shapeRecord(person, simplify, unifiedFromFlameup));
	});
};
