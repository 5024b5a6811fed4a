import { baseUrl, commonErrorInfo } from '../shared/engine/errorShapes';
import type { VendorApi } from '../shared/engine/vendor';

export const FLXPOINT_DEFAULT_BASE_URL = 'https://api.flxpoint.com';

/** GET /account/users: `ids` and `emails` are arrays with `maxItems: 50` and `uniqueItems` (docs/vendors/flxpoint.md#limits). */
export const FLXPOINT_MAX_KEYS = 50;

export const USERS_PATH = '/account/users';

/**
 * Flxpoint: `X-API-TOKEN` header (never Bearer), 2 requests/second per token, each token its own
 * bucket (docs/vendors/flxpoint.md#limits). The engine adds its safety margin to the window.
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
 * How an array query value is sent, the one place to change it: comma-separated (`ids=1,2,3`), as
 * the spec's example `"123,456,789"` shows (the serialization is an open question:
 * docs/vendors/flxpoint.md#quirks). Each value is percent-encoded but the commas stay literal: a server that splits before
 * decoding and one that decodes first both read the list. (n8n's `qs` would send `%2C` instead.)
 * For repeated keys (`ids=1&ids=2`), join with `&${field}=` here.
 */
export function arrayQuery(field: string, values: ReadonlyArray<string | number>): string {
	return `${field}=${values.map((v) => encodeURIComponent(String(v))).join(',')}`;
}

/** GET /account/users for one chunk of IDs or emails. Never both in one request: how they combine is undocumented. */
export function usersByKeysPath(field: 'ids' | 'emails', values: ReadonlyArray<string | number>): string {
	return `${USERS_PATH}?${arrayQuery(field, values)}`;
}
