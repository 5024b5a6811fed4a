import type { INodeProperties } from 'n8n-workflow';

import { batchSizeOption, showFor, simplifyField, upsertNotice } from '../../../shared/descriptions/common';
import { sendInBatches } from '../../../shared/engine/batch';
import { writeOutputs, writeResults, type WriteOutcome } from '../../../shared/helpers/output';
import { readBatchSize, readItemPayloads } from '../../../shared/helpers/parameters';
import type { Operation } from '../../../shared/helpers/router';
import { FLAMEUP_MAX_BATCH } from '../../api';
import { pairBatchAnswer } from '../../batchAnswer';
import { toFlameupPayload, unifiedFromFlameup, type FlameupPerson } from '../../mapping';
import { upsertPeopleBatch } from '../../people';

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

/**
 * Batch Upsert: Flameup upserts natively (POST /people/batch, matched by userId, else email), so
 * each batch of up to 100 items is sent as it is and every sent person is paired with its item. A
 * batch rejected for its data is bisected until the bad item stands alone: the others land, the
 * bad one gets its own error. One output per input item.
 */
export const execute: Operation = async function (items, client) {
	const batchSize = readBatchSize(this, items, FLAMEUP_MAX_BATCH);
	const { records, errors } = readItemPayloads(items, (json, i) => toFlameupPayload(this.getNode(), json, i));
	const outcomes: Array<WriteOutcome<FlameupPerson>> = [...errors].map(([index, error]) => ({ index, error }));
	outcomes.push(
		...(await sendInBatches(
			records,
			batchSize,
			async (batch) => {
				const answer = await upsertPeopleBatch(client, batch.map((r) => r.payload), batch.length === 1 ? batch[0].index : undefined);
				return pairBatchAnswer(batch.map((r) => r.payload), answer).map(
					({ created, person }, position): WriteOutcome<FlameupPerson> => ({ index: batch[position].index, action: created ? 'created' : 'updated', record: person }),
				);
			},
			(record, error): WriteOutcome<FlameupPerson> => ({ index: record.index, error }),
		)),
	);
	return writeOutputs(this, items, writeResults(this, outcomes, unifiedFromFlameup), 'Flameup');
};
