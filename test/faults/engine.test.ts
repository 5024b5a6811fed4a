/**
 * The engine's fault model, end to end in n8n's engine: time limits (a silent or trickling server),
 * redirects, and the edge values of rate-limit headers. Vendor-specific answer checks and writes are
 * covered in reads*.test.ts and writes*.test.ts beside this file.
 */
import { samplePeople } from '../../simulators/core/people';
import { FLAMEUP_TEST_KEY, FlameupSimulator } from '../../simulators/flameup';
import { FLASHDUTY_TEST_KEY, FlashdutySimulator } from '../../simulators/flashduty';
import { everythingSaid, runWorkflow, type TestNode } from '../workflow/harness';

const flameup = new FlameupSimulator();
/** Another origin, standing for wherever a hostile or misconfigured redirect points. */
const elsewhere = new FlameupSimulator();
const flashduty = new FlashdutySimulator();
let credentials: Record<string, Record<string, string>>;

beforeAll(async () => {
	credentials = {
		flameupApi: { apiKey: FLAMEUP_TEST_KEY, baseUrl: await flameup.start() },
		flashdutyApi: { appKey: FLASHDUTY_TEST_KEY, baseUrl: await flashduty.start() },
	};
	await elsewhere.start();
});
afterAll(async () => {
	await flameup.stop();
	await elsewhere.stop();
	await flashduty.stop();
});
beforeEach(() => {
	for (const sim of [flameup, elsewhere, flashduty]) {
		sim.clearLog();
		sim.clearFaults();
		sim.resetRateLimits();
	}
	flameup.people.clear();
	flameup.seedSample(samplePeople(0, 30));
});

function node(type: 'flameup' | 'flashduty', parameters: Record<string, unknown>): TestNode {
	const name = type === 'flameup' ? 'Flameup' : 'Flashduty';
	return { name, type, credentials: [`${type}Api`], parameters: { resource: type === 'flameup' ? 'person' : 'member', ...parameters } };
}

describe('time limits', () => {
	test('a silent server ends in a clear error, bounded by the timeout (3 attempts), secret-free', async () => {
		flameup.failNext(10, { silent: true });
		const started = Date.now();
		const result = await runWorkflow({ items: [{}], nodes: [node('flameup', { operation: 'getAll', returnAll: true, options: { timeout: 1 } })], credentials });
		const seconds = (Date.now() - started) / 1000;
		expect(result.error?.message).toMatch(/^Flameup did not answer in time when trying to list people/);
		expect(result.error?.description).toMatch(/Timeout/);
		expect(flameup.count()).toBe(3);
		expect(seconds).toBeLessThan(30);
		expect(everythingSaid(result)).not.toContain(FLAMEUP_TEST_KEY);
	});

	test('a body that trickles in forever is cut by the same limit', async () => {
		flameup.failNext(10, { trickle: true });
		const result = await runWorkflow({ items: [{}], nodes: [node('flameup', { operation: 'getAll', returnAll: true, options: { timeout: 1 } })], credentials });
		expect(result.error?.message).toMatch(/did not answer in time/);
		expect(flameup.count()).toBe(3);
	});

	test('once the server has stopped answering, the other items fail at once instead of waiting again', async () => {
		flameup.failNext(100, { silent: true });
		const started = Date.now();
		const result = await runWorkflow({
			items: Array.from({ length: 8 }, (_, i) => ({ id: `ext-${i}` })),
			nodes: [{ ...node('flameup', { operation: 'get', id: '={{ $json.id }}', options: { timeout: 1 } }), continueOnFail: true }],
			credentials,
		});
		expect(result.output.Flameup).toHaveLength(8);
		expect(result.output.Flameup.every((i) => typeof i.json.error === 'string')).toBe(true);
		expect(flameup.count()).toBeLessThanOrEqual(12);
		expect((Date.now() - started) / 1000).toBeLessThan(40);
	});

	test('a timely answer after a timed-out attempt is used (reads are retried)', async () => {
		flameup.failNext(1, { silent: true });
		const result = await runWorkflow({ items: [{}], nodes: [node('flameup', { operation: 'getAll', returnAll: true, options: { timeout: 1 } })], credentials });
		expect(result.error).toBeUndefined();
		expect(result.output.Flameup).toHaveLength(30);
	});
});

describe('redirects', () => {
	test('a redirect to another origin is refused: the credential never reaches it', async () => {
		flameup.failNext(1, { status: 302, headers: { location: `${elsewhere.url}/people?limit=100&offset=0` }, body: {} });
		const result = await runWorkflow({ items: [{}], nodes: [node('flameup', { operation: 'getAll', returnAll: true })], credentials });
		expect(result.error?.message).toMatch(/redirected to http:\/\/127\.0\.0\.1:\d+/);
		expect(result.error?.description).toMatch(/Base URL/);
		expect(elsewhere.count()).toBe(0);
	});

	test("Flashduty's app_key (in the URL) is not carried to another origin either", async () => {
		flashduty.failNext(1, { status: 307, headers: { location: `${elsewhere.url}/member/list` }, body: {} });
		const result = await runWorkflow({ items: [{}], nodes: [node('flashduty', { operation: 'getAll', returnAll: true })], credentials });
		expect(result.error?.message).toMatch(/redirected/);
		expect(elsewhere.count()).toBe(0);
		expect(everythingSaid(result)).not.toContain(FLASHDUTY_TEST_KEY);
	});

	test('a redirect on the same origin is followed', async () => {
		flameup.failNext(1, { status: 301, headers: { location: '/people?limit=100&offset=0' }, body: {} });
		const result = await runWorkflow({ items: [{}], nodes: [node('flameup', { operation: 'getAll', returnAll: true })], credentials });
		expect(result.error).toBeUndefined();
		expect(result.output.Flameup).toHaveLength(30);
	});
});

describe('rate-limit headers with edge values', () => {
	test.each([
		['Retry-After: 0', { 'Retry-After': '0' }],
		['a negative Retry-After', { 'Retry-After': '-1' }],
		['X-RateLimit-Reset equal to now', { 'X-RateLimit-Reset': String(Math.floor(Date.now() / 1000)) }],
		['X-RateLimit-Reset in the past (epoch ms)', { 'X-RateLimit-Reset': String(Date.now() - 60_000) }],
	])('%s backs off normally instead of burning the retries at once', async (_label, headers) => {
		flameup.failNext(2, { status: 429, headers });
		const started = Date.now();
		const result = await runWorkflow({ items: [{}], nodes: [node('flameup', { operation: 'getAll', returnAll: true })], credentials });
		expect(result.error).toBeUndefined();
		expect(result.output.Flameup).toHaveLength(30);
		// Two backoffs: at least 0.5 s + 1 s.
		expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
	});

	test('a reset given in epoch milliseconds is waited as such (not 10^12 seconds)', async () => {
		flameup.failNext(1, { status: 429, headers: { 'X-RateLimit-Reset': String(Date.now() + 1500) } });
		const started = Date.now();
		const result = await runWorkflow({ items: [{}], nodes: [node('flameup', { operation: 'getAll', returnAll: true })], credentials });
		expect(result.error).toBeUndefined();
		expect(Date.now() - started).toBeGreaterThanOrEqual(1200);
		expect(Date.now() - started).toBeLessThan(20_000);
	});
});
