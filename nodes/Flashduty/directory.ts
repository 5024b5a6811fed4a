import { fanOut, unique } from '../shared/engine/batch';
import { firstFailure } from '../shared/engine/keyedRead';
import type { VendorClient } from '../shared/engine/request';
import { FLASHDUTY_MAX_PAGE, FLASHDUTY_REACHABLE_ITEMS } from './api';
import type { IDataObject } from 'n8n-workflow';

import type { FlashdutyMember, MemberInput } from './mapping';
import { findMemberByEmail, listMembers, listMembersPage, readPersonsById } from './members';

/** Existing members, indexed the three ways Batch Upsert matches them. */
export class MemberDirectory {
	readonly byId = new Map<string, FlashdutyMember>();

	readonly byRef = new Map<string, FlashdutyMember>();

	readonly byEmail = new Map<string, FlashdutyMember>();

	/**
	 * False when the list was longer than the API lets anyone read: 10,000 members in each order, so
	 * the oldest and the newest 10,000 together (more than 20,000 when they do not meet).
	 */
	complete = true;

	/** True when the list changed while it was read: members it lacks were each looked up by email. */
	changed = false;

	add(member: FlashdutyMember): void {
		this.byId.set(member.member_id, member);
		if (member.ref_id) this.byRef.set(member.ref_id, member);
		if (member.email) this.byEmail.set(member.email.toLowerCase(), member);
	}

	/** The member an item names: by member ID, else externalId (ref_id), else email. */
	match(input: MemberInput): FlashdutyMember | undefined {
		if (input.id) return this.byId.get(input.id);
		return (input.externalId ? this.byRef.get(input.externalId) : undefined) ?? (input.email ? this.byEmail.get(input.email) : undefined);
	}
}

/**
 * Finds the members the items refer to, with as few requests as possible:
 * - the first page of the whole list (100 members, oldest first) is read; a small account is done;
 * - when items carry a member ID or an externalId (ref_id) — /member/list cannot search ref_id — or
 *   when reading the rest of the list takes no more requests than one email look-up per item, the
 *   whole list is read (as far as the API lets anyone read: 10,000 members oldest first, then the
 *   newest until the two reads meet, so up to 20,000);
 * - otherwise, and for emails beyond those 20,000, each email is looked up with /member/list
 *   `query` and an exact match;
 * - when the list was seen changing while it was read (pages that overlap or fall short), every
 *   email it did not match is looked up that way too;
 * - and when the list changed or had 1,000 members or more (Flashduty caps the total, so a member
 *   removed mid-read can shift the pages unseen), every member ID the items give and the list did
 *   not show is checked with /person/infos (100 a request): a member ID reported missing is truly
 *   missing. An email missed that way is caught when it is invited: Flashduty refuses an invite of
 *   an email in use, and the invite path then looks the member up and updates it (upsertPlan.ts,
 *   sendInvites), so such drift costs requests only when it happens.
 * `wholeList` (Mirror) reads the whole list in any case; `complete` then says whether it is all of it.
 */
