import { NodeOperationError, type IDataObject } from 'n8n-workflow';

import { answerShape, hasId, recordsWithIds, type AnswerShape } from '../shared/engine/answers';
import { unique } from '../shared/engine/batch';
import { errorContext } from '../shared/engine/errors';
import { emptyRead, firstFailure, mergeRead, readEach, readInChunks, type KeyedRead } from '../shared/engine/keyedRead';
import { incompleteList, paginate, type PageResult } from '../shared/engine/paginate';
import type { VendorClient } from '../shared/engine/request';
import { asRecord } from '../shared/engine/values';
import { isEmailKey } from '../shared/helpers/keys';
import { isUserId, PERSCOM_MAX_BATCH, PERSCOM_MAX_PAGE, usersPath } from './api';
import { unwrapData, type PerscomUser } from './mapping';
import type { OrionSearch } from './search';

/** PERSCOM's user API calls (docs/vendors/perscom.md): list and search, get, read by keys, batch create, update and delete. */

interface OrionPage {
	data: PerscomUser[];
	links?: { next?: string | null };
	meta?: { current_page?: number; last_page?: number; total?: number };
}

/** A page of a list or search: `{data[], links, meta}` (docs/vendors/perscom.md#pagination), each user with its `id`. */
const PAGE = answerShape('a page of users', (body) => {
	const page = asRecord(body);
	return !!page && recordsWithIds(page.data) && (asRecord(page.meta) !== undefined || asRecord(page.links) !== undefined);
});

/** `{data: {id, …}}` for the user asked for, and no other. */
function oneUser(id: string) {
	return answerShape(`user ${id}`, (body) => hasId(unwrapData(body)) && String(asRecord(unwrapData(body))?.id) === id);
}

/** `data` + whether more pages follow, from `meta.current_page/last_page`, else `links.next`. */
function toPageResult(body: OrionPage): PageResult<PerscomUser> {
	const meta = body.meta ?? {};
	let hasMore: boolean | undefined;
	if (typeof meta.current_page === 'number' && typeof meta.last_page === 'number') hasMore = meta.current_page < meta.last_page;
	else if (body.links && 'next' in body.links) hasMore = !!body.links.next;
	return { items: body.data, hasMore, total: typeof meta.total === 'number' ? meta.total : undefined };
}

function includeQs(include: string[] | undefined): IDataObject {
	return include && include.length > 0 ? { include: include.join(',') } : {};
}

/** The users of a batch answer (`{data: [...]}`), or undefined when the answer has no list. */
function usersInAnswer(body: unknown): PerscomUser[] | undefined {
	const data = unwrapData<unknown>(body);
	return Array.isArray(data) ? (data as PerscomUser[]) : undefined;
}

/** A batch answer `{data: [...]}` whose users carry what pairs them with what was sent (an ID, and an email for creates). */
function batchAnswer(what: string, withEmail: boolean): AnswerShape {
	return answerShape(what, (body) => {
		const users = usersInAnswer(body);
		return !!users && users.every((u) => hasId(u) && (!withEmail || typeof u.email === 'string'));
	});
}

/**
 * Every page of a user list (or up to `limit` users): GET /{version}/users, or POST
 * /{version}/users/search when a search body is given. Orion pages by `?page=&limit=`
 * (docs/vendors/perscom.md#pagination). Users are de-duplicated by ID; a list that changes while it
 * is read is read again, and `mayBeMissing` says how many may still be missing when it kept changing.
 */
export async function listUsers(
	client: VendorClient,
	options: { search?: OrionSearch; include?: string[]; limit?: number; itemIndex?: number; action: string },
): Promise<{ users: PerscomUser[]; mayBeMissing: number }> {
	const { items, mayBeMissing } = await paginate<PerscomUser>({
		style: 'page',
		maxPageSize: PERSCOM_MAX_PAGE,
		limit: options.limit,
		idOf: (user) => String(user.id),
		incomplete: incompleteList(client, options.action, options.itemIndex),
		concurrency: client.maxInFlight,
		fetchPage: async ({ page, pageSize }) => {
			const qs = { ...includeQs(options.include), page, limit: pageSize };
			const common = { qs, itemIndex: options.itemIndex, action: options.action, expect: PAGE };
			const body = options.search
				? await client.request<OrionPage>({ method: 'POST', path: usersPath('/search'), body: options.search, idempotent: true, ...common })
				: await client.request<OrionPage>({ method: 'GET', path: usersPath(), ...common });
			return toPageResult(body);
		},
	});
	return { users: items, mayBeMissing };
}

