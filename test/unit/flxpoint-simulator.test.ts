import { FlxpointApi } from '../../credentials/FlxpointApi.credentials';
import { arrayQuery, usersByKeysPath } from '../../nodes/Flxpoint/api';
import { RateLimiter } from '../../nodes/shared/engine/throttle';
import { samplePeople } from '../../simulators/core/people';
import { FLXPOINT_FIRST_ID, FLXPOINT_SOURCE_TOKEN, FLXPOINT_TEST_TOKEN, FlxpointSimulator } from '../../simulators/flxpoint';

async function get(base: string, path: string, headers: Record<string, string> = { 'X-API-TOKEN': FLXPOINT_TEST_TOKEN }) {
	const response = await fetch(`${base}${path}`, { headers });
	return { status: response.status, headers: response.headers, body: (await response.json()) as unknown };
}

describe('Flxpoint simulator: 2 requests/second per token', () => {
	const sim = new FlxpointSimulator();
	let base: string;
	beforeAll(async () => {
		base = await sim.start();
		sim.seedSample(samplePeople(0, 3));
	});
	afterAll(async () => await sim.stop());

	test('a third request inside one second gets 429 with a JSON body and Retry-After: 1', async () => {
		const started = Date.now();
		const answers = [await get(base, '/account/users'), await get(base, '/account/users'), await get(base, '/account/users')];
		expect(Date.now() - started).toBeLessThan(1000);
		expect(answers.map((a) => a.status)).toEqual([200, 200, 429]);
		expect(answers[2].headers.get('retry-after')).toBe('1');
		expect(answers[2].body).toMatchObject({ status: 429, error: 'Too Many Requests' });
		expect(sim.statusCounts.get(429)).toBe(1);
		// Another token has its own bucket: the source token is throttled apart (and refused users: 401).
		expect((await get(base, '/account', { 'X-API-TOKEN': FLXPOINT_SOURCE_TOKEN })).status).toBe(200);
	});

	test('after the window has passed the token may send again', async () => {
		await new Promise((r) => setTimeout(r, 1100));
		expect((await get(base, '/account')).status).toBe(200);
	});
});

describe('Flxpoint simulator: GET /account/users as documented', () => {
	const sim = new FlxpointSimulator({ rateLimits: [{ limit: 10_000, intervalMs: 1000 }] });
	let base: string;
	beforeAll(async () => {
		base = await sim.start();
		sim.seedSample(samplePeople(0, 120));
	});
	afterAll(async () => await sim.stop());

	test('a bare array of users with roles; GET /account returns the account', async () => {
		const all = await get(base, '/account/users');
		expect(all.status).toBe(200);
		expect(Array.isArray(all.body)).toBe(true);
		const users = all.body as Array<{ id: number; role: { handle: string }; isPrimary: boolean }>;
		expect(users).toHaveLength(120);
		expect(new Set(users.map((u) => u.role.handle))).toEqual(new Set(['admin', 'support', 'read_only']));
		expect(users.filter((u) => u.isPrimary)).toHaveLength(1);
		expect((await get(base, '/account')).body).toMatchObject({ id: 4242, subdomain: 'simulated' });
	});

	test('ids comma-separated and repeated give the same users', async () => {
		const a = await get(base, `/account/users?ids=${FLXPOINT_FIRST_ID},${FLXPOINT_FIRST_ID + 5}`);
		const b = await get(base, `/account/users?ids=${FLXPOINT_FIRST_ID}&ids=${FLXPOINT_FIRST_ID + 5}`);
		expect(a.status).toBe(200);
		expect((a.body as Array<{ id: number }>).map((u) => u.id)).toEqual([FLXPOINT_FIRST_ID, FLXPOINT_FIRST_ID + 5]);
		expect(b.body).toEqual(a.body);
		const byEmail = await get(base, '/account/users?emails=ADA.LOVELACE@example.com,grace.lovelace@example.com');
		expect((byEmail.body as Array<{ email: string }>).map((u) => u.email)).toEqual(['ada.lovelace@example.com', 'grace.lovelace@example.com']);
	});

	test('maxItems 50, uniqueItems and integer ids are enforced with 400', async () => {
		const ids = (n: number) => Array.from({ length: n }, (_, i) => FLXPOINT_FIRST_ID + i).join(',');
		expect((await get(base, `/account/users?ids=${ids(50)}`)).status).toBe(200);
		expect((await get(base, `/account/users?ids=${ids(51)}`)).status).toBe(400);
		expect((await get(base, `/account/users?ids=1001,1002,1001`)).status).toBe(400);
		expect((await get(base, `/account/users?ids=1001&ids=1001`)).status).toBe(400);
		expect((await get(base, '/account/users?ids=abc')).status).toBe(400);
		expect((await get(base, '/account/users?ids=1.5')).status).toBe(400);
		const emails = Array.from({ length: 51 }, (_, i) => `u${i}@example.com`).join(',');
		expect((await get(base, `/account/users?emails=${emails}`)).status).toBe(400);
		expect((await get(base, '/account/users?emails=a@example.com,a@example.com')).status).toBe(400);
	});

	test('auth: X-API-TOKEN only, Bearer refused, only Account tokens read users (401 with a JSON body)', async () => {
		const none = await get(base, '/account/users', {});
		expect(none.status).toBe(401);
		expect(none.body).toMatchObject({ status: 401, error: 'Unauthorized' });
		expect((await get(base, '/account/users', { Authorization: `Bearer ${FLXPOINT_TEST_TOKEN}` })).status).toBe(401);
		const source = await get(base, '/account/users', { 'X-API-TOKEN': FLXPOINT_SOURCE_TOKEN });
		expect(source.status).toBe(401);
		expect(JSON.stringify(source.body)).toContain('Only account API Tokens');
	});
});

