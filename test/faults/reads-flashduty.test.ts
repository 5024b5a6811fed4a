import type { IDataObject } from 'n8n-workflow';

import { samplePeople } from '../../simulators/core/people';
import { FLASHDUTY_TEST_KEY, FlashdutySimulator, type FlashdutySimMember } from '../../simulators/flashduty';
import { runWorkflow, type RunResult, type TestNode } from '../workflow/harness';
import { answer, EMPTY, expectAccounted, expectGetAccounted, expectListExact, expectNoSecret, HTML, NOT_IMPLEMENTED, onRequest, TRUNCATED, when } from './accounting';

/**
 * Flashduty reads under faults (see reads.test.ts): Get Many, Get and Batch Get by ID
 * (/person/infos) and by email (/member/list query), and the member directory Batch Upsert matches
 * against, which must never let an existing member look absent.
 */
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

async function run(parameters: IDataObject, items: IDataObject[] = [{}]): Promise<RunResult> {
	const node: TestNode = { name: 'Flashduty', type: 'flashduty', credentials: ['flashdutyApi'], parameters: { resource: 'member', ...parameters }, continueOnFail: true };
	const result = await runWorkflow({ items, nodes: [node], credentials });
	expectNoSecret(result, FLASHDUTY_TEST_KEY);
	return result;
}

const listed = (req: { method: string; path: string }) => req.path === '/member/list';
const nth = (n: number, path = '/member/list') => {
	let seen = 0;
	return when((req) => req.path === path && ++seen === n);
};
const envelope = (data: unknown) => answer({ request_id: 'SIMREQ', data });
/** Members in the order Return All reads them: oldest first. */
function oldestFirst(): FlashdutySimMember[] {
	return [...sim.members.values()].sort((a, b) => a.created_at - b.created_at || a.member_id - b.member_id);
}

describe('Flashduty Get Many (Return All over 250 members) under faults', () => {
	let ids: string[];
	beforeEach(() => {
		ids = sim.seedSample(samplePeople(0, 250)).map((m) => String(m.member_id));
	});

	test.each([
		['an HTML page', HTML],
		['cut JSON', TRUNCATED],
		['an empty body', EMPTY],
		['data: null', envelope(null)],
		['a page without its items', envelope({ p: 2, limit: 100, total: 250 })],
		['items without member IDs', envelope({ p: 2, limit: 100, total: 250, items: [{ member_name: 'Nobody' }] })],
		['no envelope at all', answer({ request_id: 'SIMREQ' })],
	])('%s for page 2 is read again: 250 members, each once', async (_name, fault) => {
		sim.failNext(1, fault, nth(2));
		const result = await run({ operation: 'getAll', returnAll: true });
		expectListExact(result.output.Flashduty, ids);
		expect(sim.count(listed)).toBe(4);
	});

	test('a short page mid-list is read again once; short twice is an error for the item', async () => {
		sim.failNext(1, envelope({ p: 2, limit: 100, total: 250, items: [] }), nth(2));
		expectListExact((await run({ operation: 'getAll', returnAll: true })).output.Flashduty, ids);

		sim.clearLog();
		const short = () => envelope({ p: 2, limit: 100, total: 250, items: oldestFirst().slice(100, 120) });
		sim.failNext(2, short(), when((req) => listed(req) && (req.body as IDataObject).p === 2));
		const out = (await run({ operation: 'getAll', returnAll: true })).output.Flashduty;
		expect(out).toHaveLength(1);
		expect(out[0].json.error).toMatch(/^Flashduty returned an incomplete list when trying to list members: 20 records came where 100 were asked for at position 100 of 250, twice/);
	});

	test('Return All reads oldest first; a member removed from page 1 while page 2 is read: every other member once', async () => {
		const gone = oldestFirst()[5];
		onRequest(sim, listed, [2], () => sim.members.delete(gone.member_id));
		const result = await run({ operation: 'getAll', returnAll: true });
		expect(sim.requests.every((r) => (r.body as IDataObject).orderby === 'created_at' && (r.body as IDataObject).asc === true)).toBe(true);
		expectListExact(result.output.Flashduty, ids.filter((id) => id !== String(gone.member_id)), [String(gone.member_id)]);
	});

	test('Limit in the default order (most recently updated first): an update that moves a member to the front never outputs one twice', async () => {
		onRequest(sim, listed, [2], () => {
			const member = oldestFirst()[3];
			member.updated_at = 2_000_000_000;
		});
		const result = await run({ operation: 'getAll', limit: 200 });
		const out = result.output.Flashduty.map((o) => String(o.json.id));
		expect(out).toHaveLength(200);
		expect(new Set(out).size).toBe(200);
	});
});

