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

/** How a Fields parameter starts and which `methods.resourceMapping` entry loads its fields. */
export interface FieldsMapperOptions {
	/** Default `getWriteFields`: the fields of the writes that take whole items. */
	method?: string;
	/** Default Map Automatically (the writes of many records); single-record writes start with Map Each Field Manually. */
	mappingMode?: ResourceMapperValue['mappingMode'];
	/** The values the parameter starts with (a tool's: `$fromAI()` expressions for the model to fill). */
	value?: Record<string, string>;
	/** More display conditions (e.g. `@version`, `@tool`). */
	show?: NonNullable<INodeProperties['displayOptions']>['show'];
}

/**
 * Fields (n8n's resource mapper) of a write: Map Automatically reads each item as it is (the
 * default of the writes that take whole items, and what a workflow saved before this parameter
 * existed gets); Map Each Field Manually writes only the fields set here. The node matches records
 * by its own keys, so there are no matching columns.
 */
export function fieldsMapper(resource: string, operations: string[], options: FieldsMapperOptions = {}): INodeProperties {
	const { show } = showFor(resource, operations);
	return {
		displayName: 'Fields',
		name: 'columns',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: options.mappingMode ?? 'autoMapInputData', value: options.value ?? null },
		required: true,
		displayOptions: { show: { ...show, ...options.show } },
		typeOptions: {
			resourceMapper: {
				resourceMapperMethod: options.method ?? WRITE_FIELDS_METHOD,
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
 * A node's `methods.resourceMapping` entry (under `method`, default `getWriteFields`): the fields a
 * write offers, a fixed list or a function of the editor's context that reads choices or more
 * fields from the API (PERSCOM's roster dropdowns, Flameup's custom traits) and must not fail: what
 * it cannot read it leaves out, so the mapper is never blocked by the vendor (a run reads the
 * values, not this list).
 */
export function writeFieldsMethod(
	fields: ResourceMapperField[] | ((ctx: ILoadOptionsFunctions) => Promise<ResourceMapperField[]>),
	method = WRITE_FIELDS_METHOD,
): Record<string, (this: ILoadOptionsFunctions) => Promise<ResourceMapperFields>> {
	return {
		[method]: async function (this: ILoadOptionsFunctions) {
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
