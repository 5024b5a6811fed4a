/** Sync modes of the Flashduty node (issue 11): Batch Upsert's Write Mode, Skip Unchanged, Compare With, Dry Run; Mirror. */
import type { IDataObject } from 'n8n-workflow';

import { samplePeople } from '../../simulators/core/people';
import { FLASHDUTY_TEST_KEY, FlashdutySimulator, type FlashdutySimMember } from '../../simulators/flashduty';
import { runWorkflow, type RunResult, type TestNode } from './harness';

const sim = new FlashdutySimulator();
let credentials: Record<string, Record<string, string>>;

beforeAll(async () => {
	credentials = { flashdutyApi: { appKey: FLASHDUTY_TEST_KEY, baseUrl: await sim.start() } };
});
afterAll(async () => await sim.stop());
beforeEach(() => {
	sim.clearFaults();
	sim.members.clear();
	sim.invitedToday.clear();
	sim.referenced.clear();
	sim.clearLog();
	sim.resetRateLimits();
});

const WRITE_PATHS = ['/member/invite', '/member/info/reset', '/member/role/update', '/member/delete'];

function flashduty(parameters: IDataObject, continueOnFail = false): TestNode {
	return { name: 'Flashduty', type: 'flashduty', credentials: ['flashdutyApi'], parameters: { resource: 'member', ...parameters }, continueOnFail };
}

function json(result: RunResult): IDataObject[] {
	return (result.output.Flashduty ?? []).map((item) => item.json);
}

const writes = () => sim.count((r) => WRITE_PATHS.includes(r.path));
const bodies = (path: string) => sim.calls(path).map((r) => r.body as IDataObject);
const actions = (result: RunResult) => json(result).map((o) => o.action ?? 'error');
const hint = (result: RunResult) => (result.run.data.resultData.runData.Flashduty[0].hints ?? []).map((h) => h.message).join('\n');

/** Runs the node, then clears the request log (state and the deduplication store stay). */
async function run(items: IDataObject[], parameters: IDataObject, continueOnFail = false): Promise<RunResult> {
	sim.clearLog();
	return await runWorkflow({ items, nodes: [flashduty(parameters, continueOnFail)], credentials });
}

/** Items naming existing members as Flashduty stores them, but written as a source would: upper-case email, full phone, other locale tags. */
function itemsFor(members: FlashdutySimMember[]): IDataObject[] {
	return members.map((m, i) => ({
		externalId: m.ref_id,
		email: m.email.toUpperCase(),
		name: m.member_name,
		phone: m.phone,
		timezone: m.time_zone,
		locale: m.locale === 'en-US' ? 'en-GB' : 'zh_TW',
		...(i === 0 ? { roleIds: [8] } : {}),
	}));
}

const newPeople = (from: number, count: number): IDataObject[] =>
	samplePeople(from, count).map((p) => ({ externalId: `new-${p.n}`, email: p.email, name: p.name, phone: p.phone, timezone: p.timezone, locale: p.locale, roleIds: [6] }));

