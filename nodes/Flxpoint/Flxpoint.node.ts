import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { router } from './actions/router';
import * as user from './actions/user';
import { searchUsers } from './listSearch';

export class Flxpoint implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Flxpoint',
		name: 'flxpoint',
		icon: { light: 'file:flxpoint.svg', dark: 'file:flxpoint.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Read the users of a Flxpoint account (an Account API token is needed). Read-only, so no Create or Update Many and no Mirror: the API has no endpoint that writes or deletes a user.',
		defaults: { name: 'Flxpoint' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'flxpointApi', required: true }],
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

	methods = { listSearch: { searchUsers } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
