import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { baseUrl, commonErrorInfo } from '../shared/engine/errorShapes';
import type { VendorApi } from '../shared/engine/vendor';
import { text } from '../shared/engine/values';

export const FLAMEUP_DEFAULT_BASE_URL = 'https://api.flameup.ai/api/v1';
/** POST /people/batch takes at most 100 people; GET /people at most 100 a page. */
export const FLAMEUP_MAX_BATCH = 100;
export const FLAMEUP_MAX_PAGE = 100;

/** Flameup: Bearer key, 120 requests/minute per key (docs/vendors/flameup.md#limits). */
export const flameupApi: VendorApi = {
	vendor: 'flameup',
	displayName: 'Flameup',
	credentialType: 'flameupApi',
	rateLimits: [{ limit: 120, intervalMs: 60_000 }],
	secretFields: ['apiKey'],
	url: (credentials, path) => `${baseUrl(credentials.baseUrl, FLAMEUP_DEFAULT_BASE_URL)}${path}`,
	parseError: (response) => commonErrorInfo(response.body),
	hints: {
		401: 'Flameup refused the API key. Check the key (ws_live_... or ws_test_...) in the credential; test and live keys see different data.',
		403: 'The Flameup key lacks a permission: reads need people:read / people:list, writes people:write.',
	},
};

/** The people collection path: flat by default, workspace-scoped when the credential names a workspace. */
export function peoplePath(credentials: ICredentialDataDecryptedObject, suffix = ''): string {
	const workspaceId = text(credentials.workspaceId);
	return workspaceId ? `/workspaces/${encodeURIComponent(workspaceId)}/people${suffix}` : `/people${suffix}`;
}
