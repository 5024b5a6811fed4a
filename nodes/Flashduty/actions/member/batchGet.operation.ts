import type { INodeProperties } from 'n8n-workflow';

import { batchGetOptions, idsField, simplifyField } from '../../../shared/descriptions/common';
import { keysToRead, readItemKeyLists } from '../../../shared/helpers/keys';
import { batchGetOutputs, settleRead } from '../../../shared/helpers/readOutputs';
import type { Operation } from '../../../shared/helpers/router';
import { flashdutyApi } from '../../api';
import { unifiedFromFlashduty } from '../../mapping';
import { readMembersByKeys } from '../../members';

export const description: INodeProperties[] = [
	idsField(
		'member',
		'Member IDs or emails, comma-separated or as an array. IDs are read 100 per request (/person/infos), each email with one member-list search. IDs Flashduty does not know are reported, never dropped.',
	),
	simplifyField('member', ['batchGet']),
	batchGetOptions('member'),
];

/** Batch Get: every item's keys are read together; keys Flashduty does not know are reported. */
export const execute: Operation = async function (items, client) {
	const keyLists = readItemKeyLists(this, items, flashdutyApi, 'member IDs or emails');
	const read = await settleRead(readMembersByKeys(client, keysToRead(keyLists)));
	return batchGetOutputs(this, keyLists, read, { api: flashdutyApi, toUnified: unifiedFromFlashduty, noun: 'member' });
};
