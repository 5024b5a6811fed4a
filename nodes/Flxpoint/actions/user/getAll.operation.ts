import type { INodeProperties } from 'n8n-workflow';

import { limitField, returnAllField, showFor, simplifyField } from '../../../shared/descriptions/common';
import { runGetAll } from '../../../shared/operations/list';
import type { Operation } from '../../../shared/operations/router';
import { flxpointCodec } from '../../mapping';
import { listUsers } from '../../users';

export const description: INodeProperties[] = [
	returnAllField('user'),
	limitField('user'),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		description: 'Flxpoint returns every user in one answer; these filters are applied by the node',
		displayOptions: showFor('user', ['getAll']),
		options: [
			{
				displayName: 'Email Contains',
				name: 'emailContains',
				type: 'string',
				default: '',
				placeholder: 'e.g. @example.com',
				description: 'Only users whose email contains this text (case-insensitive)',
			},
			{
				displayName: 'Primary Only',
				name: 'primaryOnly',
				type: 'boolean',
				default: true,
				description: 'Whether to return only the account\'s primary user',
			},
			{
				displayName: 'Role',
				name: 'roleHandle',
				type: 'options',
				default: 'admin',
				description: 'Only users with this role',
				options: [
					{ name: 'Admin', value: 'admin' },
					{ name: 'Read Only', value: 'read_only' },
					{ name: 'Support Specialist', value: 'support' },
				],
			},
		],
	},
	simplifyField('user', ['getAll']),
];

export const execute: Operation = async function (items, client) {
	return await runGetAll(this, items, { client, codec: flxpointCodec, list: listUsers });
};
