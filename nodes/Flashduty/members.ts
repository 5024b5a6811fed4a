import type { IDataObject } from 'n8n-workflow';

import { chunk, unique } from '../shared/engine/chunk';
import { errorContext, inputError, isValidationError } from '../shared/engine/errors';
import { paginate, type PageResult } from '../shared/engine/paginate';
import type { VendorClient } from '../shared/engine/request';
import { fanOut, isEmailKey } from '../shared/operations/keys';
import type { ListRecords } from '../shared/operations/list';
import type { ReadByKeys, UpsertOutcome, UpsertRecord } from '../shared/operations/types';
import { sendInChunks } from '../shared/operations/upsert';
import { text } from '../shared/person/unified';
import { FLASHDUTY_MAX_PAGE, FLASHDUTY_PERSON_CHUNK, FLASHDUTY_REACHABLE_ITEMS, FLASHDUTY_TOTAL_CAP, idNumber } from './api';
import type { FlashdutyMember, FlashdutyPerson, FlashdutyRecord, MemberInput } from './mapping';
import { invitePayload, memberUpdates, rolesChanged, withStringIds } from './mapping';

/** How many single look-ups (one per email, one update per member) may wait on the throttle at once. */
const CONCURRENCY = 5;

interface ListBody {
	p?: number;
	limit?: number;
	total?: number;
	/** Not in MemberListResponse, but pagination.mdx says to use it where a list has it. */
	has_next_page?: boolean;
	items?: IDataObject[];
}

/** One page of POST /member/list. `total` is kept only below the API's cap of 1,000. */
async function listPage(client: VendorClient, body: IDataObject, action: string, itemIndex?: number): Promise<PageResult<FlashdutyMember>> {
	const data = await client.request<ListBody | null>({ method: 'POST', path: '/member/list', body, itemIndex, action });
	const items = (data?.items ?? []).map((raw) => withStringIds<FlashdutyMember>(raw));
	const total = typeof data?.total === 'number' && data.total < FLASHDUTY_TOTAL_CAP ? data.total : undefined;
	const hasMore = typeof data?.has_next_page === 'boolean' ? data.has_next_page : undefined;
	return { items, total, hasMore };
}

/** The member whose email is exactly `email` (case-insensitive), via /member/list `query`. */
async function memberByEmail(client: VendorClient, email: string, itemIndex?: number): Promise<FlashdutyMember | undefined> {
	// `query` matches names and emails by substring; a full address matches few members, and the
	// exact one is picked here.
	const page = await listPage(client, { p: 1, limit: FLASHDUTY_MAX_PAGE, query: email }, `find member "${email}"`, itemIndex);
	return page.items.find((m) => m.email?.toLowerCase() === email);
}

