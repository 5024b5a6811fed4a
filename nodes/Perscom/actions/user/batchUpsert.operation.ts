import type { INodeProperties } from 'n8n-workflow';

import { batchSizeOption, showFor, simplifyField, upsertNotice } from '../../../shared/descriptions/common';
import { fieldsMapper, jsonToMap } from '../../../shared/helpers/mapper';
import { stopBeforeWriting, writeOutputs, writeResults } from '../../../shared/helpers/output';
import { readBatchSize, readItemPayloads } from '../../../shared/helpers/parameters';
import type { Operation } from '../../../shared/helpers/router';
import { addSummaryHint, readSyncOptions, rememberWritten, syncOptionFields, writtenLastRun } from '../../../shared/helpers/sync';
import { PERSCOM_MAX_BATCH } from '../../api';
import { toPerscomPayload, unifiedFromPerscom, type PerscomUser } from '../../mapping';
import { fingerprintsToCheck, fingerprintsToKeep, upsertUsers, type Outcome } from '../../upsertPlan';
import { findUsersByEmail } from '../../users';

/** Options > Batch Size and the sync options, shared with Mirror. */
export const upsertOptions: INodeProperties[] = [
	batchSizeOption(PERSCOM_MAX_BATCH, 'Each batch is all or nothing on the server; a batch rejected for one user\'s data is split so the others still land.'),
	...syncOptionFields('target', 'The node reads the users by email anyway to match them, so comparing with them costs no extra request.'),
];

export const description: INodeProperties[] = [
	upsertNotice('user', ['batchUpsert'], 'Each item is one user, matched by email; new users need a name. Map Automatically takes unified fields and PERSCOM\'s own names from each item.'),
	fieldsMapper('user', ['batchUpsert']),
	simplifyField('user', ['batchUpsert']),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showFor('user', ['batchUpsert']),
		options: upsertOptions,
	},
];

/**
 * Batch Upsert, composed from PERSCOM's native batches:
 * 1. Read the items; with Compare With = Last Run, look up what this node last wrote (n8n's
 *    deduplication store, no request).
 * 2. Match every item to a user by email (`email in [...]` searches, 100 emails each). Automatic
 *    compares with these users (no extra request).
 * 3. Per item: skipped (Write Mode), unchanged (not sent), update of the changed fields only
 *    (PATCH /users/batch), create (POST /users/batch), or an input error (a new user without a
 *    name), in passes with distinct emails. Each batch is one transaction on the server, so a
 *    batch rejected for one record's data is bisected until that record stands alone. A Dry Run
 *    sends nothing and outputs the action each item would get.
 * 4. The store keeps what is now written; one output per input item, and a summary.
 */
export const execute: Operation = async function (items, client) {
	const batchSize = readBatchSize(this, items, PERSCOM_MAX_BATCH);
	const sync = readSyncOptions(this, items, 'target');
	const { records, errors } = readItemPayloads(items, (json, i) => toPerscomPayload(this.getNode(), jsonToMap(this, json, i), i));
	stopBeforeWriting(this, errors);
	const outcomes: Outcome[] = [...errors].map(([index, error]) => ({ index, error }));
	const checked = fingerprintsToCheck(records, sync);
	const known = await writtenLastRun(this, checked);

	let lookUpFailure: Error | undefined;
	let usersByEmail = new Map<string, PerscomUser>();
	try {
		if (records.length > 0) usersByEmail = await findUsersByEmail(client, records.map((r) => r.payload.email));
	} catch (error) {
		lookUpFailure = error as Error;
	}
	if (lookUpFailure) outcomes.push(...records.map((r) => ({ index: r.index, error: lookUpFailure as Error })));
	else outcomes.push(...(await upsertUsers(this, client, records, usersByEmail, { sync, checked, known, batchSize })));

	// Nothing was written when the look-up failed: what the store held stays true.
	await rememberWritten(this, checked, lookUpFailure ? known : fingerprintsToKeep(records, outcomes, sync), known, sync.dryRun);
	const outputs = writeOutputs(this, items, writeResults(this, outcomes, unifiedFromPerscom, sync.dryRun), 'PERSCOM');
	addSummaryHint(this, outputs, items.length, ['user', 'users'], client.requestsSent, sync.dryRun);
	return outputs;
};
