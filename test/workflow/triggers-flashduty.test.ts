/** The Flashduty Trigger (issue 12): /member/list newest first down to a watermark on updated_at, polled through n8n-core's PollContext against the simulator. */
import type { IDataObject } from 'n8n-workflow';

import { samplePeople } from '../../simulators/core/people';
import { FLASHDUTY_TEST_KEY, FlashdutySimulator, type FlashdutySimMember } from '../../simulators/flashduty';
import { poll } from './pollHarness';

const sim = new FlashdutySimulator();
let credentials: Record<string, Record<string, string>>;

beforeAll(async () => {
	credentials = { flashdutyApi: { appKey: FLASHDUTY_TEST_KEY, baseUrl: await sim.start() } };
});
afterAll(async () => await sim.stop());
beforeEach(() => {
	sim.members.clear();
	sim.clearLog();
	sim.clearFaults();
	sim.resetRateLimits();
});

/** The simulator's clock (Unix seconds, one tick per change), as its own writes stamp updated_at. */
const tick = () => (sim as unknown as { tick(): number }).tick();

/** Changes a member as Flashduty would: its fields, and updated_at (the next second, or the one given). */
function touch(member: FlashdutySimMember, fields: Partial<FlashdutySimMember>, at = tick()): void {
	Object.assign(member, fields, { updated_at: at });
}

const seed = (from: number, count: number, fields: (n: number) => Partial<FlashdutySimMember> = () => ({})) =>
	sim.seed(samplePeople(from, count).map((p) => ({ member_name: p.name.slice(0, 39), email: p.email, ...fields(p.n) })));

function trigger(staticData: IDataObject, parameters: IDataObject = {}, extra: { mode?: 'manual'; budgetMs?: number } = {}) {
	return poll({ type: 'flashdutyTrigger', parameters: { events: ['created', 'updated'], ...parameters }, credentials, staticData, ...extra });
}

const emitted = (items: Array<{ json: IDataObject }> | null) => (items ?? []).map((i) => [i.json.event, i.json.email, i.json.name]);
const sorted = (rows: unknown[][]) => [...rows].sort((x, y) => String(x[1]).localeCompare(String(y[1])) || String(x[0]).localeCompare(String(y[0])));

