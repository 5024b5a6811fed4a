import { NodeApiError, type INode } from 'n8n-workflow';

import { mergeSamePerson, pairBatchAnswer } from '../../nodes/Flameup/batchAnswer';
import { flameupPerson, unifiedFromFlameup, type FlameupPerson } from '../../nodes/Flameup/mapping';
import { defaultNames, isDailyCapRefusal, nextInviteDay } from '../../nodes/Flashduty/invitations';
import type { FlashdutyMember } from '../../nodes/Flashduty/mapping';
import { clip } from '../../nodes/shared/engine/values';
import { checkKeyTypes } from '../../nodes/shared/person/input';

const node: INode = { id: 'n1', name: 'Test', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} };

describe('Flameup answers', () => {
	test('both person shapes read the same', () => {
		const overview = flameupPerson({ id: 'p1', userId: 'u1', traits: { email: 'a@x.co', first_name: 'Ada', plan: 'pro' } });
		expect(overview).toMatchObject({ id: 'p1', external_id: 'u1', email: 'a@x.co', first_name: 'Ada', attributes: { plan: 'pro' } });
		expect(unifiedFromFlameup(overview as FlameupPerson)).toMatchObject({ id: 'p1', externalId: 'u1', email: 'a@x.co', firstName: 'Ada' });
	});

	test('a batch answer is paired by userId, else email, never by position', () => {
		const sent = [
			{ userId: 'u1', email: 'a@x.co', traits: {} },
			{ userId: 'b@x.co', email: 'b@x.co', traits: {} },
			{ userId: 'u3', traits: {} },
		];
		const answer = { people: [{ id: '2', external_id: 'other', email: 'b@x.co' }, { id: '1', userId: 'u1' }] as FlameupPerson[], created_count: 0, updated_count: 2 };
		const paired = pairBatchAnswer(sent, answer);
		expect(paired.map((p) => p?.person.id)).toEqual(['1', '2', undefined]);
	});

	test('items with the same userId merge into one entry', () => {
		const merged = mergeSamePerson([
			{ index: 0, payload: { userId: 'u1', traits: { a: 1 } } },
			{ index: 1, payload: { userId: 'u2', traits: {} } },
			{ index: 2, payload: { userId: 'u1', email: 'a@x.co', traits: { b: 2 } } },
		]);
		expect(merged).toEqual([
			{ indexes: [0, 2], payload: { userId: 'u1', email: 'a@x.co', traits: { a: 1, b: 2 } } },
			{ indexes: [1], payload: { userId: 'u2', traits: {} } },
		]);
	});
});

describe('Flashduty invitations', () => {
	test('default names: the email prefix, unique against members and within the run, 2–39 characters', () => {
		const a = { email: 'ada@one.co' };
		const b = { email: 'ada@two.co' };
		const c = { email: 'x@three.co' };
		const d = { email: `${'l'.repeat(60)}@four.co` };
		const names = defaultNames([a, b, c, d], [{ member_id: '1', member_name: 'Ada' } as FlashdutyMember], ['ada-2']);
		expect([names.get(a), names.get(b), names.get(c), names.get(d)]).toEqual(['ada-3', 'ada-4', 'x@three.co', 'l'.repeat(39)]);
	});

	test('the next invitation day starts at midnight in China (16:00 UTC)', () => {
		expect(nextInviteDay(Date.parse('2026-11-23T17:00:00Z')).toISOString()).toBe('2026-11-24T16:00:00.000Z');
		expect(nextInviteDay(Date.parse('2026-11-23T15:59:00Z')).toISOString()).toBe('2026-11-23T16:00:00.000Z');
	});

	test('a refusal naming the daily invitation limit is the cap; other refusals are not', () => {
		const refusal = (status: number, message: string) => {
			const error = new NodeApiError(node, { message }, { message, httpCode: String(status) });
			Object.assign(error.context, { status });
			return error;
		};
		expect(isDailyCapRefusal(refusal(400, 'Flashduty answered HTTP 400 BadRequest: The daily invitation limit is reached'))).toBe(true);
		expect(isDailyCapRefusal(refusal(429, '每天邀请上限为 200 人'))).toBe(true);
		expect(isDailyCapRefusal(refusal(400, 'members[3].email "a@x.co" is already used by a member'))).toBe(false);
		expect(isDailyCapRefusal(refusal(500, 'daily invitation job failed'))).toBe(false);
	});
});

describe('bad input', () => {
	test('a boolean, object or array where an email or ID belongs is an input error', () => {
		expect(() => checkKeyTypes(node, { email: true }, 3, {})).toThrow(/"email" is a boolean .*\[item 3\]/);
		expect(() => checkKeyTypes(node, { userId: { a: 1 } }, 0, { userId: 'externalId' })).toThrow(/"userId" is an object/);
		expect(() => checkKeyTypes(node, { id: [1] }, 0, {})).toThrow(/"id" is an array/);
		expect(() => checkKeyTypes(node, { email: 'a@x.co', id: 7 }, 0, {})).not.toThrow();
	});

	test('long values are cut to 200 characters in messages', () => {
		expect(clip('x'.repeat(5000))).toHaveLength(201);
		expect(clip('short')).toBe('short');
	});
});
