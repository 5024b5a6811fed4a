import type { IDataObject } from 'n8n-workflow';

import { samplePeople } from '../../simulators/core/people';
import { PERSCOM_TEST_KEY, PerscomSimulator, type PerscomSimUser } from '../../simulators/perscom';
import { runWorkflow, type RunResult, type TestNode } from '../workflow/harness';
import { answer, EMPTY, expectAccounted, expectGetAccounted, expectListExact, expectNoSecret, HTML, NOT_IMPLEMENTED, onRequest, TRUNCATED, when } from './accounting';

/**
 * PERSCOM reads under faults (see reads.test.ts): Get Many (GET /users and the search), Get by one
 * ID (GET /users/{id}), Get and Batch Get through `id in` / `email in` searches, and the e-mail
 * look-up Batch Upsert relies on.
 */
const sim = new PerscomSimulator();
let credentials: Record<string, Record<string, string>>;

beforeAll(async () => {
	credentials = { perscomApi: { apiKey: PERSCOM_TEST_KEY, baseUrl: await sim.start() } };
});
afterAll(async () => await sim.stop());
beforeEach(() => {
	sim.reset();
	sim.clearFaults();
});

async function run(parameters: IDataObject, items: IDataObject[] = [{}]): Promise<RunResult> {
	const node: TestNode = { name: 'PERSCOM', type: 'perscom', credentials: ['perscomApi'], parameters: { resource: 'user', ...parameters }, continueOnFail: true };
	const result = await runWorkflow({ items, nodes: [node], credentials });
	expectNoSecret(result, PERSCOM_TEST_KEY);
	return result;
}

const listed = (req: { method: string; path: string }) => req.method === 'GET' && req.path === '/v2/users';
const searched = (req: { method: string; path: string }) => req.method === 'POST' && req.path === '/v2/users/search';
const pageOf = (req: { query: URLSearchParams }) => Number(req.query.get('page'));
const meta = (page: number) => ({ links: { next: null }, meta: { current_page: page, last_page: 3, per_page: 100, total: 250 } });

describe('PERSCOM Get Many (Return All over 250 users) under faults', () => {
	let ids: string[];
	beforeEach(() => {
		ids = sim.seedSample(samplePeople(0, 250)).map((u) => String(u.id));
	});

	test.each([
		['an HTML page', HTML],
		['cut JSON', TRUNCATED],
		['an empty body', EMPTY],
		['data: null', answer({ data: null, ...meta(2) })],
		['a page without its array', answer(meta(2))],
		['a page without meta or links', answer({ data: [] })],
		['users without IDs', answer({ data: [{ name: 'Nobody' }], ...meta(2) })],
	])('%s for page 2 is read again: 250 users, each once', async (_name, fault) => {
		sim.failNext(1, fault, when((req) => listed(req) && pageOf(req) === 2));
		const result = await run({ operation: 'getAll', returnAll: true });
		expectListExact(result.output.PERSCOM, ids);
		expect(sim.count(listed)).toBe(4);
	});

	test('search (a filter set): a short page mid-list is read again once; short twice is an error for the item', async () => {
		const approved = [...sim.users.values()].filter((u) => u.approved).map((u) => String(u.id));
		sim.failNext(1, answer({ data: [], ...meta(2) }), when((req) => searched(req) && pageOf(req) === 2));
		expectListExact((await run({ operation: 'getAll', returnAll: true, filters: { approved: true } })).output.PERSCOM, approved);

		sim.failNext(2, answer({ data: [], links: { next: 'http://x/?page=3' }, meta: { current_page: 2, last_page: 3 } }), when((req) => searched(req) && pageOf(req) === 2));
		const out = (await run({ operation: 'getAll', returnAll: true, filters: { approved: true } })).output.PERSCOM;
		expect(out).toHaveLength(1);
		expect(out[0].json.error).toMatch(/^PERSCOM returned an incomplete list when trying to search users: 0 records came where 100 were asked for at position 100, twice/);
	});

	test('a user removed from page 1 while page 2 is read, another added: every user that stayed, once', async () => {
		const gone = [...sim.users.values()][7];
		let added = '';
		onRequest(sim, listed, [2], () => {
			sim.users.delete(gone.id);
			added = String(sim.seed([{ name: 'Late Joiner', email: 'late@example.com' }])[0].id);
		});
		onRequest(sim, listed, [3], () => sim.users.delete([...sim.users.values()][1].id));
		const result = await run({ operation: 'getAll', returnAll: true });
		const stayed = ids.filter((id) => id !== String(gone.id) && id !== ids[1]);
		expectListExact(result.output.PERSCOM, stayed, [String(gone.id), ids[1], added]);
	});
});