describe('Flashduty Get and Batch Get under faults', () => {
	let members: FlashdutySimMember[];
	beforeEach(() => {
		members = sim.seedSample(samplePeople(0, 160));
	});
	const id = (n: number) => String(members[n].member_id);
	const infosWith = (memberId: string) => when((req) => req.path === '/person/infos' && ((req.body as { person_ids?: number[] }).person_ids ?? []).includes(Number(memberId)));

	test.each([
		['an HTML page', HTML],
		['cut JSON', TRUNCATED],
		['an empty body', EMPTY],
		['data: null', envelope(null)],
		['data without items', envelope({})],
		['items without person IDs', envelope({ items: [{ person_name: 'Nobody' }] })],
	])('Get by ID and email: %s is read again; every item accounted for once', async (_name, fault) => {
		sim.failNext(1, fault, when((req) => req.path === '/person/infos'));
		sim.failNext(1, fault, when((req) => listed(req)));
		const items = [{ key: id(0) }, { key: members[1].email }, { key: '424242' }, { key: 'ghost@example.com' }, { key: id(2) }];
		const result = await run({ operation: 'get', id: '={{ $json.key }}' }, items);
		expectGetAccounted(result.output.Flashduty, [{ found: id(0) }, { found: members[1].email }, 'notFound', 'notFound', { found: id(2) }]);
	});

	test('Batch Get of 150 IDs: an ID Flashduty refuses (400) is split out of its chunk, a failed chunk (501) fails only its own IDs', async () => {
		const ids = members.slice(0, 150).map((m) => String(m.member_id));
		const refused = ids[120];
		sim.failNext(10, { status: 400, body: { request_id: 'R', error: { code: 'InvalidParameter', message: `person_ids: ${refused} is out of range` } } }, infosWith(refused));
		sim.failNext(1, NOT_IMPLEMENTED, infosWith(ids[0]));
		const result = await run({ operation: 'batchGet', ids: [...ids, '424242'].join(',') });
		const expected: Record<string, 'found' | 'error' | 'notFound'> = { '424242': 'notFound' };
		ids.forEach((memberId, n) => (expected[memberId] = n < 100 || memberId === refused ? 'error' : 'found'));
		const byKey = expectAccounted(result.output.Flashduty, [expected]);
		expect(byKey.get(`0:${refused}`)).toMatchObject({ httpCode: 400, code: 'InvalidParameter', notFound: false });
		expect(byKey.get(`0:${ids[0]}`)).toMatchObject({ httpCode: 501, notFound: false });
		// The chunk of 100 once; the chunk of 51 (50 + 424242) once, then halved down to the refused ID: 6 × 2.
		expect(sim.count((r) => r.path === '/person/infos')).toBe(14);
	});

	test('Get by email: a search refused for one email fails that item only; a full page of near matches is read on to the exact one', async () => {
		const near = sim.seed(Array.from({ length: 120 }, (_, n) => ({ email: `x${n}ann@example.com` })));
		const target = sim.seed([{ email: 'ann@example.com' }])[0];
		sim.failNext(1, { status: 400, body: { request_id: 'R', error: { code: 'InvalidParameter', message: 'query is malformed' } } }, when((req) => listed(req) && (req.body as IDataObject).query === members[3].email));
		const result = await run({ operation: 'get', id: '={{ $json.key }}' }, [{ key: members[3].email }, { key: 'ann@example.com' }, { key: near[7].email }]);
		expectGetAccounted(result.output.Flashduty, ['error', { found: 'ann@example.com' }, { found: near[7].email }]);
		expect(result.output.Flashduty[1].json.id).toBe(String(target.member_id));
	});
});

