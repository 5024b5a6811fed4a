import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

/**
 * Sync behaviour of Batch Upsert and Mirror (docs/ARCHITECTURE.md, "Sync modes"): which writes a
 * mode allows, what "unchanged" is measured against, dry runs, the `changes` of an update, the
 * fingerprints of what the node last wrote (n8n's deduplication store), the run's summary.
 */

export type WriteMode = 'upsert' | 'createOnly' | 'updateOnly';
export type Comparison = 'lastRun' | 'target';

export interface SyncOptions {
	writeMode: WriteMode;
	skipUnchanged: boolean;
	/** `auto` resolved to what it picks for this vendor. */
	compareWith: Comparison;
	dryRun: boolean;
}

/**
 * `{ field: { from, to } }` for each field an update changes, named as the unified person names it
 * (custom fields as `traits.<name>`). `from` is absent where the earlier value is not known (a
 * comparison with the last run keeps fingerprints, not values).
 */
export type Changes = Record<string, { from?: unknown; to: unknown }>;

/**
 * Options > Write Mode, Skip Unchanged, Compare With, Dry Run. `autoPicks` and `autoWhy` say
 * which comparison "Automatic" uses for this vendor and why.
 */
export function syncOptionFields(autoPicks: Comparison, autoWhy: string): INodeProperties[] {
	const picked = autoPicks === 'target' ? 'the target\'s current records' : 'the last run\'s fingerprints';
	const automatic = `For this node: ${picked}. ${autoWhy}`;
	const compareDescription = `What "unchanged" is measured against. Automatic uses ${picked} for this node.`;
	return [
		{
			displayName: 'Write Mode',
			name: 'writeMode',
			type: 'options',
			default: 'upsert',
			options: [
				{ name: 'Create or Update', value: 'upsert', description: 'Create a new record, or update the current one if it already exists (upsert)' },
				{ name: 'Create Only', value: 'createOnly', description: 'Create new records; existing ones are output as skipped' },
				{ name: 'Update Only', value: 'updateOnly', description: 'Update existing records; items with no record are output as skipped' },
			],
			description: 'What the node may write. An item the mode does not write is output with action "skipped" and a reason.',
		},
		{
			displayName: 'Skip Unchanged',
			name: 'skipUnchanged',
			type: 'boolean',
			default: true,
			description: 'Whether to leave out records that already hold the values the node would write (output with action "unchanged")',
		},
		{
			displayName: 'Compare With',
			name: 'compareWith',
			type: 'options',
			default: 'auto',
			options: [
				{ name: 'Automatic', value: 'auto', description: automatic },
				{ name: 'Last Run', value: 'lastRun', description: 'What this node last wrote for each person (fingerprints kept in n8n\'s deduplication store; no request). Changes made in the target by others are not seen.' },
				{ name: 'Target', value: 'target', description: 'The records as the target holds them now (read before writing)' },
			],
			description: compareDescription,
		},
		{
			displayName: 'Dry Run',
			name: 'dryRun',
			type: 'boolean',
			default: false,
			description: 'Whether to write nothing and output each item with the action it would get (and dryRun: true)',
		},
	];
}

/** The sync options of a run (one value for the whole run, read from the first item). */
export function readSyncOptions(ctx: IExecuteFunctions, items: INodeExecutionData[], autoPicks: Comparison): SyncOptions {
	if (items.length === 0) return { writeMode: 'upsert', skipUnchanged: true, compareWith: autoPicks, dryRun: false };
	const compareWith = ctx.getNodeParameter('options.compareWith', 0, 'auto') as Comparison | 'auto';
	return {
		writeMode: ctx.getNodeParameter('options.writeMode', 0, 'upsert') as WriteMode,
		skipUnchanged: ctx.getNodeParameter('options.skipUnchanged', 0, true) as boolean,
		compareWith: compareWith === 'auto' ? autoPicks : compareWith,
		dryRun: ctx.getNodeParameter('options.dryRun', 0, false) as boolean,
	};
}

/** Why the write mode leaves an item out (undefined when it writes it): `exists` says whether the target has its record. */
export function skippedByMode(mode: WriteMode, exists: boolean, what: string): string | undefined {
	if (mode === 'createOnly' && exists) return `${what} already exists, and Write Mode is Create Only`;
	if (mode === 'updateOnly' && !exists) return `${what} does not exist, and Write Mode is Update Only`;
	return undefined;
}

