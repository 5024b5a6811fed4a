import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { showFor, simplifyField, upsertNotice } from '../../../shared/descriptions/common';
import { errorItem, shapeRecord, writeOutputs, writeResults } from '../../../shared/helpers/output';
import { fieldsMapper, jsonToMap } from '../../../shared/helpers/mapper';
import { checkMirrorInput, checkRemovalShare, emptyItemOutcomes, holdsNoRecords, mirrorGuardFields, removalOutput } from '../../../shared/helpers/mirror';
import { readBatchSize, readItemPayloads } from '../../../shared/helpers/parameters';
import type { Operation } from '../../../shared/helpers/router';
import { addSummaryHint, readSyncOptions, rememberWritten, writtenLastRun } from '../../../shared/helpers/sync';
import { PERSCOM_MAX_BATCH } from '../../api';
import { toPerscomPayload, unifiedFromPerscom, type PerscomUser } from '../../mapping';
import { deleteUsersSettled, unapproveUsers } from '../../removeUsers';
import { listSearch } from '../../search';
import { fingerprintsToCheck, fingerprintsToKeep, upsertUsers } from '../../upsertPlan';
import { findUsersByEmail, listUsers } from '../../users';
import { upsertOptions } from './batchUpsert.operation';
import { userFilters } from './fields';

type RemoveAction = 'delete' | 'unapprove';

export const description: INodeProperties[] = [
	upsertNotice('user', ['mirror'], 'The input is the complete set of users: each item is written as Batch Upsert writes it, then every managed user (see Filters) whose email is not in the input is removed.'),
	fieldsMapper('user', ['mirror']),
	userFilters(['mirror'], 'Which users the mirror manages: only users matching every filter set may be removed. No filter: every user. Users outside the managed set are never removed.'),
	{
		displayName: 'Remove Action',
		name: 'removeAction',
		type: 'options',
		default: 'delete',
		displayOptions: showFor('user', ['mirror']),
		options: [
			{ name: 'Delete', value: 'delete', description: 'Delete the user (PERSCOM keeps no deleted users: it cannot be restored)' },
			{ name: 'Unapprove', value: 'unapprove', description: 'Set approved to false and keep the user (users already unapproved are left alone)' },
		],
		description: 'What happens to a managed user that is not in the input',
	},
	simplifyField('user', ['mirror']),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showFor('user', ['mirror']),
		options: [...upsertOptions, ...mirrorGuardFields],
	},
];

/**
 * Mirror: makes PERSCOM's managed users what the input says.
 * 1. Guards on the input: empty, or an error item of an earlier node → fail, nothing written. An
 *    item that cannot be read (e.g. no email) also fails the node: its user would look absent.
 * 2. Read the managed users completely (GET /users, or the search with the filters); a list that
 *    kept changing while it was read fails the node (a missing user cannot be told from a removed one).
 * 3. Match the input to users by email (the managed list itself when no filter is set, else the
 *    email search) and plan the removals: managed users whose email is not in the input (for
 *    Unapprove, only those still approved). Over Max Remove Percent → fail, nothing written.
 * 4. Write the input as Batch Upsert does (same options; a Dry Run writes nothing).
 * 5. Remove: DELETE /users/batch (settled by reading back when an answer is lost) or PATCH
 *    /users/batch with approved: false.
 * 6. The store keeps what is now written; one output per input item, then one per removed user
 *    (paired with item 0), and a summary.
 */
