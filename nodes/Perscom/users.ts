import type { IDataObject } from 'n8n-workflow';

import { chunk, unique } from '../shared/engine/chunk';
import { errorContext, inputError, isValidationError } from '../shared/engine/errors';
import { paginate, type PageResult } from '../shared/engine/paginate';
import type { VendorClient } from '../shared/engine/request';
import { fanOut, isEmailKey } from '../shared/operations/keys';
import type { ListRecords } from '../shared/operations/list';
import type { ReadByKeys, UpsertOutcome, UpsertRecord } from '../shared/operations/types';
import { sendInChunks } from '../shared/operations/upsert';
import { PERSCOM_MAX_BATCH, PERSCOM_MAX_PAGE, usersPath } from './api';
import { dataOf, type PerscomUser, type PerscomUserPayload } from './mapping';

/** One Orion search filter: `{field, operator, value}` (operators = != < <= > >= in 'not in' like...). */
export interface OrionFilter extends IDataObject {
	field: string;
	operator: string;
	value: string | number | boolean | Array<string | number>;
}

export interface OrionSort extends IDataObject {
	field: string;
	direction: 'asc' | 'desc';
}

/** The body of POST /{version}/users/search (Laravel Orion's search request). */
export interface OrionSearch extends IDataObject {
	filters?: OrionFilter[];
	sort?: OrionSort[];
	search?: { value: string };
}

interface OrionPage {
	data?: PerscomUser[];
	links?: { next?: string | null };
	meta?: { current_page?: number; last_page?: number; total?: number };
}

/** `data` + whether more pages follow, from `meta.current_page/last_page`, else `links.next`. */
function pageOf(body: OrionPage): PageResult<PerscomUser> {
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

/**
 * Every page of a user list: GET /{version}/users, or POST /{version}/users/search when a search
 * body is given. Orion pages by `?page=&limit=` (its default limit is 15; asking for more is allowed).
 */
export async function pageUsers(
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
				? await client.request<OrionPage>({ method: 'POST', path: usersPath('/search'), qs, body: options.search, itemIndex: options.itemIndex, action: options.action })
				: await client.request<OrionPage>({ method: 'GET', path: usersPath(), qs, itemIndex: options.itemIndex, action: options.action });
			return pageOf(body ?? {});
		},
	});
	return items;
}

/** Whether a key is a PERSCOM user ID (a positive integer). */
export function isUserId(key: string): boolean {
	return /^[1-9]\d*$/.test(key);
}

/** Clients whose server answered 404/405 to POST /users/search (vendor-apis.md: the route is Orion's default, not in the spec). */
const withoutSearch = new WeakSet<VendorClient>();

function isMissingRoute(error: unknown): boolean {
	const { status } = errorContext(error);
	return status === 404 || status === 405;
}

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
		// Errors from client.request are already NodeApiErrors naming the item and the fix.
		if (!isMissingRoute(failure)) throw failure;
		withoutSearch.add(client);
	}
	return await fallback();
}

async function getUser(client: VendorClient, id: string, include: string[]): Promise<PerscomUser | undefined> {
	const body = await client.find<{ data?: PerscomUser }>({ method: 'GET', path: usersPath(`/${id}`), qs: includeQs(include), action: `get user ${id}` });
	const user = dataOf<PerscomUser>(body);
	return user && String(user.id) === id ? user : undefined;
}

/** How many single reads may wait on the throttle at once when the search route is missing. */
const READ_CONCURRENCY = 4;

/**
 * Get and Batch Get: one user by ID is GET /{version}/users/{id}; several IDs, and emails, are read
 * with POST /{version}/users/search and an `in` filter, 100 keys a search, every page followed.
 * Keys not found are absent from the map (the runners report them). Without a search route, IDs
 * are read one by one and emails matched in the full list.
 */
