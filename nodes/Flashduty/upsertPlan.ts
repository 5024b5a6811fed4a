import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { batchSizeOption } from '../shared/descriptions/common';
import { inParallel, sendInBatches, writeSettled, type Attempt } from '../shared/engine/batch';
import { errorContext, inputError, isValidationError } from '../shared/engine/errors';
import type { VendorClient } from '../shared/engine/request';
import { clip } from '../shared/engine/values';
import { mayBeStoredError, notStoredError, unmatchedAnswerError, type WriteOutcome } from '../shared/helpers/output';
import type { ItemPayload } from '../shared/helpers/parameters';
import {
	changesSinceLastRun,
	fingerprints,
	rememberWritten,
	skippedByMode,
	syncOptionFields,
	writtenLastRun,
	type Changes,
	type SyncOptions,
} from '../shared/helpers/sync';
import { FLASHDUTY_MAX_INVITE, FLASHDUTY_MAX_PAGE, idNumber } from './api';
import type { MemberDirectory } from './directory';
import { DAILY_INVITES, dailyCapError, defaultNames, invitedMember, isDailyCapRefusal } from './invitations';
import {
	invitePayload,
	MEMBER_FIELD_NAMES,
	memberAfter,
	memberFields,
	memberIdentifier,
	memberKey,
	memberUpdates,
	rolesChanged,
	type FlashdutyMember,
	type MemberInput,
} from './mapping';
import { findMemberByEmail, inviteMembers, listMembersPage, updateMemberInfo, updateMemberRoles } from './members';

/**
 * The upsert part of Batch Upsert and Mirror, as helpers that return values: what the last run
 * wrote, the plan (per item: error, skipped, unchanged, update or invite), the updates and invites
 * sent, what a dry run would do, and the fingerprints kept afterwards.
 */

export type MemberRecord = ItemPayload<MemberInput>;
export type Outcome = WriteOutcome<FlashdutyMember>;

/** Options of Batch Upsert, also Mirror's: Batch Size, Create Without Invitation, the sync options. */
export const upsertOptionFields: INodeProperties[] = [
	batchSizeOption(FLASHDUTY_MAX_INVITE, 'New members are invited in batches; existing ones are updated one request each.'),
	{
		displayName: 'Create Without Invitation',
		name: 'fromApi',
		type: 'boolean',
		default: false,
		description:
			'Whether to send from: "api" with invites: where the account has member invitations turned off (a setting Flashduty enables on request), new members are created enabled and verified, and no invitation email is sent',
	},
	...syncOptionFields('target', 'The node reads the member list anyway to match the items, so comparing with it costs no extra request.'),
];

/** How an item names its member in messages (cut to 200 characters). */
export function describeMember(input: MemberInput): string {
	return clip(input.email ?? input.externalId ?? input.id ?? input.phone ?? 'member');
}

/** Compare With = Last Run: the fingerprints checked, those the store held, and the records unchanged since. */
export interface LastRun {
	checked: string[];
	known: Set<string>;
	unchanged: Set<MemberRecord>;
}

/** What this node last wrote for the records (n8n's deduplication store, no request); nothing unless Skip Unchanged compares with the last run. */
export async function readLastRun(ctx: IExecuteFunctions, records: MemberRecord[], sync: SyncOptions): Promise<LastRun> {
	if (!sync.skipUnchanged || sync.compareWith !== 'lastRun') return { checked: [], known: new Set(), unchanged: new Set() };
	const checked = records.flatMap((r) => fingerprints(memberKey(r.payload), memberFields(r.payload)));
	const known = await writtenLastRun(ctx, checked);
	const unchanged = new Set(
		records.filter((r) => {
			const changes = changesSinceLastRun(memberKey(r.payload), memberFields(r.payload), known);
			return changes !== undefined && Object.keys(changes).length === 0;
		}),
	);
	return { checked, known, unchanged };
}

/**
 * Keeps in the store the fingerprints of the records now written or found unchanged (not failed,
 * skipped or unwritten ones); a record the run stopped before deciding keeps what the store held.
 */
export async function rememberLastRun(ctx: IExecuteFunctions, lastRun: LastRun, records: MemberRecord[], outcomes: Outcome[], dryRun: boolean): Promise<void> {
	const held = new Set(outcomes.flatMap((o) => ('error' in o || o.action === 'skipped' ? [] : [o.index])));
	const decided = new Set(outcomes.map((o) => o.index));
	const kept = new Set(records.filter((r) => held.has(r.index)).flatMap((r) => fingerprints(memberKey(r.payload), memberFields(r.payload))));
	for (const r of records) {
		if (!decided.has(r.index)) fingerprints(memberKey(r.payload), memberFields(r.payload)).filter((f) => lastRun.known.has(f)).forEach((f) => kept.add(f));
	}
	await rememberWritten(ctx, lastRun.checked, kept, lastRun.known, dryRun);
}

