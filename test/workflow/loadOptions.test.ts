import type { INodePropertyOptions } from 'n8n-workflow';

import { samplePeople } from '../../simulators/core/people';
import { FLASHDUTY_TEST_KEY, FlashdutySimulator, sampleRoles } from '../../simulators/flashduty';
import { PERSCOM_TEST_KEY, PerscomSimulator, ROSTER_LISTS } from '../../simulators/perscom';
import { runWorkflow } from './harness';
import { loadOptions, resourceMapping } from './loadOptionsHarness';

/**
 * The dropdowns of the filters and fields that name another record (PERSCOM rank, unit, position,
 * specialty, roster status; Flashduty role): loaded from the API through the credential, every
 * page, sorted by name, "Any" (0) first for a filter; a malformed answer is an error, never an
 * empty list; and the numeric values saved in workflows (or given by expressions) still filter.
 */

const perscomSim = new PerscomSimulator();
const flashdutySim = new FlashdutySimulator();
let perscomUrl: string;
let flashdutyUrl: string;

const perscomCredentials = (extra: Record<string, string> = {}) => ({ perscomApi: { apiKey: PERSCOM_TEST_KEY, baseUrl: perscomUrl, requestsPerMinute: '1000', ...extra } });
const flashdutyCredentials = () => ({ flashdutyApi: { appKey: FLASHDUTY_TEST_KEY, baseUrl: flashdutyUrl } });

beforeAll(async () => {
	[perscomUrl, flashdutyUrl] = await Promise.all([perscomSim.start(), flashdutySim.start()]);
});
afterAll(async () => await Promise.all([perscomSim.stop(), flashdutySim.stop()]));
beforeEach(() => {
	perscomSim.reset();
	perscomSim.rateLimits = [{ limit: 1000, intervalMs: 60_000 }];
	flashdutySim.members.clear();
	flashdutySim.clearLog();
	flashdutySim.clearFaults();
	flashdutySim.resetRateLimits();
	flashdutySim.roles = sampleRoles();
});

const ANY = { name: 'Any (No Filter)', value: 0 };
const names = (options: INodePropertyOptions[]) => options.map((o) => o.name);

const perscomOptions = async (method: string, type = 'perscom') =>
	await loadOptions({ type, method, credentials: perscomCredentials(), parameters: { resource: 'user', operation: 'getAll' }, path: 'filters' });

