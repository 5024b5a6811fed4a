import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';

import { checkMirrorInput, checkRemovalShare } from '../../nodes/shared/helpers/mirror';
import { changedFields, changesSinceLastRun, changesUnknownFrom, fingerprints, rememberWritten, sameValue, skippedByMode, writtenLastRun } from '../../nodes/shared/helpers/sync';
import { flameupFields, storedFlameupFields } from '../../nodes/Flameup/mapping';

const node: INode = { id: 'n1', name: 'Test', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} };

/** An execute context with options, a run index and a store of processed values (a set, as n8n's "entries" mode). */
function fakeContext(options: IDataObject = {}, runIndex = 0, store = new Set<string>()): IExecuteFunctions & { store: Set<string> } {
	return {
		store,
		getNode: () => node,
		getNodeParameter: (name: string, _i: number, fallback?: unknown) => options[name.replace(/^options\./, '')] ?? fallback,
		getWorkflowDataProxy: () => ({ $thisRunIndex: runIndex }),
		helpers: {
			checkProcessedAndRecord: async (items: string[]) => {
				const processed = items.filter((i) => store.has(i));
				items.forEach((i) => store.add(i));
				return { new: items.filter((i) => !processed.includes(i)), processed };
			},
			removeProcessed: async (items: string[]) => items.forEach((i) => store.delete(i)),
			clearAllProcessedItems: async () => store.clear(),
		},
	} as unknown as IExecuteFunctions & { store: Set<string> };
}

