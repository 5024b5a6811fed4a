import { answerShape, recordsWithIds } from '../shared/engine/answers';
import { unique } from '../shared/engine/batch';
import { emptyRead, mergeRead, readInChunks, type KeyedRead } from '../shared/engine/keyedRead';
import type { VendorClient } from '../shared/engine/request';
import { text } from '../shared/engine/values';
import { isEmailKey } from '../shared/helpers/keys';
import { FLXPOINT_MAX_KEYS, USERS_PATH, usersByKeysPath } from './api';
import type { FlxpointUser } from './mapping';

/** Flxpoint's user API calls (docs/vendors/flxpoint.md): the user list, and users by ID or email. Flxpoint has no user writes. */

/** GET /account/users answers a bare JSON array of users, each with its `id` (docs/vendors/flxpoint.md#endpoints-used). */
const USER_LIST = answerShape('a list of users', (body) => recordsWithIds(body));

/** "007" and "7" are the same integer ID; the API returns `id` as a number. */
function canonicalId(key: string): string {
	return key.replace(/^0+(?=\d)/, '');
}

async function getUsers(client: VendorClient, field: 'ids' | 'emails', values: string[], itemIndex?: number): Promise<FlxpointUser[]> {
	const noun = values.length === 1 ? 'user' : 'users';
	const action = field === 'ids' ? `get ${values.length} ${noun} by ID` : `get ${values.length} ${noun} by email`;
	return await client.request<FlxpointUser[]>({ method: 'GET', path: usersByKeysPath(field, values), action, itemIndex, expect: USER_LIST });
}

/**
 * Users by ID or email, keyed as asked, with the keys whose read failed apart:
 * GET /account/users?ids=… or ?emails=…, in chunks of at most 50 distinct values, IDs and emails
 * never in the same request (whether they AND or OR is undocumented). A chunk Flxpoint refuses
 * (400: a value out of range, malformed) is split until the refused key stands alone, so the
 * others are read. Keys that are neither an email nor a whole number cannot name a Flxpoint user
 * (`ids` is `array[integer]`), so they are not sent and come back as not found.
 */
export async function readUsersByKeys(client: VendorClient, keys: string[]): Promise<KeyedRead<FlxpointUser>> {
	const idKeys = keys.filter((k) => !isEmailKey(k) && /^\d+$/.test(k));
	const emailKeys = keys.filter(isEmailKey);
	const [byId, byEmail] = await Promise.all([
		readInChunks(
			unique(idKeys.map(canonicalId)),
			FLXPOINT_MAX_KEYS,
			async (ids) => {
				const asked = new Set(ids);
				const users = await getUsers(client, 'ids', ids);
				return new Map(users.map((u) => [text(u.id) ?? '', u] as const).filter(([id]) => asked.has(id)));
			},
			client.maxInFlight,
		),
		readInChunks(
			unique(emailKeys.map((k) => k.toLowerCase())),
			FLXPOINT_MAX_KEYS,
			async (emails) => {
				const asked = new Set(emails);
				const users = await getUsers(client, 'emails', emails);
				return new Map(users.map((u) => [text(u.email)?.toLowerCase() ?? '', u] as const).filter(([email]) => asked.has(email)));
			},
			client.maxInFlight,
		),
	]);
	// Keys are matched as asked: "007" is user 7, an email in capitals the user found under its lower case.
	const asked = emptyRead<FlxpointUser>();
	const read = mergeRead(byId, byEmail);
	for (const key of [...idKeys, ...emailKeys]) {
		const canonical = isEmailKey(key) ? key.toLowerCase() : canonicalId(key);
		const user = read.found.get(canonical);
		const error = read.failed.get(canonical);
		if (user) asked.found.set(key, user);
		if (error) asked.failed.set(key, error);
	}
	return asked;
}

/**
 * GET /account/users: every user of the account in one answer (the endpoint has no pagination, so
 * the list cannot shift between pages); a user the answer repeats is kept once.
 */
export async function listUsers(client: VendorClient, itemIndex?: number): Promise<FlxpointUser[]> {
	const users = await client.request<FlxpointUser[]>({ method: 'GET', path: USERS_PATH, itemIndex, action: 'list users', expect: USER_LIST });
	const seen = new Set<string>();
	return users.filter((u) => {
		const id = text(u.id) ?? '';
		if (seen.has(id)) return false;
		seen.add(id);
		return true;
	});
}