describe('Flxpoint array query values', () => {
	test('comma-separated with literal commas, each value encoded, in one place', () => {
		expect(arrayQuery('ids', [1, 2, 3])).toBe('ids=1,2,3');
		expect(usersByKeysPath('emails', ['a+b@x.io', 'c@x.io'])).toBe('/account/users?emails=a%2Bb%40x.io,c%40x.io');
	});
});

describe('RateLimiter.settle (every request counts from when its answer arrived)', () => {
	test('a slot counts from when its answer arrived, so a slow first request cannot let a third land inside its second', () => {
		const clock = { t: 0, now: () => clock.t, sleep: async (ms: number) => void (clock.t += ms) };
		const limiter = new RateLimiter([{ limit: 2, intervalMs: 1000 }], clock);
		const first = limiter.reserve();
		limiter.settle(first, 200);
		limiter.reserve();
		expect(limiter.reserve()).toBe(200 + 1000 + limiter.marginMs());
		// Settling earlier than the start changes nothing.
		const plain = new RateLimiter([{ limit: 1, intervalMs: 1000 }], clock);
		const s = plain.reserve();
		plain.settle(s, s - 10);
		expect(plain.reserve()).toBe(s + 1000 + plain.marginMs());
	});
});

describe('Flxpoint credential', () => {
	const sim = new FlxpointSimulator();
	let base: string;
	beforeAll(async () => {
		base = await sim.start();
	});
	afterAll(async () => await sim.stop());

	test('X-API-TOKEN header (not Bearer) and a GET /account/users test request that the simulator accepts', async () => {
		const credential = new FlxpointApi();
		expect(credential.name).toBe('flxpointApi');
		expect(credential.authenticate.properties.headers).toEqual({ 'X-API-TOKEN': '={{$credentials.apiToken.trim()}}' });
		expect(credential.test.request.url).toBe('/account/users');
		expect(credential.properties.find((p) => p.name === 'apiToken')?.description).toContain('Only an Account token can read users');
		expect(credential.properties.find((p) => p.name === 'baseUrl')?.default).toBe('https://api.flxpoint.com');
		const ok = await get(base, credential.test.request.url ?? '', { 'X-API-TOKEN': FLXPOINT_TEST_TOKEN });
		expect(ok.status).toBe(200);
		expect((await get(base, '/account', { 'X-API-TOKEN': 'wrong-token' })).status).toBe(401);
	});
});