export function readUsers(include: string[] = []): ReadByKeys<PerscomUser> {
	return async (client, keys) => {
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
					await pageUsers(client, {
						search: { filters: [{ field: 'id', operator: 'in', value: part.map(Number) }] },
						include,
						action: `look up ${part.length} users by ID`,
					}),
				async () => [...(await fanOut(part, READ_CONCURRENCY, async (id) => await getUser(client, id, include))).values()].filter((u): u is PerscomUser => !!u),
			);
			for (const user of users) if (part.includes(String(user.id))) found.set(String(user.id), user);
		}
		for (const [key, user] of await usersByEmail(client, emails, include)) found.set(key, user);
		return found;
	};
}

/** Users by lower-cased email, through `email in [...]` searches of 100 emails each. */
export async function usersByEmail(client: VendorClient, emails: string[], include: string[] = []): Promise<Map<string, PerscomUser>> {
	const found = new Map<string, PerscomUser>();
	let everyone: PerscomUser[] | undefined;
	for (const part of chunk(unique(emails), PERSCOM_MAX_BATCH)) {
		const users = await searchOr(
			client,
			async () =>
				await pageUsers(client, {
					search: { filters: [{ field: 'email', operator: 'in', value: part }] },
					include,
					action: `look up ${part.length} ${part.length === 1 ? 'user' : 'users'} by email`,
				}),
			async () => (everyone ??= await pageUsers(client, { include, action: 'list users to match them by email' })),
		);
		for (const user of users) {
			const email = typeof user.email === 'string' ? user.email.toLowerCase() : undefined;
			if (email && part.includes(email)) found.set(email, user);
		}
	}
	return found;
}

/** Orion's search filters of Get Many, from the node's Filters collection. */
export function searchFilters(filters: IDataObject): OrionFilter[] {
	const out: OrionFilter[] = [];
	if (typeof filters.approved === 'boolean') out.push({ field: 'approved', operator: '=', value: filters.approved });
	for (const [param, field] of [
		['positionId', 'position_id'],
		['rankId', 'rank_id'],
		['specialtyId', 'specialty_id'],
		['statusId', 'status_id'],
		['unitId', 'unit_id'],
	] as const) {
		const value = filters[param];
		if (typeof value === 'number' && value > 0) out.push({ field, operator: '=', value });
	}
	if (typeof filters.email === 'string' && filters.email.trim() !== '') out.push({ field: 'email', operator: '=', value: filters.email.trim().toLowerCase() });
	if (typeof filters.nameContains === 'string' && filters.nameContains.trim() !== '') {
		out.push({ field: 'name', operator: 'like', value: `%${filters.nameContains.trim()}%` });
	}
	for (const [param, field] of [
		['createdSince', 'created_at'],
		['updatedSince', 'updated_at'],
	] as const) {
		const value = filters[param];
		if (typeof value === 'string' && value.trim() !== '') out.push({ field, operator: '>=', value: sqlDate(value) });
	}
	return out;
}

/**
 * PERSCOM stores dates in UTC as SQL datetimes, and Orion compares filter values as given, so a
 * date is sent as `YYYY-MM-DD HH:MM:SS` in UTC. An unparseable value is sent as typed.
 */
export function sqlDate(value: string): string {
	const parsed = Date.parse(value);
	return Number.isNaN(parsed) ? value : new Date(parsed).toISOString().slice(0, 19).replace('T', ' ');
}

/** Get Many: GET /users page by page, or /users/search when a filter or a sort is set. */
export const listUsers: ListRecords<PerscomUser> = async (client, { limit, filters, options, itemIndex }) => {
	const include = Array.isArray(options.include) ? (options.include as string[]) : [];
	const search: OrionSearch = {};
	const orionFilters = searchFilters(filters);
	if (orionFilters.length > 0) search.filters = orionFilters;
	if (typeof filters.search === 'string' && filters.search.trim() !== '') search.search = { value: filters.search.trim() };
	if (typeof options.sortBy === 'string' && options.sortBy !== '') {
		search.sort = [{ field: options.sortBy, direction: options.sortDirection === 'desc' ? 'desc' : 'asc' }];
	}
	const searching = Object.keys(search).length > 0;
	return await pageUsers(client, { search: searching ? search : undefined, include, limit, itemIndex, action: searching ? 'search users' : 'list users' });
};

