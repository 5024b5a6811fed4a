import type { IDisplayOptions, INodeProperties, INodePropertyMode, NodeParameterValueType } from 'n8n-workflow';

/** displayOptions showing a field for some operations of a resource. */
export function showFor(resource: string, operations: string[]): IDisplayOptions {
	return { show: { resource: [resource], operation: operations } };
}

/**
 * A property shown only in the node itself (`tool` false) or only in its AI tool version (`tool`
 * true): n8n evaluates `@tool` as "the node type's name ends with Tool", so `<node>Tool`, the version
 * n8n makes of every `usableAsTool` node for the AI Agent, sees the `@tool: [true]` properties.
 * Two properties may share a name, one per side; each keeps its own default.
 */
export function forTool(property: INodeProperties, tool: boolean): INodeProperties {
	const { displayOptions } = property;
	return { ...property, displayOptions: { ...displayOptions, show: { ...displayOptions?.show, '@tool': [tool] } } };
}

/** The marker n8n's editor writes in front of a `$fromAI()` it generated ("Let the model define this parameter"). */
const FROM_AI_MARKER = '/*n8n-auto-generated-fromAI-override*/';

/**
 * A `$fromAI()` expression as n8n's editor writes it when the model is to fill a parameter: the key
 * is the display name with every other character than letters, digits and `-` turned into `_`, and the
 * description is what the model is told the value is. Used as the default of a tool's key parameters,
 * so a tool dropped in with defaults asks the model for the ID (the editor shows it as "Defined
 * automatically by the model", removable).
 */
