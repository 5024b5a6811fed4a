/**
 * Calls a node's editor methods (`methods.loadOptions`, `methods.resourceMapping`) as n8n's editor
 * does: the package loaded from `dist`, n8n-core's LoadOptionsContext on a node with the given
 * parameters and credential.
 */
import { LoadOptionsContext } from 'n8n-core';
import { Workflow, type ICredentialDataDecryptedObject, type IDataObject, type INode, type INodePropertyOptions, type INodeType, type INodeTypes, type IWorkflowExecuteAdditionalData, type ResourceMapperFields } from 'n8n-workflow';

import { loadPackage, PACKAGE, TestCredentialsHelper } from './harness';

export interface EditorCall {
	/** Short type of this package's node (`perscom`, `flashdutyTrigger`). */
	type: string;
	parameters?: IDataObject;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** The parameter the editor loads for (`filters.rankId`). */
	path?: string;
}

async function context(call: EditorCall): Promise<{ ctx: LoadOptionsContext; nodeType: INodeType }> {
	const loader = await loadPackage();
	const nodeType = loader.getNode(call.type).type as INodeType;
	const credentialType = Object.keys(call.credentials)[0];
	const node: INode = {
		id: 'node',
		name: 'Node',
		type: `${PACKAGE}.${call.type}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: (call.parameters ?? {}) as INode['parameters'],
		credentials: { [credentialType]: { id: `${credentialType}-id`, name: credentialType } },
	};
	const nodeTypes: INodeTypes = { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) };
	const workflow = new Workflow({ id: 'editor-test', nodes: [node], connections: {}, active: false, nodeTypes, settings: {} });
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(loader, call.credentials),
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData; // Loading options needs only the credentials helper and the URLs.
	return { ctx: new LoadOptionsContext(workflow, node, additionalData, call.path ?? ''), nodeType };
}

/** Runs `methods.loadOptions[method]` of the node. */
export async function loadOptions(call: EditorCall & { method: string }): Promise<INodePropertyOptions[]> {
	const { ctx, nodeType } = await context(call);
	const method = nodeType.methods?.loadOptions?.[call.method];
	if (!method) throw new Error(`${call.type} has no loadOptions.${call.method}`);
	return await method.call(ctx);
}

/** Runs `methods.resourceMapping[method]` of the node. */
export async function resourceMapping(call: EditorCall & { method: string }): Promise<ResourceMapperFields> {
	const { ctx, nodeType } = await context(call);
	const method = nodeType.methods?.resourceMapping?.[call.method];
	if (!method) throw new Error(`${call.type} has no resourceMapping.${call.method}`);
	return await method.call(ctx);
}
