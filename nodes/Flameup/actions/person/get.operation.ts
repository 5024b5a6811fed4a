import type { INodeProperties } from 'n8n-workflow';

import { keyLocatorFields, outputFieldsField, simplifyField } from '../../../shared/descriptions/common';
import { keysToRead, readItemKeys } from '../../../shared/helpers/keys';
import { withOutputFields } from '../../../shared/helpers/outputFields';
import { getOutputs, settleRead } from '../../../shared/helpers/readOutputs';
import type { Operation } from '../../../shared/helpers/router';
import { flameupApi } from '../../api';
import { PERSON_SEARCH } from '../../listSearch';
import { unifiedFromFlameup } from '../../mapping';
import { readPeopleByKeys } from '../../people';

export const description: INodeProperties[] = [
	...keyLocatorFields(
		'person',
		['get'],
		'Person ID or Email',
		'The person\'s external ID in Flameup (externalId, the userId your own system gave them, e.g. "user-123") or their email address (e.g. ada@example.com)',
		{
			searchListMethod: PERSON_SEARCH,
			byId: { placeholder: 'e.g. user-123', hint: 'The external ID your own system gave the person (externalId, Flameup\'s userId), not Flameup\'s internal ID' },
			byEmail: true,
		},
	),
	simplifyField('person', ['get']),
	outputFieldsField('person', ['get']),
];

/** Get: one output per input item; the items' keys are read one by one within the key's limit. */
export const execute: Operation = async function (items, client) {
	const keys = readItemKeys(this, items, flameupApi, 'person ID or email');
	const read = await settleRead(readPeopleByKeys(client, keysToRead(keys)));
	return withOutputFields(this, getOutputs(this, keys, read, { api: flameupApi, toUnified: unifiedFromFlameup, noun: 'person' }));
};
