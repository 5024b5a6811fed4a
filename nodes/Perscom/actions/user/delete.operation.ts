import type { INodeProperties } from 'n8n-workflow';

import { keyLocatorFields } from '../../../shared/descriptions/common';
import { inputError } from '../../../shared/engine/errors';
import { clip } from '../../../shared/engine/values';
import { readKey } from '../../../shared/helpers/keys';
import { stopBeforeWriting, writeOutputs, type ItemResult } from '../../../shared/helpers/output';
import type { Operation } from '../../../shared/helpers/router';
import { USER_ID_MODE } from '../../api';
import { USER_SEARCH } from '../../listSearch';
import { integerId } from '../../mapping';
import { deleteUsersSettled, type UserToDelete } from '../../removeUsers';

export const description: INodeProperties[] = [
	// No By Email: PERSCOM deletes by ID only (docs/vendors/perscom.md#endpoints-used).
	...keyLocatorFields('user', ['delete'], 'User ID', 'The PERSCOM ID of the user to delete: a whole number, e.g. 42 (not an email). Many input items are deleted 100 per request.', {
		searchListMethod: USER_SEARCH,
		byId: USER_ID_MODE,
		byEmail: false,
	}),
];

/**
 * Delete: one output `{deleted: true, id}` per input item. One item is DELETE /users/{id}; many are
 * DELETE /users/batch, 100 per request (one transaction each). IDs missing from the answer were not
 * deleted (Orion deletes only what it finds) and get a not-found error; a failed batch is bisected
 * down to single deletes, so one bad ID never costs the others; a lost answer is settled by
 * reading the IDs back (removeUsers.ts).
 */
export const execute: Operation = async function (items, client) {
	const results = new Map<number, ItemResult>();
	const records: UserToDelete[] = [];
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

	for (const a of await deleteUsersSettled(this.getNode(), client, records)) {
		results.set(a.record.index, 'done' in a ? { json: { deleted: true, id: String(a.record.id) } } : { error: a.error, json: { id: String(a.record.id) } });
	}
	return writeOutputs(this, items, results, 'PERSCOM');
};
