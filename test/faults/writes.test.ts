/**
 * Fault injection on the WRITE paths: answers lost after the write landed, systemic refusals,
 * answers in another order, duplicate keys, bad items with Continue On Fail off, malformed answers.
 * PERSCOM here; Flameup and Flashduty in writes-*.test.ts.
 */
import type { IDataObject } from 'n8n-workflow';

import { samplePeople } from '../../simulators/core/people';
import { PERSCOM_TEST_KEY, PerscomSimulator } from '../../simulators/perscom';
import { runWorkflow, type TestNode } from '../workflow/harness';
import { accountedOnce, expectNoSecret, LOST_ANSWERS } from './accounting';

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

function perscom(parameters: IDataObject, continueOnFail = true): TestNode {
	return { name: 'PERSCOM', type: 'perscom', credentials: ['perscomApi'], parameters: { resource: 'user', ...parameters }, continueOnFail };
}

const people = (from: number, count: number): IDataObject[] => samplePeople(from, count).map((p) => ({ email: p.email, name: p.name }));
const createBatch = (r: { method: string; path: string }) => r.method === 'POST' && r.path === '/v2/users/batch';
const writes = () => sim.count((r) => r.path.startsWith('/v2/users') && r.path !== '/v2/users/search' && r.method !== 'GET');

/** Each email once in PERSCOM; each output is its own item's user (or an error for a user not stored). */
function noDuplicatesNoMisreports(out: IDataObject[], items: IDataObject[]): void {
	const emails = [...sim.users.values()].map((u) => u.email.toLowerCase());
	expect(new Set(emails).size).toBe(emails.length);
	out.forEach((json, i) => {
		const stored = sim.byEmail(String(items[i].email));
		if (json.error) expect(stored).toBeUndefined();
		else expect(json).toMatchObject({ email: String(items[i].email).toLowerCase(), id: String(stored?.id) });
	});
}