describe('Flashduty Trigger', () => {
	test('baseline is one request and emits nothing; creates and updates (one twice) emitted once each, latest version; a quiet poll is one request', async () => {
		const members = seed(0, 20);
		const state: IDataObject = {};
		expect(await trigger(state)).toBeNull();
		expect(sim.requests).toHaveLength(1);
		expect(sim.requests[0].body).toMatchObject({ orderby: 'updated_at', asc: false, p: 1, limit: 100 });

		const added = seed(100, 3);
		touch(members[3], { member_name: 'First Rename' });
		touch(members[3], { member_name: 'Second Rename' });
		touch(members[7], { time_zone: 'Europe/Paris' });
		sim.clearLog();
		const changes = await trigger(state);
		expect(sorted(emitted(changes))).toEqual(
			sorted([...added.map((m) => ['created', m.email, m.member_name]), ['updated', members[3].email, 'Second Rename'], ['updated', members[7].email, members[7].member_name]]),
		);
		expect(changes).toHaveLength(5);
		expect(changes?.[0].json).toMatchObject({ source: 'flashduty', id: expect.any(String), event: expect.any(String) });
		// Seconds became milliseconds in the watermark: the created member's updatedAt is its own.
		expect(sim.requests).toHaveLength(1);

		sim.clearLog();
		expect(await trigger(state)).toBeNull();
		expect(sim.requests).toHaveLength(1);
	});

	test('several changes within the same second are all emitted, none twice; a change in the watermark\'s second after the poll still comes', async () => {
		const members = seed(0, 10);
		const state: IDataObject = {};
		await trigger(state);
		const at = tick() + 5;
		touch(members[1], { member_name: 'Same Second A' }, at);
		touch(members[2], { member_name: 'Same Second B' }, at);
		touch(members[4], { member_name: 'Same Second C' }, at);
		expect(emitted(await trigger(state)).map((e) => e[2]).sort()).toEqual(['Same Second A', 'Same Second B', 'Same Second C']);
		touch(members[5], { member_name: 'Late In Same Second' }, at);
		expect(emitted(await trigger(state)).map((e) => e[2])).toEqual(['Late In Same Second']);
		expect(await trigger(state)).toBeNull();
	});

	test('a change stamped before the watermark (clock skew, a late commit) is still emitted within the overlap', async () => {
		const members = seed(0, 5);
		const state: IDataObject = {};
		await trigger(state);
		const now = tick() + 100;
		touch(members[0], { member_name: 'Now' }, now);
		expect(emitted(await trigger(state)).map((e) => e[2])).toEqual(['Now']);
		touch(members[1], { member_name: 'Committed Late' }, now - 20);
		expect(emitted(await trigger(state)).map((e) => e[2])).toEqual(['Committed Late']);
	});

	test('a failed poll emits nothing and leaves the cursor where it was; the next poll catches up', async () => {
		const members = seed(0, 5);
		const state: IDataObject = {};
		await trigger(state);
		const before = JSON.stringify(state);
		touch(members[2], { member_name: 'Changed During Outage' });
		sim.failNext(1, { status: 401, body: { error: { code: 'Unauthorized', message: 'You are unauthorized.' } } });
		await expect(trigger(state)).rejects.toThrow();
		expect(JSON.stringify(state)).toBe(before);
		sim.clearFaults();
		expect(emitted(await trigger(state)).map((e) => e[2])).toEqual(['Changed During Outage']);
	});

	test.each([
		['one page a poll', 120, false],
		['two pages a poll, members removed during the drain', 240, true],
	])('a backlog larger than one poll\'s budget (%s) is drained over several polls, each change once, changes meanwhile included', async (_name, budgetMs, remove) => {
		const old = seed(0, 5);
		const state: IDataObject = {};
		await trigger(state);
		const added = seed(100, 250);
		const expected: unknown[][] = added.map((m) => ['created', m.email]);
		const seen: unknown[][] = [];
		let quiet = false;
		for (let i = 0; i < 10; i++) {
			sim.clearLog();
			const items = await trigger(state, {}, { budgetMs });
			expect(sim.requests.length).toBeLessThanOrEqual(budgetMs / 120);
			seen.push(...(items ?? []).map((item) => [item.json.event, item.json.email]));
			if (i === 0) {
				// While the backlog is read: an unread member changes (it moves to the front), an
				// emitted one changes, a member joins, an old one changes.
				touch(added[10], { member_name: 'Changed Before Read' });
				touch(added[249], { member_name: 'Changed After Emitted' });
				expected.push(['updated', added[249].email]);
				const [late] = seed(900, 1);
				expected.push(['created', late.email]);
				touch(old[0], { member_name: 'Old Changed' });
				expected.push(['updated', old[0].email]);
				// Members removed from the pages already read shift the unread ones up.
				if (remove) for (const m of added.slice(200, 240)) sim.members.delete(m.member_id);
			}
			if (!items && i > 0 && (state.state as IDataObject).drain === undefined) {
				quiet = true;
				break;
			}
		}
		expect(quiet).toBe(true);
		expect(sorted(seen)).toEqual(sorted(expected));
		// Drained, a quiet poll is one request again.
		sim.clearLog();
		expect(await trigger(state, {}, { budgetMs })).toBeNull();
		expect(sim.requests).toHaveLength(1);
	});

	test('Fetch Test Event shows the latest changes without moving the cursor; filters and Simplify off', async () => {
		const members = seed(0, 10, (n) => ({ account_role_ids: n % 2 === 0 ? [6] : [8] }));
		const state: IDataObject = {};
		await trigger(state, { filters: { roleId: 6 } });
		const before = JSON.stringify(state);
		touch(members[2], { member_name: 'Responder Change' });
		touch(members[3], { member_name: 'Viewer Change' });
		const test = await trigger(state, { filters: { roleId: 6 } }, { mode: 'manual' });
		expect(test?.[0].json).toMatchObject({ name: 'Responder Change', event: 'updated' });
		expect(test?.length).toBeLessThanOrEqual(5);
		expect(sim.requests.at(-1)?.body).toMatchObject({ role_id: 6, orderby: 'updated_at', asc: false, limit: 5 });
		expect(JSON.stringify(state)).toBe(before);
		const real = await trigger(state, { filters: { roleId: 6 }, simplify: false });
		expect(emitted(real)).toEqual([['updated', members[2].email, undefined]]);
		expect(real?.[0].json).toMatchObject({ member_name: 'Responder Change', member_id: String(members[2].member_id), account_role_ids: [6] });
		// Query: a name or email substring.
		const byName: IDataObject = {};
		await trigger(byName, { filters: { query: 'special' } });
		touch(members[5], { member_name: 'Special Agent' });
		touch(members[6], { member_name: 'Ordinary Agent' });
		expect(emitted(await trigger(byName, { filters: { query: 'special' } })).map((e) => e[2])).toEqual(['Special Agent']);
	});

	test('Events: only the events asked for; Emit Existing Records emits every member once on activation; members with status "deleted" are never emitted', async () => {
		const members = seed(0, 4);
		const [gone] = seed(10, 1, () => ({ status: 'deleted' }));
		const state: IDataObject = {};
		const existing = await trigger(state, { events: ['created'], options: { emitExisting: true } });
		expect(emitted(existing).map((e) => e[1]).sort()).toEqual(members.map((m) => m.email).sort());
		expect(existing?.every((i) => i.json.event === 'created')).toBe(true);
		seed(50, 1);
		touch(members[0], { member_name: 'Not Asked For' });
		expect(emitted(await trigger(state, { events: ['created'] })).map((e) => e[0])).toEqual(['created']);

		touch(members[1], { status: 'deleted' });
		touch(gone, { member_name: 'Still Deleted' });
		touch(members[2], { member_name: 'Kept' });
		expect(emitted(await trigger(state)).map((e) => e[2])).toEqual(['Kept']);
		expect(await trigger(state)).toBeNull();
	});
});
