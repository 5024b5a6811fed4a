import type { IDataObject } from 'n8n-workflow';

/** One Orion search filter: `{field, operator, value}` (operators = != < <= > >= in 'not in' like...; docs/vendors/perscom.md#quirks). */
export interface OrionFilter extends IDataObject {
	field: string;
	operator: string;
	value: string | number | boolean | Array<string | number>;
}

export interface OrionSort extends IDataObject {
	field: string;
	direction: 'asc' | 'desc';
}

/** The body of POST /{version}/users/search (Laravel Orion's search request; docs/vendors/perscom.md#quirks). */
export interface OrionSearch extends IDataObject {
	filters?: OrionFilter[];
	sort?: OrionSort[];
	search?: { value: string; case_sensitive?: boolean };
}

/**
 * PERSCOM stores dates in UTC as SQL datetimes, and Orion compares filter values as given, so a
 * date is sent as `YYYY-MM-DD HH:MM:SS` in UTC (docs/vendors/perscom.md#quirks). An unparseable value is sent as typed.
 */
export function sqlDate(value: string): string {
	const parsed = Date.parse(value);
	return Number.isNaN(parsed) ? value : new Date(parsed).toISOString().slice(0, 19).replace('T', ' ');
}

/** Orion's search filters of Get Many, from the node's Filters collection. */
export function searchFilters(filters: IDataObject): OrionFilter[] {
	const out: OrionFilter[] = [];
	if (typeof filters.approved === 'boolean') out.push({ field: 'approved', operator: '=', value: filters.approved });
	for (const [param, field] of [
		['positionId', 'position_id'],
		['rankId', 'rank_id'],
		['specialtyId', 'specialty_id'],
		['statusId', 'status_id'],
		['unitId', 'unit_id'],
	] as const) {
		const value = filters[param];
		if (typeof value === 'number' && value > 0) out.push({ field, operator: '=', value });
	}
	if (typeof filters.email === 'string' && filters.email.trim() !== '') out.push({ field: 'email', operator: '=', value: filters.email.trim().toLowerCase() });
	if (typeof filters.nameContains === 'string' && filters.nameContains.trim() !== '') {
		out.push({ field: 'name', operator: 'like', value: `%${filters.nameContains.trim()}%` });
	}
	for (const [param, field] of [
		['createdSince', 'created_at'],
		['updatedSince', 'updated_at'],
	] as const) {
		const value = filters[param];
		if (typeof value === 'string' && value.trim() !== '') out.push({ field, operator: '>=', value: sqlDate(value) });
	}
	return out;
}

/** Get Many's search body from its Filters and Options; undefined when nothing needs the search route. */
export function listSearch(filters: IDataObject, options: IDataObject): OrionSearch | undefined {
	const search: OrionSearch = {};
	const orionFilters = searchFilters(filters);
	if (orionFilters.length > 0) search.filters = orionFilters;
	if (typeof filters.search === 'string' && filters.search.trim() !== '') search.search = { value: filters.search.trim() };
	if (typeof options.sortBy === 'string' && options.sortBy !== '') {
		search.sort = [{ field: options.sortBy, direction: options.sortDirection === 'desc' ? 'desc' : 'asc' }];
	}
	return Object.keys(search).length > 0 ? search : undefined;
}

/** Newest change first, then by ID: the order a trigger finds the latest `updated_at` in. */
const NEWEST_FIRST: OrionSort[] = [
	{ field: 'updated_at', direction: 'desc' },
	{ field: 'id', direction: 'desc' },
];

/**
 * The polling trigger's search: the users matching `filters` changed at or after `sinceMs` (epoch
 * ms), oldest change first, so a backlog read in part continues where it stopped. `newestFirst`
 * turns the order round (the baseline and the editor's test event want the latest changes).
 */
export function changedSinceSearch(filters: IDataObject, sinceMs: number | undefined, newestFirst = false): OrionSearch {
	const search: OrionSearch = listSearch(filters, {}) ?? {};
	// With milliseconds: a backlog drained across polls resumes exactly after the last change read.
	const since = (ms: number) => new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
	if (sinceMs !== undefined) search.filters = [...(search.filters ?? []), { field: 'updated_at', operator: '>=', value: since(sinceMs) }];
	search.sort = newestFirst
		? NEWEST_FIRST
		: [
				{ field: 'updated_at', direction: 'asc' },
				{ field: 'id', direction: 'asc' },
			];
	return search;
}
