import type { IDataObject, INode } from 'n8n-workflow';

import { inputError } from '../shared/engine/errors';
import { text } from '../shared/engine/values';
import { mapperField } from '../shared/helpers/mapper';
import { checkKeyTypes, readPersonInput } from '../shared/person/input';
import { unifiedPerson, type UnifiedPerson } from '../shared/person/unified';

/** A user as PERSCOM returns it (UserResource: id + User + label + dates; docs/vendors/perscom.md#endpoints-used). */
export interface PerscomUser extends IDataObject {
	id: number;
	name?: string;
	email?: string;
	email_verified_at?: string | null;
	phone_number?: string | null;
	position_id?: number | null;
	rank_id?: number | null;
	specialty_id?: number | null;
	status_id?: number | null;
	unit_id?: number | null;
	approved?: boolean;
	online?: boolean;
	notes?: string | null;
	notes_updated_at?: string | null;
	profile_photo_url?: string | null;
	cover_photo_url?: string | null;
	discord_user_id?: string | null;
	timezone?: string | null;
	last_seen_at?: string | null;
	label?: string;
	created_at?: string;
	updated_at?: string;
}

/**
 * The writable fields of the spec's User schema that this node sends. `timezone`,
 * `profile_photo_url`, `online`... are readOnly in the spec and never sent; `profile_photo` /
 * `cover_photo` are binary uploads, not JSON (docs/vendors/perscom.md#endpoints-used).
 */
export interface PerscomUserPayload extends IDataObject {
	name?: string;
	email: string;
	email_verified_at?: string;
	phone_number?: string;
	position_id?: number;
	rank_id?: number;
	specialty_id?: number;
	status_id?: number;
	unit_id?: number;
	approved?: boolean;
	notes?: string;
	notes_updated_at?: string;
	last_seen_at?: string;
}

/**
 * The unified `status`: PERSCOM's own `status` is a relation (status_id → a roster status such
 * as "Active Duty") that differs per PERSCOM, so the unified status is derived from the one
 * account state every PERSCOM has: `approved` → "approved", otherwise "pending".
 */
export function unifiedStatus(raw: PerscomUser): string | undefined {
	if (raw.approved === undefined || raw.approved === null) return undefined;
	return raw.approved ? 'approved' : 'pending';
}

/** A PERSCOM user as the unified person. */
export function unifiedFromPerscom(raw: PerscomUser): UnifiedPerson {
	return unifiedPerson({
		source: 'perscom',
		id: raw.id,
		email: raw.email,
		name: raw.name,
		phone: raw.phone_number,
		timezone: raw.timezone,
		avatarUrl: raw.profile_photo_url,
		status: unifiedStatus(raw),
		createdAt: raw.created_at,
		updatedAt: raw.updated_at,
	});
}

/** PERSCOM's own field names accepted on input, besides the unified ones. */
const PERSCOM_ALIASES = {
	phone_number: 'phone',
	profile_photo_url: 'avatarUrl',
} as const;

const INTEGER_FIELDS = ['position_id', 'rank_id', 'specialty_id', 'status_id', 'unit_id'] as const;
const TEXT_FIELDS = ['notes'] as const;
const DATE_FIELDS = ['email_verified_at', 'notes_updated_at', 'last_seen_at'] as const;

/** A PERSCOM integer ID from a number or a numeric string; undefined when empty. */
export function integerId(value: unknown): number | undefined | 'invalid' {
	if (value === undefined || value === null || value === '') return undefined;
	const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
	return Number.isSafeInteger(number) && number > 0 ? number : 'invalid';
}

function booleanField(value: unknown): boolean | undefined | 'invalid' {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'boolean') return value;
	if (value === 1 || value === 0) return value === 1;
	if (typeof value === 'string' && /^(true|false|1|0)$/i.test(value.trim())) return /^(true|1)$/i.test(value.trim());
	return 'invalid';
}

/**
 * An input item → one user for POST/PATCH /users/batch. Accepts the unified fields (email, name or
 * firstName/lastName, phone, status) and PERSCOM's own (name, email, phone_number, approved,
 * rank_id, unit_id, position_id, specialty_id, status_id, notes, email_verified_at...). Users are
 * matched by email, so email is required.
 */
