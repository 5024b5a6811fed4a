import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { batchSizeOption, showFor, simplifyField, upsertNotice } from '../../../shared/descriptions/common';
import { fanOut, sendInBatches } from '../../../shared/engine/batch';
import { errorContext, inputError, isValidationError } from '../../../shared/engine/errors';
import type { VendorClient } from '../../../shared/engine/request';
import { writeOutputs, writeResults, type WriteOutcome } from '../../../shared/helpers/output';
import { readBatchSize, readItemPayloads, type ItemPayload } from '../../../shared/helpers/parameters';
import type { Operation } from '../../../shared/helpers/router';
import { FLASHDUTY_MAX_INVITE, idNumber } from '../../api';
import { loadMemberDirectory, type MemberDirectory } from '../../directory';
import { invitePayload, memberUpdates, rolesChanged, toMemberInput, unifiedFromFlashduty, type FlashdutyMember, type MemberInput } from '../../mapping';
import { inviteMembers, updateMemberInfo, updateMemberRoles } from '../../members';

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

/** How an item names its member in messages. */
function describeMember(input: MemberInput): string {
	return input.email ?? input.externalId ?? input.id ?? input.phone ?? 'member';
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
		return inputError(ctx.getNode(), `No Flashduty member has the ID "${input.id}"${where}`, index, 'Check the ID, or remove "id"/"member_id" from the item so that it is matched by externalId or email (and invited when nothing matches).');
	}
	if (!input.email && !input.phone) {
		return inputError(ctx.getNode(), `No Flashduty member has the externalId "${input.externalId}", and the item has no email or phone to invite one`, index, 'Add an "email" (or "phone") to the item so that a new member can be invited.');
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

/** Invites one batch (at most 20) and pairs each created member with its item. */
async function inviteBatch(client: VendorClient, batch: MemberRecord[], fromApi: boolean): Promise<Outcome[]> {
	const itemIndex = batch.length === 1 ? batch[0].index : undefined;
	const action = batch.length === 1 ? `invite member "${describeMember(batch[0].payload)}"` : `invite ${batch.length} members`;
	const created = await inviteMembers(client, batch.map((r) => invitePayload(r.payload)), fromApi, itemIndex, action);
	const used = new Set<number>();
	return batch.map(({ payload: input, index }, position): Outcome => {
		// The answer lists the new members in the order sent; the name confirms the pairing.
		let at = created.length === batch.length && (!input.name || created[position].member_name === input.name) ? position : -1;
		if (at < 0) at = created.findIndex((m, i) => !used.has(i) && input.name !== undefined && m.member_name === input.name);
		if (at < 0 || used.has(at) || !created[at].member_id) {
			return { index, error: new Error(`Flashduty did not return the invited member "${describeMember(input)}" in its answer; check the member list before running again`) };
		}
		used.add(at);
		const entry = invitePayload(input);
		const member: FlashdutyMember = { member_id: created[at].member_id, member_name: created[at].member_name ?? input.name };
		for (const field of ['email', 'phone', 'country_code', 'locale', 'time_zone', 'ref_id'] as const) {
			if (entry[field] !== undefined) member[field] = entry[field] as string;
		}
		if (input.roleIds) member.account_role_ids = input.roleIds;
		return { index, action: 'created', record: member };
	});
}

/** Only a refusal of the data is worth splitting an invite batch for (not NoLicense, AccessDenied...). */
function isRefusedData(error: unknown): boolean {
	return isValidationError(error) && ['InvalidParameter', 'BadRequest'].includes(errorContext(error).code ?? '');
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

	const updated = await fanOut(
		toUpdate.map((_, i) => String(i)),
		UPDATE_CONCURRENCY,
		async (i) => await updateMember(this, client, toUpdate[Number(i)].record, toUpdate[Number(i)].member),
	);
	outcomes.push(...updated.values());
	outcomes.push(...(await sendInBatches(toInvite, batchSize, async (batch) => await inviteBatch(client, batch, fromApi), (record, error): Outcome => ({ index: record.index, error }), isRefusedData)));

	return writeOutputs(this, items, writeResults(this, outcomes, unifiedFromFlashduty), 'Flashduty');
};
