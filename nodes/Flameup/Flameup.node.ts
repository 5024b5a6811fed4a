import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { writeFieldsMethod } from '../shared/helpers/mapper';
import * as person from './actions/person';
import { router } from './actions/router';
import { CREATE_FIELDS, CREATE_FIELDS_METHOD, UPDATE_FIELDS, UPDATE_FIELDS_METHOD } from './actions/person/fields';
import { withCustomTraits } from './customTraitFields';
import { searchPeople } from './listSearch';
import { FLAMEUP_MAPPER_FIELDS } from './mapping';

export class Flameup implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Flameup',
		name: 'flameup',
		icon: { light: 'file:flameup.svg', dark: 'file:flameup.dark.svg' },
		group: ['transform'],
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Read, create and update people in Flameup (customer engagement). No Delete or Mirror: Flameup documents no endpoint that deletes a person.',
		defaults: { name: 'Flameup' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'flameupApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Person', value: 'person' }],
				default: 'person',
			},
			...person.description,
		],
	};

	methods = {
		resourceMapping: {
			...writeFieldsMethod(withCustomTraits(FLAMEUP_MAPPER_FIELDS)),
			...writeFieldsMethod(withCustomTraits(CREATE_FIELDS), CREATE_FIELDS_METHOD),
			...writeFieldsMethod(withCustomTraits(UPDATE_FIELDS), UPDATE_FIELDS_METHOD),
		},
		listSearch: { searchPeople },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
