import type {
	FieldType,
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeProperties,
	INodePropertyOptions,
	ResourceMapperField,
	ResourceMapperFields,
	ResourceMapperValue,
} from 'n8n-workflow';

import { showFor } from '../descriptions/common';

/** The name of the node's `methods.resourceMapping` entry every write's Fields parameter loads. */
const WRITE_FIELDS_METHOD = 'getWriteFields';

/**
 * Fields (n8n's resource mapper) of the writes that take whole items: Map Automatically (the
 * default, and what a workflow saved before this parameter existed gets) reads each item as it is;
 * Map Each Field Manually writes only the fields set here. The node matches records by its own
 * keys, so there are no matching columns.
 */
export function fieldsMapper(resource: string, operations: string[]): INodeProperties {
	return {
		displayName: 'Fields',
		name: 'columns',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'autoMapInputData', value: null },
		required: true,
		displayOptions: showFor(resource, operations),
		typeOptions: {
			resourceMapper: {
				resourceMapperMethod: WRITE_FIELDS_METHOD,
				mode: 'add',
				fieldWords: { singular: 'field', plural: 'fields' },
				addAllFields: false,
				supportAutoMap: true,
			},
		},
	};
}

/** One field the mapper offers: its `id` is the input name the vendor's mapping reads. */
export function mapperField(
	id: string,
	displayName: string,
	type: FieldType = 'string',
	extra: { required?: boolean; options?: INodePropertyOptions[] } = {},
): ResourceMapperField {
	return { id, displayName, type, required: extra.required ?? false, defaultMatch: false, canBeUsedToMatch: false, display: true, ...extra };
}

/**
 * A node's `methods.resourceMapping`: the fields its writes offer, a fixed list (no request) or a
 * function of the editor's context (which may read choices from the API and must not fail).
 */
export function writeFieldsMethod(
	fields: ResourceMapperField[] | ((ctx: ILoadOptionsFunctions) => Promise<ResourceMapperField[]>),
): Record<string, (this: ILoadOptionsFunctions) => Promise<ResourceMapperFields>> {
	return {
		[WRITE_FIELDS_METHOD]: async function (this: ILoadOptionsFunctions) {
			return { fields: typeof fields === 'function' ? await fields(this) : fields };
		},
	};
}

/**
 * The json a write maps for item `itemIndex`: the item itself (Map Automatically, or no Fields
 * parameter), else the values set under Fields (expressions resolved for this item; fields left
 * empty or removed from the mapper are left out).
 */
export function jsonToMap(ctx: IExecuteFunctions, json: IDataObject, itemIndex: number): IDataObject {
	const mode = ctx.getNodeParameter('columns.mappingMode', itemIndex, 'autoMapInputData') as ResourceMapperValue['mappingMode'];
	if (mode !== 'defineBelow') return json;
	const values = (ctx.getNodeParameter('columns.value', itemIndex, {}) ?? {}) as IDataObject;
	const schema = (ctx.getNodeParameter('columns.schema', itemIndex, []) ?? []) as ResourceMapperField[];
	const removed = new Set(schema.filter((field) => field.removed).map((field) => field.id));
	return Object.fromEntries(Object.entries(values).filter(([id, value]) => !removed.has(id) && value !== null && value !== undefined && value !== ''));
}