describe('Flashduty member directory (Batch Upsert) while the list changes', () => {
	/** The target (the 101st oldest member) slips past both reads of the list: returns it. */
	function shiftTwice(): FlashdutySimMember {
		const target = oldestFirst()[100];
		// Read 1 (pages 1-3): a member of page 1 goes before page 2, so the target slips back onto page 1.
		onRequest(sim, listed, [2], () => sim.members.delete(oldestFirst()[10].member_id));
		// Read 2: a member joins at the front before page 1 and another leaves before page 2: the target slips past again.
		onRequest(sim, listed, [4], () => sim.seed([{ email: 'early@example.com', created_at: 1 }]));
		onRequest(sim, listed, [5], () => sim.members.delete(oldestFirst()[20].member_id));
		return target;
	}

	test('1,200 members (total capped, so a removal goes unseen): a member the list skipped is not invited twice: its invite is refused, it is found by email and updated', async () => {
		sim.seedSample(samplePeople(0, 1200));
		const target = oldestFirst()[100];
		onRequest(sim, listed, [2], () => sim.members.delete(oldestFirst()[10].member_id));
		const result = await run({ operation: 'batchUpsert', options: { fromApi: true } }, [{ externalId: target.ref_id, email: target.email, name: 'Renamed Member' }]);
		expect(result.output.Flashduty.map((o) => [o.json.action, o.json.error])).toEqual([['updated', undefined]]);
		// No look-up per email while nothing was seen changing: the one invite Flashduty refuses (its email is in use) reveals the member.
		expect(sim.calls('/member/invite').map((r) => r.status)).toEqual([400]);
		expect(sim.calls('/member/list').filter((r) => (r.body as { query?: string }).query === target.email)).toHaveLength(1);
		expect(sim.members.size).toBe(1199);
		expect(sim.members.get(target.member_id)?.member_name).toBe('Renamed Member');
	});

	test('a member named by its ID, missed by both reads, is found through /person/infos and updated', async () => {
		sim.seedSample(samplePeople(0, 250));
		const target = shiftTwice();
		const result = await run({ operation: 'batchUpsert', options: { fromApi: true } }, [{ source: 'flashduty', id: String(target.member_id), name: 'Renamed By Id' }]);
		expect(result.output.Flashduty.map((o) => [o.json.action, o.json.error])).toEqual([['updated', undefined]]);
		expect(sim.calls('/person/infos')).toHaveLength(1);
		expect(sim.members.get(target.member_id)?.member_name).toBe('Renamed By Id');
	});

	test('a member missed by both reads of a shifting list is still found by email: updated, never invited', async () => {
		const seeded = sim.seedSample(samplePeople(0, 250));
		const target = shiftTwice();
		const items = [
			{ externalId: target.ref_id, email: target.email, name: 'Renamed Member' },
			{ externalId: seeded[0].ref_id, email: seeded[0].email, name: seeded[0].member_name },
		];
		const result = await run({ operation: 'batchUpsert', options: { fromApi: true } }, items);
		// The second item holds the member's own values: found, and unchanged (Skip Unchanged).
		expect(result.output.Flashduty.map((o) => [o.json.action, o.json.error])).toEqual([
			['updated', undefined],
			['unchanged', undefined],
		]);
		expect(sim.calls('/member/invite')).toHaveLength(0);
		expect(sim.calls('/member/list').some((r) => (r.body as IDataObject).query === target.email)).toBe(true);
		expect(sim.members.get(target.member_id)?.member_name).toBe('Renamed Member');
	});
});
