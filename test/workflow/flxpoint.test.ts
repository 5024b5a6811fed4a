import { samplePeople } from '../../simulators/core/people';
import { FLXPOINT_FIRST_ID, FLXPOINT_SOURCE_TOKEN, FLXPOINT_TEST_TOKEN, FlxpointSimulator } from '../../simulators/flxpoint';
import { everythingSaid, runWorkflow, type TestNode } from './harness';

/**
 * Flxpoint in n8n's engine against the simulator. The simulator enforces the documented 2
 * requests/second per token in real time, so only the node's throttle keeps these tests free of 429s.
 * The two 1,000-ID tests take about 10 s each (20 requests at 2/s).
 */
const sim = new FlxpointSimulator();
let credentials: Record<string, Record<string, string>>;

beforeAll(async () => {
	const url = await sim.start();
	credentials = { flxpointApi: { apiToken: FLXPOINT_TEST_TOKEN, baseUrl: url } };
});
afterAll(async () => await sim.stop());
beforeEach(() => {
	sim.users.clear();
	sim.clearLog();
});

function flxpoint(parameters: Record<string, unknown>, extra: Partial<TestNode> = {}): TestNode {
	return { name: 'Flxpoint', type: 'flxpoint', credentials: ['flxpointApi'], parameters: { resource: 'user', ...parameters }, ...extra };
}

const idOf = (n: number) => String(FLXPOINT_FIRST_ID + n);

/** Every users request names IDs or emails, never both, at most 50 and all distinct. */
function expectWellFormedKeyQueries() {
	for (const r of sim.requests) {
		const ids = r.query.ids === undefined ? undefined : String(r.query.ids).split(',');
		const emails = r.query.emails === undefined ? undefined : String(r.query.emails).split(',');
		expect(ids !== undefined && emails !== undefined).toBe(false);
		for (const list of [ids, emails]) {
			if (!list) continue;
			expect(list.length).toBeLessThanOrEqual(50);
			expect(new Set(list).size).toBe(list.length);
		}
	}
}

describe('Flxpoint node: reading 1,000 users at 2 requests/second', () => {
	test('Get by ID on 1,000 input items: 20 requests, zero 429s, every item paired with its user', async () => {
		sim.seedSample(samplePeople(0, 1000));
		const items = Array.from({ length: 1000 }, (_, n) => ({ userId: FLXPOINT_FIRST_ID + n }));
		const result = await runWorkflow({ items, nodes: [flxpoint({ operation: 'get', id: '={{ $json.userId }}' })], credentials });
		expect(result.error).toBeUndefined();
		expect(sim.requests).toHaveLength(20);
		expect(sim.statusCounts.get(429) ?? 0).toBe(0);
		expect(sim.requests.every((r) => r.status === 200 && r.path === '/account/users' && r.query.ids !== undefined)).toBe(true);
		expectWellFormedKeyQueries();
		const elapsed = sim.requests[19].at - sim.requests[0].at;
		expect(elapsed).toBeGreaterThanOrEqual(9000);
		expect(elapsed).toBeLessThan(13000);

		const out = result.output.Flxpoint;
		expect(out).toHaveLength(1000);
		out.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json.id).toBe(idOf(i));
		});
		expect(out[0].json).toEqual({
			source: 'flxpoint',
			id: idOf(0),
			email: 'ada.lovelace@example.com',
			name: 'Ada Lovelace',
			firstName: 'Ada',
			lastName: 'Lovelace',
			createdAt: '2024-01-15T09:00:00.000Z',
			updatedAt: '2024-01-16T09:00:00.000Z',
		});
	});

	test('Batch Get of 1,000 IDs: 20 requests of 50 distinct IDs, zero 429s, all 1,000 users', async () => {
		sim.seedSample(samplePeople(0, 1000));
		const ids = Array.from({ length: 1000 }, (_, n) => idOf(n));
		const result = await runWorkflow({ items: [{}], nodes: [flxpoint({ operation: 'batchGet', ids: ids.join(', ') })], credentials });
		expect(result.error).toBeUndefined();
		expect(sim.requests).toHaveLength(20);
		expect(sim.statusCounts.get(429) ?? 0).toBe(0);
		expectWellFormedKeyQueries();
		expect(sim.requests.flatMap((r) => String(r.query.ids).split(','))).toEqual(ids);
		const elapsed = sim.requests[19].at - sim.requests[0].at;
		expect(elapsed).toBeGreaterThanOrEqual(9000);

		const out = result.output.Flxpoint;
		expect(out).toHaveLength(1000);
		expect(out.map((item) => item.json.id)).toEqual(ids);
		expect(out.every((item) => JSON.stringify(item.pairedItem) === JSON.stringify({ item: 0 }))).toBe(true);
	});
});

