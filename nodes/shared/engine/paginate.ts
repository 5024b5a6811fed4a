import { NodeOperationError } from 'n8n-workflow';

import { itemSuffix } from './errors';
import type { VendorClient } from './request';

/**
 * Pagination that stops exactly: at the last page, or at the caller's limit, never a request
 * more than needed and never an item more than asked for; and that stays exact while the list
 * changes under it.
 *
 * - `offset`: offset/limit (Flameup). Each request asks only for what is still wanted.
 * - `page`: page-number/limit (PERSCOM `page`, Flashduty `p`). The page size cannot change
 *   between requests (it would shift the pages), so it is fixed at min(limit, max page size).
 *
 * A page shorter than asked while the list says more follows (its `total` or `hasMore`) is read
 * again once, then the read fails: a cut answer never ends a list early. With `idOf`, records are
 * de-duplicated by ID across pages, and a list seen to change while it is read (its total moved,
 * pages overlapped, or fewer records came than the total) is read a second time and the two reads
 * united, so a record that existed throughout is not lost to the shift; if the second read moved
 * too, `mayBeMissing` says how many records may still be missing.
 */
export interface PageRequest {
	/** Items skipped so far (offset style). */
	offset: number;
	/** 1-based page number (page style). */
	page: number;
	/** Items asked for in this request. */
	pageSize: number;
	/** Set when the page must come from the server again (a re-read), never from a copy the caller kept. */
	reread?: true;
}

export interface PageResult<T> {
	items: T[];
	/** Total the server reports, when it reports a reliable one. */
	total?: number;
	/** The server's own "there is more" flag, when it has one. */
	hasMore?: boolean;
}

export interface PaginateOptions<T> {
	style: 'offset' | 'page';
	maxPageSize: number;
	/** Stop after this many items; undefined means all. */
	limit?: number;
	/** The furthest item the API lets a client reach (Flashduty: p × limit ≤ 10,000). */
	reachableItems?: number;
	fetchPage: (request: PageRequest) => Promise<PageResult<T>>;
	/** A record's ID: records are de-duplicated by it and a changing list is noticed and read again. */
	idOf?: (item: T) => string | undefined;
	/** The error for a page that came back short in the middle of the list twice (default: a plain Error). */
	incomplete?: (problem: string) => Error;
	/**
	 * Pages asked for at once (default 1): once the list's total is known, the next pages up to the
	 * total (or the limit) are asked for ahead, still in order, so that no page is asked for that a
	 * list read one page at a time would not ask for, unless the list changes while it is read.
	 */
	concurrency?: number;
}

export interface PaginateResult<T> {
	items: T[];
	requests: number;
	/** True when the API's reach ended before the list did (more items exist than can be read). */
	cutAtReach: boolean;
	/** The list changed while it was read (and was read a second time). */
	changed: boolean;
	/** How many records may be missing because the list changed during the second read as well (0: none). */
	mayBeMissing: number;
}

interface Pass<T> {
	items: T[];
	cutAtReach: boolean;
	changed: boolean;
	/** Records the changes seen may have shifted past the read. */
	drift: number;
}

