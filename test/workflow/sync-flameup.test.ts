import type { IDataObject } from 'n8n-workflow';

import { samplePeople } from '../../simulators/core/people';
import { FLAMEUP_TEST_KEY, FlameupSimulator } from '../../simulators/flameup';
import { runWorkflow, type RunResult, type TestNode } from './harness';
import { clearProcessedData, processedCount } from './processedData';

/** Issue 11 on Flameup: change-only writes (Last Run fingerprints by default), write modes, dry run, summary. */

const sim = new FlameupSimulator();
let credentials: Record<string, Record<string, string>>;

beforeAll(async () => {
	const url = await sim.start();
	credentials = { flameupApi: { apiKey: FLAMEUP_TEST_KEY, baseUrl: url } };
});
afterAll(async () => await sim.stop());
beforeEach(() => {
	sim.people.clear();
	sim.clearLog();
	sim.resetRateLimits();
});

function upsert(options: IDataObject = {}): TestNode {
	return { name: 'Flameup', type: 'flameup', credentials: ['flameupApi'], parameters: { resource: 'person', operation: 'batchUpsert', options } };
}

function unified(from: number, count: number): IDataObject[] {
	return samplePeople(from, count).map((p) => ({ externalId: `ext-${p.n}`, email: p.email, name: p.name, phone: p.phone, timezone: p.timezone, traits: { plan: 'pro' } }));
}

const writes = () => sim.requests.filter((r) => r.method !== 'GET');
const actions = (result: RunResult) => result.output.Flameup.map((i) => i.json.action);
const hints = (result: RunResult) => (result.run.data.resultData.runData.Flameup[0].hints ?? []).map((h) => h.message);

describe('Flameup Batch Upsert: change-only writes', () => {
	test('a second run on unchanged input sends nothing (Last Run, no read); one changed field sends exactly one person with its changes', async () => {
		const items = unified(0, 250);
		const first = await runWorkflow({ items, nodes: [upsert()], credentials });
		expect(first.error).toBeUndefined();
		expect(actions(first).every((a) => a === 'created')).toBe(true);
		expect(writes()).toHaveLength(3);
		expect(hints(first)).toEqual(['250 people: 250 created, 0 updated, 0 unchanged, 0 failed — 3 requests']);
		expect(processedCount()).toBeGreaterThan(250);

		sim.clearLog();
		const second = await runWorkflow({ items, nodes: [upsert()], credentials });
		expect(sim.requests).toHaveLength(0);
		expect(actions(second).every((a) => a === 'unchanged')).toBe(true);
		second.output.Flameup.forEach((item, i) => expect(item.pairedItem).toEqual({ item: i }));
		expect(hints(second)).toEqual(['250 people: 0 created, 0 updated, 250 unchanged, 0 failed — 0 requests']);

		sim.clearLog();
		const changed = items.map((item, i) => (i === 7 ? { ...item, timezone: 'Asia/Tokyo', traits: { plan: 'team' } } : item));
		const third = await runWorkflow({ items: changed, nodes: [upsert()], credentials });
		expect(writes()).toHaveLength(1);
		expect((writes()[0].body as { people: IDataObject[] }).people).toEqual([expect.objectContaining({ userId: 'ext-7' })]);
		expect(third.output.Flameup[7].json).toMatchObject({ action: 'updated', timezone: 'Asia/Tokyo', changes: { timezone: { to: 'Asia/Tokyo' }, 'traits.plan': { to: 'team' } } });
		expect(Object.keys(third.output.Flameup[7].json.changes as IDataObject).sort()).toEqual(['timezone', 'traits.plan']);
		expect(actions(third).filter((a) => a === 'unchanged')).toHaveLength(249);
	});

	test('a person changed back to an earlier value is written again (the store holds the last run only)', async () => {
		const items = unified(0, 3);
		await runWorkflow({ items, nodes: [upsert()], credentials });
		await runWorkflow({ items: items.map((p, i) => (i === 1 ? { ...p, timezone: 'Asia/Tokyo' } : p)), nodes: [upsert()], credentials });
		sim.clearLog();
		const back = await runWorkflow({ items, nodes: [upsert()], credentials });
		expect(actions(back)).toEqual(['unchanged', 'updated', 'unchanged']);
		expect(sim.byEmail(String(items[1].email).toLowerCase())?.timezone).toBe(items[1].timezone);
	});

	test('a failed write is not remembered: the next run sends it again', async () => {
		const items = unified(0, 2);
		sim.failNext(3, { status: 400, body: { error: 'Bad Request', message: 'invalid person' } });
		const failed = await runWorkflow({ items, nodes: [{ ...upsert(), continueOnFail: true }], credentials });
		expect(failed.output.Flameup.every((i) => i.json.error !== undefined)).toBe(true);
		sim.clearFaults();
		sim.clearLog();
		const retried = await runWorkflow({ items, nodes: [upsert()], credentials });
		expect(actions(retried)).toEqual(['created', 'created']);
		expect(writes()).toHaveLength(1);
	});

	test('Compare With Target reads each person and compares as Flameup stores it (email case, merged traits)', async () => {
		const items = unified(0, 3);
		await runWorkflow({ items, nodes: [upsert({ compareWith: 'target' })], credentials });
		sim.clearLog();
		const again = items.map((p, i) => ({ ...p, email: String(p.email).toUpperCase(), traits: i === 2 ? { plan: 'pro', seats: 5 } : {} }));
		const result = await runWorkflow({ items: again, nodes: [upsert({ compareWith: 'target' })], credentials });
		expect(sim.requests.filter((r) => r.method === 'GET')).toHaveLength(3);
		expect(actions(result)).toEqual(['unchanged', 'unchanged', 'updated']);
		expect(result.output.Flameup[2].json.changes).toEqual({ 'traits.seats': { from: null, to: 5 } });
		expect(writes()).toHaveLength(1);
	});

	test('Skip Unchanged off writes every person again', async () => {
		const items = unified(0, 3);
		await runWorkflow({ items, nodes: [upsert()], credentials });
		sim.clearLog();
		const result = await runWorkflow({ items, nodes: [upsert({ skipUnchanged: false })], credentials });
		expect(writes()).toHaveLength(1);
		expect(actions(result)).toEqual(['updated', 'updated', 'updated']);
	});
});

