/** The Flxpoint Trigger (issue 12): fingerprints of the whole user list, polled through n8n-core's PollContext against the simulator. */
import type { IDataObject } from 'n8n-workflow';

import { samplePeople } from '../../simulators/core/people';
import { FLXPOINT_FIRST_ID, FLXPOINT_ROLES, FLXPOINT_TEST_TOKEN, FlxpointSimulator, type FlxpointUser } from '../../simulators/flxpoint';
import { poll } from './pollHarness';

/** The simulator enforces 2 requests/second per token in real time: each poll is one request, throttled by the node. */
const sim = new FlxpointSimulator();
let credentials: Record<string, Record<string, string>>;

beforeAll(async () => {
	credentials = { flxpointApi: { apiToken: FLXPOINT_TEST_TOKEN, baseUrl: await sim.start() } };
});
afterAll(async () => await sim.stop());
beforeEach(() => {
	sim.users.clear();
	sim.clearLog();
	sim.clearFaults();
});

/** Changes a user as an edit in Flxpoint would: its fields, and updatedAt. */
function edit(user: FlxpointUser, fields: Partial<FlxpointUser>): void {
	Object.assign(user, fields, { updatedAt: new Date().toISOString() });
}

function trigger(staticData: IDataObject, parameters: IDataObject = {}, extra: { mode?: 'manual' } = {}) {
	return poll({ type: 'flxpointTrigger', parameters: { events: ['created', 'updated', 'deleted'], ...parameters }, credentials, staticData, ...extra });
}

const emitted = (items: Array<{ json: IDataObject }> | null) => (items ?? []).map((i) => [i.json.event, String(i.json.id), i.json.firstName]);
const sorted = (rows: unknown[][]) => [...rows].sort((x, y) => `${String(x[0])}${String(x[1])}`.localeCompare(`${String(y[0])}${String(y[1])}`));

describe('Flxpoint Trigger', () => {
	test('baseline (one request, nothing emitted), then 3 created and 2 updated (one twice) emitted once each, latest version; a quiet poll emits nothing', async () => {
		const users = sim.seedSample(samplePeople(0, 20));
		const state: IDataObject = {};
		expect(await trigger(state)).toBeNull();
		expect(sim.requests).toHaveLength(1);
		expect(Object.keys((state.state as { digests: object }).digests)).toHaveLength(20);

		const added = sim.seedSample(samplePeople(100, 3));
		edit(users[3], { firstName: 'First' });
		edit(users[3], { firstName: 'Second' });
		edit(users[7], { lastName: 'Renamed' });
		sim.clearLog();
		const changes = await trigger(state);
		expect(sorted(emitted(changes))).toEqual(
			sorted([...added.map((u) => ['created', String(u.id), u.firstName]), ['updated', String(users[3].id), 'Second'], ['updated', String(users[7].id), users[7].firstName]]),
		);
		expect(changes?.[0].json).toMatchObject({ source: 'flxpoint', event: expect.any(String) });
		expect(sim.requests).toHaveLength(1);

		expect(await trigger(state)).toBeNull();
	});

	test('activity only (last login, minutes of activity, sessions; updatedAt moved with them) emits nothing', async () => {
		const users = sim.seedSample(samplePeople(0, 5));
		const state: IDataObject = {};
		await trigger(state);
		const now = new Date().toISOString();
		Object.assign(users[1], { lastLoginAt: now, lastSessionAt: now, notificationsLastCheckedAt: now, minutesOfActivity: 999, updatedAt: now });
		expect(await trigger(state)).toBeNull();
		edit(users[1], { email: 'changed@example.com' });
		expect(emitted(await trigger(state))).toEqual([['updated', String(users[1].id), users[1].firstName]]);
	});

	test('a deleted user is emitted as deleted with its source and ID only, once', async () => {
		const users = sim.seedSample(samplePeople(0, 5));
		const state: IDataObject = {};
		await trigger(state);
		sim.users.delete(users[2].id);
		const out = await trigger(state);
		expect(out?.map((i) => i.json)).toEqual([{ source: 'flxpoint', id: String(users[2].id), event: 'deleted' }]);
		expect(Object.keys((state.state as { digests: object }).digests)).not.toContain(String(users[2].id));
		expect(await trigger(state)).toBeNull();
		// Events: without "deleted", a deletion is recorded but not emitted.
		sim.users.delete(users[3].id);
		expect(await trigger(state, { events: ['created', 'updated'] })).toBeNull();
		expect(await trigger(state)).toBeNull();
	});

	test('a failed poll emits nothing and leaves the state untouched; the next poll catches up', async () => {
		const users = sim.seedSample(samplePeople(0, 5));
		const state: IDataObject = {};
		await trigger(state);
		const before = JSON.stringify(state);
		edit(users[2], { firstName: 'Changed During Outage' });
		sim.users.delete(users[4].id);
		sim.failNext(1, { status: 401 });
		await expect(trigger(state)).rejects.toThrow();
		expect(JSON.stringify(state)).toBe(before);
		expect(sorted(emitted(await trigger(state)))).toEqual([
			['deleted', String(users[4].id), undefined],
			['updated', String(users[2].id), 'Changed During Outage'],
		]);
	});

	test('Fetch Test Event shows the most recently updated users without touching the state', async () => {
		const users = sim.seedSample(samplePeople(0, 10));
		const state: IDataObject = {};
		await trigger(state);
		const before = JSON.stringify(state);
		edit(users[6], { firstName: 'Latest' });
		const test = await trigger(state, {}, { mode: 'manual' });
		expect(test).toHaveLength(5);
		expect(test?.[0].json).toMatchObject({ firstName: 'Latest', event: 'updated', source: 'flxpoint' });
		expect(JSON.stringify(state)).toBe(before);
		expect(emitted(await trigger(state))).toEqual([['updated', String(users[6].id), 'Latest']]);
		// Before the first poll, too: no state is written.
		const fresh: IDataObject = {};
		await trigger(fresh, {}, { mode: 'manual' });
		expect(fresh).toEqual({});
	});

	test('filters (applied by the node): only matching users are watched; leaving the set reads as deleted; Simplify off gives the raw record', async () => {
		const users = sim.seedSample(samplePeople(0, 9));
		const filters = { roleHandle: 'support' };
		const state: IDataObject = {};
		await trigger(state, { filters });
		expect(Object.keys((state.state as { digests: object }).digests).sort()).toEqual(users.filter((u) => u.role.handle === 'support').map((u) => String(u.id)).sort());
		const [support, admin] = [users[1], users[0]];
		edit(admin, { firstName: 'Admin Change' });
		edit(support, { firstName: 'Support Change' });
		const raw = await trigger(state, { filters, simplify: false });
		expect(raw?.map((i) => i.json)).toEqual([{ ...support, event: 'updated' }]);
		edit(support, { role: { ...FLXPOINT_ROLES[2] } });
		expect(emitted(await trigger(state, { filters }))).toEqual([['deleted', String(support.id), undefined]]);
		edit(admin, { role: { ...FLXPOINT_ROLES[1] } });
		expect(emitted(await trigger(state, { filters }))).toEqual([['created', String(admin.id), 'Admin Change']]);
		expect(FLXPOINT_FIRST_ID).toBe(users[0].id);
	});

	test('Emit Existing Records emits every user once, as created, on activation', async () => {
		sim.seedSample(samplePeople(0, 4));
		const state: IDataObject = {};
		const out = await trigger(state, { events: ['updated'], options: { emitExisting: true } });
		expect(out?.map((i) => i.json.event)).toEqual(['created', 'created', 'created', 'created']);
		expect(await trigger(state)).toBeNull();
	});
});
