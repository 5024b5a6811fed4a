import type { INodeProperties } from 'n8n-workflow';

import { batchGetOptions, idsFields, outputFieldsField, simplifyField } from '../../../shared/descriptions/common';
import { keysToRead, readItemKeyLists } from '../../../shared/helpers/keys';
import { withOutputFields } from '../../../shared/helpers/outputFields';
import { batchGetOutputs, settleRead } from '../../../shared/helpers/readOutputs';
import type { Operation } from '../../../shared/helpers/router';
import { flxpointApi } from '../../api';
import { unifiedFromFlxpoint } from '../../mapping';
import { readUsersByKeys } from '../../users';

export const description: INodeProperties[] = [
	...idsFields(
		'user',
		'The users to get: numeric Flxpoint user IDs or email addresses, comma-separated or as an array, e.g. "123456, ada@example.com". Duplicates are removed; IDs and emails are read in separate requests of at most 50, within the token\'s 2 requests/second.',
		'e.g. 123456, ada@example.com',
	),
	simplifyField('user', ['batchGet']),
	outputFieldsField('user', ['batchGet']),
	batchGetOptions('user'),
];

/** Batch Get: every item's keys are read together, 50 per request; keys not found are reported. */
export const execute: Operation = async function (items, client) {
	const keyLists = readItemKeyLists(this, items, flxpointApi, 'user IDs or emails');
	const read = await settleRead(readUsersByKeys(client, keysToRead(keyLists)));
	return withOutputFields(this, batchGetOutputs(this, keyLists, read, { api: flxpointApi, toUnified: unifiedFromFlxpoint, noun: 'user' }));
};