describe('Flashduty Batch Upsert: Skip Unchanged and Compare With', () => {
	test.each(['auto', 'target', 'lastRun'])('Compare With %s: the second run on the same input sends no write and outputs every item unchanged', async (compareWith) => {
		const seeded = sim.seedSample(samplePeople(0, 5));
		const items = [...itemsFor(seeded.slice(0, 3)).map((item) => ({ ...item, timezone: 'Europe/Paris' })), ...itemsFor(seeded.slice(3)), ...newPeople(100, 2)];
		const parameters = { operation: 'batchUpsert', options: { compareWith } };

		const first = await run(items, parameters);
		expect(first.error).toBeUndefined();
		// Compare With Last Run knows nothing yet: members 3 and 4 are compared with Flashduty, as with Target.
		expect(actions(first)).toEqual(['updated', 'updated', 'updated', 'unchanged', 'unchanged', 'created', 'created']);
		expect(bodies('/member/info/reset')).toHaveLength(3);
		expect(bodies('/member/invite')).toHaveLength(1);

		const second = await run(items, parameters);
		expect(second.error).toBeUndefined();
		expect(actions(second)).toEqual(Array(7).fill('unchanged'));
		expect(writes()).toBe(0);
		// Last Run needs no request at all; Target (Automatic here) reads the one page of members.
		expect(sim.requests).toHaveLength(compareWith === 'lastRun' ? 0 : 1);
		expect(hint(second)).toMatch(/^7 members: 0 created, 0 updated, 7 unchanged, 0 failed — (0|1) requests?$/);
		expect(json(second)[0]).toMatchObject({ externalId: 'ref-0', email: seeded[0].email, timezone: 'Europe/Paris' });
	});

	test.each(['target', 'lastRun'])('Compare With %s: one changed field sends exactly one update, its output says from and to', async (compareWith) => {
		const seeded = sim.seedSample(samplePeople(0, 4));
		const items = itemsFor(seeded);
		const parameters = { operation: 'batchUpsert', options: { compareWith } };
		await run(items, parameters);

		const before = seeded[2].member_name;
		items[2] = { ...items[2], name: 'Renamed Member' };
		items[0] = { ...items[0], roleIds: [2, 6] };
		const result = await run(items, parameters);
		expect(result.error).toBeUndefined();
		expect(actions(result)).toEqual(['updated', 'unchanged', 'updated', 'unchanged']);
		expect(bodies('/member/info/reset')).toEqual([{ member_id: seeded[2].member_id, updates: { member_name: 'Renamed Member' } }]);
		expect(bodies('/member/role/update')).toEqual([{ member_id: seeded[0].member_id, role_ids: [2, 6] }]);
		expect(writes()).toBe(2);
		const out = json(result);
		expect(out[2]).toMatchObject({ name: 'Renamed Member', action: 'updated', changes: { name: { from: before, to: 'Renamed Member' } } });
		expect(out[0].changes).toEqual({ roleIds: { from: [8], to: [2, 6] } });
		expect(sim.members.get(seeded[2].member_id)?.member_name).toBe('Renamed Member');
	});

	test('Compare With Last Run does not see a change made in Flashduty; Target does and reverts it', async () => {
		const seeded = sim.seedSample(samplePeople(0, 2));
		const items = itemsFor(seeded);
		await run(items, { operation: 'batchUpsert', options: { compareWith: 'lastRun' } });
		(sim.members.get(seeded[1].member_id) as FlashdutySimMember).time_zone = 'Asia/Tokyo';

		const lastRun = await run(items, { operation: 'batchUpsert', options: { compareWith: 'lastRun' } });
		expect(actions(lastRun)).toEqual(['unchanged', 'unchanged']);
		expect(sim.requests).toHaveLength(0);

		const target = await run(items, { operation: 'batchUpsert', options: { compareWith: 'target' } });
		expect(actions(target)).toEqual(['unchanged', 'updated']);
		expect(json(target)[1].changes).toEqual({ timezone: { from: 'Asia/Tokyo', to: seeded[1].time_zone } });
		expect(bodies('/member/info/reset')).toEqual([{ member_id: seeded[1].member_id, updates: { time_zone: seeded[1].time_zone } }]);
	});

	test('Compare With Last Run: a run that stops before writing (an item it cannot write) leaves no fingerprint behind', async () => {
		const people = newPeople(0, 2);
		const stopped = await run([people[0], { name: 'No Key At All' }], { operation: 'batchUpsert', options: { compareWith: 'lastRun' } });
		expect(stopped.error).toBeDefined();
		expect(writes()).toBe(0);
		const next = await run([people[0]], { operation: 'batchUpsert', options: { compareWith: 'lastRun' } });
		expect(actions(next)).toEqual(['created']);
		expect(writes()).toBe(1);
	});

	test('Skip Unchanged off: an unchanged member is really sent (never its own email or phone) and output updated', async () => {
		const seeded = sim.seedSample(samplePeople(0, 2));
		const result = await run(itemsFor(seeded), { operation: 'batchUpsert', options: { skipUnchanged: false } });
		expect(result.error).toBeUndefined();
		expect(actions(result)).toEqual(['updated', 'updated']);
		const resets = bodies('/member/info/reset');
		expect(resets).toHaveLength(2);
		expect(resets[0]).toEqual({
			member_id: seeded[0].member_id,
			updates: { member_name: seeded[0].member_name, time_zone: seeded[0].time_zone, locale: 'en-US', ref_id: 'ref-0' },
		});
		expect(bodies('/member/role/update')).toEqual([{ member_id: seeded[0].member_id, role_ids: [8] }]);
		expect(json(result)[0].changes).toEqual({});
		// Nothing was re-verified.
		expect(seeded.every((m) => sim.members.get(m.member_id)?.email_verified)).toBe(true);
	});
});

