import { resourceOperations } from '../../../shared/helpers/router';
import * as batchGet from './batchGet.operation';
import * as batchUpsert from './batchUpsert.operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';


export const { operations, description } = resourceOperations(
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['person'] } },
		default: 'getAll',
		options: [
			{ name: 'Batch Get', value: 'batchGet', action: 'Get many people by ID or email', description: 'Read a list of people by external ID or email; IDs not found are reported' },
			{ name: 'Batch Upsert', value: 'batchUpsert', action: 'Create or update many people', description: 'Create or update the input items as people, 100 per request' },
			{ name: 'Create', value: 'create', action: 'Create a person', description: 'Create one person' },
			{ name: 'Get', value: 'get', action: 'Get a person', description: 'Get one person by external ID or email' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many people', description: 'List people, page by page' },
			{ name: 'Update', value: 'update', action: 'Update a person', description: 'Update a person\'s traits (merged into the existing ones)' },
		],
	},
	{ get, batchGet, getAll, batchUpsert, create, update },
);
