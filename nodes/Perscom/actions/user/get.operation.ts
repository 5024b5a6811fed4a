import type { INodeProperties } from 'n8n-workflow';

import { idField, showFor, simplifyField } from '../../../shared/descriptions/common';
import { runGet } from '../../../shared/operations/read';
import type { Operation } from '../../../shared/operations/router';
import { perscomCodec } from '../../mapping';
import { readUsers } from '../../users';
import { checkUserKey, includeOf, includeOption } from './fields';

export const description: INodeProperties[] = [
	idField('user', ['get'], 'User ID or Email', 'The user\'s PERSCOM ID (a whole number) or email address'),
	simplifyField('user', ['get']),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showFor('user', ['get']),
		options: [includeOption],
	},
];

export const execute: Operation = async function (items, client) {
	return await runGet(this, items, { client, codec: perscomCodec, read: readUsers(includeOf(this)), noun: 'user', checkKey: checkUserKey(this) });
};
