import type { INodeProperties } from 'n8n-workflow';

import { idField, simplifyField } from '../../../shared/descriptions/common';
import { keysToRead, readItemKeys } from '../../../shared/helpers/keys';
import { getOutputs, settleRead } from '../../../shared/helpers/readOutputs';
import type { Operation } from '../../../shared/helpers/router';
import { flxpointApi } from '../../api';
import { unifiedFromFlxpoint } from '../../mapping';
import { readUsersByKeys } from '../../users';

export const description: INodeProperties[] = [
	idField(
		'user',
		['get'],
		'User ID or Email',
		'The user\'s numeric Flxpoint ID or email address. Many input items are read together, up to 50 per request.',
	),
	simplifyField('user', ['get']),
];

/** Get: one output per input item. All items' keys are read together, 50 per request. */
export const execute: Operation = async function (items, client) {
	const keys = readItemKeys(this, items, flxpointApi, 'user ID or email');
	const read = await settleRead(readUsersByKeys(client, keysToRead(keys)));
	return getOutputs(this, keys, read, { api: flxpointApi, toUnified: unifiedFromFlxpoint, noun: 'user' });
};
