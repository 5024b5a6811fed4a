import type { IDataObject, INodeType } from 'n8n-workflow';

import { samplePeople } from '../../simulators/core/people';
import { FLAMEUP_TEST_KEY, FLAMEUP_WORKSPACE, FlameupSimulator } from '../../simulators/flameup';
import { editorContext, everythingSaid, loadPackage, runWorkflow, type TestNode } from './harness';

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

function flameup(parameters: Record<string, unknown>, extra: Partial<TestNode> = {}): TestNode {
	return { name: 'Flameup', type: 'flameup', credentials: ['flameupApi'], parameters: { resource: 'person', ...parameters }, ...extra };
}

/** Unified people, as another vendor's read would output them. */
function unified(from: number, count: number) {
	return samplePeople(from, count).map((p) => ({ source: 'perscom', id: String(1000 + p.n), externalId: `ext-${p.n}`, email: p.email.toUpperCase(), name: p.name, phone: p.phone, timezone: p.timezone, locale: p.locale }));
}

describe('Flameup: Get Many', () => {
	test('Return All over 250 people makes exactly 3 requests and returns 250 items', async () => {
		sim.seedSample(samplePeople(0, 250));
		const result = await runWorkflow({ items: [{}], nodes: [flameup({ operation: 'getAll', returnAll: true })], credentials });
		expect(result.error).toBeUndefined();
		expect(result.output.Flameup).toHaveLength(250);
		expect(sim.requests.map((r) => [r.method, r.path, r.query.offset, r.query.limit])).toEqual([
			['GET', '/people', '0', '100'],
			['GET', '/people', '100', '100'],
			['GET', '/people', '200', '100'],
		]);
		expect(new Set(result.output.Flameup.map((i) => i.json.email)).size).toBe(250);
		const first = result.output.Flameup[0];
		expect(first.json).toMatchObject({ source: 'flameup', externalId: 'ext-0', email: 'ada.lovelace@example.com', firstName: 'Ada', lastName: 'Lovelace', name: 'Ada Lovelace' });
		expect(first.pairedItem).toEqual({ item: 0 });
	});

	test('Limit 130 returns exactly 130, asking only for what is still wanted', async () => {
		sim.seedSample(samplePeople(0, 250));
		const result = await runWorkflow({ items: [{}], nodes: [flameup({ operation: 'getAll', returnAll: false, limit: 130 })], credentials });
		expect(result.output.Flameup).toHaveLength(130);
		expect(sim.requests.map((r) => [r.query.offset, r.query.limit])).toEqual([
			['0', '100'],
			['100', '30'],
		]);
	});

	test('filters go to the API and Simplify off returns raw records', async () => {
		sim.seedSample(samplePeople(0, 40));
		[...sim.people.values()].slice(0, 5).forEach((p) => (p.status = 'bounced'));
		const result = await runWorkflow({
			items: [{}],
			nodes: [flameup({ operation: 'getAll', returnAll: true, filters: { status: 'bounced' }, simplify: false })],
			credentials,
		});
		expect(result.output.Flameup).toHaveLength(5);
		expect(sim.requests[0].query.status).toBe('bounced');
		expect(result.output.Flameup[0].json).toHaveProperty('external_id');
		expect(result.output.Flameup[0].json).toHaveProperty('workspace_id', FLAMEUP_WORKSPACE);
	});

	test('workspace ID in the credential switches to the workspace-scoped paths', async () => {
		sim.seedSample(samplePeople(0, 3));
		const result = await runWorkflow({
			items: [{}],
			nodes: [flameup({ operation: 'getAll', returnAll: true })],
			credentials: { flameupApi: { ...credentials.flameupApi, workspaceId: FLAMEUP_WORKSPACE } },
		});
		expect(result.output.Flameup).toHaveLength(3);
		expect(sim.requests[0].path).toBe(`/workspaces/${FLAMEUP_WORKSPACE}/people`);
	});
});

