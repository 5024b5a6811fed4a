import type { IDataObject, INode } from 'n8n-workflow';

import { inputError } from '../shared/engine/errors';
import { checkKeyTypes, readPersonInput } from '../shared/person/input';
import { clip, text, withoutUndefined } from '../shared/engine/values';
import { unifiedPerson, type UnifiedPerson } from '../shared/person/unified';
import { mapperField } from '../shared/helpers/mapper';
import { idNumber, idString } from './api';

/** A member as /member/list returns it (MemberItem, docs/vendors/flashduty.md#endpoints-used); IDs already turned into strings. */
export interface FlashdutyMember extends IDataObject {
	account_id?: string;
	member_id: string;
	member_name?: string;
	country_code?: string;
	/** Masked by the API ("+86185****0300"). */
	phone?: string;
	email?: string;
	locale?: string;
	time_zone?: string;
	phone_verified?: boolean;
	email_verified?: boolean;
	avatar?: string;
	status?: string;
	account_role_ids?: number[];
	is_external?: boolean;
	ref_id?: string;
	/** Unix seconds. */
	created_at?: number;
	updated_at?: number;
}

/** A person as /person/infos returns it (PersonItem, docs/vendors/flashduty.md#endpoints-used); IDs already turned into strings. */
export interface FlashdutyPerson extends IDataObject {
	account_id?: string;
	person_id: string;
	person_name?: string;
	avatar?: string;
	locale?: string;
	time_zone?: string;
	email?: string;
	phone?: string;
	phone_verified?: boolean;
	email_verified?: boolean;
	/** `account` or `member`. */
	as?: string;
	status?: string;
}

/** Get and Batch Get answer with PersonItems (by ID) or MemberItems (by email): both are read. */
export type FlashdutyRecord = FlashdutyMember | FlashdutyPerson;

const ID_FIELDS = ['account_id', 'member_id', 'person_id'] as const;

/**
 * A raw record with its uint64 IDs as strings, so that IDs have one type in every output (the
 * contract: IDs are strings). n8n parses JSON with JavaScript numbers: IDs above 2^53 would
 * already have lost digits here; Flashduty's IDs (13 digits in every documented example) do not.
 */
export function withStringIds<T extends IDataObject>(raw: IDataObject): T {
	const out: IDataObject = { ...raw };
	for (const field of ID_FIELDS) {
		if (out[field] === undefined || out[field] === null) continue;
		const id = idString(out[field]);
		if (id === undefined) delete out[field];
		else out[field] = id;
	}
	return out as T;
}

function isPerson(raw: FlashdutyRecord): raw is FlashdutyPerson {
	return 'person_id' in raw && !('member_id' in raw);
}

/** A Flashduty member (member list) or person (/person/infos) as the unified person. */
export function unifiedFromFlashduty(raw: FlashdutyRecord): UnifiedPerson {
	if (isPerson(raw)) {
		return unifiedPerson({
			source: 'flashduty',
			id: idString(raw.person_id),
			email: raw.email,
			name: raw.person_name,
			phone: raw.phone,
			timezone: raw.time_zone,
			locale: raw.locale,
			avatarUrl: raw.avatar,
			status: raw.status,
		});
	}
	return unifiedPerson({
		source: 'flashduty',
		id: idString(raw.member_id),
		externalId: raw.ref_id,
		email: raw.email,
		name: raw.member_name,
		phone: raw.phone,
		timezone: raw.time_zone,
		locale: raw.locale,
		avatarUrl: raw.avatar,
		status: raw.status,
		createdAt: raw.created_at,
		updatedAt: raw.updated_at,
	});
}

/** One input item of Batch Upsert, read and checked. */
export interface MemberInput {
	/** The Flashduty member ID, when the item names one (from a Flashduty read, or `member_id`). */
	id?: string;
	externalId?: string;
	email?: string;
	name?: string;
	phone?: string;
	countryCode?: string;
	timezone?: string;
	locale?: string;
	avatarUrl?: string;
	roleIds?: number[];
}

/** Flashduty's own field names accepted on input, besides the unified ones. */
const FLASHDUTY_ALIASES = {
	member_id: 'id',
	person_id: 'id',
	member_name: 'name',
	person_name: 'name',
	ref_id: 'externalId',
	time_zone: 'timezone',
	avatar: 'avatarUrl',
} as const;

/** Member names must be 2–39 characters (InviteMemberItem / MemberResetInfoRequest.member_name; docs/vendors/flashduty.md#endpoints-used). */
export const NAME_MIN = 2;
export const NAME_MAX = 39;

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/**
 * Flashduty knows two locales, `zh-CN` and `en-US` (the enum of InviteMemberItem.locale; docs/vendors/flashduty.md#quirks). Other
 * English or Chinese tags are mapped onto them; any other language is not sent (Flashduty would
 * refuse the whole request), so the member keeps Flashduty's default.
 */
