import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { VendorClient } from '../shared/engine/request';
import { listEntry, morePages, searchResult, searchText, tokenNumber } from '../shared/helpers/listSearch';
import { FLASHDUTY_MAX_PAGE, FLASHDUTY_REACHABLE_ITEMS, flashdutyApi } from './api';
import { unifiedFromFlashduty } from './mapping';
import { listMembersPage } from './members';

/** The name of the list search method (`methods.listSearch`) Get and Delete's From List calls. */
export const MEMBER_SEARCH = 'searchMembers';

/**
 * From List of Get and Delete: one page of POST /member/list (100 members, oldest first, a stable
 * order for paging), with the filter text as `query` (name or email contains it, a phone number
 * matches exactly: docs/vendors/flashduty.md#endpoints-used). The pagination token is the next page
 * number; paging stops at the 10,000 members the API lets anyone read. Each entry's value is the
 * member ID.
 */
export async function searchMembers(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const client = await VendorClient.create(this, flashdutyApi);
	const page = tokenNumber(paginationToken, 1);
	const query = searchText(filter);
	const body = { p: page, limit: FLASHDUTY_MAX_PAGE, orderby: 'created_at', asc: true, ...(query ? { query } : {}) };
	const { items, total, hasMore } = await listMembersPage(client, body, 'list members to pick from');
	const more = page * FLASHDUTY_MAX_PAGE < FLASHDUTY_REACHABLE_ITEMS && morePages(page, FLASHDUTY_MAX_PAGE, { items, total, hasMore });
	return searchResult(
		items.map((member) => listEntry(unifiedFromFlashduty(member))),
		more ? page + 1 : undefined,
	);
}
