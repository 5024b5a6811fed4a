import { NodeConnectionTypes, type IDataObject, type INodeExecutionData, type INodeProperties, type INodeType, type INodeTypeDescription, type IPollFunctions } from 'n8n-workflow';

import { VendorClient } from '../shared/engine/request';
import { text } from '../shared/engine/values';
import { OVERLAP_MS, readFrom, watermarkBaseline, watermarkChanges, type Change, type Stamped, type WatermarkState } from '../shared/trigger/changes';
import { changeItems, eventsField, isTestPoll, pagesWithinBudget, readEvents, savedState, saveState, triggerOptionsField, triggerSimplifyField } from '../shared/trigger/poll';
import { description as getAllDescription, filterRoleId, roleLoadOptions } from './actions/member/getAll.operation';
import { FLASHDUTY_MAX_PAGE, FLASHDUTY_REACHABLE_ITEMS, FLASHDUTY_REQUESTS_PER_MINUTE, flashdutyApi } from './api';
import { unifiedFromFlashduty, type FlashdutyMember } from './mapping';
import { listMembers, listMembersPage } from './members';

/** The Get Many filters (Query, Role ID), shown always. */
const getAllFilters = getAllDescription.find((p) => p.name === 'filters') as INodeProperties;
const triggerFilters: INodeProperties = { ...getAllFilters, displayOptions: undefined, description: 'Only changes to members matching every filter set are emitted' };

/** How many recent changes "Fetch Test Event" shows. */
const TEST_EVENTS = 5;

/** The most pages of 100 /member/list lets anyone read (p × limit ≤ 10,000). */
const REACHABLE_PAGES = FLASHDUTY_REACHABLE_ITEMS / FLASHDUTY_MAX_PAGE;

/**
 * The trigger's state: the watermark, and while a backlog larger than one poll's budget is read
 * newest first, where the next poll goes on (`page`) and the newest `updated_at` (ms) the first
 * read of the backlog saw (`top`): once the whole backlog is read, the watermark moves there.
 */
interface FlashdutyTriggerState extends WatermarkState {
	drain?: { page: number; top: number };
}

/** A member as the watermark needs it: ID and server times, Unix seconds turned into epoch ms. */
function stamped(member: FlashdutyMember): Stamped<FlashdutyMember> {
	const seconds = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value * 1000 : undefined);
	return { id: member.member_id, updatedAt: seconds(member.updated_at) ?? 0, createdAt: seconds(member.created_at), record: member };
}

/**
 * Whether a member is one to emit: /member/list may show members with status `deleted` (MemberItem's
 * status enum). They are read (the watermark moves past them) but never emitted: a removal is not a
 * "created" or "updated" person, and a member deleted outright leaves the list without a trace.
 */
function listed(member: FlashdutyMember): boolean {
	return member.status !== 'deleted';
}

/** "created" for a member never changed since it was created, else "updated" (for test events). */
function eventOf(member: FlashdutyMember): Change<FlashdutyMember> {
	return { event: member.created_at !== undefined && member.created_at === member.updated_at ? 'created' : 'updated', record: member };
}

/** The /member/list body of the filters (MemberListRequest: query, role_id; docs/vendors/flashduty.md#endpoints-used). */
function filterBody(ctx: IPollFunctions): IDataObject {
	const filters = ctx.getNodeParameter('filters', {}) as IDataObject;
	const body: IDataObject = {};
	const query = text(filters.query);
	if (query) body.query = query;
	const roleId = filterRoleId(ctx, filters);
	if (roleId !== undefined) body.role_id = roleId;
	return body;
}

interface NewestFirstRead {
	records: Array<Stamped<FlashdutyMember>>;
	/** The read reached a member older than `from`, the end of the list, or the last reachable page. */
	complete: boolean;
	/** The read stopped at the last page /member/list lets anyone read, before reaching `from`. */
	beyondReach: boolean;
	/** The page after the last one read. */
	nextPage: number;
}

/**
 * /member/list, most recently updated first, 100 a page from `page` on, at most `pages` pages:
 * until a page reaches a member updated before `from(newest updated_at read)`, the list ends, or
 * the 10,000 reachable members end.
 */
