import { chunk, unique } from '../../nodes/shared/engine/batch';
import { commonErrorInfo } from '../../nodes/shared/engine/errorShapes';
import { paginate, type PageRequest } from '../../nodes/shared/engine/paginate';
import { Redactor, REDACTED } from '../../nodes/shared/engine/redact';
import { backoffMs, isAmbiguousFailure, MAX_ATTEMPTS, nextRetryDelay, serverRateCount, serverWaitMs } from '../../nodes/shared/engine/retry';
import { MIN_WINDOW_MARGIN_MS, RateLimiter, WINDOW_MARGIN_MS, type Clock } from '../../nodes/shared/engine/throttle';

describe('retry', () => {
	const now = Date.UTC(2026, 10, 23, 12, 0, 0);

	test('Retry-After in seconds and as an HTTP date', () => {
		expect(serverWaitMs({ 'Retry-After': '3' }, now)).toBe(3000);
		expect(serverWaitMs({ 'retry-after': new Date(now + 5000).toUTCString() }, now)).toBe(5000);
	});

	test('X-RateLimit-Reset as a Unix time or as seconds; Retry-After wins', () => {
		expect(serverWaitMs({ 'X-RateLimit-Reset': String(now / 1000 + 7) }, now)).toBe(7000);
		expect(serverWaitMs({ 'x-ratelimit-reset': '12' }, now)).toBe(12000);
		expect(serverWaitMs({ 'Retry-After': '1', 'X-RateLimit-Reset': String(now / 1000 + 60) }, now)).toBe(1000);
		expect(serverWaitMs({}, now)).toBeUndefined();
	});

	test('exponential backoff with jitter when the server gives no time', () => {
		expect(backoffMs(1, () => 0)).toBe(500);
		expect(backoffMs(1, () => 1)).toBe(1000);
		expect(backoffMs(3, () => 0)).toBe(2000);
		expect(backoffMs(3, () => 1)).toBe(4000);
		expect(nextRetryDelay(2, { status: 503, headers: {} }, now, () => 0.5)).toBe(1500);
	});

	test('what is retried, and the bound on attempts', () => {
		expect(nextRetryDelay(1, { status: 429, headers: { 'Retry-After': '2' } }, now, () => 0)).toBe(2000);
		expect(nextRetryDelay(1, { status: 500 }, now, () => 0)).toBe(500);
		expect(nextRetryDelay(1, { status: 400 }, now)).toBeUndefined();
		expect(nextRetryDelay(1, { status: 401 }, now)).toBeUndefined();
		expect(nextRetryDelay(1, { status: 422 }, now)).toBeUndefined();
		expect(nextRetryDelay(1, { networkCode: 'ECONNRESET' }, now, () => 0)).toBe(500);
		expect(nextRetryDelay(1, { networkCode: 'CERT_HAS_EXPIRED' }, now)).toBeUndefined();
		expect(nextRetryDelay(MAX_ATTEMPTS, { status: 429 }, now)).toBeUndefined();
	});
});

