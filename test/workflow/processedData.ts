/**
 * An in-memory stand-in for n8n's deduplication store (the `processed_data` table behind
 * `this.helpers.checkProcessedAndRecord`), with the semantics of n8n's DeduplicationHelper in
 * "entries" mode: values are kept as MD5 hashes per workflow and context (`n:<node id>` for the
 * node scope), new values are appended, `maxEntries` keeps the newest.
 */
import { createHash } from 'node:crypto';

import { DataDeduplicationService } from 'n8n-core';
import type { DeduplicationItemTypes, DeduplicationScope, ICheckProcessedContextData, ICheckProcessedOptions, IDataDeduplicator, IDeduplicationOutput } from 'n8n-workflow';

const rows = new Map<string, string[]>();

function rowKey(scope: DeduplicationScope, data: ICheckProcessedContextData): string {
	if (!data.workflow.id) throw new Error('the deduplication store needs a workflow ID');
	return `${data.workflow.id}|${scope === 'node' ? `n:${data.node?.id ?? ''}` : ''}`;
}

function hash(value: DeduplicationItemTypes): string {
	return createHash('md5').update(value.toString()).digest('base64');
}

class MemoryDeduplicator implements IDataDeduplicator {
	async checkProcessedAndRecord(items: DeduplicationItemTypes[], scope: DeduplicationScope, data: ICheckProcessedContextData, options: ICheckProcessedOptions): Promise<IDeduplicationOutput> {
		if (options.mode !== 'entries') throw new Error('only "entries" mode is modelled');
		const key = rowKey(scope, data);
		const row = rows.get(key);
		if (!row) {
			rows.set(key, items.map(hash).slice(options.maxEntries ? -options.maxEntries : 0));
			return { new: items, processed: [] };
		}
		const known = new Set(row);
		const out: IDeduplicationOutput = { new: [], processed: [] };
		items.forEach((item) => {
			const h = hash(item);
			if (known.has(h)) out.processed.push(item);
			else {
				out.new.push(item);
				row.push(h);
			}
		});
		if (options.maxEntries) row.splice(0, row.length - options.maxEntries);
		return out;
	}

	async removeProcessed(items: DeduplicationItemTypes[], scope: DeduplicationScope, data: ICheckProcessedContextData): Promise<void> {
		const row = rows.get(rowKey(scope, data));
		if (!row) return;
		for (const h of items.map(hash)) {
			const at = row.indexOf(h);
			if (at !== -1) row.splice(at, 1);
		}
	}

	async clearAllProcessedItems(scope: DeduplicationScope, data: ICheckProcessedContextData): Promise<void> {
		rows.delete(rowKey(scope, data));
	}

	async getProcessedDataCount(scope: DeduplicationScope, data: ICheckProcessedContextData): Promise<number> {
		return rows.get(rowKey(scope, data))?.length ?? 0;
	}
}

let ready: Promise<void> | undefined;

/** Installs the store in n8n-core (once per test process). */
export async function useMemoryStore(): Promise<void> {
	ready ??= DataDeduplicationService.init(new MemoryDeduplicator());
	await ready;
}

/** Empties the store: the next run of every node has no fingerprints. */
export function clearProcessedData(): void {
	rows.clear();
}

/** How many fingerprints the store holds for all nodes. */
export function processedCount(): number {
	return [...rows.values()].reduce((n, r) => n + r.length, 0);
}
