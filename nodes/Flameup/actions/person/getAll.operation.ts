import type { INodeProperties } from 'n8n-workflow';

import { limitField, returnAllField, showFor, simplifyField } from '../../../shared/descriptions/common';
import { runGetAll } from '../../../shared/operations/list';
import type { Operation } from '../../../shared/operations/router';
import { flameupCodec } from '../../mapping';
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

export const execute: Operation = async function (items, client) {
	return await runGetAll(this, items, { client, codec: flameupCodec, list: listPeople });
};