describe('retry: edge values of rate-limit headers', () => {
	const now = Date.UTC(2026, 0, 1, 12, 0, 0);

	test('zero, negative, invalid and past values mean "back off normally", never "retry at once"', () => {
		for (const headers of [
			{ 'Retry-After': '0' },
			{ 'Retry-After': '-5' },
			{ 'Retry-After': 'soon' },
			{ 'Retry-After': new Date(now - 10_000).toUTCString() },
			{ 'X-RateLimit-Reset': String(now / 1000) },
			{ 'X-RateLimit-Reset': String(now / 1000 - 30) },
			{ 'X-RateLimit-Reset': String(now - 5000) },
			{ 'X-RateLimit-Reset': '0' },
			{ 'X-RateLimit-Reset': '-3' },
		]) {
			expect(serverWaitMs(headers, now)).toBeUndefined();
			expect(nextRetryDelay(1, { status: 429, headers }, now, () => 0)).toBe(backoffMs(1, () => 0));
		}
	});

	test('a reset in epoch milliseconds is recognised (not read as 10^12 seconds)', () => {
		expect(serverWaitMs({ 'X-RateLimit-Reset': String(now + 4000) }, now)).toBe(4000);
		expect(serverWaitMs({ 'X-RateLimit-Reset': String(now / 1000 + 4) }, now)).toBe(4000);
	});

	test('a 429 without any wait backs off normally first, then sits out a whole rate window', () => {
		const window = 60_000;
		const waits = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => nextRetryDelay(i + 1, { status: 429, headers: {}, quietWindowMs: window }, now, () => 0)!);
		expect(waits.slice(0, MAX_ATTEMPTS - 3)).toEqual(waits.slice(0, MAX_ATTEMPTS - 3).map((_, i) => backoffMs(i + 1, () => 0)));
		expect(waits.slice(MAX_ATTEMPTS - 3)).toEqual([window, window]);
		// Together they outlast a storm of one whole window.
		expect(waits.reduce((a, b) => a + b, 0)).toBeGreaterThan(window);
	});

	test("the server's own count is read from X-RateLimit-Limit/Remaining/Reset", () => {
		expect(serverRateCount({ 'X-RateLimit-Limit': '120', 'X-RateLimit-Remaining': '7', 'X-RateLimit-Reset': String(now / 1000 + 30) }, now)).toEqual({ limit: 120, remaining: 7, resetAt: now + 30_000 });
		expect(serverRateCount({ 'X-RateLimit-Limit': '100', 'X-RateLimit-Remaining': '3' }, now)).toEqual({ limit: 100, remaining: 3, resetAt: undefined });
		expect(serverRateCount({ 'X-RateLimit-Remaining': '3' }, now)).toBeUndefined();
		expect(serverRateCount({ 'X-RateLimit-Limit': 'x', 'X-RateLimit-Remaining': '3' }, now)).toBeUndefined();
	});

	test('which failures leave it open whether a write landed', () => {
		expect(isAmbiguousFailure({ networkCode: 'ECONNRESET' })).toBe(true);
		expect(isAmbiguousFailure({ networkCode: 'TIMEOUT' })).toBe(true);
		expect(isAmbiguousFailure({ status: 502 })).toBe(true);
		expect(isAmbiguousFailure({ status: 504 })).toBe(true);
		expect(isAmbiguousFailure({ status: 200, malformed: true })).toBe(true);
		expect(isAmbiguousFailure({ networkCode: 'ECONNREFUSED' })).toBe(false);
		expect(isAmbiguousFailure({ status: 429 })).toBe(false);
		expect(isAmbiguousFailure({ status: 422 })).toBe(false);
	});
});

describe('redaction', () => {
	const key = 'fd_9f8e7d6c5b4a';
	const redactor = new Redactor([key, 'abc', undefined], ['app_key']);

	test('secret values, their URL-encoded form and key query parameters are removed', () => {
		expect(redactor.text(`key ${key} in text`)).toBe(`key ${REDACTED} in text`);
		expect(redactor.text('https://x/member/list?app_key=anything-else&p=1')).toBe(`https://x/member/list?app_key=${REDACTED}&p=1`);
		expect(redactor.text(`u?token=${encodeURIComponent('a b/c')}`)).toBe(`u?token=${REDACTED}`);
		expect(new Redactor(['p@ss/word+1']).text('x=p%40ss%2Fword%2B1')).toBe(`x=${REDACTED}`);
	});

	test('short values are not treated as secrets; nested values are redacted', () => {
		expect(redactor.text('abc stays')).toBe('abc stays');
		expect(redactor.value({ a: [`x${key}`], b: { c: key }, n: 5 })).toEqual({ a: [`x${REDACTED}`], b: { c: REDACTED }, n: 5 });
	});
});

describe('chunking', () => {
	test('chunks of at most the size, order kept', () => {
		const list = Array.from({ length: 250 }, (_, i) => i);
		const chunks = chunk(list, 100);
		expect(chunks.map((c) => c.length)).toEqual([100, 100, 50]);
		expect(chunks.flat()).toEqual(list);
		expect(chunk([], 20)).toEqual([]);
		expect(chunk([1, 2, 3], 0)).toEqual([[1], [2], [3]]);
		expect(unique([3, 1, 3, 2, 1])).toEqual([3, 1, 2]);
	});
});

