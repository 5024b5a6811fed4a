import { NodeOperationError, type ILoadOptionsFunctions, type INodePropertyOptions } from 'n8n-workflow';

import { answerShape } from '../shared/engine/answers';
import { VendorClient } from '../shared/engine/request';
import { asRecord } from '../shared/engine/values';
import { byName } from '../shared/helpers/listSearch';
import { flashdutyApi } from './api';

/**
 * Flashduty's roles, read for the editor's dropdowns (POST /role/list, docs/vendors/flashduty.md#roles).
 * API calls only.
 */

interface RoleItem {
	role_id: number;
	role_name: string;
	status?: string;
}

interface RoleList {
	items: RoleItem[];
	total?: number;
}

/** `data: {items[], total?}` with a numeric `role_id` and a `role_name` on every role. */
const ROLE_LIST = answerShape('the list of roles', (body) => {
	const data = asRecord(body);
	if (!data || !Array.isArray(data.items)) return false;
	if (data.total !== undefined && typeof data.total !== 'number') return false;
	return data.items.every((entry) => {
		const role = asRecord(entry);
		return typeof role?.role_id === 'number' && Number.isSafeInteger(role.role_id) && typeof role.role_name === 'string';
	});
});

/**
 * Every role of the account (built-in and custom) as dropdown options `{name, value: role_id}`,
 * sorted by name. /role/list answers with all roles at once (no paging); an answer whose `total`
 * says more roles exist than it holds is an error, as is any answer that is not such a list.
 */
export async function listRoles(client: VendorClient): Promise<INodePropertyOptions[]> {
	const action = 'list the roles';
	// n8n sends no body (and no JSON Content-Type, which Flashduty requires) for an empty object:
	// `asc: false` is RoleListRequest's default, so the body asks for nothing else.
	const data = await client.request<RoleList>({ method: 'POST', path: '/role/list', body: { asc: false }, idempotent: true, action, expect: ROLE_LIST });
	const seen = new Set<number>();
	const roles = data.items.filter((role) => !seen.has(role.role_id) && seen.add(role.role_id));
	if (typeof data.total === 'number' && data.total > roles.length) {
		throw new NodeOperationError(client.node, `Flashduty returned an incomplete list when trying to ${action}: ${roles.length} roles came, the answer says there are ${data.total}`, {
			description: 'The roles are not listed rather than listed with some missing. Open the list again; if it keeps happening, enter the role ID with an expression, and check the credential\'s Base URL (a proxy may be cutting Flashduty\'s answers).',
		});
	}
	return byName(
		roles.map((role) => {
			const label = role.role_name.trim() === '' ? `#${role.role_id}` : role.role_name;
			// A disabled custom role grants nothing until it is enabled again: say so in the list.
			const state = typeof role.status === 'string' && role.status !== '' && role.status !== 'enabled' ? ` (${role.status})` : '';
			return { name: `${label}${state}`, value: role.role_id };
		}),
	);
}

/** The roles for the editor's dropdowns. */
export async function roleOptions(ctx: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await listRoles(await VendorClient.create(ctx, flashdutyApi));
}