/**
 * One page of users (`page` of `limit`): GET /{version}/users, or with `text` POST
 * /{version}/users/search `{search: {value}}`, Orion's search of the searchable fields (name and
 * email among them: docs/vendors/perscom.md#quirks). A server without the search route (404/405)
 * gets the GET page, filtered here on name and email.
 */
export async function listUsersPage(client: VendorClient, options: { text?: string; page: number; limit: number; action: string }): Promise<PageResult<PerscomUser>> {
	const { text, action } = options;
	const qs = { page: options.page, limit: options.limit };
	const plain = async () => toPageResult(await client.request<OrionPage>({ method: 'GET', path: usersPath(), qs, action, expect: PAGE }));
	if (!text) return await plain();
	let failure: unknown;
	try {
		// Orion's search is case-sensitive unless told otherwise (docs/vendors/perscom.md#quirks).
		const search: OrionSearch = { search: { value: text, case_sensitive: false } };
		return toPageResult(await client.request<OrionPage>({ method: 'POST', path: usersPath('/search'), body: search, qs, idempotent: true, action, expect: PAGE }));
	} catch (error) {
		failure = error;
	}
	const { status } = errorContext(failure);
	// Errors from client.request are already NodeApiErrors naming what failed and the fix.
	if (status !== 404 && status !== 405) throw failure;
	const page = await plain();
	const needle = text.toLowerCase();
	const items = page.items.filter((user) => [user.name, user.email].some((field) => typeof field === 'string' && field.toLowerCase().includes(needle)));
	return { items, hasMore: page.hasMore };
}

/** GET /{version}/users/{id}; undefined when PERSCOM has no such user. */
export async function getUser(client: VendorClient, id: string, include: string[]): Promise<PerscomUser | undefined> {
	const body = await client.find<{ data: PerscomUser }>({ method: 'GET', path: usersPath(`/${id}`), qs: includeQs(include), action: `get user ${id}`, expect: oneUser(id) });
	return body?.data;
}

/** Clients whose server answered 404/405 to POST /users/search (the route is Orion's default, not in the spec: docs/vendors/perscom.md#endpoints-used). */
const withoutSearch = new WeakSet<VendorClient>();

/**
 * Reads keys with `search` in chunks of 100 (a chunk refused for one key is split until the key
 * stands alone). If the server has no search route (404/405: a search never answers "not found"
 * for an empty result), that is remembered for this run and the keys are read with `fallback`.
 */
async function readBySearch(
	client: VendorClient,
	keys: string[],
	search: (part: string[]) => Promise<Map<string, PerscomUser>>,
	fallback: (keys: string[]) => Promise<KeyedRead<PerscomUser>>,
): Promise<KeyedRead<PerscomUser>> {
	if (keys.length === 0) return emptyRead();
	if (withoutSearch.has(client)) return await fallback(keys);
	// What a chunk fails with, unsent, once the server is known to have no search route: its keys are read another way below.
	const noSearchRoute = new NodeOperationError(client.node, 'PERSCOM has no search route (POST /users/search)');
	const read = await readInChunks(keys, PERSCOM_MAX_BATCH, async (part) => {
		if (withoutSearch.has(client)) throw noSearchRoute;
		let failure: unknown;
		try {
			return await search(part);
		} catch (error) {
			failure = error;
		}
		const { status } = errorContext(failure);
		// Errors from client.request are already NodeApiErrors naming the item and the fix.
		if (status !== 404 && status !== 405) throw failure;
		withoutSearch.add(client);
		// Not a "not found" for the keys, and not a reason to split: they are read another way below.
		throw noSearchRoute;
	}, client.maxInFlight);
	const unsearched = [...read.failed].filter(([, error]) => error === noSearchRoute).map(([key]) => key);
	for (const key of unsearched) read.failed.delete(key);
	return unsearched.length > 0 ? mergeRead(read, await fallback(unsearched)) : read;
}

/**
 * Users by lower-cased email, with the emails whose read failed apart, through `email in [...]`
 * searches of 100 emails each (without a search route: the full list, once).
 */
