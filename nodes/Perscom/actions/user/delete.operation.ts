import type { INodeProperties } from 'n8n-workflow';

import { idField } from '../../../shared/descriptions/common';
import { sendInBatches, unique } from '../../../shared/engine/batch';
import { errorContext, inputError, isValidationError } from '../../../shared/engine/errors';
import { readKey } from '../../../shared/helpers/keys';
import { writeOutputs, type ItemResult } from '../../../shared/helpers/output';
import type { Operation } from '../../../shared/helpers/router';
import { PERSCOM_MAX_BATCH } from '../../api';
import { integerId } from '../../mapping';
import { deleteUser, deleteUsers } from '../../users';

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
				throw inputError(this.getNode(), `"${key}" is not a PERSCOM user ID`, i, 'PERSCOM user IDs are whole numbers (e.g. 42). To delete by email, read the user first with Get.');
			}
			records.push({ index: i, id });
		} catch (error) {
			results.set(i, { error: error as Error });
		}
	}

	const notFound = (record: DeleteRecord) =>
		inputError(this.getNode(), `No PERSCOM user has the ID ${record.id}; nothing was deleted`, record.index, 'Check the user ID. The user may have been deleted already.');
	const outcomes = await sendInBatches<DeleteRecord, [number, ItemResult]>(
		records,
		PERSCOM_MAX_BATCH,
		async (batch) => {
			if (batch.length === 1) {
				await deleteUser(client, batch[0].id, batch[0].index);
				return [[batch[0].index, { json: { deleted: true, id: String(batch[0].id) } }]];
			}
			const deleted = await deleteUsers(client, unique(batch.map((r) => r.id)));
			return batch.map((record): [number, ItemResult] => [
				record.index,
				!deleted || deleted.some((u) => String(u.id) === String(record.id))
					? { json: { deleted: true, id: String(record.id) } }
					: { error: notFound(record), json: { id: String(record.id) } },
			]);
		},
		(record, error) => [record.index, { error, json: { id: String(record.id) } }],
		splitDelete,
	);
	for (const [index, result] of outcomes) results.set(index, result);
	return writeOutputs(this, items, results, 'PERSCOM');
};