export function fromAI(displayName: string, description: string, type: 'string' | 'number' | 'boolean' = 'string', optional = false): string {
	const key = displayName.replace(/[^a-zA-Z0-9-]/g, '_').slice(0, 63);
	const safe = description.replace(/[`\\]/g, "'");
	// An empty default makes the value optional in the tool's schema (the model may leave it out).
	const fallback = optional ? ", ''" : '';
	return `={{ ${FROM_AI_MARKER} $fromAI('${key}', \`${safe}\`, '${type}'${fallback}) }}`;
}

/**
 * A key parameter (`id` or `ids`) twice: as typed in the node, and filled by the model in the tool.
 * `toolDefault` wraps the `$fromAI()` expression when the parameter is not plain text (a resource locator).
 */
function withToolVersion(property: INodeProperties, toolDefault: (ask: string) => NodeParameterValueType = (ask) => ask): INodeProperties[] {
	const ask = fromAI(property.displayName, property.description ?? property.displayName);
	return [forTool(property, false), forTool({ ...property, default: toolDefault(ask) }, true)];
}

/** Whether an operation reads (Simplify is a read's choice of output; writes have their own wording). */
const READS = ['get', 'batchGet', 'getAll'];

export function simplifyField(resource: string, operations: string[]): INodeProperties {
	const reads = operations.every((operation) => READS.includes(operation));
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: reads
			? 'Whether to return the unified person (source, ID, external ID, email, name, first and last name, phone, timezone, locale, avatar URL, status, created and updated dates: the same fields for every vendor, ready for any People Sync write) instead of the raw vendor record'
			: 'Whether to return the written record as the unified person (the same fields for every vendor) instead of the raw vendor record',
		displayOptions: showFor(resource, operations),
	};
}

/**
 * Output Fields (tools only): the fields each returned record keeps, so that an answer to the AI
 * Agent stays small. Applies to the unified person (Simplify on) or to the raw record (off).
 */
export function outputFieldsField(resource: string, operations: string[]): INodeProperties {
	return forTool(
		{
			displayName: 'Output Fields',
			name: 'outputFields',
			type: 'string',
			default: '',
			placeholder: 'e.g. email, name, status',
			description:
				'Comma-separated names of the fields to return for each record, e.g. "email, name, status"; empty returns every field. With Simplify on, the unified fields are the record\'s ID, source, externalId, email, name, firstName, lastName, phone, timezone, locale, avatarUrl, status, createdAt and updatedAt. A dot reaches into a raw record, e.g. "role.handle".',
			displayOptions: showFor(resource, operations),
		},
		true,
	);
}

export function idField(resource: string, operations: string[], label: string, description: string): INodeProperties {
	return {
		displayName: label,
		name: 'id',
		type: 'string',
		required: true,
		default: '',
		description,
		displayOptions: showFor(resource, operations),
	};
}


/** The "By ID" mode of a key locator: what an ID looks like for the vendor and, when it has a known shape, the pattern n8n checks it against. */
export interface IdMode {
	placeholder: string;
	hint: string;
	/** The whole value must match (n8n anchors it); surrounding spaces are allowed, as the node trims them. */
	pattern?: string;
	errorMessage?: string;
}

/** What a key locator offers: the list search method, the By ID mode, whether By Email works, and any vendor mode. */
export interface KeyLocator {
	searchListMethod: string;
	byId: IdMode;
	/** Whether the operation can look the record up by email (it offers "By Email"). */
	byEmail: boolean;
	/** Vendor modes after the usual ones (Flashduty Delete: By External ID). */
	modes?: INodePropertyMode[];
}

/** The mode names of a key locator as saved in workflows: `{__rl: true, mode, value}`. */
export const KEY_MODES = { list: 'list', id: 'id', email: 'email' } as const;

/**
 * The key parameter `id` of Get and Delete as n8n's resource locator (From List, By ID, By Email...),
 * in the node (From List first, as n8n's own nodes do) and in its tool version, whose default asks the
 * model for the ID in By ID mode, as n8n's editor writes "Defined automatically by the model" for a
 * resource locator. Workflows saved with `id` as plain text keep working: the operations read both
 * forms (nodes/shared/helpers/keys.ts `readLocatedKey`).
 */
export function keyLocatorFields(resource: string, operations: string[], label: string, description: string, locator: KeyLocator): INodeProperties[] {
	const { byId } = locator;
	const idValidation = byId.pattern ? [{ type: 'regex' as const, properties: { regex: byId.pattern, errorMessage: byId.errorMessage ?? 'Not a valid ID' } }] : undefined;
	const property: INodeProperties = {
		displayName: label,
		name: 'id',
		type: 'resourceLocator',
		required: true,
		default: { mode: 'list', value: '' },
		description,
		modes: [
			{ displayName: 'From List', name: KEY_MODES.list, type: 'list', typeOptions: { searchListMethod: locator.searchListMethod, searchable: true } },
			{ displayName: 'By ID', name: KEY_MODES.id, type: 'string', placeholder: byId.placeholder, hint: byId.hint, validation: idValidation },
			{
				displayName: 'By Email',
				name: KEY_MODES.email,
				type: 'string',
				placeholder: 'e.g. ada@example.com',
				hint: 'The email address of the record; matched without regard to case',
				validation: [{ type: 'regex', properties: { regex: '\\s*[^@\\s]+@[^@\\s]+\\s*', errorMessage: 'Not an email address (e.g. ada@example.com)' } }],
			},
		],
		displayOptions: showFor(resource, operations),
	};
	property.modes = [...(property.modes ?? []).filter((mode) => locator.byEmail || mode.name !== KEY_MODES.email), ...(locator.modes ?? [])];
	return withToolVersion(property, (ask) => ({ __rl: true, mode: KEY_MODES.id, value: ask }));
}

export function idsField(resource: string, description: string, placeholder = 'e.g. 123, 456, ada@example.com'): INodeProperties {
	return {
		displayName: 'IDs',
		name: 'ids',
		type: 'string',
		required: true,
		default: '',
		placeholder,
		description,
		displayOptions: showFor(resource, ['batchGet']),
	};
}

/** `ids` of the node and of its tool version (whose default asks the model for the list). */
export function idsFields(resource: string, description: string, placeholder?: string): INodeProperties[] {
	return withToolVersion(idsField(resource, description, placeholder));
}

/** Batch Get options: what to do with IDs that were not found. */
export function batchGetOptions(resource: string, extra: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showFor(resource, ['batchGet']),
		options: [
			{
				displayName: 'If Not Found',
				name: 'onNotFound',
				type: 'options',
				default: 'output',
				description: 'What to do with IDs the vendor has no record for',
				options: [
					{ name: 'Output an Item', value: 'output', description: 'One item { ID, notFound: true } per missing ID' },
					{ name: 'Fail', value: 'error', description: 'Stop with an error naming the missing IDs (an error item under Continue On Fail)' },
				],
			},
			...extra,
		],
	};
}

export function returnAllField(resource: string): INodeProperties {
	return {
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: showFor(resource, ['getAll']),
	};
}

export function limitField(resource: string): INodeProperties {
	return {
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		description: 'Max number of results to return',
		displayOptions: { show: { resource: [resource], operation: ['getAll'], returnAll: [false] } },
	};
}

/** Records a Get Many tool returns by default: an AI Agent's answer stays small (about 10 unified people, 3 KB). */
export const TOOL_LIST_LIMIT = 10;

/**
 * Limit in the node (default 50) and in its tool version (default 10, so a tool dropped in with
 * defaults does not hand the model 50 records per call). Same parameter name: saved workflows keep theirs.
 */
export function limitFields(resource: string, noun: string): INodeProperties[] {
	const limit = limitField(resource);
	return [
		forTool(limit, false),
		forTool(
			{
				...limit,
				// A tool's answer goes to a language model: a smaller default than n8n's 50 keeps it small.
				default: TOOL_LIST_LIMIT,
				hint: `The tool returns at most this many ${noun} per call: every record is sent to the model, so keep it small`,
			},
			true,
		),
	];
}

export function batchSizeOption(maxBatchSize: number, note: string): INodeProperties {
	return {
		displayName: 'Batch Size',
		name: 'batchSize',
		type: 'number',
		default: maxBatchSize,
		typeOptions: { minValue: 1, maxValue: maxBatchSize },
		description: `How many records to send per request, at most ${maxBatchSize} (the API's limit)`,
		hint: note,
	};
}

/** Options > Timeout: seconds each request may take, answer included (the engine reads `options.timeout`). */
export const timeoutOption: INodeProperties = {
	displayName: 'Timeout',
	name: 'timeout',
	type: 'number',
	default: 30,
	typeOptions: { minValue: 1 },
	description: 'Seconds each request may take, its answer included, before it counts as failed. A write that timed out is read back before it is sent again.',
};

/** The note shown above a write that takes whole items (Batch Upsert, Mirror): how items are matched and mapped. */
export function upsertNotice(resource: string, operations: string[], text: string): INodeProperties {
	return {
		displayName: text,
		name: 'upsertNotice',
		type: 'notice',
		default: '',
		displayOptions: showFor(resource, operations),
	};
}

/**
 * The AI tool's description, one per operation (tools only). n8n tells the model what a tool does
 * with the node's `toolDescription` parameter; when a node has none, n8n adds its own, which says only
 * "<action> in <node>" ("Get a person in Flameup"). These say what the operation returns and what an
 * ID is for the vendor; the user can edit them (emptied, n8n's automatic text is used).
 */
export function toolDescriptionFields(resource: string, texts: Record<string, string>): INodeProperties[] {
	return Object.entries(texts).map(([operation, text]) =>
		forTool(
			{
				displayName: 'Tool Description',
				name: 'toolDescription',
				type: 'string',
				default: text,
				typeOptions: { rows: 4 },
				description: 'What the AI Agent is told this tool does: it decides from this text when to call the tool and what to pass',
				displayOptions: showFor(resource, [operation]),
			},
			true,
		),
	);
}