export const execute: Operation = async function (items, client) {
	checkMirrorInput(this, items, 'users');
	const batchSize = readBatchSize(this, items, PERSCOM_MAX_BATCH);
	const sync = readSyncOptions(this, items, 'target');
	const removeAction = this.getNodeParameter('removeAction', 0, 'delete') as RemoveAction;
	const simplify = this.getNodeParameter('simplify', 0, true) as boolean;
	// Allow Empty Input: items without fields carry no user (checkMirrorInput let them through only when all are empty).
	const noUsers = holdsNoRecords(items);
	const { records, errors } = noUsers ? { records: [], errors: new Map<number, Error>() } : readItemPayloads(items, (json, i) => toPerscomPayload(this.getNode(), jsonToMap(this, json, i), i));
	const unreadable = [...errors].sort((a, b) => a[0] - b[0])[0];
	if (unreadable) {
		const [index, error] = unreadable;
		throw new NodeOperationError(this.getNode(), `${error.message.replace(/ \[item \d+\]$/, '')}: the mirror wrote and removed nothing [item ${index}]`, {
			itemIndex: index,
			description: 'A mirror removes every managed user whose email is not in its input, so an item it cannot read could remove its user. Fix the item (or filter it out before this node) and run again.',
		});
	}

	// 2. The managed users, completely.
	const filters = this.getNodeParameter('filters', 0, {}) as IDataObject;
	const search = listSearch(filters, {});
	const managed = await listUsers(client, { search, action: search ? 'search the managed users' : 'list the managed users' });
	if (managed.mayBeMissing > 0) {
		throw new NodeOperationError(this.getNode(), `The list of managed users kept changing while it was read (up to ${managed.mayBeMissing} may be missing): the mirror wrote and removed nothing`, {
			description: 'Users were added or removed in PERSCOM while the node read them, so the node cannot tell which users are really absent. Run the mirror again when PERSCOM is quiet.',
		});
	}

	// 3. The plan, before any write.
	const emails = new Set(records.map((r) => r.payload.email));
	const byEmail = (users: PerscomUser[]) => new Map(users.filter((u) => typeof u.email === 'string').map((u) => [(u.email as string).toLowerCase(), u] as const));
	const usersByEmail = search ? await findUsersByEmail(client, [...emails]) : byEmail(managed.users);
	const absent = managed.users.filter((u) => !emails.has(String(u.email ?? '').toLowerCase()));
	const toRemove = removeAction === 'unapprove' ? absent.filter((u) => u.approved !== false) : absent;
	checkRemovalShare(this, toRemove.length, managed.users.length, 'users');
	const checked = fingerprintsToCheck(records, sync);
	const known = await writtenLastRun(this, checked);

	// 4. The input, written as Batch Upsert writes it.
	const outcomes = await upsertUsers(this, client, records, usersByEmail, { sync, checked, known, batchSize });
	if (noUsers) outcomes.push(...emptyItemOutcomes<PerscomUser>(items, 'user'));

	// 5. The removals.
	const action = removeAction === 'delete' ? 'deleted' : 'unapproved';
	const removed = (user: PerscomUser): INodeExecutionData => {
		const json: IDataObject = { ...shapeRecord(user, simplify, unifiedFromPerscom), action };
		if (sync.dryRun) json.dryRun = true;
		return removalOutput(json);
	};
	const removals: INodeExecutionData[] = [];
	let removalError: Error | undefined;
	if (sync.dryRun) removals.push(...toRemove.map(removed));
	else {
		const attempts =
			removeAction === 'delete'
				? (await deleteUsersSettled(this.getNode(), client, toRemove.map((user) => ({ id: user.id, index: 0, user })))).map((a) => ({ user: a.record.user, error: 'error' in a ? a.error : undefined }))
				: (await unapproveUsers(this.getNode(), client, toRemove, batchSize, 0)).map((a) => ({ user: a.record, error: 'error' in a ? a.error : undefined }));
		for (const { user, error } of attempts) {
			if (!error) removals.push(removed(user));
			else {
				removalError ??= error;
				removals.push(errorItem(error, 0, { id: String(user.id), email: user.email ?? null, action }));
			}
		}
	}

	// 6. What is now written, the outputs, the summary.
	await rememberWritten(this, checked, fingerprintsToKeep(records, outcomes, sync), known, sync.dryRun);
	const outputs = [...writeOutputs(this, items, writeResults(this, outcomes, unifiedFromPerscom, sync.dryRun), 'PERSCOM'), ...removals];
	if (removalError && !this.continueOnFail()) throw removalError;
	addSummaryHint(this, outputs, items.length, ['user', 'users'], client.requestsSent, sync.dryRun);
	return outputs;
};
