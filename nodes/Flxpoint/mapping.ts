import type { IDataObject } from 'n8n-workflow';

import { unifiedPerson, type UnifiedPerson } from '../shared/person/unified';

export type FlxpointRoleHandle = 'admin' | 'support' | 'read_only';

/** A user's role: Admin / Support Specialist / Read Only (handles admin / support / read_only). */
export interface FlxpointRole extends IDataObject {
	id: number;
	name: string;
	handle: string;
}

/** A user as GET /account/users returns it (docs/vendors/flxpoint.md#endpoints-used). */
export interface FlxpointUser extends IDataObject {
	id: number;
	firstName: string;
	lastName: string;
	email: string;
	isPrimary?: boolean;
	insertedAt?: string;
	updatedAt?: string;
	lastLoginAt?: string;
	notificationsLastCheckedAt?: string;
	lastSessionAt?: string;
	minutesOfActivity?: number;
	role?: FlxpointRole;
}

/**
 * Raw → unified. Flxpoint documents no status, phone, timezone, locale or avatar, so those stay
 * absent; role, isPrimary and the activity fields stay in the raw record (Simplify off).
 */
export function unifiedFromFlxpoint(raw: FlxpointUser): UnifiedPerson {
	return unifiedPerson({
		source: 'flxpoint',
		id: raw.id,
		email: raw.email,
		firstName: raw.firstName,
		lastName: raw.lastName,
		createdAt: raw.insertedAt,
		updatedAt: raw.updatedAt,
	});
}
