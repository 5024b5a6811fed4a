import type { IDataObject } from 'n8n-workflow';

import { answerShape, hasId, type AnswerShape } from '../shared/engine/answers';
import { chunk, fanOut, unique } from '../shared/engine/batch';
import { errorContext } from '../shared/engine/errors';
import { paginate, type PageResult } from '../shared/engine/paginate';
import type { VendorClient } from '../shared/engine/request';
import { isEmailKey } from '../shared/helpers/keys';
import { isUserId, PERSCOM_MAX_BATCH, PERSCOM_MAX_PAGE, usersPath } from './api';
import { unwrapData, type PerscomUser } from './mapping';
import type { OrionSearch } from './search';

/** PERSCOM's user API calls (docs/vendors/perscom.md): list and search, get, read by keys, batch create, update and delete. */

interface OrionPage {
	data?: PerscomUser[];
	links?: { next?: string | null };
	meta?: { current_page?: number; last_page?: number; total?: number };
}

/** `data` + whether more pages follow, from `meta.current_page/last_page`, else `links.next`. */
function toPageResult(body: OrionPage): PageResult<PerscomUser> {
	const items = Array.isArray(body.data) ? body.data : [];
	const meta = body.meta ?? {};
	let hasMore: boolean | undefined;
	if (typeof meta.current_page === 'number' && typeof meta.last_page === 'number') hasMore = meta.current_page < meta.last_page;
	else if (body.links && 'next' in body.links) hasMore = !!body.links.next;
	return { items, hasMore, total: typeof meta.total === 'number' ? meta.total : undefined };
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
 * /{version}/users/search when a search body is given. Orion pages by `?page=&limit=` (docs/vendors/perscom.md#pagination).
 */
export async function listUsers(
	client: VendorClient,
	options: { search?: OrionSearch; include?: string[]; limit?: number; itemIndex?: number; action: string },
): Promise<PerscomUser[]> {
	const { items } = await paginate<PerscomUser>({
		style: 'page',
		maxPageSize: PERSCOM_MAX_PAGE,
		limit: options.limit,
		fetchPage: async ({ page, pageSize }) => {
			const qs = { ...includeQs(options.include), page, limit: pageSize };
			const body = options.search
				? await client.request<OrionPage>({ method: 'POST', path: usersPath('/search'), qs, body: options.search, itemIndex: options.itemIndex, action: options.action, idempotent: true })
				: await client.request<OrionPage>({ method: 'GET', path: usersPath(), qs, itemIndex: options.itemIndex, action: options.action });
			return toPageResult(body ?? {});
		},
	});
	return items;
}

/** GET /{version}/users/{id}; undefined when PERSCOM has no such user. */
export async function getUser(client: VendorClient, id: string, include: string[]): Promise<PerscomUser | undefined> {
	const body = await client.find<{ data?: PerscomUser }>({ method: 'GET', path: usersPath(`/${id}`), qs: includeQs(include), action: `get user ${id}` });
	const user = unwrapData<PerscomUser>(body);
	return user && String(user.id) === id ? user : undefined;
}

/** Clients whose server answered 404/405 to POST /users/search (the route is Orion's default, not in the spec: docs/vendors/perscom.md#endpoints-used). */
const withoutSearch = new WeakSet<VendorClient>();

/**
 * Runs a search; if the server has no search route (404/405: a search never answers "not found"
 * for an empty result), remembers that for this run and uses the fallback from then on.
 */
async function searchOr<T>(client: VendorClient, search: () => Promise<T>, fallback: () => Promise<T>): Promise<T> {
	if (!withoutSearch.has(client)) {
		let failure: unknown;
		try {
			return await search();
		} catch (error) {
			failure = error;
		}
		const { status } = errorContext(failure);
		// Errors from client.request are already NodeApiErrors naming the item and the fix.
		if (status !== 404 && status !== 405) throw failure;
		withoutSearch.add(client);
	}
	return await fallback();
}

/** How many single reads may wait on the throttle at once when the search route is missing. */
const READ_CONCURRENCY = 4;

/** Users by lower-cased email, through `email in [...]` searches of 100 emails each (without a search route: the full list). */
export async function findUsersByEmail(client: VendorClient, emails: string[], include: string[] = []): Promise<Map<string, PerscomUser>> {
	const found = new Map<string, PerscomUser>();
	let everyone: PerscomUser[] | undefined;
	for (const part of chunk(unique(emails), PERSCOM_MAX_BATCH)) {
		const users = await searchOr(
			client,
			async () =>
				await listUsers(client, {
					search: { filters: [{ field: 'email', operator: 'in', value: part }] },
					include,
					action: `look up ${part.length} ${part.length === 1 ? 'user' : 'users'} by email`,
				}),
			async () => (everyone ??= await listUsers(client, { include, action: 'list users to match them by email' })),
		);
		for (const user of users) {
			const email = typeof user.email === 'string' ? user.email.toLowerCase() : undefined;
			if (email && part.includes(email)) found.set(email, user);
		}
	}
	return found;
}

/**
 * Users by ID or email, keyed as asked; keys not found are absent. One ID is GET /users/{id};
 * several IDs are `id in [...]` searches of 100 (every page followed), emails as in
 * `findUsersByEmail`. Without a search route, IDs are read one by one.
 */
export async function readUsersByKeys(client: VendorClient, keys: string[], include: string[] = []): Promise<Map<string, PerscomUser>> {
	const found = new Map<string, PerscomUser>();
	const ids = unique(keys.filter(isUserId));
	const emails = unique(keys.filter(isEmailKey).map((k) => k.toLowerCase()));
	if (ids.length === 1 && emails.length === 0) {
		const user = await getUser(client, ids[0], include);
		if (user) found.set(ids[0], user);
		return found;
	}
	for (const part of chunk(ids, PERSCOM_MAX_BATCH)) {
		const users = await searchOr(
			client,
			async () =>
				await listUsers(client, {
					search: { filters: [{ field: 'id', operator: 'in', value: part.map(Number) }] },
					include,
					action: `look up ${part.length} users by ID`,
				}),
			async () => [...(await fanOut(part, READ_CONCURRENCY, async (id) => await getUser(client, id, include))).values()].filter((u): u is PerscomUser => !!u),
		);
		for (const user of users) if (part.includes(String(user.id))) found.set(String(user.id), user);
	}
	for (const [key, user] of await findUsersByEmail(client, emails, include)) found.set(key, user);
	return found;
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
