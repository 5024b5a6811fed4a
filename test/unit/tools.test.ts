/**
 * What an AI Agent gets from each node's tool version (`<node>Tool`, made by n8n for `usableAsTool`
 * nodes): the tool description, the parameters shown, the operations offered, the defaults.
 *
 * The node types come from the built package, loaded as n8n loads it (test/workflow/harness.ts
 * `loadPackage`), or from the sources when nothing is built (`npm run test:unit` needs no build).
 * The tool version is made as n8n 2.41 makes it (`convertNodeToAiTool`, packages/cli
 * src/tool-generation/ai-tools.ts, which n8n-workflow does not export: `toToolVersion` below does
 * the same), and described with n8n-workflow's own `getToolDescriptionForNode`, `getNodeParameters`
 * and `displayParameter`, so `@tool` display options are evaluated by n8n itself.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

import {
	deepCopy,
	extractFromAICalls,
	NodeConnectionTypes,
	NodeHelpers,
	traverseNodeParameters,
	type INode,
	type INodeParameterResourceLocator,
	type INodeParameters,
	type INodeProperties,
	type INodePropertyOptions,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { Flameup } from '../../nodes/Flameup/Flameup.node';
import { Flashduty } from '../../nodes/Flashduty/Flashduty.node';
import { Flxpoint } from '../../nodes/Flxpoint/Flxpoint.node';
import { Perscom } from '../../nodes/Perscom/Perscom.node';
import { fromAI } from '../../nodes/shared/descriptions/common';
import { outputFieldNames, pickFields } from '../../nodes/shared/helpers/outputFields';

interface Case {
	node: string;
	resource: string;
	/** Operations a tool must not offer (batch writes). */
	hidden: string[];
	/** Words the ID description must hold for this vendor. */
	idWords: RegExp;
	source: () => INodeType;
}

const CASES: Case[] = [
	{ node: 'flameup', resource: 'person', hidden: ['batchUpsert'], idWords: /external ID[\s\S]*email/i, source: () => new Flameup() },
	{ node: 'flashduty', resource: 'member', hidden: ['batchUpsert', 'mirror'], idWords: /member[ _]IDs?[\s\S]*20 digits[\s\S]*email/i, source: () => new Flashduty() },
	{ node: 'flxpoint', resource: 'user', hidden: [], idWords: /numeric[\s\S]*ID[\s\S]*email/i, source: () => new Flxpoint() },
	{ node: 'perscom', resource: 'user', hidden: ['batchUpsert', 'mirror'], idWords: /ID[\s\S]*whole number[\s\S]*email/i, source: () => new Perscom() },
];

const BUILT = existsSync(path.resolve(__dirname, '..', '..', 'dist', 'nodes', 'Flameup', 'Flameup.node.js'));

async function nodeType(c: Case): Promise<INodeType> {
	if (!BUILT) return c.source();
	const { loadPackage } = await import('../workflow/harness');
	return (await loadPackage()).getNode(c.node).type as INodeType;
}

/** n8n 2.41's convertNodeToAiTool (packages/cli/src/tool-generation/ai-tools.ts), without the codex. */
function toToolVersion(description: INodeTypeDescription): INodeTypeDescription {
	const tool = deepCopy(description);
	tool.name += 'Tool';
	tool.displayName += ' Tool';
	tool.inputs = [];
	tool.outputs = [NodeConnectionTypes.AiTool];
	delete tool.usableAsTool;
	if (!tool.properties.some((p) => p.name === 'toolDescription')) {
		const hasResourceOrOperation = tool.properties.some((p) => p.name === 'resource' || p.name === 'operation');
		const descriptionProperty: INodeProperties = {
			displayName: 'Description',
			name: 'toolDescription',
			type: 'string',
			default: description.description,
			required: true,
			...(hasResourceOrOperation ? { displayOptions: { show: { descriptionType: ['manual'] } } } : {}),
		};
		const typeProperty: INodeProperties = {
			displayName: 'Tool Description',
			name: 'descriptionType',
			type: 'options',
			options: [
				{ name: 'Set Automatically', value: 'auto' },
				{ name: 'Set Manually', value: 'manual' },
			],
			default: 'auto',
		};
		tool.properties.unshift(...(hasResourceOrOperation ? [typeProperty, descriptionProperty] : [descriptionProperty]));
	}
	return tool;
}

/** The node as a workflow holds it: parameters with their defaults, as n8n's Workflow fills them. */
function nodeWith(type: INodeTypeDescription, parameters: INodeParameters, typeVersion = 1): INode {
	const filled = NodeHelpers.getNodeParameters(type.properties, parameters, true, false, { typeVersion }, type) ?? {};
	return { id: '1', name: type.displayName, type: `n8n-nodes-people-sync.${type.name}`, typeVersion, position: [0, 0], parameters: filled };
}

function shown(type: INodeTypeDescription, node: INode): INodeProperties[] {
	return type.properties.filter((p) => NodeHelpers.displayParameter(node.parameters, p, node, type));
}

