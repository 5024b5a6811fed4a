import type { INode } from 'n8n-workflow';

import { FlashdutyApi } from '../../credentials/FlashdutyApi.credentials';
import { flashdutyApi, idNumber, idString } from '../../nodes/Flashduty/api';
import { flashdutyLocale, memberUpdates, rolesChanged, samePhone, toMemberInput, withStringIds, type FlashdutyMember } from '../../nodes/Flashduty/mapping';
import { buildApiError } from '../../nodes/shared/engine/errors';
import { Redactor } from '../../nodes/shared/engine/redact';
import { FLASHDUTY_TEST_KEY, FlashdutySimulator, SCHEMAS, validate } from '../../simulators/flashduty';

const node: INode = { id: '1', name: 'Flashduty', type: 'n8n-nodes-people-sync.flashduty', typeVersion: 1, position: [0, 0], parameters: {} };

describe('Flashduty API description', () => {
	test('errors: code, message and request ID from the envelope; ResourceNotFound is not-found', () => {
		const response = { statusCode: 400, headers: {}, body: { request_id: 'R1', error: { code: 'ResourceNotFound', message: 'The member was not found' } } };
		const info = flashdutyApi.parseError(response);
		expect(info).toEqual({ code: 'ResourceNotFound', message: 'The member was not found', requestId: 'R1' });
		expect(flashdutyApi.isNotFound?.(response, info)).toBe(true);
		expect(flashdutyApi.isNotFound?.({ ...response, statusCode: 404 }, { code: 'RouteNotFound' })).toBe(false);
		expect(flashdutyApi.parseError({ statusCode: 500, headers: { 'Flashcat-Request-Id': 'H9' }, body: 'oops' }).requestId).toBe('H9');
		expect(flashdutyApi.unwrap?.({ request_id: 'R', data: { items: [] } })).toEqual({ items: [] });
		expect(flashdutyApi.isFailure?.({ statusCode: 200, headers: {}, body: { request_id: 'R', error: { code: 'InternalError', message: 'x' } } })).toBe(true);
	});

	test('a network error whose text carries the URL never shows the app_key', () => {
		const key = 'fd-secret-key-0123456789';
		const redactor = new Redactor([key], flashdutyApi.secretQueryParams);
		const error = buildApiError(node, flashdutyApi, redactor, {
			info: {},
			action: 'list members',
			networkCode: `connect ECONNREFUSED https://api.flashcat.cloud/member/list?app_key=${key}&x=1`,
			attempts: 6,
		});
		const said = JSON.stringify({ message: error.message, description: error.description, context: error.context });
		expect(said).not.toContain(key);
		expect(error.message).toContain('app_key=[redacted]');
	});

	test('IDs: only safe integers are sent as numbers; output IDs are strings', () => {
		expect(idNumber('2476444212131')).toBe(2476444212131);
		expect(idNumber('9007199254740993')).toBeUndefined();
		expect(idNumber('12a')).toBeUndefined();
		expect(idString(2476444212131)).toBe('2476444212131');
		expect(withStringIds({ member_id: 5, account_id: 7, member_name: 'A' })).toEqual({ member_id: '5', account_id: '7', member_name: 'A' });
	});
});

describe('Flashduty mapping', () => {
	test('locales, masked phones, only changed fields, role sets', () => {
		expect(['zh', 'zh-TW', 'en-GB', 'en_us', 'de-DE', undefined].map(flashdutyLocale)).toEqual(['zh-CN', 'zh-CN', 'en-US', 'en-US', undefined, undefined]);
		expect(samePhone('+86185****0300', '+86 185 1234 0300')).toBe(true);
		expect(samePhone('+86185****0300', '+8618512340301')).toBe(false);
		const member: FlashdutyMember = { member_id: '1', member_name: 'Ada', email: 'ada@x.io', phone: '+15551****0000', time_zone: 'UTC', ref_id: '', account_role_ids: [6, 2] };
		expect(memberUpdates(member, { email: 'ada@x.io', name: 'Ada', phone: '+15551230000', timezone: 'Europe/Paris', externalId: 'r1' })).toEqual({ time_zone: 'Europe/Paris', ref_id: 'r1' });
		expect(rolesChanged(member, [2, 6])).toBe(false);
		expect(rolesChanged(member, [2])).toBe(true);
		expect(rolesChanged(member, undefined)).toBe(false);
	});

	test('Batch Upsert input: aliases, role lists, and clear errors', () => {
		expect(toMemberInput(node, { ref_id: 'r', member_name: 'Grace Hopper', email: 'G@X.IO', time_zone: 'UTC', role_ids: '2, 6', locale: 'en-GB' }, 0)).toEqual({
			externalId: 'r',
			name: 'Grace Hopper',
			email: 'g@x.io',
			timezone: 'UTC',
			roleIds: [2, 6],
			locale: 'en-US',
		});
		expect(() => toMemberInput(node, { email: 'a@b.c', name: 'x'.repeat(40) }, 3)).toThrow(/has 40 characters; Flashduty needs 2 to 39 \[item 3\]/);
		expect(() => toMemberInput(node, { name: 'No Keys' }, 1)).toThrow(/no member ID, externalId, email or phone \[item 1\]/);
		expect(() => toMemberInput(node, { email: 'a@b.c', roleIds: ['admin'] }, 2)).toThrow(/role ID "admin" is not a whole number \[item 2\]/);
		expect(() => toMemberInput(node, { member_id: '18446744073709551615' }, 0)).toThrow(/not a Flashduty ID this node can send/);
	});
});

