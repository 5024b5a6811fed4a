import { isValidationError } from './errors';

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
 * Runs `work` for every key with at most `concurrency` in flight, for APIs without a batch read.
 * The rate limiter, not this function, decides how fast requests leave.
 */
export async function fanOut<T>(keys: string[], concurrency: number, work: (key: string) => Promise<T>): Promise<Map<string, T>> {
	const results = new Map<string, T>();
	let next = 0;
	const worker = async () => {
		while (next < keys.length) {
			const key = keys[next++];
			results.set(key, await work(key));
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, keys.length) }, worker));
	return results;
}

/** Which failures blame a batch's data, so that splitting the batch can isolate the bad records. */
export type SplitWhen = (error: unknown) => boolean;

/**
 * Sends one batch; when the API rejects it for its data (`splitWhen`, default 400/409/422), the
 * batch is bisected and each half sent again, down to single records, so every valid record lands
 * and each bad one gets its own error. Any other failure (auth, server down after retries) gives
 * every record of the batch that error: nothing is dropped.
 */
export async function sendBisectingRejects<R, Out>(
	records: R[],
	send: (batch: R[]) => Promise<Out[]>,
	onError: (record: R, error: Error) => Out,
	splitWhen: SplitWhen = isValidationError,
): Promise<Out[]> {
	if (records.length === 0) return [];
	try {
		return await send(records);
	} catch (error) {
		if (records.length > 1 && splitWhen(error)) {
			const half = Math.ceil(records.length / 2);
			return [
				...(await sendBisectingRejects(records.slice(0, half), send, onError, splitWhen)),
				...(await sendBisectingRejects(records.slice(half), send, onError, splitWhen)),
			];
		}
		return records.map((record) => onError(record, error as Error));
	}
}

/** Sends records in batches of `batchSize`, one after another, each as in `sendBisectingRejects`. */
export async function sendInBatches<R, Out>(
	records: R[],
	batchSize: number,
	send: (batch: R[]) => Promise<Out[]>,
	onError: (record: R, error: Error) => Out,
	splitWhen: SplitWhen = isValidationError,
): Promise<Out[]> {
	const out: Out[] = [];
	for (const batch of chunk(records, batchSize)) out.push(...(await sendBisectingRejects(batch, send, onError, splitWhen)));
	return out;
}
