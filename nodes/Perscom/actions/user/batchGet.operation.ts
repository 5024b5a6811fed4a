import type { INodeProperties } from 'n8n-workflow';

import { batchGetOptions, idsFields, outputFieldsField, simplifyField } from '../../../shared/descriptions/common';
import { keysToRead, readItemKeyLists } from '../../../shared/helpers/keys';
import { withOutputFields } from '../../../shared/helpers/outputFields';
import { batchGetOutputs, settleRead } from '../../../shared/helpers/readOutputs';
import type { Operation } from '../../../shared/helpers/router';
import { perscomApi } from '../../api';
import { unifiedFromPerscom } from '../../mapping';
import { readUsersByKeys } from '../../users';
import { readIncludeOption, includeOption } from './fields';

export const description: INodeProperties[] = [
	...idsFields(
		'user',
		'The users to get: PERSCOM user IDs (whole numbers) or email addresses, comma-separated or as an array, e.g. "42, 57, ada@example.com". They are looked up with PERSCOM\'s search, 100 per request.',
		'e.g. 42, 57, ada@example.com',
	),
	simplifyField('user', ['batchGet']),
	outputFieldsField('user', ['batchGet']),
	batchGetOptions('user', [includeOption]),
];

/** Batch Get: every item's keys are read together, 100 per search; keys not found are reported. */
export const execute: Operation = async function (items, client) {
	const keyLists = readItemKeyLists(this, items, perscomApi, 'user IDs or emails');
	const read = await settleRead(readUsersByKeys(client, keysToRead(keyLists), readIncludeOption(this)));
	return withOutputFields(this, batchGetOutputs(this, keyLists, read, { api: perscomApi, toUnified: unifiedFromPerscom, noun: 'user' }));
};
