import type { IDataObject } from 'n8n-workflow';

import { answerShape, hasId, objectWithArray } from '../shared/engine/answers';
import { readEach, type KeyedRead } from '../shared/engine/keyedRead';
import { incompleteList, paginate } from '../shared/engine/paginate';
import type { VendorClient } from '../shared/engine/request';
import { text } from '../shared/engine/values';
import { isEmailKey, shownKey } from '../shared/helpers/keys';
import { FLAMEUP_MAX_PAGE, peoplePath } from './api';
import { isPersonAnswer, personFromBody, type FlameupPerson, type FlameupPersonPayload } from './mapping';

/** Flameup's people API calls (docs/vendors/flameup.md): get, read by keys, list, batch upsert, create, update. */

/** How many single reads may wait on the throttle at once (Flameup has no batch read). */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The person asked for, bare or wrapped in `{person}` / `{data}` (docs/vendors/flameup.md#person-shapes):
 * one whose ID, external ID or email is the key; anyone else is not the answer.
 */
function personFor(key: string) {
	return answerShape(`the person "${shownKey(key)}"`, (body) => {
		const person = personFromBody(body);
		// Compared without case: whether Flameup matches external IDs case-sensitively is not documented.
		const names = [person.id, person.external_id, person.userId, person.email].map((name) => text(name)?.toLowerCase());
		return isPerson(person) && names.includes(key.toLowerCase());
	});
}
/** The workspace search: `{people[]}`. */
const SEARCH_ANSWER = answerShape('a list of people', (body) => objectWithArray(body, 'people') && everyPerson(body));
/** A page of GET /people: `{people[], total}` (docs/vendors/flameup.md#endpoints-used). */
const PAGE = answerShape('a page of people with its total', (body) => objectWithArray(body, 'people', 'total') && everyPerson(body));

/** A person names itself by `id` (endpoint pages) or `userId` / `external_id` (the People overview). */
function isPerson(entry: unknown): boolean {
	return hasId(entry) || hasId(entry, 'userId') || hasId(entry, 'external_id');
}

function everyPerson(body: unknown): boolean {
	return ((body as { people: unknown[] }).people ?? []).every(isPerson);
}

/** The ID a listed person is de-duplicated by. */
export function personId(person: FlameupPerson): string | undefined {
	return text(person.id) ?? text(person.external_id) ?? text(person.userId);
}

/**
 * One person by external ID or email (GET /people/{key}), or, with a Workspace ID, by UUID
 * (GET /workspaces/{id}/people/{uuid}) or an exact search; undefined when there is none.
 */
export async function getPerson(client: VendorClient, key: string): Promise<FlameupPerson | undefined> {
	const workspaceId = text(client.credentials.workspaceId);
	if (!workspaceId || UUID.test(key)) {
		const path = peoplePath(client.credentials, `/${encodeURIComponent(key)}`);
		const body = await client.find({ method: 'GET', path, action: `get person "${shownKey(key)}"`, expect: personFor(key) });
		return body === undefined ? undefined : personFromBody(body);
	}
	const body = await client.request<{ people: FlameupPerson[] }>({
		method: 'GET',
		path: peoplePath(client.credentials, '/search'),
		qs: isEmailKey(key) ? { email: key, limit: 1 } : { external_id: key, limit: 1 },
		action: `find person "${shownKey(key)}"`,
		expect: SEARCH_ANSWER,
	});
	return body.people[0];
}

/**
 * People by external ID or email, keyed as asked, with the keys whose read failed apart. Flameup
 * has no batch read: single reads fan out through the key's throttle, each failing on its own.
 */
export async function readPeopleByKeys(client: VendorClient, keys: string[]): Promise<KeyedRead<FlameupPerson>> {
	return await readEach(keys, client.maxInFlight, async (key) => await getPerson(client, key));
}

/**
 * GET /people with offset pagination, 100 a page, stopping at `total` or the limit; `filters` are
 * query parameters. Flameup documents no order and no sort parameter (docs/vendors/flameup.md#pagination):
 * people are de-duplicated by ID, and a list that changes while it is read is read again;
 * `mayBeMissing` says how many may still be missing when it kept changing; `total` is the last
 * `total` Flameup reported (with a limit, more than `people.length` says the read stopped before the end).
 */
export async function listPeople(
	client: VendorClient,
	options: { filters: IDataObject; limit?: number; itemIndex?: number },
): Promise<{ people: FlameupPerson[]; mayBeMissing: number; total?: number }> {
	const action = 'list people';
	let total: number | undefined;
	const { items, mayBeMissing } = await paginate<FlameupPerson>({
		style: 'offset',
		maxPageSize: FLAMEUP_MAX_PAGE,
		limit: options.limit,
		idOf: personId,
		incomplete: incompleteList(client, action, options.itemIndex),
		concurrency: client.maxInFlight,
		fetchPage: async ({ offset, pageSize }) => {
			const page = await listPeoplePage(client, { filters: options.filters, offset, limit: pageSize, itemIndex: options.itemIndex, action });
			total = page.total;
			return { items: page.people, total: page.total };
		},
	});
	return { people: items, mayBeMissing, total };
}

/** One page of GET /people: `limit` people from `offset`, with `filters` as query parameters, and the `total` Flameup reports. */
export async function listPeoplePage(
	client: VendorClient,
	options: { filters: IDataObject; offset: number; limit: number; itemIndex?: number; action: string },
): Promise<{ people: FlameupPerson[]; total: number }> {
	return await client.request<{ people: FlameupPerson[]; total: number }>({
		method: 'GET',
		path: peoplePath(client.credentials),
		qs: { ...options.filters, limit: options.limit, offset: options.offset },
		itemIndex: options.itemIndex,
		action: options.action,
		expect: PAGE,
	});
}

/** What POST /people/batch answers: the people written and how many were created or updated. */
export interface BatchAnswer {
	people?: FlameupPerson[];
	created_count?: number;
	updated_count?: number;
}

/** POST /people/batch (at most 100 people). */
export async function upsertPeopleBatch(client: VendorClient, people: FlameupPersonPayload[], itemIndex: number | undefined): Promise<BatchAnswer> {
	return await client.request<BatchAnswer>({
		method: 'POST',
		path: peoplePath(client.credentials, '/batch'),
		body: { people },
		itemIndex,
		// An upsert: sent twice, it stores the same people once.
		idempotent: true,
		expect: answerShape('the people written with their created and updated counts', (body) => objectWithArray(body, 'people', 'created_count', 'updated_count')),
		action: `batch upsert ${people.length} ${people.length === 1 ? 'person' : 'people'}`,
	});
}

/*
 * Create and Update use the flat paths even with a Workspace ID: Flameup documents POST /people and
 * PUT /people/{id} only there (a key already targets its own workspace), and no workspace-scoped
 * variant of either (docs/vendors/flameup.md#endpoints-used).
 */

/** POST /people: one person, answered as stored. */
export async function createPerson(client: VendorClient, payload: FlameupPersonPayload, itemIndex: number): Promise<FlameupPerson> {
	// A create: sent twice, the second is refused as a conflict, so a lost answer is settled by reading the person.
	const body = await client.request({
		method: 'POST',
		path: '/people',
		body: payload,
		itemIndex,
		action: `create person "${payload.userId}"`,
		idempotent: false,
		expect: answerShape('the created person', isPersonAnswer),
	});
	return personFromBody(body);
}

/** PUT /people/{external ID or email}: traits merged into the person's existing ones. */
export async function updatePerson(client: VendorClient, key: string, traits: IDataObject, itemIndex: number): Promise<FlameupPerson> {
	const body = await client.request({
		method: 'PUT',
		path: `/people/${encodeURIComponent(key)}`,
		body: { traits },
		itemIndex,
		action: `update person "${key}"`,
		idempotent: true,
		expect: answerShape('the updated person', isPersonAnswer),
	});
	return personFromBody(body);
}
