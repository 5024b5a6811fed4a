import type { IDataObject } from 'n8n-workflow';

import type { VendorName } from '../engine/vendor';
import { text } from '../engine/values';
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
