/** Fault injection on Flameup's writes: Batch Upsert (an idempotent upsert), Create (not idempotent), Update (PUT). */
import type { IDataObject } from 'n8n-workflow';

import { samplePeople } from '../../simulators/core/people';
import { FLAMEUP_TEST_KEY, FlameupSimulator } from '../../simulators/flameup';
import { runWorkflow, type TestNode } from '../workflow/harness';
import { accountedOnce, expectNoSecret, LOST_ANSWERS } from './accounting';

const sim = new FlameupSimulator();
let credentials: Record<string, Record<string, string>>;

beforeAll(async () => {
	credentials = { flameupApi: { apiKey: FLAMEUP_TEST_KEY, baseUrl: await sim.start() } };
});
afterAll(async () => await sim.stop());
beforeEach(() => {
	sim.people.clear();
	sim.clearLog();
	sim.clearFaults();
	sim.resetRateLimits();
});

function flameup(parameters: IDataObject, continueOnFail = true): TestNode {
	return { name: 'Flameup', type: 'flameup', credentials: ['flameupApi'], parameters: { resource: 'person', ...parameters }, continueOnFail };
}

const people = (from: number, count: number): IDataObject[] => samplePeople(from, count).map((p) => ({ externalId: `ext-${p.n}`, email: p.email, name: p.name }));
const batchPath = (r: { method: string; path: string }) => r.method === 'POST' && r.path === '/people/batch';

/** One person per userId in Flameup; each output is its own item's person (or an error for one not stored). */
function noDuplicatesNoMisreports(out: IDataObject[], items: IDataObject[]): void {
	const ids = [...sim.people.values()].map((p) => p.external_id);
	expect(new Set(ids).size).toBe(ids.length);
	out.forEach((json, i) => {
		const stored = [...sim.people.values()].find((p) => p.external_id === items[i].externalId);
		if (json.error) expect(stored).toBeUndefined();
		else expect(json).toMatchObject({ externalId: items[i].externalId, id: stored?.id });
	});
}

describe('Flameup Batch Upsert (idempotent): answers lost after the people were stored', () => {
	test.each(LOST_ANSWERS)('%s: sent again by the engine, no duplicate, nothing misreported', async (_name, fault, options) => {
		sim.seedSample(samplePeople(0, 2));
		const items = people(0, 5);
		sim.failNext(1, fault, batchPath);
		const result = await runWorkflow({ items, nodes: [flameup({ operation: 'batchUpsert', options })], credentials });
		expect(result.error).toBeUndefined();
		const out = accountedOnce(result, 'Flameup', 5);
		noDuplicatesNoMisreports(out, items);
		expect(sim.people.size).toBe(5);
		expect(sim.count(batchPath)).toBe(2);
		expectNoSecret(result, FLAMEUP_TEST_KEY);
	});

	test('an answer in another order, in the overview shape (userId, traits): each item gets its own person', async () => {
		const items = people(0, 3);
		const answer = [...items].reverse().map((p, i) => ({ id: `uuid-${i}`, userId: p.externalId, traits: { email: p.email, first_name: String(p.name).split(' ')[0] } }));
		sim.failNext(1, { status: 200, body: { people: answer, created_count: 3, updated_count: 0 }, after: true }, batchPath);
		const result = await runWorkflow({ items, nodes: [flameup({ operation: 'batchUpsert' })], credentials });
		const out = accountedOnce(result, 'Flameup', 3);
		expect(out.map((o) => [o.externalId, o.email, o.firstName, o.action])).toEqual(items.map((p) => [p.externalId, p.email, String(p.name).split(' ')[0], 'created']));
		expect(sim.count(batchPath)).toBe(1);
	});

	test('an answer that leaves a person out: that person is read back (GET /people/{userId}), not paired by position', async () => {
		const items = people(0, 3);
		sim.failNext(1, { status: 200, body: { people: [{ id: 'u0', external_id: 'ext-0', email: items[0].email }], created_count: 3, updated_count: 0 }, after: true }, batchPath);
		const result = await runWorkflow({ items, nodes: [flameup({ operation: 'batchUpsert' })], credentials });
		const out = accountedOnce(result, 'Flameup', 3);
		expect(out.map((o) => o.externalId)).toEqual(['ext-0', 'ext-1', 'ext-2']);
		noDuplicatesNoMisreports(out.slice(1), items.slice(1));
		expect(sim.count((r) => r.method === 'GET')).toBe(2);
		expect(sim.people.size).toBe(3);
	});

	test('a batch refused for one reason for every person: 3 requests, every item gets the error', async () => {
		sim.failNext(500, { status: 422, body: { error: { code: 'validation_error', message: 'Workspace is read-only' } } }, batchPath);
		const result = await runWorkflow({ items: people(0, 100), nodes: [flameup({ operation: 'batchUpsert' })], credentials });
		const out = accountedOnce(result, 'Flameup', 100);
		expect(out.every((o) => /read-only/.test(String(o.error)))).toBe(true);
		expect(sim.count(batchPath)).toBe(3);
	});

	test('the same userId twice in one batch: merged into one write, both items get the person', async () => {
		const [ada] = people(0, 1);
		const items = [{ ...ada, traits: { plan: 'free' } }, { ...ada, traits: { seats: 3 } }, ...people(1, 1)];
		const result = await runWorkflow({ items, nodes: [flameup({ operation: 'batchUpsert' })], credentials });
		const out = accountedOnce(result, 'Flameup', 3);
		expect(out[0].id).toBe(out[1].id);
		expect(sim.people.size).toBe(2);
		expect(((sim.requests[0].body as { people: unknown[] }).people)).toHaveLength(2);
		expect([...sim.people.values()].find((p) => p.external_id === 'ext-0')?.attributes).toEqual({ plan: 'free', seats: 3 });
	});

	test('a bad item 7 with Continue On Fail off: nothing is written', async () => {
		const items: IDataObject[] = people(0, 8);
		items[7] = { email: ['a@b.co'] };
		const result = await runWorkflow({ items, nodes: [flameup({ operation: 'batchUpsert' }, false)], credentials });
		expect(result.error?.message).toMatch(/"email" is an array.*\[item 7\]/);
		expect(sim.count(batchPath)).toBe(0);
	});
});