export function toPerscomPayload(node: INode, json: IDataObject, itemIndex: number): PerscomUserPayload {
	checkKeyTypes(node, json, itemIndex, PERSCOM_ALIASES);
	const person = readPersonInput(json, 'perscom', PERSCOM_ALIASES);
	if (!person.email) {
		throw inputError(
			node,
			'This item has no email',
			itemIndex,
			'PERSCOM users are matched by email, and new users need one. Give the item an "email" field.',
		);
	}
	const payload: PerscomUserPayload = { email: person.email };
	if (person.name) payload.name = person.name;
	if (person.phone) payload.phone_number = person.phone;

	for (const field of INTEGER_FIELDS) {
		const id = integerId(json[field]);
		if (id === 'invalid') {
			throw inputError(node, `The field "${field}" is not a PERSCOM ID`, itemIndex, `Set "${field}" to a whole number (the ID of the record in PERSCOM), or leave it out.`);
		}
		if (id !== undefined) payload[field] = id;
	}

	const approved = booleanField(json.approved);
	if (approved === 'invalid') {
		throw inputError(node, 'The field "approved" is not true or false', itemIndex, 'Set "approved" to true or false, or leave it out.');
	}
	if (approved !== undefined) payload.approved = approved;
	// The unified status written by this node's reads ("approved" / "pending"); statuses of other
	// vendors ("active", "enabled"...) mean something else and are not mapped.
	else if (person.status === 'approved' || person.status === 'pending') payload.approved = person.status === 'approved';

	for (const field of [...TEXT_FIELDS, ...DATE_FIELDS]) {
		const value = text(json[field]);
		if (value !== undefined) payload[field] = value;
	}
	return payload;
}

/**
 * What Map Each Field Manually offers (ids are the names `toPerscomPayload` reads). Rank, unit,
 * position, specialty and roster status are IDs; the editor's mapper turns them into dropdowns of
 * PERSCOM's records when it can read them (`perscomMapperFields`).
 */
export const PERSCOM_MAPPER_FIELDS = [
	mapperField('email', 'Email', 'string', { required: true }),
	mapperField('name', 'Name'),
	mapperField('firstName', 'First Name'),
	mapperField('lastName', 'Last Name'),
	mapperField('phone', 'Phone'),
	mapperField('approved', 'Approved', 'boolean'),
	mapperField('rank_id', 'Rank ID', 'number'),
	mapperField('unit_id', 'Unit ID', 'number'),
	mapperField('position_id', 'Position ID', 'number'),
	mapperField('specialty_id', 'Specialty ID', 'number'),
	mapperField('status_id', 'Status ID', 'number'),
	mapperField('notes', 'Notes'),
	mapperField('notes_updated_at', 'Notes Updated At'),
	mapperField('email_verified_at', 'Email Verified At'),
	mapperField('last_seen_at', 'Last Seen At'),
];

/** PERSCOM wraps single records as `{data: {...}}` and lists as `{data: [...]}`. */
export function unwrapData<T>(body: unknown): T | undefined {
	if (body !== null && typeof body === 'object' && 'data' in body) return (body as { data: T }).data;
	return undefined;
}

/** Unified names of PERSCOM's fields, for `changes` and last-run fingerprints (the others keep PERSCOM's names). */
export const PERSCOM_UNIFIED_NAMES: Record<string, string> = { phone_number: 'phone' };

/**
 * A date as PERSCOM returns it, for comparison: ISO 8601 in UTC. PERSCOM reads a date without a
 * zone in UTC (docs/vendors/perscom.md#quirks, "Date filter format"), and answers with microseconds.
 */
function storedDate(value: IDataObject[string]): IDataObject[string] {
	if (typeof value !== 'string') return value;
	const zoneless = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(value.trim());
	const iso = zoneless && value.trim().length > 10 ? `${value.trim().replace(' ', 'T')}Z` : value.trim();
	const parsed = Date.parse(iso);
	return Number.isNaN(parsed) ? value : new Date(parsed).toISOString();
}

/** The fields in the form PERSCOM stores them: the email lower-cased (matched case-insensitively), dates in UTC. */
function storedForm(fields: IDataObject): IDataObject {
	const out: IDataObject = { ...fields };
	if (typeof out.email === 'string') out.email = out.email.toLowerCase();
	for (const field of DATE_FIELDS) if (field in out) out[field] = storedDate(out[field]);
	return out;
}

/** What a batch entry asks PERSCOM to store, field by field (PERSCOM's names, stored form): only the fields it sends. */
export function perscomFields(payload: PerscomUserPayload): IDataObject {
	return storedForm(payload);
}

/** What PERSCOM stores for a user, in the names and form of `perscomFields`. */
export function storedPerscomFields(user: PerscomUser): IDataObject {
	const fields: IDataObject = { name: user.name, email: user.email, phone_number: user.phone_number, approved: user.approved };
	for (const field of [...INTEGER_FIELDS, ...TEXT_FIELDS, ...DATE_FIELDS]) fields[field] = user[field];
	return storedForm(fields);
}

/** The user a batch entry would make (over `current`), for outputs of writes not sent: a dry run, a skipped item. */
export function userFromPayload(payload: PerscomUserPayload, current?: PerscomUser): PerscomUser {
	if (!current) return { ...payload } as PerscomUser; // no ID yet
	const changes: IDataObject = { ...payload };
	delete changes.email; // never changed by the node (it matched the user)
	return { ...current, ...changes };
}