describe('Flxpoint node: Get and Batch Get', () => {
	test('Get with IDs and emails mixed: one request for IDs, one for emails, outputs in input order', async () => {
		sim.seedSample(samplePeople(0, 30));
		const items = [{ key: idOf(3) }, { key: 'GRACE.LOVELACE@example.com' }, { key: idOf(7) }, { key: 'ada.lovelace@example.com' }, { key: idOf(3) }];
		const result = await runWorkflow({ items, nodes: [flxpoint({ operation: 'get', id: '={{ $json.key }}' })], credentials });
		expect(result.error).toBeUndefined();
		expect(sim.requests.map((r) => r.query)).toEqual([
			{ ids: `${idOf(3)},${idOf(7)}` },
			{ emails: 'grace.lovelace@example.com,ada.lovelace@example.com' },
		]);
		expectWellFormedKeyQueries();
		const out = result.output.Flxpoint;
		expect(out.map((i) => [i.json.id, i.pairedItem])).toEqual([
			[idOf(3), { item: 0 }],
			[idOf(1), { item: 1 }],
			[idOf(7), { item: 2 }],
			[idOf(0), { item: 3 }],
			[idOf(3), { item: 4 }],
		]);
	});

	test('Batch Get: duplicates removed, IDs and emails in separate requests, missing ones reported', async () => {
		sim.seedSample(samplePeople(0, 30));
		const ids = `${idOf(1)}, ada.lovelace@example.com, ${idOf(1)}, 99999, nobody@example.com, ADA.LOVELACE@example.com, not-a-number`;
		const result = await runWorkflow({ items: [{}], nodes: [flxpoint({ operation: 'batchGet', ids })], credentials });
		expect(result.error).toBeUndefined();
		// "not-a-number" cannot be a Flxpoint ID (ids are integers): it is never sent, only reported.
		expect(sim.requests.map((r) => r.query)).toEqual([{ ids: `${idOf(1)},99999` }, { emails: 'ada.lovelace@example.com,nobody@example.com' }]);
		expect(sim.statusCounts.get(400) ?? 0).toBe(0);
		const out = result.output.Flxpoint.map((i) => i.json);
		expect(out).toEqual([
			expect.objectContaining({ id: idOf(1), email: 'grace.lovelace@example.com' }),
			expect.objectContaining({ id: idOf(0), email: 'ada.lovelace@example.com' }),
			{ source: 'flxpoint', id: '99999', notFound: true },
			{ source: 'flxpoint', id: 'nobody@example.com', notFound: true },
			{ source: 'flxpoint', id: 'not-a-number', notFound: true },
		]);
	});

	test('Batch Get with If Not Found = Fail stops with the missing IDs named', async () => {
		sim.seedSample(samplePeople(0, 5));
		const result = await runWorkflow({
			items: [{}],
			nodes: [flxpoint({ operation: 'batchGet', ids: `${idOf(0)},424242`, options: { onNotFound: 'error' } })],
			credentials,
		});
		expect(result.error?.message).toBe('1 of 2 user IDs not found in Flxpoint: 424242 [item 0]');
	});

	test('Get of a user that does not exist: a clear error naming the item', async () => {
		sim.seedSample(samplePeople(0, 5));
		const result = await runWorkflow({
			items: [{ key: idOf(0) }, { key: '777777' }],
			nodes: [flxpoint({ operation: 'get', id: '={{ $json.key }}' })],
			credentials,
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('No Flxpoint user matches "777777" [item 1]');
		expect(result.error?.description).toContain('Check the ID or email');
	});

	test('Get under Continue On Fail: an error item for the missing user, the others found', async () => {
		sim.seedSample(samplePeople(0, 5));
		const result = await runWorkflow({
			items: [{ key: idOf(0) }, { key: 'ghost@example.com' }, { key: idOf(2) }],
			nodes: [flxpoint({ operation: 'get', id: '={{ $json.key }}' }, { continueOnFail: true })],
			credentials,
		});
		expect(result.error).toBeUndefined();
		const out = result.output.Flxpoint;
		expect(out).toHaveLength(3);
		expect(out[0].json.id).toBe(idOf(0));
		expect(out[1].json).toMatchObject({ id: 'ghost@example.com', notFound: true, error: 'No Flxpoint user matches "ghost@example.com" [item 1]' });
		expect(out[1].pairedItem).toEqual({ item: 1 });
		expect(out[2].json.id).toBe(idOf(2));
		expect(sim.requests).toHaveLength(2);
	});

	test('Simplify off: the raw record with role, isPrimary and activity fields', async () => {
		sim.seedSample(samplePeople(0, 5));
		const result = await runWorkflow({ items: [{}], nodes: [flxpoint({ operation: 'get', id: idOf(0), simplify: false })], credentials });
		expect(result.error).toBeUndefined();
		expect(result.output.Flxpoint[0].json).toMatchObject({
			id: FLXPOINT_FIRST_ID,
			firstName: 'Ada',
			isPrimary: true,
			insertedAt: '2024-01-15T09:00:00.000Z',
			role: { id: 1, name: 'Admin', handle: 'admin' },
		});
	});
});

describe('Flxpoint node: Get Many', () => {
	beforeEach(() => sim.seedSample(samplePeople(0, 30)));

	test('Limit: one request (no pagination exists), exactly Limit users', async () => {
		const result = await runWorkflow({ items: [{}], nodes: [flxpoint({ operation: 'getAll', limit: 7 })], credentials });
		expect(result.error).toBeUndefined();
		expect(sim.requests.map((r) => [r.path, r.query])).toEqual([['/account/users', {}]]);
		expect(result.output.Flxpoint.map((i) => i.json.id)).toEqual(Array.from({ length: 7 }, (_, n) => idOf(n)));
		expect(result.output.Flxpoint.every((i) => JSON.stringify(i.pairedItem) === '{"item":0}')).toBe(true);
	});

	test('Return All: every user; the unified person has no role', async () => {
		const result = await runWorkflow({ items: [{}], nodes: [flxpoint({ operation: 'getAll', returnAll: true })], credentials });
		expect(result.output.Flxpoint).toHaveLength(30);
		expect(result.output.Flxpoint[0].json.role).toBeUndefined();
		expect(sim.requests).toHaveLength(1);
	});

	test('Filter by role (applied locally)', async () => {
		const result = await runWorkflow({ items: [{}], nodes: [flxpoint({ operation: 'getAll', returnAll: true, filters: { roleHandle: 'support' }, simplify: false })], credentials });
		const out = result.output.Flxpoint.map((i) => i.json as { id: number; role: { handle: string } });
		expect(out).toHaveLength(10);
		expect(out.every((u) => u.role.handle === 'support')).toBe(true);
		expect(sim.requests.map((r) => r.query)).toEqual([{}]);
	});

	test('Filter by email contains (case-insensitive), then Limit', async () => {
		const result = await runWorkflow({ items: [{}], nodes: [flxpoint({ operation: 'getAll', limit: 2, filters: { emailContains: '.LOVELACE@' } })], credentials });
		expect(result.output.Flxpoint.map((i) => i.json.email)).toEqual(['ada.lovelace@example.com', 'grace.lovelace@example.com']);
	});

	test('Filter primary only', async () => {
		const result = await runWorkflow({ items: [{}], nodes: [flxpoint({ operation: 'getAll', returnAll: true, filters: { primaryOnly: true } })], credentials });
		expect(result.output.Flxpoint.map((i) => i.json.id)).toEqual([idOf(0)]);
	});
});

describe('Flxpoint node: credentials', () => {
	test('a wrong token: a clear error, no retry, and the token never shown', async () => {
		sim.seedSample(samplePeople(0, 5));
		const wrong = 'flx_wrong_token_0123456789abcdef';
		const result = await runWorkflow({
			items: [{}],
			nodes: [flxpoint({ operation: 'getAll', returnAll: true })],
			credentials: { flxpointApi: { ...credentials.flxpointApi, apiToken: wrong } },
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('Flxpoint answered HTTP 401 when trying to list users: Unauthorized: Invalid or missing X-API-TOKEN [item 0]');
		expect(result.error?.description).toContain('Account token');
		expect(sim.requests).toHaveLength(1);
		expect(everythingSaid(result)).not.toContain(wrong);
	});

	test('a Source token cannot read users: the error says only Account tokens can', async () => {
		sim.seedSample(samplePeople(0, 5));
		const result = await runWorkflow({
			items: [{}],
			nodes: [flxpoint({ operation: 'get', id: idOf(0) })],
			credentials: { flxpointApi: { ...credentials.flxpointApi, apiToken: FLXPOINT_SOURCE_TOKEN } },
		});
		expect(result.error?.message).toContain('Only account API Tokens can use this endpoint');
		expect(result.error?.message).toContain('[item 0]');
		expect(everythingSaid(result)).not.toContain(FLXPOINT_SOURCE_TOKEN);
	});
});