describe('pagination', () => {
	const data = Array.from({ length: 250 }, (_, i) => i);
	const offsetApi = (withTotal: boolean) => {
		const calls: PageRequest[] = [];
		const fetchPage = async (r: PageRequest) => {
			calls.push(r);
			return { items: data.slice(r.offset, r.offset + r.pageSize), total: withTotal ? data.length : undefined };
		};
		return { calls, fetchPage };
	};
	const pageApi = () => {
		const calls: PageRequest[] = [];
		const fetchPage = async (r: PageRequest) => {
			calls.push(r);
			const start = (r.page - 1) * r.pageSize;
			return { items: data.slice(start, start + r.pageSize), hasMore: start + r.pageSize < data.length };
		};
		return { calls, fetchPage };
	};

	test('offset: all 250 in 3 requests, stopping on total', async () => {
		const api = offsetApi(true);
		const result = await paginate({ style: 'offset', maxPageSize: 100, fetchPage: api.fetchPage });
		expect(result.items).toEqual(data);
		expect(api.calls.map((c) => [c.offset, c.pageSize])).toEqual([[0, 100], [100, 100], [200, 100]]);
	});

	test('offset without total: a short page ends it; a full last page costs one empty request', async () => {
		const api = offsetApi(false);
		expect((await paginate({ style: 'offset', maxPageSize: 100, fetchPage: api.fetchPage })).requests).toBe(3);
		const exact = offsetApi(false);
		const r = await paginate({ style: 'offset', maxPageSize: 125, fetchPage: exact.fetchPage });
		expect(r.items).toHaveLength(250);
		expect(r.requests).toBe(3);
	});

	test('offset limit: exactly the limit, last request asks only for the rest', async () => {
		const api = offsetApi(true);
		const result = await paginate({ style: 'offset', maxPageSize: 100, limit: 130, fetchPage: api.fetchPage });
		expect(result.items).toEqual(data.slice(0, 130));
		expect(api.calls.map((c) => [c.offset, c.pageSize])).toEqual([[0, 100], [100, 30]]);
	});

	test('page style: fixed page size, trimmed to the limit, hasMore=false stops', async () => {
		const api = pageApi();
		const result = await paginate({ style: 'page', maxPageSize: 100, limit: 130, fetchPage: api.fetchPage });
		expect(result.items).toEqual(data.slice(0, 130));
		expect(api.calls.map((c) => [c.page, c.pageSize])).toEqual([[1, 100], [2, 100]]);
		const small = pageApi();
		expect((await paginate({ style: 'page', maxPageSize: 100, limit: 20, fetchPage: small.fetchPage })).items).toHaveLength(20);
		expect(small.calls).toEqual([{ page: 1, pageSize: 20, offset: 0 }]);
		const all = pageApi();
		expect((await paginate({ style: 'page', maxPageSize: 100, fetchPage: all.fetchPage })).requests).toBe(3);
	});

	test('reach: stops before asking past what the API allows, and says so', async () => {
		const api = pageApi();
		const result = await paginate({ style: 'page', maxPageSize: 100, reachableItems: 200, fetchPage: api.fetchPage });
		expect(result.items).toHaveLength(200);
		expect(result.cutAtReach).toBe(true);
		expect(api.calls.every((c) => c.page * c.pageSize <= 200)).toBe(true);
	});
});

