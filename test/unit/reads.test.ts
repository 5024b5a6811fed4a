import { NodeApiError, type IDataObject, type IExecuteFunctions, type INode } from 'n8n-workflow';

import { readEach, readInChunks } from '../../nodes/shared/engine/keyedRead';
import { paginate, type PageRequest } from '../../nodes/shared/engine/paginate';
import type { VendorApi } from '../../nodes/shared/engine/vendor';
import { readItemKeyLists, readItemKeys, shownKey } from '../../nodes/shared/helpers/keys';
import { batchGetOutputs, getOutputs } from '../../nodes/shared/helpers/readOutputs';
import { unifiedPerson } from '../../nodes/shared/person/unified';

const node: INode = { id: 'n1', name: 'Test', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} };

function failure(status: number, notFound = false): NodeApiError {
	const error = new NodeApiError(node, { message: `HTTP ${status}` }, { message: `HTTP ${status}`, httpCode: String(status) });
	Object.assign(error.context, { status, notFound });
	return error;
}

function fakeContext(parameters: Array<Record<string, unknown>>): IExecuteFunctions {
	return {
		getNode: () => node,
		continueOnFail: () => true,
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => parameters[itemIndex]?.[name] ?? fallback,
	} as unknown as IExecuteFunctions;
}

describe('reads by key: per-key failures', () => {
	test('a chunk refused for its data is bisected until the refused key stands alone; the others are found', async () => {
		const calls: string[][] = [];
		const read = await readInChunks(['1', '2', '3', '4', '5', '6'], 4, async (keys) => {
			calls.push(keys);
			if (keys.includes('3')) throw failure(422);
			return new Map(keys.map((k) => [k, { id: k }]));
		});
		expect([...read.found.keys()].sort()).toEqual(['1', '2', '4', '5', '6']);
		expect([...read.failed.keys()]).toEqual(['3']);
		expect(calls).toEqual([['1', '2', '3', '4'], ['1', '2'], ['3', '4'], ['3'], ['4'], ['5', '6']]);
	});

	test('"not found" for several keys is split; for one key it is simply not found', async () => {
		const read = await readInChunks(['1', '2'], 10, async (keys) => {
			if (keys.includes('2')) throw failure(400, true);
			return new Map(keys.map((k) => [k, { id: k }]));
		});
		expect([...read.found.keys()]).toEqual(['1']);
		expect(read.failed.size).toBe(0);
	});

	test('a 404 to a read by keys is a missing path, never "not found" for the keys: every key fails, the rest unsent', async () => {
		let sent = 0;
		const read = await readInChunks(['1', '2', '3'], 2, async () => {
			sent++;
			throw failure(404, true);
		});
		expect(sent).toBe(1);
		expect(read.found.size).toBe(0);
		expect([...read.failed.keys()]).toEqual(['1', '2', '3']);
	});

	test('a failed chunk fails its own keys only; an auth failure fails the rest unsent', async () => {
		let sent = 0;
		const read = await readInChunks(['1', '2', '3', '4', '5', '6'], 2, async (keys) => {
			sent++;
			if (keys.includes('1')) throw failure(500);
			if (keys.includes('3')) throw failure(401);
			return new Map(keys.map((k) => [k, { id: k }]));
		});
		expect(sent).toBe(2);
		expect([...read.failed].map(([k, e]) => `${k}:${(e as NodeApiError).httpCode}`)).toEqual(['1:500', '2:500', '3:401', '4:401', '5:401', '6:401']);
		const each = await readEach(['a', 'b', 'c'], 1, async (key) => {
			if (key === 'a') throw failure(403);
			return { id: key };
		});
		expect(each.failed.size).toBe(3);
	});
});

