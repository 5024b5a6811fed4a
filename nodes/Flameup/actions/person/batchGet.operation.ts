import type { INodeProperties } from 'n8n-workflow';

import { batchGetOptions, idsField, simplifyField } from '../../../shared/descriptions/common';
import { runBatchGet } from '../../../shared/operations/read';
import type { Operation } from '../../../shared/operations/router';
import { flameupCodec } from '../../mapping';
import { readPeople } from '../../people';

export const description: INodeProperties[] = [
	idsField(
		'person',
		'External IDs or emails, comma-separated or as an array. Flameup has no batch read: each is read on its own, within the key\'s 120 requests/minute.',
	),
	simplifyField('person', ['batchGet']),
	batchGetOptions('person'),
];

export const execute: Operation = async function (items, client) {
	return await runBatchGet(this, items, { client, codec: flameupCodec, read: readPeople, noun: 'person' });
};