/** One existing member to update: the `updates{}` and roles to send, and what they change. */
export interface PlannedUpdate {
	record: MemberRecord;
	member: FlashdutyMember;
	updates: IDataObject;
	roles?: number[];
	changes: Changes;
}

/** What the run does with each item: outcomes known before writing, updates to send, members to invite (named). */
export interface UpsertPlan {
	outcomes: Outcome[];
	updates: PlannedUpdate[];
	invites: MemberRecord[];
}

/**
 * What to send to an existing member, or undefined when nothing (unchanged). `changes` are the
 * fields whose stored value differs (as Flashduty stores it: email lower-case, masked phone...).
 * With Skip Unchanged off every field the item gives is sent, except an unchanged email or phone:
 * re-sending one makes Flashduty ask for re-verification (docs/vendors/flashduty.md#quirks).
 */
export function plannedUpdate(record: MemberRecord, member: FlashdutyMember, skipUnchanged: boolean): PlannedUpdate | undefined {
	const input = record.payload;
	const changed = memberUpdates(member, input);
	const rolesDiffer = rolesChanged(member, input.roleIds);
	const changes: Changes = {};
	for (const [field, to] of Object.entries(changed)) changes[MEMBER_FIELD_NAMES[field] ?? field] = { from: member[field] ?? null, to };
	if (rolesDiffer) changes.roleIds = { from: member.account_role_ids ?? [], to: input.roleIds };
	let updates = changed;
	if (!skipUnchanged) {
		const given = memberUpdates({ member_id: member.member_id }, input);
		delete given.email;
		delete given.phone;
		updates = { ...given, ...changed };
	}
	const roles = skipUnchanged ? (rolesDiffer ? input.roleIds : undefined) : input.roleIds;
	if (Object.keys(updates).length === 0 && !roles) return undefined;
	return { record, member, updates, roles, changes };
}

/** Why an item that matches no member cannot be invited either; undefined when it can. */
function cannotInvite(ctx: IExecuteFunctions, directory: MemberDirectory, { payload: input, index }: MemberRecord): Error | undefined {
	if (input.id) {
		const where = directory.complete ? '' : ' among the oldest and newest 10,000 members the API lets the node read';
		return inputError(ctx.getNode(), `No Flashduty member has the ID "${clip(input.id)}"${where}`, index, 'Check the ID, or remove "id"/"member_id" from the item so that it is matched by externalId or email (and invited when nothing matches).');
	}
	if (!input.email && !input.phone) {
		return inputError(ctx.getNode(), `No Flashduty member has the externalId "${clip(input.externalId)}", and the item has no email or phone to invite one`, index, 'Add an "email" (or "phone") to the item so that a new member can be invited.');
	}
	if (!input.email && !input.name) {
		return inputError(ctx.getNode(), `A member invited by phone (${clip(input.phone)}) needs a name`, index, 'Flashduty requires "member_name" when it invites by phone (a name is made from the email only when there is one). Give the item a "name".');
	}
	return undefined;
}

/**
 * Decides every item before anything is written: unchanged since the last run; skipped by the
 * write mode; matched (ID, else externalId, else email) and unchanged or to update; new and to
 * invite (named, at most 200 a day) or an input error.
 */
export function planUpsert(ctx: IExecuteFunctions, records: MemberRecord[], directory: MemberDirectory, sync: SyncOptions, lastRun: LastRun): UpsertPlan {
	const plan: UpsertPlan = { outcomes: [], updates: [], invites: [] };
	const toInvite: MemberRecord[] = [];
	/** The item that first asked for a new member with this email (e:), externalId (r:) or phone (p:). */
	const newMemberItems = new Map<string, number>();
	for (const record of records) {
		const { payload: input, index } = record;
		const member = directory.match(input);
		if (lastRun.unchanged.has(record)) {
			plan.outcomes.push({ index, action: 'unchanged', record: member ?? memberAfter(input) });
			continue;
		}
		const reason = skippedByMode(sync.writeMode, member !== undefined, `The member "${describeMember(input)}"`);
		if (reason) {
			plan.outcomes.push({ index, action: 'skipped', reason, record: member ?? memberAfter(input) });
			continue;
		}
		if (member) {
			const update = plannedUpdate(record, member, sync.skipUnchanged);
			if (update) plan.updates.push(update);
			else plan.outcomes.push({ index, action: 'unchanged', record: member });
			continue;
		}
		const refused = cannotInvite(ctx, directory, record);
		if (refused) {
			plan.outcomes.push({ index, error: refused });
			continue;
		}
		const keys = [input.email && `e:${input.email}`, input.externalId && `r:${input.externalId}`, input.phone && `p:${input.phone}`].filter((k): k is string => !!k);
		const earlier = keys.map((k) => newMemberItems.get(k)).find((i) => i !== undefined);
		if (earlier !== undefined) {
			plan.outcomes.push({ index, error: inputError(ctx.getNode(), `The same new member as item ${earlier} (same email, externalId or phone)`, index, 'Remove the duplicate item, or run the upsert again: the member then exists and is updated.') });
			continue;
		}
		keys.forEach((k) => newMemberItems.set(k, index));
		toInvite.push(record);
	}
	// Flashduty allows 200 invitations a day: the ones past that are refused before anything is sent.
	for (const record of toInvite.splice(DAILY_INVITES)) plan.outcomes.push({ index: record.index, error: dailyCapError(ctx.getNode(), record.index, Date.now()) });
	const names = defaultNames(
		toInvite.map((r) => r.payload),
		directory.byId.values(),
		records.flatMap((r) => (r.payload.name ? [r.payload.name] : [])),
	);
	plan.invites = toInvite.map((r): MemberRecord => ({ ...r, payload: { ...r.payload, name: r.payload.name ?? names.get(r.payload) } }));
	return plan;
}