async function readNewestFirst(
	client: VendorClient,
	body: IDataObject,
	options: { page: number; pages: number; from: (newest: number) => number; action: string },
): Promise<NewestFirstRead> {
	const records: Array<Stamped<FlashdutyMember>> = [];
	let newest = 0;
	let page = options.page;
	for (let read = 0; read < options.pages; read++) {
		const result = await listMembersPage(client, { ...body, orderby: 'updated_at', asc: false, p: page, limit: FLASHDUTY_MAX_PAGE }, options.action);
		const stamps = result.items.map(stamped);
		records.push(...stamps);
		for (const r of stamps) newest = Math.max(newest, r.updatedAt);
		const last = stamps[stamps.length - 1];
		const ended = stamps.length < FLASHDUTY_MAX_PAGE || result.hasMore === false || (result.total !== undefined && page * FLASHDUTY_MAX_PAGE >= result.total);
		page++;
		if (ended || (last !== undefined && last.updatedAt < options.from(newest))) return { records, complete: true, beyondReach: false, nextPage: page };
		if (page > REACHABLE_PAGES) return { records, complete: true, beyondReach: true, nextPage: page };
	}
	return { records, complete: false, beyondReach: false, nextPage: page };
}

/**
 * Where to start when the (filtered) list is empty: the newest change in the whole account, on
 * Flashduty's clock (one more request, only with filters), else now.
 */
async function latestChange(client: VendorClient, body: IDataObject): Promise<number> {
	if (Object.keys(body).length === 0) return Date.now();
	const { items } = await listMembersPage(client, { orderby: 'updated_at', asc: false, p: 1, limit: 1 }, 'find the latest change');
	return items.length > 0 ? stamped(items[0]).updatedAt : Date.now();
}

/** Only the entries of `recent` within the overlap of `watermark`, as watermarkChanges keeps them. */
function pruned(recent: Record<string, number>, watermark: number): Record<string, number> {
	return Object.fromEntries(Object.entries(recent).filter(([, at]) => at >= watermark - OVERLAP_MS));
}

/**
 * The state after a poll, from what watermarkChanges made of it (`next`) and how the read ended:
 * - cut by the budget: the watermark stays (watermarkChanges), and the next poll goes on at the
 *   page after the last one read; `top` is the newest change the backlog's first page showed;
 * - a backlog read whole: everything from the watermark up to `top` was read. The next poll reads
 *   from `top` minus the overlap (`resumeFrom`), so that members changed while the backlog was
 *   read (they moved to the front) come, and the watermark stays where it was for one more poll,
 *   with every ID emitted meanwhile, so that a member created in the backlog and changed before
 *   it was read is still "created";
 * - that next poll read whole: the watermark moves to the newest change read, at least `top`
 *   (watermarkChanges moves it only by what it emits, and the backlog was emitted before).
 */
function settle(state: FlashdutyTriggerState, next: WatermarkState, read: NewestFirstRead): FlashdutyTriggerState {
	const resume = state.resumeFrom === undefined ? {} : { resumeFrom: state.resumeFrom };
	if (!read.complete) {
		const top = state.drain?.top ?? Math.max(state.watermark, ...read.records.map((r) => r.updatedAt));
		return { ...next, ...resume, drain: { page: read.nextPage, top } };
	}
	if (state.drain) {
		// Every ID emitted (or passed over) in the backlog, this poll's too: watermarkChanges prunes them by its own watermark.
		const recent = { ...state.recent };
		for (const r of read.records) if (r.updatedAt >= readFrom(state)) recent[r.id] = Math.max(recent[r.id] ?? r.updatedAt, r.updatedAt);
		return { watermark: state.watermark, recent, resumeFrom: state.drain.top - OVERLAP_MS };
	}
	if (state.resumeFrom !== undefined) {
		const watermark = Math.max(next.watermark, state.resumeFrom + OVERLAP_MS);
		return { watermark, recent: pruned(next.recent, watermark) };
	}
	return next;
}

