import type { IDataObject } from 'n8n-workflow';

import { inputError } from '../shared/engine/errors';
import { checkKeyTypes, readPersonInput, type PersonInput } from '../shared/person/input';
import { clip, text, withoutUndefined } from '../shared/engine/values';
import { unifiedPerson, type UnifiedPerson } from '../shared/person/unified';
import { mapperField } from '../shared/helpers/mapper';
import type { INode } from 'n8n-workflow';

/** A person as Flameup returns it. */
export interface FlameupPerson extends IDataObject {
	id: string;
	workspace_id?: string;
	external_id?: string;
	email?: string;
	phone?: string;
	first_name?: string;
	last_name?: string;
	avatar_url?: string;
	timezone?: string;
	locale?: string;
	status?: string;
	attributes?: IDataObject;
	created_at?: string;
	updated_at?: string;
}

/** A person as Flameup's create and batch endpoints take it. */
export interface FlameupPersonPayload extends IDataObject {
	userId: string;
	email?: string;
	phone?: string;
	traits: IDataObject;
}

const STANDARD_FIELDS = ['first_name', 'last_name', 'phone', 'avatar_url', 'timezone', 'locale'] as const;

/**
 * A person in the endpoint pages' shape (`external_id`, `first_name`..., `attributes`), also when
 * Flameup answers in the overview's shape (`userId`, `traits{}`; docs/vendors/flameup.md#person-shapes):
 * the overview's fields fill what the endpoint shape leaves out. Standard traits become fields, the
 * other traits attributes.
 */
export function flameupPerson(raw: IDataObject): FlameupPerson {
	const person = { ...raw } as FlameupPerson;
	const traits = objectField(raw.traits);
	person.external_id ??= text(raw.userId) ?? text(raw.user_id);
	for (const field of STANDARD_FIELDS) if (person[field] === undefined && text(traits[field]) !== undefined) person[field] = text(traits[field]);
	if (person.email === undefined && text(traits.email) !== undefined) person.email = text(traits.email);
	const custom = Object.fromEntries(Object.entries(traits).filter(([key]) => !(STANDARD_FIELDS as readonly string[]).includes(key) && key !== 'email'));
	if (Object.keys(custom).length > 0) person.attributes = { ...custom, ...objectField(raw.attributes) };
	return withoutUndefined(person);
}

/** A Flameup person (either documented shape) as the unified person. */
export function unifiedFromFlameup(input: FlameupPerson): UnifiedPerson {
	const raw = flameupPerson(input);
	return unifiedPerson({
		source: 'flameup',
		id: raw.id,
		externalId: raw.external_id,
		email: raw.email,
		firstName: raw.first_name,
		lastName: raw.last_name,
		phone: raw.phone,
		timezone: raw.timezone,
		locale: raw.locale,
		avatarUrl: raw.avatar_url,
		status: raw.status,
		createdAt: raw.created_at,
		updatedAt: raw.updated_at,
	});
}

/** Flameup's own field names accepted on input, besides the unified ones. */
const FLAMEUP_ALIASES = {
	userId: 'externalId',
	external_id: 'externalId',
	first_name: 'firstName',
	last_name: 'lastName',
	avatar_url: 'avatarUrl',
} as const;

function objectField(value: unknown): IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {};
}

/** The standard traits Flameup documents, from a person input. */
export function standardTraits(person: PersonInput): IDataObject {
	return withoutUndefined<IDataObject>({
		first_name: person.firstName,
		last_name: person.lastName,
		phone: person.phone,
		avatar_url: person.avatarUrl,
		timezone: person.timezone,
		locale: person.locale,
	});
}

/** The prefix of a custom trait's field in the mapper: `trait:plan` is the trait `plan` (no dot: n8n reads dots in parameter paths). */
export const TRAIT_PREFIX = 'trait:';

/** The custom traits a mapped item sets one by one (`trait:<name>` fields), as a traits object. */
export function traitsFromFields(json: IDataObject): IDataObject {
	return Object.fromEntries(
		Object.entries(json)
			.filter(([key]) => key.startsWith(TRAIT_PREFIX) && key.length > TRAIT_PREFIX.length)
			.map(([key, value]) => [key.slice(TRAIT_PREFIX.length), value]),
	);
}

/**
 * An input item → one entry of POST /people/batch. Custom traits come from `traits` (or a raw
 * record's `attributes`); Flameup matches the person by `userId` (external ID), else email, so an
 * item without an external ID uses its email as `userId`.
 */
