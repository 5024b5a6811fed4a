import type { INodeProperties } from 'n8n-workflow';

import { idField, simplifyField } from '../../../shared/descriptions/common';
import { runGet } from '../../../shared/operations/read';
import type { Operation } from '../../../shared/operations/router';
import { flxpointCodec } from '../../mapping';
import { readUsers } from '../../users';

export const description: INodeProperties[] = [
	idField(
		'user',
		['get'],
		'User ID or Email',
		'The user\'s numeric Flxpoint ID or email address. Many input items are read together, up to 50 per request.',
	),
	simplifyField('user', ['get']),
];

export const execute: Operation = async function (items, client) {
	return await runGet(this, items, { client, codec: flxpointCodec, read: readUsers, noun: 'user' });
};
