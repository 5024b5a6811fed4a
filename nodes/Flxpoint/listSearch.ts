import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { VendorClient } from '../shared/engine/request';
import { listEntry, matchesText, searchResult, searchText } from '../shared/helpers/listSearch';
import { flxpointApi } from './api';
import { unifiedFromFlxpoint } from './mapping';
import { listUsers } from './users';

/** The name of the list search method (`methods.listSearch`) Get's From List calls. */
export const USER_SEARCH = 'searchUsers';

/**
 * From List of Get: GET /account/users answers every user at once and has no search
 * (docs/vendors/flxpoint.md#endpoints-used), so the filter text is matched here against name, email
 * and ID; there is no next page. Each entry's value is the numeric user ID.
 */
export async function searchUsers(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const client = await VendorClient.create(this, flxpointApi);
	const text = searchText(filter);
	const people = (await listUsers(client)).map(unifiedFromFlxpoint).filter((person) => matchesText(person, text));
	return searchResult(people.map((person) => listEntry(person)));
}
