import type { INodeProperties } from 'n8n-workflow';

import { keyLocatorFields, outputFieldsField, simplifyField } from '../../../shared/descriptions/common';
import { keysToRead, readItemKeys } from '../../../shared/helpers/keys';
import { withOutputFields } from '../../../shared/helpers/outputFields';
import { getOutputs, settleRead } from '../../../shared/helpers/readOutputs';
import type { Operation } from '../../../shared/helpers/router';
import { flashdutyApi, MEMBER_ID_MODE } from '../../api';
import { MEMBER_SEARCH } from '../../listSearch';
import { unifiedFromFlashduty } from '../../mapping';
import { readMembersByKeys } from '../../members';

export const description: INodeProperties[] = [
	...keyLocatorFields(
		'member',
		['get'],
		'Member ID or Email',
		'The member\'s ID (member_id, a whole number of up to 20 digits given as a string, e.g. "3790117293151") or email address (e.g. ada@example.com). IDs are read with /person/infos (profile fields), emails with the member list (all member fields).',
		{ searchListMethod: MEMBER_SEARCH, byId: MEMBER_ID_MODE, byEmail: true },
	),
	simplifyField('member', ['get']),
	outputFieldsField('member', ['get']),
];

/** Get: one output per input item. All items' keys are read together (IDs 100 per request). */
export const execute: Operation = async function (items, client) {
	const keys = readItemKeys(this, items, flashdutyApi, 'member ID or email');
	const read = await settleRead(readMembersByKeys(client, keysToRead(keys)));
	return withOutputFields(this, getOutputs(this, keys, read, { api: flashdutyApi, toUnified: unifiedFromFlashduty, noun: 'member' }));
};
