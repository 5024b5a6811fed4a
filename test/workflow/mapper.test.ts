import type { IDataObject, INodeProperties, INodeType, ResourceMapperField } from 'n8n-workflow';

import { FLAMEUP_TEST_KEY, FlameupSimulator } from '../../simulators/flameup';
import { FLASHDUTY_TEST_KEY, FlashdutySimulator } from '../../simulators/flashduty';
import { PERSCOM_TEST_KEY, PerscomSimulator } from '../../simulators/perscom';
import { loadPackage, runWorkflow, type RunResult, type TestNode } from './harness';
import { clearProcessedData } from './processedData';

/**
 * Fields (n8n's resource mapper) on the writes that take whole items: Map Automatically (the
 * default, and workflows saved without the parameter) maps each item as before; Map Each Field
 * Manually writes only the mapped values, expressions resolved per item.
 */

const perscomSim = new PerscomSimulator();
const flameupSim = new FlameupSimulator();
const flashdutySim = new FlashdutySimulator();
let credentials: Record<string, Record<string, string>>;

beforeAll(async () => {
	const [perscomUrl, flameupUrl, flashdutyUrl] = await Promise.all([perscomSim.start(), flameupSim.start(), flashdutySim.start()]);
	credentials = {
		perscomApi: { apiKey: PERSCOM_TEST_KEY, baseUrl: perscomUrl, requestsPerMinute: '1000' },
		flameupApi: { apiKey: FLAMEUP_TEST_KEY, baseUrl: flameupUrl },
		flashdutyApi: { appKey: FLASHDUTY_TEST_KEY, baseUrl: flashdutyUrl },
	};
});
afterAll(async () => await Promise.all([perscomSim.stop(), flameupSim.stop(), flashdutySim.stop()]));
beforeEach(() => {
	perscomSim.reset();
	perscomSim.rateLimits = [{ limit: 1000, intervalMs: 60_000 }];
	flameupSim.people.clear();
	flameupSim.clearLog();
	flameupSim.resetRateLimits();
	flashdutySim.members.clear();
	flashdutySim.invitedToday.clear();
	flashdutySim.referenced.clear();
	flashdutySim.clearLog();
	flashdutySim.resetRateLimits();
});

const VENDORS = {
	perscom: { name: 'PERSCOM', resource: 'user', credential: 'perscomApi' },
	flameup: { name: 'Flameup', resource: 'person', credential: 'flameupApi' },
	flashduty: { name: 'Flashduty', resource: 'member', credential: 'flashdutyApi' },
} as const;
type Vendor = keyof typeof VENDORS;

function node(vendor: Vendor, parameters: IDataObject, extra: Partial<TestNode> = {}): TestNode {
	const { name, resource, credential } = VENDORS[vendor];
	return { name, type: vendor, credentials: [credential], parameters: { resource, ...parameters }, ...extra };
}

async function nodeType(vendor: Vendor): Promise<INodeType> {
	return (await loadPackage()).getNode(vendor).type as INodeType;
}

/** The fields the node's mapper loads, through the loaded node type (a fixed list: no request). */
async function mapperFields(vendor: Vendor): Promise<ResourceMapperField[]> {
	const load = (await nodeType(vendor)).methods?.resourceMapping?.getWriteFields;
	if (!load) throw new Error(`${vendor} has no resourceMapping.getWriteFields`);
	return (await load.call({} as never)).fields;
}

/** Map Each Field Manually with these values (the schema is what the mapper loaded). */
async function manual(vendor: Vendor, value: IDataObject): Promise<IDataObject> {
	return { mappingMode: 'defineBelow', value, matchingColumns: [], schema: await mapperFields(vendor), attemptToConvertTypes: false, convertFieldsToString: false };
}

const out = (result: RunResult, vendor: Vendor) => (result.output[VENDORS[vendor].name] ?? []).map((item) => item.json);

