import type { INodeProperties } from 'n8n-workflow';

import { keyLocatorFields, outputFieldsField, showFor, simplifyField } from '../../../shared/descriptions/common';
import { keysToRead, readItemKeys } from '../../../shared/helpers/keys';
import { withOutputFields } from '../../../shared/helpers/outputFields';
import { getOutputs, settleRead } from '../../../shared/helpers/readOutputs';
import type { Operation } from '../../../shared/helpers/router';
import { perscomApi, USER_ID_MODE } from '../../api';
import { USER_SEARCH } from '../../listSearch';
import { unifiedFromPerscom } from '../../mapping';
import { readUsersByKeys } from '../../users';
import { readIncludeOption, includeOption } from './fields';

export const description: INodeProperties[] = [
	...keyLocatorFields('user', ['get'], 'User ID or Email', 'The user\'s PERSCOM ID (a whole number, e.g. 42) or email address (e.g. ada@example.com)', {
		searchListMethod: USER_SEARCH,
		byId: USER_ID_MODE,
		byEmail: true,
	}),
	simplifyField('user', ['get']),
	outputFieldsField('user', ['get']),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showFor('user', ['get']),
		options: [includeOption],
	},
];

/** Get: one output per input item. All items' keys are read together (one search for many IDs or emails). */
export const execute: Operation = async function (items, client) {
	const keys = readItemKeys(this, items, perscomApi, 'user ID or email');
	const read = await settleRead(readUsersByKeys(client, keysToRead(keys), readIncludeOption(this)));
	return withOutputFields(this, getOutputs(this, keys, read, { api: perscomApi, toUnified: unifiedFromPerscom, noun: 'user' }));
};
