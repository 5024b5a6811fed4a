import type { INodeProperties } from 'n8n-workflow';

import { showFor, simplifyField, upsertNotice } from '../../../shared/descriptions/common';
import { fieldsMapper, jsonToMap } from '../../../shared/helpers/mapper';
import { stopBeforeWriting, writeOutputs, writeResults } from '../../../shared/helpers/output';
import { readBatchSize, readItemPayloads } from '../../../shared/helpers/parameters';
import type { Operation } from '../../../shared/helpers/router';
import { addSummaryHint, readSyncOptions } from '../../../shared/helpers/sync';
import { FLASHDUTY_MAX_INVITE } from '../../api';
import { loadMemberDirectory, MemberDirectory } from '../../directory';
import { toMemberInput, unifiedFromFlashduty } from '../../mapping';
import { outcomeErrors, planUpsert, readLastRun, rememberLastRun, sendInvites, sendUpdates, upsertOptionFields, wouldWrite, type Outcome, type UpsertPlan } from '../../upsertPlan';

export const description: INodeProperties[] = [
	upsertNotice('member', ['batchUpsert'], 'Each item is one member, matched by external ID (ref_id), else email; the others are invited. Map Automatically takes unified fields and Flashduty\'s own names from each item.'),
	fieldsMapper('member', ['batchUpsert']),
	simplifyField('member', ['batchUpsert']),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showFor('member', ['batchUpsert']),
		options: upsertOptionFields,
	},
];

/**
 * Batch Upsert, composed (Flashduty has no upsert):
 * 1. Read the items; with Compare With = Last Run, those whose fields match the fingerprints of
 *    what this node last wrote (n8n's deduplication store, no request) are "unchanged".
 * 2. Match the others to members (ID, else externalId/ref_id, else email) in the member directory
 *    (the member list, read as far as needed).
 * 3. Decide per item before writing: skipped by Write Mode, unchanged (Compare With = Target: the
 *    member already holds every value), update, invite, or an input error.
 * 4. Update the existing members one by one, invite the new ones in batches of at most 20 (or, in
 *    a dry run, output what would be written).
 * 5. Keep the fingerprints of what is now written; one output per item, and a summary.
 */
export const execute: Operation = async function (items, client) {
	const batchSize = readBatchSize(this, items, FLASHDUTY_MAX_INVITE);
	const fromApi = items.length > 0 && (this.getNodeParameter('options.fromApi', 0, false) as boolean);
	const sync = readSyncOptions(this, items, 'target');
	const { records, errors } = readItemPayloads(items, (json, i) => toMemberInput(this.getNode(), jsonToMap(this, json, i), i));
	const outcomes: Outcome[] = [...errors].map(([index, error]) => ({ index, error }));

	// 1. What this node last wrote.
	const lastRun = await readLastRun(this, records, sync);

	// Looking the fingerprints up recorded them: whatever happens next, the store ends holding only what was written or found unchanged.
	try {
		// 2–3. The members the items name, and the plan.
		const toMatch = records.filter((r) => !lastRun.unchanged.has(r));
		let plan: UpsertPlan;
		try {
			const directory = toMatch.length > 0 ? await loadMemberDirectory(client, toMatch.map((r) => r.payload)) : new MemberDirectory();
			plan = planUpsert(this, records, directory, sync, lastRun);
		} catch (error) {
			plan = { outcomes: records.map((r) => ({ index: r.index, error: error as Error })), updates: [], invites: [] };
		}
		outcomes.push(...plan.outcomes);
		stopBeforeWriting(this, outcomeErrors(outcomes));

		// 4. The writes.
		if (sync.dryRun) {
			outcomes.push(...wouldWrite(plan));
		} else {
			outcomes.push(...(await sendUpdates(this, client, plan.updates)));
			outcomes.push(...(await sendInvites(this, client, plan.invites, batchSize, fromApi, sync.skipUnchanged)));
		}
	} finally {
		await rememberLastRun(this, lastRun, records, outcomes, sync.dryRun);
	}

	// 5. The outputs and the summary.
	const outputs = writeOutputs(this, items, writeResults(this, outcomes, unifiedFromFlashduty, sync.dryRun), 'Flashduty');
	addSummaryHint(this, outputs, items.length, ['member', 'members'], client.requestsSent, sync.dryRun);
	return outputs;
};
