import type { INodeProperties } from 'n8n-workflow';

import { batchGetOptions, idsField, simplifyField } from '../../../shared/descriptions/common';
import { runBatchGet } from '../../../shared/operations/read';
import type { Operation } from '../../../shared/operations/router';
import { flashdutyCodec } from '../../mapping';
import { readMembers } from '../../members';
import { memberKeyCheck } from './keys';

export const description: INodeProperties[] = [
	idsField(
		'member',
		'Member IDs or emails, comma-separated or as an array. IDs are read 100 per request (/person/infos), each email with one member-list search. IDs Flashduty does not know are reported, never dropped.',
	),
	simplifyField('member', ['batchGet']),
	batchGetOptions('member'),
];

export const execute: Operation = async function (items, client) {
	return await runBatchGet(this, items, { client, codec: flashdutyCodec, read: readMembers, noun: 'member', checkKey: memberKeyCheck(this) });
};