describe('Flashduty Batch Upsert: Write Mode', () => {
	test('Create Only invites the new members and skips the existing ones with a reason', async () => {
		const seeded = sim.seedSample(samplePeople(0, 2));
		const items = [...itemsFor(seeded).map((item) => ({ ...item, timezone: 'Europe/Paris' })), ...newPeople(100, 1)];
		const result = await run(items, { operation: 'batchUpsert', options: { writeMode: 'createOnly' } });
		expect(result.error).toBeUndefined();
		expect(actions(result)).toEqual(['skipped', 'skipped', 'created']);
		expect(json(result)[0].reason).toMatch(/already exists, and Write Mode is Create Only/);
		expect(json(result)[0].id).toBe(String(seeded[0].member_id));
		expect(bodies('/member/info/reset')).toHaveLength(0);
		expect(bodies('/member/invite')).toHaveLength(1);
		expect(writes()).toBe(1);
		expect(hint(result)).toMatch(/3 members: 1 created, 0 updated, 0 unchanged, 2 skipped, 0 failed/);
	});

	test('Update Only updates the existing members and skips the new ones with a reason', async () => {
		const seeded = sim.seedSample(samplePeople(0, 2));
		const items = [...itemsFor(seeded).map((item) => ({ ...item, timezone: 'Europe/Paris' })), ...newPeople(100, 1)];
		const result = await run(items, { operation: 'batchUpsert', options: { writeMode: 'updateOnly' } });
		expect(result.error).toBeUndefined();
		expect(actions(result)).toEqual(['updated', 'updated', 'skipped']);
		expect(json(result)[2].reason).toMatch(/does not exist, and Write Mode is Update Only/);
		expect(bodies('/member/invite')).toHaveLength(0);
		expect(bodies('/member/info/reset')).toHaveLength(2);
		expect(sim.members.size).toBe(2);
	});
});

describe('Flashduty Batch Upsert: Dry Run', () => {
	test('writes nothing and outputs the actions the real run then takes', async () => {
		const seeded = sim.seedSample(samplePeople(0, 3));
		const items: IDataObject[] = [
			{ ...itemsFor(seeded)[0], timezone: 'Europe/Paris' },
			itemsFor(seeded)[1],
			...newPeople(100, 2),
			// An input error: the same in both runs.
			{ email: 'x@example.com', name: 'X' },
		];
		const parameters = (dryRun: boolean) => ({ operation: 'batchUpsert', options: { dryRun } });

		const dry = await run(items, parameters(true), true);
		expect(dry.error).toBeUndefined();
		expect(writes()).toBe(0);
		expect(sim.members.size).toBe(3);
		const dryOut = json(dry);
		expect(dryOut.slice(0, 4).every((o) => o.dryRun === true)).toBe(true);
		expect(dryOut[0]).toMatchObject({ action: 'updated', timezone: 'Europe/Paris', changes: { timezone: { from: seeded[0].time_zone, to: 'Europe/Paris' } } });
		expect(dryOut[2]).toMatchObject({ action: 'created', email: items[2].email, externalId: 'new-100' });
		expect(hint(dry)).toMatch(/^Dry run, nothing written: 5 members: 2 created, 1 updated, 1 unchanged, 1 failed/);

		const real = await run(items, parameters(false), true);
		expect(actions(real)).toEqual(actions(dry));
		expect(actions(real)).toEqual(['updated', 'unchanged', 'created', 'created', 'error']);
		expect(json(real)[0].changes).toEqual(dryOut[0].changes);
		expect(writes()).toBe(2);
	});

	test('with Compare With Last Run: the dry run leaves the store as it was', async () => {
		const seeded = sim.seedSample(samplePeople(0, 2));
		const items = itemsFor(seeded);
		const parameters = (dryRun: boolean) => ({ operation: 'batchUpsert', options: { compareWith: 'lastRun', dryRun } });
		const dry = await run(items, parameters(true));
		expect(actions(dry)).toEqual(['unchanged', 'unchanged']);
		expect(json(dry).every((o) => o.dryRun === true)).toBe(true);
		// Nothing was remembered by the dry run: the real run compares with Flashduty (one list read)...
		const real = await run(items, parameters(false));
		expect(actions(real)).toEqual(['unchanged', 'unchanged']);
		expect(sim.calls('/member/list')).toHaveLength(1);
		// ...and remembers, so that the next run needs no request.
		const next = await run(items, parameters(false));
		expect(actions(next)).toEqual(['unchanged', 'unchanged']);
		expect(sim.requests).toHaveLength(0);
	});
});

