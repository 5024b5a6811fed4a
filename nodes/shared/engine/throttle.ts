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
	 * Counts a slot from `at` (when its answer arrived) instead of from when it was handed out. The
	 * server counts a request when it arrives, which can be well after it was sent (connection or TLS
	 * setup on the first request); counting from the answer keeps a later slot from opening before the
	 * server has seen this one (a slow first request sent at t=0 but arriving at t=0.2 s would otherwise
	 * let a third at t=1.05 s land inside its second under 2/s). VendorClient settles every request.
	 * Exact for callers that wait for each answer; never less safe than counting from the send.
	 */
	settle(start: number, at: number): void {
		if (at <= start) return;
		const index = this.starts.lastIndexOf(start);
		if (index < 0) return;
		this.starts[index] = at;
		this.starts.sort((a, b) => a - b);
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
