import { isMaybeStored, isValidationError } from './errors';

/** Splits a list into consecutive chunks of at most `size` (size < 1 is treated as 1). */
export function chunk<T>(list: readonly T[], size: number): T[][] {
	const step = Math.max(1, Math.floor(size));
	const out: T[][] = [];
	for (let i = 0; i < list.length; i += step) out.push(list.slice(i, i + step));
	return out;
}

/** Distinct values in first-seen order. */
export function unique<T>(list: readonly T[]): T[] {
	return [...new Set(list)];
}

/**
 * Runs `work(0 … count-1)` with at most `concurrency` running at once, started in index order;
 * the results in index order. The first runs alone: a failure every request would meet (a wrong
 * key or Base URL, a daily cap already reached) is met by one request, and the work that learns
 * from it (stopping, not sending) applies to all the others. The rate limiter and the key's
 * in-flight limit, not this function, decide how fast requests leave.
 */
export async function inParallel<T>(count: number, concurrency: number, work: (index: number) => Promise<T>): Promise<T[]> {
	const results = new Array<T>(count);
	if (count === 0) return results;
	results[0] = await work(0);
	let next = 1;
	const worker = async () => {
		while (next < count) {
			const index = next++;
			results[index] = await work(index);
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(Math.floor(concurrency), count - 1)) }, worker));
	return results;
}

/** Runs `work` for every key with at most `concurrency` at once (APIs without a batch read); results by key. */
export async function fanOut<T>(keys: string[], concurrency: number, work: (key: string) => Promise<T>): Promise<Map<string, T>> {
	const results = await inParallel(keys.length, concurrency, async (i) => await work(keys[i]));
	return new Map(keys.map((key, i) => [key, results[i]]));
}

/** Which failures blame a batch's data, so that splitting the batch can isolate the bad records. */
export type SplitWhen = (error: unknown) => boolean;

/**
 * Whether two failures are the same refusal: same status, code, field messages and vendor message
 * (the request's own words, "when trying to create 100 users", and the item suffix aside).
 */
function sameRefusal(a: unknown, b: unknown): boolean {
	const facts = (error: unknown) => {
		const e = error as { message?: string; context?: { status?: number; code?: string; fields?: unknown } };
		const reason = (e.message ?? '').replace(/ \[item \d+\]$/, '').replace(/ when trying to [^:]*/, '');
		return JSON.stringify([e.context?.status, e.context?.code, e.context?.fields, reason]);
	};
	return facts(a) === facts(b);
}

/**
 * Sends one batch; when the API rejects it for its data (`splitWhen`, default 400/409/422), the
 * batch is bisected and each half sent again, down to single records, so every valid record lands
 * and each bad one gets its own error. A refusal of the whole batch for one reason (both halves
 * refused exactly as the batch was) is not bisected further: every record gets that error, after
 * at most two extra requests. Any other failure (auth, server down after retries) gives every
 * record of the batch that error: nothing is dropped.
 */
export async function sendBisectingRejects<R, Out>(
	records: R[],
	send: (batch: R[]) => Promise<Out[]>,
	onError: (record: R, error: Error) => Out,
	splitWhen: SplitWhen = isValidationError,
): Promise<Out[]> {
	const attempt = async (batch: R[]): Promise<{ out: Out[] } | { error: Error }> => {
		try {
			return { out: await send(batch) };
		} catch (error) {
			return { error: error as Error };
		}
	};
	const bisect = async (batch: R[], refusal: Error | undefined): Promise<Out[]> => {
		if (batch.length === 0) return [];
		const result = refusal ? { error: refusal } : await attempt(batch);
		if ('out' in result) return result.out;
		const { error } = result;
		if (batch.length === 1 || !splitWhen(error)) return batch.map((record) => onError(record, error));
		const half = Math.ceil(batch.length / 2);
		const [left, right] = [batch.slice(0, half), batch.slice(half)];
		const [first, second] = [await attempt(left), await attempt(right)];
		// Both halves refused exactly as the whole batch: a systemic refusal, not a bad record.
		if ('error' in first && 'error' in second && sameRefusal(first.error, error) && sameRefusal(second.error, error)) {
			return batch.map((record) => onError(record, error));
		}
		const settle = async (part: R[], outcome: { out: Out[] } | { error: Error }) =>
			'out' in outcome ? outcome.out : part.length === 1 || !splitWhen(outcome.error) ? part.map((r) => onError(r, outcome.error)) : await bisect(part, outcome.error);
		return [...(await settle(left, first)), ...(await settle(right, second))];
	};
	return await bisect(records, undefined);
}