describe('PERSCOM roster dropdowns', () => {
	test.each([
		['getRanks', '/v2/ranks', ['Captain', 'Corporal', 'Lieutenant', 'Private', 'Sergeant']],
		['getUnits', '/v2/units', ['Alpha Company', 'Bravo Company', 'Charlie Company', 'Delta Company', 'Echo Company', 'Headquarters', 'Reserve', 'Support Platoon']],
		['getPositions', '/v2/positions', ['Commanding Officer', 'Medic', 'Radio Operator', 'Rifleman', 'Squad Leader']],
		['getSpecialties', '/v2/specialties', ['Combat Medic', 'Infantry', 'Signal Support']],
		['getStatuses', '/v2/statuses', ['Active Duty', 'Discharged', 'Leave of Absence']],
	])('%s: GET %s through the credential, sorted by name, numeric IDs, "Any" (0) first', async (method, path, sorted) => {
		const options = await perscomOptions(method);
		expect(options[0]).toEqual(ANY);
		expect(names(options.slice(1))).toEqual(sorted);
		expect(options.slice(1).every((o) => typeof o.value === 'number' && o.value > 0)).toBe(true);
		expect(perscomSim.requests.map((r) => [r.method, r.path, r.query.page, r.query.limit])).toEqual([['GET', path, '1', '100']]);
	});

	test('the trigger offers the same dropdowns; values are the record IDs', async () => {
		const options = await perscomOptions('getRanks', 'perscomTrigger');
		expect(options).toEqual([ANY, { name: 'Captain', value: 5 }, { name: 'Corporal', value: 2 }, { name: 'Lieutenant', value: 4 }, { name: 'Private', value: 1 }, { name: 'Sergeant', value: 3 }]);
	});

	test('every page is read: 250 units are 3 pages of 100, each unit once', async () => {
		perscomSim.roster.units = Array.from({ length: 250 }, (_, i) => ({ id: 1000 - i, name: `Unit ${String(i).padStart(3, '0')}`, order: i }));
		const options = await perscomOptions('getUnits');
		expect(options).toHaveLength(251);
		expect(options[1]).toEqual({ name: 'Unit 000', value: 1000 });
		expect(options[250]).toEqual({ name: 'Unit 249', value: 751 });
		expect(perscomSim.requests.map((r) => r.query.page)).toEqual(['1', '2', '3']);
	});

	test('a malformed answer is an error naming the list, never an empty list', async () => {
		perscomSim.failNext(10, { status: 200, body: { data: [{ id: 1 }], meta: {} } }, (r) => r.path === '/v2/statuses');
		await expect(perscomOptions('getStatuses')).rejects.toThrow(/roster statuses/);
	});

	test('a refused key is an error (not an empty list) and says so', async () => {
		const call = loadOptions({ type: 'perscom', method: 'getRanks', credentials: perscomCredentials({ apiKey: 'wrong' }) });
		await expect(call).rejects.toThrow(/401|authenticat/i);
	});

	test('Map Each Field Manually: the ID fields are dropdowns of the records; without the API they stay numbers', async () => {
		const { fields } = await resourceMapping({ type: 'perscom', method: 'getWriteFields', credentials: perscomCredentials(), parameters: { resource: 'user', operation: 'batchUpsert' } });
		const rank = fields.find((f) => f.id === 'rank_id');
		expect(rank).toMatchObject({ type: 'options', options: [{ name: 'Captain', value: 5 }, { name: 'Corporal', value: 2 }, { name: 'Lieutenant', value: 4 }, { name: 'Private', value: 1 }, { name: 'Sergeant', value: 3 }] });
		for (const id of ['unit_id', 'position_id', 'specialty_id', 'status_id']) expect(fields.find((f) => f.id === id)?.type).toBe('options');
		expect(fields.find((f) => f.id === 'email')?.type).toBe('string');
		expect(new Set(perscomSim.requests.map((r) => r.path))).toEqual(new Set(ROSTER_LISTS.map((list) => `/v2/${list}`)));

		const offline = await resourceMapping({ type: 'perscom', method: 'getWriteFields', credentials: perscomCredentials({ apiKey: 'wrong' }), parameters: { resource: 'user', operation: 'batchUpsert' } });
		expect(offline.fields.find((f) => f.id === 'rank_id')?.type).toBe('number');
		expect(offline.fields.map((f) => f.id)).toEqual(fields.map((f) => f.id));
	});

	test('a mapped choice (a number) is written as the ID', async () => {
		const { fields } = await resourceMapping({ type: 'perscom', method: 'getWriteFields', credentials: perscomCredentials(), parameters: {} });
		const columns = { mappingMode: 'defineBelow', value: { email: 'new@example.com', name: 'New Person', rank_id: 4, unit_id: '={{ 2 }}' }, matchingColumns: [], schema: fields, attemptToConvertTypes: false, convertFieldsToString: false };
		const result = await runWorkflow({
			items: [{}],
			nodes: [{ name: 'PERSCOM', type: 'perscom', credentials: ['perscomApi'], parameters: { resource: 'user', operation: 'batchUpsert', columns } }],
			credentials: perscomCredentials(),
		});
		expect(result.error).toBeUndefined();
		expect(perscomSim.byEmail('new@example.com')).toMatchObject({ rank_id: 4, unit_id: 2 });
	});

	test('Get Many with saved numeric filters (and an expression) filters by ID; 0 is any', async () => {
		perscomSim.seedSample(samplePeople(0, 40), true);
		const run = async (filters: Record<string, unknown>) => {
			perscomSim.clearLog();
			const result = await runWorkflow({
				items: [{ rank: '2' }],
				nodes: [{ name: 'PERSCOM', type: 'perscom', credentials: ['perscomApi'], parameters: { resource: 'user', operation: 'getAll', returnAll: true, filters, simplify: false } }],
				credentials: perscomCredentials(),
			});
			expect(result.error).toBeUndefined();
			return { users: result.output.PERSCOM.map((i) => i.json), requests: perscomSim.requests };
		};
		const saved = await run({ unitId: 3, statusId: 0 });
		expect(saved.requests.map((r) => [r.method, r.path])).toEqual([['POST', '/v2/users/search']]);
		expect(saved.requests[0].body).toEqual({ filters: [{ field: 'unit_id', operator: '=', value: 3 }] });
		expect(saved.users.length).toBe(5);
		expect(saved.users.every((u) => u.unit_id === 3)).toBe(true);

		const expression = await run({ rankId: '={{ $json.rank }}' });
		expect(expression.requests[0].body).toEqual({ filters: [{ field: 'rank_id', operator: '=', value: 2 }] });
		expect(expression.users.length).toBe(8);

		const any = await run({ rankId: 0, unitId: 0 });
		expect(any.requests.map((r) => [r.method, r.path])).toEqual([['GET', '/v2/users']]);
		expect(any.users).toHaveLength(40);
	});

	test('a filter value that is no ID fails the item instead of being dropped', async () => {
		perscomSim.seedSample(samplePeople(0, 3));
		const result = await runWorkflow({
			items: [{}],
			nodes: [{ name: 'PERSCOM', type: 'perscom', credentials: ['perscomApi'], parameters: { resource: 'user', operation: 'getAll', returnAll: true, filters: { rankId: 'captain' } } }],
			credentials: perscomCredentials(),
		});
		expect(result.error?.message).toMatch(/"captain" is not a PERSCOM rank ID/);
		expect(perscomSim.requests).toHaveLength(0);
	});
});

