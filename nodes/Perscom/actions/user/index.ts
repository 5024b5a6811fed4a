import { resourceOperations } from '../../../shared/helpers/router';
import * as batchGet from './batchGet.operation';
import * as batchUpsert from './batchUpsert.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as mirror from './mirror.operation';

/** What an ID is for PERSCOM, for the AI tool descriptions. */
const PERSCOM_ID = 'A user is named by their PERSCOM user ID (the id in the results, a whole number, e.g. 42) or by their email address (e.g. ada@example.com).';

export const { operations, description } = resourceOperations(
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		default: 'getAll',
		options: [
			{
				name: 'Create or Update Many',
				value: 'batchUpsert',
				action: 'Create or update many users',
				description: 'Create or update every input item as a user (matched by email), 100 per request',
			},
			{ name: 'Delete', value: 'delete', action: 'Delete a user', description: 'Delete a user by ID; many input items are deleted 100 per request' },
			{ name: 'Get', value: 'get', action: 'Get a user', description: 'Get one user by ID or email' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many users', description: 'List users, optionally filtered and sorted' },
			{
				name: 'Get Many by ID',
				value: 'batchGet',
				action: 'Get many users by ID or email',
				description: 'Get the users named in a list of IDs or emails; IDs not found are reported',
			},
			{
				name: 'Mirror',
				value: 'mirror',
				action: 'Mirror users from a complete source',
				description: 'Create or update the input users (matched by email), then delete or unapprove the managed users that are not in the input',
			},
		],
	},
	{ get, batchGet, getAll, batchUpsert, delete: del, mirror },
	{
		hidden: ['batchUpsert', 'mirror'],
		descriptions: {
			get: `Get one user of PERSCOM (personnel management for military simulation units and similar organisations) by ID or email. ${PERSCOM_ID} Returns the user (by default the unified fields: id, email, name, firstName, lastName, phone, timezone, avatarUrl, status (approved or pending), createdAt, updatedAt); an unknown ID is an error.`,
			batchGet: `Get several PERSCOM users at once from a comma-separated list of user IDs or emails. ${PERSCOM_ID} Returns one record per user found and {id, notFound: true} for each one that does not exist.`,
			getAll: 'List or search the users of PERSCOM (personnel management): optionally filtered by approval, unit, rank, position, specialty or roster status (numeric IDs), exact email, name text, a search text, or a created/updated-since date, and sorted. Returns at most Limit users (10 unless set otherwise), each with id (the user ID to use with the other PERSCOM tools), email, name and status.',
			delete: 'Delete one PERSCOM user by their user ID (the id in the results, a whole number, e.g. 42; an email is not accepted: get the user first). Returns {deleted: true, id}. This cannot be undone.',
		},
	},
);
