import { chunk, fanOut, inParallel } from './batch';
import { errorContext, isValidationError } from './errors';

/**
 * What a read by key gives back: the records found by key (keys not found are absent) and, apart,
 * the keys whose read failed with the error each gets. A failure is never a "not found".
 */
export interface KeyedRead<Raw> {
	found: Map<string, Raw>;
	failed: Map<string, Error>;
}

export function emptyRead<Raw>(): KeyedRead<Raw> {
	return { found: new Map(), failed: new Map() };
}

/** Adds one read's results to another's (in place; returned for chaining). */
export function mergeRead<Raw>(into: KeyedRead<Raw>, from: KeyedRead<Raw>): KeyedRead<Raw> {
	for (const [key, record] of from.found) into.found.set(key, record);
	for (const [key, error] of from.failed) into.failed.set(key, error);
	return into;
}

/** The first failure of a read, for callers that need every key or none (a write's look-up). */
export function firstFailure<Raw>(read: KeyedRead<Raw>): Error | undefined {
	return read.failed.values().next().value;
}

/**
 * Whether a failure would meet every request of the run, whatever keys it names: the credential
 * or the plan refused (401, 402, 403, 407), no such route (404, 405). The keys not yet read then get
 * it without being sent.
 */
export function failsEveryRequest(error: unknown): boolean {
	const { status } = errorContext(error);
	return status !== undefined && [401, 402, 403, 404, 405, 407].includes(status);
}

/**
 * Whether the vendor answered "no such record" for the keys (Flashduty's HTTP 400
 * `ResourceNotFound`). A 404 to a read by keys is not: the keys are in the query or the body, so
 * it means the path does not exist (a wrong Base URL), and must never make existing keys look absent.
 */
function keysNotFound(error: unknown): boolean {
	const { status, notFound } = errorContext(error);
	return notFound === true && status !== 404;
}

/** Whether a chunk's failure may be about one of its keys, so that splitting it can isolate the key. */
function blamesKeys(error: unknown): boolean {
	return isValidationError(error) || keysNotFound(error);
}

interface Run<Raw> {
	result: KeyedRead<Raw>;
	/** Set by a failure every request would meet: later keys get it unsent. */
	stop?: Error;
}

async function readChunk<Raw>(keys: string[], read: (keys: string[]) => Promise<Map<string, Raw>>, run: Run<Raw>): Promise<void> {
	if (run.stop) {
		for (const key of keys) run.result.failed.set(key, run.stop);
		return;
	}
	try {
		for (const [key, record] of await read(keys)) run.result.found.set(key, record);
		return;
	} catch (error) {
		// A lone key the API answers "no such record" for is simply not found.
		if (keys.length === 1 && keysNotFound(error)) return;
		if (keys.length > 1 && blamesKeys(error)) {
			const half = Math.ceil(keys.length / 2);
			await readChunk(keys.slice(0, half), read, run);
			await readChunk(keys.slice(half), read, run);
			return;
		}
		for (const key of keys) run.result.failed.set(key, error as Error);
		if (failsEveryRequest(error)) run.stop = error as Error;
	}
}

/**
 * Reads keys in chunks of at most `size`, up to `concurrency` chunks at once. A chunk the API refuses for its
 * data (400/409/422, or "not found" for several keys at once) is bisected until the refused key
 * stands alone: the other keys are read, the refused one gets the error. Any other failure (a
 * server error or an unusable answer after the engine's retries) fails only its own chunk's keys;
 * one every request would meet (see `failsEveryRequest`) fails the keys not yet read without
 * sending them.
 */
export async function readInChunks<Raw>(
	keys: string[],
	size: number,
	read: (keys: string[]) => Promise<Map<string, Raw>>,
	concurrency = 1,
): Promise<KeyedRead<Raw>> {
	const run: Run<Raw> = { result: emptyRead() };
	const parts = chunk(keys, size);
	await inParallel(parts.length, concurrency, async (i) => await readChunk(parts[i], read, run));
	return run.result;
}

/**
 * Reads keys one request each, at most `concurrency` at a time (for APIs without a batch read).
 * Each key's failure is its own; one every request would meet fails the keys not yet read unsent.
 */
export async function readEach<Raw>(keys: string[], concurrency: number, readOne: (key: string) => Promise<Raw | undefined>): Promise<KeyedRead<Raw>> {
	const run: Run<Raw> = { result: emptyRead() };
	await fanOut(keys, concurrency, async (key) => {
		await readChunk(
			[key],
			async ([one]) => {
				const record = await readOne(one);
				return new Map(record === undefined ? [] : [[one, record]]);
			},
			run,
		);
	});
	return run.result;
}
