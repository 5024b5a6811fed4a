/** Fault injection on Flashduty's writes: Batch Upsert (updates idempotent, invites not) and Delete. */
import type { IDataObject } from 'n8n-workflow';

import { samplePeople } from '../../simulators/core/people';
import { FLASHDUTY_TEST_KEY, FlashdutySimulator } from '../../simulators/flashduty';
import { runWorkflow, type TestNode } from '../workflow/harness';
import { accountedOnce, expectNoSecret, LOST_ANSWERS } from './accounting';

const sim = new FlashdutySimulator();
let credentials: Record<string, Record<string, string>>;

beforeAll(async () => {
	credentials = { flashdutyApi: { appKey: FLASHDUTY_TEST_KEY, baseUrl: await sim.start() } };
});
afterAll(async () => await sim.stop());
beforeEach(() => {
	sim.members.clear();
	sim.invitedToday.clear();
	sim.dailyInvites = 200;
	sim.clearLog();
	sim.clearFaults();
	sim.resetRateLimits();
});

function flashduty(parameters: IDataObject, continueOnFail = true): TestNode {
	return { name: 'Flashduty', type: 'flashduty', credentials: ['flashdutyApi'], parameters: { resource: 'member', ...parameters }, continueOnFail };
}

const people = (from: number, count: number): IDataObject[] => samplePeople(from, count).map((p) => ({ email: p.email, name: p.name }));
const invite = (r: { path: string }) => r.path === '/member/invite';
const writes = () => sim.count((r) => ['/member/invite', '/member/info/reset', '/member/role/update', '/member/delete'].includes(r.path));

/** Each email once in Flashduty; each output is its own item's member (or an error for one not stored). */
function noDuplicatesNoMisreports(out: IDataObject[], items: IDataObject[]): void {
	const emails = [...sim.members.values()].map((m) => m.email);
	expect(new Set(emails).size).toBe(emails.length);
	const names = [...sim.members.values()].map((m) => m.member_name);
	expect(new Set(names).size).toBe(names.length);
	out.forEach((json, i) => {
		const stored = sim.byEmail(String(items[i].email));
		if (json.error) expect(stored).toBeUndefined();
		else expect(json).toMatchObject({ email: String(items[i].email).toLowerCase(), id: String(stored?.member_id) });
	});
}