/** A value in one comparable form: empty strings and null are "no value", arrays and objects by content. */
function comparable(value: unknown): unknown {
	if (value === null || value === undefined || value === '') return undefined;
	if (Array.isArray(value)) return value.map(comparable);
	if (typeof value === 'object') {
		const entries = Object.entries(value as IDataObject)
			.map(([k, v]): [string, unknown] => [k, comparable(v)])
			.filter(([, v]) => v !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return Object.fromEntries(entries);
	}
	return value;
}

/** Whether two stored values are the same (null, undefined and "" alike; objects and arrays by content). */
export function sameValue(a: unknown, b: unknown): boolean {
	return JSON.stringify(comparable(a)) === JSON.stringify(comparable(b));
}

/**
 * The fields of `desired` whose value differs from `current` (both in the vendor's stored form),
 * named as `names` says (vendor field → unified name) or as they are.
 */
export function changedFields(current: IDataObject, desired: IDataObject, names: Record<string, string> = {}): Changes {
	const changes: Changes = {};
	for (const [field, to] of Object.entries(desired)) {
		if (to === undefined || sameValue(current[field], to)) continue;
		changes[names[field] ?? field] = { from: current[field] ?? null, to };
	}
	return changes;
}

/** Every field as changed, its earlier value unknown (`to` only): a record the node has no earlier state of. */
export function changesUnknownFrom(fields: IDataObject): Changes {
	const changes: Changes = {};
	for (const [field, to] of Object.entries(fields)) if (to !== undefined) changes[field] = { to };
	return changes;
}

/** A stable JSON form (keys sorted, empty values dropped) of a value, for fingerprints. */
function canonical(value: unknown): string {
	return JSON.stringify(comparable(value)) ?? '';
}

/** The fingerprint that says the node wrote the record of `key` at all. */
function keyFingerprint(key: string): string {
	return `${key}\n`;
}

function fieldFingerprint(key: string, field: string, value: unknown): string {
	return `${key}\n${field}\n${canonical(value)}`;
}

/**
 * The fingerprints of one write: one for the record's key, one per field with the value the node
 * sends (so a later run knows which fields changed). n8n's store keeps only a hash of each.
 */
export function fingerprints(key: string, fields: IDataObject): string[] {
	return [keyFingerprint(key), ...Object.entries(fields).filter(([, v]) => v !== undefined).map(([field, value]) => fieldFingerprint(key, field, value))];
}

/**
 * What changed since the node last wrote `key`: undefined when it never wrote it (or its
 * fingerprints are gone), else the fields whose value differs (`to` only), empty when none.
 */
export function changesSinceLastRun(key: string, fields: IDataObject, known: Set<string>): Changes | undefined {
	if (!known.has(keyFingerprint(key))) return undefined;
	const changes: Changes = {};
	for (const [field, to] of Object.entries(fields)) {
		if (to !== undefined && !known.has(fieldFingerprint(key, field, to))) changes[field] = { to };
	}
	return changes;
}

const STORE = { mode: 'entries' } as const;

/**
 * The fingerprints this node recorded after its last run: those of `checked` that n8n's
 * deduplication store already holds. The store is shared by all of n8n's processes.
 */
export async function writtenLastRun(ctx: IExecuteFunctions, checked: string[]): Promise<Set<string>> {
	if (checked.length === 0) return new Set();
	const { processed } = await ctx.helpers.checkProcessedAndRecord(checked, 'node', STORE);
	return new Set(processed.map(String));
}

/**
 * Leaves the store holding what the targets now hold as far as this run knows: the fingerprints of
 * the items written or found unchanged (`kept`), not those of failed or unwritten items. The first
 * run of the node in an execution replaces the store's content (so a person changed back to an
 * earlier value is written again); a later run in the same execution (a loop) adds to it. A dry
 * run keeps what the store held for this run's items.
 */
export async function rememberWritten(ctx: IExecuteFunctions, checked: string[], kept: Set<string>, known: Set<string>, dryRun: boolean): Promise<void> {
	if (checked.length === 0) return;
	const firstRun = ctx.getWorkflowDataProxy(0).$thisRunIndex === 0;
	if (dryRun && !firstRun) {
		const added = checked.filter((f) => !known.has(f));
		if (added.length > 0) await ctx.helpers.removeProcessed(added, 'node', STORE);
		return;
	}
	if (firstRun) {
		// n8n removes entries one by one (slow for many): a dry run restores what it found instead.
		const keep = dryRun ? known : kept;
		await ctx.helpers.clearAllProcessedItems('node', STORE);
		if (keep.size > 0) await ctx.helpers.checkProcessedAndRecord([...keep], 'node', STORE);
		return;
	}
	const dropped = checked.filter((f) => !kept.has(f) && !known.has(f));
	if (dropped.length > 0) await ctx.helpers.removeProcessed(dropped, 'node', STORE);
}

/**
 * Adds the run's summary as an execution hint: "250 people: 3 created, 5 updated, 242 unchanged,
 * 0 failed — 4 requests" (from the outputs' `action`s and error items).
 */
export function addSummaryHint(ctx: IExecuteFunctions, outputs: INodeExecutionData[], inputCount: number, nouns: [string, string], requests: number, dryRun: boolean): void {
	const counts = new Map<string, number>();
	let failed = 0;
	for (const { json } of outputs) {
		if (json.error !== undefined) failed++;
		else if (typeof json.action === 'string') counts.set(json.action, (counts.get(json.action) ?? 0) + 1);
	}
	const order = ['created', 'updated', 'unchanged', 'skipped', 'deleted', 'unapproved'];
	const parts = order.filter((a) => counts.has(a) || ['created', 'updated', 'unchanged'].includes(a)).map((a) => `${counts.get(a) ?? 0} ${a}`);
	parts.push(`${failed} failed`);
	const noun = inputCount === 1 ? nouns[0] : nouns[1];
	const prefix = dryRun ? 'Dry run, nothing written: ' : '';
	ctx.addExecutionHints({
		type: failed > 0 ? 'warning' : 'info',
		location: 'outputPane',
		message: `${prefix}${inputCount} ${noun}: ${parts.join(', ')} — ${requests} ${requests === 1 ? 'request' : 'requests'}`,
	});
}