describe('Flameup Create (not idempotent): the answer is lost after the person was created', () => {
	test.each(LOST_ANSWERS)('%s: read back by userId, created once, reported created', async (_name, fault, options) => {
		sim.failNext(1, fault, (r) => r.method === 'POST' && r.path === '/people');
		const result = await runWorkflow({ items: [{}], nodes: [flameup({ operation: 'create', userId: 'u-1', email: 'ada@example.com', options })], credentials });
		expect(result.error).toBeUndefined();
		const [json] = accountedOnce(result, 'Flameup', 1);
		expect(json).toMatchObject({ externalId: 'u-1', email: 'ada@example.com' });
		expect(sim.people.size).toBe(1);
		expect(sim.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /people', 'GET /people/u-1']);
		expectNoSecret(result, FLAMEUP_TEST_KEY);
	});

	test('a bad item with Continue On Fail off: no person is created for the items before it', async () => {
		const result = await runWorkflow({ items: [{ id: 'a' }, { id: 'b' }, { id: '' }], nodes: [flameup({ operation: 'create', userId: '={{ $json.id }}' }, false)], credentials });
		expect(result.error?.message).toMatch(/\[item 2\]/);
		expect(sim.people.size).toBe(0);
	});
});

describe('Flameup Update (PUT, idempotent)', () => {
	test('a 504 after the update landed: sent again, one output with the person', async () => {
		sim.seedSample(samplePeople(0, 1));
		sim.failNext(1, { status: 504, after: true }, (r) => r.method === 'PUT');
		const result = await runWorkflow({ items: [{}], nodes: [flameup({ operation: 'update', id: 'ext-0', updateFields: { firstName: 'Augusta' } })], credentials });
		const [json] = accountedOnce(result, 'Flameup', 1);
		expect(json).toMatchObject({ externalId: 'ext-0', firstName: 'Augusta' });
		expect(sim.count((r) => r.method === 'PUT')).toBe(2);
	});

	test('a bad item with Continue On Fail off: no person is updated', async () => {
		sim.seedSample(samplePeople(0, 2));
		const items = [{ id: 'ext-0', first: 'A' }, { id: 'ext-1', first: 'B' }, { id: 'ext-1', first: '' }];
		const result = await runWorkflow({ items, nodes: [flameup({ operation: 'update', id: '={{ $json.id }}', updateFields: { firstName: '={{ $json.first }}' } }, false)], credentials });
		expect(result.error?.message).toMatch(/Nothing to update \[item 2\]/);
		expect(sim.count((r) => r.method === 'PUT')).toBe(0);
	});
});
