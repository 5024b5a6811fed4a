import type { IDataObject } from 'n8n-workflow';

import { samplePeople } from '../../simulators/core/people';
import { PERSCOM_TENANT, PERSCOM_TEST_KEY, PerscomSimulator } from '../../simulators/perscom';
import { everythingSaid, runWorkflow, type TestNode } from './harness';

const sim = new PerscomSimulator();
let url: string;

function credentials(extra: Record<string, string> = {}): Record<string, Record<string, string>> {
	return { perscomApi: { apiKey: PERSCOM_TEST_KEY, baseUrl: url, requestsPerMinute: '1000', ...extra } };
}

beforeAll(async () => {
	url = await sim.start();
});
afterAll(async () => await sim.stop());
beforeEach(() => {
	sim.reset();
	sim.rateLimits = [{ limit: 1000, intervalMs: 60_000 }];
	sim.clockSpeed = 1;
	sim.sendRateHeaders = true;
});

function perscom(parameters: Record<string, unknown>, extra: Partial<TestNode> = {}): TestNode {
	return { name: 'PERSCOM', type: 'perscom', credentials: ['perscomApi'], parameters: { resource: 'user', ...parameters }, ...extra };
}

const calls = () => sim.requests.map((r) => `${r.method} ${r.path}`);

describe('PERSCOM node in the n8n engine', () => {
	test('Get Many, Return All over 250 users: exactly 3 requests of 100, 250 unified items', async () => {
		sim.seedSample(samplePeople(0, 250));
		const started = Date.now();
		const result = await runWorkflow({ items: [{}], nodes: [perscom({ operation: 'getAll', returnAll: true })], credentials: credentials() });
		expect(result.error).toBeUndefined();
		expect(result.output.PERSCOM).toHaveLength(250);
		expect(sim.requests.map((r) => [r.method, r.path, r.query.page, r.query.limit])).toEqual([
			['GET', '/v2/users', '1', '100'],
			['GET', '/v2/users', '2', '100'],
			['GET', '/v2/users', '3', '100'],
		]);
		const first = result.output.PERSCOM[0];
		expect(first.json).toEqual({
			source: 'perscom',
			id: '1',
			email: 'ada.lovelace@example.com',
			name: 'Ada Lovelace',
			firstName: 'Ada',
			lastName: 'Lovelace',
			phone: '+15551000000',
			timezone: 'Europe/Berlin',
			status: 'approved',
			createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
			updatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
		});
		expect(result.output.PERSCOM[4].json.status).toBe('pending');
		expect(first.pairedItem).toEqual({ item: 0 });
		expect(new Set(result.output.PERSCOM.map((i) => i.json.id)).size).toBe(250);
		// Accept on every request; no X-Perscom-Id when the credential has none (not even an empty one).
		expect(sim.headerLog.every((h) => h.accept === 'application/json' && h.perscomId === undefined)).toBe(true);
		expect(Date.now() - started).toBeLessThan(5000);
	});

	test('Get Many with a limit asks for exactly that many; raw output when Simplify is off', async () => {
		sim.seedSample(samplePeople(0, 40));
		const result = await runWorkflow({ items: [{}], nodes: [perscom({ operation: 'getAll', returnAll: false, limit: 20, simplify: false })], credentials: credentials() });
		expect(result.error).toBeUndefined();
		expect(result.output.PERSCOM).toHaveLength(20);
		expect(sim.requests.map((r) => [r.path, r.query.page, r.query.limit])).toEqual([['/v2/users', '1', '20']]);
		expect(result.output.PERSCOM[0].json).toMatchObject({ id: 1, name: 'Ada Lovelace', phone_number: '+15551000000', approved: true });
	});

	test('Get Many with filters and sort goes through POST /users/search with the Orion body', async () => {
		const users = sim.seedSample(samplePeople(0, 60));
		for (const u of users) {
			u.unit_id = u.id % 3 === 0 ? 7 : 8;
			u.updated_at = u.id > 30 ? '2030-01-01T00:00:00.000000Z' : '2020-01-01T00:00:00.000000Z';
		}
		const result = await runWorkflow({
			items: [{}],
			nodes: [
				perscom({
					operation: 'getAll',
					returnAll: true,
					filters: { approved: true, unitId: 7, updatedSince: '2025-06-01T12:00:00.000Z' },
					options: { sortBy: 'name', sortDirection: 'desc', include: ['unit'] },
					simplify: false,
				}),
			],
			credentials: credentials(),
		});
		expect(result.error).toBeUndefined();
		expect(sim.requests).toHaveLength(1);
		const [request] = sim.requests;
		expect([request.method, request.path, request.query]).toEqual(['POST', '/v2/users/search', { include: 'unit', page: '1', limit: '100' }]);
		expect(request.body).toEqual({
			filters: [
				{ field: 'approved', operator: '=', value: true },
				{ field: 'unit_id', operator: '=', value: 7 },
				{ field: 'updated_at', operator: '>=', value: '2025-06-01 12:00:00' },
			],
			// The ID breaks ties, so that pages of equal names hold still.
			sort: [{ field: 'name', direction: 'desc' }, { field: 'id', direction: 'asc' }],
		});
		const expected = users.filter((u) => u.approved && u.unit_id === 7 && u.id > 30).sort((a, b) => b.name.localeCompare(a.name));
		expect(expected.length).toBeGreaterThan(3);
		expect(result.output.PERSCOM.map((i) => i.json.id)).toEqual(expected.map((u) => u.id));
		expect(result.output.PERSCOM[0].json.unit).toEqual({ id: 7, name: 'Unit 7' });
	});

	test('Get by ID is GET /users/{id}; by email a search; several items share one search; a missing one is reported', async () => {
		sim.seedSample(samplePeople(0, 10));
		const byId = await runWorkflow({
			items: [{ key: '3' }],
			nodes: [perscom({ operation: 'get', id: '={{ $json.key }}', options: { include: ['rank', 'unit'] }, simplify: false })],
			credentials: credentials(),
		});
		expect(byId.error).toBeUndefined();
		expect(sim.requests.map((r) => [r.method, r.path, r.query.include])).toEqual([['GET', '/v2/users/3', 'rank,unit']]);
		expect(byId.output.PERSCOM[0].json).toMatchObject({ id: 3, name: 'Alan Lovelace', rank: null, unit: null });

		sim.clearLog();
		const byEmail = await runWorkflow({
			items: [{ key: 'GRACE.lovelace@example.com' }],
			nodes: [perscom({ operation: 'get', id: '={{ $json.key }}' })],
			credentials: credentials(),
		});
		expect(byEmail.error).toBeUndefined();
		expect(sim.requests.map((r) => [r.method, r.path])).toEqual([['POST', '/v2/users/search']]);
		expect(sim.requests[0].body).toEqual({ filters: [{ field: 'email', operator: 'in', value: ['grace.lovelace@example.com'] }] });
		expect(byEmail.output.PERSCOM[0].json).toMatchObject({ id: '2', email: 'grace.lovelace@example.com', firstName: 'Grace' });

		sim.clearLog();
		const many = await runWorkflow({
			items: [{ key: '1' }, { key: '999' }, { key: '4' }, { key: 'ken.lovelace@example.com' }, { key: 'not an id' }],
			nodes: [perscom({ operation: 'get', id: '={{ $json.key }}' }, { continueOnFail: true })],
			credentials: credentials(),
		});
		expect(many.error).toBeUndefined();
		expect(calls()).toEqual(['POST /v2/users/search', 'POST /v2/users/search']);
		const out = many.output.PERSCOM;
		expect(out).toHaveLength(5);
		expect(out.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(out[0].json.id).toBe('1');
		expect(out[1].json).toMatchObject({ id: '999', notFound: true, error: expect.stringContaining('No PERSCOM user matches "999" [item 1]') });
		expect(out[2].json.id).toBe('4');
		expect(out[3].json).toMatchObject({ id: '9', email: 'ken.lovelace@example.com' });
		expect(out[4].json.error).toContain('"not an id" is neither a PERSCOM user ID nor an email [item 4]');
	});

	test('Batch Get: one search for IDs and one for emails, missing IDs reported, never dropped', async () => {
		sim.seedSample(samplePeople(0, 150));
		const ids = [...Array.from({ length: 120 }, (_, i) => String(i + 1)), '5000', '5001'];
		const result = await runWorkflow({
			items: [{ ids, emails: 'alan.lovelace@example.com, nobody@example.com' }],
			nodes: [perscom({ operation: 'batchGet', ids: '={{ $json.ids.concat($json.emails.split(",")) }}' })],
			credentials: credentials(),
		});
		expect(result.error).toBeUndefined();
		// 122 IDs: two searches (100 + 22); 2 emails: one search.
		expect(calls()).toEqual(['POST /v2/users/search', 'POST /v2/users/search', 'POST /v2/users/search']);
		expect((sim.requests[0].body as { filters: Array<{ value: unknown[] }> }).filters[0].value).toHaveLength(100);
		const out = result.output.PERSCOM.map((i) => i.json);
		expect(out.filter((j) => !j.notFound)).toHaveLength(121);
		expect(out.filter((j) => j.notFound).map((j) => j.id)).toEqual(['5000', '5001', 'nobody@example.com']);
	});

	test('Without a search route (404/405), reads fall back to GET /users/{id} and the user list', async () => {
		const bare = new PerscomSimulator({ searchRoute: false });
		const bareUrl = await bare.start();
		try {
			bare.seedSample(samplePeople(0, 30));
			const result = await runWorkflow({
				items: [{}],
				nodes: [perscom({ operation: 'batchGet', ids: '2, 3, 77, linus.lovelace@example.com' })],
				credentials: { perscomApi: { apiKey: PERSCOM_TEST_KEY, baseUrl: bareUrl, requestsPerMinute: '1000' } },
			});
			expect(result.error).toBeUndefined();
			const out = result.output.PERSCOM.map((i) => i.json);
			expect(out.filter((j) => !j.notFound).map((j) => j.id)).toEqual(['2', '3', '5']);
			expect(out.filter((j) => j.notFound).map((j) => j.id)).toEqual(['77']);
			const seen = bare.requests.map((r) => `${r.status} ${r.method} ${r.path}`);
			expect(seen).toHaveLength(5);
			expect(seen[0]).toBe('405 POST /v2/users/search');
			// the single reads run side by side (up to 4 at once): any order
			expect(seen.slice(1, 4).sort()).toEqual(['200 GET /v2/users/2', '200 GET /v2/users/3', '404 GET /v2/users/77']);
			expect(seen[4]).toBe('200 GET /v2/users');
		} finally {
			await bare.stop();
		}
	});

	test('Batch Upsert of 150 mixed users with two invalid: 148 land, 2 error items with field messages, 30 requests', async () => {
		const existing = sim.seedSample(samplePeople(0, 100));
		const items: IDataObject[] = [
			// existing users, matched by email (case-insensitively), with a change each
			...samplePeople(0, 100).map((p) => ({ email: p.email.toUpperCase(), firstName: p.firstName, lastName: `${p.lastName}-Updated`, rank_id: 3 })),
			// new users: unified fields from another vendor
			...samplePeople(100, 50).map((p) => ({ source: 'flameup', id: 'uuid-x', email: p.email, name: p.name, phone: p.phone, status: 'active' })),
		];
		items[0] = { ...items[0], name: 'X'.repeat(300), firstName: undefined, lastName: undefined }; // existing, name too long
		items[100] = { ...items[100], email: 'not-an-email' }; // new, invalid email
		const started = Date.now();
		const result = await runWorkflow({ items, nodes: [perscom({ operation: 'batchUpsert' }, { continueOnFail: true })], credentials: credentials() });
		const elapsed = Date.now() - started;
		expect(result.error).toBeUndefined();
		const out = result.output.PERSCOM;
		expect(out).toHaveLength(150);
		expect(out.map((i) => i.pairedItem)).toEqual(items.map((_, item) => ({ item })));

		const errors = out.filter((i) => i.json.error);
		expect(errors.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 100 }]);
		expect(errors[0].json.error).toContain('[item 0]');
		expect(errors[0].json.httpCode).toBe(422);
		expect(errors[0].json.fields).toEqual({ [`resources.${existing[0].id}.name`]: [`The resources.${existing[0].id}.name field must not be greater than 255 characters.`] });
		expect(errors[1].json.fields).toEqual({ 'resources.0.email': ['The resources.0.email field must be a valid email address.'] });
		expect(String(errors[1].json.description)).toContain('Field errors: resources.0.email');

		expect(out.filter((i) => i.json.action === 'updated')).toHaveLength(99);
		expect(out.filter((i) => i.json.action === 'created')).toHaveLength(49);
		expect(out[1].json).toMatchObject({ action: 'updated', id: String(existing[1].id), name: 'Grace Lovelace-Updated' });
		expect(out[101].json).toMatchObject({ action: 'created', email: samplePeople(101, 1)[0].email, phone: samplePeople(101, 1)[0].phone });

		// Simulator state: the valid 148 landed, the 2 invalid did not.
		expect(sim.users.size).toBe(149);
		expect(sim.users.get(existing[0].id)?.name).toBe('Ada Lovelace');
		expect(sim.users.get(existing[50].id)).toMatchObject({ name: `${samplePeople(50, 1)[0].firstName} ${samplePeople(50, 1)[0].lastName}-Updated`, rank_id: 3 });
		expect(sim.byEmail('not-an-email')).toBeUndefined();
		expect(sim.byEmail(samplePeople(149, 1)[0].email)).toMatchObject({ phone_number: samplePeople(149, 1)[0].phone, approved: true });

		// Bodies: PATCH keyed by ID without the email; POST without the foreign id/status.
		const firstPatch = sim.requests.find((r) => r.method === 'PATCH')!.body as { resources: Record<string, IDataObject> };
		expect(Object.keys(firstPatch.resources)).toHaveLength(100);
		expect(firstPatch.resources[String(existing[1].id)]).toEqual({ name: 'Grace Lovelace-Updated', rank_id: 3 });
		const firstPost = sim.requests.find((r) => r.method === 'POST' && r.path === '/v2/users/batch')!.body as { resources: IDataObject[] };
		expect(firstPost.resources[1]).toEqual({ email: samplePeople(101, 1)[0].email, name: samplePeople(101, 1)[0].name, phone_number: samplePeople(101, 1)[0].phone });

		// 2 searches (100 + 50 emails); PATCH 100 → split to isolate 1 bad: 15; POST 50 → 13.
		expect(sim.count((r) => r.path === '/v2/users/search')).toBe(2);
		expect(sim.count((r) => r.method === 'PATCH' && r.path === '/v2/users/batch')).toBe(15);
		expect(sim.count((r) => r.method === 'POST' && r.path === '/v2/users/batch')).toBe(13);
		expect(sim.requests).toHaveLength(30);
		expect(elapsed).toBeLessThan(10_000);
	});

	test('Batch Upsert: the same email twice creates then updates; a new user without a name is refused before any write', async () => {
		const result = await runWorkflow({
			items: [
				{ email: 'new@example.com', name: 'New Person' },
				{ email: 'nameless@example.com' },
				{ email: 'NEW@example.com', phone: '+1 555 0100' },
				{ name: 'No Email' },
			],
			nodes: [perscom({ operation: 'batchUpsert' }, { continueOnFail: true })],
			credentials: credentials(),
		});
		expect(result.error).toBeUndefined();
		const out = result.output.PERSCOM.map((i) => i.json);
		expect(out[0]).toMatchObject({ action: 'created', email: 'new@example.com' });
		expect(out[1].error).toContain('a new user needs a name [item 1]');
		expect(out[2]).toMatchObject({ action: 'updated', email: 'new@example.com', phone: '+1 555 0100', id: out[0].id });
		expect(out[3].error).toContain('This item has no email [item 3]');
		expect(calls()).toEqual(['POST /v2/users/search', 'POST /v2/users/batch', 'PATCH /v2/users/batch']);
		expect(sim.users.size).toBe(1);
	});

	test('Batch Upsert without Continue On Fail stops with the item named, after the valid users landed', async () => {
		const result = await runWorkflow({
			items: [{ email: 'a@example.com', name: 'A' }, { email: 'bad', name: 'B' }],
			nodes: [perscom({ operation: 'batchUpsert' })],
			credentials: credentials(),
		});
		expect(result.error?.message).toContain('[item 1]');
		expect(result.error?.description).toContain('resources.0.email');
		expect(sim.byEmail('a@example.com')).toBeDefined();
	});

	test('API version v1 changes every path; a bad version is a clear error', async () => {
		sim.seedSample(samplePeople(0, 3));
		const v1 = await runWorkflow({ items: [{}], nodes: [perscom({ operation: 'getAll', returnAll: true })], credentials: credentials({ apiVersion: 'v1' }) });
		expect(v1.error).toBeUndefined();
		expect(v1.output.PERSCOM).toHaveLength(3);
		expect(calls()).toEqual(['GET /v1/users']);

		const bad = await runWorkflow({ items: [{}], nodes: [perscom({ operation: 'getAll', returnAll: true })], credentials: credentials({ apiVersion: 'v9' }) });
		expect(bad.error?.message).toContain('PERSCOM answered HTTP 400');
		expect(bad.error?.description).toContain('API Version');
	});

	test('X-Perscom-Id is sent only when the credential sets it; a wrong one is a 401 without the key in it', async () => {
		sim.seedSample(samplePeople(0, 3));
		const withId = await runWorkflow({ items: [{}], nodes: [perscom({ operation: 'get', id: '2' })], credentials: credentials({ perscomId: PERSCOM_TENANT }) });
		expect(withId.error).toBeUndefined();
		expect(sim.headerLog.map((h) => h.perscomId)).toEqual([PERSCOM_TENANT]);

		sim.headerLog.length = 0;
		const without = await runWorkflow({ items: [{}], nodes: [perscom({ operation: 'get', id: '2' })], credentials: credentials({ perscomId: '' }) });
		expect(without.error).toBeUndefined();
		expect(sim.headerLog).toHaveLength(1);
		expect(sim.headerLog[0].perscomId).toBeUndefined();

		const wrong = await runWorkflow({ items: [{}], nodes: [perscom({ operation: 'get', id: '2' })], credentials: credentials({ perscomId: '999' }) });
		expect(wrong.error?.message).toContain('HTTP 401 AuthenticationException');
		expect(wrong.error?.description).toContain('PERSCOM ID');
		expect(everythingSaid(wrong)).not.toContain(PERSCOM_TEST_KEY);
	});

	test('Delete one is DELETE /users/{id}; many are batched, a missing ID is reported and nothing else is lost', async () => {
		sim.seedSample(samplePeople(0, 260));
		const one = await runWorkflow({ items: [{ id: 7 }], nodes: [perscom({ operation: 'delete', id: '={{ $json.id }}' })], credentials: credentials() });
		expect(one.error).toBeUndefined();
		expect(one.output.PERSCOM.map((i) => i.json)).toEqual([{ deleted: true, id: '7' }]);
		expect(calls()).toEqual(['DELETE /v2/users/7']);
		expect(sim.users.has(7)).toBe(false);

		sim.clearLog();
		const ids = [1, 2, 7, 3, 4];
		const many = await runWorkflow({ items: ids.map((id) => ({ id })), nodes: [perscom({ operation: 'delete', id: '={{ $json.id }}' }, { continueOnFail: true })], credentials: credentials() });
		expect(many.error).toBeUndefined();
		expect(calls()).toEqual(['DELETE /v2/users/batch']);
		expect(sim.requests[0].body).toEqual({ resources: [1, 2, 7, 3, 4] });
		const out = many.output.PERSCOM;
		expect(out.map((i) => i.pairedItem)).toEqual(ids.map((_, item) => ({ item })));
		expect(out.filter((i) => i.json.deleted).map((i) => i.json.id)).toEqual(['1', '2', '3', '4']);
		expect(out[2].json).toMatchObject({ id: '7', error: expect.stringContaining('No PERSCOM user has the ID 7; nothing was deleted [item 2]') });

		sim.clearLog();
		const rest = Array.from({ length: 250 }, (_, i) => ({ id: i + 8 }));
		const bulk = await runWorkflow({ items: rest, nodes: [perscom({ operation: 'delete', id: '={{ $json.id }}' })], credentials: credentials() });
		expect(bulk.error).toBeUndefined();
		expect(bulk.output.PERSCOM).toHaveLength(250);
		expect(calls()).toEqual(['DELETE /v2/users/batch', 'DELETE /v2/users/batch', 'DELETE /v2/users/batch']);
		expect(sim.users.size).toBe(260 - 255);
	});

	test('A batch delete refused with 404 is split down to single deletes: only the missing ID fails', async () => {
		sim.seedSample(samplePeople(0, 4));
		sim.failNext(1, { status: 404 });
		const result = await runWorkflow({
			items: [{ id: 1 }, { id: 2 }, { id: 99 }, { id: 3 }],
			nodes: [perscom({ operation: 'delete', id: '={{ $json.id }}' }, { continueOnFail: true })],
			credentials: credentials(),
		});
		expect(result.error).toBeUndefined();
		const out = result.output.PERSCOM.map((i) => i.json);
		expect(out.filter((j) => j.deleted).map((j) => j.id)).toEqual(['1', '2', '3']);
		expect(out[2]).toMatchObject({ id: '99', error: expect.stringContaining('No PERSCOM user has the ID 99') });
		expect(calls()).toEqual(['DELETE /v2/users/batch', 'DELETE /v2/users/batch', 'DELETE /v2/users/batch']);
		expect(sim.users.size).toBe(1);
	});

	test('429 with Retry-After is waited out and retried: every user lands exactly once', async () => {
		sim.rateLimits = [{ limit: 3, intervalMs: 60_000 }];
		sim.clockSpeed = 60; // the simulated minute lasts one real second
		// Its count headers would make the node pause for a real minute before any 429: this test is about the 429.
		sim.sendRateHeaders = false;
		const started = Date.now();
		const result = await runWorkflow({
			items: samplePeople(0, 250).map((p) => ({ email: p.email, name: p.name })),
			nodes: [perscom({ operation: 'batchUpsert' })],
			credentials: credentials(),
		});
		expect(result.error).toBeUndefined();
		expect(result.output.PERSCOM).toHaveLength(250);
		expect(result.output.PERSCOM.every((i) => i.json.action === 'created')).toBe(true);
		expect(sim.statusCounts.get(429)).toBeGreaterThanOrEqual(1);
		const throttled = sim.requests.filter((r) => r.status === 429);
		expect(throttled.length).toBe(sim.statusCounts.get(429));
		// 3 searches + 3 creates succeeded; every 429 was retried, none was lost or doubled.
		expect(sim.count((r) => r.status === 200)).toBe(6);
		expect(sim.users.size).toBe(250);
		expect(new Set([...sim.users.values()].map((u) => u.email)).size).toBe(250);
		expect(Date.now() - started).toBeGreaterThan(900);
	});
});