describe('PERSCOM Batch Upsert: the answer to a create is lost after the users were stored', () => {
	test.each(LOST_ANSWERS)('%s: read back by email, nothing created twice, nothing misreported', async (_name, fault, options) => {
		sim.seedSample(samplePeople(0, 2));
		const items = [...people(0, 2).map((p) => ({ ...p, notes: 'updated' })), ...people(2, 3)];
		sim.failNext(1, fault, createBatch);
		const result = await runWorkflow({ items, nodes: [perscom({ operation: 'batchUpsert', options })], credentials });
		expect(result.error).toBeUndefined();
		const out = accountedOnce(result, 'PERSCOM', 5);
		expect(out.map((o) => o.action)).toEqual(['updated', 'updated', 'created', 'created', 'created']);
		noDuplicatesNoMisreports(out, items);
		expect(sim.users.size).toBe(5);
		// search, PATCH, POST (answer lost), search by email: nothing sent again.
		expect(sim.count(createBatch)).toBe(1);
		expect(sim.requests.length).toBeLessThanOrEqual(4);
		expectNoSecret(result, PERSCOM_TEST_KEY);
	});

	test('an update (PATCH, idempotent) whose answer is lost is sent again by the engine; no user created', async () => {
		sim.seedSample(samplePeople(0, 3));
		const items = people(0, 3).map((p) => ({ ...p, notes: 'n' }));
		sim.failNext(1, { status: 502, after: true }, (r) => r.method === 'PATCH');
		const result = await runWorkflow({ items, nodes: [perscom({ operation: 'batchUpsert' })], credentials });
		const out = accountedOnce(result, 'PERSCOM', 3);
		expect(out.every((o) => o.action === 'updated')).toBe(true);
		expect(sim.users.size).toBe(3);
		expect(sim.count((r) => r.method === 'PATCH')).toBe(2);
	});

	test('a lost answer, then the read-back unavailable: "may have been stored", with how to check', async () => {
		const items = people(0, 2);
		sim.failNext(1, { reset: true, after: true }, createBatch);
		// The look-up before the write answers; every read-back after the lost answer is refused (a
		// single refused search would only be split and read again, key by key).
		const search = (r: { path: string }) => r.path === '/v2/users/search';
		sim.failNext(5, { status: 403 }, (r) => search(r) && sim.count(search) > 1);
		const result = await runWorkflow({ items, nodes: [perscom({ operation: 'batchUpsert' })], credentials });
		const out = accountedOnce(result, 'PERSCOM', 2);
		for (const json of out) {
			expect(json.error).toMatch(/may have been stored/);
			expect(json.description).toMatch(/Get/);
			expect(json.maybeStored).toBe(true);
		}
		expect(sim.users.size).toBe(2);
		expect(sim.count(createBatch)).toBe(1);
	});

	test('an answer that lists the users in another order: each item gets its own user', async () => {
		const items = people(0, 3);
		const reversed = [...items].reverse().map((p, i) => ({ id: 3 - i, email: p.email, name: p.name }));
		sim.failNext(1, { status: 200, body: { data: reversed }, after: true }, createBatch);
		const result = await runWorkflow({ items, nodes: [perscom({ operation: 'batchUpsert' })], credentials });
		const out = accountedOnce(result, 'PERSCOM', 3);
		noDuplicatesNoMisreports(out, items);
		expect(out.map((o) => o.id)).toEqual(['1', '2', '3']);
	});

	test('an answer missing a user, or users without emails: those are read back, never paired by position', async () => {
		const items = people(0, 3);
		sim.failNext(1, { status: 200, body: { data: [{ id: 1, email: items[0].email }] }, after: true }, createBatch);
		const result = await runWorkflow({ items, nodes: [perscom({ operation: 'batchUpsert' })], credentials });
		const out = accountedOnce(result, 'PERSCOM', 3);
		expect(out.map((o) => o.action)).toEqual(['created', 'created', 'created']);
		noDuplicatesNoMisreports(out, items);
		expect(sim.count(createBatch)).toBe(1);

		sim.reset();
		sim.failNext(1, { status: 200, body: { data: [{ id: 1 }, { id: 2 }, { id: 3 }] }, after: true }, createBatch);
		const again = await runWorkflow({ items, nodes: [perscom({ operation: 'batchUpsert' })], credentials });
		noDuplicatesNoMisreports(accountedOnce(again, 'PERSCOM', 3), items);
		expect(sim.users.size).toBe(3);
	});

	test('a batch refused for one reason for every user: 3 requests, not 199; every item gets that error', async () => {
		const items = people(0, 100);
		const refusal = { error: { message: 'The organization has reached its user limit.', type: 'ValidationException', errors: { email: ['The organization has reached its user limit.'] } } };
		sim.failNext(500, { status: 422, body: refusal }, createBatch);
		const result = await runWorkflow({ items, nodes: [perscom({ operation: 'batchUpsert' })], credentials });
		const out = accountedOnce(result, 'PERSCOM', 100);
		expect(out.every((o) => /user limit/.test(String(o.error)))).toBe(true);
		expect(sim.count(createBatch)).toBe(3);
		expect(sim.users.size).toBe(0);
	});

	test('the same email twice in one run: created once, then updated; both items get the user', async () => {
		const items = [people(0, 1)[0], { ...people(0, 1)[0], notes: 'second' }];
		const result = await runWorkflow({ items, nodes: [perscom({ operation: 'batchUpsert' })], credentials });
		const out = accountedOnce(result, 'PERSCOM', 2);
		expect(out.map((o) => o.action)).toEqual(['created', 'updated']);
		expect(out[0].id).toBe(out[1].id);
		expect(sim.users.size).toBe(1);
	});

	test('a bad item 7 with Continue On Fail off: the node fails before anything is written', async () => {
		const items: IDataObject[] = people(0, 8);
		items[7] = { name: 'No Email', email: true };
		const result = await runWorkflow({ items, nodes: [perscom({ operation: 'batchUpsert' }, false)], credentials });
		expect(result.error?.message).toMatch(/"email" is a boolean.*\[item 7\]/);
		expect(writes()).toBe(0);
		expect(sim.users.size).toBe(0);
	});

	test('long values are cut in messages', async () => {
		const long = `${'x'.repeat(5000)}@example.com`;
		const result = await runWorkflow({ items: [{ email: long }], nodes: [perscom({ operation: 'batchUpsert' })], credentials });
		const [json] = accountedOnce(result, 'PERSCOM', 1);
		expect(String(json.error).length).toBeLessThan(400);
	});
});

