import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';

import { sendInBatches, writeSettled, type Attempt } from '../shared/engine/batch';
import { inputError } from '../shared/engine/errors';
import type { VendorClient } from '../shared/engine/request';
import { clip } from '../shared/engine/values';
import { mayBeStoredError, notStoredError, stopBeforeWriting, unmatchedAnswerError, type WriteOutcome } from '../shared/helpers/output';
import type { ItemPayload } from '../shared/helpers/parameters';
import { changedFields, changesSinceLastRun, fingerprints, rememberWritten, sameValue, skippedByMode, type Changes, type SyncOptions } from '../shared/helpers/sync';
import { perscomFields, PERSCOM_UNIFIED_NAMES, storedPerscomFields, userFromPayload, type PerscomUser, type PerscomUserPayload } from './mapping';
import { createUsers, findUsersByEmail, updateUsers } from './users';

/**
 * The upsert part of Batch Upsert and Mirror (docs/ARCHITECTURE.md, "Sync modes"): what each item
 * needs (skipped, unchanged, update of some fields, create, input error) and the writes, pass by pass.
 */

export type UserRecord = ItemPayload<PerscomUserPayload>;
export type Outcome = WriteOutcome<PerscomUser>;

/** An item matched to the user that has its email, with the fields to send and what they change. */
interface Update extends UserRecord {
	user: PerscomUser;
	body: IDataObject;
	changes: Changes;
}

/** What one pass needs: outcomes known without a write, the updates and the creates to send. */
interface PassPlan {
	decided: Outcome[];
	toUpdate: Update[];
	toCreate: UserRecord[];
}

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

/** The fields of a record under their unified names where one exists (last-run fingerprints). */
function unifiedFields(fields: IDataObject): IDataObject {
	return Object.fromEntries(Object.entries(fields).map(([field, value]) => [PERSCOM_UNIFIED_NAMES[field] ?? field, value]));
}

/** The fingerprints a record's write leaves (key = email), in the deduplication store's terms. */
function recordFingerprints(record: UserRecord): string[] {
	return fingerprints(record.payload.email, unifiedFields(perscomFields(record.payload)));
}

/** The fingerprints to look up when Compare With is Last Run (none otherwise). */
export function fingerprintsToCheck(records: UserRecord[], sync: SyncOptions): string[] {
	return sync.skipUnchanged && sync.compareWith === 'lastRun' ? records.flatMap(recordFingerprints) : [];
}

/** The fingerprints to keep after the run: those of the items written or found unchanged (Last Run only). */
export function fingerprintsToKeep(records: UserRecord[], outcomes: Outcome[], sync: SyncOptions): Set<string> {
	if (fingerprintsToCheck(records, sync).length === 0) return new Set();
	const held = new Set(outcomes.flatMap((o) => ('action' in o && o.action !== 'skipped' ? [o.index] : [])));
	return new Set(records.filter((r) => held.has(r.index)).flatMap(recordFingerprints));
}

/**
 * The fields of an existing user's PATCH to send: those the comparison finds changed (all of
 * them with Skip Unchanged off), never the email. The email matched the user, and the server's
 * unique-email rule does not ignore the user's own row, so sending it would fail validation
 * (docs/vendors/perscom.md#quirks).
 */
function fieldsToSend(record: UserRecord, user: PerscomUser, sync: SyncOptions, known: Set<string>): string[] {
	const fields = perscomFields(record.payload);
	const sendable = Object.keys(fields).filter((f) => f !== 'email' && fields[f] !== undefined);
	if (!sync.skipUnchanged) return sendable;
	if (sync.compareWith === 'lastRun') {
		const since = changesSinceLastRun(record.payload.email, unifiedFields(fields), known);
		// Never written by this node (or forgotten): everything is sent, as the last run knows nothing of it.
		return since === undefined ? sendable : sendable.filter((f) => (PERSCOM_UNIFIED_NAMES[f] ?? f) in since);
	}
	const stored = storedPerscomFields(user);
	return sendable.filter((f) => !sameValue(stored[f], fields[f]));
}

function pick(fields: IDataObject, names: string[]): IDataObject {
	return Object.fromEntries(names.map((name) => [name, fields[name]]));
}

/** What each item of one pass needs, before anything of the pass is written. */
function planPass(node: INode, pass: UserRecord[], usersByEmail: Map<string, PerscomUser>, sync: SyncOptions, known: Set<string>): PassPlan {
	const plan: PassPlan = { decided: [], toUpdate: [], toCreate: [] };
	for (const record of pass) {
		const { email } = record.payload;
		const user = usersByEmail.get(email);
		const reason = skippedByMode(sync.writeMode, user !== undefined, `The user "${clip(email)}"`);
		if (reason) {
			plan.decided.push({ index: record.index, action: 'skipped', reason, record: user ?? userFromPayload(record.payload) });
			continue;
		}
		if (!user) {
			if (record.payload.name) plan.toCreate.push(record);
			else {
				const error = inputError(node, `No PERSCOM user has the email "${clip(email)}", and a new user needs a name`, record.index, 'Give the item a "name" (or "firstName" / "lastName") so the user can be created.');
				plan.decided.push({ index: record.index, error });
			}
			continue;
		}
		const send = fieldsToSend(record, user, sync, known);
		const changes = changedFields(storedPerscomFields(user), pick(perscomFields(record.payload), send), PERSCOM_UNIFIED_NAMES);
		if (send.length === 0) {
			// Nothing to send: unchanged, or (Skip Unchanged off) an item that holds only the email.
			plan.decided.push(sync.skipUnchanged ? { index: record.index, action: 'unchanged', record: user } : { index: record.index, action: 'updated', record: user, changes });
			continue;
		}
		plan.toUpdate.push({ ...record, user, body: pick(record.payload, send), changes });
	}
	return plan;
}

