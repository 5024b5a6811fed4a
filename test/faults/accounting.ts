/**
 * Shared helpers of the fault suites (reads and writes): the faults themselves, a hook that changes a
 * simulator's data while a node reads it, and the accounting every run is checked against:
 * every input key accounted for exactly once, nothing misreported, no secret said.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { Fault, FaultMatch, SimRequest, SimServer } from '../../simulators/core/server';
import { everythingSaid, type RunResult } from '../workflow/harness';

/** A 200 that is a web page, not the API's answer (a captive portal, a proxy's error page). */
export const HTML: Fault = { status: 200, raw: '<!DOCTYPE html><html><head><title>Sign in</title></head><body>Please sign in to continue</body></html>', contentType: 'text/html' };
/** A 200 whose JSON is cut off mid-way. */
export const TRUNCATED: Fault = { status: 200, raw: '{"data": [{"id": 1, "email": "ada.lov', contentType: 'application/json' };
/** A 200 with nothing in it. */
export const EMPTY: Fault = { status: 200, raw: '', contentType: 'application/json' };
/** A 200 with JSON the operation cannot use. */
export function answer(body: unknown): Fault {
	return { status: 200, body };
}
/** A failure the engine does not retry (501): the requests it hits fail at once. */
export const NOT_IMPLEMENTED: Fault = { status: 501 };

/** A fault match that sees the whole request (path, query, body). */
export function when(test: (req: SimRequest) => boolean): FaultMatch {
	return (req) => test(req as SimRequest);
}

/**
 * Calls `act` when the n-th request that `match` accepts arrives, before it is answered (the
 * simulator asks fault matches first): the data changes between two pages of a read.
 */
export function onRequest(sim: SimServer, match: (req: SimRequest) => boolean, nth: number[], act: (req: SimRequest) => void): void {
	let seen = 0;
	// A fault that never applies: its match is only a hook. Registered first, it sees every request.
	sim.failNext(1, { status: 599 }, (req) => {
		if (match(req as SimRequest) && nth.includes(++seen)) act(req as SimRequest);
		return false;
	});
}

/** The keys an output item stands for: a record by its ID, external ID or email; an error or notFound item by its `id`. */
function keysOf(json: IDataObject): string[] {
	return [json.id, json.externalId, json.email].filter((v): v is string => typeof v === 'string');
}

export type Expected = 'found' | 'notFound' | 'error';

/** How an output item reads: a record, a notFound marker (Get's carries an error too), or an error item. */
function kindOf(json: IDataObject): Expected {
	if (json.notFound === true) return 'notFound';
	if (typeof json.error === 'string') return 'error';
	return 'found';
}

/**
 * Checks every key of every input item is accounted for exactly once, as expected: `expected[i]`
 * maps the keys of item i to what each must be. Errors must not say "not found" for a key that
 * exists, nor a record be output for a key that does not. Returns the outputs by key.
 */
export function expectAccounted(out: INodeExecutionData[], expected: Array<Record<string, Expected>>): Map<string, IDataObject> {
	const byKey = new Map<string, IDataObject>();
	const extra: string[] = [];
	for (const item of out) {
		const index = (item.pairedItem as { item: number }).item;
		const keys = Object.keys(expected[index] ?? {});
		const key = keysOf(item.json).find((k) => keys.includes(k));
		if (key === undefined) {
			extra.push(JSON.stringify(item.json).slice(0, 200));
			continue;
		}
		const full = `${index}:${key}`;
		expect(byKey.has(full) ? `${full} output twice` : full).toBe(full);
		byKey.set(full, item.json);
	}
	expect(extra).toEqual([]);
	const seen: Record<string, Expected> = {};
	const wanted: Record<string, Expected> = {};
	expected.forEach((keys, index) => {
		for (const [key, kind] of Object.entries(keys)) {
			wanted[`${index}:${key}`] = kind;
			const json = byKey.get(`${index}:${key}`);
			seen[`${index}:${key}`] = json ? kindOf(json) : ('missing' as Expected);
		}
	});
	expect(seen).toEqual(wanted);
	return byKey;
}

/** Outputs of a list: every record once, by ID; the IDs that must be there are; none twice. */
export function expectListExact(out: INodeExecutionData[], mustHave: string[], mayHave: string[] = []): void {
	const ids = out.map((item) => String(item.json.id));
	expect(out.every((item) => item.json.error === undefined)).toBe(true);
	expect(ids.length - new Set(ids).size).toBe(0);
	const present = new Set(ids);
	expect(mustHave.filter((id) => !present.has(id))).toEqual([]);
	const allowed = new Set([...mustHave, ...mayHave]);
	expect(ids.filter((id) => !allowed.has(id))).toEqual([]);
}

/** No secret anywhere in what the run said. */
export function expectNoSecret(result: RunResult, ...secrets: string[]): void {
	const said = everythingSaid(result);
	for (const secret of secrets) {
		expect(said.includes(secret)).toBe(false);
		// Nor its first 20 characters (a key cut short in a message).
		expect(said.includes(secret.slice(0, 20))).toBe(false);
	}
}

/** The answer to a write that landed is lost: cut, 502, 504, a malformed 200, a timeout (Options > Timeout 1 s). */
export const LOST_ANSWERS: Array<[string, Fault, IDataObject]> = [
	['connection reset', { reset: true, after: true }, {}],
	['502', { status: 502, after: true }, {}],
	['504', { status: 504, after: true }, {}],
	['malformed 200 (HTML)', { status: 200, raw: '<html><body>OK</body></html>', after: true }, {}],
	['timeout', { silent: true, after: true }, { timeout: 1 }],
];

/** A write's outputs: every input item accounted for exactly once, paired with its item, in order. */
export function accountedOnce(result: RunResult, node: string, count: number): IDataObject[] {
	const out: INodeExecutionData[] = result.output[node] ?? [];
	expect(out).toHaveLength(count);
	out.forEach((item, i) => expect(item.pairedItem).toEqual({ item: i }));
	return out.map((item) => item.json);
}

/** Warning hints a node added. */
export function hintsOf(result: RunResult, node: string): string[] {
	return (result.run.data.resultData.runData[node]?.[0]?.hints ?? []).map((h) => h.message);
}

/** Get: exactly one output per input item, in order, of the kind expected (and the record asked for). */
export function expectGetAccounted(out: INodeExecutionData[], expected: Array<Expected | { found: string }>): void {
	expect(out.map((item) => (item.pairedItem as { item: number }).item)).toEqual(expected.map((_, i) => i));
	const kinds = out.map((item, i) => {
		const want = expected[i];
		const kind = kindOf(item.json);
		if (typeof want === 'object') return kind === 'found' && keysOf(item.json).includes(want.found) ? want : { kind, json: JSON.stringify(item.json).slice(0, 300) };
		return kind === want ? want : { kind, json: JSON.stringify(item.json).slice(0, 300) };
	});
	expect(kinds).toEqual(expected);
}