describe('the Fields parameter and the mapper method', () => {
	test.each(['perscom', 'flameup', 'flashduty'] as const)('%s: Fields on Batch Upsert and Mirror, Map Automatically by default, fields from resourceMapping', async (vendor) => {
		const properties = (await nodeType(vendor)).description.properties;
		// Flameup's Create and Update (version 1.1) have Fields of their own (test/unit/tools.test.ts, test/workflow/flameup.test.ts).
		const columns = (properties.filter((p) => p.name === 'columns') as INodeProperties[]).filter((p) => !p.displayOptions?.show?.['@version']);
		const operations = columns.flatMap((p) => p.displayOptions?.show?.operation ?? []);
		expect(operations.sort()).toEqual(vendor === 'flameup' ? ['batchUpsert'] : ['batchUpsert', 'mirror']);
		for (const p of columns) {
			expect(p).toMatchObject({ displayName: 'Fields', type: 'resourceMapper', default: { mappingMode: 'autoMapInputData', value: null } });
			expect(p.typeOptions?.resourceMapper).toMatchObject({ resourceMapperMethod: 'getWriteFields', mode: 'add', supportAutoMap: true });
		}
		const fields = await mapperFields(vendor);
		expect(fields.every((f) => f.display && !f.defaultMatch && typeof f.type === 'string')).toBe(true);
		expect(new Set(fields.map((f) => f.id)).size).toBe(fields.length);
	});

	test('each vendor offers its own writable fields, with types and required marks', async () => {
		const summary = async (vendor: Vendor) => Object.fromEntries((await mapperFields(vendor)).map((f) => [f.id, `${f.type}${f.required ? '*' : ''}`]));
		expect(await summary('perscom')).toEqual({
			email: 'string*',
			name: 'string',
			firstName: 'string',
			lastName: 'string',
			phone: 'string',
			approved: 'boolean',
			rank_id: 'number',
			unit_id: 'number',
			position_id: 'number',
			specialty_id: 'number',
			status_id: 'number',
			notes: 'string',
			notes_updated_at: 'string',
			email_verified_at: 'string',
			last_seen_at: 'string',
		});
		expect(await summary('flameup')).toEqual({
			externalId: 'string',
			email: 'string',
			firstName: 'string',
			lastName: 'string',
			phone: 'string',
			timezone: 'string',
			locale: 'string',
			avatarUrl: 'string',
			traits: 'object',
		});
		expect(await summary('flashduty')).toEqual({
			externalId: 'string',
			email: 'string',
			name: 'string',
			phone: 'string',
			countryCode: 'string',
			timezone: 'string',
			locale: 'options',
			avatarUrl: 'string',
			roleIds: 'string',
			member_id: 'string',
		});
		const locale = (await mapperFields('flashduty')).find((f) => f.id === 'locale');
		expect(locale?.options?.map((o) => o.value)).toEqual(['en-US', 'zh-CN']);
	});
});

describe('PERSCOM: Map Each Field Manually', () => {
	test('Batch Upsert writes only the mapped values, expressions read from items with other field names', async () => {
		const [existing] = perscomSim.seed([{ name: 'Old Name', email: 'grace@example.com', phone_number: '+15550000001', rank_id: 1 }]);
		const items = [
			{ mail: 'Ada@Example.com', fullName: 'Ada Lovelace', grade: '3', phone_number: '+15559990000', approved: true },
			{ mail: 'grace@example.com', fullName: 'Grace Hopper', grade: 5, notes: 'not mapped' },
		];
		const columns = await manual('perscom', { email: '={{ $json.mail }}', name: '={{ $json.fullName }}', rank_id: '={{ $json.grade }}', approved: false });
		const result = await runWorkflow({ items, nodes: [node('perscom', { operation: 'batchUpsert', columns })], credentials });
		expect(result.error).toBeUndefined();
		expect(out(result, 'perscom').map((o) => o.action)).toEqual(['created', 'updated']);

		const create = perscomSim.requests.find((r) => r.method === 'POST' && r.path === '/v2/users/batch');
		expect(create?.body).toEqual({ resources: [{ email: 'ada@example.com', name: 'Ada Lovelace', rank_id: 3, approved: false }] });
		const update = perscomSim.requests.find((r) => r.method === 'PATCH' && r.path === '/v2/users/batch');
		expect(update?.body).toEqual({ resources: { [existing.id]: { name: 'Grace Hopper', rank_id: 5, approved: false } } });

		expect(perscomSim.byEmail('ada@example.com')).toMatchObject({ name: 'Ada Lovelace', rank_id: 3, approved: false, phone_number: null });
		expect(perscomSim.byEmail('grace@example.com')).toMatchObject({ name: 'Grace Hopper', rank_id: 5, phone_number: '+15550000001', notes: null });
	});

	test('a mapped value that is not a PERSCOM ID is the same input error as in Map Automatically; a required field left empty is n8n\'s error for that item', async () => {
		const columns = await manual('perscom', { email: '={{ $json.mail }}', name: 'Someone', unit_id: '={{ $json.unit }}' });
		const result = await runWorkflow({ items: [{ mail: 'a@example.com', unit: -4 }, { unit: 2 }], nodes: [node('perscom', { operation: 'batchUpsert', columns }, { continueOnFail: true })], credentials });
		expect(out(result, 'perscom')[0].error).toContain('The field "unit_id" is not a PERSCOM ID [item 0]');
		// Email is marked required: n8n checks it when the node reads the item's values.
		expect(out(result, 'perscom')[1].error).toBe("Invalid input for 'email' [item 1]");
		expect(perscomSim.users.size).toBe(0);
	});

	test('Mirror writes the mapped values and removes the managed users the input does not name', async () => {
		perscomSim.seed([
			{ name: 'Keep Me', email: 'keep@example.com' },
			{ name: 'Gone Soon', email: 'gone@example.com' },
		]);
		const items = [{ mail: 'keep@example.com', who: 'Kept Person' }, { mail: 'new@example.com', who: 'New Person' }];
		const columns = await manual('perscom', { email: '={{ $json.mail }}', name: '={{ $json.who }}' });
		const result = await runWorkflow({ items, nodes: [node('perscom', { operation: 'mirror', columns, options: { maxRemovePercent: 100 } })], credentials });
		expect(result.error).toBeUndefined();
		expect(out(result, 'perscom').map((o) => `${o.action} ${o.email}`)).toEqual(['updated keep@example.com', 'created new@example.com', 'deleted gone@example.com']);
		expect([...perscomSim.users.values()].map((u) => `${u.email} ${u.name}`).sort()).toEqual(['keep@example.com Kept Person', 'new@example.com New Person']);
	});
});

