import { NodeOperationError } from 'n8n-workflow';

import { chunk, unique } from '../shared/engine/batch';
import type { VendorClient } from '../shared/engine/request';
import { text } from '../shared/engine/values';
import { isEmailKey } from '../shared/helpers/keys';
import { FLXPOINT_MAX_KEYS, USERS_PATH, usersByKeysPath } from './api';
import type { FlxpointUser } from './mapping';

/** Flxpoint's user API calls (docs/vendors/flxpoint.md): the user list, and users by ID or email. Flxpoint has no user writes. */

/** GET /account/users answers a bare JSON array of users (docs/vendors/flxpoint.md#endpoints-used). */
function usersFromBody(client: VendorClient, body: unknown, action: string, itemIndex?: number): FlxpointUser[] {
	if (Array.isArray(body)) return body as FlxpointUser[];
	throw new NodeOperationError(client.node, `Flxpoint answered with something other than a list of users when trying to ${action}`, {
		itemIndex,
		description: 'GET /account/users should return a JSON array. Check the credential\'s Base URL: it must point at the Flxpoint API (https://api.flxpoint.com), not a web page or proxy.',
	});
}

/** "007" and "7" are the same integer ID; the API returns `id` as a number. */
function canonicalId(key: string): string {
	return key.replace(/^0+(?=\d)/, '');
}

/**
 * Users by ID or email, keyed as asked: GET /account/users?ids=… or ?emails=…, in chunks of at most
 * 50 distinct values, IDs and emails never in the same request (whether they AND or OR is
 * undocumented). Keys that are neither an email nor a whole number cannot name a Flxpoint user
 * (`ids` is `array[integer]`), so they are not sent and come back as not found.
 */
export async function readUsersByKeys(client: VendorClient, keys: string[]): Promise<Map<string, FlxpointUser>> {
	const found = new Map<string, FlxpointUser>();
	const emails = unique(keys.filter(isEmailKey).map((k) => k.toLowerCase()));
	const idKeys = keys.filter((k) => !isEmailKey(k) && /^\d+$/.test(k));
	const ids = unique(idKeys.map(canonicalId));

	for (const part of chunk(ids, FLXPOINT_MAX_KEYS)) {
		const action = `get ${part.length} ${part.length === 1 ? 'user' : 'users'} by ID`;
		const body = await client.request({ method: 'GET', path: usersByKeysPath('ids', part), action });
		const byId = new Map(usersFromBody(client, body, action).map((u) => [text(u.id) ?? '', u]));
		for (const key of idKeys) {
			const user = byId.get(canonicalId(key));
			if (user) found.set(key, user);
		}
	}
	for (const part of chunk(emails, FLXPOINT_MAX_KEYS)) {
		const action = `get ${part.length} ${part.length === 1 ? 'user' : 'users'} by email`;
		const body = await client.request({ method: 'GET', path: usersByKeysPath('emails', part), action });
		const byEmail = new Map(usersFromBody(client, body, action).map((u) => [text(u.email)?.toLowerCase() ?? '', u]));
		for (const email of part) {
			const user = byEmail.get(email);
			if (user) found.set(email, user);
		}
	}
	// Keys are matched as asked: an email given in capitals maps to the user found under its lower case.
	for (const key of keys) {
		const user = isEmailKey(key) && !found.has(key) ? found.get(key.toLowerCase()) : undefined;
		if (user) found.set(key, user);
	}
	return found;
}

/** GET /account/users: every user of the account in one answer (the endpoint has no pagination). */
export async function listUsers(client: VendorClient, itemIndex?: number): Promise<FlxpointUser[]> {
	const action = 'list users';
	const body = await client.request({ method: 'GET', path: USERS_PATH, itemIndex, action });
	return usersFromBody(client, body, action, itemIndex);
}