describe('Flashduty simulator and credential', () => {
	test('the schema subset refuses what the spec refuses', () => {
		expect(validate(SCHEMAS.memberList, { p: 1, limit: 100 })).toEqual([]);
		expect(validate(SCHEMAS.memberList, { p: 0, limit: 101, orderby: 'name' })).toHaveLength(3);
		expect(validate(SCHEMAS.personInfos, { person_ids: ['1'] })).toEqual(['body.person_ids[0] must be an integer']);
		expect(validate(SCHEMAS.invite, { members: Array.from({ length: 21 }, () => ({ email: 'a@b.c' })) })).toEqual(['body.members must have at most 20 entries']);
		expect(validate(SCHEMAS.resetUpdates, { member_id: 1, updates: { avatar_url: 'x' } })).toEqual(['body.updates.avatar_url is not a known field']);
	});

	test('"Test connection": POST /member/list {p:1, limit:1} with app_key; 200 with the key, 401 without', async () => {
		const sim = new FlashdutySimulator();
		const url = await sim.start();
		try {
			const credential = new FlashdutyApi();
			const request = credential.test.request;
			expect(request).toMatchObject({ url: '/member/list', method: 'POST', body: { p: 1, limit: 1 } });
			expect(credential.authenticate.properties.qs).toEqual({ app_key: '={{$credentials.appKey.trim()}}' });
			const send = async (key: string) =>
				await fetch(`${url}${request.url}?app_key=${encodeURIComponent(key)}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request.body) });
			sim.seed([{ email: 'a@b.io' }, { email: 'c@d.io' }]);
			const ok = await send(FLASHDUTY_TEST_KEY);
			expect(ok.status).toBe(200);
			expect(((await ok.json()) as { data: { items: unknown[] } }).data.items).toHaveLength(1);
			const refused = await send('wrong-key');
			expect(refused.status).toBe(401);
			expect(await refused.json()).toMatchObject({ error: { code: 'Unauthorized' } });
		} finally {
			await sim.stop();
		}
	});

	test('both rate windows answer 429 RequestTooFrequently; p × limit over 10,000 is a 400', async () => {
		const sim = new FlashdutySimulator({ rateLimits: [{ limit: 3, intervalMs: 1000 }, { limit: 5, intervalMs: 60_000 }] });
		const url = await sim.start();
		try {
			const call = async (body: unknown) =>
				await fetch(`${url}/member/list?app_key=${FLASHDUTY_TEST_KEY}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
			const first = await Promise.all([1, 2, 3, 4].map(async () => (await call({ p: 1, limit: 1 })).status));
			expect(first.sort()).toEqual([200, 200, 200, 429]);
			await new Promise((r) => setTimeout(r, 1100));
			expect((await call({ p: 1, limit: 1 })).status).toBe(200);
			const tooFar = await call({ p: 101, limit: 100 });
			expect(tooFar.status).toBe(400);
			expect(await tooFar.json()).toMatchObject({ error: { code: 'InvalidParameter' } });
			// The minute window (5) is now full, whatever the second window says.
			const limited = await call({ p: 1, limit: 1 });
			expect(limited.status).toBe(429);
			expect(await limited.json()).toMatchObject({ error: { code: 'RequestTooFrequently', message: 'Request too frequently.' } });
		} finally {
			await sim.stop();
		}
	});
});
