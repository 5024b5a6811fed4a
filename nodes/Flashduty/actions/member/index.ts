import { resourceOperations } from '../../../shared/helpers/router';
import * as batchGet from './batchGet.operation';
import * as batchUpsert from './batchUpsert.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as mirror from './mirror.operation';

/** What an ID is for Flashduty, for the AI tool descriptions. */
const FLASHDUTY_ID =
	'A member is named by their member ID (the id in the results: Flashduty\'s member_id, a whole number of up to 20 digits, passed as a string, e.g. "3790117293151") or by their email address (e.g. ada@example.com).';

export const { operations, description } = resourceOperations(
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['member'] } },
		default: 'getAll',
		options: [
			{
				name: 'Create or Update Many',
				value: 'batchUpsert',
				action: 'Create or update many members',
				description: 'Update the members the input items match (by external ID, else email) and invite the others, 20 per request',
			},
			{ name: 'Delete', value: 'delete', action: 'Delete a member', description: 'Delete a member by ID, email or external ID (ref_id)' },
			{ name: 'Get', value: 'get', action: 'Get a member', description: 'Get one member by ID or email' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many members', description: 'List members, optionally filtered by a search text or a role (the API stops at 10,000)' },
			{
				name: 'Get Many by ID',
				value: 'batchGet',
				action: 'Get many members by ID or email',
				description: 'Get the members named in a list of IDs (100 per request) or emails; IDs not found are reported',
			},
			{
				name: 'Mirror',
				value: 'mirror',
				action: 'Mirror members from a complete list',
				description: 'Create or update every input item as Create or Update Many does, then delete the managed members (by ref_id prefix) the input does not name',
			},
		],
	},
	{ get, batchGet, getAll, batchUpsert, delete: del, mirror },
	{
		hidden: ['batchUpsert', 'mirror'],
		descriptions: {
			get: `Get one member of the Flashduty account (on-call and incident management) by ID or email. ${FLASHDUTY_ID} Returns the member (by default the unified fields: id, externalId (Flashduty's ref_id), email, name, phone, timezone, locale, status, createdAt, updatedAt); an unknown ID is an error.`,
			batchGet: `Get several Flashduty members at once from a comma-separated list of member IDs or emails. ${FLASHDUTY_ID} Returns one record per member found and {id, notFound: true} for each one that does not exist.`,
			getAll: 'List or search the members of the Flashduty account (on-call and incident management): optionally only those whose name or email contains a text (a phone number matches exactly), or who have a role (a numeric role ID). Returns at most Limit members (10 unless set otherwise), most recently updated first, each with id (the member ID to use with the other Flashduty tools), email, name and status.',
			delete: `Delete one member from the Flashduty account. ${FLASHDUTY_ID} With Match By set to External ID, the ID is the member's ref_id (externalId in the results) instead. Returns {deleted: true, id}. This cannot be undone.`,
		},
	},
);