describe('Flameup: Map Each Field Manually', () => {
	test('Batch Upsert sends the mapped fields and the Custom Traits object, nothing else from the item', async () => {
		const items = [{ uid: 'u-1', mail: 'Ada@Example.com', given: 'Ada', plan: 'pro', first_name: 'Not Mapped', phone: '+15550000000' }];
		const columns = await manual('flameup', {
			externalId: '={{ $json.uid }}',
			email: '={{ $json.mail }}',
			firstName: '={{ $json.given }}',
			traits: '={{ { plan: $json.plan } }}',
		});
		const result = await runWorkflow({ items, nodes: [node('flameup', { operation: 'batchUpsert', columns })], credentials });
		expect(result.error).toBeUndefined();
		expect(out(result, 'flameup')[0]).toMatchObject({ action: 'created', externalId: 'u-1', email: 'ada@example.com', firstName: 'Ada' });
		const batch = flameupSim.requests.find((r) => r.path === '/people/batch');
		expect(batch?.body).toEqual({ people: [{ userId: 'u-1', email: 'ada@example.com', traits: { plan: 'pro', first_name: 'Ada' } }] });
		const [stored] = [...flameupSim.people.values()];
		expect(stored).toMatchObject({ external_id: 'u-1', email: 'ada@example.com', first_name: 'Ada', attributes: { plan: 'pro' } });
		expect(stored.phone).toBeUndefined();
	});

	test('Custom Traits as JSON text; no external ID or email is the same input error as in Map Automatically', async () => {
		const columns = await manual('flameup', { email: '={{ $json.mail }}', traits: '{"tier": 2}' });
		const result = await runWorkflow({
			items: [{ mail: 'b@example.com' }, { other: 'x' }],
			nodes: [node('flameup', { operation: 'batchUpsert', columns }, { continueOnFail: true })],
			credentials,
		});
		const [first, second] = out(result, 'flameup');
		expect(first).toMatchObject({ action: 'created', email: 'b@example.com' });
		expect(second.error).toContain('This item has neither an externalId nor an email [item 1]');
		expect(flameupSim.requests.find((r) => r.path === '/people/batch')?.body).toEqual({ people: [{ userId: 'b@example.com', email: 'b@example.com', traits: { tier: 2 } }] });
	});
});

