import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { VendorClient } from '../shared/engine/request';
import { listEntry, morePages, searchResult, searchText, tokenNumber } from '../shared/helpers/listSearch';
import { PERSCOM_MAX_PAGE, perscomApi } from './api';
import { unifiedFromPerscom } from './mapping';
import { listUsersPage } from './users';

/** The name of the list search method (`methods.listSearch`) Get and Delete's From List calls. */
export const USER_SEARCH = 'searchUsers';

/**
 * From List of Get and Delete: one page of users (100), searched with the filter text when there is
 * one (users.ts `listUsersPage`). The pagination token is the next page number, while PERSCOM says
 * more pages follow (docs/vendors/perscom.md#pagination). Each entry's value is the user ID.
 */
export async function searchUsers(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const client = await VendorClient.create(this, perscomApi);
	const page = tokenNumber(paginationToken, 1);
	const { items, hasMore, total } = await listUsersPage(client, { text: searchText(filter), page, limit: PERSCOM_MAX_PAGE, action: 'list users to pick from' });
	const more = morePages(page, PERSCOM_MAX_PAGE, { items, total, hasMore });
	return searchResult(
		items.map((user) => listEntry(unifiedFromPerscom(user))),
		more ? page + 1 : undefined,
	);
}
