import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { writeFieldsMethod } from '../shared/helpers/mapper';
import * as member from './actions/member';
import { router } from './actions/router';
import { searchMembers } from './listSearch';
import { FLASHDUTY_MAPPER_FIELDS } from './mapping';

export class Flashduty implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Flashduty',
		name: 'flashduty',
		icon: { light: 'file:flashduty.svg', dark: 'file:flashduty.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Read, invite, update and delete members in Flashduty (incident management)',
		defaults: { name: 'Flashduty' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'flashdutyApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Member', value: 'member' }],
				default: 'member',
			},
			...member.description,
		],
	};

	methods = {
		resourceMapping: writeFieldsMethod(FLASHDUTY_MAPPER_FIELDS),
		listSearch: { searchMembers },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
