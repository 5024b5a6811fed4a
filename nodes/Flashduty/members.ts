import type { IDataObject } from 'n8n-workflow';

import { answerShape, hasId, recordsWithIds } from '../shared/engine/answers';
import { unique } from '../shared/engine/batch';
import { mergeRead, readEach, readInChunks, type KeyedRead } from '../shared/engine/keyedRead';
import { incompleteList, paginate, type PageResult } from '../shared/engine/paginate';
import type { VendorClient } from '../shared/engine/request';
import { asRecord } from '../shared/engine/values';
import { isEmailKey, shownKey } from '../shared/helpers/keys';
import { FLASHDUTY_MAX_PAGE, FLASHDUTY_PERSON_CHUNK, FLASHDUTY_REACHABLE_ITEMS, FLASHDUTY_TOTAL_CAP, idNumber } from './api';
import { withStringIds, type FlashdutyMember, type FlashdutyPerson, type FlashdutyRecord } from './mapping';

/** Flashduty's member API calls (docs/vendors/flashduty.md): list, find, read by ID, update, roles, invite, delete. */

/** How many single look-ups (one per email) may wait on the throttle at once. */

interface ListBody {
	p?: number;
	limit?: number;
	total?: number;
	/** Not in MemberListResponse, but Flashduty's pagination guide says to use it where a list has it (docs/vendors/flashduty.md#pagination). */
	has_next_page?: boolean;
	items: IDataObject[];
}

/** `data` of /member/list: `{items[MemberItem], total?}`; `data: null` or no `items` is not a page. */
const MEMBER_PAGE = answerShape('a page of members', (data) => {
	const page = asRecord(data);
	return !!page && recordsWithIds(page.items, 'member_id') && (page.total === undefined || typeof page.total === 'number');
});
/** `data` of /person/infos: `{items[PersonItem]}`. */
const PERSON_ITEMS = answerShape('a list of members', (data) => recordsWithIds(asRecord(data)?.items, 'person_id'));

/** One page of POST /member/list. `total` is kept only below the API's cap of 1,000. */
export async function listMembersPage(client: VendorClient, body: IDataObject, action: string, itemIndex?: number): Promise<PageResult<FlashdutyMember>> {
	const data = await client.request<ListBody>({ method: 'POST', path: '/member/list', body, itemIndex, action, idempotent: true, expect: MEMBER_PAGE });
	const items = data.items.map((raw) => withStringIds<FlashdutyMember>(raw));
	const total = typeof data.total === 'number' && data.total < FLASHDUTY_TOTAL_CAP ? data.total : undefined;
	const hasMore = typeof data.has_next_page === 'boolean' ? data.has_next_page : undefined;
	return { items, total, hasMore };
}

/**
 * POST /member/list, 100 a page, to the end or the limit. `total` is trusted only below 1,000 (the
 * API caps it), otherwise a short page ends the list; pages beyond p × limit = 10,000 cannot be read
 * at all: `cut` says so. `firstPage`, when given, is used instead of reading page 1 again. Members
 * are de-duplicated by ID; a list that changes while it is read is read again (`changed`), and
 * `mayBeMissing` says how many may still be missing when it kept changing.
 */
export async function listMembers(
	client: VendorClient,
	options: { body: IDataObject; limit?: number; itemIndex?: number; action: string; firstPage?: PageResult<FlashdutyMember> },
): Promise<{ members: FlashdutyMember[]; cut: boolean; changed: boolean; mayBeMissing: number }> {
	const { items, cutAtReach, changed, mayBeMissing } = await paginate<FlashdutyMember>({
		style: 'page',
		maxPageSize: FLASHDUTY_MAX_PAGE,
		limit: options.limit,
		reachableItems: FLASHDUTY_REACHABLE_ITEMS,
		idOf: (member) => member.member_id,
		incomplete: incompleteList(client, options.action, options.itemIndex),
		concurrency: client.maxInFlight,
		fetchPage: async ({ page, pageSize, reread }) =>
			page === 1 && options.firstPage && !reread
				? options.firstPage
				: await listMembersPage(client, { ...options.body, p: page, limit: pageSize }, options.action, options.itemIndex),
	});
	return { members: items, cut: cutAtReach, changed, mayBeMissing };
}

/**
 * The member whose email is exactly `email` (case-insensitive), via /member/list `query`, which
 * matches names and emails by substring. A full address matches few members; when it matches a
 * whole page, every match is read (oldest first, a stable order) until the exact one is found.
 */
export async function findMemberByEmail(client: VendorClient, email: string, itemIndex?: number): Promise<FlashdutyMember | undefined> {
	const action = `find member "${shownKey(email)}"`;
	const first = await listMembersPage(client, { p: 1, limit: FLASHDUTY_MAX_PAGE, query: email }, action, itemIndex);
	const exact = (members: FlashdutyMember[]) => members.find((m) => m.email?.toLowerCase() === email);
	const hit = exact(first.items);
	if (hit || first.items.length < FLASHDUTY_MAX_PAGE) return hit;
	return exact((await listMembers(client, { body: { query: email, orderby: 'created_at', asc: true }, itemIndex, action })).members);
}

/**
 * POST /person/infos for IDs (de-duplicated, 100 a request), keyed by ID, with the IDs whose read
 * failed apart; unknown IDs are simply absent. A request Flashduty refuses (400) is split until
 * the refused ID stands alone.
 */
export async function readPersonsById(client: VendorClient, ids: string[]): Promise<KeyedRead<FlashdutyPerson>> {
	const sendable = unique(ids).filter((id) => idNumber(id) !== undefined);
	return await readInChunks(sendable, FLASHDUTY_PERSON_CHUNK, async (part) => {
		const data = await client.request<{ items: IDataObject[] }>({
			method: 'POST',
			path: '/person/infos',
			body: { person_ids: part.map((id) => idNumber(id) as number) },
			idempotent: true,
			action: `read ${part.length} member${part.length === 1 ? '' : 's'} by ID`,
			expect: PERSON_ITEMS,
		});
		const found = new Map<string, FlashdutyPerson>();
		for (const raw of data.items) {
			const person = withStringIds<FlashdutyPerson>(raw);
			if (part.includes(person.person_id)) found.set(person.person_id, person);
		}
		return found;
	}, client.maxInFlight);
}

/**
 * Members by ID or email, keyed as asked, with the keys whose read failed apart. IDs through
 * /person/infos (the batch read), emails through /member/list with an exact match, each on its own.
 */
export async function readMembersByKeys(client: VendorClient, keys: string[]): Promise<KeyedRead<FlashdutyRecord>> {
	const read: KeyedRead<FlashdutyRecord> = await readPersonsById(client, keys.filter((k) => !isEmailKey(k)));
	const emails = unique(keys.filter((k) => isEmailKey(k)));
	return mergeRead(read, await readEach(emails, client.maxInFlight, async (email) => await findMemberByEmail(client, email)));
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
export async function deleteMember(client: VendorClient, identifier: IDataObject, force: boolean, itemIndex: number | undefined, what: string): Promise<void> {
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
