import type { INodeProperties } from 'n8n-workflow';

import { idField, simplifyField } from '../../../shared/descriptions/common';
import { runGet } from '../../../shared/operations/read';
import type { Operation } from '../../../shared/operations/router';
import { flashdutyCodec } from '../../mapping';
import { readMembers } from '../../members';
import { memberKeyCheck } from './keys';

export const description: INodeProperties[] = [
	idField(
		'member',
		['get'],
		'Member ID or Email',
		'The member\'s ID (person ID) or email address. IDs are read with /person/infos (profile fields), emails with the member list (all member fields).',
	),
	simplifyField('member', ['get']),
];

export const execute: Operation = async function (items, client) {
	return await runGet(this, items, { client, codec: flashdutyCodec, read: readMembers, noun: 'member', checkKey: memberKeyCheck(this) });
};