describe('Flashduty Batch Upsert: the answer to an invite is lost after the members were created', () => {
	test.each(LOST_ANSWERS)('%s: looked up by email, invited once, reported created', async (_name, fault, options) => {
		sim.seedSample(samplePeople(0, 2));
		const items = [...people(0, 2).map((p) => ({ ...p, timezone: 'Europe/Paris' })), ...people(2, 3)];
		sim.failNext(1, fault, invite);
		const result = await runWorkflow({ items, nodes: [flashduty({ operation: 'batchUpsert', options })], credentials });
		expect(result.error).toBeUndefined();
		const out = accountedOnce(result, 'Flashduty', 5);
		expect(out.map((o) => o.action)).toEqual(['updated', 'updated', 'created', 'created', 'created']);
		noDuplicatesNoMisreports(out, items);
		expect(sim.members.size).toBe(5);
		expect(sim.count(invite)).toBe(1);
		// list, 2 resets, the invite, 3 look-ups by email
		expect(sim.requests.length).toBeLessThanOrEqual(7);
		expectNoSecret(result, FLASHDUTY_TEST_KEY);
	});

	test('an update (/member/info/reset, idempotent) whose answer is lost is sent again', async () => {
		sim.seedSample(samplePeople(0, 1));
		sim.failNext(1, { status: 502, after: true }, (r) => r.path === '/member/info/reset');
		const result = await runWorkflow({ items: [{ ...people(0, 1)[0], timezone: 'Europe/Paris' }], nodes: [flashduty({ operation: 'batchUpsert' })], credentials });
		expect(accountedOnce(result, 'Flashduty', 1)[0]).toMatchObject({ action: 'updated', timezone: 'Europe/Paris' });
		expect(sim.count((r) => r.path === '/member/info/reset')).toBe(2);
	});

	test('an answer in another order: each item is paired with its member by name', async () => {
		const items = people(0, 3);
		const nextId = (sim as unknown as { nextId: number }).nextId;
		const answer = items.map((p, i) => ({ member_id: nextId + i * 1_000_003, member_name: p.name })).reverse();
		sim.failNext(1, { status: 200, body: { request_id: 'r', data: { items: answer } }, after: true }, invite);
		const result = await runWorkflow({ items, nodes: [flashduty({ operation: 'batchUpsert' })], credentials });
		noDuplicatesNoMisreports(accountedOnce(result, 'Flashduty', 3), items);
	});

	test('an answer without member IDs or leaving members out: looked up, never paired by position', async () => {
		const items = people(0, 3);
		sim.failNext(1, { status: 200, body: { request_id: 'r', data: { items: [{ member_name: items[0].name }] } }, after: true }, invite);
		const result = await runWorkflow({ items, nodes: [flashduty({ operation: 'batchUpsert' })], credentials });
		const out = accountedOnce(result, 'Flashduty', 3);
		expect(out.map((o) => o.action)).toEqual(['created', 'created', 'created']);
		noDuplicatesNoMisreports(out, items);
		expect(sim.count(invite)).toBe(1);
	});

	test('invites refused for one reason: at most 3 requests, every item gets the error', async () => {
		sim.failNext(100, { status: 400, body: { request_id: 'r', error: { code: 'BadRequest', message: 'Member invitations are turned off for this account' } } }, invite);
		const result = await runWorkflow({ items: people(0, 20), nodes: [flashduty({ operation: 'batchUpsert' })], credentials });
		const out = accountedOnce(result, 'Flashduty', 20);
		expect(out.every((o) => /turned off/.test(String(o.error)))).toBe(true);
		expect(sim.count(invite)).toBe(3);
	});

	test('the daily cap: invitations past 200 in one run fail at once, saying when to retry', async () => {
		const items = people(0, 205);
		const result = await runWorkflow({ items, nodes: [flashduty({ operation: 'batchUpsert' })], credentials });
		const out = accountedOnce(result, 'Flashduty', 205);
		expect(out.slice(0, 200).every((o) => o.action === 'created')).toBe(true);
		for (const json of out.slice(200)) {
			expect(json.error).toMatch(/200 invitations a day/);
			expect(json.description).toMatch(/Run this item again after \d{4}-\d{2}-\d{2}T16:00:00\.000Z/);
		}
		expect(sim.count(invite)).toBe(10);
		expect(sim.members.size).toBe(200);
	}, 60_000);

	test('the daily cap reached by earlier runs: Flashduty refuses, no further batch is sent, each item says when to retry', async () => {
		sim.dailyInvites = 5;
		const result = await runWorkflow({ items: people(0, 30), nodes: [flashduty({ operation: 'batchUpsert', options: { batchSize: 10 } })], credentials });
		const out = accountedOnce(result, 'Flashduty', 30);
		expect(out.every((o) => /200 invitations a day/.test(String(o.error)) && /daily invitation limit/.test(String(o.description)))).toBe(true);
		expect(sim.count(invite)).toBe(1);
		expect(sim.members.size).toBe(0);
	});

	test('the same new email twice: the first is invited, the second gets an error naming the first', async () => {
		const [ada] = people(0, 1);
		const result = await runWorkflow({ items: [ada, { ...ada, name: 'Ada Again' }], nodes: [flashduty({ operation: 'batchUpsert' })], credentials });
		const out = accountedOnce(result, 'Flashduty', 2);
		expect(out[0].action).toBe('created');
		expect(out[1].error).toMatch(/same new member as item 0/);
		expect(sim.members.size).toBe(1);
	});

	test('names made from emails are unique within the run and against the members; phone-only without a name is an input error', async () => {
		sim.seed([{ email: 'ada@old.example', member_name: 'ada' }]);
		const items = [{ email: 'ada@one.example' }, { email: 'ada@two.example' }, { phone: '+15550001111' }];
		const result = await runWorkflow({ items, nodes: [flashduty({ operation: 'batchUpsert' })], credentials });
		const out = accountedOnce(result, 'Flashduty', 3);
		expect(out.slice(0, 2).map((o) => [o.action, o.name])).toEqual([
			['created', 'ada-2'],
			['created', 'ada-3'],
		]);
		expect(out[2].error).toMatch(/invited by phone .* needs a name \[item 2\]/);
		expect(sim.members.size).toBe(3);
	});

	test('a bad item 7 with Continue On Fail off: nothing is written', async () => {
		sim.seedSample(samplePeople(0, 2));
		const items: IDataObject[] = [...people(0, 2).map((p) => ({ ...p, timezone: 'Europe/Paris' })), ...people(2, 6)];
		items[7] = { email: { address: 'x@y.z' } };
		const result = await runWorkflow({ items, nodes: [flashduty({ operation: 'batchUpsert' }, false)], credentials });
		expect(result.error?.message).toMatch(/"email" is an object.*\[item 7\]/);
		expect(writes()).toBe(0);
	});
});

