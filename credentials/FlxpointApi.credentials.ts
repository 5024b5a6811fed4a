import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

export class FlxpointApi implements ICredentialType {
	name = 'flxpointApi';

	displayName = 'Flxpoint API';

	documentationUrl = 'https://www.apihelpcenter.flxpoint.com/docs/getting-started/authentication';

	icon = { light: 'file:../nodes/Flxpoint/flxpoint.svg', dark: 'file:../nodes/Flxpoint/flxpoint.dark.svg' } as const;

	properties: INodeProperties[] = [
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'A Flxpoint API token, sent as the X-API-TOKEN header. Only an Account token can read users: Source and Channel tokens are refused by the users endpoint.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.flxpoint.com',
			description: 'Change only for a proxy, a staging server or a local simulator',
		},
	];

	// docs/vendors/flxpoint.md#authentication: "X-API-TOKEN: <token>. Do not use Authorization: Bearer."
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { 'X-API-TOKEN': '={{$credentials.apiToken}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/account',
		},
	};
}
