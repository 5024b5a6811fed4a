import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { batchSizeOption, showFor, simplifyField, upsertNotice } from '../../../shared/descriptions/common';
import { fanOut, sendInBatches, writeSettled, type Attempt } from '../../../shared/engine/batch';
import { errorContext, inputError, isValidationError } from '../../../shared/engine/errors';
import type { VendorClient } from '../../../shared/engine/request';
import { clip } from '../../../shared/engine/values';
import { mayBeStoredError, notStoredError, stopBeforeWriting, unmatchedAnswerError, writeOutputs, writeResults, type WriteOutcome } from '../../../shared/helpers/output';
import { readBatchSize, readItemPayloads, type ItemPayload } from '../../../shared/helpers/parameters';
import type { Operation } from '../../../shared/helpers/router';
import { FLASHDUTY_MAX_INVITE, FLASHDUTY_MAX_PAGE, idNumber } from '../../api';
import { loadMemberDirectory, type MemberDirectory } from '../../directory';
import { invitePayload, memberUpdates, rolesChanged, toMemberInput, unifiedFromFlashduty, type FlashdutyMember, type MemberInput } from '../../mapping';
import { DAILY_INVITES, dailyCapError, defaultNames, invitedMember, isDailyCapRefusal } from '../../invitations';
import { findMemberByEmail, inviteMembers, listMembersPage, updateMemberInfo, updateMemberRoles } from '../../members';

export const description: INodeProperties[] = [
	upsertNotice(
		'member',
		'Each input item is one member. Unified fields (externalId, email, name, phone, timezone, locale, avatarUrl, roleIds) and Flashduty\'s own names (ref_id, member_name, time_zone, country_code, role_ids...) are mapped automatically. Members are matched by externalId (ref_id), else email; the others are invited. Names must be 2–39 characters; locales other than zh-CN and en-US are not sent.',
	),
	simplifyField('member', ['batchUpsert']),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showFor('member', ['batchUpsert']),
		options: [
			batchSizeOption(FLASHDUTY_MAX_INVITE, 'New members are invited in batches; existing ones are updated one request each.'),
			{
				displayName: 'Create Without Invitation',
				name: 'fromApi',
				type: 'boolean',
				default: false,
				description:
					'Whether to send from: "api" with invites: where the account has member invitations turned off (a setting Flashduty enables on request), new members are created enabled and verified, and no invitation email is sent',
			},
		],
	},
];

type MemberRecord = ItemPayload<MemberInput>;
type Outcome = WriteOutcome<FlashdutyMember>;

/** How many member updates (one request each) may wait on the throttle at once. */
const UPDATE_CONCURRENCY = 5;

/** How an item names its member in messages (cut to 200 characters). */
function describeMember(input: MemberInput): string {
	return clip(input.email ?? input.externalId ?? input.id ?? input.phone ?? 'member');
}

/**
 * How /member/info/reset names a member: `member_id` (first in Flashduty's order of identifiers)
 * when it is exact in JavaScript, else the email or ref_id.
 */
function memberIdentifier(member: FlashdutyMember): IDataObject | undefined {
	const id = idNumber(member.member_id);
	if (id !== undefined) return { member_id: id };
	if (member.email) return { email: member.email };
	if (member.ref_id) return { ref_id: member.ref_id };
	return undefined;
}

