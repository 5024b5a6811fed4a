import type { IDataObject } from 'n8n-workflow';

/**
 * What a polling trigger finds changed since its last poll, as pure functions over the records it
 * read and the state it kept (docs/ARCHITECTURE.md, "Polling triggers"). Two ways, by what the
 * vendor's API offers:
 * - a watermark: the API filters or sorts by `updated_at`, so a poll reads only what changed at or
 *   after the watermark (minus an overlap for clock skew and late commits), and the IDs already
 *   emitted at their `updated_at` are skipped;
 * - fingerprints: the API has no such filter, so each poll reads the whole list and compares a
 *   short digest of every record with the one kept from the previous poll (this also sees deletions).
 */

export type PersonEvent = 'created' | 'updated' | 'deleted';

/** One change to emit: the record (the latest version read) and what happened to it. */
export interface Change<Raw> {
	event: PersonEvent;
	record: Raw;
}

/** A record as the watermark needs it: its ID and its server times as epoch milliseconds. */
export interface Stamped<Raw> {
	id: string;
	updatedAt: number;
	createdAt?: number;
	record: Raw;
}

/** The state of a watermark trigger: the newest `updated_at` emitted, and the IDs emitted near it with their `updated_at`. */
export interface WatermarkState {
	watermark: number;
	/** ID → updated_at (ms) of what was emitted within the overlap window before the watermark. */
	recent: Record<string, number>;
	/** Set while a backlog is drained (an oldest-first read stopped at the poll's limit): the next read starts here, without the overlap. */
	resumeFrom?: number;
}

/** How a poll's read ended: the whole range, or stopped at the poll's limit (oldest first, or newest first). */
export type ReadExtent = 'all' | 'oldestFirstCut' | 'newestFirstCut';

/** How far before the watermark each poll reads again (server clock skew, commits that land late). */
export const OVERLAP_MS = 60_000;

/** Where a poll's read starts (epoch ms): the watermark minus the overlap, or where a backlog's drain stopped. */
export function readFrom(state: WatermarkState): number {
	return state.resumeFrom ?? state.watermark - OVERLAP_MS;
}

/**
 * The changes among `records` (read from `readFrom(state)` on, in any order) and the new state.
 * A record is emitted when its ID was not emitted at this `updated_at` before; the same record
 * read twice in one poll is emitted once, its latest version. "created" when it was created after
 * the last read started and never emitted, else "updated". Only the events asked for are emitted,
 * but the state moves past all of them. `extent` says how the read ended: cut oldest first, the
 * next read resumes after it; cut newest first (before it reached `readFrom(state)`), the
 * watermark stays until a poll reads the whole range.
 */
export function watermarkChanges<Raw>(
	state: WatermarkState,
	records: Array<Stamped<Raw>>,
	events: PersonEvent[],
	extent: ReadExtent = 'all',
): { changes: Array<Change<Raw>>; state: WatermarkState } {
	const latest = new Map<string, Stamped<Raw>>();
	for (const r of records) {
		const known = latest.get(r.id);
		if (!known || r.updatedAt >= known.updatedAt) latest.set(r.id, r);
	}
	const fresh = [...latest.values()]
		.filter((r) => state.recent[r.id] === undefined || r.updatedAt > state.recent[r.id])
		.filter((r) => r.updatedAt >= readFrom(state))
		.sort((a, b) => a.updatedAt - b.updatedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	const changes: Array<Change<Raw>> = [];
	for (const r of fresh) {
		const created = state.recent[r.id] === undefined && r.createdAt !== undefined && r.createdAt >= state.watermark - OVERLAP_MS;
		const event: PersonEvent = created ? 'created' : 'updated';
		if (events.includes(event)) changes.push({ event, record: r.record });
	}
	if (extent === 'newestFirstCut') {
		// A newest-first read cut short by the poll's budget: the watermark stays, and everything
		// emitted is remembered, so the next poll reads the same range again and emits only the rest.
		const recent = { ...state.recent };
		for (const r of fresh) recent[r.id] = r.updatedAt;
		return { changes, state: { watermark: state.watermark, recent } };
	}
	// Everything read counts, also what was emitted before (a newest-first read cut short emitted it).
	const watermark = Math.max(state.watermark, ...[...latest.values()].map((r) => r.updatedAt));
	const recent: Record<string, number> = {};
	for (const [id, at] of Object.entries(state.recent)) if (at >= watermark - OVERLAP_MS) recent[id] = at;
	for (const r of latest.values()) if (r.updatedAt >= watermark - OVERLAP_MS && r.updatedAt >= (recent[r.id] ?? 0)) recent[r.id] = r.updatedAt;
	// An oldest-first read cut at the limit: the next poll goes on from the newest change read (the
	// records at that instant are in `recent`); re-reading the overlap could return the same page forever.
	return { changes, state: extent === 'oldestFirstCut' ? { watermark, recent, resumeFrom: watermark } : { watermark, recent } };
}

/** The starting state of a watermark trigger: nothing emitted, the watermark at the newest `updated_at` there is (or now). */
export function watermarkBaseline<Raw>(newest: Array<Stamped<Raw>>, now: number): WatermarkState {
	const watermark = newest.length > 0 ? Math.max(...newest.map((r) => r.updatedAt)) : now;
	const recent: Record<string, number> = {};
	for (const r of newest) if (r.updatedAt >= watermark - OVERLAP_MS) recent[r.id] = r.updatedAt;
	return { watermark, recent };
}

/** The state of a fingerprint trigger: ID → digest of every record of the last complete list. */
export interface FingerprintState {
	digests: Record<string, string>;
}

/** A stable JSON form of a value (keys sorted), for digests. */
function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const entries = Object.entries(value as IDataObject).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

/**
 * An 11-character digest of a record without the fields that change on their own (`volatile`:
 * last seen, online...): two 32-bit FNV-1a hashes, so that 100,000 records fit in about 2 MB of
 * the workflow's static data.
 */
export function digest(record: IDataObject, volatile: string[] = []): string {
	const text = canonical(Object.fromEntries(Object.entries(record).filter(([k]) => !volatile.includes(k))));
	let a = 0x811c9dc5;
	let b = 0x01000193 ^ text.length;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		a = Math.imul(a ^ c, 0x01000193) >>> 0;
		b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
	}
	return (a.toString(36) + b.toString(36)).padStart(11, '0').slice(-11);
}

/**
 * The changes between the last poll's digests and the records read now. `complete` says the read
 * saw the whole list: only then are missing IDs deleted (and forgotten). Only the events asked for
 * are emitted, but the state records every change.
 */
export function fingerprintChanges<Raw>(
	state: FingerprintState,
	records: Array<{ id: string; digest: string; record: Raw }>,
	complete: boolean,
	events: PersonEvent[],
): { changes: Array<Change<Raw>>; state: FingerprintState } {
	const digests: Record<string, string> = complete ? {} : { ...state.digests };
	const changes: Array<Change<Raw>> = [];
	const seen = new Set<string>();
	for (const r of records) {
		if (seen.has(r.id)) continue;
		seen.add(r.id);
		digests[r.id] = r.digest;
		const before = state.digests[r.id];
		const event: PersonEvent | undefined = before === undefined ? 'created' : before !== r.digest ? 'updated' : undefined;
		if (event && events.includes(event)) changes.push({ event, record: r.record });
	}
	return { changes, state: { digests } };
}

/** The IDs the last complete list had and this one lacks (for "deleted"). */
export function deletedIds(state: FingerprintState, records: Array<{ id: string }>): string[] {
	const now = new Set(records.map((r) => r.id));
	return Object.keys(state.digests).filter((id) => !now.has(id));
}