describe('Flameup: Batch Upsert', () => {
	test('250 items: 3 batch requests, 250 outputs with the right created/updated split, all stored', async () => {
		sim.seedSample(samplePeople(0, 100)); // ext-0..ext-99 exist already
		const items = unified(0, 250);
		const result = await runWorkflow({ items, nodes: [flameup({ operation: 'batchUpsert' })], credentials });
		expect(result.error).toBeUndefined();
		const batches = sim.requests.filter((r) => r.path === '/people/batch');
		expect(batches.map((r) => (r.body as { people: unknown[] }).people.length)).toEqual([100, 100, 50]);
		expect(sim.requests).toHaveLength(3);
		const out = result.output.Flameup;
		expect(out).toHaveLength(250);
		expect(out.filter((i) => i.json.action === 'updated')).toHaveLength(100);
		expect(out.filter((i) => i.json.action === 'created')).toHaveLength(150);
		out.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json.externalId).toBe(`ext-${i}`);
			expect(item.json.action).toBe(i < 100 ? 'updated' : 'created');
		});
		expect(sim.people.size).toBe(250);
		const stored = sim.byEmail(items[200].email.toLowerCase())!;
		expect(stored).toMatchObject({ external_id: 'ext-200', first_name: items[200].name.split(' ')[0], phone: items[200].phone, timezone: items[200].timezone });
		// The payload is Flameup's documented shape.
		const entry = (batches[0].body as { people: Array<Record<string, unknown>> }).people[0];
		expect(entry).toEqual({ userId: 'ext-0', email: 'ada.lovelace@example.com', traits: { first_name: 'Ada', last_name: 'Lovelace', phone: items[0].phone, timezone: items[0].timezone, locale: items[0].locale } });
	});

	test('a burst of 429s and 500s still ends with every item stored and no error items', async () => {
		sim.failNext(2, { status: 429, headers: { 'X-RateLimit-Reset': String(Math.ceil(Date.now() / 1000) + 1) }, body: { error: 'Rate limit exceeded', message: 'Too many requests' } });
		sim.failNext(2, { status: 500 });
		sim.failNext(1, { reset: true });
		const result = await runWorkflow({ items: unified(0, 150), nodes: [flameup({ operation: 'batchUpsert', options: { batchSize: 50 } })], credentials });
		expect(result.error).toBeUndefined();
		expect(result.output.Flameup).toHaveLength(150);
		expect(result.output.Flameup.every((i) => i.json.action === 'created' && !i.json.error)).toBe(true);
		expect(sim.people.size).toBe(150);
		expect(sim.statusCounts.get(429)).toBe(2);
		expect(sim.statusCounts.get(500)).toBe(2);
		expect(sim.statusCounts.get(200)).toBe(3);
	}, 60_000);

	test('a batch response that lists no people is not an answer: the upsert is sent again and every item is paired by key', async () => {
		// Before the fault model, such an answer was paired by position and split by the counts; now it is
		// retried (the upsert is idempotent), and the real answer pairs each item by userId.
		sim.failNext(1, { status: 200, body: { created_count: 2, updated_count: 1 } });
		const result = await runWorkflow({ items: unified(0, 3), nodes: [flameup({ operation: 'batchUpsert' })], credentials });
		expect(result.error).toBeUndefined();
		expect(result.output.Flameup.map((i) => [i.json.externalId, i.json.email, i.json.action, i.pairedItem])).toEqual([
			['ext-0', 'ada.lovelace@example.com', 'created', { item: 0 }],
			['ext-1', 'grace.lovelace@example.com', 'created', { item: 1 }],
			['ext-2', 'alan.lovelace@example.com', 'created', { item: 2 }],
		]);
		expect(sim.count((r) => r.path === '/people/batch')).toBe(2);
		expect(sim.people.size).toBe(3);
	});

	test('under Continue On Fail a bad item yields one error item for itself; the others land', async () => {
		const items: IDataObject[] = unified(0, 10);
		items[3] = { ...items[3], email: 'not-an-email' }; // rejected by Flameup (422) → isolated
		items[7] = { name: 'Nobody' }; // neither externalId nor email → never sent
		delete items[7].externalId;
		const result = await runWorkflow({ items, nodes: [flameup({ operation: 'batchUpsert' }, { continueOnFail: true })], credentials });
		expect(result.error).toBeUndefined();
		const out = result.output.Flameup;
		expect(out).toHaveLength(10);
		out.forEach((item, i) => expect(item.pairedItem).toEqual({ item: i }));
		expect(out[3].json.error).toMatch(/422.*\[item 3\]/);
		expect(JSON.stringify(out[3].json.fields)).toMatch(/email/);
		expect(out[7].json.error).toMatch(/neither an externalId nor an email \[item 7\]/);
		expect(out.filter((i) => i.json.action === 'created')).toHaveLength(8);
		expect(sim.people.size).toBe(8);
	});

	test('without Continue On Fail the bad item stops the node, naming the item', async () => {
		const items = unified(0, 4);
		items[2] = { ...items[2], email: 'broken@' };
		const result = await runWorkflow({ items, nodes: [flameup({ operation: 'batchUpsert' })], credentials });
		expect(result.error?.message).toMatch(/\[item 2\]/);
	});
});

