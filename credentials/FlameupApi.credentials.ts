import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

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

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.apiKey}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '={{$credentials.workspaceId ? "/workspaces/" + encodeURIComponent($credentials.workspaceId) + "/people" : "/people"}}',
			qs: { limit: 1 },
		},
	};
}
