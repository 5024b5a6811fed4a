import { sleep } from 'n8n-workflow';

/** At most `limit` requests in any `intervalMs` window. */
export interface RateWindow {
	limit: number;
	intervalMs: number;
}

/**
 * Room kept past a server's announced reset, and the most kept on a window (see `marginMs`): reset
 * times come in whole seconds or from another clock.
 */
export const WINDOW_MARGIN_MS = 50;

/** The least room kept on every window: clock steps of a millisecond on either side. */
export const MIN_WINDOW_MARGIN_MS = 5;

export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
	now: () => Date.now(),
	sleep: async (ms) => await sleep(ms),
};

/**
 * A sliding-window rate limiter over one or more windows at once. Slots are reserved at the time
 * they are handed out, so concurrent callers queue in order and never exceed any window, whatever
 * the server's own algorithm (sliding log, fixed window or token bucket of the same size).
 */
export class RateLimiter {
	/** Start times handed out, oldest first; only the most recent `max(limit)` are kept. */
	private readonly starts: number[] = [];

	/**
	 * For each of `starts`, when its answer came: NaN while its request is unanswered (what
	 * `acquireForRequest` waits on), then the time `settle` and `recount` count it from.
	 */
	private readonly answers: number[] = [];

	private pausedUntil = 0;

	/** Until when the key is taken to be shared with other clients (see `observe`). */
	private sharedUntil = 0;

	private readonly keep: number;

	/** Requests answered so far, and how many make the first window (the smallest limit): see `settle`. */
	private answered = 0;

	private readonly firstWindow: number;

	/**
	 * The shortest round trip (send to answer) seen so far on this key: the part of a later answer's
	 * wait that surely came after its request reached the server (see `settle`). Unknown (0) until
	 * a first request has been answered.
	 */
	private shortestRoundTrip = 0;

	/** Callers waiting for an answer to come (see `acquireForRequest`). */
	private answerWaiters: Array<() => void> = [];

	constructor(
		readonly windows: RateWindow[],
		private readonly clock: Clock = realClock,
	) {
		this.keep = Math.max(1, ...windows.map((w) => w.limit));
		this.firstWindow = Math.min(...windows.map((w) => w.limit));
	}

	/** Reserve the next slot and return when it starts (ms since epoch). */
	reserve(): number {
		const margin = this.marginMs();
		let start = Math.max(this.clock.now(), this.pausedUntil);
		for (const { limit, intervalMs } of this.windows) {
			if (this.starts.length >= limit) {
				const blocking = this.starts[this.starts.length - limit];
				start = Math.max(start, blocking + intervalMs + margin);
			}
		}
		this.starts.push(start);
		this.answers.push(NaN);
		if (this.starts.length > this.keep) {
			this.starts.splice(0, this.starts.length - this.keep);
			this.answers.splice(0, this.answers.length - this.keep);
		}
		return start;
	}

	/**
	 * The room kept on every window beyond its length, against network jitter: a slot counts from its
	 * answer less the shortest round trip (`settle`), which is early only when this answer's way back
	 * and the next request's way there are together shorter than that shortest round trip, i.e. by
	 * the paths' jitter. Jitter grows with the path, so the room does: 5 ms plus a fortieth of the
	 * shortest round trip, at most 50 ms (10 ms at 200 ms; 5 ms on a local network, where a fixed
	 * 50 ms cost 5 % of a one-second window). test/unit/engine.test.ts runs it against servers that
	 * count on arrival, with one-way jitter up to 25 ms each way on a 200 ms round trip.
	 */
	marginMs(): number {
		return Math.min(WINDOW_MARGIN_MS, MIN_WINDOW_MARGIN_MS + this.shortestRoundTrip / 40);
	}

	/** Wait until a request may be sent, for callers that never settle: the slot counts from its start. */
	async acquire(): Promise<number> {
		const start = this.reserve();
		this.answers[this.answers.length - 1] = start;
		const wait = start - this.clock.now();
		if (wait > 0) await this.clock.sleep(wait);
		return start;
	}

	/**
	 * A slot for a request that will be settled with its answer (`settle`), for callers that keep
	 * several requests in flight: a slot that would reuse the place of a request still unanswered
	 * (the one `limit` slots back in a window) waits for that answer first, since only the answer
	 * tells when the server counted it. At steady latency shorter than a window this never waits.
	 */
	async acquireForRequest(): Promise<number> {
		while (this.windows.some(({ limit }) => this.starts.length >= limit && Number.isNaN(this.answers[this.starts.length - limit]))) {
			await new Promise<void>((resolve) => this.answerWaiters.push(resolve));
		}
		const start = this.reserve();
		const wait = start - this.clock.now();
		if (wait > 0) await this.clock.sleep(wait);
		return start;
	}

