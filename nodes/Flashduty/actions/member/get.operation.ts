import type { INodeProperties } from 'n8n-workflow';

import { idField, simplifyField } from '../../../shared/descriptions/common';
import { keysToRead, readItemKeys } from '../../../shared/helpers/keys';
import { getOutputs, settleRead } from '../../../shared/helpers/readOutputs';
import type { Operation } from '../../../shared/helpers/router';
import { flashdutyApi } from '../../api';
import { unifiedFromFlashduty } from '../../mapping';
import { readMembersByKeys } from '../../members';

export const description: INodeProperties[] = [
	idField(
		'member',
		['get'],
		'Member ID or Email',
		'The member\'s ID (person ID) or email address. IDs are read with /person/infos (profile fields), emails with the member list (all member fields).',
	),
	simplifyField('member', ['get']),
];

/** Get: one output per input item. All items' keys are read together (IDs 100 per request). */
export const execute: Operation = async function (items, client) {
	const keys = readItemKeys(this, items, flashdutyApi, 'member ID or email');
	const read = await settleRead(readMembersByKeys(client, keysToRead(keys)));
	return getOutputs(this, keys, read, { api: flashdutyApi, toUnified: unifiedFromFlashduty, noun: 'member' });
};