export class FlashdutyTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Flashduty Trigger',
		name: 'flashdutyTrigger',
		icon: { light: 'file:flashduty.svg', dark: 'file:flashduty.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"members " + $parameter["events"].join(", ")}}',
		description: 'Starts the workflow when Flashduty members are created or updated (polling)',
		defaults: { name: 'Flashduty Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'flashdutyApi', required: true }],
		properties: [
			eventsField(
				false,
				'Which changes start the workflow. Each poll reads the member list most recently updated first, down to the last change it saw. A member deleted from Flashduty leaves the list without a trace, and members the list shows with status "deleted" are skipped, so deletions cannot be seen: use a scheduled Mirror for that.',
			),
			triggerFilters,
			triggerSimplifyField,
			triggerOptionsField,
		],
	};

	/** The Role filter's dropdown, as on the Flashduty node. */
	methods = { loadOptions: roleLoadOptions };

	/**
	 * One poll (docs/ARCHITECTURE.md, "Polling triggers"); /member/list has no "updated since" filter
	 * but sorts by updated_at, newest first:
	 * - "Fetch Test Event" in the editor: the latest changed members, the cursor untouched;
	 * - the first poll after activation: records the watermark (the newest updated_at and the members
	 *   within a minute of it) and emits nothing, or every member with Emit Existing Records;
	 * - every later poll: pages newest first until one reaches members older than the watermark
	 *   minus a minute (clock skew, late commits); each member is emitted once per change (its latest
	 *   version). A backlog larger than the poll's time budget is read over several polls, each going
	 *   on where the last stopped; the watermark moves only when the whole backlog was read. The
	 *   state is saved only when the poll succeeded.
	 */
	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const events = readEvents(this);
		const simplify = this.getNodeParameter('simplify', true) as boolean;
		const body = filterBody(this);
		const client = await VendorClient.create(this, flashdutyApi);

		if (isTestPoll(this)) {
			const { items } = await listMembersPage(client, { ...body, orderby: 'updated_at', asc: false, p: 1, limit: TEST_EVENTS }, 'read the latest changed members');
			return changeItems(items.filter(listed).map(eventOf), simplify, unifiedFromFlashduty);
		}

		const pages = Math.min(REACHABLE_PAGES, pagesWithinBudget(this, FLASHDUTY_REQUESTS_PER_MINUTE));
		const state = savedState<FlashdutyTriggerState>(this);
		if (!state) {
			const { records } = await readNewestFirst(client, body, { page: 1, pages, from: (newest) => newest - OVERLAP_MS, action: 'read the latest changes' });
			saveState<FlashdutyTriggerState>(this, watermarkBaseline(records, records.length > 0 ? Date.now() : await latestChange(client, body)));
			if (!(this.getNodeParameter('options.emitExisting', false) as boolean)) return null;
			const { members } = await listMembers(client, { body: { ...body, orderby: 'created_at', asc: true }, action: 'read the existing members' });
			return changeItems(members.filter(listed).map((record): Change<FlashdutyMember> => ({ event: 'created', record })), simplify, unifiedFromFlashduty);
		}

		// A backlog being read goes on where the last poll stopped, one page earlier when the budget
		// allows (members removed meanwhile shift the list up; what is read twice is emitted once).
		const drain = state.drain;
		const start = drain ? Math.max(1, pages > 1 ? drain.page - 1 : drain.page) : 1;
		const from = readFrom(state);
		const read = await readNewestFirst(client, body, { page: start, pages, from: () => from, action: 'read the members changed since the last poll' });
		const { changes, state: next } = watermarkChanges(state, read.records, events, read.complete ? 'all' : 'newestFirstCut');
		saveState(this, settle(state, next, read));
		if (read.beyondReach) {
			this.logger.warn(
				`Flashduty Trigger: more than ${FLASHDUTY_REACHABLE_ITEMS} members changed since the last poll; /member/list lets no client read past the first ${FLASHDUTY_REACHABLE_ITEMS}, so older changes were not emitted. Narrow the trigger with Filters.`,
			);
		}
		return changeItems(changes.filter((c) => listed(c.record)), simplify, unifiedFromFlashduty);
	}
}