describe('pagination while the list changes', () => {
	const records = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => ({ id: String(from + i) }));

	test('a short page mid-list is read again once (marked reread), then fails', async () => {
		const calls: PageRequest[] = [];
		let short = 2;
		const fetchPage = async (r: PageRequest) => {
			calls.push(r);
			if (r.offset === 100 && short-- > 0) return { items: records(100, 110), total: 250 };
			return { items: records(r.offset, Math.min(250, r.offset + r.pageSize)), total: 250 };
		};
		await expect(paginate({ style: 'offset', maxPageSize: 100, fetchPage, idOf: (r) => r.id })).rejects.toThrow('10 records came where 100 were asked for at position 100 of 250, twice');
		expect(calls[2]).toEqual({ offset: 100, page: 2, pageSize: 100, reread: true });
		short = 1;
		const ok = await paginate({ style: 'offset', maxPageSize: 100, fetchPage, idOf: (r) => r.id });
		expect(ok.items).toHaveLength(250);
		expect(ok.changed).toBe(false);
	});

	test('a record removed before the page being read: the list is read again and united; nothing twice', async () => {
		let list = records(0, 250);
		let request = 0;
		const fetchPage = async (r: PageRequest) => {
			if (++request === 2) list = list.filter((x) => x.id !== '5');
			return { items: list.slice(r.offset, r.offset + r.pageSize), total: list.length };
		};
		const result = await paginate({ style: 'offset', maxPageSize: 100, fetchPage, idOf: (r) => r.id });
		expect(result.changed).toBe(true);
		expect(result.mayBeMissing).toBe(0);
		expect(new Set(result.items.map((r) => r.id)).size).toBe(result.items.length);
		expect(records(0, 250).filter((r) => r.id !== '5' && !result.items.some((x) => x.id === r.id))).toEqual([]);
	});

	test('a list that keeps changing through the second read says how many may be missing', async () => {
		let list = records(0, 250);
		const fetchPage = async (r: PageRequest) => {
			list = list.slice(1);
			return { items: list.slice(r.offset, r.offset + r.pageSize), total: list.length };
		};
		const result = await paginate({ style: 'offset', maxPageSize: 100, fetchPage, idOf: (r) => r.id });
		expect(result.mayBeMissing).toBeGreaterThan(0);
	});
});

describe('read outputs with per-key failures', () => {
	const api = { vendor: 'flameup', displayName: 'Acme' } as unknown as VendorApi;
	const toUnified = (raw: IDataObject) => unifiedPerson({ source: 'flameup', id: raw.id as string });
	const read = { found: new Map([['1', { id: '1' }]]), failed: new Map<string, Error>([['2', failure(500)]]) };

	test('Get: the failed key\'s item gets its error, not "not found"; the others are found or not found', () => {
		const out = getOutputs(fakeContext([{}, {}, {}]), ['1', '2', '3'], read, { api, toUnified, noun: 'person' });
		expect(out.map((o) => [o.json.id, o.json.notFound, o.json.httpCode])).toEqual([
			['1', undefined, undefined],
			['2', false, 500],
			['3', true, undefined],
		]);
	});

	test('Batch Get: one output per key: the record, its error, or notFound', () => {
		const out = batchGetOutputs(fakeContext([{}]), [['1', '2', '3']], read, { api, toUnified, noun: 'person' });
		expect(out.map((o) => [o.json.id, o.json.notFound, typeof o.json.error])).toEqual([
			['1', undefined, 'undefined'],
			['2', false, 'string'],
			['3', true, 'undefined'],
		]);
	});
});

describe('keys: values that cannot be IDs', () => {
	const api = { displayName: 'Acme', checkKey: (key: string) => (key.startsWith('x') ? { problem: `"${key}" is no key`, fix: 'Fix it.' } : undefined) } as unknown as VendorApi;

	test('booleans, objects and lists are input errors; numbers are fine; long keys are cut in messages', () => {
		const keys = readItemKeys(fakeContext([{ id: true }, { id: { a: 1 } }, { id: 42 }, { id: 'x'.repeat(1000) }]), [{ json: {} }, { json: {} }, { json: {} }, { json: {} }], api, 'person ID');
		expect((keys[0] as Error).message).toBe('The person ID must be text or a number, not a boolean (true) [item 0]');
		expect((keys[1] as Error).message).toBe('The person ID must be text or a number, not an object ({"a":1}) [item 1]');
		expect(keys[2]).toBe('42');
		expect((keys[3] as Error).message.length).toBeLessThanOrEqual(200);
		const lists = readItemKeyLists(fakeContext([{ ids: ['1', false] }]), [{ json: {} }], api, 'person IDs');
		expect((lists[0] as Error).message).toBe('The list of person IDs must be text or a number, not a list holding a boolean (false) [item 0]');
		expect(shownKey('a'.repeat(150))).toBe(`${'a'.repeat(100)}… (150 characters)`);
	});
});