function operationSelector(type: INodeTypeDescription, node: INode): INodeProperties {
	const selector = shown(type, node).find((p) => p.name === 'operation');
	if (!selector) throw new Error(`${type.name}: no operation selector shown`);
	return selector;
}

function values(property: INodeProperties): string[] {
	return ((property.options ?? []) as INodePropertyOptions[]).map((o) => String(o.value));
}

describe.each(CASES)('$node as an AI tool', (c) => {
	let node: INodeTypeDescription;
	let tool: INodeTypeDescription;
	let toolOperations: string[];

	beforeAll(async () => {
		node = (await nodeType(c)).description;
		expect(node.usableAsTool).toBeTruthy();
		tool = toToolVersion(node);
		toolOperations = values(operationSelector(tool, nodeWith(tool, { resource: c.resource })));
	});

	test('batch writes are not offered to the tool; the node keeps every operation', () => {
		const nodeOperations = values(operationSelector(node, nodeWith(node, { resource: c.resource })));
		for (const hidden of c.hidden) {
			expect(nodeOperations).toContain(hidden);
			expect(toolOperations).not.toContain(hidden);
		}
		expect(toolOperations).toEqual(expect.arrayContaining(['get', 'batchGet', 'getAll']));
		expect(nodeOperations.filter((o) => !c.hidden.includes(o))).toEqual(toolOperations);
	});

	test('n8n adds no automatic description: the node brings its own, one per operation', () => {
		expect(tool.properties.some((p) => p.name === 'descriptionType')).toBe(false);
		for (const operation of toolOperations) {
			const toolNode = nodeWith(tool, { resource: c.resource, operation });
			const description = NodeHelpers.getToolDescriptionForNode(toolNode, { description: tool } as INodeType);
			expect(description.length).toBeGreaterThan(120);
			expect(description).not.toMatch(/ in (Flameup|Flashduty|Flxpoint|PERSCOM)$/);
			if (['get', 'batchGet'].includes(operation)) expect(description).toMatch(c.idWords);
		}
		// The node itself shows no tool description.
		expect(shown(node, nodeWith(node, { resource: c.resource, operation: 'get' })).some((p) => p.name === 'toolDescription')).toBe(false);
	});

	test('every parameter the tool shows is described, options and collection options included', () => {
		const undescribed: string[] = [];
		const check = (where: string, text: string | undefined) => {
			if (!text?.trim()) undescribed.push(where);
		};
		// Create and Update (Flameup) get their fields from a field mapper, described where it is built.
		for (const operation of toolOperations.filter((o) => ['get', 'batchGet', 'getAll', 'delete'].includes(o))) {
			const toolNode = nodeWith(tool, { resource: c.resource, operation });
			for (const p of shown(tool, toolNode)) {
				if (p.type === 'notice' || p.name === 'resource' || p.name === 'operation') continue;
				if (p.type === 'collection') for (const option of p.options as INodeProperties[]) check(`${operation}: ${p.name}.${option.name}`, option.description);
				else check(`${operation}: ${p.name}`, p.description);
			}
			for (const option of (operationSelector(tool, toolNode).options ?? []) as INodePropertyOptions[]) check(`operation ${option.value}`, option.description);
		}
		expect(undescribed).toEqual([]);
	});

	test('the keys are asked of the model ($fromAI with a description), in the tool only', () => {
		// Batch Get's `ids` is plain text; Get's `id` is a resource locator, By ID in the tool (as n8n's
		// editor writes "Defined automatically by the model"), From List in the node.
		const batchGet = String(nodeWith(tool, { resource: c.resource, operation: 'batchGet' }).parameters.ids);
		expect(nodeWith(node, { resource: c.resource, operation: 'batchGet' }).parameters.ids).toBe('');
		const get = nodeWith(tool, { resource: c.resource, operation: 'get' }).parameters;
		expect(get.id).toEqual({ __rl: true, mode: 'id', value: expect.any(String) });
		expect(nodeWith(node, { resource: c.resource, operation: 'get' }).parameters.id).toEqual({ __rl: true, mode: 'list', value: '' });
		for (const toolValue of [batchGet, String((get.id as INodeParameterResourceLocator).value)]) {
			const calls = extractFromAICalls(toolValue);
			expect(calls).toHaveLength(1);
			expect(calls[0].description).toMatch(c.idWords);
		}
		// n8n builds the tool's schema from every $fromAI() in the parameters, objects included.
		const found: ReturnType<typeof extractFromAICalls> = [];
		traverseNodeParameters(get, found);
		expect(found.map((call) => call.key)).toEqual([expect.stringMatching(/_ID/)]);
	});

	test('Get (and Delete) take the record From List, By ID or By Email, with a list search the node has', async () => {
		const methods = (await nodeType(c)).methods?.listSearch ?? {};
		for (const operation of toolOperations.filter((o) => ['get', 'delete'].includes(o))) {
			for (const type of [node, tool]) {
				const id = shown(type, nodeWith(type, { resource: c.resource, operation })).find((p) => p.name === 'id');
				expect(id).toMatchObject({ type: 'resourceLocator', required: true });
				const modes = id?.modes ?? [];
				expect(modes.map((m) => m.name).slice(0, 2)).toEqual(['list', 'id']);
				expect(modes.some((m) => m.name === 'email')).toBe(!(c.node === 'perscom' && operation === 'delete'));
				const method = modes[0].typeOptions?.searchListMethod;
				expect(typeof methods[method ?? '']).toBe('function');
				for (const mode of modes.filter((m) => m.type === 'string')) expect(mode.hint ?? mode.placeholder).toBeTruthy();
			}
		}
	});

	test('Get Many returns 10 records by default as a tool, 50 in the node; Output Fields only in the tool; Simplify in both', () => {
		const toolParameters = nodeWith(tool, { resource: c.resource, operation: 'getAll' }).parameters;
		const nodeParameters = nodeWith(node, { resource: c.resource, operation: 'getAll' }).parameters;
		expect(toolParameters).toMatchObject({ returnAll: false, limit: 10, simplify: true, outputFields: '' });
		expect(nodeParameters).toMatchObject({ returnAll: false, limit: 50, simplify: true });
		expect(nodeParameters).not.toHaveProperty('outputFields');
		// A saved node's own values stay as they were.
		expect(nodeWith(node, { resource: c.resource, operation: 'getAll', limit: 7, simplify: false }).parameters).toMatchObject({ limit: 7, simplify: false });
		expect(nodeWith(tool, { resource: c.resource, operation: 'getAll', limit: 3, simplify: false }).parameters).toMatchObject({ limit: 3, simplify: false });
	});
});

