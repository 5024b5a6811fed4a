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
	{ type: 'responseCode', properties: { value: 401, message: 'Flashduty refused the App Key (HTTP 401 Unauthorized). Copy it again from Account → APP Keys.' } },
	{ type: 'responseCode', properties: { value: 403, message: 'The App Key may not list members (HTTP 403 AccessDenied): its scope or its creator\'s role lacks member access.' } },
	{ type: 'responseCode', properties: { value: 404, message: 'Flashduty answered HTTP 404: check the Base URL (https://api.flashcat.cloud).' } },
	{ type: 'responseSuccessBody', properties: { key: 'error.code', value: 'Unauthorized', message: 'Flashduty refused the App Key (Unauthorized). Copy it again from Account → APP Keys.' } },
	{ type: 'responseSuccessBody', properties: { key: 'error.code', value: 'AccessDenied', message: 'The App Key may not list members (AccessDenied): its scope or its creator\'s role lacks member access.' } },
	{ type: 'responseSuccessBody', properties: { key: 'data', value: undefined, message: 'Flashduty answered without member data (an error, or not the Flashduty API): check the App Key and the Base URL.' } },
	{ type: 'responseSuccessBody', properties: { key: 'data', value: null, message: 'Flashduty answered without member data (an error, or not the Flashduty API): check the App Key and the Base URL.' } },
];

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
	// Sent trimmed: a key saved with a trailing space or newline still works.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			qs: { app_key: '={{$credentials.appKey.trim()}}' },
		},
	};

	// A one-member list: any valid key with read access to members answers 200 `{request_id, data}`; a
	// 200 `{request_id, error}` envelope fails (docs/vendors/flashduty.md#base-url-and-envelope).
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/member/list',
			method: 'POST',
			body: { p: 1, limit: 1 },
			json: true,
		},
		rules: TEST_RULES as ICredentialTestRequest['rules'],
	};
}
