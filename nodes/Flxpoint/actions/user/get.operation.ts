import type { INodeProperties } from 'n8n-workflow';

import { keyLocatorFields, outputFieldsField, simplifyField } from '../../../shared/descriptions/common';
import { keysToRead, readItemKeys } from '../../../shared/helpers/keys';
import { withOutputFields } from '../../../shared/helpers/outputFields';
import { getOutputs, settleRead } from '../../../shared/helpers/readOutputs';
import type { Operation } from '../../../shared/helpers/router';
import { flxpointApi } from '../../api';
import { USER_SEARCH } from '../../listSearch';
import { unifiedFromFlxpoint } from '../../mapping';
import { readUsersByKeys } from '../../users';

export const description: INodeProperties[] = [
	...keyLocatorFields(
		'user',
		['get'],
		'User ID or Email',
		'The user\'s numeric Flxpoint ID (e.g. 123456) or email address (e.g. ada@example.com). Many input items are read together, up to 50 per request.',
		{
			searchListMethod: USER_SEARCH,
			byId: { placeholder: 'e.g. 123456', hint: 'The user\'s numeric Flxpoint ID (id in the results)', pattern: '\\s*[0-9]+\\s*', errorMessage: 'Flxpoint user IDs are whole numbers, e.g. 123456' },
			byEmail: true,
		},
	),
	simplifyField('user', ['get']),
	outputFieldsField('user', ['get']),
];

/** Get: one output per input item. All items' keys are read together, 50 per request. */
export const execute: Operation = async function (items, client) {
	const keys = readItemKeys(this, items, flxpointApi, 'user ID or email');
	const read = await settleRead(readUsersByKeys(client, keysToRead(keys)));
	return withOutputFields(this, getOutputs(this, keys, read, { api: flxpointApi, toUnified: unifiedFromFlxpoint, noun: 'user' }));
};
