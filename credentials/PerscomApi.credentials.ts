import type {
	IAuthenticate,
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/** Test-connection rules: fixed messages, never the key (docs/ARCHITECTURE.md, "Credential tests"). */
const TEST_RULES: Array<IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody> = [
	{ type: 'responseCode', properties: { value: 400, message: 'PERSCOM refused the API version (HTTP 400): choose V1 or V2.' } },
	{
		type: 'responseCode',
		properties: { value: 401, message: 'PERSCOM refused the API key (HTTP 401). Check the key, and the PERSCOM ID if one is set (normally left empty).' },
	},
	{ type: 'responseCode', properties: { value: 402, message: 'PERSCOM needs an active Pro subscription for API access (HTTP 402).' } },
	{ type: 'responseCode', properties: { value: 403, message: 'PERSCOM refused access (HTTP 403): the API key lacks a scope (the node needs view:user).' } },
	{ type: 'responseCode', properties: { value: 404, message: 'PERSCOM answered HTTP 404: check the Base URL (https://api.perscom.io).' } },
	{ type: 'responseSuccessBody', properties: { key: 'data', value: undefined, message: 'PERSCOM answered without user data (an error, or not the PERSCOM API): check the API key and the Base URL.' } },
	{ type: 'responseSuccessBody', properties: { key: 'data', value: null, message: 'PERSCOM answered without user data (an error, or not the PERSCOM API): check the API key and the Base URL.' } },
];

/**
 * PERSCOM: `Authorization: Bearer <API key>`, `/{version}` path prefix, and `X-Perscom-Id` only when
 * a PERSCOM ID is set (the official SDK omits the header when unset, and the server then reads the
 * tenant from the key's JWT: docs/vendors/perscom.md#authentication). A generic `authenticate`
 * cannot leave a header out, so `authenticate` is a function.
 */
export class PerscomApi implements ICredentialType {
	name = 'perscomApi';

	displayName = 'PERSCOM API';

	documentationUrl = 'https://docs.perscom.io/api-reference/authentication';

	icon = { light: 'file:../nodes/Perscom/perscom.svg', dark: 'file:../nodes/Perscom/perscom.dark.svg' } as const;

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'An API key from the PERSCOM dashboard (System > API Keys) with the view:user scope, plus create:user, update:user and delete:user for writes. The API needs a Pro subscription.',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'options',
			options: [
				{ name: 'V1', value: 'v1' },
				{ name: 'V2', value: 'v2' },
			],
			default: 'v2',
			description: 'The version prefix of every request path (/v2/users...)',
		},
		{
			displayName: 'PERSCOM ID',
			name: 'perscomId',
			type: 'string',
			default: '',
			description:
				'Optional. Your PERSCOM ID (dashboard > Settings). Leave empty: the API key already names its PERSCOM. When set, it is sent as the X-Perscom-Id header.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.perscom.io',
			description: 'Change only for the staging server (https://api.staging.perscom.io), a proxy or a local simulator',
		},
		{
			displayName: 'Requests per Minute',
			name: 'requestsPerMinute',
			type: 'number',
			default: 100,
			typeOptions: { minValue: 1 },
			description:
				'How many requests the node sends per minute with this key. PERSCOM limits API clients to 100 a minute per IP address; raise it only if PERSCOM has granted your account more.',
		},
	];

	authenticate: IAuthenticate = async (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> => {
		const headers: Record<string, string> = {
			...((requestOptions.headers as Record<string, string> | undefined) ?? {}),
			Accept: 'application/json',
			Authorization: `Bearer ${String(credentials.apiKey ?? '').trim()}`,
		};
		const perscomId = String(credentials.perscomId ?? '').trim();
		if (perscomId !== '') headers['X-Perscom-Id'] = perscomId;
		return { ...requestOptions, headers };
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{($credentials.baseUrl || "https://api.perscom.io").replace(/\\/+$/, "") + "/" + ($credentials.apiVersion || "v2")}}',
			url: '/me',
			method: 'GET',
		},
		// A 200 must carry `data` (the key's user; docs/vendors/perscom.md#endpoints-used), never an `{error}` envelope.
		rules: TEST_RULES as ICredentialTestRequest['rules'],
	};
}
