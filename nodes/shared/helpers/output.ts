import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { SETTLE_ROUNDS } from '../engine/batch';
import { itemSuffix, type ApiErrorContext } from '../engine/errors';
import type { UnifiedPerson } from '../person/unified';
import type { Changes } from './sync';
import { perItemParameter } from './parameters';

/** How one vendor turns its raw record into the unified person. */
export type ToUnified<Raw extends IDataObject> = (raw: Raw) => UnifiedPerson;

/** What became of one input item of a write: its output, or its error (with facts to show beside it). */
export type ItemResult = { json: IDataObject } | { error: Error; json?: IDataObject };

/** What a write did (or, in a dry run, would do) with one record (docs/ARCHITECTURE.md, "Sync modes"). */
export type WriteAction = 'created' | 'updated' | 'unchanged' | 'skipped' | 'deleted' | 'unapproved';

/**
 * A write's outcome for one input item, before it is shaped for output: the record as stored (or
 * as it would be), the action, an update's `changes`, a skip's `reason`; or the item's error.
 */
export type WriteOutcome<Raw> = { index: number; action: WriteAction; record: Raw; changes?: Changes; reason?: string } | { index: number; error: Error };

export function outputItem(json: IDataObject, itemIndex: number): INodeExecutionData {
	return { json, pairedItem: { item: itemIndex } };
}

/** The record as the user asked for it: unified (simplify) or the vendor's raw record. */
export function shapeRecord<Raw extends IDataObject>(raw: Raw, simplify: boolean, toUnified: ToUnified<Raw>): IDataObject {
	return simplify ? toUnified(raw) : raw;
}

/** The same error, attributed to one input item (message gets `[item N]`, context kept). */
export function errorForItem(ctx: IExecuteFunctions, error: Error, itemIndex: number): Error {
	const already = error instanceof NodeApiError || error instanceof NodeOperationError;
	if (already && (error as NodeApiError).context?.itemIndex === itemIndex) return error;
	const message = error.message.replace(/ \[item \d+\]$/, '') + itemSuffix(itemIndex);
	const description = already ? ((error as NodeApiError).description ?? undefined) : undefined;
	const copy =
		error instanceof NodeApiError
			? new NodeApiError(ctx.getNode(), { message }, { message, description, httpCode: error.httpCode ?? undefined, itemIndex })
			: new NodeOperationError(ctx.getNode(), message, { description, itemIndex });
	copy.message = message;
	if (already) Object.assign(copy.context, { ...(error as NodeApiError).context, itemIndex });
	return copy;
}

/** The error item n8n users expect under "Continue On Fail": message, how to fix, the facts. */
export function errorItem(error: Error, itemIndex: number, extra: IDataObject = {}): INodeExecutionData {
	const json: IDataObject = { ...extra, error: error.message };
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.description) json.description = error.description;
		const { status, code, requestId, fields } = error.context as ApiErrorContext;
		if (status !== undefined) json.httpCode = status;
		if (code) json.code = code;
		if (requestId) json.requestId = requestId;
		if (fields) json.fields = fields as IDataObject;
		if ((error.context as ApiErrorContext).maybeStored) json.maybeStored = true;
	}
	return { json, pairedItem: { item: itemIndex } };
}

/**
 * Runs `work` for every input item in order. A failure becomes an error item under "Continue On
 * Fail" and otherwise stops the node with the item named.
 */
export async function forEachItem(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	work: (itemIndex: number) => Promise<IDataObject | IDataObject[]>,
): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const result = await work(i);
			for (const json of Array.isArray(result) ? result : [result]) out.push(outputItem(json, i));
		} catch (error) {
			const attributed = errorForItem(ctx, error as Error, i);
			if (!ctx.continueOnFail()) throw attributed;
			out.push(errorItem(attributed, i));
		}
	}
	return out;
}

/**
 * The outputs of a write: exactly one per input item, in input order, each paired with its item.
 * An item without a result gets an error saying so. Under "Continue On Fail" errors are items;
 * otherwise the first error stops the node once every item has been accounted for.
 */
export function writeOutputs(ctx: IExecuteFunctions, items: INodeExecutionData[], results: Map<number, ItemResult>, vendor: string): INodeExecutionData[] {
	const out: INodeExecutionData[] = [];
	let firstError: Error | undefined;
	for (let i = 0; i < items.length; i++) {
		const result = results.get(i) ?? { error: new Error(`${vendor} returned no result for this item`) };
		if (!('error' in result)) {
			out.push(outputItem(result.json, i));
			continue;
		}
		const error = errorForItem(ctx, result.error, i);
		firstError ??= error;
		out.push(errorItem(error, i, result.json));
	}
	if (firstError && !ctx.continueOnFail()) throw firstError;
	return out;
}

