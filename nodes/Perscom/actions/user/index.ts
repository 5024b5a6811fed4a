import { resourceOperations } from '../../../shared/helpers/router';
import * as batchGet from './batchGet.operation';
import * as batchUpsert from './batchUpsert.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as mirror from './mirror.operation';

export const { operations, description } = resourceOperations(
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		default: 'getAll',
		options: [
			{ name: 'Batch Get', value: 'batchGet', action: 'Get many users by ID or email', description: 'Read a list of users by ID or email; IDs not found are reported' },
			{ name: 'Batch Upsert', value: 'batchUpsert', action: 'Create or update many users', description: 'Create or update the input items as users (matched by email), 100 per request' },
			{ name: 'Delete', value: 'delete', action: 'Delete a user', description: 'Delete users by ID; many input items are deleted 100 per request' },
			{ name: 'Get', value: 'get', action: 'Get a user', description: 'Get one user by ID or email' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many users', description: 'List users page by page, optionally filtered and sorted' },
			{
				name: 'Mirror',
				value: 'mirror',
				action: 'Mirror users from a complete source',
				description: 'Create or update the input users (matched by email), then delete or unapprove the managed users that are not in the input',
			},
		],
	},
	{ get, batchGet, getAll, batchUpsert, delete: del, mirror },
);
