/** The Flameup Trigger (issue 12): fingerprints of the whole people list, polled through n8n-core's PollContext against the simulator. */
import type { IDataObject } from 'n8n-workflow';

import { samplePeople } from '../../simulators/core/people';
import { FLAMEUP_WORKSPACE, FlameupSimulator, type FlameupPerson } from '../../simulators/flameup';
import { onRequest } from '../faults/accounting';
import { poll } from './pollHarness';

const sim = new FlameupSimulator();
let url: string;
let keyCount = 0;
/** A fresh key per test: each gets its own 120/minute window in the node and the simulator. */
let credentials: Record<string, Record<string, string>>;

beforeAll(async () => {
	url = await sim.start();
});
afterAll(async () => await sim.stop());
beforeEach(() => {
	sim.people.clear();
	sim.clearLog();
	sim.clearFaults();
	const key = `ws_test_simws01.${String(++keyCount).padStart(4, '0')}${'e7'.repeat(30)}`;
	sim.keys.set(key, FLAMEUP_WORKSPACE);
	credentials = { flameupApi: { apiKey: key, baseUrl: url } };
});

/** Changes a person as an edit in Flameup would: its fields, and updated_at. */
function edit(person: FlameupPerson, fields: Partial<FlameupPerson>): void {
	// A second after now: the simulator stamps its people a millisecond apart from now on.
	Object.assign(person, fields, { updated_at: new Date(Date.now() + 1000).toISOString() });
}

function trigger(staticData: IDataObject, parameters: IDataObject = {}, extra: { mode?: 'manual'; budgetMs?: number } = {}) {
	return poll({ type: 'flameupTrigger', parameters: { events: ['created', 'updated', 'deleted'], ...parameters }, credentials, staticData, ...extra });
}

const listed = (req: { method: string; path: string }) => req.method === 'GET' && req.path === '/people';
const emitted = (items: Array<{ json: IDataObject }> | null) => (items ?? []).map((i) => [i.json.event, i.json.id, i.json.firstName]);
const sorted = (rows: unknown[][]) => [...rows].sort((x, y) => `${String(x[0])}${String(x[1])}`.localeCompare(`${String(y[0])}${String(y[1])}`));
const digests = (state: IDataObject) => (state.state as { digests: Record<string, string> }).digests;
/** The people in the simulator's list order (oldest first). */
const inOrder = () => [...sim.people.values()].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));

