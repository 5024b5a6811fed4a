import type { IDataObject } from 'n8n-workflow';

import { samplePeople } from '../../simulators/core/people';
import { PERSCOM_TEST_KEY, PerscomSimulator, type PerscomSimUser } from '../../simulators/perscom';
import { runWorkflow, type TestNode } from './harness';

/** Issue 11, PERSCOM: Batch Upsert's sync options and Mirror, proven by the requests the simulator saw. */

const sim = new PerscomSimulator();
let credentials: Record<string, Record<string, string>>;

beforeAll(async () => {
	credentials = { perscomApi: { apiKey: PERSCOM_TEST_KEY, baseUrl: await sim.start(), requestsPerMinute: '1000' } };
});
afterAll(async () => await sim.stop());
beforeEach(() => sim.reset());

function perscom(parameters: IDataObject, continueOnFail = false): TestNode {
	return { name: 'PERSCOM', type: 'perscom', credentials: ['perscomApi'], parameters: { resource: 'user', ...parameters }, continueOnFail };
}

const writes = () => sim.requests.filter((r) => r.method !== 'GET' && r.path !== '/v2/users/search');
const patches = () => sim.requests.filter((r) => r.method === 'PATCH').map((r) => (r.body as { resources: Record<string, IDataObject> }).resources);
/** An input item holding what PERSCOM holds for the user. */
const asItem = (u: PerscomSimUser): IDataObject => ({ email: u.email, name: u.name, phone: u.phone_number });

async function run(items: IDataObject[], parameters: IDataObject, continueOnFail = false) {
	sim.clearLog();
	const result = await runWorkflow({ items, nodes: [perscom(parameters, continueOnFail)], credentials });
	return { result, out: (result.output.PERSCOM ?? []).map((i) => i.json) };
}

