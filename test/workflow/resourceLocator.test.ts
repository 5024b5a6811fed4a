import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult, INodeType } from 'n8n-workflow';

import { samplePeople } from '../../simulators/core/people';
import { FLAMEUP_TEST_KEY, FlameupSimulator } from '../../simulators/flameup';
import { FLASHDUTY_TEST_KEY, FlashdutySimulator } from '../../simulators/flashduty';
import { FLXPOINT_TEST_TOKEN, FlxpointSimulator } from '../../simulators/flxpoint';
import { PERSCOM_TEST_KEY, PerscomSimulator } from '../../simulators/perscom';
import { editorContext, loadPackage, runWorkflow, type RunResult, type TestNode } from './harness';

/**
 * Get and Delete take the record through n8n's resource locator (From List, By ID, By Email...).
 * Workflows saved before keep `id` as plain text (an ID, an email, or an expression): n8n hands
 * that to the node unchanged, and the node reads it as it always did. The From List searches run
 * in n8n-core's own LoadOptionsContext against the simulators.
 */

const perscomSim = new PerscomSimulator();
const flameupSim = new FlameupSimulator();
const flashdutySim = new FlashdutySimulator();
const flxpointSim = new FlxpointSimulator();
let credentials: Record<string, Record<string, string>>;

beforeAll(async () => {
	const [perscomUrl, flameupUrl, flashdutyUrl, flxpointUrl] = await Promise.all([perscomSim.start(), flameupSim.start(), flashdutySim.start(), flxpointSim.start()]);
	credentials = {
		perscomApi: { apiKey: PERSCOM_TEST_KEY, baseUrl: perscomUrl, requestsPerMinute: '1000' },
		flameupApi: { apiKey: FLAMEUP_TEST_KEY, baseUrl: flameupUrl },
		flashdutyApi: { appKey: FLASHDUTY_TEST_KEY, baseUrl: flashdutyUrl },
		flxpointApi: { apiToken: FLXPOINT_TEST_TOKEN, baseUrl: flxpointUrl },
	};
});
afterAll(async () => await Promise.all([perscomSim.stop(), flameupSim.stop(), flashdutySim.stop(), flxpointSim.stop()]));
beforeEach(() => {
	perscomSim.reset();
	perscomSim.rateLimits = [{ limit: 1000, intervalMs: 60_000 }];
	flameupSim.people.clear();
	flameupSim.clearLog();
	flashdutySim.members.clear();
	flashdutySim.clearLog();
	flxpointSim.users.clear();
	flxpointSim.clearLog();
	for (const sim of [perscomSim, flameupSim, flashdutySim, flxpointSim]) sim.clearFaults();
});

const VENDORS = {
	perscom: { name: 'PERSCOM', resource: 'user', credential: 'perscomApi', search: 'searchUsers' },
	flameup: { name: 'Flameup', resource: 'person', credential: 'flameupApi', search: 'searchPeople' },
	flashduty: { name: 'Flashduty', resource: 'member', credential: 'flashdutyApi', search: 'searchMembers' },
	flxpoint: { name: 'Flxpoint', resource: 'user', credential: 'flxpointApi', search: 'searchUsers' },
} as const;
type Vendor = keyof typeof VENDORS;

function node(vendor: Vendor, parameters: IDataObject, extra: Partial<TestNode> = {}): TestNode {
	const { name, resource, credential } = VENDORS[vendor];
	return { name, type: vendor, credentials: [credential], parameters: { resource, ...parameters }, ...extra };
}

const out = (result: RunResult, vendor: Vendor) => (result.output[VENDORS[vendor].name] ?? []).map((item) => item.json);
const rl = (mode: string, value: string) => ({ __rl: true, mode, value });

/** Seeds two records and gives, for the second, the key Get reads it by (ID, or Flameup's external ID) and its email. */
function seedTwo(vendor: Vendor): { key: string; email: string } {
	const people = samplePeople(0, 2);
	const email = people[1].email;
	if (vendor === 'perscom') return { key: String(perscomSim.seedSample(people)[1].id), email };
	if (vendor === 'flameup') return { key: flameupSim.seedSample(people)[1].external_id as string, email };
	if (vendor === 'flashduty') return { key: String(flashdutySim.seedSample(people)[1].member_id), email };
	return { key: String(flxpointSim.seedSample(people)[1].id), email };
}

/** The field of the unified output Get is compared on: the key it was read by. */
const keyField = (vendor: Vendor) => (vendor === 'flameup' ? 'externalId' : 'id');

