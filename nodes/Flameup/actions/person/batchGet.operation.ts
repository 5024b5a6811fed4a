import type { INodeProperties } from 'n8n-workflow';

import { batchGetOptions, idsFields, outputFieldsField, simplifyField } from '../../../shared/descriptions/common';
import { keysToRead, readItemKeyLists } from '../../../shared/helpers/keys';
import { withOutputFields } from '../../../shared/helpers/outputFields';
import { batchGetOutputs, settleRead } from '../../../shared/helpers/readOutputs';
import type { Operation } from '../../../shared/helpers/router';
import { flameupApi } from '../../api';
import { unifiedFromFlameup } from '../../mapping';
import { readPeopleByKeys } from '../../people';

export const description: INodeProperties[] = [
	...idsFields(
		'person',
		'The people to get: their external IDs (externalId, the userId your own system gave them) or email addresses, comma-separated or as an array, e.g. "user-123, ada@example.com". Flameup has no batch read: each is read on its own, within the key\'s 120 requests/minute.',
		'e.g. user-123, ada@example.com',
	),
	simplifyField('person', ['batchGet']),
	outputFieldsField('person', ['batchGet']),
	batchGetOptions('person'),
];

/** Batch Get: every item's keys, each read on its own (no batch read); keys not found are reported. */
export const execute: Operation = async function (items, client) {
	const keyLists = readItemKeyLists(this, items, flameupApi, 'person IDs or emails');
	const read = await settleRead(readPeopleByKeys(client, keysToRead(keyLists)));
	return withOutputFields(this, batchGetOutputs(this, keyLists, read, { api: flameupApi, toUnified: unifiedFromFlameup, noun: 'person' }));
};
