import { NodeApiError, type IDataObject, type IExecuteFunctions, type INode } from 'n8n-workflow';

import { chunk, fanOut, sendBisectingRejects, sendInBatches, writeSettled, type Attempt } from '../../nodes/shared/engine/batch';
import { inputError } from '../../nodes/shared/engine/errors';
import type { VendorApi } from '../../nodes/shared/engine/vendor';
import { keysToRead, readItemKeyLists, readItemKeys, itemFieldPath } from '../../nodes/shared/helpers/keys';
import { forEachItem, writeOutputs, writeResults, type ItemResult } from '../../nodes/shared/helpers/output';
import { readBatchSize, readItemPayloads } from '../../nodes/shared/helpers/parameters';
import { batchGetOutputs, getOutputs, settleRead } from '../../nodes/shared/helpers/readOutputs';
import { unifiedPerson } from '../../nodes/shared/person/unified';

const node: INode = { id: 'n1', name: 'Test', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} };

/** A stand-in for n8n's execute context: per-item parameters and the Continue On Fail switch. */
function fakeContext(parameters: Array<Record<string, unknown>>, continueOnFail = true): IExecuteFunctions {
	// As n8n saves them: a parameter whose value differs between items is an expression.
	const names = new Set(parameters.flatMap((p) => Object.keys(p)));
	const saved = Object.fromEntries([...names].map((name) => [name, new Set(parameters.map((p) => JSON.stringify(p[name]))).size > 1 ? '={{ per item }}' : parameters[0]?.[name]]));
	return {
		getNode: () => ({ ...node, parameters: saved }),
		continueOnFail: () => continueOnFail,
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			const value = parameters[itemIndex]?.[name];
			return value === undefined ? fallback : value;
		},
	} as unknown as IExecuteFunctions;
}

function rejected(status: number, message = 'refused'): NodeApiError {
	const error = new NodeApiError(node, { message }, { message, httpCode: String(status) });
	Object.assign(error.context, { status });
	return error;
}

const items = (n: number) => Array.from({ length: n }, (_, i) => ({ json: { n: i } }));

const api = {
	vendor: 'flameup',
	displayName: 'Acme',
	checkKey: (key: string) => (key === 'bad' ? { problem: `"${key}" is no key`, fix: 'Use a good one.' } : undefined),
} as unknown as VendorApi;

type Raw = IDataObject & { id: string; email: string };
const toUnified = (raw: Raw) => unifiedPerson({ source: 'flameup', id: raw.id, email: raw.email });

function maybeStored(message = 'answer lost'): NodeApiError {
	const error = rejected(502, message);
	Object.assign(error.context, { maybeStored: true });
	return error;
}

describe('writeSettled', () => {
	const steps = (stored: Set<number>, lose: (n: number, round: number) => boolean, calls: number[][]) => {
		let round = 0;
		return {
			write: async (batch: number[]): Promise<Array<Attempt<number, string>>> => {
				round++;
				calls.push(batch);
				return batch.map((n) => {
					stored.add(n);
					return lose(n, round) ? { record: n, error: maybeStored() } : { record: n, done: `stored ${n}` };
				});
			},
			reread: async (batch: number[]) => new Map(batch.filter((n) => stored.has(n)).map((n): [number, string] => [n, `found ${n}`])),
			unsettled: (n: number) => new Error(`${n} may have been stored`),
			notStored: (n: number) => new Error(`${n} was not stored`),
		};
	};

	it('reads back what may have landed and never sends it again', async () => {
		const calls: number[][] = [];
		const out = await writeSettled([1, 2, 3], steps(new Set(), (n) => n === 2, calls));
		expect(out.map((a) => ('done' in a ? a.done : a.error.message)).sort()).toEqual(['found 2', 'stored 1', 'stored 3']);
		expect(calls).toEqual([[1, 2, 3]]);
	});

	it('sends again only what the read-back does not find, for at most three rounds', async () => {
		const calls: number[][] = [];
		const stored = new Set<number>();
		const base = steps(stored, () => true, calls);
		const out = await writeSettled([1, 2], { ...base, write: async (batch) => (calls.push(batch), batch.map((n) => ({ record: n, error: maybeStored() }))) });
		expect(calls).toEqual([[1, 2], [1, 2], [1, 2]]);
		expect(out.map((a) => ('error' in a ? a.error.message : a.done))).toEqual(['1 was not stored', '2 was not stored']);
	});

	it('a failed read-back leaves an error saying the record may have been stored', async () => {
		const out = await writeSettled([1], {
			...steps(new Set(), () => true, []),
			reread: async () => {
				throw new Error('down');
			},
		});
		expect(out.map((a) => ('error' in a ? a.error.message : a.done))).toEqual(['1 may have been stored']);
	});
});