async function readPass<T>(options: PaginateOptions<T>, wanted: number, counter: { requests: number }, again: boolean): Promise<Pass<T>> {
	const { style, maxPageSize, reachableItems, idOf } = options;
	const items: T[] = [];
	const seen = new Set<string>();
	const pass: Pass<T> = { items, cutAtReach: false, changed: false, drift: 0 };
	const fixedPageSize = Math.max(1, Math.min(maxPageSize, wanted));
	let position = 0;
	let lastTotal: number | undefined;
	/** Where the page after (position, read) starts and how much it asks for. */
	const pageAt = (page: number, at: number, read: number): PageRequest => ({
		offset: style === 'offset' ? at : (page - 1) * fixedPageSize,
		page,
		pageSize: style === 'offset' ? Math.max(1, Math.min(maxPageSize, wanted - read)) : fixedPageSize,
		...(again ? { reread: true as const } : {}),
	});
	const reachable = (r: PageRequest) => reachableItems === undefined || r.offset + r.pageSize <= reachableItems;
	// Pages asked for ahead, by where they start: taken when the read gets there, if it gets there as foreseen.
	const ahead = new Map<string, Promise<PageResult<T>>>();
	const slot = (r: PageRequest) => `${r.offset}/${r.pageSize}`;
	const askAhead = (page: number, total: number) => {
		let [at, read] = [position, items.length];
		for (let next = page + 1; next <= page + (options.concurrency ?? 1) - 1; next++) {
			const request = pageAt(next, at, read);
			if (read >= wanted || request.offset >= total || !reachable(request)) break;
			if (!ahead.has(slot(request))) {
				const answer = options.fetchPage(request);
				answer.catch(() => undefined); // Seen when taken; a page never taken (the list ended sooner) is dropped.
				ahead.set(slot(request), answer);
				counter.requests++;
			}
			at += request.pageSize;
			read += request.pageSize;
		}
	};

	for (let page = 1; items.length < wanted; page++) {
		const request = pageAt(page, position, items.length);
		const { offset, pageSize } = request;
		if (!reachable(request)) {
			pass.cutAtReach = true;
			break;
		}
		const claimsMore = (r: PageResult<T>) => (r.total !== undefined && offset + r.items.length < r.total) || r.hasMore === true;
		const early = ahead.get(slot(request));
		ahead.delete(slot(request));
		if (!early) counter.requests++;
		let result = await (early ?? options.fetchPage(request));
		if (result.items.length < pageSize && claimsMore(result)) {
			result = await options.fetchPage({ ...request, reread: true });
			counter.requests++;
			if (result.items.length < pageSize && claimsMore(result)) {
				const of = result.total !== undefined ? ` of ${result.total}` : '';
				const problem = `${result.items.length} records came where ${pageSize} were asked for at position ${offset}${of}, twice, although the list goes on`;
				throw options.incomplete ? options.incomplete(problem) : new Error(problem);
			}
		}
		if (result.total !== undefined && lastTotal !== undefined && result.total !== lastTotal) {
			pass.changed = true;
			pass.drift += Math.abs(result.total - lastTotal);
		}
		lastTotal = result.total ?? lastTotal;
		position += result.items.length;

		for (const item of result.items) {
			if (items.length >= wanted) break;
			const id = idOf?.(item);
			if (id !== undefined && seen.has(id)) {
				// The same record twice: the pages shifted (a record moved or was added before this page).
				pass.changed = true;
				pass.drift++;
				continue;
			}
			if (id !== undefined) seen.add(id);
			items.push(item);
		}

		const ended =
			result.items.length === 0 ||
			result.hasMore === false ||
			(result.total !== undefined && offset + result.items.length >= result.total) ||
			(result.hasMore === undefined && result.items.length < pageSize);
		if (ended) {
			// A whole list read with fewer distinct records than its final total: some shifted past the read.
			if (idOf && items.length < wanted && lastTotal !== undefined && items.length < lastTotal) {
				pass.changed = true;
				pass.drift = Math.max(pass.drift, lastTotal - items.length);
			}
			break;
		}
		if (lastTotal !== undefined && (options.concurrency ?? 1) > 1) askAhead(page, lastTotal);
	}
	return pass;
}

export async function paginate<T>(options: PaginateOptions<T>): Promise<PaginateResult<T>> {
	const wanted = options.limit === undefined ? Infinity : Math.max(0, Math.floor(options.limit));
	const counter = { requests: 0 };
	const first = await readPass(options, wanted, counter, false);
	const { idOf } = options;
	if (!first.changed || !idOf) {
		return { items: first.items, requests: counter.requests, cutAtReach: first.cutAtReach, changed: first.changed, mayBeMissing: first.changed ? first.drift : 0 };
	}
	// The list moved during the read: read it again and unite the two reads, the second one's order first.
	const second = await readPass(options, wanted, counter, true);
	const items = [...second.items];
	const ids = new Set(second.items.map(idOf));
	for (const item of first.items) {
		if (items.length >= wanted) break;
		const id = idOf(item);
		if (id !== undefined && ids.has(id)) continue;
		if (id !== undefined) ids.add(id);
		items.push(item);
	}
	return {
		items,
		requests: counter.requests,
		cutAtReach: first.cutAtReach || second.cutAtReach,
		changed: true,
		mayBeMissing: second.changed ? Math.max(1, second.drift) : 0,
	};
}

/** The error for a list read that came back incomplete: says which list, for which item, and what to do. */
export function incompleteList(client: VendorClient, action: string, itemIndex?: number): (problem: string) => Error {
	const vendor = client.api.displayName;
	return (problem) =>
		new NodeOperationError(client.node, `${vendor} returned an incomplete list when trying to ${action}: ${problem}${itemSuffix(itemIndex)}`, {
			itemIndex,
			description: `A page in the middle of the list came back shorter than the list itself says, and again when read a second time. Nothing is output for this rather than a list with records missing. Run it again; if it keeps happening, check the credential's Base URL (a proxy may be cutting ${vendor}'s answers).`,
		});
}

/** A warning for the output pane: how many records a list that kept changing may be missing. */
export function changingListWarning(vendor: string, what: string, mayBeMissing: number): string {
	return `The ${vendor} list of ${what} kept changing while it was read (records added, removed or updated). It was read twice; up to ${mayBeMissing} record${mayBeMissing === 1 ? '' : 's'} that existed throughout may still be missing from the output. Run it again when the list is quieter to be sure.`;
}
