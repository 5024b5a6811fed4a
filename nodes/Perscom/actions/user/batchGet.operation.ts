import type { INodeProperties } from 'n8n-workflow';

import { batchGetOptions, idsField, simplifyField } from '../../../shared/descriptions/common';
import { runBatchGet } from '../../../shared/operations/read';
import type { Operation } from '../../../shared/operations/router';
import { perscomCodec } from '../../mapping';
import { readUsers } from '../../users';
import { checkUserKey, includeOf, includeOption } from './fields';

export const description: INodeProperties[] = [
	idsField('user', 'User IDs or emails, comma-separated or as an array. They are looked up with PERSCOM\'s search, 100 per request.'),
	simplifyField('user', ['batchGet']),
	batchGetOptions('user', [includeOption]),
];

export const execute: Operation = async function (items, client) {
	return await runBatchGet(this, items, { client, codec: perscomCodec, read: readUsers(includeOf(this)), noun: 'user', checkKey: checkUserKey(this) });
};
