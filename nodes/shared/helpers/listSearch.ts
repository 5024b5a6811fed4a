import type { INodeListSearchItems, INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';

import type { UnifiedPerson } from '../person/unified';

// What the editor's lists show: From List entries (`methods.listSearch`) and dropdowns loaded from the API (`methods.loadOptions`).

/**
 * What the editor's "From List" shows for one record: "<name> (<email>)" (or whichever of the two it
 * has), with the key that Get and Delete read it by as the value.
 */
export function listEntry(person: UnifiedPerson, value: string = person.id): INodeListSearchItems {
	const { name, email } = person;
	const label = name && email ? `${name} (${email})` : (name ?? email ?? value);
	return { name: label, value };
}

/** The page a list search asks for: the pagination token the editor sends back (a page number or an offset), else the first. */
export function tokenNumber(paginationToken: unknown, first: number): number {
	const value = typeof paginationToken === 'string' || typeof paginationToken === 'number' ? Number(paginationToken) : NaN;
	return Number.isSafeInteger(value) && value >= first ? value : first;
}

/** The filter text as the vendor's search takes it: trimmed; undefined when empty. */
export function searchText(filter: string | undefined): string | undefined {
	const text = filter?.trim();
	return text ? text : undefined;
}

/** Whether a person's name or email contains the filter text (case-insensitive), for vendors that cannot search. */
export function matchesText(person: UnifiedPerson, text: string | undefined): boolean {
	if (!text) return true;
	const needle = text.toLowerCase();
	return [person.name, person.email, person.id].some((field) => field?.toLowerCase().includes(needle));
}

/** The list search answer: the entries and, when more follow, the token of the next page. */
export function searchResult(results: INodeListSearchItems[], next?: number): INodeListSearchResult {
	return next === undefined ? { results } : { results, paginationToken: String(next) };
}

/**
 * Whether pages follow page `page` of a list read `pageSize` at a time: the vendor's own flag when it
 * sends one, else its total, else a full page.
 */
export function morePages(page: number, pageSize: number, answer: { items: unknown[]; total?: number; hasMore?: boolean }): boolean {
	return answer.hasMore ?? (answer.total !== undefined ? page * pageSize < answer.total : answer.items.length === pageSize);
}

/** Dropdown options in the order a person looks for them: by name (case-insensitive), then by ID. */
export function byName(options: Array<{ name: string; value: number }>): INodePropertyOptions[] {
	return options.sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.value - b.value);
}

/**
 * The first choice of a filter dropdown loaded from the API: no filter. Its value 0 is the default,
 * what these filters held when they were number fields ("0 = any"), so saved workflows stay valid.
 */
export const ANY_CHOICE: INodePropertyOptions = { name: 'Any (No Filter)', value: 0 };
