import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

export class FlashdutyApi implements ICredentialType {
	name = 'flashdutyApi';

	displayName = 'Flashduty API';

	documentationUrl = 'https://docs.flashcat.cloud/en/openapi/introduction';

	icon = { light: 'file:../nodes/Flashduty/flashduty.svg', dark: 'file:../nodes/Flashduty/flashduty.dark.svg' } as const;

	properties: INodeProperties[] = [
		{
			displayName: 'App Key',
			name: 'appKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'An APP key from the Flashduty console (Account → APP Keys). It has the permissions of the user who created it; writes need "Members Manage".',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.flashcat.cloud',
			description: 'Change only for a proxy, a staging server or a local simulator',
		},
	];

	// Flashduty takes the key as the `app_key` query parameter (docs/vendors/flashduty.md#authentication). The key is
	// therefore part of every URL: the node's engine redacts `app_key=` wherever a URL could be shown.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			qs: { app_key: '={{$credentials.appKey}}' },
		},
	};

	// A one-member list: any valid key with read access to members answers 200.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/member/list',
			method: 'POST',
			body: { p: 1, limit: 1 },
			json: true,
		},
	};
}
