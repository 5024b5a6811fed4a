import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { showFor, simplifyField, upsertNotice } from '../../../shared/descriptions/common';
import { inParallel, writeSettled, type Attempt } from '../../../shared/engine/batch';
import type { VendorClient } from '../../../shared/engine/request';
import { errorItem, mayBeStoredError, notStoredError, outcomeJson, stopBeforeWriting, writeOutputs, writeResults } from '../../../shared/helpers/output';
import { fieldsMapper, jsonToMap } from '../../../shared/helpers/mapper';
import { checkMirrorInput, checkRemovalShare, emptyItemOutcomes, holdsNoRecords, mirrorGuardFields, removalOutput } from '../../../shared/helpers/mirror';
import { readBatchSize, readItemPayloads } from '../../../shared/helpers/parameters';
import type { Operation } from '../../../shared/helpers/router';
import { addSummaryHint, readSyncOptions } from '../../../shared/helpers/sync';
import { FLASHDUTY_MAX_INVITE } from '../../api';
import { loadMemberDirectory, memberExists, type MemberDirectory } from '../../directory';
import { memberIdentifier, toMemberInput, unifiedFromFlashduty, type FlashdutyMember } from '../../mapping';
import { deleteMember } from '../../members';
import { outcomeErrors, planUpsert, readLastRun, rememberLastRun, sendInvites, sendUpdates, upsertOptionFields, wouldWrite, type MemberRecord, type Outcome } from '../../upsertPlan';
import { forceOption } from './delete.operation';

export const description: INodeProperties[] = [
	upsertNotice('member', ['mirror'], 'The input is the complete set of members: each item is written as Batch Upsert writes it, then every managed member the input does not name is removed.'),
	fieldsMapper('member', ['mirror']),
	{
		displayName: 'Managed Prefix',
		name: 'managedPrefix',
		type: 'string',
		default: '',
		placeholder: 'e.g. hr-',
		description:
			'Only members whose external ID (ref_id) starts with this are managed: the mirror removes those the input does not name, and never removes any other member. Empty: every member is managed.',
		displayOptions: showFor('member', ['mirror']),
	},
	{
		displayName: 'Remove Action',
		name: 'removeAction',
		type: 'options',
		default: 'delete',
		options: [{ name: 'Delete', value: 'delete', description: 'Delete the member (POST /member/delete); Flashduty has no way to disable one' }],
		description: 'What to do with a managed member the input does not name',
		displayOptions: showFor('member', ['mirror']),
	},
	simplifyField('member', ['mirror']),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showFor('member', ['mirror']),
		options: [...upsertOptionFields, forceOption, ...mirrorGuardFields],
	},
];

/** Whether the mirror manages a member: its ref_id starts with the prefix (every member when empty); deleted members never. */
function isManaged(member: FlashdutyMember, prefix: string): boolean {
	return member.status !== 'deleted' && (member.ref_id ?? '').startsWith(prefix);
}

/** The IDs of the members the input names: by the item's match, and by each of its ID, externalId and email (a member any item names is kept). */
function namedMembers(directory: MemberDirectory, records: MemberRecord[]): Set<string> {
	const named = new Set<string>();
	for (const { payload: input } of records) {
		const members = [directory.match(input), input.id ? directory.byId.get(input.id) : undefined, input.externalId ? directory.byRef.get(input.externalId) : undefined, input.email ? directory.byEmail.get(input.email) : undefined];
		for (const member of members) if (member) named.add(member.member_id);
	}
	return named;
}

/** The error that stops a mirror before anything is written. */
function refusal(ctx: IExecuteFunctions, message: string, description: string, itemIndex?: number): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `${message}: the mirror wrote and removed nothing`, { description, itemIndex });
}

/** Deletes one member by member_id (else email or ref_id); a delete whose answer is lost is read back, and "gone" is deleted. */
async function removeMember(ctx: IExecuteFunctions, client: VendorClient, member: FlashdutyMember, force: boolean): Promise<Attempt<FlashdutyMember, FlashdutyMember>> {
	const identifier = memberIdentifier(member);
	const who = `"${member.member_id}"`;
	if (!identifier) return { record: member, error: new NodeOperationError(ctx.getNode(), `The member ${who} cannot be named exactly in a request`, { description: 'Its ID is too large for JavaScript and it has no email or ref_id. Delete it in the Flashduty console.' }) };
	const [attempt] = await writeSettled<FlashdutyMember, FlashdutyMember>([member], {
		write: async ([m]) => {
			try {
				await deleteMember(client, identifier, force, undefined, who);
				return [{ record: m, done: m }];
			} catch (error) {
				return [{ record: m, error: error as Error }];
			}
		},
		reread: async ([m]) => new Map((await memberExists(client, identifier)) ? [] : [[m, m]]),
		unsettled: (_m, error) => mayBeStoredError(ctx.getNode(), error, 0, `The deletion of member ${who}`, 'Look the member up with Get or in the Flashduty console'),
		notStored: (_m, error) => notStoredError(ctx.getNode(), error, 0, `The member ${who} was not deleted`),
	});
	return attempt;
}