describe('PERSCOM Batch Upsert: sync options', () => {
	test.each(['auto', 'target', 'lastRun'])('Compare With %s: a second run on unchanged input sends no write, every item unchanged', async (compareWith) => {
		const users = sim.seedSample(samplePeople(0, 5));
		const items = users.map((u) => ({ ...asItem(u), rank_id: 3 }));
		const first = await run(items, { operation: 'batchUpsert', options: { compareWith } });
		expect(first.result.error).toBeUndefined();
		expect(first.out.map((o) => o.action)).toEqual(Array(5).fill('updated'));
		expect(writes()).toHaveLength(1);

		const second = await run(items, { operation: 'batchUpsert', options: { compareWith } });
		expect(second.result.error).toBeUndefined();
		expect(second.out.map((o) => o.action)).toEqual(Array(5).fill('unchanged'));
		expect(writes()).toHaveLength(0);
		// Automatic and Target read the users by email (needed to match them), nothing else.
		expect(sim.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v2/users/search']);
	});

	test('Last Run: the first run writes what it never wrote; a later change by someone else is not seen', async () => {
		const users = sim.seedSample(samplePeople(0, 3));
		const items = users.map(asItem);
		const first = await run(items, { operation: 'batchUpsert', options: { compareWith: 'lastRun' } });
		expect(first.out.map((o) => o.action)).toEqual(['updated', 'updated', 'updated']);
		expect(patches()).toEqual([Object.fromEntries(users.map((u) => [String(u.id), { name: u.name, phone_number: u.phone_number }]))]);
		sim.users.get(users[0].id)!.name = 'Changed In PERSCOM';
		const second = await run(items, { operation: 'batchUpsert', options: { compareWith: 'lastRun' } });
		expect(second.out.map((o) => o.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
		expect(writes()).toHaveLength(0);
		// Target sees it.
		const third = await run(items, { operation: 'batchUpsert', options: { compareWith: 'target' } });
		expect(third.out.map((o) => o.action)).toEqual(['updated', 'unchanged', 'unchanged']);
		expect(third.out[0].changes).toEqual({ name: { from: 'Changed In PERSCOM', to: users[0].name } });
	});

	test('one changed field: exactly one record, only that field in the PATCH body, changes with from/to', async () => {
		const users = sim.seedSample(samplePeople(0, 4));
		users[2].rank_id = 5;
		users[2].notes_updated_at = '2024-05-01T10:00:00.000000Z';
		const items: IDataObject[] = users.map(asItem);
		items[2] = { ...items[2], rank_id: '5', notes_updated_at: '2024-05-01 10:00:00', approved: users[2].approved };
		items[2].email = String(items[2].email).toUpperCase();
		items[1] = { ...items[1], phone: '+1 555 0199' };
		const before = users[1].phone_number; // the simulator's object changes with the write
		const { result, out } = await run(items, { operation: 'batchUpsert' });
		expect(result.error).toBeUndefined();
		expect(out.map((o) => o.action)).toEqual(['unchanged', 'updated', 'unchanged', 'unchanged']);
		expect(out[1].changes).toEqual({ phone: { from: before, to: '+1 555 0199' } });
		expect(out[1]).toMatchObject({ id: String(users[1].id), phone: '+1 555 0199' });
		expect(patches()).toEqual([{ [String(users[1].id)]: { phone_number: '+1 555 0199' } }]);
		expect(writes()).toHaveLength(1);
	});

	test('Skip Unchanged off: matched users are sent every field and output updated', async () => {
		const users = sim.seedSample(samplePeople(0, 2));
		const { out } = await run(users.map(asItem), { operation: 'batchUpsert', options: { skipUnchanged: false } });
		expect(out.map((o) => o.action)).toEqual(['updated', 'updated']);
		expect(out[0].changes).toEqual({});
		expect(patches()).toEqual([Object.fromEntries(users.map((u) => [String(u.id), { name: u.name, phone_number: u.phone_number }]))]);
	});

	test('Create Only and Update Only skip what they must, with a reason', async () => {
		const users = sim.seedSample(samplePeople(0, 2));
		const items = [{ ...asItem(users[0]), rank_id: 9 }, asItem(users[1]), { email: 'new@example.com', name: 'New Person' }];

		const createOnly = await run(items, { operation: 'batchUpsert', options: { writeMode: 'createOnly' } });
		expect(createOnly.out.map((o) => o.action)).toEqual(['skipped', 'skipped', 'created']);
		expect(createOnly.out[0].reason).toBe(`The user "${users[0].email}" already exists, and Write Mode is Create Only`);
		expect(writes().map((r) => r.method)).toEqual(['POST']);
		expect(sim.users.get(users[0].id)!.rank_id).toBeNull();

		const updateOnly = await run([...items, { email: 'other@example.com', name: 'Other' }], { operation: 'batchUpsert', options: { writeMode: 'updateOnly' } });
		expect(updateOnly.out.map((o) => o.action)).toEqual(['updated', 'unchanged', 'unchanged', 'skipped']);
		expect(updateOnly.out[3].reason).toBe('The user "other@example.com" does not exist, and Write Mode is Update Only');
		expect(writes().map((r) => r.method)).toEqual(['PATCH']);
		expect(sim.byEmail('other@example.com')).toBeUndefined();
	});

	test('a dry run writes nothing and gives the actions of the real run that follows', async () => {
		const users = sim.seedSample(samplePeople(0, 3));
		const items: IDataObject[] = [
			{ ...asItem(users[0]), unit_id: 4 },
			asItem(users[1]),
			{ email: 'new@example.com', name: 'New Person' },
			{ email: 'nameless@example.com' },
			{ email: 'NEW@example.com', phone: '+1 555 0100' },
			{ email: 'new@example.com', name: 'New Person' },
		];
		const dry = await run(items, { operation: 'batchUpsert', options: { dryRun: true } }, true);
		expect(writes()).toHaveLength(0);
		expect(sim.users.size).toBe(3);
		const actions = dry.out.map((o) => o.action ?? 'error');
		expect(actions).toEqual(['updated', 'unchanged', 'created', 'error', 'updated', 'unchanged']);
		expect(dry.out.filter((o) => o.action).every((o) => o.dryRun === true)).toBe(true);
		expect(dry.out[0].changes).toEqual({ unit_id: { from: null, to: 4 } });
		expect(dry.out[4].changes).toEqual({ phone: { from: null, to: '+1 555 0100' } });

		const real = await run(items, { operation: 'batchUpsert' }, true);
		expect(real.out.map((o) => o.action ?? 'error')).toEqual(actions);
		expect(real.out.map((o) => o.changes)).toEqual(dry.out.map((o) => o.changes));
		expect(real.out.some((o) => o.dryRun)).toBe(false);
		expect(writes().map((r) => r.method)).toEqual(['PATCH', 'POST', 'PATCH']);
	});

	test('a dry run with Last Run keeps the store as it was: the real run that follows still writes', async () => {
		const users = sim.seedSample(samplePeople(0, 2));
		const items = users.map((u) => ({ ...asItem(u), rank_id: 2 }));
		const dry = await run(items, { operation: 'batchUpsert', options: { compareWith: 'lastRun', dryRun: true } });
		expect(dry.out.map((o) => o.action)).toEqual(['updated', 'updated']);
		const real = await run(items, { operation: 'batchUpsert', options: { compareWith: 'lastRun' } });
		expect(real.out.map((o) => o.action)).toEqual(['updated', 'updated']);
		expect(writes()).toHaveLength(1);
	});
});

describe('PERSCOM Mirror', () => {
	/** 10 users: 4 and 9 pending (unapproved), the rest approved; units 7 (even IDs) and 8. */
	function seed(): PerscomSimUser[] {
		const users = sim.seedSample(samplePeople(0, 10));
		for (const u of users) u.unit_id = u.id % 2 === 0 ? 7 : 8;
		return users;
	}

	test('with a filter (approved): deletes exactly the managed users absent from the input, never another', async () => {
		const users = seed();
		const approved = users.filter((u) => u.approved);
		expect(approved).toHaveLength(8);
		const absent = approved[3];
		const items = approved.filter((u) => u !== absent).map(asItem);
		const { result, out } = await run(items, { operation: 'mirror', filters: { approved: true }, options: { maxRemovePercent: 20 } });
		expect(result.error).toBeUndefined();
		expect(out).toHaveLength(8);
		expect(out.slice(0, 7).map((o) => o.action)).toEqual(Array(7).fill('unchanged'));
		expect(out[7]).toMatchObject({ action: 'deleted', id: String(absent.id), email: absent.email });
		expect(result.output.PERSCOM[7].pairedItem).toEqual({ item: 0 });
		expect(sim.users.has(absent.id)).toBe(false);
		expect(sim.users.size).toBe(9); // the 2 pending users, outside the managed set, are untouched
		expect(sim.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v2/users/search', 'POST /v2/users/search', `DELETE /v2/users/${absent.id}`]);
		expect(sim.requests[0].body).toEqual({ filters: [{ field: 'approved', operator: '=', value: true }] });
	});

	test('Unapprove with a unit filter: absent managed users are unapproved (one PATCH), the already unapproved left out', async () => {
		const users = seed();
		const unit7 = users.filter((u) => u.unit_id === 7); // IDs 2 4 6 8 10; 10 is pending
		const kept = unit7.slice(0, 3);
		const items = [...kept.map(asItem), asItem(users[0]), { email: 'new@example.com', name: 'New' }];
		const { result, out } = await run(items, { operation: 'mirror', filters: { unitId: 7 }, removeAction: 'unapprove', options: { maxRemovePercent: 50 }, simplify: false });
		expect(result.error).toBeUndefined();
		expect(out.map((o) => o.action)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged', 'created', 'unapproved']);
		expect(out[5]).toMatchObject({ id: 8, approved: true, unit_id: 7 }); // the user as it was
		expect(patches()).toEqual([{ '8': { approved: false } }]);
		expect(sim.users.get(8)!.approved).toBe(false);
		expect(sim.users.get(10)!.approved).toBe(false);
		expect(sim.users.size).toBe(11);
	});

	test('a dry run writes nothing and lists the would-be removals', async () => {
		const users = seed();
		const items = users.slice(0, 8).map((u, i) => (i === 0 ? { ...asItem(u), rank_id: 1 } : asItem(u)));
		const { result, out } = await run(items, { operation: 'mirror', options: { dryRun: true, maxRemovePercent: 20 } });
		expect(result.error).toBeUndefined();
		expect(writes()).toHaveLength(0);
		expect(sim.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v2/users']);
		expect(out[0]).toMatchObject({ action: 'updated', dryRun: true });
		expect(out.slice(8)).toEqual([
			expect.objectContaining({ action: 'deleted', dryRun: true, id: String(users[8].id) }),
			expect.objectContaining({ action: 'deleted', dryRun: true, id: String(users[9].id) }),
		]);
		const real = await run(items, { operation: 'mirror', options: { maxRemovePercent: 20 } });
		expect(real.out.map((o) => o.action)).toEqual(out.map((o) => o.action));
		expect(sim.users.size).toBe(8);
		expect(sim.requests.filter((r) => r.method === 'DELETE').map((r) => r.body)).toEqual([{ resources: [users[8].id, users[9].id] }]);
	});

	test.each([
		['an empty input', [{}], {}, /has no users/],
		['an upstream error item', [{ email: 'a@example.com', name: 'A' }, { error: 'The source failed' }], {}, /Input item 1 is an error from an earlier node/],
		['an item without an email', [{ email: 'a@example.com', name: 'A' }, { name: 'No Email' }], {}, /no email: the mirror wrote and removed nothing \[item 1\]/],
		['a removal over Max Remove Percent', [{ email: 'a@example.com', name: 'A' }], { maxRemovePercent: 50 }, /would remove 10 of 10 managed users/],
	])('%s: fails, nothing removed and nothing written', async (_name, items, options, message) => {
		seed();
		const { result } = await run(items as IDataObject[], { operation: 'mirror', options });
		expect(result.error?.message).toMatch(message);
		expect(writes()).toHaveLength(0);
		expect(sim.users.size).toBe(10);
	});

	test('Allow Empty Input with Max Remove Percent 100 empties the managed set', async () => {
		seed();
		const { result, out } = await run([{}], { operation: 'mirror', filters: { unitId: 8 }, options: { allowEmptyInput: true, maxRemovePercent: 100 } });
		expect(result.error).toBeUndefined();
		expect(out.map((o) => o.action)).toEqual(['skipped', ...Array(5).fill('deleted')]);
		expect(sim.users.size).toBe(5);
	});
});
