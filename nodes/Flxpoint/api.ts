import type { IDataObject } from 'n8n-workflow';

import { baseUrl, commonErrorInfo } from '../shared/engine/errorShapes';
import type { VendorApi } from '../shared/engine/vendor';

export const FLXPOINT_DEFAULT_BASE_URL = 'https://api.flxpoint.com';

/** GET /account/users: `ids` and `emails` are arrays with `maxItems: 50` and `uniqueItems` (OpenAPI fragment of Get Users). */
export const FLXPOINT_MAX_KEYS = 50;

export const USERS_PATH = '/account/users';
export const ACCOUNT_PATH = '/account';

/**
 * Flxpoint: `X-API-TOKEN` header (never Bearer), 2 requests/second per token, each token its own
 * bucket (apihelpcenter.flxpoint.com, Authentication). The engine adds its safety margin to the window.
 * 429 bodies and headers are undocumented: the engine honours Retry-After if present, else backs off from 1 s.
 */
export const flxpointApi: VendorApi = {
	vendor: 'flxpoint',
	displayName: 'Flxpoint',
	credentialType: 'flxpointApi',
	rateLimits: [{ limit: 2, intervalMs: 1000 }],
	secretFields: ['apiToken'],
	url: (credentials, path) => `${baseUrl(credentials.baseUrl, FLXPOINT_DEFAULT_BASE_URL)}${path}`,
	parseError: (response) => commonErrorInfo(response.body),
	hints: {
		400: 'Flxpoint rejected the query. User IDs must be whole numbers, and a request may name at most 50 distinct IDs or emails.',
		401: 'Flxpoint refused the API token. Check the token in the credential (it is sent as the X-API-TOKEN header). Reading users needs an Account token: Source and Channel tokens are refused.',
		403: 'This Flxpoint token may not use this endpoint. Reading users needs an Account token, not a Source or Channel token.',
		429: 'Flxpoint allows 2 requests per second per token, shared by every workflow that uses it. Run fewer executions with this token at once, or try again later.',
	},
};

/**
 * How an array query value is sent: comma-separated (`ids=1,2,3`), as the spec's example
 * `"123,456,789"` shows. vendor-apis.md lists the serialization as an open question; this is the
 * one place to change it (return the array itself for repeated keys, `ids=1&ids=2`).
 */
export function arrayQuery(values: ReadonlyArray<string | number>): string {
	return values.map(String).join(',');
}

/** The query of GET /account/users for one chunk of IDs or emails. Never both: how they combine is undocumented. */
export function usersQuery(field: 'ids' | 'emails', values: ReadonlyArray<string | number>): IDataObject {
	return { [field]: arrayQuery(values) };
}
