import type { IDataObject } from 'n8n-workflow';

import { samplePeople } from '../../simulators/core/people';
import { FLXPOINT_FIRST_ID, FLXPOINT_TEST_TOKEN, FlxpointSimulator } from '../../simulators/flxpoint';
import { runWorkflow, type RunResult, type TestNode } from '../workflow/harness';
import { answer, EMPTY, expectAccounted, expectGetAccounted, expectListExact, expectNoSecret, HTML, NOT_IMPLEMENTED, TRUNCATED, when } from './accounting';

/**
 * Flxpoint reads under faults (see reads.test.ts). The node holds the documented 2 requests/second,
 * so these runs stay small: the list (one request), and reads by key in chunks of 50.
 */
const sim = new FlxpointSimulator();
let credentials: Record<string, Record<string, string>>;

beforeAll(async () => {
	credentials = { flxpointApi: { apiToken: FLXPOINT_TEST_TOKEN, baseUrl: await sim.start() } };
});
afterAll(async () => await sim.stop());
beforeEach(() => {
	sim.users.clear();
	sim.clearLog();
	sim.clearFaults();
	sim.seedSample(samplePeople(0, 60));
});

async function run(parameters: IDataObject, items: IDataObject[] = [{}]): Promise<RunResult> {
	const node: TestNode = { name: 'Flxpoint', type: 'flxpoint', credentials: ['flxpointApi'], parameters: { resource: 'user', ...parameters }, continueOnFail: true };
	const result = await runWorkflow({ items, nodes: [node], credentials });
	expectNoSecret(result, FLXPOINT_TEST_TOKEN);
	return result;
}

const id = (n: number) => String(FLXPOINT_FIRST_ID + n);
const withKey = (field: 'ids' | 'emails', value: string) => when((req) => (req.query.get(field) ?? '').split(',').includes(value));

describe('Flxpoint Get Many under faults', () => {
	const all = Array.from({ length: 60 }, (_, n) => id(n));

	test.each([
		['an HTML page', HTML],
		['cut JSON', TRUNCATED],
		['an empty body', EMPTY],
		['an object instead of the list', answer({ data: [] })],
		['users without IDs', answer([{ firstName: 'No', lastName: 'Body', email: 'nobody@example.com' }])],
	])('%s is read again: every user once', async (_name, fault) => {
		sim.failNext(1, fault);
		const result = await run({ operation: 'getAll', returnAll: true });
		expectListExact(result.output.Flxpoint, all);
		expect(sim.requests).toHaveLength(2);
	});

	test('an answer that lists a user twice outputs it once', async () => {
		const users = [...sim.users.values()];
		sim.failNext(1, answer([...users, users[3]]));
		expectListExact((await run({ operation: 'getAll', returnAll: true })).output.Flxpoint, all);
	});
});

describe('Flxpoint Get and Batch Get under faults', () => {
	test('Get on 54 items: a key Flxpoint refuses (400) is split out of its chunk; the 53 others are found', async () => {
		const refused = id(52);
		sim.failNext(5, { status: 400, body: { status: 400, error: 'Bad Request', message: `ids: ${refused} is out of range` } }, withKey('ids', refused));
		const items = Array.from({ length: 54 }, (_, n) => ({ key: id(n) }));
		const result = await run({ operation: 'get', id: '={{ $json.key }}' }, items);
		expectGetAccounted(result.output.Flxpoint, items.map((item) => (item.key === refused ? 'error' : { found: item.key })));
		expect(result.output.Flxpoint[52].json).toMatchObject({ id: refused, notFound: false, httpCode: 400 });
		// 50, then 4 → 2 + 2 → 1 + 1.
		expect(sim.requests.map((r) => String(r.query.ids).split(',').length)).toEqual([50, 4, 2, 2, 1, 1]);
	});

	test('Batch Get: a failed chunk (501) fails its own keys only; a malformed answer for another is read again', async () => {
		sim.failNext(1, NOT_IMPLEMENTED, withKey('emails', 'ada.lovelace@example.com'));
		sim.failNext(1, HTML, withKey('ids', id(5)));
		const result = await run({ operation: 'batchGet', ids: `${id(5)}, ${id(6)}, 777777, ada.lovelace@example.com, ghost@example.com` });
		expectAccounted(result.output.Flxpoint, [{ [id(5)]: 'found', [id(6)]: 'found', '777777': 'notFound', 'ada.lovelace@example.com': 'error', 'ghost@example.com': 'error' }]);
	});

	test('a 404 (a wrong Base URL path) fails every item, none reported not found, the later chunks unsent', async () => {
		sim.failNext(1, { status: 404, body: { status: 404, error: 'Not Found', message: 'No route' } });
		const items = Array.from({ length: 52 }, (_, n) => ({ key: id(n) }));
		const result = await run({ operation: 'get', id: '={{ $json.key }}' }, items);
		expectGetAccounted(result.output.Flxpoint, items.map(() => 'error'));
		expect(result.output.Flxpoint.every((o) => o.json.notFound === false && o.json.httpCode === 404)).toBe(true);
		expect(sim.requests).toHaveLength(1);
	});

	test('Get: an answer holding other users than asked for never stands in for the key', async () => {
		sim.failNext(1, answer([{ id: 5, firstName: 'Other', lastName: 'User', email: 'other@example.com' }]), withKey('ids', id(1)));
		const result = await run({ operation: 'get', id: '={{ $json.key }}' }, [{ key: id(1) }]);
		// The answer is a list of users: the asked ID is not among them, so it is not found (the key was asked, the answer says no).
		expectGetAccounted(result.output.Flxpoint, ['notFound']);
	});

	test('bad input: a list or a boolean where the ID belongs is an input error for its item; a long value is cut', async () => {
		const result = await run({ operation: 'get', id: '={{ $json.key }}' }, [{ key: [1, 2] }, { key: true }, { key: 'y'.repeat(3000) }, { key: id(0) }]);
		const out = result.output.Flxpoint;
		expectGetAccounted(out, ['error', 'error', 'notFound', { found: id(0) }]);
		expect(out[0].json.error).toBe('The user ID or email must be text or a number, not a list ([1,2]) [item 0]');
		expect(String(out[2].json.error).length).toBeLessThanOrEqual(200);
	});
});