describe('Flashduty role dropdown', () => {
	const roles = async (type = 'flashduty') => await loadOptions({ type, method: 'getRoles', credentials: flashdutyCredentials(), parameters: { resource: 'member', operation: 'getAll' }, path: 'filters' });

	test('POST /role/list through the credential (app_key), one request, sorted by name, "Any" (0) first', async () => {
		expect(await roles()).toEqual([ANY, { name: 'Admin', value: 2 }, { name: 'On-call Lead', value: 1_201_234 }, { name: 'Responder', value: 6 }, { name: 'Viewer', value: 8 }]);
		expect(flashdutySim.requests.map((r) => [r.method, r.path, r.query.app_key === FLASHDUTY_TEST_KEY, r.body])).toEqual([['POST', '/role/list', true, { asc: false }]]);
		expect(await roles('flashdutyTrigger')).toHaveLength(5);
	});

	test('a disabled role says so; an answer missing roles its total counts is an error', async () => {
		const saved = flashdutySim.roles;
		flashdutySim.roles = saved.map((r) => (r.role_id === 1_201_234 ? { ...r, status: 'disabled' } : r));
		expect(names(await roles())).toContain('On-call Lead (disabled)');
		flashdutySim.failNext(1, { status: 200, body: { request_id: 'x', data: { items: [saved[0]], total: 4 } } }, (r) => r.path === '/role/list');
		await expect(roles()).rejects.toThrow(/incomplete list .* 1 roles came, the answer says there are 4/);
	});

	test('a malformed answer is an error, never an empty list', async () => {
		flashdutySim.failNext(10, { status: 200, body: { request_id: 'x', data: { items: null } } }, (r) => r.path === '/role/list');
		await expect(roles()).rejects.toThrow(/the list of roles/);
	});

	test('Get Many with a saved role (a number) filters by it; 0 is any', async () => {
		const members = flashdutySim.seedSample(samplePeople(0, 6));
		for (const m of members.slice(0, 2)) m.account_role_ids = [6];
		const run = async (roleId: unknown) => {
			flashdutySim.clearLog();
			const result = await runWorkflow({
				items: [{}],
				nodes: [{ name: 'Flashduty', type: 'flashduty', credentials: ['flashdutyApi'], parameters: { resource: 'member', operation: 'getAll', returnAll: true, filters: { roleId } } }],
				credentials: flashdutyCredentials(),
			});
			expect(result.error).toBeUndefined();
			return { count: result.output.Flashduty.length, body: flashdutySim.requests[0].body as Record<string, unknown> };
		};
		expect(await run(6)).toMatchObject({ count: 2, body: { role_id: 6 } });
		expect(await run('={{ "8" }}')).toMatchObject({ count: 4, body: { role_id: 8 } });
		const any = await run(0);
		expect(any.count).toBe(6);
		expect(any.body.role_id).toBeUndefined();
	});
});
