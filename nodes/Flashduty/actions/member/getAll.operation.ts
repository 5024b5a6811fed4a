import type { INodeProperties } from 'n8n-workflow';

import { limitField, returnAllField, showFor, simplifyField } from '../../../shared/descriptions/common';
import { runGetAll } from '../../../shared/operations/list';
import type { Operation } from '../../../shared/operations/router';
import { FLASHDUTY_REACHABLE_ITEMS } from '../../api';
import { flashdutyCodec } from '../../mapping';
import { listMembers } from '../../members';

export const description: INodeProperties[] = [
	returnAllField('member'),
	limitField('member'),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		displayOptions: showFor('member', ['getAll']),
		options: [
			{
				displayName: 'Query',
				name: 'query',
				type: 'string',
				default: '',
				description: 'Part of a name or email to search for; a phone number is matched exactly',
			},
			{
				displayName: 'Role ID',
				name: 'roleId',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 1 },
				description: 'Only members with this role',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showFor('member', ['getAll']),
		options: [
			{
				displayName: 'Ascending',
				name: 'ascending',
				type: 'boolean',
				default: false,
				description: 'Whether to sort oldest first (Flashduty sorts newest first by default)',
			},
			{
				displayName: 'Sort By',
				name: 'orderBy',
				type: 'options',
				default: 'updated_at',
				options: [
					{ name: 'Created At', value: 'created_at' },
					{ name: 'Updated At', value: 'updated_at' },
				],
			},
		],
	},
	simplifyField('member', ['getAll']),
];

export const execute: Operation = async function (items, client) {
	let cut = false;
	const list = listMembers({
		onCut: () => {
			if (cut) return;
			cut = true;
			this.addExecutionHints({
				type: 'warning',
				location: 'outputPane',
				message: `Flashduty lets a client read only the first ${FLASHDUTY_REACHABLE_ITEMS.toLocaleString('en-US')} members of a list (page × limit ≤ 10,000); the rest were not returned. Narrow the list with Filters > Query or Role ID (run once per role, for example) to read everyone.`,
			});
		},
	});
	return await runGetAll(this, items, { client, codec: flashdutyCodec, list });
};
