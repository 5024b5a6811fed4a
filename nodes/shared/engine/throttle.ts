import { sleep } from 'n8n-workflow';

/** At most `limit` requests in any `intervalMs` window. */
export interface RateWindow {
	limit: number;
	intervalMs: number;
}

/** Extra room kept on every window, so clock jitter and network latency never push a request over. */
export const WINDOW_MARGIN_MS = 50;

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

	private pausedUntil = 0;

	/** Until when the key is taken to be shared with other clients (see `observe`). */
	private sharedUntil = 0;

	private readonly keep: number;

	/**
	 * The shortest round trip (send to answer) seen so far on this key: the part of a later answer's
	 * wait that surely came after its request reached the server (see `settle`). Unknown (0) until
	 * a first request has been answered.
	 */
	private shortestRoundTrip = 0;

	constructor(
		readonly windows: RateWindow[],
		private readonly clock: Clock = realClock,
	) {
		this.keep = Math.max(1, ...windows.map((w) => w.limit));
	}

	/** Reserve the next slot and return when it starts (ms since epoch). */
	reserve(): number {
		let start = Math.max(this.clock.now(), this.pausedUntil);
		for (const { limit, intervalMs } of this.windows) {
			if (this.starts.length >= limit) {
				const blocking = this.starts[this.starts.length - limit];
				start = Math.max(start, blocking + intervalMs + WINDOW_MARGIN_MS);
			}
		}
		this.starts.push(start);
		if (this.starts.length > this.keep) this.starts.splice(0, this.starts.length - this.keep);
		return start;
	}

	/** Wait until a request may be sent; returns the slot's start (for `settle`). */
	async acquire(): Promise<number> {
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
	 * So a slot counts from its answer less the shortest round trip seen before it on this key: the
	 * way back (and the next request's way there) take at least that long while latency holds, so the
	 * server never sees more than the window allows, and the first requests, before any round trip is
	 * known, count from their answers. The limiter's margin absorbs jitter. VendorClient settles every
	 * request, its answer's arrival and its send.
	 */
	settle(start: number, at: number, sentAt = start): void {
		const roundTrip = at - sentAt;
		const counted = at - this.shortestRoundTrip;
		if (roundTrip >= 0) this.shortestRoundTrip = this.shortestRoundTrip === 0 ? roundTrip : Math.min(this.shortestRoundTrip, roundTrip);
		if (counted <= start) return;
		let index = this.starts.lastIndexOf(start);
		if (index < 0) return;
		// Move the slot to its new time, keeping the list ordered (later slots are few: those in flight).
		while (index + 1 < this.starts.length && this.starts[index + 1] < counted) {
			this.starts[index] = this.starts[index + 1];
			index++;
		}
		this.starts[index] = counted;
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