describe('PERSCOM Delete: a deletion whose answer is lost is read back; "gone" is deleted', () => {
	test.each(LOST_ANSWERS)('%s, many items (DELETE /users/batch): all deleted, none reported not found', async (_name, fault, options) => {
		const users = sim.seedSample(samplePeople(0, 4));
		sim.failNext(1, fault, (r) => r.method === 'DELETE');
		const result = await runWorkflow({ items: users.map((u) => ({ id: u.id })), nodes: [perscom({ operation: 'delete', id: '={{ $json.id }}', options })], credentials });
		expect(result.error).toBeUndefined();
		const out = accountedOnce(result, 'PERSCOM', 4);
		expect(out).toEqual(users.map((u) => ({ deleted: true, id: String(u.id) })));
		expect(sim.users.size).toBe(0);
		expect(sim.count((r) => r.method === 'DELETE')).toBe(1);
		expectNoSecret(result, PERSCOM_TEST_KEY);
	});

	test('one item (DELETE /users/{id}), connection cut after the delete: deleted, not "not found"', async () => {
		const [user] = sim.seedSample(samplePeople(0, 1));
		sim.failNext(1, { reset: true, after: true }, (r) => r.method === 'DELETE');
		const result = await runWorkflow({ items: [{ id: user.id }], nodes: [perscom({ operation: 'delete', id: '={{ $json.id }}' })], credentials });
		expect(accountedOnce(result, 'PERSCOM', 1)).toEqual([{ deleted: true, id: String(user.id) }]);
		expect(sim.requests.length).toBeLessThanOrEqual(2);
	});

	test('the same ID twice and an answer in another order: each item gets its own ID, deleted once', async () => {
		const users = sim.seedSample(samplePeople(0, 3));
		const items = [...users.map((u) => ({ id: u.id })), { id: users[0].id }];
		sim.failNext(1, { status: 200, body: { data: [...users].reverse().map((u) => ({ id: u.id, email: u.email })) }, after: true }, (r) => r.method === 'DELETE');
		const result = await runWorkflow({ items, nodes: [perscom({ operation: 'delete', id: '={{ $json.id }}' })], credentials });
		expect(accountedOnce(result, 'PERSCOM', 4)).toEqual(items.map((i) => ({ deleted: true, id: String(i.id) })));
		expect((sim.requests[0].body as { resources: number[] }).resources).toEqual(users.map((u) => u.id));
		expect(sim.users.size).toBe(0);
	});

	test('a delete refused for one reason for every ID: 3 requests, every item gets the error', async () => {
		const users = sim.seedSample(samplePeople(0, 40));
		const refusal = { error: { message: 'Users cannot be deleted while the roster is locked.', type: 'ValidationException' } };
		sim.failNext(100, { status: 422, body: refusal }, (r) => r.method === 'DELETE');
		const result = await runWorkflow({ items: users.map((u) => ({ id: u.id })), nodes: [perscom({ operation: 'delete', id: '={{ $json.id }}' })], credentials });
		const out = accountedOnce(result, 'PERSCOM', 40);
		expect(out.every((o) => /roster is locked/.test(String(o.error)))).toBe(true);
		expect(sim.count((r) => r.method === 'DELETE')).toBe(3);
		expect(sim.users.size).toBe(40);
	});

	test('a bad ID in item 3 with Continue On Fail off: nothing deleted', async () => {
		const users = sim.seedSample(samplePeople(0, 4));
		const items: IDataObject[] = users.map((u) => ({ id: u.id }));
		items[3] = { id: 'seven' };
		const result = await runWorkflow({ items, nodes: [perscom({ operation: 'delete', id: '={{ $json.id }}' }, false)], credentials });
		expect(result.error?.message).toMatch(/\[item 3\]/);
		expect(sim.users.size).toBe(4);
		expect(writes()).toBe(0);
	});
});
