import type { IDataObject } from 'n8n-workflow';

import { samplePeople } from '../../simulators/core/people';
import { FLASHDUTY_TEST_KEY, FlashdutySimulator, type FlashdutySimMember } from '../../simulators/flashduty';
import { everythingSaid, runWorkflow, type RunResult, type TestNode } from './harness';

const sim = new FlashdutySimulator();
let credentials: Record<string, Record<string, string>>;

beforeAll(async () => {
	const url = await sim.start();
	credentials = { flashdutyApi: { appKey: FLASHDUTY_TEST_KEY, baseUrl: url } };
});
afterAll(async () => await sim.stop());
beforeEach(() => {
	sim.members.clear();
	sim.invitedToday.clear();
	sim.referenced.clear();
	sim.clearLog();
	sim.resetRateLimits();
});

function flashduty(parameters: Record<string, unknown>, extra: Partial<TestNode> = {}): TestNode {
	return { name: 'Flashduty', type: 'flashduty', credentials: ['flashdutyApi'], parameters: { resource: 'member', ...parameters }, ...extra };
}

function json(result: RunResult): IDataObject[] {
	return (result.output.Flashduty ?? []).map((item) => item.json);
}

function bodies(path: string): IDataObject[] {
	return sim.calls(path).map((r) => r.body as IDataObject);
}

