import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { IdMode } from '../shared/descriptions/common';
import { baseUrl, commonErrorInfo } from '../shared/engine/errorShapes';
import type { VendorApi } from '../shared/engine/vendor';
import { text } from '../shared/engine/values';
import { isEmailKey } from '../shared/helpers/keys';

export const PERSCOM_DEFAULT_BASE_URL = 'https://api.perscom.io';
export const PERSCOM_VERSIONS = ['v1', 'v2'] as const;

/**
 * Orion's batch endpoints have no maximum in code (docs/vendors/perscom.md#limits), and
 * Orion's page size has no maxLimit either; 100 keeps requests and answers at a sane size.
 */
export const PERSCOM_MAX_BATCH = 100;
export const PERSCOM_MAX_PAGE = 100;

/** The credential's API version ("v1" / "v2", default "v2"): the first path segment of every request. */
export function apiVersion(credentials: ICredentialDataDecryptedObject): string {
	return text(credentials.apiVersion) ?? 'v2';
}

/**
 * PERSCOM: Bearer key (a JWT), `/{version}` prefix, `X-Perscom-Id` only when set (the credential's
 * `authenticate` adds it), `Accept: application/json` always. 100 requests/minute unless the
 * credential says more (see requestsPerMinute; docs/vendors/perscom.md#limits). Errors are
 * `{error: {message, type, request_id, trace_id, errors?}}`, which commonErrorInfo reads.
 */
export const perscomApi: VendorApi = {
	vendor: 'perscom',
	displayName: 'PERSCOM',
	credentialType: 'perscomApi',
	rateLimits: (credentials) => [{ limit: requestsPerMinute(credentials), intervalMs: 60_000 }],
	secretFields: ['apiKey'],
	secretQueryParams: ['apikey'],
	url: (credentials, path) => `${baseUrl(credentials.baseUrl, PERSCOM_DEFAULT_BASE_URL)}/${encodeURIComponent(apiVersion(credentials))}${path}`,
	headers: () => ({ Accept: 'application/json' }),
	parseError: (response) => commonErrorInfo(response.body),
	hints: {
		400: 'PERSCOM rejected the request. If it names the API version, set the credential\'s API Version to v1 or v2.',
		401: 'PERSCOM refused the API key. Paste a valid key in the credential; if you set a PERSCOM ID there, it must be the PERSCOM the key belongs to (or leave it empty).',
		402: 'PERSCOM\'s API needs a Pro subscription. Upgrade the PERSCOM account (dashboard > Billing), then run again.',
		403: 'The PERSCOM API key lacks a scope: reads need view:user, Batch Upsert create:user and update:user, Delete delete:user. Scopes cannot be edited; create a new key with them.',
		404: 'PERSCOM has no record or route at that path. Check the user ID, and the credential\'s Base URL and API Version.',
		422: 'PERSCOM rejected some field values (see the field messages). Names and emails are required for new users, and emails must be valid and unique.',
	},
	checkKey: (key) =>
		isUserId(key) || isEmailKey(key)
			? undefined
			: { problem: `"${key}" is neither a PERSCOM user ID nor an email`, fix: 'PERSCOM user IDs are whole numbers (e.g. 42); or give the user\'s email address.' },
};

/** By ID of Get and Delete: a PERSCOM user ID is a whole number (the id in the results). */
export const USER_ID_MODE: IdMode = {
	placeholder: 'e.g. 42',
	hint: 'The user\'s PERSCOM ID: a whole number, the id in the results',
	pattern: '\\s*[0-9]+\\s*',
	errorMessage: 'PERSCOM user IDs are whole numbers, e.g. 42',
};

/** Whether a key is a PERSCOM user ID (a positive integer). */
export function isUserId(key: string): boolean {
	return /^[1-9]\d*$/.test(key);
}

/**
 * The credential's Requests per Minute, default 100: PERSCOM's limiter runs before authentication,
 * so API clients get its per-IP limit (docs/vendors/perscom.md#limits).
 */
export function requestsPerMinute(credentials: ICredentialDataDecryptedObject): number {
	const value = Number(credentials.requestsPerMinute);
	return Number.isFinite(value) && value >= 1 ? Math.floor(value) : PERSCOM_DEFAULT_REQUESTS_PER_MINUTE;
}

export const PERSCOM_DEFAULT_REQUESTS_PER_MINUTE = 100;

/** `/users` + suffix. */
export function usersPath(suffix = ''): string {
	return `/users${suffix}`;
}
