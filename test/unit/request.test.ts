import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { answerShape, objectWithArray } from '../../nodes/shared/engine/answers';
import { errorContext } from '../../nodes/shared/engine/errors';
import { Redactor } from '../../nodes/shared/engine/redact';
import { VendorClient } from '../../nodes/shared/engine/request';
import { RateLimiter, type Clock } from '../../nodes/shared/engine/throttle';
import type { VendorApi } from '../../nodes/shared/engine/vendor';
import { commonErrorInfo } from '../../nodes/shared/engine/errorShapes';

type Scripted = { statusCode: number; body?: unknown; headers?: Record<string, string> } | { networkCode: string };

/** A VendorClient whose HTTP exchanges are scripted and whose clock is fake (sleeps take no time). */
function scriptedClient(script: Scripted[], secret = 'sk_live_0123456789abcdef') {
	const sent: IHttpRequestOptions[] = [];
	const clock: Clock & { t: number; slept: number[] } = {
		t: 1_000_000,
		slept: [],
		now: () => clock.t,
		sleep: async (ms: number) => {
			clock.slept.push(ms);
			clock.t += ms;
		},
	};
	const ctx = {
		getNode: () => ({ id: 'n', name: 'Test', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} }),
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
				sent.push(options);
				const next = script.shift();
				if (!next) throw new Error('script ran out');
				if ('networkCode' in next) throw Object.assign(new Error(`socket: ${next.networkCode}`), { code: next.networkCode });
				return { statusCode: next.statusCode, body: next.body, headers: next.headers ?? {} };
			},
		},
	} as unknown as IExecuteFunctions;
	const api: VendorApi = {
		vendor: 'perscom',
		displayName: 'Acme',
		credentialType: 'acmeApi',
		rateLimits: [{ limit: 1000, intervalMs: 60_000 }],
		secretFields: ['apiKey'],
		url: (_c, path) => `https://api.acme.test${path}`,
		parseError: (response) => commonErrorInfo(response.body),
	};
	const client = new VendorClient(ctx, api, { apiKey: secret }, new Redactor([secret]), new RateLimiter(api.rateLimits as never, clock), clock);
	return { client, sent, clock };
}

const page = answerShape('a page of users', (body) => objectWithArray(body, 'data'));

describe('VendorClient', () => {
	test('a 429 storm without any wait header is outlasted: the last attempts sit out the whole window', async () => {
		const { client, clock, sent } = scriptedClient([...Array(5).fill({ statusCode: 429, body: { message: 'Too Many Attempts.' } }), { statusCode: 200, body: { data: [] } }]);
		await expect(client.request({ method: 'GET', path: '/users', action: 'list users', expect: page })).resolves.toEqual({ data: [] });
		expect(sent).toHaveLength(6);
		expect(clock.slept.reduce((a, b) => a + b, 0)).toBeGreaterThan(60_000);
	});

	test('an answer that is not the one needed is retried, then an error quoting its start (redacted)', async () => {
		const html = '<html><body>Gateway login for sk_live_0123456789abcdef</body></html>';
		const { client, sent } = scriptedClient(Array(6).fill({ statusCode: 200, body: html }));
		const error = await client.request({ method: 'GET', path: '/users', action: 'list users', itemIndex: 2, expect: page }).catch((e: Error) => e);
		expect(sent).toHaveLength(6);
		expect((error as Error).message).toBe('Acme answered with something that is not a page of users when trying to list users: <html><body>Gateway login for [redacted]</body></html> [item 2]');
		expect(errorContext(error).malformed).toBe(true);
	});

	test('a malformed answer that is then fine is used', async () => {
		const { client } = scriptedClient([{ statusCode: 200, body: { data: null } }, { statusCode: 200, body: { data: [{ id: 1 }] } }]);
		await expect(client.request({ method: 'GET', path: '/users', action: 'list users', expect: page })).resolves.toEqual({ data: [{ id: 1 }] });
	});

	test.each([
		['a connection cut after sending', { networkCode: 'ECONNRESET' }],
		['a 502', { statusCode: 502, body: 'Bad Gateway' }],
		['a 504', { statusCode: 504, body: {} }],
		['a 500', { statusCode: 500, body: {} }],
		['a malformed 200', { statusCode: 200, body: '' }],
	] as Array<[string, Scripted]>)('a write that may have landed (%s) is not sent again: maybeStored', async (_label, failure) => {
		const { client, sent } = scriptedClient([failure, { statusCode: 201, body: { data: [] } }]);
		const error = await client.request({ method: 'POST', path: '/users/batch', body: { resources: [] }, action: 'create 1 user', expect: page }).catch((e: Error) => e);
		expect(sent).toHaveLength(1);
		expect(errorContext(error).maybeStored).toBe(true);
		expect((error as { description?: string }).description).toMatch(/may have reached Acme/);
	});

	test('a write the server refused before acting (429, connection refused) is retried', async () => {
		const { client, sent } = scriptedClient([{ statusCode: 429, body: {}, headers: { 'Retry-After': '1' } }, { networkCode: 'ECONNREFUSED' }, { statusCode: 201, body: { data: [] } }]);
		await expect(client.request({ method: 'POST', path: '/users/batch', action: 'create', expect: page })).resolves.toEqual({ data: [] });
		expect(sent).toHaveLength(3);
	});

	test('a read sent as POST says idempotent and is retried after a 502', async () => {
		const { client, sent } = scriptedClient([{ statusCode: 502, body: {} }, { statusCode: 200, body: { data: [] } }]);
		await client.request({ method: 'POST', path: '/users/search', action: 'search', idempotent: true, expect: page });
		expect(sent).toHaveLength(2);
	});

	test("PERSCOM's count on successes (no reset time) is followed: at 0 left, the next request waits a whole window, no 429", async () => {
		const { client, clock, sent } = scriptedClient([
			{ statusCode: 200, body: { data: [] }, headers: { 'X-RateLimit-Limit': '100', 'X-RateLimit-Remaining': '0' } },
			{ statusCode: 200, body: { data: [] } },
		]);
		await client.request({ method: 'GET', path: '/users', action: 'list', expect: page });
		const before = clock.t;
		await client.request({ method: 'GET', path: '/users', action: 'list', expect: page });
		expect(sent).toHaveLength(2);
		expect(clock.t - before).toBeGreaterThanOrEqual(60_000);
	});

	test('every request is sent with a time limit, an abort signal and no automatic redirects', async () => {
		const { client, sent } = scriptedClient([{ statusCode: 200, body: { data: [] } }]);
		await client.request({ method: 'GET', path: '/users', action: 'list' });
		expect(sent[0]).toMatchObject({ timeout: 30_000, disableFollowRedirect: true });
		expect(sent[0].abortSignal).toBeDefined();
	});
});
