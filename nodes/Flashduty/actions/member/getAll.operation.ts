import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions, INodeProperties, INodePropertyOptions, IPollFunctions } from 'n8n-workflow';

import { limitFields, outputFieldsField, returnAllField, showFor, simplifyField } from '../../../shared/descriptions/common';
import { inputError } from '../../../shared/engine/errors';
import { changingListWarning } from '../../../shared/engine/paginate';
import { text } from '../../../shared/engine/values';
import { ANY_CHOICE } from '../../../shared/helpers/listSearch';
import { forEachItem, shapeRecord } from '../../../shared/helpers/output';
import { withOutputFields } from '../../../shared/helpers/outputFields';
import { listParameters } from '../../../shared/helpers/parameters';
import type { Operation } from '../../../shared/helpers/router';
import { FLASHDUTY_REACHABLE_ITEMS, idNumber } from '../../api';
import { unifiedFromFlashduty } from '../../mapping';
import { listMembers } from '../../members';
import { roleOptions } from '../../roles';

export const description: INodeProperties[] = [
	returnAllField('member'),
	...limitFields('member', 'members'),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		displayOptions: showFor('member', ['getAll']),
		options: [
			{
				displayName: 'Query',
				name: 'query',
				type: 'string',
				default: '',
				description: 'Only members whose name or email contains this text, e.g. "ada" or "@example.com"; a phone number is matched exactly',
			},
			{
				displayName: 'Role Name or ID',
				name: 'roleId',
				type: 'options',
				default: 0,
				typeOptions: { loadOptionsMethod: 'getRoles' },
				description: 'Only members with this role (Any: no filter). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showFor('member', ['getAll']),
		options: [
			{
				displayName: 'Ascending',
				name: 'ascending',
				type: 'boolean',
				default: false,
				description: 'Whether to sort in ascending order, oldest first (Flashduty sorts newest first by default)',
			},
			{
				displayName: 'Sort By',
				name: 'orderBy',
				type: 'options',
				default: 'updated_at',
				description: 'The date members are sorted by, newest first unless Ascending is on',
				options: [
					{ name: 'Created At', value: 'created_at' },
					{ name: 'Updated At', value: 'updated_at' },
				],
			},
		],
	},
	simplifyField('member', ['getAll']),
	outputFieldsField('member', ['getAll']),
];

/** The Role filter's `methods.loadOptions` (the Flashduty node and its trigger): "Any", then the roles by name. */
export const roleLoadOptions = {
	async getRoles(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		return [ANY_CHOICE, ...(await roleOptions(this))];
	},
};

/**
 * Filters > Role: the dropdown's role ID, or an expression's (a whole number, or one as text); 0
 * or empty is no filter. Anything else fails the item rather than being ignored.
 */
export function filterRoleId(ctx: IExecuteFunctions | IPollFunctions, filters: IDataObject, itemIndex?: number): number | undefined {
	const roleId = text(filters.roleId);
	if (roleId === undefined || roleId === '0') return undefined;
	const id = idNumber(roleId);
	if (id === undefined) {
		throw inputError(ctx.getNode(), `The role ID "${roleId}" is not a whole number`, itemIndex, 'Choose the role from Filters > Role, or give a Flashduty role ID such as 6 with an expression.');
	}
	return id;
}

/** The /member/list body of Get Many (MemberListRequest: query, role_id, orderby, asc; docs/vendors/flashduty.md#endpoints-used). */
function listBody(ctx: IExecuteFunctions, filters: IDataObject, options: IDataObject, itemIndex: number): IDataObject {
	const body: IDataObject = {};
	const query = text(filters.query);
	if (query) body.query = query;
	const roleId = filterRoleId(ctx, filters, itemIndex);
	if (roleId !== undefined) body.role_id = roleId;
	const orderby = text(options.orderBy);
	if (orderby) body.orderby = orderby;
	if (typeof options.ascending === 'boolean') body.asc = options.ascending;
	return body;
}

/**
 * Get Many: POST /member/list, 100 a page, to the end or the limit. Return All without a chosen sort
 * reads oldest first (created_at ascending: new members join the end and updates move nobody), so
 * the pages hold still while the account changes; Limit keeps Flashduty's own order (most recently
 * updated first), which decides which members come. Flashduty lets no client read past 10,000
 * members of a list; when a list is longer, a warning hint says how to narrow it. A list that kept
 * changing while it was read twice gets a warning hint with how many may be missing.
 */
export const execute: Operation = async function (items, client) {
	let cutWarned = false;
	let missing = 0;
	const out = withOutputFields(this, await forEachItem(this, items, async (i) => {
		const { limit, filters, options, simplify } = listParameters(this, i);
		const body = listBody(this, filters, options, i);
		if (limit === undefined && body.orderby === undefined && body.asc === undefined) Object.assign(body, { orderby: 'created_at', asc: true });
		const { members, cut, mayBeMissing } = await listMembers(client, { body, limit, itemIndex: i, action: 'list members' });
		missing += mayBeMissing;
		if (cut && !cutWarned) {
			cutWarned = true;
			this.addExecutionHints({
				type: 'warning',
				location: 'outputPane',
				message: `Flashduty lets a client read only the first ${FLASHDUTY_REACHABLE_ITEMS.toLocaleString('en-US')} members of a list (page × limit ≤ 10,000); the rest were not returned. Narrow the list with Filters > Query or Role ID (run once per role, for example) to read everyone.`,
			});
		}
		return members.map((member) => shapeRecord(member, simplify, unifiedFromFlashduty));
	}));
	if (missing > 0) this.addExecutionHints({ type: 'warning', location: 'outputPane', message: changingListWarning('Flashduty', 'members', missing) });
	return out;
};