describe.each(Object.keys(VENDORS) as Vendor[])('%s Get: the old plain value and the resource locator read the same record', (vendor) => {
	test('plain ID, plain expression, From List, By ID (literal and expression), By Email; emails as plain text too', async () => {
		const { key, email } = seedTwo(vendor);
		const forms: Array<[string, string | IDataObject, IDataObject]> = [
			['plain ID (saved before)', key, {}],
			['plain expression (saved before)', '={{ $json.key }}', { key }],
			['plain email expression (saved before)', '={{ $json.email }}', { email: email.toUpperCase() }],
			['From List', rl('list', key), {}],
			['By ID', rl('id', key), {}],
			['By ID, an expression', rl('id', '={{ $json.key }}'), { key }],
			['By Email', rl('email', email), {}],
			['By Email, an expression', rl('email', '={{ $json.email }}'), { email }],
		];
		for (const [form, id, item] of forms) {
			const result = await runWorkflow({ items: [item], nodes: [node(vendor, { operation: 'get', id })], credentials });
			expect({ form, error: result.error?.message }).toEqual({ form, error: undefined });
			expect(out(result, vendor)).toEqual([expect.objectContaining({ [keyField(vendor)]: key, email })]);
		}
	});

	test('By Email with no email in it is an input error for that item; a literal By ID of the wrong shape stops the workflow before it runs', async () => {
		const { key } = seedTwo(vendor);
		const result = await runWorkflow({
			items: [{ key }, { key: 'not-an-email' }],
			nodes: [node(vendor, { operation: 'get', id: rl('email', '={{ $json.key }}') }, { continueOnFail: true })],
			credentials,
		});
		expect(result.error).toBeUndefined();
		const [first, second] = out(result, vendor);
		expect(first.error).toMatch(/is not an email address/);
		expect(second.error).toMatch(/"not-an-email" is not an email address/);
		if (vendor === 'flameup') return; // Flameup's external IDs have no fixed shape.
		// n8n checks the By ID pattern before anything runs (WorkflowHasIssuesError), as the editor flags it.
		await expect(runWorkflow({ items: [{}], nodes: [node(vendor, { operation: 'get', id: rl('id', 'abc') })], credentials })).rejects.toThrow(/whole numbers/);
	});
});

