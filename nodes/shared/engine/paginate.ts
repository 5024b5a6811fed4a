/**
 * Pagination that stops exactly: at the last page, or at the caller's limit, never a request
 * more than needed and never an item more than asked for.
 *
 * - `offset`: offset/limit (Flameup). Each request asks only for what is still wanted.
 * - `page`: page-number/limit (PERSCOM `page`, Flashduty `p`). The page size cannot change
 *   between requests (it would shift the pages), so it is fixed at min(limit, max page size).
 */
export interface PageRequest {
	/** Items skipped so far (offset style). */
	offset: number;
	/** 1-based page number (page style). */
	page: number;
	/** Items asked for in this request. */
	pageSize: number;
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
}

export interface PaginateResult<T> {
	items: T[];
	requests: number;
	/** True when the API's reach ended before the list did (more items exist than can be read). */
	cutAtReach: boolean;
}

export async function paginate<T>(options: PaginateOptions<T>): Promise<PaginateResult<T>> {
	const { style, maxPageSize, limit, reachableItems } = options;
	const wanted = limit === undefined ? Infinity : Math.max(0, Math.floor(limit));
	const items: T[] = [];
	let requests = 0;
	let cutAtReach = false;
	const fixedPageSize = Math.max(1, Math.min(maxPageSize, wanted));

	for (let page = 1; items.length < wanted; page++) {
		const offset = style === 'offset' ? items.length : (page - 1) * fixedPageSize;
		const pageSize = style === 'offset' ? Math.max(1, Math.min(maxPageSize, wanted - items.length)) : fixedPageSize;
		if (reachableItems !== undefined && offset + pageSize > reachableItems) {
			cutAtReach = true;
			break;
		}
		const result = await options.fetchPage({ offset, page, pageSize });
		requests++;
		const room = wanted - items.length;
		items.push(...(result.items.length > room ? result.items.slice(0, room) : result.items));

		const seen = offset + result.items.length;
		const ended =
			result.items.length === 0 ||
			result.hasMore === false ||
			(result.total !== undefined && seen >= result.total) ||
			(result.hasMore === undefined && result.items.length < pageSize);
		if (ended) break;
	}
	return { items, requests, cutAtReach };
}
