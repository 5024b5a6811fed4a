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
	{
		type: 'responseCode',
		properties: { value: 401, message: 'Flxpoint refused the token for the users endpoint (HTTP 401). Only an Account API token can read users: Source and Channel tokens cannot.' },
	},
	{
		type: 'responseCode',
		properties: { value: 403, message: 'Flxpoint refused the token for the users endpoint (HTTP 403). Only an Account API token can read users: Source and Channel tokens cannot.' },
	},
	{ type: 'responseCode', properties: { value: 404, message: 'Flxpoint answered HTTP 404: check the Base URL (https://api.flxpoint.com).' } },
	// The answer is a bare array of users: n8n reads its first element as the body.
	{ type: 'responseSuccessBody', properties: { key: 'id', value: undefined, message: 'The answer is not a list of Flxpoint users: check the token and the Base URL (https://api.flxpoint.com).' } },
];

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
	// Sent trimmed: a token saved with a trailing space or newline still works.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { 'X-API-TOKEN': '={{$credentials.apiToken.trim()}}' },
		},
	};

	// The users endpoint itself, so the test proves the token may read users: "Only account API Tokens can
	// use this endpoint" (docs/vendors/flxpoint.md#authentication); Source and Channel tokens fail.
	// Unfiltered on purpose: n8n's tester reads the first element of a bare-array answer, and an `ids=`
	// filter matching nobody would answer `[]`, which the tester cannot read (an account always has its
	// primary user, so the unfiltered list is never empty).
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/account/users',
		},
		rules: TEST_RULES as ICredentialTestRequest['rules'],
	};
}
