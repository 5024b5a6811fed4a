import type { INode } from 'n8n-workflow';

import { sendInBatches, unique, writeSettled, type Attempt } from '../shared/engine/batch';
import { errorContext, inputError, isValidationError } from '../shared/engine/errors';
import { firstFailure } from '../shared/engine/keyedRead';
import type { VendorClient } from '../shared/engine/request';
import { mayBeStoredError, notStoredError } from '../shared/helpers/output';
import { PERSCOM_MAX_BATCH } from './api';
import type { PerscomUser } from './mapping';
import { deleteUser, deleteUsers, readUsersByKeys, updateUsers } from './users';

/** Removing users: Delete's and Mirror's deletes (settled when an answer is lost), Mirror's unapprovals. */

/** A user to delete, and the input item its result belongs to. */
export interface UserToDelete {
	id: number;
	index: number;
}

/** A delete batch is split on data errors and on 404 (a server may refuse a batch naming a missing ID). */
function splitDelete(error: unknown): boolean {
	return isValidationError(error) || errorContext(error).status === 404;
}

/**
 * Deletes the users: one is DELETE /users/{id}; many are DELETE /users/batch, 100 per request (one
 * transaction each). IDs missing from the answer were not deleted (Orion deletes only what it
 * finds) and get a not-found error; a failed batch is bisected down to single deletes, so one bad
 * ID never costs the others. A delete whose answer is lost may have landed: the user is read back
 * by ID, and "gone" is deleted.
 */
export async function deleteUsersSettled<R extends UserToDelete>(node: INode, client: VendorClient, records: R[]): Promise<Array<Attempt<R, true>>> {
	const notFound = (record: R) => inputError(node, `No PERSCOM user has the ID ${record.id}; nothing was deleted`, record.index, 'Check the user ID. The user may have been deleted already.');
	return await writeSettled<R, true>(records, {
		write: async (pending) =>
			await sendInBatches<R, Attempt<R, true>>(
				pending,
				PERSCOM_MAX_BATCH,
				async (batch) => {
					if (batch.length === 1) {
						await deleteUser(client, batch[0].id, batch[0].index);
						return [{ record: batch[0], done: true }];
					}
					const users = await deleteUsers(client, unique(batch.map((r) => r.id)));
					return batch.map((record) => (users.some((u) => String(u.id) === String(record.id)) ? { record, done: true } : { record, error: notFound(record) }));
				},
				(record, error) => ({ record, error }),
				{ concurrency: client.maxInFlight, splitWhen: splitDelete },
			),
		reread: async (pending) => {
			const read = await readUsersByKeys(client, unique(pending.map((r) => String(r.id))));
			// A user the re-read could not see is not taken for deleted: the record stays unsettled.
			const failure = firstFailure(read);
			if (failure) throw failure;
			return new Map(pending.filter((r) => !read.found.has(String(r.id))).map((r): [R, true] => [r, true]));
		},
		unsettled: (r, error) => mayBeStoredError(node, error, r.index, `The deletion of user ${r.id}`, 'Look the user up with Get (by ID)'),
		notStored: (r, error) => notStoredError(node, error, r.index, `The user ${r.id} was not deleted`),
	});
}

/**
 * Unapproves the users: PATCH /users/batch `{id: {approved: false}}`, `batchSize` a request (an
 * update, so a lost answer is sent again by the engine). A user the answer leaves out no longer
 * exists (Orion skips IDs it no longer finds). `index` is the item the results belong to.
 */
export async function unapproveUsers(node: INode, client: VendorClient, users: PerscomUser[], batchSize: number, index: number): Promise<Array<Attempt<PerscomUser, PerscomUser>>> {
	return await sendInBatches<PerscomUser, Attempt<PerscomUser, PerscomUser>>(
		users,
		batchSize,
		async (batch) => {
			const body = Object.fromEntries(batch.map((u) => [String(u.id), { approved: false }]));
			const answered = await updateUsers(client, body, undefined, `unapprove ${batch.length} ${batch.length === 1 ? `user (ID ${batch[0].id})` : 'users'}`);
			return batch.map((record) => {
				const done = answered.find((u) => String(u.id) === String(record.id));
				return done ? { record, done } : { record, error: inputError(node, `PERSCOM did not unapprove the user ${record.id}: it no longer exists`, index, 'The user was deleted while the node ran; nothing is left to unapprove.') };
			});
		},
		(record, error) => ({ record, error }),
		{ concurrency: client.maxInFlight },
	);
}
