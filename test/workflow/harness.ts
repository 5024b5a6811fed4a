/**
 * Runs real workflows in process with n8n-core's WorkflowExecute. The package is loaded from its
 * built `dist` by n8n-core's PackageDirectoryLoader, exactly as n8n loads an installed community
 * package, so node types are `n8n-nodes-people-sync.<node>`.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// n8n-core writes its instance config under N8N_USER_FOLDER: keep it out of the home folder.
process.env.N8N_USER_FOLDER ??= mkdtempSync(path.join(os.tmpdir(), 'people-sync-n8n-'));

import { ExecutionLifecycleHooks, LoadOptionsContext, PackageDirectoryLoader, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	ICredentialsHelper,
	NodeConnectionTypes,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialType,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IVersionedNodeType,
	type IWorkflowExecuteAdditionalData,
	type IConnections,
} from 'n8n-workflow';

import { useMemoryStore } from './processedData';

export const PACKAGE = 'n8n-nodes-people-sync';
const ROOT = path.resolve(__dirname, '..', '..');

/** A test-only start node that outputs the items given in its `items` parameter. */
class ItemsNode implements INodeType {
	description = {
		displayName: 'Items',
		name: 'items',
		group: ['input'] as Array<'input'>,
		version: 1,
		description: 'Outputs fixed items (tests only)',
		defaults: { name: 'Items' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json' as const, default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | IDataObject[];
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject[];
		return [items.map((json) => ({ json, pairedItem: { item: 0 } }))];
	}
}

let loaded: Promise<PackageDirectoryLoader> | undefined;

export async function loadPackage(): Promise<PackageDirectoryLoader> {
	loaded ??= (async () => {
		const loader = new PackageDirectoryLoader(ROOT);
		await loader.loadAll();
		return loader;
	})();
	return await loaded;
}

class TestNodeTypes implements INodeTypes {
	constructor(private readonly loader: PackageDirectoryLoader) {}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		if (nodeType === 'test.items') return new ItemsNode();
		const short = nodeType.replace(`${PACKAGE}.`, '');
		return this.loader.getNode(short).type;
	}

	getByNameAndVersion(nodeType: string): INodeType {
		return this.getByName(nodeType) as INodeType;
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

/**
 * Resolves an `authenticate` value (`={{$credentials.appKey.trim()}}`, `=Bearer {{...}}`) as n8n's
 * credentials helper does: with the workflow's expression engine and `$credentials` as additional key.
 */
function resolveCredentialExpression(value: unknown, credentials: ICredentialDataDecryptedObject, workflow: Workflow, node: INode): unknown {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	const resolved = workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '');
	return resolved ? String(resolved) : '';
}

export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly loader: PackageDirectoryLoader,
		private readonly credentials: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
	}

	private type(name: string): ICredentialType {
		return this.loader.getCredential(name).type;
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(credentials: ICredentialDataDecryptedObject, typeName: string, requestOptions: IHttpRequestOptions, workflow?: Workflow, node?: INode): Promise<IHttpRequestOptions> {
		const { authenticate } = this.type(typeName);
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (!authenticate || authenticate.type !== 'generic') return requestOptions;
		if (!workflow || !node) throw new Error('Workflow and node are required for declarative credential authentication');
		const out: IHttpRequestOptions = { ...requestOptions };
		const props = authenticate.properties;
		for (const place of ['headers', 'qs', 'body'] as const) {
			const extra = props[place] as IDataObject | undefined;
			if (!extra) continue;
			const resolved: IDataObject = {};
			for (const [k, v] of Object.entries(extra)) resolved[k] = resolveCredentialExpression(v, credentials, workflow, node) as string;
			out[place] = { ...((out[place] as IDataObject | undefined) ?? {}), ...resolved };
		}
		return out;
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used in tests');
	}

	async getDecrypted(_a: IWorkflowExecuteAdditionalData, _n: unknown, type: string): Promise<ICredentialDataDecryptedObject> {
		const credentials = this.credentials[type];
		if (!credentials) throw new Error(`No test credentials for ${type}`);
		const defaults: ICredentialDataDecryptedObject = {};
		for (const prop of this.type(type).properties) defaults[prop.name] = prop.default as string;
		return { ...defaults, ...credentials };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties() {
		return [];
	}
}

export interface TestNode {
	name: string;
	/** Short type (`flameup`) for this package's nodes, or a full type. */
	type: string;
	parameters: IDataObject;
	/** Credential type names this node uses. */
	credentials?: string[];
	continueOnFail?: boolean;
	/** The node's version (default 1). */
	typeVersion?: number;
}

export interface RunResult {
	run: IRun;
	/** Output items of each node (first run, first output). */
	output: Record<string, INodeExecutionData[]>;
	/** The workflow-level error, if the run failed. */
	error?: Error & { description?: string; context?: IDataObject };
	status: string;
}

/** What n8n's engine gets besides the workflow: the test credentials, placeholder URLs, no sub-workflows. */
function testAdditionalData(loader: PackageDirectoryLoader, credentials: Record<string, ICredentialDataDecryptedObject>, hooks?: ExecutionLifecycleHooks): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper: new TestCredentialsHelper(loader, credentials),
		hooks,
		executionId: '1',
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		formBaseUrl: 'http://127.0.0.1/form',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1/form-test',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		mcpBaseUrl: 'http://127.0.0.1/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1/mcp-test',
		currentNodeExecutionIndex: 0,
		variables: {},
		logAiEvent: () => undefined,
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		executeWorkflow: async () => {
			throw new Error('not used');
		},
	} as unknown as IWorkflowExecuteAdditionalData; // The engine needs only these fields to run plain nodes.
}

