import { fanOut, unique } from '../shared/engine/batch';
import type { VendorClient } from '../shared/engine/request';
import { FLASHDUTY_MAX_PAGE, FLASHDUTY_REACHABLE_ITEMS } from './api';
import type { FlashdutyMember, MemberInput } from './mapping';
import { findMemberByEmail, listMembers, listMembersPage, LOOKUP_CONCURRENCY } from './members';

/** Existing members, indexed the three ways Batch Upsert matches them. */
export class MemberDirectory {
	readonly byId = new Map<string, FlashdutyMember>();

	readonly byRef = new Map<string, FlashdutyMember>();

	readonly byEmail = new Map<string, FlashdutyMember>();

	/** False when the list was longer than the 10,000 members the API lets anyone read. */
	complete = true;

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
 *   whole list is read (as far as the API lets anyone read: 10,000 members);
 * - otherwise, and for emails beyond those 10,000, each email is looked up with /member/list
 *   `query` and an exact match.
 */
export async function loadMemberDirectory(client: VendorClient, inputs: MemberInput[]): Promise<MemberDirectory> {
	const directory = new MemberDirectory();
	const order = { orderby: 'created_at', asc: true };
	const action = 'list members to match the items';
	const first = await listMembersPage(client, { ...order, p: 1, limit: FLASHDUTY_MAX_PAGE }, action);
	first.items.forEach((m) => directory.add(m));
	const more = first.items.length === FLASHDUTY_MAX_PAGE && (first.total === undefined || first.total > FLASHDUTY_MAX_PAGE);
	if (!more) return directory;

	const unmatchedEmails = () => unique(inputs.filter((i) => !i.id && i.email && !directory.match(i)).map((i) => i.email as string));
	const needFullList = inputs.some((i) => i.id !== undefined || i.externalId !== undefined);
	const pagesLeft =
		first.total !== undefined ? Math.ceil(first.total / FLASHDUTY_MAX_PAGE) - 1 : FLASHDUTY_REACHABLE_ITEMS / FLASHDUTY_MAX_PAGE - 1;
	const readAll = needFullList || pagesLeft <= unmatchedEmails().length;
	if (readAll) {
		const { members, cut } = await listMembers(client, { body: order, action, firstPage: first });
		members.forEach((m) => directory.add(m));
		directory.complete = !cut;
	}
	if (!readAll || !directory.complete) {
		const found = await fanOut(unmatchedEmails(), LOOKUP_CONCURRENCY, async (email) => await findMemberByEmail(client, email));
		for (const member of found.values()) if (member) directory.add(member);
	}
	return directory;
}
