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
		displayOptions: { show: { resource: ['member'] } },
		default: 'getAll',
		options: [
			{ name: 'Batch Get', value: 'batchGet', action: 'Get many members by ID or email', description: 'Read a list of members by ID (100 per request) or email; IDs not found are reported' },
			{ name: 'Batch Upsert', value: 'batchUpsert', action: 'Create or update many members', description: 'Update the members the input items match and invite the others, 20 per request' },
			{ name: 'Delete', value: 'delete', action: 'Delete a member', description: 'Delete a member by ID, email or external ID (ref_id)' },
			{ name: 'Get', value: 'get', action: 'Get a member', description: 'Get one member by ID or email' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many members', description: 'List members, 100 per page (the API stops at 10,000)' },
			{
				name: 'Mirror',
				value: 'mirror',
				action: 'Mirror members from a complete list',
				description: 'Upsert every input item as Batch Upsert does, then delete the managed members (by ref_id prefix) the input does not name',
			},
		],
	},
	{ get, batchGet, getAll, batchUpsert, delete: del, mirror },
);