export async function readUsersByEmail(client: VendorClient, emails: string[], include: string[] = []): Promise<KeyedRead<PerscomUser>> {
	const wanted = unique(emails.map((e) => e.toLowerCase()));
	const byEmail = (users: PerscomUser[], part: string[]) => {
		const asked = new Set(part);
		return new Map(users.filter((u) => typeof u.email === 'string' && asked.has(u.email.toLowerCase())).map((u) => [(u.email as string).toLowerCase(), u] as const));
	};
	return await readBySearch(
		client,
		wanted,
		async (part) => {
			const noun = part.length === 1 ? 'user' : 'users';
			const search: OrionSearch = { filters: [{ field: 'email', operator: 'in', value: part }] };
			return byEmail((await listUsers(client, { search, include, action: `look up ${part.length} ${noun} by email` })).users, part);
		},
		async (rest) => {
			const read = emptyRead<PerscomUser>();
			try {
				const { users } = await listUsers(client, { include, action: 'list users to match them by email' });
				read.found = byEmail(users, rest);
			} catch (error) {
				for (const email of rest) read.failed.set(email, error as Error);
			}
			return read;
		},
	);
}

/**
 * Users by lower-cased email, for a write that needs every look-up: the first failure is thrown
 * (a user whose look-up failed must never look absent).
 */
export async function findUsersByEmail(client: VendorClient, emails: string[], include: string[] = []): Promise<Map<string, PerscomUser>> {
	const read = await readUsersByEmail(client, emails, include);
	const failure = firstFailure(read);
	if (failure) throw failure;
	return read.found;
}

/**
 * Users by ID or email, keyed as asked, with the keys whose read failed apart; keys not found are
 * absent. One ID is GET /users/{id}; several IDs are `id in [...]` searches of 100 (every page
 * followed; a search refused for one ID is split until that ID stands alone), emails as in
 * `readUsersByEmail`. Without a search route, IDs are read one by one.
 */
export async function readUsersByKeys(client: VendorClient, keys: string[], include: string[] = []): Promise<KeyedRead<PerscomUser>> {
	const ids = unique(keys.filter(isUserId));
	const emails = unique(keys.filter(isEmailKey).map((k) => k.toLowerCase()));
	const one = async (rest: string[]) => await readEach(rest, client.maxInFlight, async (id) => await getUser(client, id, include));
	const read =
		ids.length === 1 && emails.length === 0
			? await one(ids)
			: await readBySearch(
					client,
					ids,
					async (part) => {
						const search: OrionSearch = { filters: [{ field: 'id', operator: 'in', value: part.map(Number) }] };
						const { users } = await listUsers(client, { search, include, action: `look up ${part.length} users by ID` });
						const asked = new Set(part);
						return new Map(users.filter((u) => asked.has(String(u.id))).map((u) => [String(u.id), u] as const));
					},
					one,
				);
	return mergeRead(read, await readUsersByEmail(client, emails, include));
}

/** POST /{version}/users/batch `{resources: [...]}`: one transaction; the created users, as answered. */
export async function createUsers(client: VendorClient, users: IDataObject[], itemIndex: number | undefined, what: string): Promise<PerscomUser[]> {
	// A create: sent twice, it makes the users twice (idempotent: false), so a lost answer is settled by a search.
	const body = await client.request({
		method: 'POST',
		path: usersPath('/batch'),
		body: { resources: users },
		itemIndex,
		action: `create ${what}`,
		idempotent: false,
		expect: batchAnswer('a list of the created users with their IDs and emails', true),
	});
	return usersInAnswer(body) ?? [];
}

/**
 * PATCH /{version}/users/batch `{resources: {id: {...}}}`: one transaction. The updated users. Orion skips IDs it no longer finds (docs/vendors/perscom.md#quirks).
 */
export async function updateUsers(client: VendorClient, changes: Record<string, IDataObject>, itemIndex: number | undefined, what: string): Promise<PerscomUser[]> {
	const body = await client.request({
		method: 'PATCH',
		path: usersPath('/batch'),
		body: { resources: changes },
		itemIndex,
		action: `update ${what}`,
		idempotent: true,
		expect: batchAnswer('a list of the updated users with their IDs', false),
	});
	return usersInAnswer(body) ?? [];
}

/** DELETE /{version}/users/{id}. */
export async function deleteUser(client: VendorClient, id: number, itemIndex: number): Promise<void> {
	await client.request({ method: 'DELETE', path: usersPath(`/${id}`), itemIndex, action: `delete user ${id}`, idempotent: false });
}

/**
 * DELETE /{version}/users/batch `{resources: [ids]}`: one transaction. The users deleted (Orion deletes only the IDs it finds: docs/vendors/perscom.md#quirks).
 */
export async function deleteUsers(client: VendorClient, ids: number[]): Promise<PerscomUser[]> {
	const body = await client.request({
		method: 'DELETE',
		path: usersPath('/batch'),
		body: { resources: ids },
		action: `delete ${ids.length} users`,
		idempotent: false,
		expect: batchAnswer('a list of the deleted users with their IDs', false),
	});
	return usersInAnswer(body) ?? [];
}
