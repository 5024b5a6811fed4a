import type { INodeProperties } from 'n8n-workflow';

import { batchGetOptions, idsField, simplifyField } from '../../../shared/descriptions/common';
import { keysToRead, readItemKeyLists } from '../../../shared/helpers/keys';
import { batchGetOutputs, settleRead } from '../../../shared/helpers/readOutputs';
import type { Operation } from '../../../shared/helpers/router';
import { flameupApi } from '../../api';
import { unifiedFromFlameup } from '../../mapping';
import { readPeopleByKeys } from '../../people';

export const description: INodeProperties[] = [
	idsField(
		'person',
		'External IDs or emails, comma-separated or as an array. Flameup has no batch read: each is read on its own, within the key\'s 120 requests/minute.',
	),
	simplifyField('person', ['batchGet']),
	batchGetOptions('person'),
];

/** Batch Get: every item's keys, each read on its own (no batch read); keys not found are reported. */
export const execute: Operation = async function (items, client) {
	const keyLists = readItemKeyLists(this, items, flameupApi, 'person IDs or emails');
	const read = await settleRead(readPeopleByKeys(client, keysToRead(keyLists)));
	return batchGetOutputs(this, keyLists, read, { api: flameupApi, toUnified: unifiedFromFlameup, noun: 'person' });
};