describe('Flameup: reads by key', () => {
	test('Get by external ID and by email, one output per input item', async () => {
		sim.seedSample(samplePeople(0, 5));
		const result = await runWorkflow({
			items: [{ key: 'ext-1' }, { key: 'Alan.Lovelace@EXAMPLE.com' }, { key: 'ext-4' }],
			nodes: [flameup({ operation: 'get', id: '={{ $json.key }}' })],
			credentials,
		});
		expect(result.error).toBeUndefined();
		expect(result.output.Flameup.map((i) => [i.json.externalId, i.pairedItem])).toEqual([
			['ext-1', { item: 0 }],
			['ext-2', { item: 1 }],
			['ext-4', { item: 2 }],
		]);
		expect(sim.requests.map((r) => r.path)).toEqual(expect.arrayContaining(['/people/ext-1', '/people/alan.lovelace%40example.com', '/people/ext-4']));
	});

	test('Get of a missing person is a clear error, or an error item under Continue On Fail', async () => {
		sim.seedSample(samplePeople(0, 2));
		const failing = await runWorkflow({ items: [{}], nodes: [flameup({ operation: 'get', id: 'ext-missing' })], credentials });
		expect(failing.error?.message).toBe('No Flameup person matches "ext-missing" [item 0]');
		const tolerant = await runWorkflow({ items: [{ k: 'ext-0' }, { k: 'ext-missing' }], nodes: [flameup({ operation: 'get', id: '={{ $json.k }}' }, { continueOnFail: true })], credentials });
		expect(tolerant.output.Flameup).toHaveLength(2);
		expect(tolerant.output.Flameup[1].json).toMatchObject({ notFound: true, id: 'ext-missing' });
		expect(tolerant.output.Flameup[1].pairedItem).toEqual({ item: 1 });
	});

	test('Batch Get reports IDs that are not found instead of dropping them', async () => {
		sim.seedSample(samplePeople(0, 5));
		const result = await runWorkflow({ items: [{}], nodes: [flameup({ operation: 'batchGet', ids: 'ext-0, ext-3,nope-1, ext-3' })], credentials });
		expect(result.output.Flameup.map((i) => i.json.externalId ?? i.json)).toEqual(['ext-0', 'ext-3', { source: 'flameup', id: 'nope-1', notFound: true }]);
		expect(sim.requests).toHaveLength(3); // de-duplicated
		const strict = await runWorkflow({ items: [{}], nodes: [flameup({ operation: 'batchGet', ids: 'ext-0,nope-1', options: { onNotFound: 'error' } })], credentials });
		expect(strict.error?.message).toMatch(/1 of 2 person IDs not found in Flameup: nope-1 \[item 0\]/);
	});
});