function recordsOf(body: unknown): PerscomUser[] | undefined {
	const data = dataOf<unknown>(body);
	return Array.isArray(data) ? (data as PerscomUser[]) : undefined;
}

type Existing = UpsertRecord<PerscomUserPayload> & { user: PerscomUser };

function notUpdated(client: VendorClient, record: Existing): Error {
	return inputError(
		client.node,
		`PERSCOM did not update the user ${record.user.id} (${record.payload.email}): it no longer exists`,
		record.index,
		'The user was deleted while the node ran. Run the node again to create it anew.',
	);
}

/**
 * Splits records into rounds so that no round holds an email twice: the second item with an email
 * must see what the first one wrote (created, then updated), and PATCH /users/batch is keyed by ID.
 */
function rounds(records: Array<UpsertRecord<PerscomUserPayload>>): Array<Array<UpsertRecord<PerscomUserPayload>>> {
	const out: Array<Array<UpsertRecord<PerscomUserPayload>>> = [];
	const seen = new Map<string, number>();
	for (const record of records) {
		const n = seen.get(record.payload.email) ?? 0;
		seen.set(record.payload.email, n + 1);
		(out[n] ??= []).push(record);
	}
	return out;
}

/**
 * PATCH body of one existing user: everything but the email. The email matched it, and the
 * server's `unique:users,email` rule does not ignore the user's own row (perscom-app
 * UserRequest.php, vendor-apis.md §5), so sending it unchanged would fail validation.
 */
function patchBody(payload: PerscomUserPayload): IDataObject {
	const body: IDataObject = { ...payload };
	delete body.email;
	return body;
}

/**
 * Batch Upsert, composed from PERSCOM's native batches (vendor-apis.md §5): `email in [...]`
 * searches split existing users from new ones; PATCH /users/batch `{resources: {id: {...}}}` updates,
 * POST /users/batch `{resources: [...]}` creates. Each batch call is one transaction on the server
 * (all or nothing), so a batch rejected for one record's data is split until that record stands
 * alone (sendInChunks): the valid records land, the bad one gets the server's field messages.
 */