describe('Flashduty Delete: a deletion whose answer is lost is looked up; "gone" is deleted', () => {
	test.each(LOST_ANSWERS)('%s: by member ID and by email, deleted, never "not found"', async (_name, fault, options) => {
		const [a, b] = sim.seedSample(samplePeople(0, 2));
		sim.failNext(2, fault, (r) => r.path === '/member/delete');
		const items = [{ id: String(a.member_id) }, { id: b.email }];
		const result = await runWorkflow({ items, nodes: [flashduty({ operation: 'delete', id: '={{ $json.id }}', options })], credentials });
		expect(result.error).toBeUndefined();
		expect(accountedOnce(result, 'Flashduty', 2)).toEqual([
			{ deleted: true, id: String(a.member_id) },
			{ deleted: true, id: b.email },
		]);
		expect(sim.members.size).toBe(0);
		expect(sim.count((r) => r.path === '/member/delete')).toBe(2);
		expectNoSecret(result, FLASHDUTY_TEST_KEY);
	});

	test('by external ID, connection cut after the delete: read back from the member list, deleted', async () => {
		const [a] = sim.seedSample(samplePeople(0, 1));
		sim.failNext(1, { reset: true, after: true }, (r) => r.path === '/member/delete');
		const result = await runWorkflow({ items: [{}], nodes: [flashduty({ operation: 'delete', id: a.ref_id, matchBy: 'refId' })], credentials });
		expect(accountedOnce(result, 'Flashduty', 1)).toEqual([{ deleted: true, id: a.ref_id }]);
	});

	test('the same member twice: deleted once, both items reported deleted', async () => {
		const [a] = sim.seedSample(samplePeople(0, 1));
		const result = await runWorkflow({ items: [{ id: a.email }, { id: a.email.toUpperCase() }], nodes: [flashduty({ operation: 'delete', id: '={{ $json.id }}' })], credentials });
		expect(accountedOnce(result, 'Flashduty', 2).map((o) => o.deleted)).toEqual([true, true]);
		expect(sim.count((r) => r.path === '/member/delete')).toBe(1);
	});

	test('a bad ID in item 2 with Continue On Fail off: nothing deleted', async () => {
		const members = sim.seedSample(samplePeople(0, 3));
		const items: IDataObject[] = members.map((m) => ({ id: String(m.member_id) }));
		items[2] = { id: 'not-an-id' };
		const result = await runWorkflow({ items, nodes: [flashduty({ operation: 'delete', id: '={{ $json.id }}', matchBy: 'memberId' }, false)], credentials });
		expect(result.error?.message).toMatch(/\[item 2\]/);
		expect(sim.members.size).toBe(3);
	});
});