export async function loadMemberDirectory(client: VendorClient, inputs: MemberInput[], options: { wholeList?: boolean } = {}): Promise<MemberDirectory> {
	const directory = new MemberDirectory();
	const order = { orderby: 'created_at', asc: true };
	const action = 'list members to match the items';
	const first = await listMembersPage(client, { ...order, p: 1, limit: FLASHDUTY_MAX_PAGE }, action);
	first.items.forEach((m) => directory.add(m));
	// A first page cut short while the list says it goes on is not the whole account either.
	const more =
		(first.items.length === FLASHDUTY_MAX_PAGE && (first.total === undefined || first.total > FLASHDUTY_MAX_PAGE)) ||
		(first.total !== undefined && first.total > first.items.length) ||
		first.hasMore === true;
	if (!more) return directory;

	const unmatchedEmails = () => unique(inputs.filter((i) => !i.id && i.email && !directory.match(i)).map((i) => i.email as string));
	const needFullList = options.wholeList === true || inputs.some((i) => i.id !== undefined || i.externalId !== undefined);
	const pagesLeft =
		first.total !== undefined ? Math.ceil(first.total / FLASHDUTY_MAX_PAGE) - 1 : FLASHDUTY_REACHABLE_ITEMS / FLASHDUTY_MAX_PAGE - 1;
	const readAll = needFullList || pagesLeft <= unmatchedEmails().length;
	// From 1,000 members on, Flashduty's total is capped: a member removed mid-read shifts the pages
	// unseen, so member IDs the list did not show are checked (a batch read, cheap).
	let checkIds = false;
	if (readAll) {
		const { members, cut, changed } = await listMembers(client, { body: order, action, firstPage: first });
		members.forEach((m) => directory.add(m));
		directory.complete = !cut || (await readNewestUntilMet(client, directory, action));
		directory.changed = changed;
		checkIds = changed || first.total === undefined;
	}
	if (!readAll || !directory.complete || directory.changed) {
		const found = await fanOut(unmatchedEmails(), client.maxInFlight, async (email) => await findMemberByEmail(client, email));
		for (const member of found.values()) if (member) directory.add(member);
	}
	if (readAll && (!directory.complete || checkIds)) await findMembersById(client, directory, inputs);
	return directory;
}

/**
 * After an oldest-first read cut at the API's reach (p × limit ≤ 10,000 holds for each order), the
 * newest members, newest first, until the read meets a member the first read holds (the two reads
 * then cover the whole list) or the list ends; false when the reach ends first (more than 20,000
 * members). docs/vendors/flashduty.md#pagination.
 */
async function readNewestUntilMet(client: VendorClient, directory: MemberDirectory, action: string): Promise<boolean> {
	for (let p = 1; p * FLASHDUTY_MAX_PAGE <= FLASHDUTY_REACHABLE_ITEMS; p++) {
		const page = await listMembersPage(client, { orderby: 'created_at', asc: false, p, limit: FLASHDUTY_MAX_PAGE }, action);
		let met = false;
		for (const member of page.items) {
			if (directory.byId.has(member.member_id)) met = true;
			else directory.add(member);
		}
		if (met || page.items.length < FLASHDUTY_MAX_PAGE || page.hasMore === false) return true;
	}
	return false;
}

/**
 * Member IDs the list did not show (it changed while it was read, or was longer than the API lets
 * anyone read): /person/infos says whether each exists and its email, and the email look-up gives
 * the full member. A look-up that fails is thrown: an existing member must never look absent.
 */
async function findMembersById(client: VendorClient, directory: MemberDirectory, inputs: MemberInput[]): Promise<void> {
	const ids = unique(inputs.map((i) => i.id).filter((id): id is string => id !== undefined && !directory.byId.has(id)));
	if (ids.length === 0) return;
	const persons = await readPersonsById(client, ids);
	const failure = firstFailure(persons);
	if (failure) throw failure;
	const emails = unique([...persons.found.values()].filter((p) => p.as !== 'account' && p.email).map((p) => (p.email as string).toLowerCase()));
	const found = await fanOut(emails, client.maxInFlight, async (email) => await findMemberByEmail(client, email));
	const asked = new Set(ids);
	for (const member of found.values()) if (member && asked.has(member.member_id)) directory.add(member);
}

/**
 * Whether the member an identifier names still exists (a delete whose answer was lost is read
 * back): by ID (/person/infos), email (exact look-up) or ref_id (the member list).
 */
export async function memberExists(client: VendorClient, identifier: IDataObject, itemIndex?: number): Promise<boolean> {
	if (typeof identifier.member_id === 'number') {
		const read = await readPersonsById(client, [String(identifier.member_id)]);
		const failure = firstFailure(read);
		if (failure) throw failure;
		return read.found.size > 0;
	}
	if (typeof identifier.email === 'string') return (await findMemberByEmail(client, identifier.email, itemIndex)) !== undefined;
	const ref = String(identifier.ref_id);
	return (await loadMemberDirectory(client, [{ externalId: ref }])).byRef.has(ref);
}