describe('throttle', () => {
	function fakeClock(): Clock & { t: number; slept: number[] } {
		const clock = {
			t: 1_000_000,
			slept: [] as number[],
			now: () => clock.t,
			sleep: async (ms: number) => {
				clock.slept.push(ms);
				clock.t += ms;
			},
		};
		return clock;
	}

	test('never more than the limit in any window (2/s → 1,000 requests in ~500 s, none early)', async () => {
		const clock = fakeClock();
		const limiter = new RateLimiter([{ limit: 2, intervalMs: 1000 }], clock);
		const starts: number[] = [];
		for (let i = 0; i < 40; i++) {
			await limiter.acquire();
			starts.push(clock.t);
		}
		// No round trip known (nothing settled): the least margin.
		for (let i = 2; i < starts.length; i++) expect(starts[i] - starts[i - 2]).toBeGreaterThanOrEqual(1000 + MIN_WINDOW_MARGIN_MS);
		expect(starts[39] - starts[0]).toBeLessThan(20 * (1000 + MIN_WINDOW_MARGIN_MS));
	});

	test('two windows at once (50/s and 1,000/min)', async () => {
		const clock = fakeClock();
		const limiter = new RateLimiter([{ limit: 50, intervalMs: 1000 }, { limit: 1000, intervalMs: 60_000 }], clock);
		const starts: number[] = [];
		for (let i = 0; i < 1100; i++) starts.push(limiter.reserve());
		for (let i = 50; i < starts.length; i++) expect(starts[i] - starts[i - 50]).toBeGreaterThanOrEqual(1000);
		for (let i = 1000; i < starts.length; i++) expect(starts[i] - starts[i - 1000]).toBeGreaterThanOrEqual(60_000);
	});

	test("following the server's count: shared with other clients, every caller waits for the reset near its end", async () => {
		const clock = fakeClock();
		const limiter = new RateLimiter([{ limit: 120, intervalMs: 60_000 }], clock);
		limiter.observe(120, 50, clock.t + 30_000); // 70 used, none by us: shared, but 50 left
		expect(await limiter.acquire()).toBe(clock.t);
		limiter.observe(120, 20, clock.t + 30_000); // down to the reserve (30)
		const start = clock.t;
		expect(await limiter.acquire()).toBe(start + 30_000 + WINDOW_MARGIN_MS);
	});

	test("following the server's count: alone on the key, only an exhausted count pauses", async () => {
		const clock = fakeClock();
		const limiter = new RateLimiter([{ limit: 120, intervalMs: 60_000 }], clock);
		for (let i = 0; i < 100; i++) await limiter.acquire();
		limiter.observe(120, 20, clock.t + 30_000); // the server saw what we sent
		expect(limiter.reserve()).toBe(clock.t);
		limiter.observe(120, 0, clock.t + 30_000);
		expect(limiter.reserve()).toBe(clock.t + 30_000 + WINDOW_MARGIN_MS);
	});

	/**
	 * Requests in flight together against a server that counts each on arrival: `concurrency` at
	 * once, each reaching the server `there(k)` ms after it is sent and answered `back(k)` ms after
	 * that; settled as VendorClient does (at its answer). Returns the arrival times.
	 */
	async function inFlightRun(n: number, limit: number, intervalMs: number, concurrency: number, there: (k: number) => number, back: (k: number) => number): Promise<number[]> {
		// A discrete-event run: timers fire in time order; the limiter waits on this clock.
		const timers: Array<{ at: number; fire: () => void }> = [];
		const clock = {
			t: 0,
			now: () => clock.t,
			sleep: async (ms: number) => await new Promise<void>((fire) => timers.push({ at: clock.t + ms, fire })),
		};
		const limiter = new RateLimiter([{ limit, intervalMs }], clock);
		const arrivals: number[] = [];
		let next = 0;
		const worker = async () => {
			while (next < n) {
				const k = next++;
				const start = await limiter.acquireForRequest();
				arrivals.push(clock.t + there(k));
				await clock.sleep(there(k) + back(k));
				limiter.settle(start, clock.t, start);
			}
		};
		const done = Promise.all(Array.from({ length: concurrency }, worker));
		let finished = false;
		void done.then(() => (finished = true));
		while (!finished) {
			// Let every ready promise run before the clock moves on.
			for (let i = 0; i < 20; i++) await Promise.resolve();
			if (finished) break;
			timers.sort((a, b) => a.at - b.at);
			const timer = timers.shift();
			if (!timer) throw new Error('stuck: no timer and not finished');
			clock.t = Math.max(clock.t, timer.at);
			timer.fire();
		}
		return arrivals.sort((a, b) => a - b);
	}

	test.each<[string, (k: number) => number, (k: number) => number]>([
		['no latency', () => 0, () => 0],
		['200 ms round trip, 100 ms each way', () => 100, () => 100],
		['200 ms, counted as it is sent', () => 0, () => 200],
		['200 ms, counted just before the answer', () => 200, () => 0],
		['a slow first request (connection set-up), then 20 ms', (k: number) => (k === 0 ? 400 : 10), () => 10],
	])('8 in flight at 2/s, %s: no window over its limit on the server, within 1.1× of the bound', async (_name, there, back) => {
		const arrivals = await inFlightRun(60, 2, 1000, 8, there, back);
		for (let i = 2; i < arrivals.length; i++) expect(arrivals[i] - arrivals[i - 2]).toBeGreaterThanOrEqual(1000);
		const bound = (60 / 2 - 1) * 1000;
		expect((arrivals[59] - arrivals[0]) / bound).toBeLessThanOrEqual(1.1);
	});

	/** A small seeded generator (mulberry32), so a failing case can be run again. */
	function seeded(seed: number): () => number {
		let a = seed;
		return () => {
			a = (a + 0x6d2b79f5) | 0;
			let t = Math.imul(a ^ (a >>> 15), 1 | a);
			t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
			return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
		};
	}

	test.each<[string, number, number]>([
		// [name, each way's least ms, each way's jitter ms]
		['local network: 0-2 ms each way', 0, 2],
		['100 ms each way, up to 12 ms more on each', 100, 12],
		['100 ms each way, up to 25 ms more on each', 100, 25],
		['40 ms each way, up to 10 ms more on each', 40, 10],
	])('16 in flight at 50/s with jitter, %s: no window over its limit on the server (5 seeds), within 1.1× of the bound', async (_name, least, jitter) => {
		const n = 1000;
		for (let seed = 1; seed <= 5; seed++) {
			const random = seeded(seed);
			const ways = Array.from({ length: n }, () => [least + random() * jitter, least + random() * jitter]);
			const arrivals = await inFlightRun(n, 50, 1000, 16, (k) => ways[k][0], (k) => ways[k][1]);
			let worst = 0;
			for (let i = 50; i < arrivals.length; i++) worst = Math.max(worst, 1000 - (arrivals[i] - arrivals[i - 50]));
			expect({ seed, earlyBy: worst > 0 ? worst : 0 }).toEqual({ seed, earlyBy: 0 });
			const bound = (n / 50 - 1) * 1000;
			expect((arrivals[n - 1] - arrivals[0]) / bound).toBeLessThanOrEqual(1.1);
		}
	});

	test('cold connections: the first requests wait 30 ms on the way there, later ones 0-1 ms; none counted early (16 in flight, 50/s)', async () => {
		const random = seeded(7);
		const ways = Array.from({ length: 600 }, (_, k) => [(k < 16 ? 30 : 0) + random(), random()]);
		const arrivals = await inFlightRun(600, 50, 1000, 16, (k) => ways[k][0], (k) => ways[k][1]);
		for (let i = 50; i < arrivals.length; i++) expect(arrivals[i] - arrivals[i - 50]).toBeGreaterThanOrEqual(1000);
		expect((arrivals[599] - arrivals[0]) / ((600 / 50 - 1) * 1000)).toBeLessThanOrEqual(1.1);
	});

	test('the margin follows the shortest round trip: 5 ms alone, 10 ms at 200 ms, never past 50 ms', () => {
		const clock = fakeClock();
		const limiter = new RateLimiter([{ limit: 50, intervalMs: 1000 }], clock);
		expect(limiter.marginMs()).toBe(MIN_WINDOW_MARGIN_MS);
		const start = limiter.reserve();
		limiter.settle(start, start + 200, start);
		expect(limiter.marginMs()).toBe(10);
		const later = limiter.reserve();
		limiter.settle(later, later + 900, later);
		expect(limiter.marginMs()).toBe(10);
		const far = new RateLimiter([{ limit: 50, intervalMs: 1000 }], clock);
		const first = far.reserve();
		far.settle(first, first + 2000, first);
		expect(far.marginMs()).toBe(WINDOW_MARGIN_MS);
	});

	test('a pause (after a 429) holds every caller', async () => {
		const clock = fakeClock();
		const limiter = new RateLimiter([{ limit: 100, intervalMs: 1000 }], clock);
		limiter.pauseUntil(clock.t + 3000);
		expect(limiter.reserve()).toBe(clock.t + 3000);
	});
});

describe('error shapes', () => {
	test('Flameup simple, Flameup nested, PERSCOM and HTML bodies', () => {
		expect(commonErrorInfo({ error: 'Not Found', message: 'The requested resource was not found', code: 404 })).toEqual({ message: 'Not Found: The requested resource was not found' });
		expect(commonErrorInfo({ success: false, error: { type: 'invalid_request', message: 'Bad', details: { fields: { email: 'is invalid' } } }, request_id: 'r1' })).toEqual({
			message: 'Bad',
			code: 'invalid_request',
			requestId: 'r1',
			fields: { email: ['is invalid'] },
		});
		expect(commonErrorInfo({ error: { message: 'The given data was invalid.', type: 'ValidationException', request_id: 'q', trace_id: 't', errors: { email: ['The email has already been taken.'] } } })).toEqual({
			message: 'The given data was invalid.',
			code: 'ValidationException',
			requestId: 'q',
			fields: { email: ['The email has already been taken.'] },
		});
		expect(commonErrorInfo('<html><body><h1>502 Bad Gateway</h1></body></html>')).toEqual({ message: '502 Bad Gateway' });
	});
});