export async function upsertUsers(
	client: VendorClient,
	records: Array<UpsertRecord<PerscomUserPayload>>,
	batchSize: number,
): Promise<Array<UpsertOutcome<PerscomUser>>> {
	const outcomes: Array<UpsertOutcome<PerscomUser>> = [];
	let known: Map<string, PerscomUser>;
	try {
		known = await usersByEmail(client, records.map((r) => r.payload.email));
	} catch (error) {
		return records.map((r) => ({ index: r.index, error: error as Error }));
	}

	for (const round of rounds(records)) {
		const existing: Existing[] = [];
		const unchanged: Existing[] = [];
		const fresh: Array<UpsertRecord<PerscomUserPayload>> = [];
		for (const record of round) {
			const user = known.get(record.payload.email);
			if (user) (Object.keys(patchBody(record.payload)).length > 0 ? existing : unchanged).push({ ...record, user });
			else if (!record.payload.name) {
				outcomes.push({
					index: record.index,
					error: inputError(
						client.node,
						`No PERSCOM user has the email "${record.payload.email}", and a new user needs a name`,
						record.index,
						'Give the item a "name" (or "firstName" / "lastName") so the user can be created.',
					),
				});
			} else fresh.push(record);
		}
		for (const record of unchanged) outcomes.push({ index: record.index, action: 'updated', record: record.user });

		outcomes.push(
			...(await sendInChunks<Existing, UpsertOutcome<PerscomUser>>(
				existing,
				batchSize,
				async (batch) => {
					const resources: IDataObject = {};
					for (const record of batch) resources[String(record.user.id)] = patchBody(record.payload);
					const body = await client.request({
						method: 'PATCH',
						path: usersPath('/batch'),
						body: { resources },
						itemIndex: batch.length === 1 ? batch[0].index : undefined,
						action: `update ${batch.length} ${batch.length === 1 ? `user (ID ${batch[0].user.id})` : 'users'}`,
					});
					const users = recordsOf(body);
					return batch.map((record) => {
						if (!users) return { index: record.index, action: 'updated' as const, record: { ...record.user, ...record.payload, id: record.user.id } };
						const user = users.find((u) => String(u.id) === String(record.user.id));
						// Orion skips IDs it no longer finds: the user was deleted since the look-up.
						if (!user) return { index: record.index, error: notUpdated(client, record) };
						return { index: record.index, action: 'updated' as const, record: user };
					});
				},
				(record, error) => ({ index: record.index, error }),
			)),
		);

		const created = await sendInChunks<UpsertRecord<PerscomUserPayload>, UpsertOutcome<PerscomUser>>(
			fresh,
			batchSize,
			async (batch) => {
				const body = await client.request({
					method: 'POST',
					path: usersPath('/batch'),
					body: { resources: batch.map((r) => r.payload) },
					itemIndex: batch.length === 1 ? batch[0].index : undefined,
					action: `create ${batch.length} ${batch.length === 1 ? `user (${batch[0].payload.email})` : 'users'}`,
				});
				const users = recordsOf(body) ?? [];
				return batch.map((record, position) => {
					const user = users.find((u) => typeof u.email === 'string' && u.email.toLowerCase() === record.payload.email) ?? users[position];
					if (!user) return { index: record.index, error: new Error(`PERSCOM did not return the user "${record.payload.email}" in its batch response`) };
					return { index: record.index, action: 'created' as const, record: user };
				});
			},
			(record, error) => ({ index: record.index, error }),
		);
		for (const outcome of created) {
			if ('record' in outcome) known.set(outcome.record.email?.toLowerCase() ?? '', outcome.record);
		}
		outcomes.push(...created);
	}
	return outcomes;
}

export interface DeleteRecord {
	index: number;
	id: number;
}

export type DeleteOutcome = { index: number; id: number; error?: Error };

/** A delete batch is split on data errors and on 404 (a server may refuse a batch naming a missing ID). */
function splitDelete(error: unknown): boolean {
	return isValidationError(error) || errorContext(error).status === 404;
}

/**
 * Delete: one user is DELETE /{version}/users/{id}; several are DELETE /{version}/users/batch
 * `{resources: [ids]}` in chunks of 100 (one transaction each). IDs missing from the answer's
 * `data` were not deleted (Orion deletes only what it finds) and get a not-found error; a failed
 * batch is split down to single deletes, so one bad ID never costs the others.
 */
export async function deleteUsers(client: VendorClient, records: DeleteRecord[], batchSize: number): Promise<DeleteOutcome[]> {
	const notFound = (record: DeleteRecord) =>
		inputError(
			client.node,
			`No PERSCOM user has the ID ${record.id}; nothing was deleted`,
			record.index,
			'Check the user ID. The user may have been deleted already.',
		);
	return await sendInChunks<DeleteRecord, DeleteOutcome>(
		records,
		batchSize,
		async (batch) => {
			if (batch.length === 1) {
				const [record] = batch;
				await client.request({ method: 'DELETE', path: usersPath(`/${record.id}`), itemIndex: record.index, action: `delete user ${record.id}` });
				return [{ index: record.index, id: record.id }];
			}
			const ids = unique(batch.map((r) => r.id));
			const body = await client.request({
				method: 'DELETE',
				path: usersPath('/batch'),
				body: { resources: ids },
				action: `delete ${ids.length} users`,
			});
			const deleted = recordsOf(body);
			return batch.map((record) =>
				!deleted || deleted.some((u) => String(u.id) === String(record.id))
					? { index: record.index, id: record.id }
					: { index: record.index, id: record.id, error: notFound(record) },
			);
		},
		(record, error) => ({ index: record.index, id: record.id, error }),
		splitDelete,
	);
}
