import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

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
	};
}