describe('Flameup 1.1: Create and Update as tools', () => {
	let node: INodeTypeDescription;
	let tool: INodeTypeDescription;

	beforeAll(async () => {
		node = (await nodeType(CASES[0])).description;
		tool = toToolVersion(node);
	});

	test('new nodes are version 1.1; the tool asks the model for each field, described for a model and optional', () => {
		expect(node.version).toEqual([1, 1.1]);
		expect(node.defaultVersion).toBe(1.1);
		for (const [operation, fields] of [
			['create', ['externalId', 'email', 'firstName', 'lastName', 'phone', 'timezone', 'locale', 'avatarUrl']],
			['update', ['firstName', 'lastName', 'phone', 'timezone', 'locale', 'avatarUrl']],
		] as const) {
			const toolNode = nodeWith(tool, { resource: 'person', operation }, 1.1);
			const columns = toolNode.parameters.columns as { mappingMode: string; value: Record<string, string> };
			expect(columns.mappingMode).toBe('defineBelow');
			expect(Object.keys(columns.value)).toEqual(fields);
			for (const [field, value] of Object.entries(columns.value)) {
				const [call] = extractFromAICalls(value);
				// An empty default: the tool's schema does not require it.
				expect([field, call.description, call.defaultValue]).toEqual([field, expect.stringMatching(/e\.g\. /), '']);
			}
			// Version 1's own fields are not shown on 1.1; the node (not the tool) starts with an empty mapper.
			const names = shown(tool, toolNode).map((p) => p.name);
			expect(names).not.toContain('additionalFields');
			expect(names).not.toContain('updateFields');
			expect(nodeWith(node, { resource: 'person', operation }, 1.1).parameters.columns).toEqual({ mappingMode: 'defineBelow', value: null });
		}
	});

	test('a saved version-1 node shows its own fields, not the mapper', () => {
		const names = shown(node, nodeWith(node, { resource: 'person', operation: 'create' })).map((p) => p.name);
		expect(names).toEqual(expect.arrayContaining(['userId', 'email', 'additionalFields']));
		expect(names).not.toContain('columns');
	});
});

describe('Output Fields', () => {
	test('names are split at commas and trimmed', () => {
		expect(outputFieldNames(' email, name ,, status ')).toEqual(['email', 'name', 'status']);
		expect(outputFieldNames('')).toEqual([]);
		expect(outputFieldNames(['id', ' email '])).toEqual(['id', 'email']);
	});

	test('a record keeps only the fields named; a dot reaches into the raw record', () => {
		const record = { id: '7', email: 'ada@example.com', name: 'Ada', role: { handle: 'admin' }, 'a.b': 1 };
		expect(pickFields(record, ['email', 'id', 'missing'])).toEqual({ email: 'ada@example.com', id: '7' });
		expect(pickFields(record, ['role.handle', 'a.b'])).toEqual({ 'role.handle': 'admin', 'a.b': 1 });
	});
});

describe('fromAI', () => {
	test('writes what n8n\'s editor writes, and n8n reads the key and description back', () => {
		const value = fromAI('Person ID or Email', 'The `external` ID, e.g. "user-123"');
		expect(value.startsWith('={{ /*n8n-auto-generated-fromAI-override*/ $fromAI(')).toBe(true);
		expect(extractFromAICalls(value)).toEqual([expect.objectContaining({ key: 'Person_ID_or_Email', description: 'The \'external\' ID, e.g. "user-123"', type: 'string' })]);
	});
});
