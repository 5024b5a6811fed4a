/**
 * Calls a node's editor methods (`methods.loadOptions`, `methods.resourceMapping`) as n8n's editor
 * does: the package loaded from `dist`, n8n-core's LoadOptionsContext on a node with the given
 * parameters and credential.
 */
import type { ICredentialDataDecryptedObject, IDataObject, ILoadOptionsFunctions, INodePropertyOptions, INodeType, ResourceMapperFields } from 'n8n-workflow';

import { editorContext, loadPackage } from './harness';

export interface EditorCall {
	/** Short type of this package's node (`perscom`, `flashdutyTrigger`). */
	type: string;
	parameters?: IDataObject;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** The parameter the editor loads for (`filters.rankId`). */
	path?: string;
}

async function context(call: EditorCall): Promise<{ ctx: ILoadOptionsFunctions; nodeType: INodeType }> {
	const nodeType = (await loadPackage()).getNode(call.type).type as INodeType;
	const node = { name: 'Node', type: call.type, parameters: call.parameters ?? {}, credentials: Object.keys(call.credentials).slice(0, 1) };
	return { ctx: await editorContext({ node, credentials: call.credentials, path: call.path }), nodeType };
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