describe('Flameup Batch Upsert: write modes and dry run', () => {
	test('Create Only skips existing people and Update Only skips new ones, each with a reason', async () => {
		sim.seedSample(samplePeople(0, 2));
		const items = unified(0, 4);
		const createOnly = await runWorkflow({ items, nodes: [upsert({ writeMode: 'createOnly' })], credentials });
		expect(actions(createOnly)).toEqual(['skipped', 'skipped', 'created', 'created']);
		expect(createOnly.output.Flameup[0].json.reason).toBe('The person "ext-0" already exists, and Write Mode is Create Only');
		expect((writes()[0].body as { people: IDataObject[] }).people.map((p) => p.userId)).toEqual(['ext-2', 'ext-3']);

		// Another workflow's node: no fingerprints of the people created above.
		clearProcessedData();
		sim.people.clear();
		sim.seedSample(samplePeople(0, 2));
		sim.clearLog();
		const updateOnly = await runWorkflow({ items, nodes: [upsert({ writeMode: 'updateOnly' })], credentials });
		expect(actions(updateOnly)).toEqual(['updated', 'updated', 'skipped', 'skipped']);
		expect(updateOnly.output.Flameup[3].json.reason).toBe('The person "ext-3" does not exist, and Write Mode is Update Only');
		expect(sim.people.size).toBe(2);
	});

	test('a dry run writes nothing, remembers nothing, and predicts the actions of the real run that follows', async () => {
		sim.seedSample(samplePeople(0, 2));
		const items = unified(0, 4).map((p, i) => (i === 1 ? { ...p, timezone: 'Asia/Tokyo' } : p));
		const dry = await runWorkflow({ items, nodes: [upsert({ dryRun: true })], credentials });
		expect(writes()).toHaveLength(0);
		expect(dry.output.Flameup.every((i) => i.json.dryRun === true)).toBe(true);
		expect(dry.output.Flameup[1].json.changes).toMatchObject({ timezone: { to: 'Asia/Tokyo' } });
		expect(hints(dry)[0]).toMatch(/^Dry run, nothing written: 4 people: 2 created, 2 updated, 0 unchanged, 0 failed — \d+ requests$/);
		expect(processedCount()).toBe(0);

		sim.clearLog();
		const real = await runWorkflow({ items, nodes: [upsert()], credentials });
		expect(actions(real)).toEqual(actions(dry));
		expect(writes()).toHaveLength(1);
	});
});