/**
 * Sends records in batches of `batchSize`, each as in `sendBisectingRejects`, up to `concurrency`
 * batches at once (the records are different records: callers never put two writes to the same
 * record in one call); the results in the records' order.
 */
export async function sendInBatches<R, Out>(
	records: R[],
	batchSize: number,
	send: (batch: R[]) => Promise<Out[]>,
	onError: (record: R, error: Error) => Out,
	options: { concurrency?: number; splitWhen?: SplitWhen } = {},
): Promise<Out[]> {
	const batches = chunk(records, batchSize);
	const sent = await inParallel(batches.length, options.concurrency ?? 1, async (i) => await sendBisectingRejects(batches[i], send, onError, options.splitWhen ?? isValidationError));
	return sent.flat();
}

/** What one write did for one record: done (with its output) or failed. */
export type Attempt<R, Out> = { record: R; done: Out } | { record: R; error: Error };

/** How many times a record whose write may have landed is re-read and, if absent, sent again. */
export const SETTLE_ROUNDS = 3;

/** How `writeSettled` sends, re-reads and reports records whose write may have landed. */
export interface SettleSteps<R, Out> {
	/** Sends records; says what became of each. */
	write: (records: R[]) => Promise<Array<Attempt<R, Out>>>;
	/** Re-reads records by their keys: those found stored (or, for deletes, gone), with their output. */
	reread: (records: R[]) => Promise<Map<R, Out>>;
	/** The error of a record that could not be settled (the re-read failed): it may have been stored. */
	unsettled: (record: R, error: Error) => Error;
	/** The error of a record re-read and absent after the last round: it was not stored. */
	notStored: (record: R, error: Error) => Error;
	rounds?: number;
}

/**
 * Writes records so that none is stored twice and none is misreported, when an answer can be lost
 * after the write landed (`maybeStored` failures: connection cut, timeout, 5xx, malformed answer
 * to a request that is not idempotent). The records whose write may have landed are re-read by
 * their keys; the ones found are done, only the others are sent again, for at most `rounds`
 * rounds. A record that cannot be settled gets an error saying it may have been stored.
 */
export async function writeSettled<R, Out>(records: R[], steps: SettleSteps<R, Out>): Promise<Array<Attempt<R, Out>>> {
	const rounds = steps.rounds ?? SETTLE_ROUNDS;
	const settled: Array<Attempt<R, Out>> = [];
	let pending = records;
	for (let round = 1; pending.length > 0; round++) {
		const uncertain: Array<{ record: R; error: Error }> = [];
		for (const attempt of await steps.write(pending)) {
			if ('error' in attempt && isMaybeStored(attempt.error)) uncertain.push(attempt);
			else settled.push(attempt);
		}
		if (uncertain.length === 0) break;
		let found: Map<R, Out>;
		try {
			found = await steps.reread(uncertain.map((u) => u.record));
		} catch {
			settled.push(...uncertain.map(({ record, error }) => ({ record, error: steps.unsettled(record, error) })));
			break;
		}
		pending = [];
		for (const { record, error } of uncertain) {
			const done = found.get(record);
			if (done !== undefined) settled.push({ record, done });
			else if (round >= rounds) settled.push({ record, error: steps.notStored(record, error) });
			else pending.push(record);
		}
	}
	return settled;
}
