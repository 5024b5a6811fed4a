import type { IdMode } from '../shared/descriptions/common';
import { baseUrl, commonErrorInfo } from '../shared/engine/errorShapes';
import type { ApiResponse, VendorApi, VendorErrorInfo } from '../shared/engine/vendor';
import { asRecord, headerValue, text } from '../shared/engine/values';
import { isEmailKey } from '../shared/helpers/keys';

export const FLASHDUTY_DEFAULT_BASE_URL = 'https://api.flashcat.cloud';
/** /member/list: `limit` is 1–100 (docs/vendors/flashduty.md#pagination). */
export const FLASHDUTY_MAX_PAGE = 100;
/** /member/list refuses p × limit over 10,000 with a 400 (docs/vendors/flashduty.md#pagination). */
export const FLASHDUTY_REACHABLE_ITEMS = 10_000;
/** /member/list reports `total` capped at 1,000: a total at the cap is not the real count (docs/vendors/flashduty.md#pagination). */
export const FLASHDUTY_TOTAL_CAP = 1000;
/** /member/invite takes at most 20 members (docs/vendors/flashduty.md#limits). */
export const FLASHDUTY_MAX_INVITE = 20;
/** Each account may make 1,000 requests a minute (and 50 a second; docs/vendors/flashduty.md#limits). */
export const FLASHDUTY_REQUESTS_PER_MINUTE = 1000;
/** /person/infos documents no maximum: 100 IDs a request is our own cap (docs/vendors/flashduty.md#limits). */
export const FLASHDUTY_PERSON_CHUNK = 100;

/** Requests of one key in flight together (the rate windows still hold: 50 a second, 1,000 a minute). */
export const FLASHDUTY_MAX_IN_FLIGHT = 32;

/** `{request_id, error: {code, message}}` (ErrorResponse); the request ID is also in `Flashcat-Request-Id` (docs/vendors/flashduty.md#errors). */
function parseFlashdutyError(response: ApiResponse): VendorErrorInfo {
	const info = commonErrorInfo(response.body);
	info.requestId ??= text(headerValue(response.headers, 'flashcat-request-id'));
	if (!info.requestId) delete info.requestId;
	if (info.code === 'ReferenceExist') {
		// /member/delete without is_force: schedules or escalation rules still name the member.
		const refs = asRecord(asRecord(response.body)?.error)?.refs ?? asRecord(response.body)?.refs;
		const count = Array.isArray(refs) ? ` (${refs.length} reference${refs.length === 1 ? '' : 's'})` : '';
		info.message = `${info.message ?? 'The member is still referenced'}${count}. Remove the member from those schedules and escalation rules, or turn on Options > Force`;
	}
	return info;
}

/**
 * Flashduty (docs/vendors/flashduty.md): every call is a POST with a JSON body, the key is the `app_key`
 * query parameter, answers are `{request_id, data}` or `{request_id, error}`, a missing entity is
 * HTTP 400 `ResourceNotFound`, and each account may make 50 requests a second and 1,000 a minute.
 */
export const flashdutyApi: VendorApi = {
	vendor: 'flashduty',
	displayName: 'Flashduty',
	credentialType: 'flashdutyApi',
	rateLimits: [
		{ limit: 50, intervalMs: 1000 },
		{ limit: FLASHDUTY_REQUESTS_PER_MINUTE, intervalMs: 60_000 },
	],
	// 50 requests a second with answers 200 ms away need 10 in flight to reach the limit; 16 leaves room.
	maxInFlight: FLASHDUTY_MAX_IN_FLIGHT,
	secretFields: ['appKey'],
	secretQueryParams: ['app_key'],
	url: (credentials, path) => `${baseUrl(credentials.baseUrl, FLASHDUTY_DEFAULT_BASE_URL)}${path}`,
	parseError: parseFlashdutyError,
	// The error envelope is documented for non-2xx answers; an `error` object in a 2xx body is treated
	// as a failure too rather than read as data.
	isFailure: (response) => response.statusCode >= 400 || asRecord(asRecord(response.body)?.error) !== undefined,
	isNotFound: (_response, info) => info.code === 'ResourceNotFound',
	unwrap: (body) => {
		const record = asRecord(body);
		return record && 'data' in record ? record.data : body;
	},
	hints: {
		400: 'Flashduty rejected the request (InvalidParameter, ResourceNotFound...). Check the values sent for this item; the message above names the problem.',
		401: 'Flashduty refused the APP key. Open the credential, paste a valid key from Account → APP Keys and use "Test connection".',
		403: 'The APP key lacks a permission: creating, updating and deleting members needs "Members Manage". Use a key created by an admin.',
		404: 'Flashduty has no such route. Check the credential\'s Base URL (https://api.flashcat.cloud).',
	},
	checkKey: (key) => {
		if (isEmailKey(key) || idNumber(key) !== undefined) return undefined;
		const problem = /^\d+$/.test(key)
			? `The member ID "${key}" is larger than ${Number.MAX_SAFE_INTEGER}, the largest ID the node can send exactly`
			: `"${key}" is neither a Flashduty member ID nor an email`;
		return {
			problem,
			fix: `Flashduty IDs are whole numbers sent as JSON numbers, which this node sends exactly up to ${Number.MAX_SAFE_INTEGER}. Use the member's email instead.`,
		};
	},
};

/** By ID of Get and Delete: a member ID (member_id) is a whole number of up to 20 digits (docs/vendors/flashduty.md#quirks). */
export const MEMBER_ID_MODE: IdMode = {
	placeholder: 'e.g. 3790117293151',
	hint: 'The member\'s ID (member_id): a whole number of up to 20 digits, the id in the results',
	pattern: '\\s*[0-9]{1,20}\\s*',
	errorMessage: 'Flashduty member IDs are whole numbers of up to 20 digits, e.g. 3790117293151',
};

/** A Flashduty uint64 ID as a JSON number, when JavaScript can carry it exactly; undefined otherwise. */
export function idNumber(id: string): number | undefined {
	if (!/^\d{1,20}$/.test(id)) return undefined;
	const value = Number(id);
	return Number.isSafeInteger(value) ? value : undefined;
}

/** IDs are output as strings (uint64 in the spec: docs/vendors/flashduty.md#quirks); numbers are stringified as they were parsed. */
export function idString(value: unknown): string | undefined {
	if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? String(value) : undefined;
	return text(value);
}
