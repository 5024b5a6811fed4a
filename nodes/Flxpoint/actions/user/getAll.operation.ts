import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { limitFields, outputFieldsField, returnAllField, showFor, simplifyField } from '../../../shared/descriptions/common';
import { text } from '../../../shared/engine/values';
import { forEachItem, shapeRecord } from '../../../shared/helpers/output';
import { withOutputFields } from '../../../shared/helpers/outputFields';
import { listParameters } from '../../../shared/helpers/parameters';
import type { Operation } from '../../../shared/helpers/router';
import { unifiedFromFlxpoint, type FlxpointUser } from '../../mapping';
import { listUsers } from '../../users';

/** Get Many's filters (Role, Email Contains, Primary Only), applied by the node; the trigger reuses them. */
export const userFilters: INodeProperties = {
	displayName: 'Filters',
	name: 'filters',
	type: 'collection',
	placeholder: 'Add filter',
	default: {},
	description: 'Flxpoint returns every user in one answer; these filters are applied by the node',
	displayOptions: showFor('user', ['getAll']),
	options: [
		{
			displayName: 'Email Contains',
			name: 'emailContains',
			type: 'string',
			default: '',
			placeholder: 'e.g. @example.com',
			description: 'Only users whose email contains this text (case-insensitive), e.g. "@example.com"',
		},
		{
			displayName: 'Primary Only',
			name: 'primaryOnly',
			type: 'boolean',
			default: true,
			description: 'Whether to return only the account\'s primary user',
		},
		{
			displayName: 'Role',
			name: 'roleHandle',
			type: 'options',
			default: 'admin',
			description: 'Only users with this role: Admin, Read Only or Support Specialist',
			options: [
				{ name: 'Admin', value: 'admin' },
				{ name: 'Read Only', value: 'read_only' },
				{ name: 'Support Specialist', value: 'support' },
			],
		},
	],
};

export const description: INodeProperties[] = [
	returnAllField('user'),
	...limitFields('user', 'users'),
	userFilters,
	simplifyField('user', ['getAll']),
	outputFieldsField('user', ['getAll']),
];

function wanted(value: unknown): string[] {
	const list = Array.isArray(value) ? value : [value];
	return list.map((v) => text(v)?.toLowerCase()).filter((v): v is string => v !== undefined);
}

/** Whether a user passes Get Many's filters (Role, Email Contains, Primary Only). */
export function passes(user: FlxpointUser, filters: IDataObject): boolean {
	const roles = wanted(filters.roleHandle);
	const emailContains = text(filters.emailContains)?.toLowerCase();
	return (
		(roles.length === 0 || roles.includes(text(user.role?.handle)?.toLowerCase() ?? '')) &&
		(!emailContains || (text(user.email)?.toLowerCase() ?? '').includes(emailContains)) &&
		(filters.primaryOnly !== true || user.isPrimary === true)
	);
}

/**
 * Get Many: GET /account/users once. The endpoint has no pagination and no filters besides
 * ids/emails (docs/vendors/flxpoint.md), so the filters and then the limit are applied here.
 */
export const execute: Operation = async function (items, client) {
	return withOutputFields(this, await forEachItem(this, items, async (i) => {
		const { limit, filters, simplify } = listParameters(this, i);
		const users = (await listUsers(client, i)).filter((user) => passes(user, filters));
		const kept = limit === undefined ? users : users.slice(0, Math.max(0, Math.floor(limit)));
		return kept.map((user) => shapeRecord(user, simplify, unifiedFromFlxpoint));
	}));
};