describe('PERSCOM Get and Batch Get under faults', () => {
	let users: PerscomSimUser[];
	beforeEach(() => {
		users = sim.seedSample(samplePeople(0, 120));
	});
	const id = (n: number) => String(users[n].id);
	const searchHas = (field: string, value: string | number) =>
		when((req) => searched(req) && ((req.body as { filters?: Array<{ field: string; value: unknown[] }> }).filters ?? []).some((f) => f.field === field && f.value.includes(value)));

	test.each([
		['an HTML page', HTML],
		['cut JSON', TRUNCATED],
		['an empty body', EMPTY],
		['data: null', answer({ data: null })],
		['another user than the one asked for', answer({ data: { id: 99, name: 'Someone Else' } })],
	])('Get of one ID: %s is read again, never a wrong user or a not found', async (_name, fault) => {
		sim.failNext(1, fault, when((req) => req.path === `/v2/users/${id(4)}`));
		const result = await run({ operation: 'get', id: '={{ $json.key }}' }, [{ key: id(4) }]);
		expectGetAccounted(result.output.PERSCOM, [{ found: id(4) }]);
	});

	test.each([
		['an HTML page', HTML],
		['data: null', answer({ data: null, ...meta(1) })],
	])('Get of IDs and emails (searches): %s is read again; every item accounted for once', async (_name, fault) => {
		sim.failNext(1, fault, when(searched));
		const items = [{ key: id(0) }, { key: users[1].email }, { key: '9999' }, { key: 'ghost@example.com' }, { key: id(2) }];
		const result = await run({ operation: 'get', id: '={{ $json.key }}' }, items);
		expectGetAccounted(result.output.PERSCOM, [{ found: id(0) }, { found: users[1].email }, 'notFound', 'notFound', { found: id(2) }]);
	});

	test('Batch Get: an ID PERSCOM refuses (422) is split out of its search, a failed search (501) fails only its own keys', async () => {
		const refused = 2147483648;
		sim.failNext(10, { status: 422, body: { error: { message: 'The filters.0.value.3 is out of range.', type: 'ValidationException' } } }, searchHas('id', refused));
		sim.failNext(1, NOT_IMPLEMENTED, searchHas('email', users[9].email));
		const keys = [id(0), id(1), id(2), String(refused), id(3), '9999', users[9].email, users[10].email];
		const result = await run({ operation: 'batchGet', ids: keys.join(',') });
		const byKey = expectAccounted(result.output.PERSCOM, [
			{ [id(0)]: 'found', [id(1)]: 'found', [id(2)]: 'found', [String(refused)]: 'error', [id(3)]: 'found', '9999': 'notFound', [users[9].email]: 'error', [users[10].email]: 'error' },
		]);
		expect(byKey.get(`0:${refused}`)).toMatchObject({ httpCode: 422, notFound: false });
	});

	test('Batch Get without a search route (404): IDs read one by one, emails from the list; nothing reported missing that exists', async () => {
		sim.failNext(1, { status: 404 }, when(searched));
		const result = await run({ operation: 'batchGet', ids: [id(0), id(5), '9999', users[6].email, 'ghost@example.com'].join(',') });
		expectAccounted(result.output.PERSCOM, [{ [id(0)]: 'found', [id(5)]: 'found', '9999': 'notFound', [users[6].email]: 'found', 'ghost@example.com': 'notFound' }]);
	});

	test('Batch Upsert: a failed e-mail look-up never makes users look absent (no one created twice)', async () => {
		sim.failNext(1, NOT_IMPLEMENTED, when(searched));
		const before = sim.users.size;
		const result = await run({ operation: 'batchUpsert' }, [{ email: users[0].email, name: 'Ada Renamed' }, { email: 'new@example.com', name: 'New User' }]);
		expect(result.output.PERSCOM.map((o) => typeof o.json.error)).toEqual(['string', 'string']);
		expect(sim.users.size).toBe(before);
		expect(sim.count((r) => r.path === '/v2/users/batch')).toBe(0);
	});

	test('bad input: a boolean and an object are input errors for their own items', async () => {
		const result = await run({ operation: 'get', id: '={{ $json.key }}' }, [{ key: false }, { key: { id: 1 } }, { key: id(0) }]);
		expectGetAccounted(result.output.PERSCOM, ['error', 'error', { found: id(0) }]);
		expect(result.output.PERSCOM[0].json.error).toBe('The user ID or email must be text or a number, not a boolean (false) [item 0]');
	});
});
