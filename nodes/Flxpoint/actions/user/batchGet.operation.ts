import type { INodeProperties } from 'n8n-workflow';

import { batchGetOptions, idsField, simplifyField } from '../../../shared/descriptions/common';
import { runBatchGet } from '../../../shared/operations/read';
import type { Operation } from '../../../shared/operations/router';
import { flxpointCodec } from '../../mapping';
import { readUsers } from '../../users';

export const description: INodeProperties[] = [
	idsField(
		'user',
		'Numeric user IDs or emails, comma-separated or as an array. Duplicates are removed; IDs and emails are read in separate requests of at most 50, within the token\'s 2 requests/second.',
	),
	simplifyField('user', ['batchGet']),
	batchGetOptions('user'),
];

export const execute: Operation = async function (items, client) {
	return await runBatchGet(this, items, { client, codec: flxpointCodec, read: readUsers, noun: 'user' });
};
