import type { INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { idField } from '../../../shared/descriptions/common';
import { inputError } from '../../../shared/engine/errors';
import { readKey } from '../../../shared/operations/keys';
import { errorForItem, errorItem, outputItem } from '../../../shared/operations/output';
import type { Operation } from '../../../shared/operations/router';
import { PERSCOM_MAX_BATCH } from '../../api';
import { integerId } from '../../mapping';
import { deleteUsers, type DeleteRecord, type DeleteOutcome } from '../../users';

export const description: INodeProperties[] = [
	idField('user', ['delete'], 'User ID', 'The PERSCOM ID of the user to delete (a whole number). Many input items are deleted 100 per request.'),
];

/**
 * Delete: one output `{deleted: true, id}` per input item. One item is DELETE /users/{id}; many
 * are deleted with DELETE /users/batch, 100 per request (see deleteUsers).
 */
export const execute: Operation = async function (items, client) {
	const records: DeleteRecord[] = [];
	const outcomes = new Map<number, DeleteOutcome | Error>();
	for (let i = 0; i < items.length; i++) {
		try {
			const key = readKey(this, 'id', i, 'user ID');
			const id = integerId(key);
			if (typeof id !== 'number') {
				throw inputError(this.getNode(), `"${key}" is not a PERSCOM user ID`, i, 'PERSCOM user IDs are whole numbers (e.g. 42). To delete by email, read the user first with Get.');
			}
			records.push({ index: i, id });
		} catch (error) {
			outcomes.set(i, error as Error);
		}
	}
	if (records.length > 0) {
		for (const outcome of await deleteUsers(client, records, PERSCOM_MAX_BATCH)) outcomes.set(outcome.index, outcome);
	}

	const out: INodeExecutionData[] = [];
	let firstError: Error | undefined;
	for (let i = 0; i < items.length; i++) {
		const outcome = outcomes.get(i);
		if (outcome && !(outcome instanceof Error) && !outcome.error) {
			out.push(outputItem({ deleted: true, id: String(outcome.id) }, i));
			continue;
		}
		const cause = outcome instanceof Error ? outcome : (outcome?.error ?? new Error('PERSCOM returned no result for this item'));
		const error = errorForItem(this, cause, i);
		firstError ??= error;
		out.push(errorItem(error, i, outcome && !(outcome instanceof Error) ? { id: String(outcome.id) } : {}));
	}
	if (firstError && !this.continueOnFail()) throw firstError;
	return out;
};
