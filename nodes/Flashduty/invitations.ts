import type { INode } from 'n8n-workflow';

import { errorContext, inputError } from '../shared/engine/errors';
import { clip } from '../shared/engine/values';
import type { FlashdutyMember, MemberInput } from './mapping';
import { NAME_MAX, NAME_MIN } from './mapping';

/** Invitations Flashduty allows per account and day (docs/vendors/flashduty.md#limits). */
export const DAILY_INVITES = 200;

/**
 * When Flashduty's day starts again: its days are assumed to be China's (UTC+8, where Flashcat
 * runs; the reset time is not documented: docs/vendors/flashduty.md#limits), so the next 16:00 UTC.
 */
export function nextInviteDay(now: number): Date {
	const day = 86_400_000;
	const shift = 8 * 3_600_000;
	return new Date(Math.floor((now + shift) / day) * day + day - shift);
}

/** The per-item error of an invitation past the daily cap: says when to run it again. */
export function dailyCapError(node: INode, itemIndex: number, now: number, refusal?: string): Error {
	const when = nextInviteDay(now).toISOString();
	return inputError(
		node,
		`Flashduty allows ${DAILY_INVITES} invitations a day and this one is past today's; the member was not invited`,
		itemIndex,
		`Run this item again after ${when} (midnight in China, where Flashduty counts its days; at most 24 hours from now).${refusal ? ` Flashduty said: ${clip(refusal)}` : ''}`,
	);
}

/**
 * Whether a failed invite is Flashduty's refusal for the daily invitation cap. Its answer is not
 * documented; the simulator answers 400 `BadRequest` naming the daily limit, and any refusal whose
 * message names a daily invitation limit is read so (docs/vendors/flashduty.md#limits).
 */
export function isDailyCapRefusal(error: unknown): boolean {
	const { status } = errorContext(error);
	const message = error instanceof Error ? error.message : '';
	return (status === 400 || status === 429) && /invit|邀请/i.test(message) && /daily|per day|a day|today|上限|每天|每日|今日/i.test(message);
}

/**
 * Names for new members that have none: Flashduty's own default, the email's local part (docs:
 * `member_name` "defaults to the email prefix"), made unique within the run and against the
 * members read (names are unique per account), within 2–39 characters. Invites are matched to
 * Flashduty's answer by name, so every invite carries one.
 */
export function defaultNames(invites: MemberInput[], members: Iterable<FlashdutyMember>, named: Iterable<string>): Map<MemberInput, string> {
	const taken = new Set<string>();
	for (const member of members) if (member.member_name) taken.add(member.member_name.toLowerCase());
	for (const name of named) taken.add(name.toLowerCase());
	const names = new Map<MemberInput, string>();
	for (const input of invites) {
		if (input.name || !input.email) continue;
		const local = input.email.split('@')[0];
		const base = [...(local.length >= NAME_MIN ? local : input.email)].slice(0, NAME_MAX).join('');
		let name = base;
		for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${[...base].slice(0, NAME_MAX - String(n).length - 1).join('')}-${n}`;
		taken.add(name.toLowerCase());
		names.set(input, name);
	}
	return names;
}

/**
 * The answer's member for one invited item, by name (names are unique per account), never by
 * position; undefined when the answer does not list it.
 */
export function invitedMember(created: FlashdutyMember[], name: string): FlashdutyMember | undefined {
	return created.find((m) => m.member_name === name && !!m.member_id);
}
