import { NodeConnectionTypes, type IDataObject, type INodeExecutionData, type INodeType, type INodeTypeDescription, type IPollFunctions } from 'n8n-workflow';

import { VendorClient } from '../shared/engine/request';
import { text } from '../shared/engine/values';
import { deletedIds, digest, fingerprintChanges, type Change, type FingerprintState } from '../shared/trigger/changes';
import { changeItems, eventsField, isTestPoll, readEvents, savedState, saveState, triggerOptionsField, triggerSimplifyField } from '../shared/trigger/poll';
import { passes, userFilters } from './actions/user/getAll.operation';
import { flxpointApi } from './api';
import { unifiedFromFlxpoint, type FlxpointUser } from './mapping';
import { listUsers } from './users';

/**
 * Fields that change without anyone editing the user (logins, activity), left out of the digest.
 * `updatedAt` too: Flxpoint does not say whether a login bumps it, and a change that matters
 * changes another field anyway (docs/vendors/flxpoint.md#trigger).
 */
export const FLXPOINT_VOLATILE = ['lastLoginAt', 'minutesOfActivity', 'notificationsLastCheckedAt', 'lastSessionAt', 'updatedAt'];

/** How many recent changes "Fetch Test Event" shows. */
const TEST_EVENTS = 5;

const triggerFilters = {
	...userFilters,
	displayOptions: undefined,
	description:
		'Only users matching every filter set are watched (applied by the node). Changing a filter moves users in or out of the watched set: the next poll reports those that came in as created and those that left as deleted.',
};

const time = (value: unknown) => {
	const ms = Date.parse(String(value ?? ''));
	return Number.isNaN(ms) ? 0 : ms;
};

/** "created" for a user never changed since it was inserted, else "updated" (for test events). */
function eventOf(user: FlxpointUser): Change<FlxpointUser> {
	return { event: user.insertedAt !== undefined && user.insertedAt === user.updatedAt ? 'created' : 'updated', record: user };
}

export class FlxpointTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Flxpoint Trigger',
		name: 'flxpointTrigger',
		icon: { light: 'file:flxpoint.svg', dark: 'file:flxpoint.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"users " + $parameter["events"].join(", ")}}',
		description: 'Starts the workflow when Flxpoint users are created, updated or deleted (polling)',
		defaults: { name: 'Flxpoint Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'flxpointApi', required: true }],
		properties: [
			eventsField(
				true,
				'Which changes start the workflow. Flxpoint has no "changed since" query, so each poll reads the whole user list (one request) and compares every user with a short fingerprint kept from the last poll; this also sees deletions. Logins and activity counts are ignored. The fingerprints take about 20 bytes a user (about 2 MB for 100,000) in the workflow\'s static data.',
			),
			triggerFilters,
			triggerSimplifyField,
			triggerOptionsField,
		],
	};

	/**
	 * One poll (fingerprints: docs/vendors/flxpoint.md#trigger):
	 * - "Fetch Test Event" in the editor: the most recently updated users, the state untouched;
	 * - the first poll after activation: records every user's fingerprint and emits nothing, or every
	 *   user as created with Emit Existing Records;
	 * - every later poll: GET /account/users once (the whole list), the filters applied; a user not
	 *   fingerprinted before is created, one whose fingerprint changed updated, one gone deleted
	 *   (output as its source and ID only). The fingerprints are saved only when the poll succeeded.
	 */
	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const events = readEvents(this);
		const simplify = this.getNodeParameter('simplify', true) as boolean;
		const filters = this.getNodeParameter('filters', {}) as IDataObject;
		const client = await VendorClient.create(this, flxpointApi);
		const users = (await listUsers(client)).filter((user) => passes(user, filters));

		if (isTestPoll(this)) {
			const latest = [...users].sort((a, b) => time(b.updatedAt) - time(a.updatedAt)).slice(0, TEST_EVENTS);
			return changeItems(latest.map(eventOf), simplify, unifiedFromFlxpoint);
		}

		const records = users.map((user) => ({ id: text(user.id) ?? '', digest: digest(user, FLXPOINT_VOLATILE), record: user }));
		const state = savedState<FingerprintState>(this);
		if (!state) {
			const emitExisting = this.getNodeParameter('options.emitExisting', false) as boolean;
			const { changes, state: baseline } = fingerprintChanges({ digests: {} }, records, true, emitExisting ? ['created'] : []);
			saveState(this, baseline);
			return changeItems(changes, simplify, unifiedFromFlxpoint);
		}

		const gone = events.includes('deleted') ? deletedIds(state, records) : [];
		const { changes, state: next } = fingerprintChanges(state, records, true, events);
		saveState(this, next);
		return changeItems(changes, simplify, unifiedFromFlxpoint, { source: 'flxpoint', ids: gone });
	}
}
