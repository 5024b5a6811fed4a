import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { limitFields, outputFieldsField, returnAllField, showFor, simplifyField } from '../../../shared/descriptions/common';
import { changingListWarning } from '../../../shared/engine/paginate';
import { text } from '../../../shared/engine/values';
import { forEachItem, shapeRecord } from '../../../shared/helpers/output';
import { withOutputFields } from '../../../shared/helpers/outputFields';
import { listParameters } from '../../../shared/helpers/parameters';
import type { Operation } from '../../../shared/helpers/router';
import { unifiedFromFlameup } from '../../mapping';
import { listPeople } from '../../people';

/** Get Many's filters (Status, Search), sent as query parameters; the trigger reuses them. */
export const peopleFilters: INodeProperties = {
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
			description: 'Only people whose name or email contains this text, e.g. "ada" or "@example.com"',
		},
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			default: 'active',
			description: 'Only people with this email status: active, bounced or unsubscribed',
			options: [
				{ name: 'Active', value: 'active' },
				{ name: 'Bounced', value: 'bounced' },
				{ name: 'Unsubscribed', value: 'unsubscribed' },
			],
		},
	],
};

/** The filters set, as GET /people's query parameters. */
export function filterQuery(filters: IDataObject): IDataObject {
	const query: IDataObject = {};
	if (text(filters.status)) query.status = filters.status;
	if (text(filters.search)) query.search = filters.search;
	return query;
}

export const description: INodeProperties[] = [
	returnAllField('person'),
	...limitFields('person', 'people'),
	peopleFilters,
	simplifyField('person', ['getAll']),
	outputFieldsField('person', ['getAll']),
];

/**
 * Get Many: GET /people, 100 a page, with the Status and Search filters as query parameters. A list
 * that kept changing while it was read twice gets a warning hint with how many may be missing.
 */
export const execute: Operation = async function (items, client) {
	let missing = 0;
	const out = withOutputFields(this, await forEachItem(this, items, async (i) => {
		const { limit, filters, simplify } = listParameters(this, i);
		const { people, mayBeMissing } = await listPeople(client, { filters: filterQuery(filters), limit, itemIndex: i });
		missing += mayBeMissing;
		return people.map((person) => shapeRecord(person, simplify, unifiedFromFlameup));
	}));
	if (missing > 0) this.addExecutionHints({ type: 'warning', location: 'outputPane', message: changingListWarning('Flameup', 'people', missing) });
	return out;
};
