import type { INodeProperties } from 'n8n-workflow';

import { batchSizeOption, showFor, simplifyField, upsertNotice } from '../../../shared/descriptions/common';
import type { Operation } from '../../../shared/operations/router';
import { runBatchUpsert } from '../../../shared/operations/upsert';
import { PERSCOM_MAX_BATCH } from '../../api';
import { perscomCodec, toPerscomPayload } from '../../mapping';
import { upsertUsers } from '../../users';

export const description: INodeProperties[] = [
	upsertNotice(
		'user',
		'Each input item is one user, matched by email. Unified fields (email, name or firstName/lastName, phone, status "approved"/"pending") and PERSCOM\'s own (name, phone_number, approved, rank_id, unit_id, position_id, specialty_id, status_id, notes...) are mapped automatically. New users need a name.',
	),
	simplifyField('user', ['batchUpsert']),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showFor('user', ['batchUpsert']),
		options: [
			batchSizeOption(
				PERSCOM_MAX_BATCH,
				'Each batch is all or nothing on the server; a batch rejected for one user\'s data is split so the others still land.',
			),
		],
	},
];

export const execute: Operation = async function (items, client) {
	return await runBatchUpsert(this, items, {
		client,
		codec: perscomCodec,
		maxBatchSize: PERSCOM_MAX_BATCH,
		toPayload: (json, i) => toPerscomPayload(this.getNode(), json, i),
		write: upsertUsers,
	});
};
