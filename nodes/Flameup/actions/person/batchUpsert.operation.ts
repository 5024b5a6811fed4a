import type { INodeProperties } from 'n8n-workflow';

import { batchSizeOption, showFor, simplifyField, upsertNotice } from '../../../shared/descriptions/common';
import { sendInBatches, writeSettled, type Attempt } from '../../../shared/engine/batch';
import { clip } from '../../../shared/engine/values';
import { mayBeStoredError, notStoredError, stopBeforeWriting, unmatchedAnswerError, writeOutputs, writeResults, type WriteOutcome } from '../../../shared/helpers/output';
import { readBatchSize, readItemPayloads } from '../../../shared/helpers/parameters';
import type { Operation } from '../../../shared/helpers/router';
import { FLAMEUP_MAX_BATCH } from '../../api';
import { mergeSamePerson, pairBatchAnswer, type MergedPerson } from '../../batchAnswer';
import { toFlameupPayload, unifiedFromFlameup, type FlameupPerson } from '../../mapping';
import { getPerson, upsertPeopleBatch } from '../../people';

export const description: INodeProperties[] = [
	upsertNotice(
		'person',
		'Each input item is one person. Unified fields (externalId, email, firstName, lastName, name, phone, timezone, locale, avatarUrl) and Flameup\'s own names (userId, first_name, traits...) are mapped automatically. People are matched by externalId, else email; items naming the same person are merged into one write.',
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

type Written = { action: 'created' | 'updated'; person: FlameupPerson };

/**
 * Batch Upsert: Flameup upserts natively (POST /people/batch, matched by userId, else email), so
 * each batch of up to 100 people is sent as it is; items naming the same userId are merged into
 * one entry and all get its result. Each answered person is matched to what was sent by userId or
 * email, never by position; a person the answer leaves out is read back (GET /people/{userId}).
 * A batch rejected for its data is bisected until the bad item stands alone. One output per item.
 */
export const execute: Operation = async function (items, client) {
	const batchSize = readBatchSize(this, items, FLAMEUP_MAX_BATCH);
	const { records, errors } = readItemPayloads(items, (json, i) => toFlameupPayload(this.getNode(), json, i));
	stopBeforeWriting(this, errors);
	const outcomes: Array<WriteOutcome<FlameupPerson>> = [...errors].map(([index, error]) => ({ index, error }));

	const attempts = await writeSettled<MergedPerson, Written>(mergeSamePerson(records), {
		write: async (pending) =>
			await sendInBatches<MergedPerson, Attempt<MergedPerson, Written>>(
				pending,
				batchSize,
				async (batch) => {
					const answer = await upsertPeopleBatch(client, batch.map((r) => r.payload), batch.length === 1 ? batch[0].indexes[0] : undefined);
					return pairBatchAnswer(batch.map((r) => r.payload), answer).map((paired, position) => {
						const record = batch[position];
						if (paired) return { record, done: { action: paired.created ? 'created' : 'updated', person: paired.person } };
						return { record, error: unmatchedAnswerError(this.getNode(), 'Flameup', `the person "${clip(record.payload.userId)}"`, record.indexes[0]) };
					});
				},
				(record, error) => ({ record, error }),
			),
		reread: async (pending) => {
			const found = new Map<MergedPerson, Written>();
			for (const record of pending) {
				const person = await getPerson(client, record.payload.userId);
				if (person) found.set(record, { action: person.created_at !== undefined && person.created_at === person.updated_at ? 'created' : 'updated', person });
			}
			return found;
		},
		unsettled: (r, error) => mayBeStoredError(this.getNode(), error, r.indexes[0], `The person "${clip(r.payload.userId)}"`, 'Look the person up with Get'),
		notStored: (r, error) => notStoredError(this.getNode(), error, r.indexes[0], `The person "${clip(r.payload.userId)}" was not written`),
	});
	for (const attempt of attempts) {
		for (const index of attempt.record.indexes) {
			outcomes.push('done' in attempt ? { index, action: attempt.done.action, record: attempt.done.person } : { index, error: attempt.error });
		}
	}
	return writeOutputs(this, items, writeResults(this, outcomes, unifiedFromFlameup), 'Flameup');
};