describe('PERSCOM Get: a key given as an item field is read from the item itself, with the same results as n8n\'s evaluation', () => {
	test.each([
		['={{ $json.key }}', '={{ ($json.key) }}'],
		['={{ $json["user key"] }}', '={{ ($json["user key"]) }}'],
		['={{ $json.user.key }}', '={{ ($json.user.key) }}'],
	])('%s reads as %s does', async (fast, slow) => {
		const [ada, grace] = sim.seedSample(samplePeople(0, 2));
		const items = [
			{ key: ada.id, 'user key': ada.email, user: { key: grace.id } },
			{ key: String(grace.id), 'user key': grace.email.toUpperCase(), user: { key: ada.email } },
			{ key: 999_999, 'user key': 'nobody@example.com', user: { key: 999_999 } },
			{},
			{ key: { id: 1 }, 'user key': [ada.email], user: { key: true } },
		];
		const outputs = async (id: string) => {
			const result = await runWorkflow({ items, nodes: [perscom({ operation: 'get', id }, { continueOnFail: true })], credentials: credentials() });
			expect(result.error).toBeUndefined();
			return result.output.PERSCOM.map((o) => ({ json: { ...o.json, error: o.json.error === undefined ? undefined : String(o.json.error) } as IDataObject, pairedItem: o.pairedItem }));
		};
		const viaItem = await outputs(fast);
		const viaN8n = await outputs(slow);
		expect(viaItem.map((o) => [o.json.id, o.json.email, o.json.error])).toEqual(viaN8n.map((o) => [o.json.id, o.json.email, o.json.error]));
		expect(viaItem.map((o) => o.pairedItem)).toEqual(items.map((_, i) => ({ item: i })));
		expect(viaItem.filter((o) => !o.json.error)).toHaveLength(2);
	});
});
