import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { batchSizeOption, showFor, simplifyField, upsertNotice } from '../../../shared/descriptions/common';
import { sendInBatches, writeSettled, type Attempt } from '../../../shared/engine/batch';
import { inputError } from '../../../shared/engine/errors';
import { clip } from '../../../shared/engine/values';
import { mayBeStoredError, notStoredError, stopBeforeWriting, unmatchedAnswerError, writeOutputs, writeResults, type WriteOutcome } from '../../../shared/helpers/output';
import { readBatchSize, readItemPayloads, type ItemPayload } from '../../../shared/helpers/parameters';
import type { Operation } from '../../../shared/helpers/router';
import { PERSCOM_MAX_BATCH } from '../../api';
import { toPerscomPayload, unifiedFromPerscom, type PerscomUser, type PerscomUserPayload } from '../../mapping';
import { createUsers, findUsersByEmail, updateUsers } from '../../users';

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

type UserRecord = ItemPayload<PerscomUserPayload>;
type Outcome = WriteOutcome<PerscomUser>;
/** An item matched to the user that has its email. */
type MatchedRecord = UserRecord & { user: PerscomUser };

/**
 * Splits the records into passes in which no email appears twice: the second item with an email
 * must see what the first one wrote (created, then updated), and PATCH /users/batch is keyed by ID.
 */
function passesWithDistinctEmails(records: UserRecord[]): UserRecord[][] {
	const passes: UserRecord[][] = [];
	const seen = new Map<string, number>();
	for (const record of records) {
		const n = seen.get(record.payload.email) ?? 0;
		seen.set(record.payload.email, n + 1);
		(passes[n] ??= []).push(record);
	}
	return passes;
}

/**
 * The PATCH body of one existing user: everything but the email. The email matched it, and the
 * server's unique-email rule does not ignore the user's own row, so sending it unchanged would fail
 * validation (docs/vendors/perscom.md#quirks).
 */
function changesToSend(payload: PerscomUserPayload): IDataObject {
	const body: IDataObject = { ...payload };
	delete body.email;
	return body;
}

/** "1 user (ID 7)" or "100 users", for messages. */
function describeBatch<R>(batch: R[], describeOne: (record: R) => string): string {
	return `${batch.length} ${batch.length === 1 ? describeOne(batch[0]) : 'users'}`;
}

/**
 * Batch Upsert, composed from PERSCOM's native batches: match every item to a user by email
 * (`email in [...]` searches), update the matched ones with PATCH /users/batch and create the
 * others with POST /users/batch. Each batch is one transaction on the server (all or nothing), so a
 * batch rejected for one record's data is bisected until that record stands alone: the valid
 * records land, the bad one gets the server's field messages. One output per input item.
 */
export const execute: Operation = async function (items, client) {
	const batchSize = readBatchSize(this, items, PERSCOM_MAX_BATCH);
	const { records, errors } = readItemPayloads(items, (json, i) => toPerscomPayload(this.getNode(), json, i));
	const outcomes: Outcome[] = [...errors].map(([index, error]) => ({ index, error }));
	stopBeforeWriting(this, errors);

	let usersByEmail = new Map<string, PerscomUser>();
	try {
		if (records.length > 0) usersByEmail = await findUsersByEmail(client, records.map((r) => r.payload.email));
	} catch (error) {
		outcomes.push(...records.map((r) => ({ index: r.index, error: error as Error })));
		return writeOutputs(this, items, writeResults(this, outcomes, unifiedFromPerscom), 'PERSCOM');
	}

	for (const pass of passesWithDistinctEmails(records)) {
		const toUpdate: MatchedRecord[] = [];
		const toCreate: UserRecord[] = [];
		for (const record of pass) {
			const user = usersByEmail.get(record.payload.email);
			if (user && Object.keys(changesToSend(record.payload)).length === 0) outcomes.push({ index: record.index, action: 'updated', record: user });
			else if (user) toUpdate.push({ ...record, user });
			else if (record.payload.name) toCreate.push(record);
			else {
				const error = inputError(
					this.getNode(),
					`No PERSCOM user has the email "${clip(record.payload.email)}", and a new user needs a name`,
					record.index,
					'Give the item a "name" (or "firstName" / "lastName") so the user can be created.',
				);
				outcomes.push({ index: record.index, error });
			}
		}
		stopBeforeWriting(this, outcomes.flatMap((o): Array<[number, Error]> => ('error' in o ? [[o.index, o.error]] : [])));

		const updated = await sendInBatches<MatchedRecord, Outcome>(
			toUpdate,
			batchSize,
			async (batch) => {
				const changes: Record<string, IDataObject> = {};
				for (const record of batch) changes[String(record.user.id)] = changesToSend(record.payload);
				const itemIndex = batch.length === 1 ? batch[0].index : undefined;
				const users = await updateUsers(client, changes, itemIndex, describeBatch(batch, (r) => `user (ID ${r.user.id})`));
				return batch.map((record): Outcome => {
					const user = users.find((u) => String(u.id) === String(record.user.id));
					if (user) return { index: record.index, action: 'updated', record: user };
					// Orion skips IDs it no longer finds: the user was deleted since the look-up.
					const error = inputError(
						this.getNode(),
						`PERSCOM did not update the user ${record.user.id} (${clip(record.payload.email)}): it no longer exists`,
						record.index,
						'The user was deleted while the node ran. Run the node again to create it anew.',
					);
					return { index: record.index, error };
				});
			},
			(record, error) => ({ index: record.index, error }),
		);

		// A create may land although its answer is lost: such users are searched by email, and only
		// those not found are sent again (docs/ARCHITECTURE.md, "How a write flows").
		const attempts = await writeSettled<UserRecord, PerscomUser>(toCreate, {
			write: async (pending) =>
				await sendInBatches<UserRecord, Attempt<UserRecord, PerscomUser>>(
					pending,
					batchSize,
					async (batch) => {
						const itemIndex = batch.length === 1 ? batch[0].index : undefined;
						const users = await createUsers(client, batch.map((r) => r.payload), itemIndex, describeBatch(batch, (r) => `user (${r.payload.email})`));
						return batch.map((record) => {
							const user = users.find((u) => typeof u.email === 'string' && u.email.toLowerCase() === record.payload.email);
							return user ? { record, done: user } : { record, error: unmatchedAnswerError(this.getNode(), 'PERSCOM', `the user "${clip(record.payload.email)}"`, record.index) };
						});
					},
					(record, error) => ({ record, error }),
				),
			reread: async (pending) => {
				const found = await findUsersByEmail(client, pending.map((r) => r.payload.email));
				return new Map(pending.flatMap((r): Array<[UserRecord, PerscomUser]> => (found.has(r.payload.email) ? [[r, found.get(r.payload.email) as PerscomUser]] : [])));
			},
			unsettled: (r, error) =>
				mayBeStoredError(this.getNode(), error, r.index, `The user "${clip(r.payload.email)}"`, 'Look the email up with Get (or in the PERSCOM dashboard)'),
			notStored: (r, error) => notStoredError(this.getNode(), error, r.index, `The user "${clip(r.payload.email)}" was not created`),
		});
		const created = attempts.map((a): Outcome => ('done' in a ? { index: a.record.index, action: 'created', record: a.done } : { index: a.record.index, error: a.error }));
		// A later pass with the same email updates the user this pass created.
		for (const outcome of created) if ('record' in outcome) usersByEmail.set(outcome.record.email?.toLowerCase() ?? '', outcome.record);
		outcomes.push(...updated, ...created);
	}

	return writeOutputs(this, items, writeResults(this, outcomes, unifiedFromPerscom), 'PERSCOM');
};