describe('Flameup: create and update', () => {
	test('Create sends userId, email and traits; Update merges traits', async () => {
		const created = await runWorkflow({
			items: [{}],
			nodes: [flameup({ operation: 'create', userId: 'u-1', email: 'New@Example.com', additionalFields: { firstName: 'New', traits: '{"plan":"pro"}' } })],
			credentials,
		});
		expect(created.error).toBeUndefined();
		expect(sim.requests[0].body).toEqual({ userId: 'u-1', email: 'new@example.com', traits: { plan: 'pro', first_name: 'New' } });
		expect(created.output.Flameup[0].json).toMatchObject({ externalId: 'u-1', email: 'new@example.com', firstName: 'New' });

		const updated = await runWorkflow({ items: [{}], nodes: [flameup({ operation: 'update', id: 'u-1', updateFields: { lastName: 'Person', traits: '{"seats":3}' } })], credentials });
		expect(updated.error).toBeUndefined();
		expect(sim.requests[1]).toMatchObject({ method: 'PUT', path: '/people/u-1', body: { traits: { seats: 3, last_name: 'Person' } } });
		const stored = sim.byEmail('new@example.com')!;
		expect(stored).toMatchObject({ first_name: 'New', last_name: 'Person', attributes: { plan: 'pro', seats: 3 } });
	});

	test('with a Workspace ID, Create and Update still use the flat paths (the only ones Flameup documents for them)', async () => {
		const workspace = { flameupApi: { ...credentials.flameupApi, workspaceId: FLAMEUP_WORKSPACE } };
		const created = await runWorkflow({ items: [{}], nodes: [flameup({ operation: 'create', userId: 'w-1', email: 'w1@example.com' })], credentials: workspace });
		expect(created.error).toBeUndefined();
		const updated = await runWorkflow({ items: [{}], nodes: [flameup({ operation: 'update', id: 'w-1', updateFields: { firstName: 'Wendy' } })], credentials: workspace });
		expect(updated.error).toBeUndefined();
		expect(sim.requests.map((r) => [r.method, r.path])).toEqual([
			['POST', '/people'],
			['PUT', '/people/w-1'],
		]);
		expect(sim.byEmail('w1@example.com')).toMatchObject({ workspace_id: FLAMEUP_WORKSPACE, first_name: 'Wendy' });
		expect(updated.output.Flameup[0].json).toMatchObject({ externalId: 'w-1', firstName: 'Wendy' });
	});
});

