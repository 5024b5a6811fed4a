/**
 * Runs one poll of a polling trigger as n8n's poll loop does: the package loaded from `dist` as n8n
 * loads it, n8n-core's PollContext with the node's static data (kept by the caller between polls,
 * as n8n keeps it in the workflow) and a poll budget.
 */
import { PollContext } from 'n8n-core';
import { Workflow, type ICredentialDataDecryptedObject, type IDataObject, type INode, type INodeExecutionData, type INodeType, type INodeTypes, type IWorkflowExecuteAdditionalData } from 'n8n-workflow';

import { loadPackage, PACKAGE, TestCredentialsHelper } from './harness';

export interface PollOptions {
	/** Short type of this package's trigger (`perscomTrigger`). */
	type: string;
	parameters: IDataObject;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** The node's static data: pass the same object to every poll of one "activation". */
	staticData: IDataObject;
	/** `trigger` (a scheduled poll) or `manual` (the editor's Fetch Test Event). */
	mode?: 'trigger' | 'manual';
	budgetMs?: number;
}

export async function poll(options: PollOptions): Promise<INodeExecutionData[] | null> {
	const loader = await loadPackage();
	const nodeType = loader.getNode(options.type).type as INodeType;
	const credentialType = Object.keys(options.credentials)[0];
	const node: INode = {
		id: 'trigger',
		name: 'Trigger',
		type: `${PACKAGE}.${options.type}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters as INode['parameters'],
		credentials: { [credentialType]: { id: `${credentialType}-id`, name: credentialType } },
	};
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ id: 'poll-test', nodes: [node], connections: {}, active: true, nodeTypes, settings: {} });
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(loader, options.credentials),
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData; // A poll needs only the credentials helper and the URLs.
	const ctx = new PollContext(
		workflow,
		node,
		additionalData,
		options.mode ?? 'trigger',
		'activate',
		() => undefined,
		() => undefined,
		async () => undefined,
		async (run) => await run(),
		() => options.staticData,
		() => options.budgetMs ?? 5 * 60_000,
	);
	if (!nodeType.poll) throw new Error(`${options.type} has no poll()`);
	const result = await nodeType.poll.call(ctx);
	return result === null ? null : result[0];
}
