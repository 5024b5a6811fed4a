import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { answerShape, recordsWithIds } from '../shared/engine/answers';
import { incompleteList, paginate } from '../shared/engine/paginate';
import { VendorClient } from '../shared/engine/request';
import { asRecord } from '../shared/engine/values';
import { byName } from '../shared/helpers/listSearch';
import { PERSCOM_MAX_PAGE, perscomApi } from './api';

/**
 * PERSCOM's roster lists, read for the editor's dropdowns: the ranks, units, positions, specialties
 * and roster statuses a user's `rank_id`, `unit_id`... name (`GET /{version}/ranks`...,
 * docs/vendors/perscom.md#roster-lists). API calls only.
 */

export type RosterKind = 'rank' | 'unit' | 'position' | 'specialty' | 'status';

/** Each roster list: its path and what it holds, in words. */
export const ROSTER_LISTS: Record<RosterKind, { path: string; what: string }> = {
	rank: { path: '/ranks', what: 'ranks' },
	unit: { path: '/units', what: 'units' },
	position: { path: '/positions', what: 'positions' },
	specialty: { path: '/specialties', what: 'specialties' },
	status: { path: '/statuses', what: 'roster statuses' },
};

interface RosterRecord {
	id: number;
	name: string;
}

interface RosterPage {
	data: RosterRecord[];
	links?: { next?: string | null };
	meta?: { current_page?: number; last_page?: number; total?: number };
}

/** A page of a roster list: `{data[], links|meta}`, every record with a numeric `id` and a `name`. */
function rosterPage(what: string) {
	return answerShape(`a page of ${what}`, (body) => {
		const page = asRecord(body);
		if (!page || !recordsWithIds(page.data) || (asRecord(page.meta) === undefined && asRecord(page.links) === undefined)) return false;
		return (page.data as unknown[]).every((entry) => {
			const record = asRecord(entry);
			return typeof record?.id === 'number' && Number.isSafeInteger(record.id) && typeof record.name === 'string';
		});
	});
}

/**
 * Every record of one roster list as dropdown options `{name, value: id}`, sorted by name (then ID):
 * all pages, 100 a page, stopping as the user list does (docs/vendors/perscom.md#pagination). An
 * answer that is not such a page is retried and then an error, never an empty list.
 */
export async function listRoster(client: VendorClient, kind: RosterKind): Promise<INodePropertyOptions[]> {
	const { path, what } = ROSTER_LISTS[kind];
	const action = `list the ${what}`;
	const { items } = await paginate<RosterRecord>({
		style: 'page',
		maxPageSize: PERSCOM_MAX_PAGE,
		idOf: (record) => String(record.id),
		incomplete: incompleteList(client, action),
		fetchPage: async ({ page, pageSize }) => {
			const body = await client.request<RosterPage>({ method: 'GET', path, qs: { page, limit: pageSize }, action, expect: rosterPage(what) });
			const meta = body.meta ?? {};
			let hasMore: boolean | undefined;
			if (typeof meta.current_page === 'number' && typeof meta.last_page === 'number') hasMore = meta.current_page < meta.last_page;
			else if (body.links && 'next' in body.links) hasMore = !!body.links.next;
			return { items: body.data, hasMore, total: typeof meta.total === 'number' ? meta.total : undefined };
		},
	});
	return byName(items.map((record) => ({ name: record.name.trim() === '' ? `#${record.id}` : record.name, value: record.id })));
}

/** Each roster list for the editor: one client per call, as the editor loads one dropdown at a time. */
export async function rosterOptions(ctx: ILoadOptionsFunctions, kind: RosterKind): Promise<INodePropertyOptions[]> {
	return await listRoster(await VendorClient.create(ctx, perscomApi), kind);
}