describe('Flameup Trigger', () => {
	test('baseline (one request per 100 people, nothing emitted), then 3 created and 2 updated (one twice) emitted once each, latest version', async () => {
		const people = sim.seedSample(samplePeople(0, 250));
		const state: IDataObject = {};
		expect(await trigger(state)).toBeNull();
		expect(sim.count(listed)).toBe(3);
		expect(Object.keys(digests(state))).toHaveLength(250);

		const added = sim.seedSample(samplePeople(300, 3));
		edit(people[3], { first_name: 'First' });
		edit(people[3], { first_name: 'Second' });
		edit(people[170], { attributes: { plan: 'pro' } });
		sim.clearLog();
		const changes = await trigger(state);
		expect(sorted(emitted(changes))).toEqual(
			sorted([...added.map((p) => ['created', p.id, p.first_name]), ['updated', people[3].id, 'Second'], ['updated', people[170].id, people[170].first_name]]),
		);
		expect(changes?.[0].json).toMatchObject({ source: 'flameup', event: expect.any(String) });
		expect(sim.count(listed)).toBe(3);
		expect(await trigger(state)).toBeNull();
	});

	test('activity only (last and first seen, updated_at moved with them) emits nothing', async () => {
		const people = sim.seedSample(samplePeople(0, 5));
		const state: IDataObject = {};
		await trigger(state);
		const now = new Date(Date.now() + 1000).toISOString();
		Object.assign(people[1], { last_seen_at: now, first_seen_at: now, updated_at: now });
		expect(await trigger(state)).toBeNull();
		edit(people[1], { status: 'bounced' });
		expect(emitted(await trigger(state))).toEqual([['updated', people[1].id, people[1].first_name]]);
	});

	test('a deleted person is emitted as deleted with its source and ID only, once', async () => {
		const people = sim.seedSample(samplePeople(0, 5));
		const state: IDataObject = {};
		await trigger(state);
		sim.people.delete(people[2].id);
		expect((await trigger(state))?.map((i) => i.json)).toEqual([{ source: 'flameup', id: people[2].id, event: 'deleted' }]);
		expect(digests(state)).not.toHaveProperty(people[2].id);
		expect(await trigger(state)).toBeNull();
	});

	test('a failed poll emits nothing and leaves the state untouched; the next poll catches up', async () => {
		const people = sim.seedSample(samplePeople(0, 150));
		const state: IDataObject = {};
		await trigger(state);
		const before = JSON.stringify(state);
		edit(people[2], { first_name: 'Changed During Outage' });
		sim.people.delete(people[140].id);
		// Page 2 refused: the read fails after page 1 was read.
		sim.failNext(1, { status: 401 }, (req) => listed(req) && (req as unknown as { query: URLSearchParams }).query.get('offset') === '100');
		await expect(trigger(state)).rejects.toThrow();
		expect(JSON.stringify(state)).toBe(before);
		sim.clearFaults();
		expect(sorted(emitted(await trigger(state)))).toEqual([
			['deleted', people[140].id, undefined],
			['updated', people[2].id, 'Changed During Outage'],
		]);
	});

	test('a list that changes while it is read: no false deletion (read again and united); still changing on the second read: no deletion at all, caught up later', async () => {
		sim.seedSample(samplePeople(0, 250));
		const state: IDataObject = {};
		await trigger(state);

		// A person added at the front while page 2 is read shifts everyone by one: the first read misses one.
		let early: FlameupPerson | undefined;
		onRequest(sim, listed, [2], () => {
			early = sim.seed([{ external_id: 'early', email: 'early@example.com', created_at: '2000-01-01T00:00:00.000Z' }])[0];
		});
		sim.clearLog();
		expect(emitted(await trigger(state))).toEqual([['created', early?.id, undefined]]);
		expect(sim.count(listed)).toBe(6);
		sim.clearFaults();

		// Removed at the front on most pages of both reads: the second read moved too.
		const removed: string[] = [];
		onRequest(sim, listed, [2, 3, 5, 6], () => {
			const first = inOrder()[0];
			removed.push(first.id);
			sim.people.delete(first.id);
		});
		const during = await trigger(state);
		expect(emitted(during).filter((e) => e[0] === 'deleted')).toEqual([]);
		expect(Object.keys(digests(state))).toEqual(expect.arrayContaining(removed));
		sim.clearFaults();
		expect(sorted(emitted(await trigger(state)))).toEqual(sorted(removed.map((id) => ['deleted', id, undefined])));
		expect(await trigger(state)).toBeNull();
	});

	test('a read cut by the poll budget: the changes read are emitted, no deletion; a whole read later catches up', async () => {
		const people = sim.seedSample(samplePeople(0, 250));
		const state: IDataObject = {};
		await trigger(state);
		edit(people[5], { first_name: 'Page One' });
		edit(people[230], { first_name: 'Page Three' });
		sim.people.delete(people[220].id);
		sim.clearLog();
		// 0.12 s at 120 requests/minute: one page a poll.
		expect(emitted(await trigger(state, {}, { budgetMs: 120 }))).toEqual([['updated', people[5].id, 'Page One']]);
		expect(sim.count(listed)).toBe(1);
		expect(digests(state)).toHaveProperty(people[220].id);
		expect(sorted(emitted(await trigger(state)))).toEqual([
			['deleted', people[220].id, undefined],
			['updated', people[230].id, 'Page Three'],
		]);
	});

	test('a first poll cut by the budget: the people it did not reach are not reported created later', async () => {
		const people = sim.seedSample(samplePeople(0, 250));
		const state: IDataObject = {};
		expect(await trigger(state, {}, { budgetMs: 120 })).toBeNull();
		expect(Object.keys(digests(state))).toHaveLength(100);
		edit(people[10], { first_name: 'Known Change' });
		expect(emitted(await trigger(state))).toEqual([['updated', people[10].id, 'Known Change']]);
		expect(Object.keys(digests(state))).toHaveLength(250);
		const [added] = sim.seedSample(samplePeople(400, 1));
		expect(emitted(await trigger(state))).toEqual([['created', added.id, added.first_name]]);
	});

	test('Fetch Test Event shows the most recently updated people without touching the state', async () => {
		const people = sim.seedSample(samplePeople(0, 10));
		const state: IDataObject = {};
		await trigger(state);
		const before = JSON.stringify(state);
		edit(people[6], { first_name: 'Latest' });
		const test = await trigger(state, {}, { mode: 'manual' });
		expect(test).toHaveLength(5);
		expect(test?.[0].json).toMatchObject({ firstName: 'Latest', event: 'updated', source: 'flameup' });
		expect(JSON.stringify(state)).toBe(before);
		expect(emitted(await trigger(state))).toEqual([['updated', people[6].id, 'Latest']]);
		const fresh: IDataObject = {};
		await trigger(fresh, {}, { mode: 'manual' });
		expect(fresh).toEqual({});
	});

	test('filters (query parameters): only matching people are watched; leaving the set reads as deleted; Simplify off gives the raw record', async () => {
		const people = sim.seedSample(samplePeople(0, 6));
		edit(people[0], { status: 'unsubscribed' });
		const filters = { status: 'active', search: 'example' };
		const state: IDataObject = {};
		await trigger(state, { filters });
		expect(sim.requests[0].query).toMatchObject({ status: 'active', search: 'example' });
		expect(Object.keys(digests(state))).toHaveLength(5);
		edit(people[0], { first_name: 'Unsubscribed Change' });
		edit(people[1], { first_name: 'Active Change' });
		const raw = await trigger(state, { filters, simplify: false });
		expect(raw?.map((i) => i.json)).toEqual([{ ...people[1], event: 'updated' }]);
		edit(people[1], { status: 'bounced' });
		expect(emitted(await trigger(state, { filters }))).toEqual([['deleted', people[1].id, undefined]]);
		edit(people[0], { status: 'active' });
		expect(emitted(await trigger(state, { filters }))).toEqual([['created', people[0].id, 'Unsubscribed Change']]);
	});

	test('Events and Emit Existing Records: every person once, as created, on activation; then only the events asked for', async () => {
		const people = sim.seedSample(samplePeople(0, 4));
		const state: IDataObject = {};
		expect((await trigger(state, { events: ['updated'], options: { emitExisting: true } }))?.map((i) => i.json.event)).toEqual(['created', 'created', 'created', 'created']);
		sim.seedSample(samplePeople(50, 1));
		edit(people[0], { first_name: 'Asked For' });
		sim.people.delete(people[1].id);
		expect(emitted(await trigger(state, { events: ['updated'] }))).toEqual([['updated', people[0].id, 'Asked For']]);
		expect(await trigger(state)).toBeNull();
	});
});