/** The errors among outcomes, for stopBeforeWriting. */
export function outcomeErrors(outcomes: Outcome[]): Array<[number, Error]> {
	return outcomes.flatMap((o): Array<[number, Error]> => ('error' in o ? [[o.index, o.error]] : []));
}

/** A dry run's outcomes for the planned writes: what each would store, nothing sent. */
export function wouldWrite(plan: UpsertPlan): Outcome[] {
	return [
		...plan.updates.map((u): Outcome => ({ index: u.record.index, action: 'updated', record: memberAfter(u.record.payload, u.member, u.updates, u.roles), changes: u.changes })),
		...plan.invites.map((r): Outcome => ({ index: r.index, action: 'created', record: memberAfter(r.payload) })),
	];
}

/** Updates one existing member: its `updates{}` (if any), then its roles (if any). */
async function updateMember(ctx: IExecuteFunctions, client: VendorClient, { record, member, updates, roles, changes }: PlannedUpdate): Promise<Outcome> {
	const { payload: input, index } = record;
	const identifier = memberIdentifier(member);
	if (!identifier) {
		return { index, error: inputError(ctx.getNode(), `The member "${member.member_id}" cannot be named exactly in a request`, index, 'Its ID is too large for JavaScript and it has no email or ref_id. Update it in the Flashduty console.') };
	}
	const memberId = idNumber(member.member_id);
	if (roles && memberId === undefined) {
		return { index, error: inputError(ctx.getNode(), `The roles of member "${member.member_id}" cannot be changed by this node`, index, 'Its ID is too large to send exactly. Change its roles in the Flashduty console.') };
	}
	try {
		if (Object.keys(updates).length > 0) await updateMemberInfo(client, identifier, updates, index, describeMember(input));
		if (roles) await updateMemberRoles(client, memberId as number, roles, index, describeMember(input));
	} catch (error) {
		return { index, error: error as Error };
	}
	return { index, action: 'updated', record: memberAfter(input, member, updates, roles), changes };
}

/** Sends the planned updates, one request each (two with roles), a few at once. */
export async function sendUpdates(ctx: IExecuteFunctions, client: VendorClient, updates: PlannedUpdate[]): Promise<Outcome[]> {
	// Members in parallel; two items updating the same member one after the other, in item order.
	const byMember = new Map<string, PlannedUpdate[]>();
	for (const update of updates) byMember.set(update.member.member_id, [...(byMember.get(update.member.member_id) ?? []), update]);
	const members = [...byMember.values()];
	const sent = await inParallel(members.length, client.maxInFlight, async (i) => {
		const outcomes: Outcome[] = [];
		for (const update of members[i]) outcomes.push(await updateMember(ctx, client, update));
		return outcomes;
	});
	return sent.flat();
}

/** Invites one batch (at most 20); each item is paired with its member by name (unique per account), never by position. */
async function inviteBatch(ctx: IExecuteFunctions, client: VendorClient, batch: MemberRecord[], fromApi: boolean): Promise<Array<Attempt<MemberRecord, FlashdutyMember>>> {
	const itemIndex = batch.length === 1 ? batch[0].index : undefined;
	const action = batch.length === 1 ? `invite member "${describeMember(batch[0].payload)}"` : `invite ${batch.length} members`;
	const created = await inviteMembers(client, batch.map((r) => invitePayload(r.payload)), fromApi, itemIndex, action);
	return batch.map((record) => {
		const answered = invitedMember(created, record.payload.name as string);
		if (!answered) return { record, error: unmatchedAnswerError(ctx.getNode(), 'Flashduty', `the invited member "${describeMember(record.payload)}"`, record.index) };
		return { record, done: { ...memberAfter(record.payload), member_id: answered.member_id, member_name: answered.member_name } };
	});
}

