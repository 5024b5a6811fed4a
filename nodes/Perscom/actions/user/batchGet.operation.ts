import type { INodeProperties } from 'n8n-workflow';

import { batchGetOptions, idsField, simplifyField } from '../../../shared/descriptions/common';
import { keysToRead, readItemKeyLists } from '../../../shared/helpers/keys';
import { batchGetOutputs, settleRead } from '../../../shared/helpers/readOutputs';
import type { Operation } from '../../../shared/helpers/router';
import { perscomApi } from '../../api';
import { unifiedFromPerscom } from '../../mapping';
import { readUsersByKeys } from '../../users';
import { readIncludeOption, includeOption } from './fields';

export const description: INodeProperties[] = [
	idsField('user', 'User IDs or emails, comma-separated or as an array. They are looked up with PERSCOM\'s search, 100 per request.'),
	simplifyField('user', ['batchGet']),
	batchGetOptions('user', [includeOption]),
];

/** Batch Get: every item's keys are read together, 100 per search; keys not found are reported. */
export const execute: Operation = async function (items, client) {
	const keyLists = readItemKeyLists(this, items, perscomApi, 'user IDs or emails');
	const read = await settleRead(readUsersByKeys(client, keysToRead(keyLists), readIncludeOption(this)));
	return batchGetOutputs(this, keyLists, read, { api: perscomApi, toUnified: unifiedFromPerscom, noun: 'user' });
};
