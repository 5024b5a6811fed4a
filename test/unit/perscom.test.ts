import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { PerscomApi } from '../../credentials/PerscomApi.credentials';
import { toPerscomPayload, unifiedFromPerscom } from '../../nodes/Perscom/mapping';
import { perscomApi } from '../../nodes/Perscom/api';
import { searchFilters, sqlDate } from '../../nodes/Perscom/search';
import { PERSCOM_TENANT, PERSCOM_TEST_KEY, PerscomSimulator } from '../../simulators/perscom';

const credential = new PerscomApi();
const node = { id: 'n', name: 'PERSCOM', type: 'n8n-nodes-people-sync.perscom', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };

async function authenticate(credentials: ICredentialDataDecryptedObject, options: IHttpRequestOptions = { url: '/x' }): Promise<IHttpRequestOptions> {
	if (typeof credential.authenticate !== 'function') throw new Error('authenticate must be a function');
	return await credential.authenticate(credentials, options);
}

/** Evaluates the credential test's `={{ ... }}` baseURL as n8n would, for these plain credentials. */
function testBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const expression = String(credential.test.request.baseURL).replace(/^=\{\{/, '').replace(/\}\}$/, '');
	return (new Function('$credentials', `return (${expression});`) as (c: ICredentialDataDecryptedObject) => string)(credentials);
}

describe('PERSCOM credential', () => {
	test('Bearer key and Accept always; X-Perscom-Id only when set, never empty', async () => {
		const without = await authenticate({ apiKey: 'k', perscomId: '' }, { url: '/x', headers: { 'X-Other': '1' } });
		expect(without.headers).toEqual({ 'X-Other': '1', Accept: 'application/json', Authorization: 'Bearer k' });
		const blank = await authenticate({ apiKey: 'k', perscomId: '   ' });
		expect(blank.headers).not.toHaveProperty('X-Perscom-Id');
		const withId = await authenticate({ apiKey: 'k', perscomId: ' 42 ' });
		expect(withId.headers).toMatchObject({ 'X-Perscom-Id': '42', Authorization: 'Bearer k' });
	});

	test('the test request (GET /{version}/me) succeeds against the simulator, and fails for a bad key', async () => {
		const sim = new PerscomSimulator();
		const url = await sim.start();
		try {
			sim.seed([{ name: 'Me', email: 'me@example.com' }]);
			for (const [creds, status] of [
				[{ apiKey: PERSCOM_TEST_KEY, baseUrl: `${url}/`, apiVersion: 'v1', perscomId: '' }, 200],
				[{ apiKey: PERSCOM_TEST_KEY, baseUrl: url, apiVersion: 'v2', perscomId: PERSCOM_TENANT }, 200],
				[{ apiKey: 'wrong', baseUrl: url, apiVersion: 'v2', perscomId: '' }, 401],
			] as Array<[ICredentialDataDecryptedObject, number]>) {
				const options = await authenticate(creds, { url: credential.test.request.url ?? '' });
				const response = await fetch(`${testBaseUrl(creds)}${options.url}`, { headers: options.headers as Record<string, string> });
				expect(response.status).toBe(status);
			}
			expect(sim.requests.map((r) => r.path)).toEqual(['/v1/me', '/v2/me', '/v2/me']);
			expect(testBaseUrl({ baseUrl: '', apiVersion: '' })).toBe('https://api.perscom.io/v2');
		} finally {
			await sim.stop();
		}
	});
});

describe('PERSCOM mapping', () => {
	test('raw user → unified person', () => {
		expect(
			unifiedFromPerscom({
				id: 12,
				name: 'Ada  King Lovelace',
				email: 'Ada@Example.com',
				phone_number: '+1 555',
				timezone: 'Europe/London',
				profile_photo_url: 'https://img/1.png',
				approved: false,
				created_at: '2024-01-02T03:04:05.000000Z',
				updated_at: '2024-01-03T03:04:05.000000Z',
			}),
		).toEqual({
			source: 'perscom',
			id: '12',
			email: 'ada@example.com',
			name: 'Ada  King Lovelace',
			firstName: 'Ada',
			lastName: 'King Lovelace',
			phone: '+1 555',
			timezone: 'Europe/London',
			avatarUrl: 'https://img/1.png',
			status: 'pending',
			createdAt: '2024-01-02T03:04:05.000Z',
			updatedAt: '2024-01-03T03:04:05.000Z',
		});
	});

	test('input item → payload: unified and PERSCOM names, types checked, read-only fields left out', () => {
		expect(
			toPerscomPayload(node, { email: 'A@X.io', firstName: 'A', lastName: 'B', phone: '1', status: 'approved', rank_id: '4', unit_id: 2, timezone: 'UTC', notes: 'n', extra: 1 }, 0),
		).toEqual({ email: 'a@x.io', name: 'A B', phone_number: '1', approved: true, rank_id: 4, unit_id: 2, notes: 'n' });
		expect(toPerscomPayload(node, { email: 'a@x.io', phone_number: '2', approved: 'false', status: 'approved' }, 0)).toEqual({ email: 'a@x.io', phone_number: '2', approved: false });
		expect(toPerscomPayload(node, { email: 'a@x.io', status: 'active' }, 0)).toEqual({ email: 'a@x.io' });
		expect(() => toPerscomPayload(node, { email: 'a@x.io', rank_id: 'captain' }, 3)).toThrow('The field "rank_id" is not a PERSCOM ID [item 3]');
		expect(() => toPerscomPayload(node, { name: 'x' }, 1)).toThrow('This item has no email [item 1]');
	});

	test('filters → Orion search filters; dates as UTC SQL datetimes', () => {
		expect(sqlDate('2024-05-06T07:08:09.123Z')).toBe('2024-05-06 07:08:09');
		expect(searchFilters({ approved: false, statusId: 3, rankId: 0, nameContains: ' Ada ' })).toEqual([
			{ field: 'approved', operator: '=', value: false },
			{ field: 'status_id', operator: '=', value: 3 },
			{ field: 'name', operator: 'like', value: '%Ada%' },
		]);
	});

	test('the API: version prefix, error shape, hints', () => {
		expect(perscomApi.url({ baseUrl: 'http://h/', apiVersion: 'v1' }, '/users')).toBe('http://h/v1/users');
		expect(perscomApi.url({}, '/users')).toBe('https://api.perscom.io/v2/users');
		expect(
			perscomApi.parseError({
				statusCode: 422,
				headers: {},
				body: { error: { message: 'The email field is required.', type: 'ValidationException', request_id: 'r1', trace_id: 't1', errors: { email: ['The email field is required.'] } } },
			}),
		).toEqual({ message: 'The email field is required.', code: 'ValidationException', requestId: 'r1', fields: { email: ['The email field is required.'] } });
		expect(perscomApi.hints?.[402]).toContain('Pro subscription');
	});
});