/** A write's outcomes as item results: the record as stored (shaped) with its `action`, or the error. */
export function writeResults<Raw extends IDataObject>(
	ctx: IExecuteFunctions,
	outcomes: Iterable<WriteOutcome<Raw>>,
	toUnified: ToUnified<Raw>,
	dryRun = false,
): Map<number, ItemResult> {
	const results = new Map<number, ItemResult>();
	const simplify = perItemParameter(ctx, 'simplify', true);
	for (const outcome of outcomes) {
		if ('error' in outcome) {
			results.set(outcome.index, { error: outcome.error });
			continue;
		}
		results.set(outcome.index, { json: outcomeJson(ctx, outcome, toUnified, dryRun, simplify(outcome.index)) });
	}
	return results;
}

/** One outcome's output: the record (shaped as Simplify says), `action`, and `changes`, `reason`, `dryRun` where they apply. */
export function outcomeJson<Raw extends IDataObject>(
	ctx: IExecuteFunctions,
	outcome: { index: number; action: WriteAction; record: Raw; changes?: Changes; reason?: string },
	toUnified: ToUnified<Raw>,
	dryRun: boolean,
	simplify = ctx.getNodeParameter('simplify', outcome.index, true) as boolean,
): IDataObject {
	const json: IDataObject = { ...shapeRecord(outcome.record, simplify, toUnified), action: outcome.action };
	if (outcome.changes) json.changes = outcome.changes as IDataObject;
	if (outcome.reason) json.reason = outcome.reason;
	if (dryRun) json.dryRun = true;
	return json;
}

/** Sets an error's message as written (n8n rewrites messages that mention network codes) and its `maybeStored`. */
function withMessage(error: NodeOperationError, message: string, maybeStored: boolean): NodeOperationError {
	error.message = message;
	Object.assign(error.context, { maybeStored });
	return error;
}

/** The failure's own words, without the item suffix, for a message that wraps it. */
function cause(error: Error): string {
	return error.message.replace(/ \[item \d+\]$/, '');
}

/**
 * The error of a record whose write may have landed and could not be read back: says so, and how
 * to check before writing it again. `maybeStored` is kept in its context (and in the error item).
 */
export function mayBeStoredError(node: INode, error: Error, itemIndex: number, what: string, howToCheck: string): NodeOperationError {
	const description = `The answer to the write was lost, and reading the record back failed too, so the node cannot tell whether ${what.charAt(0).toLowerCase()}${what.slice(1)} was stored. ${howToCheck} before running this item again.`;
	return withMessage(new NodeOperationError(node, 'may have been stored', { itemIndex, description }), `${what} may have been stored: ${cause(error)}${itemSuffix(itemIndex)}`, true);
}

/** The error of a record re-read after every round and not written (`outcome`: "The user 7 was not deleted"). */
export function notStoredError(node: INode, error: Error, itemIndex: number, outcome: string): NodeOperationError {
	const description = `The node sent it ${SETTLE_ROUNDS} times; each time the answer was lost, and reading it back showed the write had not taken effect. Try again later.`;
	return withMessage(new NodeOperationError(node, 'not stored', { itemIndex, description }), `${outcome}: ${cause(error)}${itemSuffix(itemIndex)}`, false);
}

/**
 * An answer that does not list a record the write sent: the write may still have stored it, so
 * it is settled by reading it back (the error is `maybeStored`).
 */
export function unmatchedAnswerError(node: INode, vendor: string, what: string, itemIndex: number): NodeOperationError {
	const error = new NodeOperationError(node, 'unmatched answer', {
		itemIndex,
		description: `The write was answered, but the answer names no record for this item. Look ${what} up before running this item again.`,
	});
	return withMessage(error, `${vendor}'s answer does not list ${what}${itemSuffix(itemIndex)}`, true);
}

/**
 * With "Continue On Fail" off, an item that cannot be written stops the node before the first
 * write (the lowest item first), so no run fails with some items written and their outputs lost.
 */
export function stopBeforeWriting(ctx: IExecuteFunctions, errors: Iterable<[number, Error]>): void {
	if (ctx.continueOnFail()) return;
	const first = [...errors].sort((a, b) => a[0] - b[0])[0];
	if (first) throw errorForItem(ctx, first[1], first[0]);
}