describe('Flashduty Mirror', () => {
	/** 6 managed members (ref_id hr-0…hr-5) and 2 others (ext-10, ext-11). */
	function seedAccount(): { hr: FlashdutySimMember[]; ext: FlashdutySimMember[] } {
		return { hr: sim.seedSample(samplePeople(0, 6), 'hr-'), ext: sim.seedSample(samplePeople(10, 2), 'ext-') };
	}
	const mirror = (options: IDataObject = {}) => ({ operation: 'mirror', managedPrefix: 'hr-', options: { maxRemovePercent: 50, ...options } });

	test('removes exactly the managed members absent from the input, never one outside the managed set', async () => {
		const { hr, ext } = seedAccount();
		const items = [{ ...itemsFor(hr)[0], timezone: 'Europe/Paris' }, ...itemsFor(hr.slice(1, 5)), { externalId: 'hr-new', email: 'new.person@example.com', name: 'New Person' }];
		const result = await run(items, mirror());
		expect(result.error).toBeUndefined();
		expect(actions(result)).toEqual(['updated', 'unchanged', 'unchanged', 'unchanged', 'unchanged', 'created', 'deleted']);
		expect(bodies('/member/delete')).toEqual([{ member_id: hr[5].member_id }]);
		expect(writes()).toBe(3);
		expect(sim.members.has(hr[5].member_id)).toBe(false);
		expect(ext.every((m) => sim.members.has(m.member_id))).toBe(true);
		const removed = result.output.Flashduty[6];
		expect(removed.json).toMatchObject({ id: String(hr[5].member_id), externalId: 'hr-5', email: hr[5].email, action: 'deleted' });
		expect(removed.pairedItem).toEqual({ item: 0 });
		expect(hint(result)).toMatch(/6 members: 1 created, 1 updated, 4 unchanged, 1 deleted, 0 failed/);

		// Run again: nothing left to do.
		const again = await run(items, mirror());
		expect(actions(again)).toEqual(Array(6).fill('unchanged'));
		expect(writes()).toBe(0);
	});

	test('an empty Managed Prefix manages every member; raw records with Simplify off; Force is sent', async () => {
		const { hr, ext } = seedAccount();
		sim.referenced.add(ext[0].member_id);
		const items = itemsFor([...hr, ext[1]]);
		const result = await run(items, { operation: 'mirror', managedPrefix: '', simplify: false, options: { force: true, maxRemovePercent: 20 } });
		expect(result.error).toBeUndefined();
		expect(bodies('/member/delete')).toEqual([{ member_id: ext[0].member_id, is_force: true }]);
		expect(json(result)[7]).toMatchObject({ member_id: String(ext[0].member_id), ref_id: 'ext-10', action: 'deleted' });
	});

	test('a removal that fails is an error item under Continue On Fail; the rest is done', async () => {
		const { hr } = seedAccount();
		sim.referenced.add(hr[5].member_id);
		const result = await run(itemsFor(hr.slice(0, 4)), mirror(), true);
		expect(result.error).toBeUndefined();
		const out = json(result);
		expect(out).toHaveLength(6);
		expect(out[4]).toMatchObject({ id: String(hr[4].member_id), action: 'deleted' });
		expect(out[5]).toMatchObject({ id: String(hr[5].member_id), code: 'ReferenceExist' });
		expect(sim.members.has(hr[4].member_id)).toBe(false);
		expect(sim.members.has(hr[5].member_id)).toBe(true);
	});

	test('a member whose update fails is still in the input: not removed', async () => {
		const { hr } = seedAccount();
		sim.failNext(1, { status: 400, body: { request_id: 'r', error: { code: 'InvalidParameter', message: 'time_zone is invalid' } } }, (r) => r.path === '/member/info/reset');
		const items = [{ ...itemsFor(hr)[0], timezone: 'Europe/Paris' }, ...itemsFor(hr.slice(1, 5))];
		const result = await run(items, mirror(), true);
		expect(actions(result)).toEqual(['error', 'unchanged', 'unchanged', 'unchanged', 'unchanged', 'deleted']);
		expect(json(result)[0].error).toMatch(/time_zone is invalid.*\[item 0\]/);
		expect(bodies('/member/delete')).toEqual([{ member_id: hr[5].member_id }]);
		expect(sim.members.has(hr[0].member_id)).toBe(true);
	});

	test('Dry Run writes nothing and lists the would-be deletions; the real run then does the same', async () => {
		const { hr } = seedAccount();
		const items = [{ ...itemsFor(hr)[0], timezone: 'Europe/Paris' }, ...itemsFor(hr.slice(1, 5))];
		const dry = await run(items, mirror({ dryRun: true }));
		expect(dry.error).toBeUndefined();
		expect(writes()).toBe(0);
		expect(sim.members.size).toBe(8);
		expect(actions(dry)).toEqual(['updated', 'unchanged', 'unchanged', 'unchanged', 'unchanged', 'deleted']);
		expect(json(dry)[5]).toMatchObject({ id: String(hr[5].member_id), action: 'deleted', dryRun: true });
		expect(hint(dry)).toMatch(/^Dry run, nothing written: /);

		const real = await run(items, mirror());
		expect(actions(real)).toEqual(actions(dry));
		expect(bodies('/member/delete')).toEqual([{ member_id: hr[5].member_id }]);
	});

	test.each([
		['an empty input', [{}], {}, /The mirror's input has no members/],
		['an upstream error item', [{ email: 'ada.lovelace@example.com' }, { error: 'The source read failed' }], {}, /Input item 1 is an error from an earlier node/],
		['an item that cannot be read', [{ email: 'ada.lovelace@example.com' }, { email: 'not-an-email' }], {}, /Input item 1 cannot be read .*not an email address.*wrote and removed nothing/],
	])('%s: removes and writes nothing, and fails', async (_name, items, options, message) => {
		seedAccount();
		const result = await run(items as IDataObject[], mirror(options));
		expect(result.error?.message).toMatch(message);
		expect(writes()).toBe(0);
		expect(sim.members.size).toBe(8);
	});

	test('a removal over Max Remove Percent removes and writes nothing, not even the updates', async () => {
		const { hr } = seedAccount();
		// 2 of 6 managed members absent (33 %) against the default 10 %.
		const items = [{ ...itemsFor(hr)[0], timezone: 'Europe/Paris' }, ...itemsFor(hr.slice(1, 4))];
		const result = await run(items, { operation: 'mirror', managedPrefix: 'hr-' });
		expect(result.error?.message).toMatch(/would remove 2 of 6 managed members \(33\.3 %\), more than Max Remove Percent \(10 %\)/);
		expect(writes()).toBe(0);
		expect(sim.members.get(hr[0].member_id)?.time_zone).toBe(hr[0].time_zone);
		expect(sim.members.size).toBe(8);
	});

	test('an account of 10,050 members: read oldest first to the API\'s reach, then newest first until the two reads meet; the mirror sees every member', async () => {
		const seeded = sim.seedSample(samplePeople(0, 10_050));
		const newest = seeded[seeded.length - 1];
		const result = await run([{ ...itemsFor([newest])[0], timezone: 'Europe/Paris' }], { operation: 'mirror', managedPrefix: 'nobody-' });
		expect(result.error).toBeUndefined();
		// The newest member lies past the first 10,000: matched (updated), not invited again.
		expect(actions(result)).toEqual(['updated']);
		const lists = sim.calls('/member/list').map((r) => r.body as IDataObject);
		expect(lists.filter((b) => b.asc === true)).toHaveLength(100);
		// Page 1 newest first (members 10,049…9,950) meets the oldest-first read (…9,999): one page.
		expect(lists.filter((b) => b.asc === false).map((b) => b.p)).toEqual([1]);
		expect(lists.every((b) => (b.p as number) <= 100)).toBe(true);
		expect(sim.members.get(newest.member_id)?.time_zone).toBe('Europe/Paris');
		expect(sim.members.size).toBe(10_050);
	}, 60_000);

	test('an account longer than the 20,000 members the API lets anyone read (10,000 in each order): the mirror removes and writes nothing, and fails', async () => {
		const seeded = sim.seedSample(samplePeople(0, 20_050));
		const result = await run([{ ...itemsFor(seeded.slice(0, 1))[0], timezone: 'Europe/Paris' }], { operation: 'mirror', options: { maxRemovePercent: 100 } });
		expect(result.error?.message).toMatch(/more members than the 20,000 .*wrote and removed nothing/);
		expect(writes()).toBe(0);
		const lists = sim.calls('/member/list').map((r) => r.body as IDataObject);
		expect(lists.filter((b) => b.asc === false)).toHaveLength(100);
		expect(lists.every((b) => (b.p as number) <= 100)).toBe(true);
		expect(sim.members.size).toBe(20_050);
	}, 120_000);

	test('Allow Empty Input: an input of one empty item removes every managed member', async () => {
		const { hr, ext } = seedAccount();
		const result = await run([{}], mirror({ allowEmptyInput: true, maxRemovePercent: 100 }));
		expect(result.error).toBeUndefined();
		// One output for the empty item (skipped, it names no member), then the removals.
		expect(actions(result)).toEqual(['skipped', ...Array(6).fill('deleted')]);
		expect(result.output.Flashduty[0].pairedItem).toEqual({ item: 0 });
		expect(bodies('/member/delete').map((b) => b.member_id).sort()).toEqual(hr.map((m) => m.member_id).sort());
		expect(sim.members.size).toBe(ext.length);
	});
});