/**
 * The context n8n's editor gives a node's `methods` (load options, list search, resource mapping):
 * n8n-core's own LoadOptionsContext for one of this package's nodes with `parameters`, its
 * credential requests going to the test credentials.
 */
export async function editorContext(options: { node: TestNode; credentials: Record<string, ICredentialDataDecryptedObject> }): Promise<ILoadOptionsFunctions> {
	const loader = await loadPackage();
	const { node: n } = options;
	const node: INode = {
		id: 'editor',
		name: n.name,
		type: `${PACKAGE}.${n.type}`,
		typeVersion: n.typeVersion ?? 1,
		position: [0, 0],
		parameters: n.parameters as INode['parameters'],
		credentials: Object.fromEntries((n.credentials ?? []).map((c) => [c, { id: `${c}-id`, name: c }])),
	};
	const workflow = new Workflow({ id: 'editor', nodes: [node], connections: {}, active: false, nodeTypes: new TestNodeTypes(loader), settings: {} });
	return new LoadOptionsContext(workflow, node, testAdditionalData(loader, options.credentials), 'parameters');
}

/**
 * Runs a linear workflow: an Items node with `items`, then `nodes` in order, each fed by the one before.
 */
export async function runWorkflow(options: {
	items: IDataObject[];
	nodes: TestNode[];
	credentials: Record<string, ICredentialDataDecryptedObject>;
}): Promise<RunResult> {
	const loader = await loadPackage();
	await useMemoryStore();
	const nodes: INode[] = [
		{ id: 'items', name: 'Items', type: 'test.items', typeVersion: 1, position: [0, 0], parameters: { items: JSON.stringify(options.items) } },
		...options.nodes.map((n, i) => ({
			id: `node-${i}`,
			name: n.name,
			type: n.type.includes('.') ? n.type : `${PACKAGE}.${n.type}`,
			typeVersion: n.typeVersion ?? 1,
			position: [200 * (i + 1), 0] as [number, number],
			parameters: n.parameters as INode['parameters'],
			credentials: Object.fromEntries((n.credentials ?? []).map((c) => [c, { id: `${c}-id`, name: c }])),
			...(n.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		})),
	];
	const connections: IConnections = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: NodeConnectionTypes.Main, index: 0 }]] };
	}
	const workflow = new Workflow({ id: 'test', nodes, connections, active: false, nodeTypes: new TestNodeTypes(loader), settings: {} });

	const hooks = new ExecutionLifecycleHooks('manual', '1', { id: 'test', name: 'test', nodes, connections, active: false, settings: {} } as never);
	let finished: (run: IRun) => void = () => undefined;
	const done = new Promise<IRun>((resolve) => (finished = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => finished(run));

	const additionalData = testAdditionalData(loader, options.credentials, hooks);

	const runExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node: nodes[0], data: { main: [[{ json: {} }]] }, source: null }] },
	});
	const execute = new WorkflowExecute(additionalData, 'manual', runExecutionData);
	await execute.processRunExecutionData(workflow);
	const run = await done;

	const output: Record<string, INodeExecutionData[]> = {};
	for (const [name, runs] of Object.entries(run.data.resultData.runData ?? {})) {
		output[name] = runs[0]?.data?.main?.[0] ?? [];
	}
	return { run, output, error: run.data.resultData.error as RunResult['error'], status: run.status };
}

/** Every string an execution produced: outputs, errors, descriptions (for secret checks). */
export function everythingSaid(result: RunResult): string {
	return JSON.stringify(result.run, (_k, v: unknown) =>
		v instanceof Error ? { message: v.message, description: (v as { description?: string }).description, stack: v.stack, context: (v as { context?: unknown }).context } : v,
	);
}
