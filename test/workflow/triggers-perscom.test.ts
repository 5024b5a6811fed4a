/** The PERSCOM Trigger (issue 12): a watermark on updated_at, polled through n8n-core's PollContext against the simulator. */
import type { IDataObject } from 'n8n-workflow';

import { samplePeople } from '../../simulators/core/people';
import { PERSCOM_TEST_KEY, PerscomSimulator, type PerscomSimUser } from '../../simulators/perscom';
import { poll } from './pollHarness';

const sim = new PerscomSimulator();
let credentials: Record<string, Record<string, string>>;

beforeAll(async () => {
	credentials = { perscomApi: { apiKey: PERSCOM_TEST_KEY, apiVersion: 'v2', baseUrl: await sim.start(), requestsPerMinute: '1000' } };
});
afterAll(async () => await sim.stop());
beforeEach(() => {
	sim.reset();
	sim.clearFaults();
});

/** PERSCOM's stamp format (microseconds, UTC). */
const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/** Changes a user as PERSCOM would: its fields, and updated_at (the simulator's next stamp, always later than the last; or the time given). */
function touch(user: PerscomSimUser, fields: Partial<PerscomSimUser>, at?: number): void {
	if (at === undefined) sim.touch(user.id, fields);
	else Object.assign(user, fields, { updated_at: stamp(at) });
}

function trigger(staticData: IDataObject, parameters: IDataObject = {}, extra: { mode?: 'manual'; budgetMs?: number } = {}) {
	return poll({ type: 'perscomTrigger', parameters: { events: ['created', 'updated'], ...parameters }, credentials, staticData, ...extra });
}

const emitted = (items: Array<{ json: IDataObject }> | null) => (items ?? []).map((i) => [i.json.event, i.json.email, i.json.name]);

