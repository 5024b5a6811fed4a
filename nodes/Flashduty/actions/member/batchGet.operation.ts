import type { INodeProperties } from 'n8n-workflow';

import { batchGetOptions, idsFields, outputFieldsField, simplifyField } from '../../../shared/descriptions/common';
import { keysToRead, readItemKeyLists } from '../../../shared/helpers/keys';
import { withOutputFields } from '../../../shared/helpers/outputFields';
import { batchGetOutputs, settleRead } from '../../../shared/helpers/readOutputs';
import type { Operation } from '../../../shared/helpers/router';
import { flashdutyApi } from '../../api';
import { unifiedFromFlashduty } from '../../mapping';
import { readMembersByKeys } from '../../members';

export const description: INodeProperties[] = [
	...idsFields(
		'member',
		'The members to get: member IDs (whole numbers of up to 20 digits) or email addresses, comma-separated or as an array, e.g. "3790117293151, ada@example.com". IDs are read 100 per request (/person/infos), each email with one member-list search. IDs Flashduty does not know are reported, never dropped.',
		'e.g. 3790117293151, ada@example.com',
	),
	simplifyField('member', ['batchGet']),
	outputFieldsField('member', ['batchGet']),
	batchGetOptions('member'),
];

/** Batch Get: every item's keys are read together; keys Flashduty does not know are reported. */
export const execute: Operation = async function (items, client) {
	const keyLists = readItemKeyLists(this, items, flashdutyApi, 'member IDs or emails');
	const read = await settleRead(readMembersByKeys(client, keysToRead(keyLists)));
	return withOutputFields(this, batchGetOutputs(this, keyLists, read, { api: flashdutyApi, toUnified: unifiedFromFlashduty, noun: 'member' }));
};
