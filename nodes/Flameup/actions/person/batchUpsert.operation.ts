import type { INodeProperties } from 'n8n-workflow';

import { batchSizeOption, showFor, simplifyField, upsertNotice } from '../../../shared/descriptions/common';
import type { Operation } from '../../../shared/operations/router';
import { runBatchUpsert } from '../../../shared/operations/upsert';
import { FLAMEUP_MAX_BATCH } from '../../api';
import { flameupCodec, toFlameupPayload } from '../../mapping';
import { upsertPeople } from '../../people';

export const description: INodeProperties[] = [
	upsertNotice(
		'person',
		'Each input item is one person. Unified fields (externalId, email, firstName, lastName, name, phone, timezone, locale, avatarUrl) and Flameup\'s own names (userId, first_name, traits...) are mapped automatically. People are matched by externalId, else email.',
	),
	simplifyField('person', ['batchUpsert']),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showFor('person', ['batchUpsert']),
		options: [batchSizeOption(FLAMEUP_MAX_BATCH, 'Traits are merged into the existing ones, never replaced.')],
	},
];

export const execute: Operation = async function (items, client) {
	return await runBatchUpsert(this, items, {
		client,
		codec: flameupCodec,
		maxBatchSize: FLAMEUP_MAX_BATCH,
		toPayload: (json, i) => toFlameupPayload(this.getNode(), json, i),
		write: upsertPeople,
	});
};
