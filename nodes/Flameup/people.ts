import type { IDataObject } from 'n8n-workflow';

import { answerShape, objectWithArray } from '../shared/engine/answers';
import { fanOut } from '../shared/engine/batch';
import { paginate } from '../shared/engine/paginate';
import type { VendorClient } from '../shared/engine/request';
import { text } from '../shared/engine/values';
import { isEmailKey } from '../shared/helpers/keys';
import { FLAMEUP_MAX_PAGE, peoplePath } from './api';
import { isPersonAnswer, personFromBody, type FlameupPerson, type FlameupPersonPayload } from './mapping';

/** Flameup's people API calls (docs/vendors/flameup.md): get, read by keys, list, batch upsert, create, update. */

/** How many single reads may wait on the throttle at once (Flameup has no batch read). */
const READ_CONCURRENCY = 4;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One person by external ID or email (GET /people/{key}), or, with a Workspace ID, by UUID
 * (GET /workspaces/{id}/people/{uuid}) or an exact search; undefined when there is none.
 */
export async function getPerson(client: VendorClient, key: string): Promise<FlameupPerson | undefined> {
	const workspaceId = text(client.credentials.workspaceId);
	if (!workspaceId || UUID.test(key)) {
		const body = await client.find({ method: 'GET', path: peoplePath(client.credentials, `/${encodeURIComponent(key)}`), action: `get person "${key}"` });
		return body === undefined ? undefined : personFromBody(body);
	}
	const body = await client.request<{ people?: FlameupPerson[] }>({
		method: 'GET',
		path: peoplePath(client.credentials, '/search'),
		qs: isEmailKey(key) ? { email: key, limit: 1 } : { external_id: key, limit: 1 },
		action: `find person "${key}"`,
	});
	return body.people?.[0];
}

/** People by external ID or email, keyed as asked. Flameup has no batch read: single reads fan out through the key's throttle. */
export async function readPeopleByKeys(client: VendorClient, keys: string[]): Promise<Map<string, FlameupPerson>> {
	const results = await fanOut(keys, READ_CONCURRENCY, async (key) => await getPerson(client, key));
	const found = new Map<string, FlameupPerson>();
	for (const [key, person] of results) if (person) found.set(key, person);
	return found;
}

/** GET /people with offset pagination, 100 a page, stopping at `total` or the limit; `filters` are query parameters. */
export async function listPeople(client: VendorClient, options: { filters: IDataObject; limit?: number; itemIndex?: number }): Promise<FlameupPerson[]> {
	const { items } = await paginate<FlameupPerson>({
		style: 'offset',
		maxPageSize: FLAMEUP_MAX_PAGE,
		limit: options.limit,
		fetchPage: async ({ offset, pageSize }) => {
			const body = await client.request<{ people?: FlameupPerson[]; total?: number }>({
				method: 'GET',
				path: peoplePath(client.credentials),
				qs: { ...options.filters, limit: pageSize, offset },
				itemIndex: options.itemIndex,
				action: 'list people',
			});
			return { items: body.people ?? [], total: typeof body.total === 'number' ? body.total : undefined };
		},
	});
	return items;
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
