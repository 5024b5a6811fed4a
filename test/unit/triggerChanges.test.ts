import { deletedIds, digest, fingerprintChanges, OVERLAP_MS, readFrom, watermarkBaseline, watermarkChanges, type Stamped, type WatermarkState } from '../../nodes/shared/trigger/changes';

const T = Date.UTC(2026, 10, 23, 12, 0, 0);
const rec = (id: string, updatedAt: number, createdAt = T - 86_400_000, name = id): Stamped<{ id: string; name: string }> => ({ id, updatedAt, createdAt, record: { id, name } });
const ALL = ['created', 'updated'] as const;

describe('watermark', () => {
	test('the baseline starts at the newest updated_at and remembers the IDs within the overlap; an empty list starts now', () => {
		const state = watermarkBaseline([rec('a', T - 120_000), rec('b', T), rec('c', T - 10_000)], 0);
		expect(state).toEqual({ watermark: T, recent: { b: T, c: T - 10_000 } });
		expect(readFrom(state)).toBe(T - OVERLAP_MS);
		expect(watermarkBaseline([], 42)).toEqual({ watermark: 42, recent: {} });
	});

	test('emits each change once, latest version, oldest first; created only when created since the last read and never emitted', () => {
		const state: WatermarkState = { watermark: T, recent: { b: T } };
		const { changes, state: next } = watermarkChanges(
			state,
			[rec('b', T), rec('d', T + 5, T + 5), rec('e', T + 3, T - 86_400_000, 'old'), rec('e', T + 9, T - 86_400_000, 'new')],
			[...ALL],
		);
		expect(changes.map((c) => [c.event, c.record.id, c.record.name])).toEqual([
			['created', 'd', 'd'],
			['updated', 'e', 'new'],
		]);
		expect(next.watermark).toBe(T + 9);
		expect(next.recent).toEqual({ b: T, d: T + 5, e: T + 9 });
		// Read again: nothing new.
		expect(watermarkChanges(next, [rec('b', T), rec('d', T + 5, T + 5), rec('e', T + 9)], [...ALL]).changes).toEqual([]);
	});

	test('a change at the watermark instant by another record is emitted; IDs older than the overlap are forgotten', () => {
		const state: WatermarkState = { watermark: T, recent: { a: T, old: T - OVERLAP_MS - 1 } };
		const { changes, state: next } = watermarkChanges(state, [rec('a', T), rec('z', T)], [...ALL]);
		expect(changes.map((c) => c.record.id)).toEqual(['z']);
		expect(next.recent).toEqual({ a: T, z: T });
	});

	test('only the events asked for are emitted, but the cursor moves past all', () => {
		const { changes, state } = watermarkChanges({ watermark: T, recent: {} }, [rec('n', T + 1, T + 1), rec('u', T + 2)], ['created']);
		expect(changes.map((c) => c.record.id)).toEqual(['n']);
		expect(state.watermark).toBe(T + 2);
	});

	test('a read cut oldest first resumes after the last change read; one cut newest first keeps the watermark and remembers what it emitted', () => {
		const cut = watermarkChanges({ watermark: T, recent: {} }, [rec('a', T + 1), rec('b', T + 2)], [...ALL], 'oldestFirstCut').state;
		expect(cut).toMatchObject({ watermark: T + 2, resumeFrom: T + 2 });
		expect(readFrom(cut)).toBe(T + 2);
		const done = watermarkChanges(cut, [rec('b', T + 2), rec('c', T + 3)], [...ALL]);
		expect(done.changes.map((c) => c.record.id)).toEqual(['c']);
		expect(done.state.resumeFrom).toBeUndefined();

		const newest = watermarkChanges({ watermark: T, recent: {} }, [rec('y', T + 9), rec('x', T + 8)], [...ALL], 'newestFirstCut');
		expect(newest.state).toEqual({ watermark: T, recent: { y: T + 9, x: T + 8 } });
		const rest = watermarkChanges(newest.state, [rec('y', T + 9), rec('x', T + 8), rec('w', T + 1)], [...ALL]);
		expect(rest.changes.map((c) => c.record.id)).toEqual(['w']);
		expect(rest.state.watermark).toBe(T + 9);
	});
});

describe('fingerprints', () => {
	test('digests are stable across key order, 11 characters, and ignore volatile fields', () => {
		const d = digest({ id: 1, name: 'Ada', roles: [1, 2] });
		expect(d).toHaveLength(11);
		expect(digest({ roles: [1, 2], name: 'Ada', id: 1 })).toBe(d);
		expect(digest({ id: 1, name: 'Ada', roles: [2, 1] })).not.toBe(d);
		expect(digest({ id: 1, name: 'Ada', lastLoginAt: 'x' }, ['lastLoginAt'])).toBe(digest({ id: 1, name: 'Ada', lastLoginAt: 'y' }, ['lastLoginAt']));
	});

	test('created, updated and deleted against the last complete list; an incomplete read deletes nothing and keeps the other digests', () => {
		const state = { digests: { a: 'd1', b: 'd2', c: 'd3' } };
		const now = [
			{ id: 'a', digest: 'd1', record: 'A' },
			{ id: 'b', digest: 'd9', record: 'B' },
			{ id: 'n', digest: 'd4', record: 'N' },
		];
		const full = fingerprintChanges(state, now, true, ['created', 'updated', 'deleted']);
		expect(full.changes.map((c) => [c.event, c.record])).toEqual([
			['updated', 'B'],
			['created', 'N'],
		]);
		expect(full.state.digests).toEqual({ a: 'd1', b: 'd9', n: 'd4' });
		expect(deletedIds(state, now)).toEqual(['c']);
		const partial = fingerprintChanges(state, now.slice(0, 1), false, ['created', 'updated']);
		expect(partial.state.digests).toEqual(state.digests);
	});
});