describe('Flashduty node in the n8n engine: Get Many', () => {
	test('Return All over 250 members: exactly 3 requests of 100, 250 items, IDs as strings', async () => {
		const seeded = sim.seedSample(samplePeople(0, 250));
		const result = await runWorkflow({ items: [{}], nodes: [flashduty({ operation: 'getAll', returnAll: true })], credentials });
		expect(result.error).toBeUndefined();
		// Return All without a chosen sort reads oldest first: a stable order while the account changes.
		expect(bodies('/member/list')).toEqual([
			{ orderby: 'created_at', asc: true, p: 1, limit: 100 },
			{ orderby: 'created_at', asc: true, p: 2, limit: 100 },
			{ orderby: 'created_at', asc: true, p: 3, limit: 100 },
		]);
		expect(sim.requests).toHaveLength(3);
		// Every request is a POST carrying the key as app_key.
		expect(sim.requests.every((r) => r.method === 'POST' && r.query.app_key === FLASHDUTY_TEST_KEY)).toBe(true);
		const out = json(result);
		expect(out).toHaveLength(250);
		expect(new Set(out.map((p) => p.id)).size).toBe(250);
		expect(out.every((p) => typeof p.id === 'string')).toBe(true);
		const ada = out.find((p) => p.email === 'ada.lovelace@example.com');
		expect(ada).toEqual({
			source: 'flashduty',
			id: String(seeded[0].member_id),
			externalId: 'ref-0',
			email: 'ada.lovelace@example.com',
			name: 'Ada Lovelace',
			firstName: 'Ada',
			lastName: 'Lovelace',
			phone: '+15551****0000',
			timezone: 'Europe/Berlin',
			locale: 'en-US',
			status: 'enabled',
			createdAt: new Date(seeded[0].created_at * 1000).toISOString(),
			updatedAt: new Date(seeded[0].updated_at * 1000).toISOString(),
		});
		expect(result.output.Flashduty.every((i) => JSON.stringify(i.pairedItem) === JSON.stringify({ item: 0 }))).toBe(true);
	});

	test('Limit, filters and sort are sent as documented; raw records keep IDs as strings', async () => {
		const seeded = sim.seedSample(samplePeople(0, 60));
		seeded.slice(0, 40).forEach((m) => (m.account_role_ids = [6]));
		const result = await runWorkflow({
			items: [{}],
			nodes: [
				flashduty({
					operation: 'getAll',
					returnAll: false,
					limit: 30,
					filters: { query: 'example.com', roleId: 6 },
					options: { orderBy: 'created_at', ascending: true },
					simplify: false,
				}),
			],
			credentials,
		});
		expect(result.error).toBeUndefined();
		expect(bodies('/member/list')).toEqual([{ query: 'example.com', role_id: 6, orderby: 'created_at', asc: true, p: 1, limit: 30 }]);
		const out = json(result);
		expect(out).toHaveLength(30);
		expect(out[0]).toMatchObject({ member_id: String(seeded[0].member_id), account_id: String(seeded[0].account_id), ref_id: 'ref-0', account_role_ids: [6] });
	});

	test('1,550 members: total is capped at 1,000 by the API, the node still reads all 16 pages and stops at the short one', async () => {
		sim.seedSample(samplePeople(0, 1550));
		const result = await runWorkflow({ items: [{}], nodes: [flashduty({ operation: 'getAll', returnAll: true })], credentials });
		expect(result.error).toBeUndefined();
		expect(json(result)).toHaveLength(1550);
		expect(sim.calls('/member/list').map((r) => (r.body as IDataObject).p)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
	});

	test('A list longer than 10,000: the node reads exactly 10,000 (100 pages), never asks past p × limit = 10,000, and says so in a hint', async () => {
		sim.seedSample(samplePeople(0, 10_050));
		const result = await runWorkflow({ items: [{}], nodes: [flashduty({ operation: 'getAll', returnAll: true })], credentials });
		expect(result.error).toBeUndefined();
		expect(json(result)).toHaveLength(10_000);
		const answered = sim.calls('/member/list').filter((r) => r.status === 200);
		expect(answered.map((r) => (r.body as IDataObject).p)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
		expect(sim.calls('/member/list').every((r) => ((r.body as IDataObject).p as number) <= 100)).toBe(true);
		expect(sim.statusCounts.get(400) ?? 0).toBe(0);
		expect(sim.statusCounts.get(429) ?? 0).toBe(0);
		const hints = result.run.data.resultData.runData.Flashduty[0].hints ?? [];
		expect(hints).toHaveLength(1);
		expect(hints[0].message).toMatch(/first 10,000 members/);
		expect(hints[0].message).toMatch(/Query or Role ID/);
	});

	test('A 429 burst (RequestTooFrequently) is retried: nothing lost, nothing doubled', async () => {
		sim.seedSample(samplePeople(0, 250));
		sim.failNext(2, { status: 429 });
		const result = await runWorkflow({ items: [{}], nodes: [flashduty({ operation: 'getAll', returnAll: true })], credentials });
		expect(result.error).toBeUndefined();
		const out = json(result);
		expect(out).toHaveLength(250);
		expect(new Set(out.map((p) => p.id)).size).toBe(250);
		expect(sim.statusCounts.get(429)).toBe(2);
		expect(sim.requests.filter((r) => r.status === 200).map((r) => (r.body as IDataObject).p)).toEqual([1, 2, 3]);
	});
});

describe('Flashduty node: Get and Batch Get', () => {
	test('Get by ID (one /person/infos for all items, IDs as JSON numbers) and by email (exact match)', async () => {
		const [m0, m1, m2] = sim.seedSample(samplePeople(0, 5));
		// A member whose name contains the other's email must not be taken for it.
		sim.seed([{ email: 'x.ada.lovelace@example.com', member_name: 'ada.lovelace@example.com' }]);
		const items = [{ key: String(m0.member_id) }, { key: m1.email.toUpperCase() }, { key: String(m2.member_id) }, { key: 'ada.lovelace@example.com' }];
		const result = await runWorkflow({ items, nodes: [flashduty({ operation: 'get', id: '={{ $json.key }}' })], credentials });
		expect(result.error).toBeUndefined();
		expect(bodies('/person/infos')).toEqual([{ person_ids: [m0.member_id, m2.member_id] }]);
		expect(bodies('/member/list').map((b) => b.query).sort()).toEqual(['ada.lovelace@example.com', m1.email]);
		const out = json(result);
		expect(out.map((p) => p.id)).toEqual([String(m0.member_id), String(m1.member_id), String(m2.member_id), String(m0.member_id)]);
		expect(out[0]).toMatchObject({ source: 'flashduty', email: m0.email, name: 'Ada Lovelace', status: 'enabled' });
		expect(out[1]).toMatchObject({ externalId: 'ref-1', email: m1.email });
		expect(result.output.Flashduty.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
	});

	test('Get: unknown IDs, IDs beyond 2^53 and non-IDs fail their own item only (Continue On Fail)', async () => {
		const [m0] = sim.seedSample(samplePeople(0, 2));
		const items = [{ key: String(m0.member_id) }, { key: '9007199254740993' }, { key: '123456789' }, { key: 'not-an-id' }, { key: 'nobody@example.com' }];
		const result = await runWorkflow({ items, nodes: [flashduty({ operation: 'get', id: '={{ $json.key }}' }, { continueOnFail: true })], credentials });
		expect(result.error).toBeUndefined();
		const out = json(result);
		expect(out).toHaveLength(5);
		expect(out[0]).toMatchObject({ id: String(m0.member_id) });
		expect(out[1].error).toMatch(/larger than 9007199254740991.*\[item 1\]/);
		expect(out[2]).toMatchObject({ id: '123456789', notFound: true });
		expect(out[2].error).toMatch(/No Flashduty member matches "123456789" \[item 2\]/);
		expect(out[3].error).toMatch(/neither a Flashduty member ID nor an email \[item 3\]/);
		expect(out[4]).toMatchObject({ id: 'nobody@example.com', notFound: true });
		// The big ID was never sent.
		expect(bodies('/person/infos')).toEqual([{ person_ids: [m0.member_id, 123456789] }]);
	});

	test('Batch Get: IDs de-duplicated and chunked at 100, unknown IDs reported, an email read too', async () => {
		const seeded = sim.seedSample(samplePeople(0, 150));
		const ids = seeded.map((m) => String(m.member_id));
		const list = [...ids, ids[0], ids[1], '111', '222', '333', seeded[5].email.toUpperCase()].join(', ');
		const result = await runWorkflow({ items: [{}], nodes: [flashduty({ operation: 'batchGet', ids: list })], credentials });
		expect(result.error).toBeUndefined();
		const infos = bodies('/person/infos');
		expect(infos.map((b) => (b.person_ids as number[]).length)).toEqual([100, 53]);
		expect(infos.flatMap((b) => b.person_ids as unknown[]).every((v) => typeof v === 'number')).toBe(true);
		expect(sim.calls('/member/list')).toHaveLength(1);
		const out = json(result);
		expect(out).toHaveLength(150 + 3 + 1);
		expect(out.filter((p) => p.notFound)).toEqual([
			{ source: 'flashduty', id: '111', notFound: true },
			{ source: 'flashduty', id: '222', notFound: true },
			{ source: 'flashduty', id: '333', notFound: true },
		]);
	});

	test('Batch Get with If Not Found = Fail names the missing IDs', async () => {
		const [m0] = sim.seedSample(samplePeople(0, 1));
		const result = await runWorkflow({
			items: [{}],
			nodes: [flashduty({ operation: 'batchGet', ids: `${m0.member_id},42`, options: { onNotFound: 'error' } }, { continueOnFail: true })],
			credentials,
		});
		const out = json(result);
		expect(out[0].id).toBe(String(m0.member_id));
		expect(out[1].error).toMatch(/1 of 2 member IDs not found in Flashduty: 42 \[item 0\]/);
	});
});

describe('Flashduty node: Batch Upsert', () => {
	test('Mixed new and existing members: right action per item, state right, invites in chunks of at most 20', async () => {
		const seeded = sim.seedSample(samplePeople(0, 30));
		const unchanged = seeded[17];
		const items: IDataObject[] = [
			// 0–9: existing, matched by externalId; timezone changed, email the same (must not be sent).
			...seeded.slice(0, 10).map((m) => ({ externalId: m.ref_id, email: m.email, name: m.member_name, timezone: 'Europe/Paris' })),
			// 10–14: existing, matched by email only; new name.
			...seeded.slice(10, 15).map((m, i) => ({ email: m.email.toUpperCase(), name: `Renamed ${i}` })),
			// 15–16: existing, roles replaced.
			...seeded.slice(15, 17).map((m) => ({ externalId: m.ref_id, roleIds: [2, 6] })),
			// 17: existing and identical: no request at all.
			{ externalId: unchanged.ref_id, email: unchanged.email, name: unchanged.member_name, phone: unchanged.phone, timezone: unchanged.time_zone },
			// 18–62: new; every 10th with roles; locales outside zh-CN/en-US are not sent.
			...samplePeople(100, 45).map((p, i) => ({
				externalId: `new-${p.n}`,
				email: p.email,
				name: p.name,
				phone: p.phone,
				timezone: p.timezone,
				locale: p.locale,
				...(i % 10 === 0 ? { roleIds: '3, 6' } : {}),
			})),
			// 63: a name of one character: an input error for this item alone.
			{ email: 'x@example.com', name: 'X' },
		];
		const result = await runWorkflow({ items, nodes: [flashduty({ operation: 'batchUpsert' }, { continueOnFail: true })], credentials });
		expect(result.error).toBeUndefined();
		const out = json(result);
		expect(out).toHaveLength(items.length);
		expect(result.output.Flashduty.map((i) => (i.pairedItem as { item: number }).item)).toEqual(items.map((_, i) => i));
		expect(out.slice(0, 17).every((o) => o.action === 'updated')).toBe(true);
		// Item 17 already holds every value: nothing sent, output as unchanged (Skip Unchanged is on by default).
		expect(out[17]).toMatchObject({ id: String(unchanged.member_id), action: 'unchanged' });
		expect(out[17].changes).toBeUndefined();
		expect(out.slice(18, 63).every((o) => o.action === 'created')).toBe(true);
		expect(out[63].error).toMatch(/The member name "X" has 1 characters; Flashduty needs 2 to 39 \[item 63\]/);

		// Requests: one list page (30 members), 15 resets, 2 role updates, 3 invites (20 + 20 + 5).
		expect(sim.calls('/member/list')).toHaveLength(1);
		const resets = bodies('/member/info/reset');
		expect(resets).toHaveLength(15);
		for (const body of resets) {
			expect(Object.keys(body).sort()).toEqual(['member_id', 'updates']);
			expect(typeof body.member_id).toBe('number');
			expect((body.updates as IDataObject).email).toBeUndefined();
		}
		expect(resets[0]).toEqual({ member_id: seeded[0].member_id, updates: { time_zone: 'Europe/Paris' } });
		expect(bodies('/member/role/update')).toEqual([
			{ member_id: seeded[15].member_id, role_ids: [2, 6] },
			{ member_id: seeded[16].member_id, role_ids: [2, 6] },
		]);
		const invites = bodies('/member/invite');
		expect(invites.map((b) => (b.members as unknown[]).length)).toEqual([20, 20, 5]);
		expect(sim.requests).toHaveLength(1 + 15 + 2 + 3);

		// Simulator state afterwards.
		expect(sim.members.size).toBe(30 + 45);
		expect(seeded.slice(0, 10).every((m) => sim.members.get(m.member_id)?.time_zone === 'Europe/Paris' && m.email_verified)).toBe(true);
		expect(sim.members.get(seeded[12].member_id)?.member_name).toBe('Renamed 2');
		expect(sim.members.get(seeded[15].member_id)?.account_role_ids).toEqual([2, 6]);
		const created = sim.byRef('new-100') as FlashdutySimMember;
		expect(created).toMatchObject({ email: samplePeople(100, 1)[0].email, member_name: samplePeople(100, 1)[0].name, account_role_ids: [3, 6], status: 'pending' });
		const german = items.findIndex((i) => i.locale === 'de-DE');
		expect((invites.flatMap((b) => b.members as IDataObject[]).find((m) => m.ref_id === items[german].externalId) as IDataObject).locale).toBeUndefined();
		expect(out[18]).toMatchObject({ source: 'flashduty', id: String(created.member_id), externalId: 'new-100', action: 'created' });
		expect(out[0]).toMatchObject({ id: String(seeded[0].member_id), timezone: 'Europe/Paris', action: 'updated' });
	});

	test('A large account and few items without externalId: one list page, then one email search per item', async () => {
		const seeded = sim.seedSample(samplePeople(0, 500));
		const items = [{ email: seeded[400].email, name: 'New Name' }, { email: 'fresh@example.com', name: 'Fresh Person' }];
		const result = await runWorkflow({ items, nodes: [flashduty({ operation: 'batchUpsert', options: { fromApi: true } })], credentials });
		expect(result.error).toBeUndefined();
		expect(json(result).map((o) => o.action)).toEqual(['updated', 'created']);
		expect(bodies('/member/list')).toEqual([
			{ orderby: 'created_at', asc: true, p: 1, limit: 100 },
			{ p: 1, limit: 100, query: seeded[400].email },
			{ p: 1, limit: 100, query: 'fresh@example.com' },
		]);
		expect(bodies('/member/invite')).toEqual([{ members: [{ member_name: 'Fresh Person', email: 'fresh@example.com' }], from: 'api' }]);
		expect(sim.byEmail('fresh@example.com')?.status).toBe('enabled');
	});

	test('An account of 15,000 members: the list read oldest first to the reach, then newest first until the reads meet; no per-email look-ups', async () => {
		const seeded = sim.seedSample(samplePeople(0, 15_000));
		const items = [
			...seeded.slice(0, 100).map((m) => ({ externalId: m.ref_id, email: m.email, name: `${m.member_name} Jr` })),
			...seeded.slice(14_900).map((m) => ({ externalId: m.ref_id, email: m.email, name: m.member_name })),
			...samplePeople(20_000, 10).map((p) => ({ externalId: `new-${p.n}`, email: p.email, name: `New Member ${p.n}` })),
		];
		const result = await runWorkflow({ items, nodes: [flashduty({ operation: 'batchUpsert', options: { fromApi: true } })], credentials });
		expect(result.error).toBeUndefined();
		const actions = json(result).map((o) => o.action);
		expect(actions.filter((a) => a === 'updated')).toHaveLength(100);
		expect(actions.filter((a) => a === 'unchanged')).toHaveLength(100);
		expect(actions.filter((a) => a === 'created')).toHaveLength(10);
		const lists = bodies('/member/list');
		expect(lists.filter((b) => b.query !== undefined)).toEqual([]);
		expect(lists.filter((b) => b.asc === true)).toHaveLength(100);
		// The newest 5,000 are 50 pages; the 51st holds members the first read has: the reads met.
		expect(lists.filter((b) => b.asc === false)).toHaveLength(51);
		// Minimum: 151 pages + 100 updates + 1 invite of 10.
		expect(sim.requests).toHaveLength(151 + 100 + 1);
		expect(sim.members.size).toBe(15_010);
	});

	test('An invite chunk rejected for one bad member is split: the others are created, the bad one gets its own error', async () => {
		sim.seed([{ email: 'phone-owner@example.com', phone: '+15559998888' }]);
		const items = [
			{ externalId: 'a', email: 'a@example.com', name: 'Member A' },
			{ externalId: 'b', phone: '+15550001111', name: 'Member B' },
			// The phone of an existing member: Flashduty refuses the whole invite.
			{ externalId: 'c', email: 'c@example.com', phone: '+15559998888', name: 'Member C' },
			{ externalId: 'd', email: 'd@example.com', name: 'Member D' },
		];
		const result = await runWorkflow({ items, nodes: [flashduty({ operation: 'batchUpsert' }, { continueOnFail: true })], credentials });
		const out = json(result);
		expect(out.map((o) => o.action ?? 'error')).toEqual(['created', 'created', 'error', 'created']);
		expect(out[2].error).toMatch(/HTTP 400 InvalidParameter.*\[item 2\]/);
		expect(out[2].code).toBe('InvalidParameter');
		expect(sim.byRef('a') && sim.byRef('b') && sim.byRef('d')).toBeTruthy();
		expect(sim.byRef('c')).toBeUndefined();
	});
});

describe('Flashduty node: Delete', () => {
	test('By ID, email and ref_id; a referenced member needs Force', async () => {
		const [m0, m1, m2, m3] = sim.seedSample(samplePeople(0, 4));
		sim.referenced.add(m3.member_id);
		const run = async (id: string, extra: IDataObject = {}) =>
			await runWorkflow({ items: [{ id }], nodes: [flashduty({ operation: 'delete', id: '={{ $json.id }}', ...extra }, { continueOnFail: true })], credentials });

		expect(json(await run(String(m0.member_id)))).toEqual([{ deleted: true, id: String(m0.member_id) }]);
		expect(json(await run(m1.email.toUpperCase()))).toEqual([{ deleted: true, id: m1.email }]);
		expect(json(await run(m2.ref_id, { matchBy: 'refId' }))).toEqual([{ deleted: true, id: m2.ref_id }]);

		const refused = json(await run(String(m3.member_id)));
		expect(refused[0].error).toMatch(/HTTP 400 ReferenceExist.*Options > Force.*\[item 0\]/);
		expect(sim.members.has(m3.member_id)).toBe(true);
		expect(json(await run(String(m3.member_id), { options: { force: true } }))).toEqual([{ deleted: true, id: String(m3.member_id) }]);

		expect(bodies('/member/delete')).toEqual([
			{ member_id: m0.member_id },
			{ email: m1.email },
			{ ref_id: m2.ref_id },
			{ member_id: m3.member_id },
			{ member_id: m3.member_id, is_force: true },
		]);
		expect(sim.members.size).toBe(0);

		const missing = json(await run('12345'));
		expect(missing[0]).toMatchObject({ httpCode: 400, code: 'ResourceNotFound' });
		expect(missing[0].error).toMatch(/delete member "12345".*\[item 0\]/);
	});
});

describe('Flashduty node: the app_key never shows', () => {
	const check = (result: RunResult, key: string) => {
		const said = everythingSaid(result);
		expect(said).not.toContain(key);
		expect(said).not.toContain(encodeURIComponent(key));
	};

	test('not on success', async () => {
		sim.seedSample(samplePeople(0, 3));
		const result = await runWorkflow({ items: [{}], nodes: [flashduty({ operation: 'getAll', returnAll: true, simplify: false })], credentials });
		expect(json(result)).toHaveLength(3);
		expect(sim.requests[0].query.app_key).toBe(FLASHDUTY_TEST_KEY);
		check(result, FLASHDUTY_TEST_KEY);
	});

	test('not on a 401 (stopped, and under Continue On Fail)', async () => {
		const wrongKey = 'fd-wrong-' + 'k9'.repeat(12);
		const bad = { flashdutyApi: { ...credentials.flashdutyApi, appKey: wrongKey } };
		const stopped = await runWorkflow({ items: [{}], nodes: [flashduty({ operation: 'getAll', returnAll: true })], credentials: bad });
		expect(stopped.error?.message).toMatch(/Flashduty answered HTTP 401 Unauthorized when trying to list members: You are unauthorized/);
		expect(stopped.error?.description).toMatch(/APP key/);
		check(stopped, wrongKey);
		const continued = await runWorkflow({ items: [{ email: 'a@b.co' }], nodes: [flashduty({ operation: 'batchUpsert' }, { continueOnFail: true })], credentials: bad });
		expect(json(continued)[0]).toMatchObject({ httpCode: 401, code: 'Unauthorized' });
		check(continued, wrongKey);
	});

	test('not on a 500 after every retry', async () => {
		sim.seedSample(samplePeople(0, 3));
		// Retry-After: 0 keeps the test fast; the node makes 6 attempts.
		sim.failNext(6, { status: 500, headers: { 'Retry-After': '0' } });
		const result = await runWorkflow({ items: [{ id: 'ada.lovelace@example.com' }], nodes: [flashduty({ operation: 'get', id: '={{ $json.id }}' })], credentials });
		expect(result.error?.message).toMatch(/HTTP 500 InternalError when trying to find member "ada.lovelace@example.com".*\[item 0\]/);
		expect(result.error?.description).toMatch(/Tried 6 times/);
		expect(sim.requests).toHaveLength(6);
		check(result, FLASHDUTY_TEST_KEY);
	});
});
