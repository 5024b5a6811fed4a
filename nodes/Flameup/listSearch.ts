import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { VendorClient } from '../shared/engine/request';
import { listEntry, searchResult, searchText, tokenNumber } from '../shared/helpers/listSearch';
import { FLAMEUP_MAX_PAGE, flameupApi } from './api';
import { unifiedFromFlameup } from './mapping';
import { listPeoplePage } from './people';

/** The name of the list search method (`methods.listSearch`) Get's From List calls. */
export const PERSON_SEARCH = 'searchPeople';

/**
 * From List of Get: one page of GET /people (100 people), with the filter text as `search` (name or
 * email contains it: docs/vendors/flameup.md#endpoints-used). The pagination token is the next
 * offset, while it is below the `total` Flameup reports. Each entry's value is what Get reads a
 * person by: the external ID, else the email (Flameup's internal ID is not a key: a person with
 * neither cannot be picked and is left out).
 */
export async function searchPeople(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const client = await VendorClient.create(this, flameupApi);
	const offset = tokenNumber(paginationToken, 0);
	const search = searchText(filter);
	const { people, total } = await listPeoplePage(client, { filters: search ? { search } : {}, offset, limit: FLAMEUP_MAX_PAGE, action: 'list people to pick from' });
	const entries = people.map(unifiedFromFlameup).flatMap((person) => {
		const key = person.externalId ?? person.email;
		return key ? [listEntry(person, key)] : [];
	});
	const next = offset + people.length;
	return searchResult(entries, people.length > 0 && next < total ? next : undefined);
}