	/**
	 * Counts a slot from when its request is taken to have reached the server, learned from when its
	 * answer came (`at`). The server counts a request when it arrives, which can be well after it was
	 * sent (connection or TLS setup on the first request): counting from the send would let a later
	 * slot open before the server has seen this one (a slow first request sent at t=0 but arriving at
	 * t=0.2 s would let a third at t=1.05 s land inside its second under 2/s). Counting from the answer
	 * is safe but late by the whole round trip (at 200 ms latency a 2/s limit ran at 1.29× its bound).
	 * So a slot counts from its answer less the shortest round trip seen on this key: the way back
	 * (and the next request's way there) take at least that long while latency holds, so the server
	 * never sees more than the window allows. The first window's requests (the smallest limit's
	 * worth: sent unpaced, their round trips may hold a queue's wait) count from their answers; when
	 * a shorter round trip comes, the slots counted with a longer one count again (`recount`). The
	 * window's margin (`marginMs`) absorbs jitter. VendorClient settles every request, with its
	 * answer's arrival and its send.
	 */
	settle(start: number, at: number, sentAt = start): void {
		const roundTrip = at - sentAt;
		const shortest = this.shortestRoundTrip;
		// The first window's requests went out together, unpaced: each may have waited in the server's
		// queue before it was counted, so every round trip seen so far can hold a queue's wait and the
		// shortest of them overstate the way back. They count from their answers (which costs one round
		// trip, once per key); later requests are paced by the limiter and show the true shortest.
		const counted = Math.max(start, this.answered < this.firstWindow ? at : at - shortest);
		this.answered++;
		// The slot not yet answered with this start (equal starts are alike; their answers are not).
		let index = this.starts.length - 1;
		while (index >= 0 && !(this.starts[index] === start && Number.isNaN(this.answers[index]))) index--;
		if (index >= 0) {
			const waiters = this.answerWaiters;
			this.answerWaiters = [];
			// Woken after this settle has moved the slot: each looks again at what blocks it.
			queueMicrotask(() => waiters.forEach((wake) => wake()));
			// Move the slot to its new time, keeping the list ordered (later slots are few: those in flight).
			while (index + 1 < this.starts.length && this.starts[index + 1] < counted) {
				this.starts[index] = this.starts[index + 1];
				this.answers[index] = this.answers[index + 1];
				index++;
			}
			this.starts[index] = counted;
			this.answers[index] = at;
		}
		if (roundTrip > 0 && (shortest === 0 || roundTrip < shortest)) {
			this.shortestRoundTrip = roundTrip;
			if (shortest !== 0) this.recount();
		}
	}

	/**
	 * A shorter round trip shows that the ones before it held more than the way there and back (a
	 * new connection's set-up, a busy moment): slots counted with the longer one were counted early
	 * by the difference. So every answered slot still kept counts again from its answer less the new
	 * shortest round trip; slots only ever move later, and this happens only when the shortest round
	 * trip falls, a few times a run.
	 */
	private recount(): void {
		let moved = false;
		for (let i = 0; i < this.starts.length; i++) {
			const counted = this.answers[i] - this.shortestRoundTrip;
			if (counted > this.starts[i]) {
				this.starts[i] = counted;
				moved = true;
			}
		}
		if (!moved) return;
		const slots = this.starts.map((start, i) => [start, this.answers[i]]).sort((a, b) => a[0] - b[0]);
		slots.forEach(([start, answer], i) => {
			this.starts[i] = start;
			this.answers[i] = answer;
		});
	}

	/**
	 * Follows the server's own count (`X-RateLimit-Limit/Remaining/Reset`), which includes other
	 * clients of the same key (other n8n workers, other tools). When the server has seen more than
	 * this limiter sent (someone else uses the key), every caller waits for the reset once what
	 * remains is down to a reserve of a quarter of the limit, so that clients which each follow the
	 * count stop before a 429. Alone on the key, only an exhausted count pauses it.
	 */
	observe(limit: number, remaining: number, resetAt: number): void {
		const now = this.clock.now();
		if (resetAt <= now) return;
		const longest = Math.max(...this.windows.map((w) => w.intervalMs));
		const sentByUs = this.starts.filter((t) => t > now - longest).length;
		// Once another client shows up, it is assumed to stay for a whole window.
		if (limit - remaining > sentByUs + 2) this.sharedUntil = now + longest;
		const reserve = now < this.sharedUntil ? Math.max(4, Math.ceil(limit * 0.25)) : 0;
		if (remaining <= reserve) this.pauseUntil(resetAt + WINDOW_MARGIN_MS);
	}

	/** Whether the key is taken to be shared with other clients now (see `observe`). */
	get shared(): boolean {
		return this.clock.now() < this.sharedUntil;
	}

	/** Hold every caller until `until` (after the server said 429 with a reset time). */
	pauseUntil(until: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, until);
	}
}

const limiters = new Map<string, RateLimiter>();

/**
 * The limiter for one API key. Keys are hashes, never the secret itself; every execution of every
 * node in this n8n process that uses the same key shares it.
 */
export function limiterFor(key: string, windows: RateWindow[]): RateLimiter {
	let limiter = limiters.get(key);
	if (!limiter) {
		limiter = new RateLimiter(windows);
		limiters.set(key, limiter);
	}
	return limiter;
}
