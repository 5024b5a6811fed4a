import type { INodeProperties } from 'n8n-workflow';

import { idField } from '../../../shared/descriptions/common';
import { sendInBatches, unique, writeSettled, type Attempt } from '../../../shared/engine/batch';
import { errorContext, inputError, isValidationError } from '../../../shared/engine/errors';
import { clip } from '../../../shared/engine/values';
import { readKey } from '../../../shared/helpers/keys';
import { mayBeStoredError, notStoredError, stopBeforeWriting, writeOutputs, type ItemResult } from '../../../shared/helpers/output';
import { firstFailure } from '../../../shared/engine/keyedRead';
import type { Operation } from '../../../shared/helpers/router';
import { PERSCOM_MAX_BATCH } from '../../api';
import { integerId } from '../../mapping';
import { deleteUser, deleteUsers, readUsersByKeys } from '../../users';

export const description: INodeProperties[] = [
	idField('user', ['delete'], 'User ID', 'The PERSCOM ID of the user to delete (a whole number). Many input items are deleted 100 per request.'),
];

interface DeleteRecord {
	index: number;
	id: number;
}

/** A delete batch is split on data errors and on 404 (a server may refuse a batch naming a missing ID). */
function splitDelete(error: unknown): boolean {
	return isValidationError(error) || errorContext(error).status === 404;
}

/**
 * Delete: one output `{deleted: true, id}` per input item. One item is DELETE /users/{id}; many are
 * DELETE /users/batch, 100 per request (one transaction each). IDs missing from the answer were not
 * deleted (Orion deletes only what it finds) and get a not-found error; a failed batch is bisected
 * down to single deletes, so one bad ID never costs the others.
 */
export const execute: Operation = async function (items, client) {
	const results = new Map<number, ItemResult>();
	const records: DeleteRecord[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const key = readKey(this, 'id', i, 'user ID');
			const id = integerId(key);
			if (typeof id !== 'number') {
				throw inputError(this.getNode(), `"${clip(key)}" is not a PERSCOM user ID`, i, 'PERSCOM user IDs are whole numbers (e.g. 42). To delete by email, read the user first with Get.');
			}
			records.push({ index: i, id });
		} catch (error) {
			results.set(i, { error: error as Error });
		}
	}

	stopBeforeWriting(this, [...results].map(([index, result]): [number, Error] => [index, (result as { error: Error }).error]));

	const notFound = (record: DeleteRecord) =>
		inputError(this.getNode(), `No PERSCOM user has the ID ${record.id}; nothing was deleted`, record.index, 'Check the user ID. The user may have been deleted already.');
	const deleted = (record: DeleteRecord): ItemResult => ({ json: { deleted: true, id: String(record.id) } });
	// A delete whose answer is lost may have landed: the user is read back by ID, and "gone" is deleted.
	const attempts = await writeSettled<DeleteRecord, ItemResult>(records, {
		write: async (pending) =>
			await sendInBatches<DeleteRecord, Attempt<DeleteRecord, ItemResult>>(
				pending,
				PERSCOM_MAX_BATCH,
				async (batch) => {
					if (batch.length === 1) {
						await deleteUser(client, batch[0].id, batch[0].index);
						return [{ record: batch[0], done: deleted(batch[0]) }];
					}
					const users = await deleteUsers(client, unique(batch.map((r) => r.id)));
					return batch.map((record) => (users.some((u) => String(u.id) === String(record.id)) ? { record, done: deleted(record) } : { record, error: notFound(record) }));
				},
				(record, error) => ({ record, error }),
				splitDelete,
			),
		reread: async (pending) => {
			const read = await readUsersByKeys(client, unique(pending.map((r) => String(r.id))));
			// A user the re-read could not see is not taken for deleted: the record stays unsettled.
			const failure = firstFailure(read);
			if (failure) throw failure;
			return new Map(pending.filter((r) => !read.found.has(String(r.id))).map((r): [DeleteRecord, ItemResult] => [r, deleted(r)]));
		},
		unsettled: (r, error) => mayBeStoredError(this.getNode(), error, r.index, `The deletion of user ${r.id}`, 'Look the user up with Get (by ID)'),
		notStored: (r, error) => notStoredError(this.getNode(), error, r.index, `The user ${r.id} was not deleted`),
	});
	for (const a of attempts) results.set(a.record.index, 'done' in a ? a.done : { error: a.error, json: { id: String(a.record.id) } });
	return writeOutputs(this, items, results, 'PERSCOM');
};