/** The member an invite created, looked up by email, else by phone (an exact match in /member/list); undefined when absent. */
async function findInvited(client: VendorClient, { payload: input, index }: MemberRecord): Promise<FlashdutyMember | undefined> {
	if (input.email) return await findMemberByEmail(client, input.email, index);
	const page = await listMembersPage(client, { p: 1, limit: FLASHDUTY_MAX_PAGE, query: input.phone }, `find member "${describeMember(input)}"`, index);
	return page.items.length === 1 ? page.items[0] : page.items.find((m) => m.member_name === input.name);
}

/** Only a refusal of the data is worth splitting an invite batch for (not NoLicense, AccessDenied...). */
function isRefusedData(error: unknown): boolean {
	return isValidationError(error) && ['InvalidParameter', 'BadRequest'].includes(errorContext(error).code ?? '') && !isDailyCapRefusal(error);
}

/**
 * Invites the new members in batches of `batchSize` (at most 20). A batch refused for its data is
 * split until the bad member stands alone; an invite whose answer is lost may have landed: the
 * member is looked up, and invited again only when absent. Once Flashduty refuses for the daily
 * cap, no later batch is sent. A member refused because its email is in use is updated instead.
 */
export async function sendInvites(ctx: IExecuteFunctions, client: VendorClient, invites: MemberRecord[], batchSize: number, fromApi: boolean, skipUnchanged: boolean): Promise<Outcome[]> {
	let capRefusal: Error | undefined;
	const invited = await writeSettled<MemberRecord, FlashdutyMember>(invites, {
		write: async (pending) =>
			await sendInBatches<MemberRecord, Attempt<MemberRecord, FlashdutyMember>>(
				pending,
				batchSize,
				async (batch) =>
					capRefusal
						? batch.map((record) => ({ record, error: dailyCapError(ctx.getNode(), record.index, Date.now(), capRefusal?.message) }))
						: await inviteBatch(ctx, client, batch, fromApi),
				(record, error) => {
					if (!isDailyCapRefusal(error)) return { record, error };
					capRefusal = error;
					return { record, error: dailyCapError(ctx.getNode(), record.index, Date.now(), error.message) };
				},
				{ concurrency: client.maxInFlight, splitWhen: isRefusedData },
			),
		reread: async (pending) => {
			const found = await inParallel(pending.length, client.maxInFlight, async (i) => await findInvited(client, pending[i]));
			return new Map(pending.flatMap((record, i): Array<[MemberRecord, FlashdutyMember]> => (found[i] ? [[record, found[i] as FlashdutyMember]] : [])));
		},
		unsettled: (r, error) => mayBeStoredError(ctx.getNode(), error, r.index, `The member "${describeMember(r.payload)}"`, 'Look the member up with Get (by email) or in the Flashduty console'),
		notStored: (r, error) => notStoredError(ctx.getNode(), error, r.index, `The member "${describeMember(r.payload)}" was not invited`),
	});
	return await updateRefusedInvites(ctx, client, invited, skipUnchanged);
}

/**
 * Invites Flashduty refused for their data whose email is in use: the member exists although the
 * list read did not show it (from 1,000 members on, a member removed mid-read can shift the pages
 * unseen: directory.ts). Each is looked up by email and updated as Batch Upsert updates a member it
 * matched; the others keep the refusal. Costs requests only when an invite is refused.
 */
async function updateRefusedInvites(ctx: IExecuteFunctions, client: VendorClient, invited: Array<Attempt<MemberRecord, FlashdutyMember>>, skipUnchanged: boolean): Promise<Outcome[]> {
	const refused = invited.filter((a) => 'error' in a && isRefusedData(a.error) && !!a.record.payload.email);
	const found = await inParallel(refused.length, client.maxInFlight, async (i) => {
		try {
			return await findMemberByEmail(client, refused[i].record.payload.email as string, refused[i].record.index);
		} catch {
			return undefined; // the refusal stays the item's error
		}
	});
	const existing = new Map(refused.flatMap((a, i): Array<[MemberRecord, FlashdutyMember]> => (found[i] ? [[a.record, found[i] as FlashdutyMember]] : [])));
	return await Promise.all(
		invited.map(async (a): Promise<Outcome> => {
			if ('done' in a) return { index: a.record.index, action: 'created', record: a.done };
			const member = existing.get(a.record);
			if (!member) return { index: a.record.index, error: a.error };
			const update = plannedUpdate(a.record, member, skipUnchanged);
			return update ? await updateMember(ctx, client, update) : { index: a.record.index, action: 'unchanged', record: member };
		}),
	);
}
