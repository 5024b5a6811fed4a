import { resourceOperations } from '../../../shared/helpers/router';
import * as batchGet from './batchGet.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

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
			{ name: 'Batch Get', value: 'batchGet', action: 'Get many users by ID or email', description: 'Read a list of users by ID or email, 50 per request; IDs not found are reported' },
			{ name: 'Get', value: 'get', action: 'Get a user', description: 'Get one user by ID or email' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many users', description: 'List the account\'s users, with optional filters' },
		],
	},
	{ get, batchGet, getAll },
);
