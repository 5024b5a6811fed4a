import type { IDataObject } from 'n8n-workflow';

import { paginate } from '../shared/engine/paginate';
import type { VendorClient } from '../shared/engine/request';
import { fanOut, isEmailKey } from '../shared/operations/keys';
import type { ListRecords } from '../shared/operations/list';
import { sendInChunks } from '../shared/operations/upsert';
import type { ReadByKeys, UpsertOutcome, UpsertRecord } from '../shared/operations/types';
import { text } from '../shared/person/unified';
import { FLAMEUP_MAX_PAGE, peoplePath } from './api';
import type { FlameupPerson, FlameupPersonPayload } from './mapping';
import { personFromBody } from './mapping';

/** How many single reads may wait on the throttle at once (Flameup has no batch read). */
const READ_CONCURRENCY = 4;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One person by external ID or email (flat path), or by UUID / exact search (workspace paths). */
async function readOne(client: VendorClient, key: string): Promise<FlameupPerson | undefined> {
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

/** Flameup has no batch read: single reads fan out through the key's 120/minute throttle. */
export const readPeople: ReadByKeys<FlameupPerson> = async (client, keys) => {
	const results = await fanOut(keys, READ_CONCURRENCY, async (key) => await readOne(client, key));
	const found = new Map<string, FlameupPerson>();
	for (const [key, person] of results) if (person) found.set(key, person);
	return found;
};

/** GET /people with offset pagination, 100 a page, stopping at `total` or the limit. */
export const listPeople: ListRecords<FlameupPerson> = async (client, { limit, filters, itemIndex }) => {
	const qs: IDataObject = {};
	if (text(filters.status)) qs.status = filters.status;
	if (text(filters.search)) qs.search = filters.search;
	const { items } = await paginate<FlameupPerson>({
		style: 'offset',
		maxPageSize: FLAMEUP_MAX_PAGE,
		limit,
		fetchPage: async ({ offset, pageSize }) => {
			const body = await client.request<{ people?: FlameupPerson[]; total?: number }>({
				method: 'GET',
				path: peoplePath(client.credentials),
				qs: { ...qs, limit: pageSize, offset },
				itemIndex,
				action: 'list people',
			});
			return { items: body.people ?? [], total: typeof body.total === 'number' ? body.total : undefined };
		},
	});
	return items;
};

interface BatchResponse {
	people?: FlameupPerson[];
	created_count?: number;
	updated_count?: number;
}

/**
 * Which people of a batch were created. The API gives only counts; a person created by this call
 * has created_at == updated_at. When that does not add up to created_count, the newest
 * created_at values are taken as the created ones, so the split always matches the API's counts.
 */
export function createdFlags(people: FlameupPerson[], createdCount: number | undefined): boolean[] {
	const guess = people.map((p) => !!p.created_at && p.created_at === p.updated_at);
	if (createdCount === undefined) return guess;
	if (createdCount <= 0) return people.map(() => false);
	if (createdCount >= people.length) return people.map(() => true);
	if (guess.filter(Boolean).length === createdCount) return guess;
	const order = people
		.map((p, i) => ({ i, t: Date.parse(p.created_at ?? '') || 0 }))
		.sort((a, b) => b.t - a.t)
		.slice(0, createdCount)
		.map((x) => x.i);
	return people.map((_, i) => order.includes(i));
}

function matchPerson(people: FlameupPerson[], payload: FlameupPersonPayload, position: number): FlameupPerson | undefined {
	return (
		people.find((p) => p.external_id === payload.userId) ??
		(payload.email ? people.find((p) => p.email?.toLowerCase() === payload.email) : undefined) ??
		people[position]
	);
}

/** A person as sent, in Flameup's response shape, for a batch response that does not list it. */
function sentPerson(payload: FlameupPersonPayload): FlameupPerson {
	const { traits } = payload;
	return { ...traits, id: '', external_id: payload.userId, email: payload.email, attributes: {} } as FlameupPerson;
}

/** POST /people/batch in chunks of at most 100; a chunk rejected for its data is split to find the bad item. */
export async function upsertPeople(
	client: VendorClient,
	records: Array<UpsertRecord<FlameupPersonPayload>>,
	batchSize: number,
): Promise<Array<UpsertOutcome<FlameupPerson>>> {
	return await sendInChunks<UpsertRecord<FlameupPersonPayload>, UpsertOutcome<FlameupPerson>>(
		records,
		batchSize,
		async (batch) => {
			const body = await client.request<BatchResponse>({
				method: 'POST',
				path: peoplePath(client.credentials, '/batch'),
				body: { people: batch.map((r) => r.payload) },
				itemIndex: batch.length === 1 ? batch[0].index : undefined,
				action: `batch upsert ${batch.length} ${batch.length === 1 ? 'person' : 'people'}`,
			});
			const people = body.people ?? [];
			const flags = createdFlags(people, body.created_count);
			const matched = batch.map((record, position) => matchPerson(people, record.payload, position));
			// A person the response leaves out was still written (the call succeeded): output what was sent,
			// and give the unmatched ones the created count the matched ones do not explain.
			let createdLeft = Math.max(0, (body.created_count ?? 0) - matched.filter((p) => p && flags[people.indexOf(p)]).length);
			return batch.map((record, position) => {
				const person = matched[position];
				if (person) return { index: record.index, action: flags[people.indexOf(person)] ? 'created' : 'updated', record: person };
				return { index: record.index, action: createdLeft-- > 0 ? 'created' : 'updated', record: sentPerson(record.payload) };
			});
		},
		(record, error) => ({ index: record.index, error }),
	);
}
