import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { idField, showFor } from '../../../shared/descriptions/common';
import { inputError } from '../../../shared/engine/errors';
import { readKey } from '../../../shared/operations/keys';
import { forEachItem } from '../../../shared/operations/output';
import type { Operation } from '../../../shared/operations/router';
import { text } from '../../../shared/person/unified';
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

export const execute: Operation = async function (items, client) {
	return await forEachItem(this, items, async (i) => {
		const key = readKey(this, 'id', i, 'member ID, email or external ID');
		const matchBy = this.getNodeParameter('matchBy', i, 'auto') as string;
		const force = this.getNodeParameter('options.force', i, false) as boolean;
		const by = matchBy === 'auto' ? (key.includes('@') ? 'email' : 'memberId') : matchBy;
		let identifier: IDataObject;
		if (by === 'email') identifier = { email: key.toLowerCase() };
		// readKey lower-cases anything with an @; a ref_id is the caller's own and is sent as typed.
		else if (by === 'refId') identifier = { ref_id: text(this.getNodeParameter('id', i)) ?? key };
		else {
			const id = idNumber(key);
			if (id === undefined) {
				throw inputError(
					this.getNode(),
					/^\d+$/.test(key) ? `The member ID "${key}" is larger than the node can send exactly` : `"${key}" is not a Flashduty member ID`,
					i,
					'Member IDs are whole numbers. To delete by your own ID, set Match By to "External ID (Ref ID)"; to delete by email, give the email.',
				);
			}
			identifier = { member_id: id };
		}
		await deleteMember(client, identifier, force, i, `"${key}"`);
		return { deleted: true, id: key };
	});
};