describe('comparing values', () => {
	test('empty, null and absent are alike; objects compare by content, not key order', () => {
		expect(sameValue(null, undefined)).toBe(true);
		expect(sameValue('', null)).toBe(true);
		expect(sameValue({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
		expect(sameValue([1, 2], [2, 1])).toBe(false);
		expect(sameValue(1, '1')).toBe(false);
	});

	test('changedFields lists only what differs, with from and to, under the given names', () => {
		expect(changedFields({ member_name: 'Ada', email: 'a@x.io', phone: null }, { member_name: 'Ada L', email: 'a@x.io', phone: '+1 555' }, { member_name: 'name' })).toEqual({
			name: { from: 'Ada', to: 'Ada L' },
			phone: { from: null, to: '+1 555' },
		});
		expect(changesUnknownFrom({ a: 1, b: undefined })).toEqual({ a: { to: 1 } });
	});

	test('Flameup: traits merge, so a trait the item does not give is no change; email case is not a change', () => {
		const stored = storedFlameupFields({ id: 'u1', external_id: 'e1', email: 'Ada@X.io', first_name: 'Ada', attributes: { plan: 'pro', seats: 3 } });
		expect(changedFields(stored, flameupFields({ userId: 'e1', email: 'ada@x.io', traits: { first_name: 'Ada', plan: 'pro' } }))).toEqual({});
		expect(changedFields(stored, flameupFields({ userId: 'e1', email: 'ada@x.io', traits: { plan: 'team' } }))).toEqual({ 'traits.plan': { from: 'pro', to: 'team' } });
	});

	test('write modes skip with a reason', () => {
		expect(skippedByMode('upsert', true, 'X')).toBeUndefined();
		expect(skippedByMode('createOnly', true, 'The user "a"')).toBe('The user "a" already exists, and Write Mode is Create Only');
		expect(skippedByMode('createOnly', false, 'X')).toBeUndefined();
		expect(skippedByMode('updateOnly', false, 'The user "a"')).toBe('The user "a" does not exist, and Write Mode is Update Only');
	});
});

describe('last run fingerprints', () => {
	test('a key never written is unknown; then each field is known by its value', async () => {
		const ctx = fakeContext();
		const fields = { name: 'Ada', phone: '+1' };
		const first = fingerprints('k1', fields);
		const known = await writtenLastRun(ctx, first);
		expect(changesSinceLastRun('k1', fields, known)).toBeUndefined();
		await rememberWritten(ctx, first, new Set(first), known, false);

		const next = { name: 'Ada', phone: '+2' };
		const checked = fingerprints('k1', next);
		const again = await writtenLastRun(ctx, checked);
		expect(changesSinceLastRun('k1', next, again)).toEqual({ phone: { to: '+2' } });
		expect(changesSinceLastRun('k1', fields, await writtenLastRun(fakeContext({}, 0, new Set(first)), first))).toEqual({});
	});

	test('the first run of an execution keeps only what it wrote or found unchanged (a failed write is sent again next time)', async () => {
		const ctx = fakeContext();
		const a = fingerprints('a', { n: 1 });
		const b = fingerprints('b', { n: 1 });
		const known = await writtenLastRun(ctx, [...a, ...b]);
		await rememberWritten(ctx, [...a, ...b], new Set(a), known, false);
		expect([...ctx.store].sort()).toEqual([...a].sort());
	});

	test('a value changed back to an earlier one is a change (the store holds the last run, not every run)', async () => {
		const ctx = fakeContext();
		for (const n of [1, 2]) {
			const f = fingerprints('a', { n });
			await rememberWritten(ctx, f, new Set(f), await writtenLastRun(ctx, f), false);
		}
		const back = fingerprints('a', { n: 1 });
		expect(changesSinceLastRun('a', { n: 1 }, await writtenLastRun(ctx, back))).toEqual({ n: { to: 1 } });
	});

	test('a dry run leaves the store as it was for its items; a later run in the same execution only adds', async () => {
		const store = new Set(fingerprints('a', { n: 1 }));
		const dry = fakeContext({}, 0, store);
		const checked = fingerprints('a', { n: 2 });
		await rememberWritten(dry, checked, new Set(checked), await writtenLastRun(dry, checked), true);
		// What the dry run found is kept (the key); what it would change is not recorded.
		expect([...store]).toEqual(['a\n']);
		expect(store.has(checked[1])).toBe(false);

		const loop = fakeContext({}, 1, new Set(['x']));
		const more = fingerprints('b', { n: 1 });
		await rememberWritten(loop, more, new Set(more), await writtenLastRun(loop, more), false);
		expect(loop.store.has('x')).toBe(true);
		more.forEach((f) => expect(loop.store.has(f)).toBe(true));
	});
});

describe('mirror guards', () => {
	const items = (jsons: IDataObject[]): INodeExecutionData[] => jsons.map((json) => ({ json }));

	test('an empty input is refused unless Allow Empty Input is on; an upstream error item always', () => {
		expect(() => checkMirrorInput(fakeContext(), [], 'users')).toThrow("The mirror's input has no users: nothing was written or removed");
		expect(() => checkMirrorInput(fakeContext(), items([{}]), 'users')).toThrow('has no users');
		expect(() => checkMirrorInput(fakeContext({ allowEmptyInput: true }), items([{}]), 'users')).not.toThrow();
		expect(() => checkMirrorInput(fakeContext(), items([{ email: 'a@x.io' }, { error: 'upstream failed' }]), 'users')).toThrow('Input item 1 is an error from an earlier node');
		expect(() => checkMirrorInput(fakeContext(), items([{ email: 'a@x.io' }]), 'users')).not.toThrow();
	});

	test('removing more than Max Remove Percent of the managed records is refused', () => {
		expect(() => checkRemovalShare(fakeContext(), 10, 100, 'members')).not.toThrow();
		expect(() => checkRemovalShare(fakeContext(), 11, 100, 'members')).toThrow('The mirror would remove 11 of 100 managed members (11.0 %), more than Max Remove Percent (10 %)');
		expect(() => checkRemovalShare(fakeContext({ maxRemovePercent: 100 }), 100, 100, 'members')).not.toThrow();
		expect(() => checkRemovalShare(fakeContext(), 0, 0, 'members')).not.toThrow();
	});
});
