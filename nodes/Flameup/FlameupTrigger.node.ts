import { NodeConnectionTypes, type IDataObject, type INodeExecutionData, type INodeType, type INodeTypeDescription, type IPollFunctions } from 'n8n-workflow';

import { deletedIds, digest, fingerprintChanges, type Change, type FingerprintState } from '../shared/trigger/changes';
import { VendorClient } from '../shared/engine/request';
import { changeItems, eventsField, isTestPoll, pagesWithinBudget, readEvents, savedState, saveState, triggerOptionsField, triggerSimplifyField } from '../shared/trigger/poll';
import { filterQuery, peopleFilters } from './actions/person/getAll.operation';
import { FLAMEUP_MAX_PAGE, flameupApi } from './api';
import { unifiedFromFlameup, type FlameupPerson } from './mapping';
import { listPeople, personId } from './people';

/** Flameup allows 120 requests a minute per key (docs/vendors/flameup.md#limits). */
const REQUESTS_PER_MINUTE = 120;

/**
 * Fields that change without anyone editing the person (activity), left out of the digest:
 * `first_seen_at` / `last_seen_at`, and `updated_at`, which Flameup may move with them (it does not
 * say) while a change that matters changes another field anyway (docs/vendors/flameup.md#trigger).
 */
export const FLAMEUP_VOLATILE = ['last_seen_at', 'first_seen_at', 'updated_at'];

/** How many recent changes "Fetch Test Event" shows. */
const TEST_EVENTS = 5;

/**
 * The state: every person's fingerprint; `partial` while the fingerprints do not yet cover the
 * whole list (the first poll's read was cut or kept changing): until a poll reads the whole list,
 * people not fingerprinted are recorded as existing ones, not emitted as created.
 */
interface FlameupTriggerState extends FingerprintState {
	partial?: boolean;
}

const triggerFilters = {
	...peopleFilters,
	displayOptions: undefined,
	description:
		'Only people matching every filter set are watched (sent to Flameup as query parameters). Changing a filter moves people in or out of the watched set: the next poll reports those that came in as created and those that left as deleted.',
};

const time = (value: unknown) => {
	const ms = Date.parse(String(value ?? ''));
	return Number.isNaN(ms) ? 0 : ms;
};

/** "created" for a person never changed since it was created, else "updated" (for test events). */
function eventOf(person: FlameupPerson): Change<FlameupPerson> {
	return { event: person.created_at !== undefined && person.created_at === person.updated_at ? 'created' : 'updated', record: person };
}

export class FlameupTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Flameup Trigger',
		name: 'flameupTrigger',
		icon: { light: 'file:flameup.svg', dark: 'file:flameup.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"people " + $parameter["events"].join(", ")}}',
		description: 'Starts the workflow when Flameup people are created, updated or deleted (polling)',
		defaults: { name: 'Flameup Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'flameupApi', required: true }],
		properties: [
			eventsField(
				true,
				'Which changes start the workflow. Flameup has no "changed since" filter and no sort, so each poll reads the whole people list (one request per 100 people, at most 120 a minute) and compares every person with a short fingerprint kept from the last poll; this also sees deletions. Activity (last seen) is ignored. Deletions are reported only after a poll that read the whole list. The fingerprints take about 55 bytes a person (about 5 MB for 100,000) in the workflow\'s static data.',
			),
			triggerFilters,
			triggerSimplifyField,
			triggerOptionsField,
		],
	};

	/**
	 * One poll (fingerprints: docs/vendors/flameup.md#trigger):
	 * - "Fetch Test Event" in the editor: the most recently updated people, the state untouched;
	 * - the first poll after activation: records every person's fingerprint and emits nothing, or
	 *   every person as created with Emit Existing Records;
	 * - every later poll: GET /people page by page (as many pages as the poll's budget allows at
	 *   120 requests a minute); a person not fingerprinted before is created, one whose fingerprint
	 *   changed updated. Only when the whole list was read (not cut by the budget, and not still
	 *   changing when read a second time) are the people gone reported deleted (as source and ID
	 *   only) and forgotten; otherwise the fingerprints of those not read are kept for the next poll.
	 *   The state is saved only when the poll succeeded.
	 */
	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const events = readEvents(this);
		const simplify = this.getNodeParameter('simplify', true) as boolean;
		const filters = this.getNodeParameter('filters', {}) as IDataObject;
		const client = await VendorClient.create(this, flameupApi);
		const limit = pagesWithinBudget(this, REQUESTS_PER_MINUTE) * FLAMEUP_MAX_PAGE;
		const { people, mayBeMissing, total } = await listPeople(client, { filters: filterQuery(filters), limit });

		if (isTestPoll(this)) {
			const latest = [...people].sort((a, b) => time(b.updated_at) - time(a.updated_at)).slice(0, TEST_EVENTS);
			return changeItems(latest.map(eventOf), simplify, unifiedFromFlameup);
		}

		const cut = people.length >= limit && (total === undefined || total > people.length);
		const complete = mayBeMissing === 0 && !cut;
		const records = people.map((person) => ({ id: personId(person) ?? '', digest: digest(person, FLAMEUP_VOLATILE), record: person }));
		const state = savedState<FlameupTriggerState>(this);

		// While the fingerprints do not cover the whole list yet (the first poll, or its read is still
		// being completed), people not fingerprinted are existing people: emitted (as created) only
		// with Emit Existing Records. Changes to the others are real.
		const first = !state || state.partial === true;
		const known: FingerprintState = state ?? { digests: {} };
		const emitCreated = first ? (this.getNodeParameter('options.emitExisting', false) as boolean) : events.includes('created');
		const asked = [...events.filter((e) => e !== 'created'), ...(emitCreated ? (['created'] as const) : [])];
		const gone = complete && events.includes('deleted') ? deletedIds(known, records) : [];
		const { changes, state: next } = fingerprintChanges(known, records, complete, asked);
		saveState<FlameupTriggerState>(this, first && !complete ? { ...next, partial: true } : next);
		return changeItems(changes, simplify, unifiedFromFlameup, { source: 'flameup', ids: gone });
	}
}
