import type { IDataObject } from 'n8n-workflow';

import { answerShape, hasId } from '../shared/engine/answers';
import { chunk, fanOut, unique } from '../shared/engine/batch';
import { paginate, type PageResult } from '../shared/engine/paginate';
import type { VendorClient } from '../shared/engine/request';
import { isEmailKey } from '../shared/helpers/keys';
import { FLASHDUTY_MAX_PAGE, FLASHDUTY_PERSON_CHUNK, FLASHDUTY_REACHABLE_ITEMS, FLASHDUTY_TOTAL_CAP, idNumber } from './api';
import { withStringIds, type FlashdutyMember, type FlashdutyPerson, type FlashdutyRecord } from './mapping';

/** Flashduty's member API calls (docs/vendors/flashduty.md): list, find, read by ID, update, roles, invite, delete. */

/** How many single look-ups (one per email) may wait on the throttle at once. */
export const LOOKUP_CONCURRENCY = 5;

interface ListBody {
	p?: number;
	limit?: number;
	total?: number;
	/** Not in MemberListResponse, but Flashduty's pagination guide says to use it where a list has it (docs/vendors/flashduty.md#pagination). */
	has_next_page?: boolean;
	items?: IDataObject[];
}

/** One page of POST /member/list. `total` is kept only below the API's cap of 1,000. */
export async function listMembersPage(client: VendorClient, body: IDataObject, action: string, itemIndex?: number): Promise<PageResult<FlashdutyMember>> {
	const data = await client.request<ListBody | null>({ method: 'POST', path: '/member/list', body, itemIndex, action, idempotent: true });
	const items = (data?.items ?? []).map((raw) => withStringIds<FlashdutyMember>(raw));
	const total = typeof data?.total === 'number' && data.total < FLASHDUTY_TOTAL_CAP ? data.total : undefined;
	const hasMore = typeof data?.has_next_page === 'boolean' ? data.has_next_page : undefined;
	return { items, total, hasMore };
}

/**
 * POST /member/list, 100 a page, to the end or the limit. `total` is trusted only below 1,000 (the
 * API caps it), otherwise a short page ends the list; pages beyond p × limit = 10,000 cannot be read
 * at all: `cut` says so. `firstPage`, when given, is used instead of reading page 1 again.
 */
export async function listMembers(
	client: VendorClient,
	options: { body: IDataObject; limit?: number; itemIndex?: number; action: string; firstPage?: PageResult<FlashdutyMember> },
): Promise<{ members: FlashdutyMember[]; cut: boolean }> {
	const { items, cutAtReach } = await paginate<FlashdutyMember>({
		style: 'page',
		maxPageSize: FLASHDUTY_MAX_PAGE,
		limit: options.limit,
		reachableItems: FLASHDUTY_REACHABLE_ITEMS,
		fetchPage: async ({ page, pageSize }) =>
			page === 1 && options.firstPage
				? options.firstPage
				: await listMembersPage(client, { ...options.body, p: page, limit: pageSize }, options.action, options.itemIndex),
	});
	return { members: items, cut: cutAtReach };
}

/** The member whose email is exactly `email` (case-insensitive), via /member/list `query`. */
export async function findMemberByEmail(client: VendorClient, email: string, itemIndex?: number): Promise<FlashdutyMember | undefined> {
	// `query` matches names and emails by substring; a full address matches few members, and the
	// exact one is picked here.
	const page = await listMembersPage(client, { p: 1, limit: FLASHDUTY_MAX_PAGE, query: email }, `find member "${email}"`, itemIndex);
	return page.items.find((m) => m.email?.toLowerCase() === email);
}

