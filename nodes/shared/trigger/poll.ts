import type { IDataObject, INodeExecutionData, INodeProperties, IPollFunctions } from 'n8n-workflow';

import type { ToUnified } from '../helpers/output';
import type { Change, PersonEvent } from './changes';

/** Helpers the polling triggers share (docs/ARCHITECTURE.md, "Polling triggers"); each returns a value. */

/** n8n 1.x has no poll budget: a poll may take this long there. */
const DEFAULT_BUDGET_MS = 5 * 60_000;

/** The Events parameter; `deleted` is offered only where the trigger can see deletions. */
export function eventsField(canSeeDeletions: boolean, note: string): INodeProperties {
	const options = [
		{ name: 'Person Created', value: 'created', description: 'A person that did not exist at the last poll' },
		{ name: 'Person Updated', value: 'updated', description: 'A person whose fields changed since the last poll' },
	];
	if (canSeeDeletions) options.push({ name: 'Person Deleted', value: 'deleted', description: 'A person that existed at the last poll and is gone' });
	return {
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		default: ['created', 'updated'],
		options,
		description: note,
	};
}

/** Simplify (on by default): the unified person, else the vendor's raw record. */
export const triggerSimplifyField: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: 'Whether to return the unified person (the same fields for every vendor, ready for any People Sync upsert) instead of the raw record',
};

/** Options > Emit Existing Records and Timeout. */
export const triggerOptionsField: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Emit Existing Records on Activation',
			name: 'emitExisting',
			type: 'boolean',
			default: false,
			description: 'Whether the first poll after activation emits every existing record (as created) instead of only recording where to start',
		},
		{
			displayName: 'Timeout',
			name: 'timeout',
			type: 'number',
			default: 30,
			typeOptions: { minValue: 1 },
			description: 'Seconds each request may take, its answer included, before it counts as failed',
		},
	],
};

/** The events the user asked for. */
export function readEvents(ctx: IPollFunctions): PersonEvent[] {
	const value = ctx.getNodeParameter('events', ['created', 'updated']);
	return (Array.isArray(value) ? value : [value]).filter((e): e is PersonEvent => e === 'created' || e === 'updated' || e === 'deleted');
}

/** Whether this poll is the editor's "Fetch Test Event": it shows recent changes and never moves the cursor. */
export function isTestPoll(ctx: IPollFunctions): boolean {
	return ctx.getMode() === 'manual';
}

/** How long this poll may run: n8n 2.x gives a budget; 1.x none (then 5 minutes). */
function pollBudgetMs(ctx: IPollFunctions): number {
	const budget = typeof ctx.getPollBudgetMs === 'function' ? ctx.getPollBudgetMs() : DEFAULT_BUDGET_MS;
	return Number.isFinite(budget) && budget > 0 ? budget : DEFAULT_BUDGET_MS;
}

/**
 * How many pages a poll may read within its budget at the key's rate, using half the budget (the
 * rest is for retries and the engine); at least one.
 */
export function pagesWithinBudget(ctx: IPollFunctions, requestsPerMinute: number): number {
	return Math.max(1, Math.floor((pollBudgetMs(ctx) / 60_000) * requestsPerMinute * 0.5));
}

/** The trigger's saved state (the node's static data), or undefined before the first poll. */
export function savedState<S>(ctx: IPollFunctions): S | undefined {
	const data = ctx.getWorkflowStaticData('node');
	return data.state === undefined ? undefined : (data.state as S);
}

/** Saves the trigger's state; called only when a poll succeeded, so a failed poll leaves the cursor where it was. */
export function saveState<S>(ctx: IPollFunctions, state: S): void {
	const data = ctx.getWorkflowStaticData('node');
	data.state = state as unknown as IDataObject;
}

/**
 * The changes as output items: the person (unified or raw) plus `event`, then the deleted ones as
 * `{source, id, event: "deleted"}` (all a digest trigger still knows of them); null when there are
 * none (n8n then starts no execution).
 */
export function changeItems<Raw extends IDataObject>(
	changes: Array<Change<Raw>>,
	simplify: boolean,
	toUnified: ToUnified<Raw>,
	deleted: { source: string; ids: string[] } = { source: '', ids: [] },
): INodeExecutionData[][] | null {
	const items: INodeExecutionData[] = changes.map(({ event, record }) => ({ json: { ...(simplify ? toUnified(record) : record), event } }));
	for (const id of deleted.ids) items.push({ json: { source: deleted.source, id, event: 'deleted' } });
	return items.length === 0 ? null : [items];
}
