import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { WriteOutcome } from './output';

/**
 * The guards of Mirror (docs/ARCHITECTURE.md, "Sync modes"): its input must be the complete source
 * set, and it never removes more than the user allows. Each guard fails the node before anything
 * is written.
 */

/** Options > Max Remove Percent and Allow Empty Input. */
export const mirrorGuardFields: INodeProperties[] = [
	{
		displayName: 'Max Remove Percent',
		name: 'maxRemovePercent',
		type: 'number',
		default: 10,
		typeOptions: { minValue: 0, maxValue: 100 },
		description:
			'The most the mirror may remove, as a percentage of the managed records. Above it the node removes and writes nothing and fails, so that a source read that came back short cannot empty the target. Set 100 to allow any removal.',
	},
	{
		displayName: 'Allow Empty Input',
		name: 'allowEmptyInput',
		type: 'boolean',
		default: false,
		description: 'Whether an input without people may remove every managed record. Off: an empty input fails the node and nothing is removed.',
	},
];

/** Whether the input holds no record at all: no items, or only empty ones (what "Always Output Data" sends). */
export function holdsNoRecords(items: INodeExecutionData[]): boolean {
	return items.every((item) => Object.keys(item.json).length === 0);
}

/** The outputs of an input that holds no records (Allow Empty Input): each empty item is `skipped`, so every item still has one output. */
export function emptyItemOutcomes<Raw>(items: INodeExecutionData[], noun: string): Array<WriteOutcome<Raw>> {
	return items.map((_, index) => ({ index, action: 'skipped', reason: `The item holds no ${noun} (Allow Empty Input)`, record: {} as Raw }));
}

/** Whether an input item is an error item of an earlier node (n8n's "Continue On Fail" output). */
function isErrorItem(item: INodeExecutionData): boolean {
	return item.error !== undefined || (item.json.error !== undefined && item.json.error !== null);
}

/**
 * Refuses a mirror whose input cannot be the complete source set: no items (or only empty ones)
 * unless Allow Empty Input is on, or an error item from an earlier node (its person would look
 * absent and be removed).
 */
export function checkMirrorInput(ctx: IExecuteFunctions, items: INodeExecutionData[], nouns: string): void {
	const empty = holdsNoRecords(items);
	if (empty && !(items.length > 0 && (ctx.getNodeParameter('options.allowEmptyInput', 0, false) as boolean))) {
		throw new NodeOperationError(ctx.getNode(), `The mirror's input has no ${nouns}: nothing was written or removed`, {
			description: `A mirror removes every managed record that is not in its input, so an empty input (often a source read that failed or was filtered to nothing) would remove them all. If the source really is empty, turn on Options > Allow Empty Input (the node still needs one item to run, e.g. from "Always Output Data").`,
		});
	}
	const failed = items.findIndex(isErrorItem);
	if (failed >= 0) {
		throw new NodeOperationError(ctx.getNode(), `Input item ${failed} is an error from an earlier node: the mirror wrote and removed nothing`, {
			description: 'A mirror needs the complete source set; with an item missing its person would be removed. Fix the earlier node\'s error (or filter error items out on purpose) and run again.',
			itemIndex: failed,
		});
	}
}

/** Refuses a removal of more than Max Remove Percent of the managed records (before anything is written). */
export function checkRemovalShare(ctx: IExecuteFunctions, toRemove: number, managed: number, nouns: string): void {
	if (toRemove === 0) return;
	const limit = ctx.getNodeParameter('options.maxRemovePercent', 0, 10) as number;
	const share = (toRemove / managed) * 100;
	if (share <= limit) return;
	throw new NodeOperationError(ctx.getNode(), `The mirror would remove ${toRemove} of ${managed} managed ${nouns} (${share.toFixed(1)} %), more than Max Remove Percent (${limit} %): nothing was written or removed`, {
		description: `Check that the input is the complete source set (a source read cut short looks like mass removal). If the removal is intended, raise Options > Max Remove Percent to at least ${Math.ceil(share)}, or run a Dry Run first to see what would go.`,
	});
}

/** A removed record's output (after the input items'): it comes from no single item, so it is paired with the first. */
export function removalOutput(json: IDataObject): INodeExecutionData {
	return { json, pairedItem: { item: 0 } };
}