describe('sendBisectingRejects', () => {
	it('sends a clean batch once', async () => {
		const calls: number[][] = [];
		const out = await sendBisectingRejects([1, 2, 3, 4], async (batch) => (calls.push(batch), batch.map((n) => `ok ${n}`)), (n, e) => `error ${n}: ${e.message}`);
		expect(out).toEqual(['ok 1', 'ok 2', 'ok 3', 'ok 4']);
		expect(calls).toEqual([[1, 2, 3, 4]]);
	});

	it('bisects a batch rejected for its data until the bad record stands alone', async () => {
		const calls: number[][] = [];
		const out = await sendBisectingRejects(
			[1, 2, 3, 4, 5, 6, 7, 8],
			async (batch) => {
				calls.push(batch);
				if (batch.includes(6)) throw rejected(422, 'record 6 is invalid');
				return batch.map((n) => `ok ${n}`);
			},
			(n, e) => `error ${n}: ${e.message}`,
		);
		expect(out).toEqual(['ok 1', 'ok 2', 'ok 3', 'ok 4', 'ok 5', 'error 6: record 6 is invalid', 'ok 7', 'ok 8']);
		// 8 → [1-4] ok, [5-8] → [5,6] and [7,8] (both halves sent, to tell a systemic refusal) → [5] ok, [6] bad
		expect(calls).toEqual([[1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4], [5, 6, 7, 8], [5, 6], [7, 8], [5], [6]]);
	});

	it('a batch refused for the same reason for every record costs two more requests, not 199', async () => {
		let calls = 0;
		const records = Array.from({ length: 100 }, (_, i) => i);
		const out = await sendBisectingRejects(
			records,
			async () => {
				calls++;
				throw rejected(422, 'the account cannot take new users');
			},
			(n, e) => `error ${n}: ${e.message}`,
		);
		expect(out).toEqual(records.map((n) => `error ${n}: the account cannot take new users`));
		expect(calls).toBe(3);
	});

	it('does not split for failures that do not blame the data: every record gets the error', async () => {
		let calls = 0;
		const out = await sendBisectingRejects(
			[1, 2, 3],
			async () => {
				calls++;
				throw rejected(401, 'bad key');
			},
			(n, e) => `error ${n}: ${e.message}`,
		);
		expect(out).toEqual(['error 1: bad key', 'error 2: bad key', 'error 3: bad key']);
		expect(calls).toBe(1);
	});

	it('splits only when the caller says so', async () => {
		let calls = 0;
		await sendBisectingRejects(
			[1, 2],
			async () => {
				calls++;
				throw rejected(422);
			},
			(n) => n,
			() => false,
		);
		expect(calls).toBe(1);
	});

	it('sendInBatches sends consecutive batches and keeps the order', async () => {
		const calls: number[][] = [];
		const out = await sendInBatches([1, 2, 3, 4, 5], 2, async (batch) => (calls.push(batch), batch), (n) => -n);
		expect(out).toEqual([1, 2, 3, 4, 5]);
		expect(calls).toEqual(chunk([1, 2, 3, 4, 5], 2));
	});

	it('fanOut runs every key once with bounded concurrency', async () => {
		let inFlight = 0;
		let most = 0;
		const results = await fanOut(['a', 'b', 'c', 'd', 'e'], 2, async (key) => {
			most = Math.max(most, ++inFlight);
			await new Promise((resolve) => setImmediate(resolve));
			inFlight--;
			return key.toUpperCase();
		});
		expect([...results.entries()].sort()).toEqual([['a', 'A'], ['b', 'B'], ['c', 'C'], ['d', 'D'], ['e', 'E']]);
		expect(most).toBe(2);
	});
});