describe('PERSCOM Trigger', () => {
	test('baseline, then creates and updates (one twice) emitted once each, latest version; a quiet poll is one request and emits nothing', async () => {
		const users = sim.seed(samplePeople(0, 20).map((p) => ({ name: p.name, email: p.email })));
		const state: IDataObject = {};
		expect(await trigger(state)).toBeNull();
		expect(sim.requests.length).toBeLessThanOrEqual(2);

		const added = sim.seed(samplePeople(100, 3).map((p) => ({ name: p.name, email: p.email })));
		touch(users[3], { name: 'First Rename' });
		touch(users[3], { name: 'Second Rename' }, Date.now() + 5);
		touch(users[7], { phone_number: '+1 555 0101' });
		sim.clearLog();
		const changes = await trigger(state);
		const byEmail = (rows: unknown[][]) => [...rows].sort((x, y) => String(x[1]).localeCompare(String(y[1])));
		expect(byEmail(emitted(changes))).toEqual(
			byEmail([...added.map((u) => ['created', u.email, u.name]), ['updated', users[3].email, 'Second Rename'], ['updated', users[7].email, users[7].name]]),
		);
		expect(changes).toHaveLength(5);
		expect(changes?.[0].json).toMatchObject({ source: 'perscom', event: expect.any(String) });
		expect(sim.requests).toHaveLength(1);

		sim.clearLog();
		expect(await trigger(state)).toBeNull();
		expect(sim.requests).toHaveLength(1);
	});

	test('several changes within the same second (and the same millisecond) are all emitted, none twice', async () => {
		const users = sim.seed(samplePeople(0, 10).map((p) => ({ name: p.name, email: p.email })));
		const state: IDataObject = {};
		await trigger(state);
		const at = Date.now() + 1000;
		touch(users[1], { name: 'Same Instant A' }, at);
		touch(users[2], { name: 'Same Instant B' }, at);
		touch(users[4], { name: 'Same Second C' }, at + 300);
		const first = await trigger(state);
		expect(emitted(first).map((e) => e[2]).sort()).toEqual(['Same Instant A', 'Same Instant B', 'Same Second C']);
		// Another change at the very instant of the watermark, after the poll: still emitted, the others not again.
		touch(users[5], { name: 'Late At Same Instant' }, at + 300);
		expect(emitted(await trigger(state)).map((e) => e[2])).toEqual(['Late At Same Instant']);
		expect(await trigger(state)).toBeNull();
	});

	test('a change stamped before the watermark (server clock skew, a late commit) is still emitted within the overlap', async () => {
		const hourAgo = stamp(Date.now() - 3_600_000);
		const users = sim.seed(samplePeople(0, 5).map((p) => ({ name: p.name, email: p.email, created_at: hourAgo, updated_at: hourAgo })));
		const state: IDataObject = {};
		await trigger(state);
		touch(users[0], { name: 'Now' }, Date.now() + 2000);
		expect(emitted(await trigger(state)).map((e) => e[2])).toEqual(['Now']);
		touch(users[1], { name: 'Committed Late' }, Date.now() - 20_000);
		expect(emitted(await trigger(state)).map((e) => e[2])).toEqual(['Committed Late']);
	});

	test('a failed poll emits nothing and leaves the cursor where it was; the next poll catches up', async () => {
		const users = sim.seed(samplePeople(0, 5).map((p) => ({ name: p.name, email: p.email })));
		const state: IDataObject = {};
		await trigger(state);
		const before = JSON.stringify(state);
		touch(users[2], { name: 'Changed During Outage' });
		// A refused key fails at once (a malformed answer is retried first, then fails the same way).
		sim.failNext(1, { status: 401, body: { error: { message: 'Unauthenticated.', type: 'AuthenticationException' } } });
		await expect(trigger(state)).rejects.toThrow();
		expect(JSON.stringify(state)).toBe(before);
		sim.clearFaults();
		expect(emitted(await trigger(state)).map((e) => e[2])).toEqual(['Changed During Outage']);
	});

	test('a backlog larger than one poll\'s budget is drained over several polls, each change once', async () => {
		sim.seed(samplePeople(0, 5).map((p) => ({ name: p.name, email: p.email })));
		const state: IDataObject = {};
		await trigger(state);
		const added = sim.seed(samplePeople(100, 250).map((p) => ({ name: p.name, email: p.email })));
		// A budget of 12 s at 1,000 requests/minute: 100 pages... 0.12 s: one page of 100 a poll.
		const seen: string[] = [];
		for (let i = 0; i < 5; i++) {
			sim.clearLog();
			const items = await trigger(state, {}, { budgetMs: 120 });
			seen.push(...(items ?? []).map((item) => String(item.json.email)));
			if (!items) break;
			expect(items.length).toBeLessThanOrEqual(100);
		}
		expect(seen.sort()).toEqual(added.map((u) => u.email).sort());
	});

	test('Fetch Test Event shows the latest changes without moving the cursor; filters and Simplify off', async () => {
		const users = sim.seed(samplePeople(0, 10).map((p) => ({ name: p.name, email: p.email, approved: p.n % 2 === 0 })));
		const state: IDataObject = {};
		await trigger(state, { filters: { approved: true } });
		const before = JSON.stringify(state);
		touch(users[2], { name: 'Approved Change' }, Date.now() + 1000);
		touch(users[3], { name: 'Unapproved Change' }, Date.now() + 2000);
		const test = await trigger(state, { filters: { approved: true } }, { mode: 'manual' });
		expect(test?.[0].json).toMatchObject({ name: 'Approved Change', event: 'updated' });
		expect(test?.every((i) => i.json.status === 'approved')).toBe(true);
		expect(JSON.stringify(state)).toBe(before);
		const real = await trigger(state, { filters: { approved: true }, simplify: false });
		expect(emitted(real)).toEqual([['updated', users[2].email, 'Approved Change']]);
		expect(real?.[0].json).toHaveProperty('approved', true);
	});

	test('Events: only the events asked for are emitted; Emit Existing Records emits every user once on activation', async () => {
		const users = sim.seed(samplePeople(0, 4).map((p) => ({ name: p.name, email: p.email })));
		const state: IDataObject = {};
		expect(await trigger(state, { events: ['created'], options: { emitExisting: true } })).toHaveLength(4);
		sim.seed(samplePeople(50, 1).map((p) => ({ name: p.name, email: p.email })));
		touch(users[0], { name: 'Not Asked For' });
		expect(emitted(await trigger(state, { events: ['created'] })).map((e) => e[0])).toEqual(['created']);
	});
});
