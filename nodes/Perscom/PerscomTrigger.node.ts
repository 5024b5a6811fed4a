import { NodeConnectionTypes, type IDataObject, type INodeExecutionData, type INodeType, type INodeTypeDescription, type IPollFunctions } from 'n8n-workflow';

import { VendorClient } from '../shared/engine/request';
import { readFrom, watermarkBaseline, watermarkChanges, type Change, type Stamped, type WatermarkState } from '../shared/trigger/changes';
import { changeItems, eventsField, isTestPoll, pagesWithinBudget, readEvents, savedState, saveState, triggerOptionsField, triggerSimplifyField } from '../shared/trigger/poll';
import { rosterLoadOptions, userFilters } from './actions/user/fields';
import { PERSCOM_MAX_PAGE, perscomApi, requestsPerMinute } from './api';
import { unifiedFromPerscom, type PerscomUser } from './mapping';
import { changedSinceSearch } from './search';
import { listUsers } from './users';

/** The Get Many filters that make sense for a trigger (not the date ones: the trigger keeps its own cursor). */
const filters = userFilters(['getAll'], 'Only changes to users matching every filter set are emitted');
const triggerFilters = {
	...filters,
	displayOptions: undefined,
	options: (filters.options ?? []).filter((o) => !['createdSince', 'updatedSince'].includes(o.name)),
};

/** How many recent changes "Fetch Test Event" shows. */
const TEST_EVENTS = 5;

/** A user as the watermark needs it: ID and server times (epoch ms). */
function stamped(user: PerscomUser): Stamped<PerscomUser> {
	const updatedAt = Date.parse(String(user.updated_at ?? ''));
	const createdAt = Date.parse(String(user.created_at ?? ''));
	return { id: String(user.id), updatedAt: Number.isNaN(updatedAt) ? 0 : updatedAt, createdAt: Number.isNaN(createdAt) ? undefined : createdAt, record: user };
}

/** "created" for a user never changed since it was created, else "updated" (for test events). */
function eventOf(user: PerscomUser): Change<PerscomUser> {
	return { event: user.created_at !== undefined && user.created_at === user.updated_at ? 'created' : 'updated', record: user };
}

export class PerscomTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PERSCOM Trigger',
		name: 'perscomTrigger',
		icon: { light: 'file:perscom.svg', dark: 'file:perscom.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"users " + $parameter["events"].join(", ")}}',
		description: 'Starts the workflow when PERSCOM users are created or updated (polling)',
		defaults: { name: 'PERSCOM Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'perscomApi', required: true }],
		properties: [
			eventsField(
				false,
				'Which changes start the workflow. Each poll asks PERSCOM only for the users changed since the last one (its search filters and sorts by updated_at). PERSCOM keeps no trace of deleted users, so deletions cannot be seen: use a scheduled Mirror for that.',
			),
			triggerFilters,
			triggerSimplifyField,
			triggerOptionsField,
		],
	};

	/** The filters' dropdowns (rank, unit...), as on the PERSCOM node. */
	methods = { loadOptions: rosterLoadOptions };

	/**
	 * One poll (docs/ARCHITECTURE.md, "Polling triggers"):
	 * - "Fetch Test Event" in the editor: the latest changes, the cursor untouched;
	 * - the first poll after activation: records the watermark (the newest updated_at and the users
	 *   at it) and emits nothing, or every user with Emit Existing Records;
	 * - every later poll: the users changed since the watermark minus a minute (clock skew, late
	 *   commits), oldest first, as many pages as the poll's time budget allows; each user is emitted
	 *   once per change (its latest version); the new watermark is saved only when the poll succeeded.
	 */
	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const events = readEvents(this);
		const simplify = this.getNodeParameter('simplify', true) as boolean;
		const filters = this.getNodeParameter('filters', {}) as IDataObject;
		const client = await VendorClient.create(this, perscomApi);

		if (isTestPoll(this)) {
			const { users } = await listUsers(client, { search: changedSinceSearch(filters, undefined, true), limit: TEST_EVENTS, action: 'read the latest changed users' });
			return changeItems(users.map(eventOf), simplify, unifiedFromPerscom);
		}

		const state = savedState<WatermarkState>(this);
		if (!state) {
			const { users: [newest] } = await listUsers(client, { search: changedSinceSearch(filters, undefined, true), limit: 1, action: 'find the latest change' });
			const atWatermark = newest ? (await listUsers(client, { search: changedSinceSearch(filters, readFrom({ watermark: stamped(newest).updatedAt, recent: {} })), action: 'read the latest changes' })).users : [];
			saveState(this, watermarkBaseline(atWatermark.map(stamped), Date.now()));
			if (!(this.getNodeParameter('options.emitExisting', false) as boolean)) return null;
			const { users } = await listUsers(client, { search: changedSinceSearch(filters, undefined), action: 'read the existing users' });
			return changeItems(users.map((record): Change<PerscomUser> => ({ event: 'created', record })), simplify, unifiedFromPerscom);
		}

		const limit = pagesWithinBudget(this, requestsPerMinute(client.credentials)) * PERSCOM_MAX_PAGE;
		const { users } = await listUsers(client, { search: changedSinceSearch(filters, readFrom(state)), limit, action: 'read the users changed since the last poll' });
		const { changes, state: next } = watermarkChanges(state, users.map(stamped), events, users.length >= limit ? 'oldestFirstCut' : 'all');
		saveState(this, next);
		return changeItems(changes, simplify, unifiedFromPerscom);
	}
}