describe('write output builders', () => {
	it('give exactly one output per input item, paired, and name items without a result', () => {
		const ctx = fakeContext([{}, {}, {}]);
		const results = new Map<number, ItemResult>([
			[2, { json: { id: 'c' } }],
			[0, { json: { id: 'a' } }],
		]);
		const out = writeOutputs(ctx, items(3), results, 'Acme');
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[0].json).toEqual({ id: 'a' });
		expect(out[1].json.error).toBe('Acme returned no result for this item [item 1]');
		expect(out[2].json).toEqual({ id: 'c' });
	});

	it('keep the facts beside an error and throw the first error without Continue On Fail', () => {
		const results = new Map<number, ItemResult>([
			[0, { json: { deleted: true, id: '1' } }],
			[1, { error: inputError(node, 'No user 2', 1, 'Check it.'), json: { id: '2' } }],
			[2, { error: new Error('later') }],
		]);
		const out = writeOutputs(fakeContext([{}, {}, {}]), items(3), results, 'Acme');
		expect(out[1].json).toMatchObject({ id: '2', error: 'No user 2 [item 1]', description: 'Check it.' });
		expect(() => writeOutputs(fakeContext([{}, {}, {}], false), items(3), results, 'Acme')).toThrow('No user 2 [item 1]');
	});

	it('writeResults shapes each record as the item asked (Simplify per item) with its action', () => {
		const ctx = fakeContext([{ simplify: true }, { simplify: false }]);
		const results = writeResults<Raw>(
			ctx,
			[
				{ index: 1, action: 'created', record: { id: '9', email: 'B@X.CO', extra: 1 } },
				{ index: 0, action: 'updated', record: { id: '8', email: 'a@x.co' } },
			],
			toUnified,
		);
		expect(results.get(0)).toEqual({ json: { source: 'flameup', id: '8', email: 'a@x.co', action: 'updated' } });
		expect(results.get(1)).toEqual({ json: { id: '9', email: 'B@X.CO', extra: 1, action: 'created' } });
	});

	it('forEachItem turns a failure into an error item under Continue On Fail, else stops', async () => {
		const work = async (i: number) => {
			if (i === 1) throw new Error('boom');
			return [{ i }, { i }];
		};
		const out = await forEachItem(fakeContext([{}, {}, {}]), items(3), work);
		expect(out.map((o) => [o.pairedItem, o.json.error ?? o.json.i])).toEqual([
			[{ item: 0 }, 0],
			[{ item: 0 }, 0],
			[{ item: 1 }, 'boom [item 1]'],
			[{ item: 2 }, 2],
			[{ item: 2 }, 2],
		]);
		await expect(forEachItem(fakeContext([{}, {}, {}], false), items(3), work)).rejects.toThrow('boom [item 1]');
	});
});

