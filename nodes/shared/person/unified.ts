import type { IDataObject } from 'n8n-workflow';

import { text, withoutUndefined } from '../engine/values';
import type { VendorName } from '../engine/vendor';

/** The one person shape every node reads out and every upsert reads in (README.md, "The unified person"). */
export interface UnifiedPerson extends IDataObject {
	source: VendorName;
	id: string;
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
	createdAt?: string;
	updatedAt?: string;
}

/** The unified fields, in output order. */
export const UNIFIED_FIELDS = [
	'source', 'id', 'externalId', 'email', 'name', 'firstName', 'lastName', 'phone', 'timezone',
	'locale', 'avatarUrl', 'status', 'createdAt', 'updatedAt',
] as const;


export function normalizeEmail(value: unknown): string | undefined {
	return text(value)?.toLowerCase();
}

/** "Ada King Lovelace" → ["Ada", "King Lovelace"]: split at the first space (README.md, "The unified person"). */
export function splitName(name: string | undefined): { firstName?: string; lastName?: string } {
	if (!name) return {};
	const trimmed = name.trim().replace(/\s+/g, ' ');
	const space = trimmed.indexOf(' ');
	if (space < 0) return { firstName: trimmed };
	return { firstName: trimmed.slice(0, space), lastName: trimmed.slice(space + 1) };
}

export function joinName(firstName: string | undefined, lastName: string | undefined): string | undefined {
	const name = [firstName, lastName].filter((p) => p && p.trim() !== '').join(' ').trim();
	return name === '' ? undefined : name;
}

/** ISO 8601 from an ISO string, a Date, or Unix seconds (numbers below 1e11) / milliseconds. */
export function isoDate(value: unknown): string | undefined {
	if (value === null || value === undefined || value === '') return undefined;
	if (typeof value === 'number') {
		if (!Number.isFinite(value) || value <= 0) return undefined;
		return new Date(value < 1e11 ? value * 1000 : value).toISOString();
	}
	if (typeof value === 'string') {
		if (/^\d+$/.test(value)) return isoDate(Number(value));
		const parsed = Date.parse(value);
		return Number.isNaN(parsed) ? value : new Date(parsed).toISOString();
	}
	return undefined;
}

/** Builds a unified person: fills name/firstName/lastName from each other, drops empty fields. */
export function unifiedPerson(fields: { source: VendorName; id: unknown } & Partial<Record<Exclude<(typeof UNIFIED_FIELDS)[number], 'source' | 'id'>, unknown>>): UnifiedPerson {
	let firstName = text(fields.firstName);
	let lastName = text(fields.lastName);
	const name = text(fields.name) ?? joinName(firstName, lastName);
	if (!firstName && !lastName && name) ({ firstName, lastName } = splitName(name));
	const person: UnifiedPerson = {
		source: fields.source,
		id: text(fields.id) ?? '',
		externalId: text(fields.externalId),
		email: normalizeEmail(fields.email),
		name,
		firstName,
		lastName,
		phone: text(fields.phone),
		timezone: text(fields.timezone),
		locale: text(fields.locale),
		avatarUrl: text(fields.avatarUrl),
		status: text(fields.status),
		createdAt: isoDate(fields.createdAt),
		updatedAt: isoDate(fields.updatedAt),
	};
	return withoutUndefined(person);
}