/** Why an item that matches no member cannot be invited either; undefined when it can. */
function cannotInvite(ctx: IExecuteFunctions, directory: MemberDirectory, { payload: input, index }: MemberRecord): Error | undefined {
	if (input.id) {
		const where = directory.complete ? '' : ' among the first 10,000 members the API lets the node read';
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

/** Updates one existing member: only the changed fields, then its roles if they differ. */
async function updateMember(ctx: IExecuteFunctions, client: VendorClient, { payload: input, index }: MemberRecord, member: FlashdutyMember): Promise<Outcome> {
	const stored: FlashdutyMember = { ...member };
	const updates = memberUpdates(member, input);
	const roles = rolesChanged(member, input.roleIds) ? input.roleIds : undefined;
	const identifier = memberIdentifier(member);
	if (!identifier && (Object.keys(updates).length > 0 || roles)) {
		return { index, error: inputError(ctx.getNode(), `The member "${member.member_id}" cannot be named exactly in a request`, index, 'Its ID is too large for JavaScript and it has no email or ref_id. Update it in the Flashduty console.') };
	}
	try {
		if (identifier && Object.keys(updates).length > 0) {
			await updateMemberInfo(client, identifier, updates, index, describeMember(input));
			Object.assign(stored, updates);
		}
		if (roles) {
			const memberId = idNumber(member.member_id);
			if (memberId === undefined) {
				return { index, error: inputError(ctx.getNode(), `The roles of member "${member.member_id}" cannot be changed by this node`, index, 'Its ID is too large to send exactly. Change its roles in the Flashduty console.') };
			}
			await updateMemberRoles(client, memberId, roles, index, describeMember(input));
			stored.account_role_ids = roles;
		}
	} catch (error) {
		return { index, error: error as Error };
	}
	return { index, action: 'updated', record: stored };
}

/** Invites one batch (at most 20); each item is paired with its member by name (unique per account), never by position. */
async function inviteBatch(ctx: IExecuteFunctions, client: VendorClient, batch: MemberRecord[], fromApi: boolean): Promise<Array<Attempt<MemberRecord, FlashdutyMember>>> {
	const itemIndex = batch.length === 1 ? batch[0].index : undefined;
	const action = batch.length === 1 ? `invite member "${describeMember(batch[0].payload)}"` : `invite ${batch.length} members`;
	const created = await inviteMembers(client, batch.map((r) => invitePayload(r.payload)), fromApi, itemIndex, action);
	return batch.map((record) => {
		const answered = invitedMember(created, record.payload.name as string);
		if (!answered) return { record, error: unmatchedAnswerError(ctx.getNode(), 'Flashduty', `the invited member "${describeMember(record.payload)}"`, record.index) };
		const member: FlashdutyMember = { member_id: answered.member_id, member_name: answered.member_name };
		const entry = invitePayload(record.payload);
		for (const field of ['email', 'phone', 'country_code', 'locale', 'time_zone', 'ref_id'] as const) {
			if (entry[field] !== undefined) member[field] = entry[field] as string;
		}
		if (record.payload.roleIds) member.account_role_ids = record.payload.roleIds;
		return { record, done: member };
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
 * Batch Upsert, composed (Flashduty has no upsert): match each item to a member (ID, else
 * externalId/ref_id, else email), update the existing ones one by one, invite the new ones in
 * batches of at most 20. One output per input item; nothing is atomic across items.
 */
export const execute: Operation = async function (items, client) {
	const batchSize = readBatchSize(this, items, FLASHDUTY_MAX_INVITE);
	const fromApi = items.length > 0 && (this.getNodeParameter('options.fromApi', 0, false) as boolean);
	const { records, errors } = readItemPayloads(items, (json, i) => toMemberInput(this.getNode(), json, i));
	const outcomes: Outcome[] = [...errors].map(([index, error]) => ({ index, error }));

	let directory: MemberDirectory;
	try {
		directory = await loadMemberDirectory(client, records.map((r) => r.payload));
	} catch (error) {
		outcomes.push(...records.map((r) => ({ index: r.index, error: error as Error })));
		return writeOutputs(this, items, writeResults(this, outcomes, unifiedFromFlashduty), 'Flashduty');
	}

	const toUpdate: Array<{ record: MemberRecord; member: FlashdutyMember }> = [];
	const toInvite: MemberRecord[] = [];
	/** The item that first asked for a new member with this email (e:), externalId (r:) or phone (p:). */
	const newMemberItems = new Map<string, number>();
	for (const record of records) {
		const { payload: input, index } = record;
		const member = directory.match(input);
		if (member) {
			toUpdate.push({ record, member });
			continue;
		}
		const refused = cannotInvite(this, directory, record);
		if (refused) {
			outcomes.push({ index, error: refused });
			continue;
		}
		const keys = [input.email && `e:${input.email}`, input.externalId && `r:${input.externalId}`, input.phone && `p:${input.phone}`].filter((k): k is string => !!k);
		const earlier = keys.map((k) => newMemberItems.get(k)).find((i) => i !== undefined);
		if (earlier !== undefined) {
			outcomes.push({ index, error: inputError(this.getNode(), `The same new member as item ${earlier} (same email, externalId or phone)`, index, 'Remove the duplicate item, or run the upsert again: the member then exists and is updated.') });
			continue;
		}
		keys.forEach((k) => newMemberItems.set(k, index));
		toInvite.push(record);
	}

	// Flashduty allows 200 invitations a day: the ones past that are refused before anything is sent.
	for (const record of toInvite.splice(DAILY_INVITES)) outcomes.push({ index: record.index, error: dailyCapError(this.getNode(), record.index, Date.now()) });
	stopBeforeWriting(this, outcomes.flatMap((o): Array<[number, Error]> => ('error' in o ? [[o.index, o.error]] : [])));
	const names = defaultNames(
		toInvite.map((r) => r.payload),
		directory.byId.values(),
		records.flatMap((r) => (r.payload.name ? [r.payload.name] : [])),
	);
	const invites = toInvite.map((r): MemberRecord => ({ ...r, payload: { ...r.payload, name: r.payload.name ?? names.get(r.payload) } }));

	const updated = await fanOut(
		toUpdate.map((_, i) => String(i)),
		UPDATE_CONCURRENCY,
		async (i) => await updateMember(this, client, toUpdate[Number(i)].record, toUpdate[Number(i)].member),
	);
	outcomes.push(...updated.values());
	// An invite whose answer is lost may have landed: the member is looked up, and invited again only when absent.
	let capRefusal: Error | undefined;
	const invited = await writeSettled<MemberRecord, FlashdutyMember>(invites, {
		write: async (pending) =>
			await sendInBatches<MemberRecord, Attempt<MemberRecord, FlashdutyMember>>(
				pending,
				batchSize,
				async (batch) =>
					capRefusal
						? batch.map((record) => ({ record, error: dailyCapError(this.getNode(), record.index, Date.now(), capRefusal?.message) }))
						: await inviteBatch(this, client, batch, fromApi),
				(record, error) => {
					if (!isDailyCapRefusal(error)) return { record, error };
					// Today's invitations are used up: no later batch is sent.
					capRefusal = error;
					return { record, error: dailyCapError(this.getNode(), record.index, Date.now(), error.message) };
				},
				isRefusedData,
			),
		reread: async (pending) => {
			const found = await fanOut(pending.map((_, i) => String(i)), UPDATE_CONCURRENCY, async (i) => await findInvited(client, pending[Number(i)]));
			return new Map([...found].flatMap(([i, member]): Array<[MemberRecord, FlashdutyMember]> => (member ? [[pending[Number(i)], member]] : [])));
		},
		unsettled: (r, error) => mayBeStoredError(this.getNode(), error, r.index, `The member "${describeMember(r.payload)}"`, 'Look the member up with Get (by email) or in the Flashduty console'),
		notStored: (r, error) => notStoredError(this.getNode(), error, r.index, `The member "${describeMember(r.payload)}" was not invited`),
	});
	outcomes.push(...invited.map((a): Outcome => ('done' in a ? { index: a.record.index, action: 'created', record: a.done } : { index: a.record.index, error: a.error })));

	return writeOutputs(this, items, writeResults(this, outcomes, unifiedFromFlashduty), 'Flashduty');
};