export function toFlameupPayload(node: INode, json: IDataObject, itemIndex: number): FlameupPersonPayload {
	checkKeyTypes(node, json, itemIndex, FLAMEUP_ALIASES);
	const person = readPersonInput(json, 'flameup', FLAMEUP_ALIASES);
	const userId = person.externalId ?? person.email;
	if (!userId) {
		throw inputError(
			node,
			'This item has neither an externalId nor an email',
			itemIndex,
			'Flameup matches people by external ID (userId) or email. Give the item an "externalId" or "email" field (or Flameup\'s own "userId").',
		);
	}
	if (userId.length > 255) {
		throw inputError(node, `The external ID "${clip(userId, 60)}" is longer than 255 characters`, itemIndex, 'Flameup accepts user IDs of at most 255 characters.');
	}
	const payload: FlameupPersonPayload = {
		userId,
		traits: { ...objectField(json.attributes), ...objectField(json.traits), ...traitsFromFields(json), ...standardTraits(person) },
	};
	if (person.email) payload.email = person.email;
	return payload;
}

/**
 * What Map Each Field Manually offers (ids are the names `toFlameupPayload` reads). A person needs
 * an External ID or an Email (either one, so neither is marked required); other traits go in
 * Custom Traits as a JSON object.
 */
export const FLAMEUP_MAPPER_FIELDS = [
	mapperField('externalId', 'External ID'),
	mapperField('email', 'Email'),
	mapperField('firstName', 'First Name'),
	mapperField('lastName', 'Last Name'),
	mapperField('phone', 'Phone'),
	mapperField('timezone', 'Timezone'),
	mapperField('locale', 'Locale'),
	mapperField('avatarUrl', 'Avatar URL'),
	mapperField('traits', 'Custom Traits (JSON)', 'object'),
];

/** Flameup answers a single write with the person, or with it wrapped as `{person}` / `{data}`; either person shape. */
export function personFromBody(body: unknown): FlameupPerson {
	const record = objectField(body);
	const inner = objectField(record.person ?? record.data);
	return flameupPerson(Object.keys(inner).length > 0 ? inner : record);
}

/** Whether an answer to a single write holds a person with an ID (in either shape or wrapping). */
export function isPersonAnswer(body: unknown): boolean {
	const person = personFromBody(body);
	return text(person.id) !== undefined || text(person.external_id) !== undefined;
}

/** Unified names of the standard traits, for `changes`. */
const TRAIT_NAMES: Record<(typeof STANDARD_FIELDS)[number], string> = {
	first_name: 'firstName',
	last_name: 'lastName',
	phone: 'phone',
	avatar_url: 'avatarUrl',
	timezone: 'timezone',
	locale: 'locale',
};

/**
 * What a batch entry asks Flameup to store, field by field (unified names, custom traits as
 * `traits.<name>`): only what it sends, since Flameup merges traits into the stored ones.
 */
export function flameupFields(payload: FlameupPersonPayload): IDataObject {
	const fields: IDataObject = {};
	if (payload.email) fields.email = payload.email.toLowerCase();
	for (const [trait, value] of Object.entries(payload.traits)) {
		if (value === undefined) continue;
		const name = TRAIT_NAMES[trait as keyof typeof TRAIT_NAMES];
		fields[name ?? `traits.${trait}`] = value;
	}
	return fields;
}

/** What Flameup stores for a person, in the names of `flameupFields` (email lower-cased as Flameup compares it). */
export function storedFlameupFields(input: FlameupPerson): IDataObject {
	const person = flameupPerson(input);
	const fields: IDataObject = { email: person.email?.toLowerCase() };
	for (const trait of STANDARD_FIELDS) fields[TRAIT_NAMES[trait]] = person[trait];
	for (const [trait, value] of Object.entries(person.attributes ?? {})) fields[`traits.${trait}`] = value;
	return fields;
}

/** The person a batch entry would make (over `current`, traits merged), for outputs of writes not sent: dry run, skipped, unchanged. */
export function personFromPayload(payload: FlameupPersonPayload, current?: FlameupPerson): FlameupPerson {
	const person: FlameupPerson = current ? { ...flameupPerson(current) } : { id: '' };
	if (!current && payload.userId !== payload.email) person.external_id = payload.userId;
	if (payload.email) person.email = payload.email;
	const attributes: IDataObject = { ...(person.attributes ?? {}) };
	for (const [trait, value] of Object.entries(payload.traits)) {
		if ((STANDARD_FIELDS as readonly string[]).includes(trait)) person[trait] = value;
		else attributes[trait] = value;
	}
	if (Object.keys(attributes).length > 0) person.attributes = attributes;
	return person;
}
