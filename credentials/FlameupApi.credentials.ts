import type {
	IAuthenticateGeneric,
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/** Test-connection rules: fixed messages, never the key (docs/ARCHITECTURE.md, "Credential tests"). */
const TEST_RULES: Array<IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody> = [
	{ type: 'responseCode', properties: { value: 401, message: 'Flameup refused the API key (HTTP 401). Copy the whole key (ws_live_… or ws_test_…) again.' } },
	{ type: 'responseCode', properties: { value: 403, message: 'The API key may not list people (HTTP 403): it needs the people:read and people:list permissions.' } },
	{ type: 'responseCode', properties: { value: 404, message: 'Flameup answered HTTP 404: check the Base URL, and the Workspace ID if one is set (normally left empty).' } },
	{ type: 'responseSuccessBody', properties: { key: 'success', value: false, message: 'Flameup answered with an error instead of the people list. Check the API key and the Base URL.' } },
	{ type: 'responseSuccessBody', properties: { key: 'people', value: undefined, message: 'The answer has no people list: check that the Base URL points to the Flameup API (https://api.flameup.ai/api/v1).' } },
	{ type: 'responseSuccessBody', properties: { key: 'people', value: null, message: 'The answer has no people list: check that the Base URL points to the Flameup API (https://api.flameup.ai/api/v1).' } },
];

export class FlameupApi implements ICredentialType {
	name = 'flameupApi';

	displayName = 'Flameup API';

	documentationUrl = 'https://docs.flameup.ai/authentication';

	icon = { light: 'file:../nodes/Flameup/flameup.svg', dark: 'file:../nodes/Flameup/flameup.dark.svg' } as const;

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'A workspace API key (ws_live_... or ws_test_...) with the people:read, people:list and people:write permissions',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.flameup.ai/api/v1',
			description: 'Change only for a proxy, a staging server or a local simulator',
		},
		{
			displayName: 'Workspace ID',
			name: 'workspaceId',
			type: 'string',
			default: '',
			description:
				'Optional. Leave empty: keys already target the workspace they were created in. Set it to use the workspace-scoped paths (/workspaces/{ID}/people...).',
		},
	];

	// Sent trimmed: a key saved with a trailing space or newline still works.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.apiKey.trim()}}' },
		},
	};

	// One person: a 200 must carry the `people` list, not the `{success: false, error}` envelope
	// (docs/vendors/flameup.md#endpoints-used, #errors).
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '={{$credentials.workspaceId ? "/workspaces/" + encodeURIComponent($credentials.workspaceId) + "/people" : "/people"}}',
			qs: { limit: 1 },
		},
		rules: TEST_RULES as ICredentialTestRequest['rules'],
	};
}
