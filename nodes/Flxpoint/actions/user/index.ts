import { resourceOperations } from '../../../shared/helpers/router';
import * as batchGet from './batchGet.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

/** What an ID is for Flxpoint, for the AI tool descriptions. */
const FLXPOINT_ID = 'A user is named by their numeric Flxpoint user ID (the id in the results, e.g. 123456) or by their email address (e.g. ada@example.com).';

/** Flxpoint documents no user writes (no create, update or delete): read operations only. */
export const { operations, description } = resourceOperations(
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		default: 'getAll',
		options: [
			{ name: 'Get', value: 'get', action: 'Get a user', description: 'Get one user by ID or email' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many users', description: 'List the account\'s users, optionally filtered by role or email' },
			{
				name: 'Get Many by ID',
				value: 'batchGet',
				action: 'Get many users by ID or email',
				description: 'Get the users named in a list of IDs or emails, 50 per request; IDs not found are reported',
			},
		],
	},
	{ get, batchGet, getAll },
	{
		hidden: [],
		descriptions: {
			get: `Get one user of the Flxpoint account (e-commerce operations platform) by ID or email. ${FLXPOINT_ID} Returns the user (by default the unified fields: id, email, name, firstName, lastName, createdAt, updatedAt); an unknown ID is an error. Read-only: Flxpoint users cannot be changed.`,
			batchGet: `Get several Flxpoint users at once from a comma-separated list of user IDs or emails. ${FLXPOINT_ID} Returns one record per user found and {id, notFound: true} for each one that does not exist.`,
			getAll: 'List the users of the Flxpoint account (e-commerce operations platform): optionally only those whose email contains a text, with a role (admin, read only, support specialist), or the primary user only. Returns at most Limit users (10 unless set otherwise), each with id (the user ID to use with the other Flxpoint tools), email and name.',
		},
	},
);
