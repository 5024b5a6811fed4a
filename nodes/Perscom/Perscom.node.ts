import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { writeFieldsMethod } from '../shared/helpers/mapper';
import { router } from './actions/router';
import * as user from './actions/user';
import { searchUsers } from './listSearch';
import { PERSCOM_MAPPER_FIELDS } from './mapping';

export class Perscom implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PERSCOM',
		name: 'perscom',
		icon: { light: 'file:perscom.svg', dark: 'file:perscom.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Read, create, update and delete users in PERSCOM (personnel management)',
		defaults: { name: 'PERSCOM' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'perscomApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'User', value: 'user' }],
				default: 'user',
			},
			...user.description,
		],
	};

	methods = {
		resourceMapping: writeFieldsMethod(PERSCOM_MAPPER_FIELDS),
		listSearch: { searchUsers },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
