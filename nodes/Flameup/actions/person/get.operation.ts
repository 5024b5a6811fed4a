import type { INodeProperties } from 'n8n-workflow';

import { idField, simplifyField } from '../../../shared/descriptions/common';
import { runGet } from '../../../shared/operations/read';
import type { Operation } from '../../../shared/operations/router';
import { flameupCodec } from '../../mapping';
import { readPeople } from '../../people';

export const description: INodeProperties[] = [
	idField('person', ['get'], 'Person ID or Email', 'The person\'s external ID (your own user ID) or email address'),
	simplifyField('person', ['get']),
];

export const execute: Operation = async function (items, client) {
	return await runGet(this, items, { client, codec: flameupCodec, read: readPeople, noun: 'person' });
};
