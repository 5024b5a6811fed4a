import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { batchSizeOption, showFor, simplifyField, upsertNotice } from '../../../shared/descriptions/common';
import { sendInBatches, unique, writeSettled, type Attempt } from '../../../shared/engine/batch';
import type { KeyedRead } from '../../../shared/engine/keyedRead';
import type { VendorClient } from '../../../shared/engine/request';
import { clip } from '../../../shared/engine/values';
import { fieldsMapper, jsonToMap } from '../../../shared/helpers/mapper';
import { mayBeStoredError, notStoredError, stopBeforeWriting, unmatchedAnswerError, writeOutputs, writeResults, type WriteOutcome } from '../../../shared/helpers/output';
import { readBatchSize, readItemPayloads } from '../../../shared/helpers/parameters';
import type { Operation } from '../../../shared/helpers/router';
import {
	addSummaryHint,
	changedFields,
	changesSinceLastRun,
	changesUnknownFrom,
	fingerprints,
	readSyncOptions,
	rememberWritten,
	skippedByMode,
	syncOptionFields,
	writtenLastRun,
	type Changes,
} from '../../../shared/helpers/sync';
import { FLAMEUP_MAX_BATCH } from '../../api';
import { mergeSamePerson, pairBatchAnswer, type MergedPerson } from '../../batchAnswer';
import { flameupFields, personFromPayload, storedFlameupFields, toFlameupPayload, unifiedFromFlameup, type FlameupPerson } from '../../mapping';
import { getPerson, readPeopleByKeys, upsertPeopleBatch } from '../../people';

export const description: INodeProperties[] = [
	upsertNotice('person', ['batchUpsert'], 'Each item is one person, matched by external ID, else email. Map Automatically takes unified fields and Flameup\'s own names (userId, first_name, traits...) from each item.'),
	fieldsMapper('person', ['batchUpsert']),
	simplifyField('person', ['batchUpsert']),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showFor('person', ['batchUpsert']),
		options: [
			batchSizeOption(FLAMEUP_MAX_BATCH, 'Traits are merged into the existing ones, never replaced.'),
			...syncOptionFields('lastRun', 'Flameup has no batch read: comparing with the target would cost one request per person.'),
		],
	},
];

type Written = { action: 'created' | 'updated'; person: FlameupPerson };

/** One person to write, with what the run knows of it. */
interface Planned {
	record: MergedPerson;
	/** The person as Flameup holds it (when read), undefined when absent or not read. */
	current?: FlameupPerson;
	/** What the update changes; undefined for a create. */
	changes?: Changes;
}

/**
 * The people as Flameup holds them, for those that must be read: by userId, and by email where
 * the userId finds nothing (Flameup's upsert matches by userId, else email). Flameup has no batch
 * read, so this is one request per person.
 */
async function readCurrent(client: VendorClient, people: MergedPerson[]): Promise<KeyedRead<FlameupPerson>> {
	const byUserId = await readPeopleByKeys(client, unique(people.map((p) => p.payload.userId)));
	const emails = unique(people.flatMap((p) => (!byUserId.found.has(p.payload.userId) && !byUserId.failed.has(p.payload.userId) && p.payload.email && p.payload.email !== p.payload.userId ? [p.payload.email] : [])));
	const byEmail = await readPeopleByKeys(client, emails);
	return { found: new Map([...byEmail.found, ...byUserId.found]), failed: new Map([...byEmail.failed, ...byUserId.failed]) };
}

/**
 * Batch Upsert: Flameup upserts natively (POST /people/batch, matched by userId, else email).
 * 1. Items naming the same userId are merged into one entry (all get its result).
 * 2. With Compare With = Last Run (Automatic here: Flameup has no batch read, so reading the target
 *    would cost one request per person), each person's fields are checked against the
 *    fingerprints of what this node last wrote (n8n's deduplication store, no request); those
 *    that match are "unchanged" and not sent.
 * 3. The target is read (one request per person) only where it must be: Compare With = Target,
 *    a Write Mode other than Upsert (does the person exist?), or a Dry Run (created or updated?).
 * 4. The rest is sent in batches of up to 100; each answered person is matched to what was sent by
 *    userId or email, never by position; a person the answer leaves out is read back. A batch
 *    rejected for its data is bisected until the bad item stands alone.
 * 5. The store keeps the fingerprints of what is now written; one output per item, and a summary.
 */