describe('Flameup 1.1: Create and Update with the field mapper', () => {
	const v11 = { typeVersion: 1.1 };

	test('Create: the fields set (expressions per item), one POST each; Update: the traits set, merged', async () => {
		const created = await runWorkflow({
			items: [
				{ ref: 'm-1', mail: 'Mapped@Example.com', first: 'Mia' },
				{ ref: 'm-2', mail: 'other@example.com', first: 'Max' },
			],
			nodes: [
				flameup(
					{
						operation: 'create',
						columns: {
							mappingMode: 'defineBelow',
							value: { externalId: '={{ $json.ref }}', email: '={{ $json.mail }}', firstName: '={{ $json.first }}', traits: { plan: 'pro' } },
						},
					},
					v11,
				),
			],
			credentials,
		});
		expect(created.error).toBeUndefined();
		expect(sim.requests.map((r) => r.body)).toEqual([
			{ userId: 'm-1', email: 'mapped@example.com', traits: { plan: 'pro', first_name: 'Mia' } },
			{ userId: 'm-2', email: 'other@example.com', traits: { plan: 'pro', first_name: 'Max' } },
		]);
		expect(created.output.Flameup.map((i) => [i.json.externalId, i.pairedItem])).toEqual([
			['m-1', { item: 0 }],
			['m-2', { item: 1 }],
		]);

		const updated = await runWorkflow({
			items: [{}],
			nodes: [flameup({ operation: 'update', id: 'm-1', columns: { mappingMode: 'defineBelow', value: { lastName: 'Mapper', phone: '' } } }, v11)],
			credentials,
		});
		expect(updated.error).toBeUndefined();
		expect(sim.requests[2]).toMatchObject({ method: 'PUT', path: '/people/m-1', body: { traits: { last_name: 'Mapper' } } });
		expect(sim.byEmail('mapped@example.com')).toMatchObject({ first_name: 'Mia', last_name: 'Mapper', attributes: { plan: 'pro' } });
	});

	test('Map Automatically: the item is the person, as in Create or Update Many (email names a person without an external ID)', async () => {
		const result = await runWorkflow({
			items: [{ email: 'auto@example.com', firstName: 'Auto', source: 'perscom', id: '7' }],
			nodes: [flameup({ operation: 'create', columns: { mappingMode: 'autoMapInputData', value: null } }, v11)],
			credentials,
		});
		expect(result.error).toBeUndefined();
		expect(sim.requests[0].body).toEqual({ userId: 'auto@example.com', email: 'auto@example.com', traits: { first_name: 'Auto' } });
	});

	test('nothing set: Create names the missing key, Update says to set a field; nothing is sent', async () => {
		const create = await runWorkflow({ items: [{}], nodes: [flameup({ operation: 'create' }, v11)], credentials });
		expect(create.error?.message).toMatch(/neither an externalId nor an email \[item 0\]/);
		const update = await runWorkflow({ items: [{}], nodes: [flameup({ operation: 'update', id: 'x-1' }, v11)], credentials });
		expect(update.error?.message).toMatch(/Nothing to update \[item 0\]/);
		expect(update.error?.description).toMatch(/under Fields/);
		expect(sim.requests).toHaveLength(0);
	});

	test('the mapper offers the workspace\'s custom traits (learned from one page of people), and a mapped trait is written as a trait', async () => {
		sim.seed([
			{ external_id: 'a-1', email: 'a1@example.com', attributes: { plan: 'pro', seats: 3, beta: true } },
			{ external_id: 'a-2', email: 'a2@example.com', attributes: { region: 'eu' } },
		]);
		sim.clearLog();
		const type = (await loadPackage()).getNode('flameup').type as INodeType;
		const ctx = await editorContext({ node: flameup({ operation: 'create' }, v11), credentials });
		const fields = (await type.methods!.resourceMapping!.getCreateFields.call(ctx)).fields;
		expect(fields.map((f) => [f.id, f.type])).toEqual(
			expect.arrayContaining([
				['externalId', 'string'],
				['trait:beta', 'boolean'],
				['trait:plan', 'string'],
				['trait:region', 'string'],
				['trait:seats', 'number'],
			]),
		);
		expect(sim.requests).toHaveLength(1);
		// A key that cannot be read: the standard fields are still offered.
		const wrong = await editorContext({ node: flameup({ operation: 'create' }, v11), credentials: { flameupApi: { ...credentials.flameupApi, apiKey: 'ws_live_x.' + '0'.repeat(64) } } });
		expect((await type.methods!.resourceMapping!.getUpdateFields.call(wrong)).fields.map((f) => f.id)).toEqual(['firstName', 'lastName', 'phone', 'timezone', 'locale', 'avatarUrl', 'traits']);

		sim.clearLog();
		const created = await runWorkflow({
			items: [{}],
			nodes: [flameup({ operation: 'create', columns: { mappingMode: 'defineBelow', value: { externalId: 't-1', 'trait:plan': 'team', 'trait:seats': 5 } } }, v11)],
			credentials,
		});
		expect(created.error).toBeUndefined();
		expect(sim.requests[0].body).toEqual({ userId: 't-1', traits: { plan: 'team', seats: 5 } });
		const updated = await runWorkflow({
			items: [{}],
			nodes: [flameup({ operation: 'update', id: 't-1', columns: { mappingMode: 'defineBelow', value: { 'trait:plan': 'enterprise' } } }, v11)],
			credentials,
		});
		expect(updated.error).toBeUndefined();
		expect(sim.requests[1].body).toEqual({ traits: { plan: 'enterprise' } });
	});

	test('a saved version-1 node keeps its own fields', async () => {
		const created = await runWorkflow({ items: [{}], nodes: [flameup({ operation: 'create', userId: 'old-1', email: 'old@example.com' })], credentials });
		expect(created.error).toBeUndefined();
		expect(sim.requests[0].body).toEqual({ userId: 'old-1', email: 'old@example.com', traits: {} });
	});
});

describe('Flameup: errors never show the key', () => {
	test('a wrong key gives a clear error naming the item, without the key', async () => {
		const wrongKey = 'ws_live_wrong.' + 'f0'.repeat(32);
		const result = await runWorkflow({
			items: [{}],
			nodes: [flameup({ operation: 'getAll', returnAll: true })],
			credentials: { flameupApi: { ...credentials.flameupApi, apiKey: wrongKey } },
		});
		expect(result.error?.message).toBe('Flameup answered HTTP 401 authentication_error when trying to list people: Invalid or missing API key [item 0]');
		expect(result.error?.description).toMatch(/Check the key/);
		expect(everythingSaid(result)).not.toContain(wrongKey);
		expect(everythingSaid(result)).not.toContain('f0f0f0f0');
	});
});