export function flashdutyLocale(locale: string | undefined): string | undefined {
	const tag = locale?.toLowerCase().replace('_', '-');
	if (!tag) return undefined;
	if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
	if (tag === 'en' || tag.startsWith('en-')) return 'en-US';
	return undefined;
}

function roleIds(node: INode, value: unknown, itemIndex: number): number[] | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const list: unknown[] = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value];
	return list.map((entry) => {
		const id = idNumber(text(entry) ?? '');
		if (id === undefined) {
			throw inputError(node, `The role ID "${clip(entry)}" is not a whole number`, itemIndex, 'Give "roleIds" as an array of Flashduty role IDs, e.g. [2, 6], or a comma-separated list.');
		}
		return id;
	});
}

/** Reads one Batch Upsert item: unified fields first, then Flashduty's own names. */
export function toMemberInput(node: INode, json: IDataObject, itemIndex: number): MemberInput {
	checkKeyTypes(node, json, itemIndex, FLASHDUTY_ALIASES);
	const person = readPersonInput(json, 'flashduty', FLASHDUTY_ALIASES);
	const input: MemberInput = withoutUndefined({
		id: person.id,
		externalId: person.externalId,
		email: person.email,
		name: person.name,
		phone: person.phone,
		countryCode: text(json.countryCode) ?? text(json.country_code),
		timezone: person.timezone,
		locale: flashdutyLocale(person.locale),
		avatarUrl: person.avatarUrl,
		roleIds: roleIds(node, json.roleIds ?? json.role_ids ?? json.account_role_ids, itemIndex),
	});

	if (input.id !== undefined && idNumber(input.id) === undefined) {
		throw inputError(
			node,
			`The member ID "${clip(input.id)}" is not a Flashduty ID this node can send`,
			itemIndex,
			`Flashduty IDs are whole numbers, sent as JSON numbers; the node can send them exactly up to ${Number.MAX_SAFE_INTEGER}. Remove the "id"/"member_id" field to match the member by externalId or email instead.`,
		);
	}
	if (!input.id && !input.externalId && !input.email && !input.phone) {
		throw inputError(
			node,
			'This item has no member ID, externalId, email or phone',
			itemIndex,
			'Flashduty members are matched by externalId (ref_id), else email, and invited by email or phone. Give the item at least an "email" field.',
		);
	}
	if (input.email !== undefined && !EMAIL.test(input.email)) {
		throw inputError(node, `"${clip(input.email)}" is not an email address`, itemIndex, 'Give a valid address such as ada@example.com, or leave "email" empty.');
	}
	if (input.name !== undefined) {
		const length = [...input.name].length;
		if (length < NAME_MIN || length > NAME_MAX) {
			throw inputError(
				node,
				`The member name "${clip(input.name)}" has ${length} characters; Flashduty needs ${NAME_MIN} to ${NAME_MAX}`,
				itemIndex,
				`Shorten or lengthen "name" (or "member_name") to ${NAME_MIN}–${NAME_MAX} characters, e.g. with an expression such as {{ $json.name.slice(0, ${NAME_MAX}) }}.`,
			);
		}
	}
	return input;
}

/**
 * What Map Each Field Manually offers (ids are the names `toMemberInput` reads). A member needs an
 * External ID, Email or Phone (any one, so none is marked required); Role IDs are a
 * comma-separated list.
 */
export const FLASHDUTY_MAPPER_FIELDS = [
	mapperField('externalId', 'External ID'),
	mapperField('email', 'Email'),
	mapperField('name', 'Name'),
	mapperField('phone', 'Phone'),
	mapperField('countryCode', 'Country Code'),
	mapperField('timezone', 'Timezone'),
	mapperField('locale', 'Locale', 'options', {
		options: [
			{ name: 'English', value: 'en-US' },
			{ name: 'Chinese (Simplified)', value: 'zh-CN' },
		],
	}),
	mapperField('avatarUrl', 'Avatar URL'),
	mapperField('roleIds', 'Role IDs'),
	mapperField('member_id', 'Member ID'),
];

/** The entry of /member/invite `members[]` (InviteMemberItem, docs/vendors/flashduty.md#endpoints-used) for a new member. */
export function invitePayload(input: MemberInput): IDataObject {
	return withoutUndefined<IDataObject>({
		member_name: input.name,
		email: input.email,
		phone: input.phone,
		country_code: input.countryCode,
		role_ids: input.roleIds,
		locale: input.locale,
		time_zone: input.timezone,
		ref_id: input.externalId,
	});
}