/** POST /person/infos for IDs (de-duplicated, 100 a request); unknown IDs are simply absent. */
export async function readPersonsById(client: VendorClient, ids: string[]): Promise<Map<string, FlashdutyPerson>> {
	const found = new Map<string, FlashdutyPerson>();
	for (const part of chunk(unique(ids), FLASHDUTY_PERSON_CHUNK)) {
		const numbers = part.map((id) => idNumber(id)).filter((n): n is number => n !== undefined);
		if (numbers.length === 0) continue;
		const data = await client.request<{ items?: IDataObject[] } | null>({
			method: 'POST',
			path: '/person/infos',
			body: { person_ids: numbers },
			idempotent: true,
			action: `read ${numbers.length} member${numbers.length === 1 ? '' : 's'} by ID`,
		});
		for (const raw of data?.items ?? []) {
			const person = withStringIds<FlashdutyPerson>(raw);
			if (person.person_id !== undefined && part.includes(person.person_id)) found.set(person.person_id, person);
		}
	}
	return found;
}

/**
 * Members by ID or email, keyed as asked; keys not found are absent. IDs through /person/infos
 * (the batch read), emails through /member/list with an exact match.
 */
export async function readMembersByKeys(client: VendorClient, keys: string[]): Promise<Map<string, FlashdutyRecord>> {
	const found = new Map<string, FlashdutyRecord>();
	for (const [id, person] of await readPersonsById(client, keys.filter((k) => !isEmailKey(k)))) found.set(id, person);
	const emails = unique(keys.filter((k) => isEmailKey(k)));
	const byEmail = await fanOut(emails, LOOKUP_CONCURRENCY, async (email) => await findMemberByEmail(client, email));
	for (const [email, member] of byEmail) if (member) found.set(email, member);
	return found;
}

/**
 * POST /member/info/reset with the `updates{}` body of Flashduty's legacy spec, CLI and Terraform
 * provider; `member_id` is also what the newer flat schema requires (docs/vendors/flashduty.md#quirks).
 */
export async function updateMemberInfo(client: VendorClient, identifier: IDataObject, updates: IDataObject, itemIndex: number, who: string): Promise<void> {
	await client.request({ method: 'POST', path: '/member/info/reset', body: { ...identifier, updates }, itemIndex, action: `update member "${who}"`, idempotent: true });
}

/** POST /member/role/update: replaces all roles at once (an empty list would reset to Viewer). */
export async function updateMemberRoles(client: VendorClient, memberId: number, roleIds: number[], itemIndex: number, who: string): Promise<void> {
	await client.request({
		method: 'POST',
		path: '/member/role/update',
		body: { member_id: memberId, role_ids: roleIds },
		itemIndex,
		idempotent: true,
		action: `update the roles of member "${who}"`,
	});
}

/** POST /member/invite (at most 20 members); the created members as answered, in the order sent. */
export async function inviteMembers(client: VendorClient, members: IDataObject[], fromApi: boolean, itemIndex: number | undefined, action: string): Promise<FlashdutyMember[]> {
	const body: IDataObject = { members };
	if (fromApi) body.from = 'api';
	// Not idempotent: sent twice, the second is refused (the members exist), so a lost answer is settled by a look-up.
	const data = await client.request<{ items?: IDataObject[] } | null>({
		method: 'POST',
		path: '/member/invite',
		body,
		itemIndex,
		action,
		idempotent: false,
		expect: answerShape('the invited members with their IDs', (answer) => {
			const list = (answer as { items?: unknown } | null)?.items;
			return Array.isArray(list) && list.every((m) => hasId(m, 'member_id'));
		}),
	});
	return (data?.items ?? []).map((raw) => withStringIds<FlashdutyMember>(raw));
}

/** POST /member/delete for one member, by `member_id`, `email` or `ref_id`, with `is_force` when asked. */
export async function deleteMember(client: VendorClient, identifier: IDataObject, force: boolean, itemIndex: number, what: string): Promise<void> {
	await client.request({
		method: 'POST',
		path: '/member/delete',
		body: force ? { ...identifier, is_force: true } : identifier,
		itemIndex,
		// Sent twice, the second finds no member: a lost answer is settled by looking the member up.
		idempotent: false,
		action: `delete member ${what}`,
	});
}