describe('Flashduty: Map Each Field Manually', () => {
	test('Batch Upsert invites with the mapped fields only (role IDs from a comma-separated list)', async () => {
		const items = [{ mail: 'Ada@Example.com', who: 'Ada Lovelace', time_zone: 'Asia/Tokyo', ref: 'hr-1' }];
		const columns = await manual('flashduty', { email: '={{ $json.mail }}', name: '={{ $json.who }}', externalId: '={{ $json.ref }}', locale: 'zh-CN', roleIds: '2, 6' });
		const result = await runWorkflow({ items, nodes: [node('flashduty', { operation: 'batchUpsert', columns })], credentials });
		expect(result.error).toBeUndefined();
		expect(out(result, 'flashduty')[0]).toMatchObject({ action: 'created', email: 'ada@example.com', name: 'Ada Lovelace', externalId: 'hr-1' });
		const invites = flashdutySim.calls('/member/invite').map((r) => r.body as IDataObject);
		expect(invites).toEqual([{ members: [{ member_name: 'Ada Lovelace', email: 'ada@example.com', role_ids: [2, 6], locale: 'zh-CN', ref_id: 'hr-1' }] }]);
		expect(flashdutySim.byEmail('ada@example.com')).toMatchObject({ member_name: 'Ada Lovelace', ref_id: 'hr-1', locale: 'zh-CN', account_role_ids: [2, 6] });
		expect(flashdutySim.byEmail('ada@example.com')?.time_zone).not.toBe('Asia/Tokyo');
	});

	test('Mirror reads the mapped values: the member the mapped external ID names is kept', async () => {
		flashdutySim.seed([
			{ member_name: 'Kept Member', email: 'kept@example.com', ref_id: 'hr-1' },
			{ member_name: 'Gone Member', email: 'gone@example.com', ref_id: 'hr-2' },
		]);
		const columns = await manual('flashduty', { externalId: '={{ $json.ref }}', name: '={{ $json.who }}' });
		const result = await runWorkflow({
			items: [{ ref: 'hr-1', who: 'Kept Renamed', ref_id: 'hr-2' }],
			nodes: [node('flashduty', { operation: 'mirror', managedPrefix: 'hr-', columns, options: { maxRemovePercent: 100 } })],
			credentials,
		});
		expect(result.error).toBeUndefined();
		expect(out(result, 'flashduty').map((o) => `${o.action} ${o.email}`)).toEqual(['updated kept@example.com', 'deleted gone@example.com']);
		expect(flashdutySim.byRef('hr-1')?.member_name).toBe('Kept Renamed');
		expect(flashdutySim.byRef('hr-2')).toBeUndefined();
	});
});

describe('Map Automatically: unchanged, with or without the Fields parameter', () => {
	const cases: Array<{ vendor: Vendor; items: IDataObject[]; reset: () => void; sent: () => unknown }> = [
		{
			vendor: 'perscom',
			items: [{ email: 'ada@example.com', name: 'Ada Lovelace', phone: '+15550000000', rank_id: 2, approved: true }],
			reset: () => perscomSim.reset(),
			sent: () => perscomSim.requests.filter((r) => r.path === '/v2/users/batch').map((r) => r.body),
		},
		{
			vendor: 'flameup',
			items: [{ userId: 'u-1', email: 'ada@example.com', first_name: 'Ada', traits: { plan: 'pro' } }],
			reset: () => {
				flameupSim.people.clear();
				flameupSim.clearLog();
			},
			sent: () => flameupSim.requests.filter((r) => r.path === '/people/batch').map((r) => r.body),
		},
		{
			vendor: 'flashduty',
			items: [{ ref_id: 'hr-1', email: 'ada@example.com', member_name: 'Ada Lovelace', time_zone: 'Asia/Tokyo', roleIds: [2] }],
			reset: () => {
				flashdutySim.members.clear();
				flashdutySim.invitedToday.clear();
				flashdutySim.clearLog();
			},
			sent: () => flashdutySim.calls('/member/invite').map((r) => r.body),
		},
	];

	test.each(cases)('$vendor: the whole item is mapped (unified and vendor names)', async ({ vendor, items, reset, sent }) => {
		const runs: Array<{ actions: unknown[]; sent: unknown }> = [];
		for (const columns of [undefined, { mappingMode: 'autoMapInputData', value: null }]) {
			reset();
			clearProcessedData(); // what the first run wrote is not "unchanged since the last run" for the second
			const result = await runWorkflow({ items, nodes: [node(vendor, { operation: 'batchUpsert', ...(columns ? { columns } : {}) })], credentials });
			expect(result.error).toBeUndefined();
			runs.push({ actions: out(result, vendor).map((o) => o.action), sent: sent() });
		}
		expect(runs[0].actions).toEqual(['created']);
		expect(runs[1]).toEqual(runs[0]);
		expect(runs[0].sent).toEqual(
			{
				perscom: [{ resources: [{ email: 'ada@example.com', name: 'Ada Lovelace', phone_number: '+15550000000', rank_id: 2, approved: true }] }],
				flameup: [{ people: [{ userId: 'u-1', email: 'ada@example.com', traits: { plan: 'pro', first_name: 'Ada' } }] }],
				flashduty: [{ members: [{ member_name: 'Ada Lovelace', email: 'ada@example.com', role_ids: [2], time_zone: 'Asia/Tokyo', ref_id: 'hr-1' }] }],
			}[vendor],
		);
	});
});