/**
 * Mirror: makes Flashduty's managed members match the input (the complete source set).
 * 1. Guards on the input: not empty (unless allowed), no error item from an earlier node, every
 *    item readable (an unreadable item's member would look absent).
 * 2. What this node last wrote (Compare With = Last Run), and the whole member list: a list the
 *    API cuts at 10,000 members cannot show which are absent, so the mirror refuses.
 * 3. The plan, before any write: the managed members (ref_id starts with Managed Prefix) no item
 *    names are to be removed, at most Max Remove Percent of them; each item is decided as in
 *    Batch Upsert.
 * 4. The upserts (updates one by one, invites in batches), then the deletions (or, in a dry run,
 *    what would be done).
 * 5. One output per input item, then one per removed member (action "deleted"), and a summary.
 */
export const execute: Operation = async function (items, client) {
	// 1. The input.
	checkMirrorInput(this, items, 'members');
	const batchSize = readBatchSize(this, items, FLASHDUTY_MAX_INVITE);
	const fromApi = this.getNodeParameter('options.fromApi', 0, false) as boolean;
	const force = this.getNodeParameter('options.force', 0, false) as boolean;
	const prefix = this.getNodeParameter('managedPrefix', 0, '') as string;
	const sync = readSyncOptions(this, items, 'target');
	// An input of empty items only (allowed by Allow Empty Input) names no member: every managed one goes.
	const noMembers = holdsNoRecords(items);
	const sourceItems = noMembers ? [] : items;
	const { records, errors } = readItemPayloads(sourceItems, (json, i) => toMemberInput(this.getNode(), jsonToMap(this, json, i), i));
	const [unreadable] = errors;
	if (unreadable) {
		const [index, error] = unreadable;
		throw refusal(this, `Input item ${index} cannot be read (${error.message.replace(/ \[item \d+\]$/, '')})`, 'A mirror removes every managed member its input does not name, so an item it cannot read would have its member removed. Fix the item and run again.', index);
	}

	// 2. The last run, the whole member list.
	const lastRun = await readLastRun(this, records, sync);
	const outcomes: Outcome[] = [];
	let removals: Array<Attempt<FlashdutyMember, FlashdutyMember>> = [];
	// Looking the fingerprints up recorded them: whatever happens next, the store ends holding only what was written or found unchanged.
	try {
		const directory = await loadMemberDirectory(client, records.map((r) => r.payload), { wholeList: true });
		if (!directory.complete) {
			throw refusal(
				this,
				'The account has more members than the 20,000 Flashduty\'s API lets anyone read (10,000 oldest first, 10,000 newest first)',
				'A mirror must see every member to know which are absent from the input. Use Batch Upsert (which does not remove) and Delete for the members to remove.',
			);
		}

		// 3. The plan.
		const managed = [...directory.byId.values()].filter((m) => isManaged(m, prefix));
		const named = namedMembers(directory, records);
		const toRemove = managed.filter((m) => !named.has(m.member_id));
		checkRemovalShare(this, toRemove.length, managed.length, 'members');
		const plan = planUpsert(this, records, directory, sync, lastRun);
		outcomes.push(...plan.outcomes);
		stopBeforeWriting(this, outcomeErrors(outcomes));

		// 4. The writes: upserts, then removals.
		if (sync.dryRun) {
			outcomes.push(...wouldWrite(plan));
			removals = toRemove.map((m) => ({ record: m, done: m }));
		} else {
			outcomes.push(...(await sendUpdates(this, client, plan.updates)));
			outcomes.push(...(await sendInvites(this, client, plan.invites, batchSize, fromApi, sync.skipUnchanged)));
			removals = await inParallel(toRemove.length, client.maxInFlight, async (i) => await removeMember(this, client, toRemove[i], force));
		}
	} finally {
		await rememberLastRun(this, lastRun, records, outcomes, sync.dryRun);
	}

	// 5. The outputs: the items', then the removed members', and the summary.
	if (noMembers) outcomes.push(...emptyItemOutcomes<FlashdutyMember>(items, 'member'));
	const removalOutputs: INodeExecutionData[] = removals.map((r) =>
		'done' in r
			? removalOutput(outcomeJson(this, { index: 0, action: 'deleted', record: r.done }, unifiedFromFlashduty, sync.dryRun))
			: errorItem(r.error, 0, { id: r.record.member_id, email: r.record.email }),
	);
	const outputs = [...writeOutputs(this, items, writeResults(this, outcomes, unifiedFromFlashduty, sync.dryRun), 'Flashduty'), ...removalOutputs];
	const failedRemoval = removals.find((r): r is { record: FlashdutyMember; error: Error } => 'error' in r);
	if (failedRemoval && !this.continueOnFail()) throw failedRemoval.error;
	addSummaryHint(this, outputs, items.length, ['member', 'members'], client.requestsSent, sync.dryRun);
	return outputs;
};
