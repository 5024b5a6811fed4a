import { samplePeople } from '../simulators/core/people';
import { FLAMEUP_TEST_KEY, FlameupSimulator } from '../simulators/flameup';
import { runWorkflow, type TestNode } from './harness';

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

describe('Flameup node in the n8n engine', () => {
	test('Get Many, Return All over 250 people: exactly 3 requests, 250 items', async () => {
		sim.seedSample(samplePeople(0, 250));
		const result = await runWorkflow({ items: [{}], nodes: [flameup({ operation: 'getAll', returnAll: true })], credentials });
		expect(result.error).toBeUndefined();
		expect(result.output.Flameup).toHaveLength(250);
		expect(sim.requests.map((r) => [r.method, r.path, r.query.offset, r.query.limit])).toEqual([
			['GET', '/people', '0', '100'],
			['GET', '/people', '100', '100'],
			['GET', '/people', '200', '100'],
		]);
		const first = result.output.Flameup[0];
		expect(first.json).toMatchObject({ source: 'flameup', externalId: 'ext-0', email: 'ada.lovelace@example.com', firstName: 'Ada', lastName: 'Lovelace' });
		expect(first.pairedItem).toEqual({ item: 0 });
	});
});
