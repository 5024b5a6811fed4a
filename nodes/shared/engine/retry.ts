export const MAX_ATTEMPTS = 6;
/** First backoff step; doubles each attempt (1 s, 2 s, 4 s ... as Flashduty's docs advise). */
export const BASE_BACKOFF_MS = 1000;
/** Waits longer than this are not sat out: the error is reported with the time to retry. */
export const MAX_WAIT_MS = 120_000;

export type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
	}
	return undefined;
}

/** Whether a status is worth another attempt: 429 and 5xx (not 501, which never changes). */
export function isRetryableStatus(status: number): boolean {
	return status === 429 || (status >= 500 && status !== 501);
}

/** Network failures worth another attempt. */
export function isRetryableNetworkError(code: string | undefined): boolean {
	return (
		code !== undefined &&
		['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_SOCKET'].includes(code)
	);
}

/**
 * How long the server asked us to wait, in ms: `Retry-After` (seconds or an HTTP date) first, else
 * `X-RateLimit-Reset` (Unix seconds, or seconds from now when it is small). Undefined if neither.
 */
export function serverWaitMs(headers: Headers, now: number): number | undefined {
	const retryAfter = header(headers, 'retry-after');
	if (retryAfter !== undefined && retryAfter.trim() !== '') {
		const seconds = Number(retryAfter);
		if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
		const date = Date.parse(retryAfter);
		if (!Number.isNaN(date)) return Math.max(0, date - now);
	}
	const reset = header(headers, 'x-ratelimit-reset');
	if (reset !== undefined && reset.trim() !== '') {
		const value = Number(reset);
		if (Number.isFinite(value)) {
			// A Unix timestamp (seconds) is > 1e9; anything smaller is a number of seconds.
			return Math.max(0, value > 1e9 ? value * 1000 - now : value * 1000);
		}
	}
	return undefined;
}

/** Exponential backoff with full jitter in the upper half: attempt 1 → 0.5–1 s, 2 → 1–2 s... */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
	const ceiling = BASE_BACKOFF_MS * 2 ** Math.max(0, attempt - 1);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * The wait before the next attempt, or undefined when no further attempt should be made.
 * `attempt` counts attempts made so far (1 after the first failure).
 */
export function nextRetryDelay(
	attempt: number,
	failure: { status?: number; networkCode?: string; headers?: Headers },
	now: number,
	random: () => number = Math.random,
): number | undefined {
	if (attempt >= MAX_ATTEMPTS) return undefined;
	const retryable =
		failure.status !== undefined
			? isRetryableStatus(failure.status)
			: isRetryableNetworkError(failure.networkCode);
	if (!retryable) return undefined;
	const asked = failure.headers ? serverWaitMs(failure.headers, now) : undefined;
	// A small jitter on top of the server's time keeps parallel clients from waking together.
	const wait = asked !== undefined ? asked + Math.round(random() * 250) : backoffMs(attempt, random);
	return wait;
}