/** Whether a phone given in full is the one behind Flashduty's masked phone ("+86185****0300"). */
export function samePhone(stored: string | undefined, given: string): boolean {
	if (!stored) return false;
	const clean = (v: string) => v.replace(/[\s\-().]/g, '');
	const a = clean(stored);
	const b = clean(given);
	if (!a.includes('*')) return a === b || a.replace(/^\+/, '') === b.replace(/^\+/, '');
	const pattern = new RegExp(
		`^\\+?${a
			.replace(/^\+/, '')
			.split(/\*+/)
			.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
			.join('.+')}$`,
	);
	return pattern.test(b);
}

/**
 * The `updates{}` of /member/info/reset for an existing member: only the fields the item gives
 * that differ from what Flashduty has. An unchanged email or phone is never sent (changing one
 * makes Flashduty ask for re-verification).
 */
export function memberUpdates(member: FlashdutyMember, input: MemberInput): IDataObject {
	const updates: IDataObject = {};
	if (input.name !== undefined && input.name !== member.member_name) updates.member_name = input.name;
	if (input.email !== undefined && input.email !== member.email?.toLowerCase()) updates.email = input.email;
	if (input.phone !== undefined && !samePhone(member.phone, input.phone)) updates.phone = input.phone;
	if (input.countryCode !== undefined && input.countryCode !== member.country_code) updates.country_code = input.countryCode;
	if (input.timezone !== undefined && input.timezone !== member.time_zone) updates.time_zone = input.timezone;
	if (input.locale !== undefined && input.locale !== member.locale) updates.locale = input.locale;
	if (input.avatarUrl !== undefined && input.avatarUrl !== member.avatar) updates.avatar = input.avatarUrl;
	if (input.externalId !== undefined && input.externalId !== member.ref_id) updates.ref_id = input.externalId;
	return updates;
}

/** Whether the item's role IDs differ from the member's (as sets). */
export function rolesChanged(member: FlashdutyMember, roles: number[] | undefined): roles is number[] {
	if (!roles) return false;
	const current = [...new Set(member.account_role_ids ?? [])].sort((a, b) => a - b);
	const wanted = [...new Set(roles)].sort((a, b) => a - b);
	return current.length !== wanted.length || current.some((id, i) => id !== wanted[i]);
}

/**
 * The key an item is matched by, for the fingerprints of Compare With = Last Run: its member ID,
 * else externalId (ref_id), else email, else phone (the order Batch Upsert matches and invites in).
 */
export function memberKey(input: MemberInput): string {
	if (input.id) return `id:${input.id}`;
	if (input.externalId) return `ref:${input.externalId}`;
	if (input.email) return `email:${input.email}`;
	return `phone:${input.phone ?? ''}`;
}

/** What an item asks Flashduty to store, field by field, in unified names (role IDs as a sorted set). */
export function memberFields(input: MemberInput): IDataObject {
	return withoutUndefined<IDataObject>({
		name: input.name,
		email: input.email,
		phone: input.phone,
		countryCode: input.countryCode,
		timezone: input.timezone,
		locale: input.locale,
		avatarUrl: input.avatarUrl,
		externalId: input.externalId,
		roleIds: input.roleIds ? [...new Set(input.roleIds)].sort((a, b) => a - b) : undefined,
	});
}

/** Flashduty's member fields (MemberItem and `updates{}`) in unified names, for `changes`. */
export const MEMBER_FIELD_NAMES: Record<string, string> = {
	member_name: 'name',
	email: 'email',
	phone: 'phone',
	country_code: 'countryCode',
	time_zone: 'timezone',
	locale: 'locale',
	avatar: 'avatarUrl',
	ref_id: 'externalId',
	account_role_ids: 'roleIds',
};

/**
 * The member a write would leave: `current` with `updates{}` and the roles applied, or, for a new
 * member, what the invite sends (no ID yet). For outputs of writes not sent (dry run, skipped,
 * unchanged) and of writes whose answer holds only the ID.
 */
export function memberAfter(input: MemberInput, current?: FlashdutyMember, updates: IDataObject = {}, roles?: number[]): FlashdutyMember {
	if (current) return { ...current, ...updates, ...(roles ? { account_role_ids: roles } : {}) };
	const member: FlashdutyMember = { member_id: '' };
	const entry = invitePayload(input);
	for (const field of ['member_name', 'email', 'phone', 'country_code', 'locale', 'time_zone', 'ref_id'] as const) {
		if (entry[field] !== undefined) member[field] = entry[field] as string;
	}
	if (input.roleIds) member.account_role_ids = input.roleIds;
	return member;
}

/**
 * How a request names a member: `member_id` (first in Flashduty's order of identifiers) when it is
 * exact in JavaScript, else the email or ref_id; undefined when none can.
 */
export function memberIdentifier(member: FlashdutyMember): IDataObject | undefined {
	const id = idNumber(member.member_id);
	if (id !== undefined) return { member_id: id };
	if (member.email) return { email: member.email };
	if (member.ref_id) return { ref_id: member.ref_id };
	return undefined;
}
