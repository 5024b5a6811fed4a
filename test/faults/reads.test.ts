import type { IDataObject } from 'n8n-workflow';

import { samplePeople } from '../../simulators/core/people';
import { FLAMEUP_TEST_KEY, FLAMEUP_WORKSPACE, FlameupSimulator, type FlameupPerson } from '../../simulators/flameup';
import { runWorkflow, type RunResult, type TestNode } from '../workflow/harness';
import { answer, EMPTY, expectAccounted, expectGetAccounted, expectListExact, expectNoSecret, hintsOf, HTML, NOT_IMPLEMENTED, onRequest, TRUNCATED, when } from './accounting';

/**
 * Flameup reads under faults, in n8n's engine against the simulator: answers that are not what the
 * operation needs (HTML, cut JSON, an empty body, a page without its array or total, a short page
 * mid-list), a refused key, a failed request, and people added or removed during Return All. Every
 * input item is accounted for exactly once, nothing is misreported, and the key is never said.
 * Each malformed answer is injected once: the engine retries it after 0.5–1 s.
 */
const sim = new FlameupSimulator();
let url: string;
let keyCount = 0;
/** A fresh key per run: each gets its own 120/minute window in the node and the simulator. */
let key = FLAMEUP_TEST_KEY;

beforeAll(async () => {
	url = await sim.start();
});
afterAll(async () => await sim.stop());
beforeEach(() => {
	sim.people.clear();
	sim.clearLog();
	sim.clearFaults();
	key = `ws_test_simws01.${String(++keyCount).padStart(4, '0')}${'f0'.repeat(30)}`;
	sim.keys.set(key, FLAMEUP_WORKSPACE);
});

async function run(parameters: Record<string, unknown>, items: IDataObject[] = [{}], workspace = false): Promise<RunResult> {
	const node: TestNode = { name: 'Flameup', type: 'flameup', credentials: ['flameupApi'], parameters: { resource: 'person', ...parameters }, continueOnFail: true };
	const result = await runWorkflow({ items, nodes: [node], credentials: { flameupApi: { apiKey: key, baseUrl: url, ...(workspace ? { workspaceId: FLAMEUP_WORKSPACE } : {}) } } });
	expectNoSecret(result, key);
	return result;
}

const listed = (req: { method: string; path: string }) => req.method === 'GET' && req.path === '/people';
/** The n-th request of GET /people (1-based). */
const page = (n: number) => {
	let seen = 0;
	return when((req) => listed(req) && ++seen === n);
};
function sorted(): FlameupPerson[] {
	return [...sim.people.values()].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
}

describe('Flameup Get Many (Return All over 250 people) under faults', () => {
	let ids: string[];
	beforeEach(() => {
		ids = sim.seedSample(samplePeople(0, 250)).map((p) => p.id);
	});

	test.each([
		['an HTML page', HTML],
		['cut JSON', TRUNCATED],
		['an empty body', EMPTY],
		['people: null', answer({ people: null, total: 250 })],
		['a page without its array', answer({ total: 250, limit: 100, offset: 100 })],
		['a page without its total', answer({ people: [] })],
		['an error object in a 200', answer({ error: { code: 'internal', message: 'try later' } })],
	])('%s for page 2 is read again: 250 people, each once', async (_name, fault) => {
		sim.failNext(1, fault, page(2));
		const result = await run({ operation: 'getAll', returnAll: true });
		expectListExact(result.output.Flameup, ids);
		expect(sim.count(listed)).toBe(4);
	});

	test('a short page mid-list (total says more) is read again once, and the read goes on', async () => {
		sim.failNext(1, answer({ people: [], total: 250, limit: 100, offset: 100 }), page(2));
		const result = await run({ operation: 'getAll', returnAll: true });
		expectListExact(result.output.Flameup, ids);
	});

	test('a page short twice is an error for the item, never a short success', async () => {
		const short = () => answer({ people: sorted().slice(100, 137), total: 250, limit: 100, offset: 100 });
		// The page at offset 100, both times it is asked for (pages after the first may be asked for ahead, so not by their order).
		const atOffset100 = when((req) => listed(req) && req.query.get('offset') === '100');
		sim.failNext(2, short(), atOffset100);
		const result = await run({ operation: 'getAll', returnAll: true });
		const out = result.output.Flameup;
		expect(out).toHaveLength(1);
		expect(out[0].json.error).toMatch(/^Flameup returned an incomplete list when trying to list people: 37 records came where 100 were asked for at position 100 of 250, twice/);
		expect(out[0].pairedItem).toEqual({ item: 0 });
	});

	test('a person removed from page 1 while page 2 is read: every other person once (the list is read again)', async () => {
		const gone = sorted()[10];
		onRequest(sim, listed, [2], () => sim.people.delete(gone.id));
		const result = await run({ operation: 'getAll', returnAll: true });
		expectListExact(result.output.Flameup, ids.filter((id) => id !== gone.id), [gone.id]);
		expect(hintsOf(result, 'Flameup')).toEqual([]);
	});

	test('a person added at the front while page 2 is read: every person once, none twice', async () => {
		let added = '';
		onRequest(sim, listed, [2], () => {
			added = sim.seed([{ external_id: 'early', email: 'early@example.com', created_at: '2000-01-01T00:00:00.000Z' }])[0].id;
		});
		const result = await run({ operation: 'getAll', returnAll: true });
		expectListExact(result.output.Flameup, ids, [added]);
	});

	test('a list that keeps changing through both reads: nothing twice, and a warning says how many may be missing', async () => {
		onRequest(sim, listed, [2, 3, 5, 6, 7], () => sim.people.delete(sorted()[0].id));
		const result = await run({ operation: 'getAll', returnAll: true });
		const out = result.output.Flameup;
		const ids = out.map((o) => o.json.id);
		expect(new Set(ids).size).toBe(ids.length);
		expect(hintsOf(result, 'Flameup')).toEqual([expect.stringMatching(/kept changing while it was read.*up to \d+ records? that existed throughout may still be missing/)]);
	});

	test('Limit: exactly the limit, no one twice, after a malformed page', async () => {
		sim.failNext(1, answer({ people: null }), page(2));
		const result = await run({ operation: 'getAll', limit: 150 });
		expectListExact(result.output.Flameup, ids.slice(0, 150));
	});
});