describe('input helpers', () => {
	it('read payloads item by item and keep each bad item\'s error', () => {
		const { records, errors } = readItemPayloads(items(3), (json, i) => {
			if (i === 1) throw inputError(node, 'No email', i, 'Add one.');
			return { n: json.n };
		});
		expect(records).toEqual([
			{ index: 0, payload: { n: 0 } },
			{ index: 2, payload: { n: 2 } },
		]);
		expect(errors.get(1)?.message).toBe('No email [item 1]');
	});

	it('keep Batch Size within 1 and the API maximum', () => {
		expect(readBatchSize(fakeContext([{ 'options.batchSize': 500 }]), items(1), 100)).toBe(100);
		expect(readBatchSize(fakeContext([{ 'options.batchSize': 0 }]), items(1), 100)).toBe(100);
		expect(readBatchSize(fakeContext([{ 'options.batchSize': 7.9 }]), items(1), 100)).toBe(7);
		expect(readBatchSize(fakeContext([{}]), items(1), 20)).toBe(20);
	});

	it('read keys, refuse bad ones for their own item, and read each distinct key once', () => {
		const ctx = fakeContext([{ id: ' A@X.co ' }, { id: 'bad' }, { id: '' }, { id: 'a@x.co' }]);
		const keys = readItemKeys(ctx, items(4), api, 'person ID or email');
		expect(keys[0]).toBe('a@x.co');
		expect((keys[1] as Error).message).toBe('"bad" is no key [item 1]');
		expect((keys[2] as Error).message).toBe('No person ID or email given [item 2]');
		expect(keysToRead(keys)).toEqual(['a@x.co']);
		const lists = readItemKeyLists(fakeContext([{ ids: '1, 2\n3' }, { ids: ['2', 4] }]), items(2), api, 'IDs');
		expect(keysToRead(lists)).toEqual(['1', '2', '3', '4']);
	});
});

describe('read output builders', () => {
	const found = new Map<string, Raw>([['1', { id: '1', email: 'a@x.co' }]]);

	it('Get: one output per item; not found and bad keys are error items with the key', async () => {
		const ctx = fakeContext([{}, {}, {}]);
		const out = getOutputs(ctx, ['1', '2', new Error('bad key')], await settleRead(Promise.resolve(found)), { api, toUnified, noun: 'person' });
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[0].json).toEqual({ source: 'flameup', id: '1', email: 'a@x.co' });
		expect(out[1].json).toMatchObject({ id: '2', notFound: true, error: 'No Acme person matches "2" [item 1]' });
		expect(out[2].json).toEqual({ error: 'bad key' });
		expect(() => getOutputs(fakeContext([{}], false), ['2'], { found }, { api, toUnified, noun: 'person' })).toThrow('No Acme person matches "2" [item 0]');
	});

	it('Get: a failed read fails every item that needed it, and is not reported as not found', async () => {
		const read = await settleRead<Raw>(Promise.reject(new Error('server down')));
		const out = getOutputs(fakeContext([{}, {}]), ['1', '2'], read, { api, toUnified, noun: 'person' });
		expect(out.map((o) => o.json)).toEqual([
			{ id: '1', notFound: false, error: 'server down [item 0]' },
			{ id: '2', notFound: false, error: 'server down [item 1]' },
		]);
	});

	it('Batch Get: records found, then one notFound item per missing key, or one error with If Not Found: Fail', () => {
		const out = batchGetOutputs(fakeContext([{}, { 'options.onNotFound': 'error' }]), [['1', '2', '1'], ['3']], { found }, { api, toUnified, noun: 'person' });
		expect(out.map((o) => [o.pairedItem, o.json])).toEqual([
			[{ item: 0 }, { source: 'flameup', id: '1', email: 'a@x.co' }],
			[{ item: 0 }, { source: 'flameup', id: '2', notFound: true }],
			[{ item: 1 }, { error: '1 of 1 person IDs not found in Acme: 3 [item 1]', description: 'Check these IDs or emails, or set Options > If Not Found to "Output an Item" to carry on and mark them.' }],
		]);
	});
});

describe('itemFieldPath: which key expressions are read from the item itself', () => {
	it('reads $json fields, dotted or quoted; leaves every other value to n8n', () => {
		expect(itemFieldPath('={{ $json.id }}')).toEqual(['id']);
		expect(itemFieldPath('={{$json["user id"]}}')).toEqual(['user id']);
		expect(itemFieldPath("={{ $json.user['id'].value }}")).toEqual(['user', 'id', 'value']);
		for (const other of ['={{ $json.id + 1 }}', '={{ ($json.id) }}', '={{ $json.id }} ', '={{ $("Node").item.json.id }}', '={{ $fromAI("id") }}', '7', 'ada@example.com', 7, undefined]) {
			expect(itemFieldPath(other)).toBeUndefined();
		}
	});
});