/** POST /person/infos for IDs (de-duplicated, 100 a request); unknown IDs are simply absent. */
async function personsById(client: VendorClient, ids: string[]): Promise<Map<string, FlashdutyPerson>> {
	const found = new Map<string, FlashdutyPerson>();
	for (const part of chunk(unique(ids), FLASHDUTY_PERSON_CHUNK)) {
		const numbers = part.map((id) => idNumber(id)).filter((n): n is number => n !== undefined);
		if (numbers.length === 0) continue;
		const data = await client.request<{ items?: IDataObject[] } | null>({
			method: 'POST',
			path: '/person/infos',
			body: { person_ids: numbers },
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
 * Get and Batch Get: IDs through /person/infos (the batch read), emails through /member/list with
 * an exact match. Keys not found are absent; the shared runners report them.
 */
export const readMembers: ReadByKeys<FlashdutyRecord> = async (client, keys) => {
	const found = new Map<string, FlashdutyRecord>();
	const ids = keys.filter((k) => !isEmailKey(k));
	const emails = keys.filter((k) => isEmailKey(k));
	for (const [id, person] of await personsById(client, ids)) found.set(id, person);
	const byEmail = await fanOut(unique(emails), CONCURRENCY, async (email) => await memberByEmail(client, email));
	for (const [email, member] of byEmail) if (member) found.set(email, member);
	return found;
};

/** Rejects, for its item alone, an ID that cannot be sent exactly as a JSON number. */
export function checkMemberKey(key: string): string | undefined {
	if (isEmailKey(key) || idNumber(key) !== undefined) return undefined;
	return /^\d+$/.test(key)
		? `The member ID "${key}" is larger than ${Number.MAX_SAFE_INTEGER}, the largest ID the node can send exactly`
		: `"${key}" is neither a Flashduty member ID nor an email`;
}

export interface ListReport {
	/** Called once when the list was longer than the API lets anyone read (10,000 members). */
	onCut?: (read: number) => void;
}

/** The /member/list filters of Get Many (MemberListRequest: query, role_id, orderby, asc). */
function listFilters(client: VendorClient, filters: IDataObject, options: IDataObject, itemIndex: number): IDataObject {
	const body: IDataObject = {};
	const query = text(filters.query);
	if (query) body.query = query;
	const roleId = text(filters.roleId);
	if (roleId !== undefined) {
		const id = idNumber(roleId);
		if (id === undefined) {
			throw inputError(client.node, `The role ID "${roleId}" is not a whole number`, itemIndex, 'Set Filters > Role ID to a Flashduty role ID, e.g. 6.');
		}
		body.role_id = id;
	}
	const orderby = text(options.orderBy);
	if (orderby) body.orderby = orderby;
	if (typeof options.ascending === 'boolean') body.asc = options.ascending;
	return body;
}

/**
 * Get Many: POST /member/list, 100 a page, to the end or the limit. `total` is trusted only below
 * 1,000 (the API caps it), otherwise a short page ends the list; pages beyond p × limit = 10,000
 * cannot be read at all, which `onCut` reports.
 */
export function listMembers(report: ListReport = {}): ListRecords<FlashdutyMember> {
	return async (client, { limit, filters, options, itemIndex }) => {
		const body = listFilters(client, filters, options, itemIndex);
		const { items, cutAtReach } = await paginate<FlashdutyMember>({
			style: 'page',
			maxPageSize: FLASHDUTY_MAX_PAGE,
			limit,
			reachableItems: FLASHDUTY_REACHABLE_ITEMS,
			fetchPage: async ({ page, pageSize }) => await listPage(client, { ...body, p: page, limit: pageSize }, 'list members', itemIndex),
		});
		if (cutAtReach) report.onCut?.(items.length);
		return items;
	};
}

/** Existing members, indexed the three ways Batch Upsert matches them. */
class Directory {
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
async function loadDirectory(client: VendorClient, inputs: MemberInput[]): Promise<Directory> {
	const directory = new Directory();
	const order = { orderby: 'created_at', asc: true };
	const action = 'list members to match the items';
	const first = await listPage(client, { ...order, p: 1, limit: FLASHDUTY_MAX_PAGE }, action);
	first.items.forEach((m) => directory.add(m));
	const more = first.items.length === FLASHDUTY_MAX_PAGE && (first.total === undefined || first.total > FLASHDUTY_MAX_PAGE);
	if (!more) return directory;

	const unmatchedEmails = () => unique(inputs.filter((i) => !i.id && i.email && !directory.match(i)).map((i) => i.email as string));
	const needFullList = inputs.some((i) => i.id !== undefined || i.externalId !== undefined);
	const pagesLeft =
		first.total !== undefined ? Math.ceil(first.total / FLASHDUTY_MAX_PAGE) - 1 : FLASHDUTY_REACHABLE_ITEMS / FLASHDUTY_MAX_PAGE - 1;
	const readAll = needFullList || pagesLeft <= unmatchedEmails().length;
	if (readAll) {
		const { items, cutAtReach } = await paginate<FlashdutyMember>({
			style: 'page',
			maxPageSize: FLASHDUTY_MAX_PAGE,
			reachableItems: FLASHDUTY_REACHABLE_ITEMS,
			fetchPage: async ({ page, pageSize }) =>
				page === 1 ? first : await listPage(client, { ...order, p: page, limit: pageSize }, action),
		});
		items.forEach((m) => directory.add(m));
		directory.complete = !cutAtReach;
	}
	if (!readAll || !directory.complete) {
		const found = await fanOut(unmatchedEmails(), CONCURRENCY, async (email) => await memberByEmail(client, email));
		for (const member of found.values()) if (member) directory.add(member);
	}
	return directory;
}

function label(input: MemberInput): string {
	return input.email ?? input.externalId ?? input.id ?? input.phone ?? 'member';
}

/**
 * How /member/info/reset and /member/delete name a member: `member_id` (first in Flashduty's
 * order of identifiers) when it is exact in JavaScript, else the email or ref_id.
 */
function identifierOf(member: FlashdutyMember): IDataObject | undefined {
	const id = idNumber(member.member_id);
	if (id !== undefined) return { member_id: id };
	if (member.email) return { email: member.email };
	if (member.ref_id) return { ref_id: member.ref_id };
	return undefined;
}

/** Updates one existing member: only changed fields (`updates{}` shape), then its roles if they differ. */
async function updateMember(client: VendorClient, record: UpsertRecord<MemberInput>, member: FlashdutyMember): Promise<UpsertOutcome<FlashdutyMember>> {
	const { index, payload: input } = record;
	const stored: FlashdutyMember = { ...member };
	const updates = memberUpdates(member, input);
	const roles = rolesChanged(member, input.roleIds) ? input.roleIds : undefined;
	const identifier = identifierOf(member);
	if (!identifier && (Object.keys(updates).length > 0 || roles)) {
		return { index, error: inputError(client.node, `The member "${member.member_id}" cannot be named exactly in a request`, index, 'Its ID is too large for JavaScript and it has no email or ref_id. Update it in the Flashduty console.') };
	}
	try {
		if (Object.keys(updates).length > 0) {
			// The `updates{}` body of the legacy spec, the CLI and the Terraform provider (vendor-apis.md §1);
			// `member_id` is also what the newer flat schema requires.
			await client.request({
				method: 'POST',
				path: '/member/info/reset',
				body: { ...identifier, updates },
				itemIndex: index,
				action: `update member "${label(input)}"`,
			});
			Object.assign(stored, updates);
		}
		if (roles) {
			const memberId = idNumber(member.member_id);
			if (memberId === undefined) {
				return { index, error: inputError(client.node, `The roles of member "${member.member_id}" cannot be changed by this node`, index, 'Its ID is too large to send exactly. Change its roles in the Flashduty console.') };
			}
			// /member/role/update replaces all roles at once (an empty list would reset to Viewer).
			await client.request({
				method: 'POST',
				path: '/member/role/update',
				body: { member_id: memberId, role_ids: roles },
				itemIndex: index,
				action: `update the roles of member "${label(input)}"`,
			});
			stored.account_role_ids = roles;
		}
	} catch (error) {
		return { index, error: error as Error };
	}
	return { index, action: 'updated', record: stored };
}

/** POST /member/invite for one chunk (≤ 20); each created member is matched to its item. */
async function inviteMembers(client: VendorClient, batch: Array<UpsertRecord<MemberInput>>, fromApi: boolean): Promise<Array<UpsertOutcome<FlashdutyMember>>> {
	const body: IDataObject = { members: batch.map((r) => invitePayload(r.payload)) };
	if (fromApi) body.from = 'api';
	const data = await client.request<{ items?: IDataObject[] } | null>({
		method: 'POST',
		path: '/member/invite',
		body,
		itemIndex: batch.length === 1 ? batch[0].index : undefined,
		action: batch.length === 1 ? `invite member "${label(batch[0].payload)}"` : `invite ${batch.length} members`,
	});
	const created = (data?.items ?? []).map((raw) => withStringIds<FlashdutyMember>(raw));
	const used = new Set<number>();
	return batch.map((record, position) => {
		const { payload: input, index } = record;
		// The answer lists the new members in the order sent; the name confirms the pairing.
		let at = created.length === batch.length && (!input.name || created[position].member_name === input.name) ? position : -1;
		if (at < 0) at = created.findIndex((m, i) => !used.has(i) && input.name !== undefined && m.member_name === input.name);
		if (at < 0 || used.has(at) || !created[at].member_id) {
			return { index, error: new Error(`Flashduty did not return the invited member "${label(input)}" in its answer; check the member list before running again`) };
		}
		used.add(at);
		const entry = invitePayload(input);
		const member: FlashdutyMember = { member_id: created[at].member_id, member_name: created[at].member_name ?? input.name };
		for (const [from, to] of [['email', 'email'], ['phone', 'phone'], ['country_code', 'country_code'], ['locale', 'locale'], ['time_zone', 'time_zone'], ['ref_id', 'ref_id']] as const) {
			if (entry[from] !== undefined) member[to] = entry[from] as string;
		}
		if (input.roleIds) member.account_role_ids = input.roleIds;
		return { index, action: 'created', record: member };
	});
}

/**
 * Batch Upsert, composed (Flashduty has no upsert): match each item to a member (ID, else
 * externalId/ref_id, else email), update the existing ones one by one, invite the new ones in
 * chunks of at most 20. One outcome per item; nothing is atomic across items.
 */
export function upsertMembers(options: { fromApi: boolean }) {
	return async (client: VendorClient, records: Array<UpsertRecord<MemberInput>>, batchSize: number): Promise<Array<UpsertOutcome<FlashdutyMember>>> => {
		let directory: Directory;
		try {
			directory = await loadDirectory(client, records.map((r) => r.payload));
		} catch (error) {
			return records.map((r) => ({ index: r.index, error: error as Error }));
		}
		const outcomes: Array<UpsertOutcome<FlashdutyMember>> = [];
		const updates: Array<{ record: UpsertRecord<MemberInput>; member: FlashdutyMember }> = [];
		const invites: Array<UpsertRecord<MemberInput>> = [];
		const newKeys = new Map<string, number>();
		for (const record of records) {
			const { payload: input, index } = record;
			const member = directory.match(input);
			if (member) {
				updates.push({ record, member });
				continue;
			}
			if (input.id) {
				const where = directory.complete ? '' : ' among the first 10,000 members the API lets the node read';
				outcomes.push({ index, error: inputError(client.node, `No Flashduty member has the ID "${input.id}"${where}`, index, 'Check the ID, or remove "id"/"member_id" from the item so that it is matched by externalId or email (and invited when nothing matches).') });
				continue;
			}
			if (!input.email && !input.phone) {
				outcomes.push({ index, error: inputError(client.node, `No Flashduty member has the externalId "${input.externalId}", and the item has no email or phone to invite one`, index, 'Add an "email" (or "phone") to the item so that a new member can be invited.') });
				continue;
			}
			const keys = [input.email && `e:${input.email}`, input.externalId && `r:${input.externalId}`, input.phone && `p:${input.phone}`].filter((k): k is string => !!k);
			const earlier = keys.map((k) => newKeys.get(k)).find((i) => i !== undefined);
			if (earlier !== undefined) {
				outcomes.push({ index, error: inputError(client.node, `The same new member as item ${earlier} (same email, externalId or phone)`, index, 'Remove the duplicate item, or run the upsert again: the member then exists and is updated.') });
				continue;
			}
			keys.forEach((k) => newKeys.set(k, index));
			invites.push(record);
		}
		const updated = await fanOut(
			updates.map((_, i) => String(i)),
			CONCURRENCY,
			async (i) => await updateMember(client, updates[Number(i)].record, updates[Number(i)].member),
		);
		outcomes.push(...updated.values());
		outcomes.push(
			...(await sendInChunks<UpsertRecord<MemberInput>, UpsertOutcome<FlashdutyMember>>(
				invites,
				batchSize,
				async (batch) => await inviteMembers(client, batch, options.fromApi),
				(record, error) => ({ index: record.index, error }),
				// Only a refusal of the data is worth splitting a chunk for (not NoLicense, AccessDenied...).
				(error) => isValidationError(error) && ['InvalidParameter', 'BadRequest'].includes(errorContext(error).code ?? ''),
			)),
		);
		return outcomes;
	};
}

/** POST /member/delete for one member, by `member_id`, `email` or `ref_id`, with `is_force` when asked. */
export async function deleteMember(client: VendorClient, identifier: IDataObject, force: boolean, itemIndex: number, what: string): Promise<void> {
	await client.request({
		method: 'POST',
		path: '/member/delete',
		body: force ? { ...identifier, is_force: true } : identifier,
		itemIndex,
		action: `delete member ${what}`,
	});
}

