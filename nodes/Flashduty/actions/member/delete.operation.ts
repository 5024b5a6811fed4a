import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { idField, showFor } from '../../../shared/descriptions/common';
import { inputError } from '../../../shared/engine/errors';
import { text } from '../../../shared/engine/values';
import { readKey } from '../../../shared/helpers/keys';
import { writeOutputs, type ItemResult } from '../../../shared/helpers/output';
import type { Operation } from '../../../shared/helpers/router';
import { idNumber } from '../../api';
import { deleteMember } from '../../members';

export const description: INodeProperties[] = [
	idField('member', ['delete'], 'Member ID, Email or External ID', 'The member to delete: its ID, its email, or its external ID (ref_id); see Match By'),
	{
		displayName: 'Match By',
		name: 'matchBy',
		type: 'options',
		default: 'auto',
		displayOptions: showFor('member', ['delete']),
		options: [
			{ name: 'Automatic', value: 'auto', description: 'An email when it contains @, else a member ID' },
			{ name: 'Email', value: 'email' },
			{ name: 'External ID (Ref ID)', value: 'refId' },
			{ name: 'Member ID', value: 'memberId' },
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showFor('member', ['delete']),
		options: [
			{
				displayName: 'Force',
				name: 'force',
				type: 'boolean',
				default: false,
				description:
					'Whether to delete the member even when schedules or escalation rules still name it (is_force). Without it, Flashduty refuses with ReferenceExist.',
			},
		],
	},
];

/** How /member/delete names the member of one item: `member_id`, `email` or `ref_id` (Match By). */
function deleteIdentifier(ctx: IExecuteFunctions, key: string, itemIndex: number): IDataObject {
	const matchBy = ctx.getNodeParameter('matchBy', itemIndex, 'auto') as string;
	const by = matchBy === 'auto' ? (key.includes('@') ? 'email' : 'memberId') : matchBy;
	if (by === 'email') return { email: key.toLowerCase() };
	// readKey lower-cases anything with an @; a ref_id is the caller's own and is sent as typed.
	if (by === 'refId') return { ref_id: text(ctx.getNodeParameter('id', itemIndex)) ?? key };
	const id = idNumber(key);
	if (id === undefined) {
		throw inputError(
			ctx.getNode(),
			/^\d+$/.test(key) ? `The member ID "${key}" is larger than the node can send exactly` : `"${key}" is not a Flashduty member ID`,
			itemIndex,
			'Member IDs are whole numbers. To delete by your own ID, set Match By to "External ID (Ref ID)"; to delete by email, give the email.',
		);
	}
	return { member_id: id };
}

/**
 * Delete: one POST /member/delete per item (Flashduty has no batch delete), one output
 * `{deleted: true, id}` per item. Without "Continue On Fail" the first failure stops the node.
 */
export const execute: Operation = async function (items, client) {
	const results = new Map<number, ItemResult>();
	for (let i = 0; i < items.length; i++) {
		try {
			const key = readKey(this, 'id', i, 'member ID, email or external ID');
			const force = this.getNodeParameter('options.force', i, false) as boolean;
			await deleteMember(client, deleteIdentifier(this, key, i), force, i, `"${key}"`);
			results.set(i, { json: { deleted: true, id: key } });
		} catch (error) {
			results.set(i, { error: error as Error });
			if (!this.continueOnFail()) break;
		}
	}
	return writeOutputs(this, items, results, 'Flashduty');
};