describe('Delete: the old plain value and the resource locator', () => {
	test('PERSCOM: plain ID, plain expression, From List, By ID (expression) each delete their user', async () => {
		const users = perscomSim.seedSample(samplePeople(0, 4));
		const forms: Array<[string | IDataObject, IDataObject]> = [
			[String(users[0].id), {}],
			['={{ $json.id }}', { id: users[1].id }],
			[rl('list', String(users[2].id)), {}],
			[rl('id', '={{ $json.id }}'), { id: users[3].id }],
		];
		for (const [id, item] of forms) {
			const result = await runWorkflow({ items: [item], nodes: [node('perscom', { operation: 'delete', id })], credentials });
			expect(result.error).toBeUndefined();
			expect(out(result, 'perscom')).toEqual([{ deleted: true, id: expect.any(String) }]);
		}
		expect(perscomSim.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual(users.map((u) => `/v2/users/${u.id}`));
	});

	test('Flashduty: plain values with Match By as before; the mode, when given, says what the value is', async () => {
		const m = flashdutySim.seedSample(samplePeople(0, 8));
		const forms: Array<[string | IDataObject, IDataObject, IDataObject]> = [
			[String(m[0].member_id), {}, { member_id: m[0].member_id }],
			['={{ $json.k }}', { k: m[1].email.toUpperCase() }, { email: m[1].email }],
			[m[2].ref_id, { matchBy: 'refId' }, { ref_id: m[2].ref_id }],
			// From List is a member ID, By Email an email, By External ID a ref_id, whatever Match By says.
			[rl('list', String(m[3].member_id)), { matchBy: 'refId' }, { member_id: m[3].member_id }],
			[rl('email', m[4].email), { matchBy: 'memberId' }, { email: m[4].email }],
			[rl('refId', m[5].ref_id), {}, { ref_id: m[5].ref_id }],
			[rl('id', '={{ $json.k }}'), { k: String(m[6].member_id) }, { member_id: m[6].member_id }],
			[rl('id', m[7].ref_id), { matchBy: 'refId' }, undefined as unknown as IDataObject],
		];
		for (const [index, [id, extra, body]] of forms.entries()) {
			const { matchBy, ...item } = extra;
			const parameters: IDataObject = { operation: 'delete', id, ...(matchBy ? { matchBy } : {}) };
			if (body === undefined) {
				// A literal By ID that is not a member ID is flagged by n8n itself: use By External ID.
				await expect(runWorkflow({ items: [item], nodes: [node('flashduty', parameters)], credentials })).rejects.toThrow(/whole numbers/);
				continue;
			}
			const result = await runWorkflow({ items: [item], nodes: [node('flashduty', parameters)], credentials });
			expect({ index, error: result.error?.message }).toEqual({ index, error: undefined });
			expect(out(result, 'flashduty')).toEqual([expect.objectContaining({ deleted: true })]);
			expect(flashdutySim.calls('/member/delete').at(-1)?.body).toEqual(body);
		}
		expect(flashdutySim.members.size).toBe(1);
	});
});

async function search(vendor: Vendor, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const type = (await loadPackage()).getNode(vendor).type as INodeType;
	const method = type.methods?.listSearch?.[VENDORS[vendor].search];
	if (!method) throw new Error(`${vendor} has no listSearch.${VENDORS[vendor].search}`);
	const ctx: ILoadOptionsFunctions = await editorContext({ node: node(vendor, { operation: 'get', id: rl('list', '') }), credentials });
	return await method.call(ctx, filter, paginationToken);
}

describe.each(Object.keys(VENDORS) as Vendor[])('%s From List (methods.listSearch in n8n\'s load-options context)', (vendor) => {
	test('"<name> (<email>)" with the key Get reads; the filter text narrows the list', async () => {
		const { key, email } = seedTwo(vendor);
		const all = await search(vendor);
		expect(all.results).toHaveLength(2);
		expect(all.results).toContainEqual({ name: `${samplePeople(1, 1)[0].name} (${email})`, value: key });
		expect(all.paginationToken).toBeUndefined();
		const found = await search(vendor, ` ${samplePeople(1, 1)[0].name.split(' ')[0].toLowerCase()} `);
		expect(found.results).toEqual([expect.objectContaining({ value: key })]);
		expect((await search(vendor, 'nobody-by-this-name')).results).toEqual([]);
	});

	test('a malformed answer is an error, not an empty list', async () => {
		seedTwo(vendor);
		const sim = { perscom: perscomSim, flameup: flameupSim, flashduty: flashdutySim, flxpoint: flxpointSim }[vendor];
		sim.failNext(20, { status: 200, body: { unexpected: true } });
		await expect(search(vendor)).rejects.toThrow(/answered with something that is not/);
	}, 60_000);
});

describe('From List pages through long lists', () => {
	test.each(['perscom', 'flameup', 'flashduty'] as const)('%s: 250 records in pages of 100, the token names the next page', async (vendor) => {
		const people = samplePeople(0, 250);
		if (vendor === 'perscom') perscomSim.seedSample(people);
		if (vendor === 'flameup') flameupSim.seedSample(people);
		if (vendor === 'flashduty') flashdutySim.seedSample(people);
		const values: unknown[] = [];
		let token: string | undefined;
		let pages = 0;
		do {
			const page = await search(vendor, undefined, token);
			values.push(...page.results.map((r) => r.value));
			token = page.paginationToken as string | undefined;
			pages++;
		} while (token !== undefined && pages < 10);
		expect(pages).toBe(3);
		expect(new Set(values).size).toBe(250);
	});
});

describe('PERSCOM From List on a server without POST /users/search', () => {
	const bare = new PerscomSimulator({ searchRoute: false });
	let bareCredentials: Record<string, Record<string, string>>;
	beforeAll(async () => {
		bareCredentials = { perscomApi: { apiKey: PERSCOM_TEST_KEY, baseUrl: await bare.start(), requestsPerMinute: '1000' } };
	});
	afterAll(async () => await bare.stop());

	test('the filter text is matched on the plain list page instead (name or email)', async () => {
		bare.seedSample(samplePeople(0, 3));
		const method = ((await loadPackage()).getNode('perscom').type as INodeType).methods?.listSearch?.searchUsers;
		const ctx = await editorContext({ node: node('perscom', { operation: 'get', id: rl('list', '') }), credentials: bareCredentials });
		const found = await method?.call(ctx, 'GRACE');
		expect(found?.results).toEqual([expect.objectContaining({ name: expect.stringMatching(/^Grace /), value: '2' })]);
		expect(bare.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v2/users/search', 'GET /v2/users']);
	});
});