/** "1 user (ID 7)" or "100 users", for messages. */
function describeBatch<R>(batch: R[], describeOne: (record: R) => string): string {
	return `${batch.length} ${batch.length === 1 ? describeOne(batch[0]) : 'users'}`;
}

/** PATCH /users/batch, only the fields to send of each user; a batch refused for its data is bisected. */
async function sendUpdates(node: INode, client: VendorClient, toUpdate: Update[], batchSize: number): Promise<Outcome[]> {
	return await sendInBatches<Update, Outcome>(
		toUpdate,
		batchSize,
		async (batch) => {
			const changes: Record<string, IDataObject> = {};
			for (const record of batch) changes[String(record.user.id)] = record.body;
			const itemIndex = batch.length === 1 ? batch[0].index : undefined;
			const users = await updateUsers(client, changes, itemIndex, describeBatch(batch, (r) => `user (ID ${r.user.id})`));
			return batch.map((record): Outcome => {
				const user = users.find((u) => String(u.id) === String(record.user.id));
				if (user) return { index: record.index, action: 'updated', record: user, changes: record.changes };
				// Orion skips IDs it no longer finds: the user was deleted since the look-up.
				const error = inputError(
					node,
					`PERSCOM did not update the user ${record.user.id} (${clip(record.payload.email)}): it no longer exists`,
					record.index,
					'The user was deleted while the node ran. Run the node again to create it anew.',
				);
				return { index: record.index, error };
			});
		},
		(record, error) => ({ index: record.index, error }),
		{ concurrency: client.maxInFlight },
	);
}

/**
 * POST /users/batch. A create may land although its answer is lost: such users are searched by
 * email, and only those not found are sent again (docs/ARCHITECTURE.md, "How a write flows").
 */
async function sendCreates(node: INode, client: VendorClient, toCreate: UserRecord[], batchSize: number): Promise<Outcome[]> {
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
						return user ? { record, done: user } : { record, error: unmatchedAnswerError(node, 'PERSCOM', `the user "${clip(record.payload.email)}"`, record.index) };
					});
				},
				(record, error) => ({ record, error }),
				{ concurrency: client.maxInFlight },
			),
		reread: async (pending) => {
			const found = await findUsersByEmail(client, pending.map((r) => r.payload.email));
			return new Map(pending.flatMap((r): Array<[UserRecord, PerscomUser]> => (found.has(r.payload.email) ? [[r, found.get(r.payload.email) as PerscomUser]] : [])));
		},
		unsettled: (r, error) => mayBeStoredError(node, error, r.index, `The user "${clip(r.payload.email)}"`, 'Look the email up with Get (or in the PERSCOM dashboard)'),
		notStored: (r, error) => notStoredError(node, error, r.index, `The user "${clip(r.payload.email)}" was not created`),
	});
	return attempts.map((a): Outcome => ('done' in a ? { index: a.record.index, action: 'created', record: a.done } : { index: a.record.index, error: a.error }));
}

/** What a pass's writes would give, unsent (Dry Run): the users as they would be. */
function wouldWrite(plan: PassPlan): Outcome[] {
	return [
		...plan.toUpdate.map((r): Outcome => ({ index: r.index, action: 'updated', record: userFromPayload(r.payload, r.user), changes: r.changes })),
		...plan.toCreate.map((r): Outcome => ({ index: r.index, action: 'created', record: userFromPayload(r.payload) })),
	];
}

/**
 * Writes the records over the users found by email, in passes with distinct emails (a later pass
 * with the same email sees what the earlier one wrote, or in a dry run would write). Per pass:
 * each item's need is decided (mode, comparison, a new user without a name), every item that
 * cannot be written stops the node before the pass writes (Continue On Fail off), then the
 * updates (PATCH, only the fields to send) and the creates (POST, settled when an answer is
 * lost) are sent, or in a dry run only described. One outcome per record. If the run stops
 * (an item that cannot be written, Continue On Fail off), the last-run store is left as it was found.
 */
export async function upsertUsers(
	ctx: IExecuteFunctions,
	client: VendorClient,
	records: UserRecord[],
	found: Map<string, PerscomUser>,
	options: { sync: SyncOptions; checked: string[]; known: Set<string>; batchSize: number },
): Promise<Outcome[]> {
	const { sync, checked, known, batchSize } = options;
	const usersByEmail = new Map(found);
	const outcomes: Outcome[] = [];
	for (const pass of passesWithDistinctEmails(records)) {
		const plan = planPass(ctx.getNode(), pass, usersByEmail, sync, known);
		outcomes.push(...plan.decided);
		const errors = outcomes.flatMap((o): Array<[number, Error]> => ('error' in o ? [[o.index, o.error]] : []));
		if (errors.length > 0 && !ctx.continueOnFail()) {
			// Looking the fingerprints up recorded them: a run that stops leaves the store as it found it.
			await rememberWritten(ctx, checked, known, known, sync.dryRun);
			stopBeforeWriting(ctx, errors);
		}
		const written = sync.dryRun
			? wouldWrite(plan)
			: [...(await sendUpdates(ctx.getNode(), client, plan.toUpdate, batchSize)), ...(await sendCreates(ctx.getNode(), client, plan.toCreate, batchSize))];
		// A later pass with the same email compares with (and updates) the user as this pass left it.
		for (const outcome of written) if ('record' in outcome && typeof outcome.record.email === 'string') usersByEmail.set(outcome.record.email.toLowerCase(), outcome.record);
		outcomes.push(...written);
	}
	return outcomes;
}