describe('Flameup Get and Batch Get under faults', () => {
	let people: FlameupPerson[];
	beforeEach(() => {
		people = sim.seedSample(samplePeople(0, 6));
	});
	const path = (key: string) => when((req) => req.method === 'GET' && req.path === `/people/${key}`);
	const items = () => [{ key: 'ext-1' }, { key: people[2].email }, { key: 'ext-3' }, { key: 'ghost-person' }];
	const expected = () => [{ found: 'ext-1' }, { found: people[2].email as string }, { found: 'ext-3' }, 'notFound' as const];

	test.each([
		['an HTML page', HTML],
		['cut JSON', TRUNCATED],
		['an empty body', EMPTY],
		['an object without an ID', answer({ first_name: 'Nobody' })],
		['data: null', answer({ data: null })],
		['another person than the one asked for', answer({ id: 'not-asked', external_id: 'ext-5', email: 'someone@example.com' })],
	])('Get: %s for one key is read again; every item accounted for once', async (_name, fault) => {
		sim.failNext(1, fault, path('ext-3'));
		const result = await run({ operation: 'get', id: '={{ $json.key }}' }, items());
		expectGetAccounted(result.output.Flameup, expected());
	});

	test('Get: a key Flameup refuses (422) and a failed request (501) fail their own items only', async () => {
		sim.failNext(1, { status: 422, body: { error: { code: 'validation_error', message: 'id is malformed' } } }, path('ext-1'));
		sim.failNext(1, NOT_IMPLEMENTED, path('ext-3'));
		const result = await run({ operation: 'get', id: '={{ $json.key }}' }, items());
		expectGetAccounted(result.output.Flameup, ['error', { found: people[2].email as string }, 'error', 'notFound']);
		expect(result.output.Flameup[0].json).toMatchObject({ id: 'ext-1', notFound: false, httpCode: 422 });
		expect(result.output.Flameup[2].json).toMatchObject({ id: 'ext-3', notFound: false, httpCode: 501 });
	});

	test('Get: a refused key (401) stops the other keys unsent, each item with the error, none not found', async () => {
		sim.failNext(1, { status: 401, body: { error: { code: 'unauthorized', message: 'Invalid key' } } });
		const result = await run({ operation: 'get', id: '={{ $json.key }}' }, [{ key: 'ext-1' }]);
		expectGetAccounted(result.output.Flameup, ['error']);
		expect(result.output.Flameup[0].json.notFound).toBe(false);
	});

	test('Batch Get: found, not found, refused and failed keys each accounted for once', async () => {
		sim.failNext(1, { status: 400, body: { error: { code: 'bad_request', message: 'bad key' } } }, path('ext-2'));
		sim.failNext(1, NOT_IMPLEMENTED, path('ext-4'));
		sim.failNext(1, HTML, path('ext-5'));
		const result = await run({ operation: 'batchGet', ids: 'ext-0, ext-2, ext-4, ext-5, nobody-here' });
		expectAccounted(result.output.Flameup, [{ 'ext-0': 'found', 'ext-2': 'error', 'ext-4': 'error', 'ext-5': 'found', 'nobody-here': 'notFound' }]);
	});

	test('Get with a Workspace ID: a search answer without its list is read again', async () => {
		sim.failNext(1, answer({ results: [] }), when((req) => req.path.endsWith('/people/search')));
		const result = await run({ operation: 'get', id: '={{ $json.key }}' }, [{ key: 'ext-1' }, { key: 'ghost-person' }], true);
		expectGetAccounted(result.output.Flameup, [{ found: 'ext-1' }, 'notFound']);
	});

	test('bad input: a boolean, an object and a list are input errors for their own items; a long key is cut in messages', async () => {
		const long = 'x'.repeat(5000);
		const result = await run({ operation: 'get', id: '={{ $json.key }}' }, [{ key: true }, { key: { id: 'ext-1' } }, { key: ['ext-1'] }, { key: 'ext-1' }, { key: long }]);
		const out = result.output.Flameup;
		expectGetAccounted(out, ['error', 'error', 'error', { found: 'ext-1' }, 'notFound']);
		expect(out[0].json.error).toBe('The person ID or email must be text or a number, not a boolean (true) [item 0]');
		expect(out[1].json.error).toBe('The person ID or email must be text or a number, not an object ({"id":"ext-1"}) [item 1]');
		expect(out[2].json.error).toMatch(/not a list/);
		expect(String(out[4].json.error).length).toBeLessThanOrEqual(200);
		expect(sim.requests.some((r) => r.path.includes('true'))).toBe(false);
	});
});
