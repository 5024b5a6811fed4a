import type { IDataObject, INode } from 'n8n-workflow';

import { inputError } from '../engine/errors';

import type { VendorName } from '../engine/vendor';
import { clip, text } from '../engine/values';
import { joinName, normalizeEmail, splitName } from './unified';

/** A person to write, read from an input item: unified names first, then the vendor's own. */
export interface PersonInput {
	/** The record's ID in this vendor, only when the item came from this vendor (or names the vendor's own ID field). */
	id?: string;
	externalId?: string;
	email?: string;
	name?: string;
	firstName?: string;
	lastName?: string;
	phone?: string;
	timezone?: string;
	locale?: string;
	avatarUrl?: string;
	status?: string;
}

type InputField = keyof PersonInput;

/**
 * Reads a person from an item. `aliases` maps the vendor's own field names onto unified ones
 * (e.g. Flameup `first_name` → `firstName`); unified names win when both are present.
 *
 * `id` is taken from the unified `id` only when `source` is this vendor (an ID from another vendor
 * means nothing here), or from the vendor's own ID field through an alias.
 */
export function readPersonInput(json: IDataObject, vendor: VendorName, aliases: Record<string, InputField>): PersonInput {
	const out: PersonInput = {};
	const take = (field: InputField, value: unknown) => {
		if (out[field] !== undefined) return;
		const v = field === 'email' ? normalizeEmail(value) : text(value);
		if (v !== undefined) out[field] = v;
	};
	const unified: InputField[] = ['externalId', 'email', 'name', 'firstName', 'lastName', 'phone', 'timezone', 'locale', 'avatarUrl', 'status'];
	for (const field of unified) take(field, json[field]);
	if (json.source === vendor) take('id', json.id);
	for (const [vendorField, field] of Object.entries(aliases)) take(field, json[vendorField]);

	if (!out.firstName && !out.lastName && out.name) Object.assign(out, splitName(out.name));
	if (!out.name) {
		const name = joinName(out.firstName, out.lastName);
		if (name) out.name = name;
	}
	return out;
}

/** Unified fields that name a record; a vendor adds its own names for them (aliases of id, externalId, email). */
const KEY_FIELDS = ['id', 'externalId', 'email'];

/**
 * Refuses a boolean, object or array where an item's email or ID belongs (`true` would otherwise be
 * written as the text "true"): an input error for that item. Checks the unified key fields and the
 * vendor's aliases of them.
 */
export function checkKeyTypes(node: INode, json: IDataObject, itemIndex: number, aliases: Record<string, InputField>): void {
	const fields = [...KEY_FIELDS, ...Object.entries(aliases).filter(([, field]) => KEY_FIELDS.includes(field)).map(([name]) => name)];
	for (const field of fields) {
		const value = json[field];
		if (value === undefined || value === null || typeof value === 'string' || typeof value === 'number') continue;
		const kind = Array.isArray(value) ? 'an array' : typeof value === 'boolean' ? 'a boolean' : `a${typeof value === 'object' ? 'n object' : ` ${typeof value}`}`;
		throw inputError(
			node,
			`The field "${field}" is ${kind} (${clip(value, 60)}), not text`,
			itemIndex,
			`"${field}" names the record, so it must be text or a number. Map the right value to it, e.g. with an expression such as {{ $json.${field} }} on the field that holds it.`,
		);
	}
}
