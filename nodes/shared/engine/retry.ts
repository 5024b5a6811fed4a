import { headerValue as header, type Headers } from './values';

export const MAX_ATTEMPTS = 6;
/** First backoff step; doubles each attempt (1 s, 2 s, 4 s ... as Flashduty's docs advise). */
export const BASE_BACKOFF_MS = 1000;
/** Waits longer than this are not sat out: the error is reported with the time to retry. */
export const MAX_WAIT_MS = 120_000;


/** Whether a status is worth another attempt: 429 and 5xx (not 501, which never changes). */
export function isRetryableStatus(status: number): boolean {
	return status === 429 || (status >= 500 && status !== 501);
}

/** Network failures worth another attempt. */
export function isRetryableNetworkError(code: string | undefined): boolean {
	return code !== undefined && (NEVER_SENT.includes(code) || MAYBE_SENT.includes(code));
}

/** Network failures after which the request cannot have reached the server. */
const NEVER_SENT = ['ECONNREFUSED', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH'];

/** Network failures after which the request may have reached the server (and a write may have landed). */
const MAYBE_SENT = ['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'UND_ERR_SOCKET', 'TIMEOUT'];

/**
 * Whether a failure leaves it open if the request took effect: a connection cut after sending, a
 * timeout, a gateway or server error (502/503/504, 500) or an answer that is not the API's. A write
 * that failed this way is never sent again blind.
 */
export function isAmbiguousFailure(failure: { status?: number; networkCode?: string; malformed?: boolean }): boolean {
	if (failure.malformed) return true;
	if (failure.status !== undefined) return failure.status >= 500 && failure.status !== 501;
	return failure.networkCode === undefined || MAYBE_SENT.includes(failure.networkCode);
}

/** Unix time in ms from a reset value: epoch milliseconds, epoch seconds, or seconds from now. */
function resetAtMs(value: number, now: number): number {
	if (value >= 1e12) return value;
	if (value >= 1e9) return value * 1000;
	return now + value * 1000;
}

/**
 * How long the server asked us to wait, in ms: `Retry-After` (seconds or an HTTP date) first, else
 * `X-RateLimit-Reset` (epoch seconds, epoch milliseconds, or seconds from now). Undefined when
 * neither says anything usable: a missing, invalid, zero, negative or past value means "back off
 * normally", never "retry at once".
 */
export function serverWaitMs(headers: Headers, now: number): number | undefined {
	const retryAfter = header(headers, 'retry-after')?.trim();
	if (retryAfter) {
		const seconds = /^-?\d+(\.\d+)?$/.test(retryAfter) ? Number(retryAfter) : NaN;
		const wait = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - now;
		if (Number.isFinite(wait) && wait > 0) return Math.round(wait);
	}
	const reset = header(headers, 'x-ratelimit-reset')?.trim();
	if (reset && /^\d+(\.\d+)?$/.test(reset)) {
		const wait = resetAtMs(Number(reset), now) - now;
		if (wait > 0) return Math.round(wait);
	}
	return undefined;
}

/**
 * The server's own count from `X-RateLimit-Limit/Remaining` (and `-Reset` when sent: Laravel, for
 * one, sends it only on a 429), or undefined when the answer does not carry it.
 */
export function serverRateCount(headers: Headers, now: number): { limit: number; remaining: number; resetAt?: number } | undefined {
	const limit = Number(header(headers, 'x-ratelimit-limit'));
	const remaining = Number(header(headers, 'x-ratelimit-remaining'));
	if (!Number.isFinite(limit) || limit <= 0 || !Number.isFinite(remaining) || remaining < 0) return undefined;
	const reset = header(headers, 'x-ratelimit-reset')?.trim();
	const resetAt = reset && /^\d+(\.\d+)?$/.test(reset) ? resetAtMs(Number(reset), now) : undefined;
	return { limit, remaining, resetAt: resetAt !== undefined && resetAt > now ? resetAt : undefined };
}

/** Exponential backoff with full jitter in the upper half: attempt 1 → 0.5–1 s, 2 → 1–2 s... */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
	const ceiling = BASE_BACKOFF_MS * 2 ** Math.max(0, attempt - 1);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * The wait before the next attempt, or undefined when no further attempt should be made.
 * `attempt` counts attempts made so far (1 after the first failure). A 429 that names no wait is
 * backed off normally at first; the last attempts wait a whole rate window (`quietWindowMs`, the
 * vendor's documented window), so a 429 storm of up to one window is outlasted.
 */
export function nextRetryDelay(
	attempt: number,
	failure: { status?: number; networkCode?: string; headers?: Headers; malformed?: boolean; quietWindowMs?: number },
	now: number,
	random: () => number = Math.random,
): number | undefined {
	if (attempt >= MAX_ATTEMPTS) return undefined;
	const retryable = failure.malformed
		? true
		: failure.status !== undefined
			? isRetryableStatus(failure.status)
			: isRetryableNetworkError(failure.networkCode);
	if (!retryable) return undefined;
	const asked = failure.headers ? serverWaitMs(failure.headers, now) : undefined;
	// A small jitter on top of the server's time keeps parallel clients from waking together.
	if (asked !== undefined) return asked + Math.round(random() * 250);
	if (failure.status === 429 && failure.quietWindowMs !== undefined && attempt >= MAX_ATTEMPTS - 2) {
		return failure.quietWindowMs + Math.round(random() * 1000);
	}
	return backoffMs(attempt, random);
}