export const execute: Operation = async function (items, client) {
	const batchSize = readBatchSize(this, items, FLAMEUP_MAX_BATCH);
	const sync = readSyncOptions(this, items, 'lastRun');
	const { records, errors } = readItemPayloads(items, (json, i) => toFlameupPayload(this.getNode(), jsonToMap(this, json, i), i));
	stopBeforeWriting(this, errors);
	const outcomes: Array<WriteOutcome<FlameupPerson>> = [...errors].map(([index, error]) => ({ index, error }));
	const people = mergeSamePerson(records);
	const fieldsOf = new Map(people.map((p) => [p, flameupFields(p.payload)]));
	const outcome = (p: MergedPerson, result: Omit<WriteOutcome<FlameupPerson>, 'index'>) => p.indexes.forEach((index) => outcomes.push({ ...result, index } as WriteOutcome<FlameupPerson>));
	const who = (p: MergedPerson) => `The person "${clip(p.payload.userId)}"`;

	// 2. What this node last wrote.
	const lastRun = sync.skipUnchanged && sync.compareWith === 'lastRun';
	const checked = lastRun ? people.flatMap((p) => fingerprints(p.payload.userId, fieldsOf.get(p) as IDataObject)) : [];
	const known = await writtenLastRun(this, checked);
	const sinceLastRun = new Map(people.map((p) => [p, lastRun ? changesSinceLastRun(p.payload.userId, fieldsOf.get(p) as IDataObject, known) : undefined]));
	const unchangedSinceLastRun = (p: MergedPerson) => Object.keys(sinceLastRun.get(p) ?? { new: true }).length === 0;

	const kept = new Set<string>();
	const keep = (p: MergedPerson) => {
		if (lastRun) fingerprints(p.payload.userId, fieldsOf.get(p) as IDataObject).forEach((f) => kept.add(f));
	};
	// Looking the fingerprints up recorded them: whatever happens next, the store ends holding only what was written or found unchanged.
	try {
		// 3. The target, where it must be read.
		const mustRead = sync.compareWith === 'target' || sync.writeMode !== 'upsert' || sync.dryRun;
		const toRead = mustRead ? people.filter((p) => !unchangedSinceLastRun(p)) : [];
		const target = await readCurrent(client, toRead);

		const read = new Set(toRead);
		const toWrite: Planned[] = [];
		for (const p of people) {
			const fields = fieldsOf.get(p) as IDataObject;
			if (unchangedSinceLastRun(p)) {
				outcome(p, { action: 'unchanged', record: personFromPayload(p.payload) });
				keep(p);
				continue;
			}
			if (!read.has(p)) {
				toWrite.push({ record: p, changes: sinceLastRun.get(p) ?? changesUnknownFrom(fields) });
				continue;
			}
			const failure = target.failed.get(p.payload.userId) ?? (p.payload.email ? target.failed.get(p.payload.email) : undefined);
			if (failure) {
				outcome(p, { error: failure });
				continue;
			}
			const current = target.found.get(p.payload.userId) ?? (p.payload.email ? target.found.get(p.payload.email) : undefined);
			const reason = skippedByMode(sync.writeMode, current !== undefined, who(p));
			if (reason) {
				outcome(p, { action: 'skipped', reason, record: current ?? personFromPayload(p.payload) });
				continue;
			}
			const changes = current ? changedFields(storedFlameupFields(current), fields) : undefined;
			if (current && changes && Object.keys(changes).length === 0 && sync.skipUnchanged) {
				outcome(p, { action: 'unchanged', record: current });
				keep(p);
				continue;
			}
			toWrite.push({ record: p, current, changes });
		}

		if (sync.dryRun) {
			for (const { record, current, changes } of toWrite) {
				outcome(record, current ? { action: 'updated', record: personFromPayload(record.payload, current), changes } : { action: 'created', record: personFromPayload(record.payload) });
			}
		} else {
			// 4. The writes.
			const planned = new Map(toWrite.map((w) => [w.record, w]));
			const attempts = await writeSettled<MergedPerson, Written>(toWrite.map((w) => w.record), {
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
						{ concurrency: client.maxInFlight },
					),
				reread: async (pending) => {
					const found = new Map<MergedPerson, Written>();
					for (const record of pending) {
						const person = await getPerson(client, record.payload.userId);
						if (person) found.set(record, { action: person.created_at !== undefined && person.created_at === person.updated_at ? 'created' : 'updated', person });
					}
					return found;
				},
				unsettled: (r, error) => mayBeStoredError(this.getNode(), error, r.indexes[0], who(r), 'Look the person up with Get'),
				notStored: (r, error) => notStoredError(this.getNode(), error, r.indexes[0], `${who(r)} was not written`),
			});
			for (const attempt of attempts) {
				if ('error' in attempt) {
					outcome(attempt.record, { error: attempt.error });
					continue;
				}
				const { action, person } = attempt.done;
				outcome(attempt.record, action === 'updated' ? { action, record: person, changes: planned.get(attempt.record)?.changes ?? changesUnknownFrom(fieldsOf.get(attempt.record) as IDataObject) } : { action, record: person });
				keep(attempt.record);
			}
		}
	} finally {
		// A person the run stopped before deciding keeps what the store held.
		const decided = new Set(outcomes.map((o) => o.index));
		for (const p of people) if (!p.indexes.some((i) => decided.has(i))) fingerprints(p.payload.userId, fieldsOf.get(p) as IDataObject).filter((f) => known.has(f)).forEach((f) => kept.add(f));
		await rememberWritten(this, checked, kept, known, sync.dryRun);
	}

	// 5. The outputs and the summary.
	const outputs = writeOutputs(this, items, writeResults(this, outcomes, unifiedFromFlameup, sync.dryRun), 'Flameup');
	addSummaryHint(this, outputs, items.length, ['person', 'people'], client.requestsSent, sync.dryRun);
	return outputs;
};
