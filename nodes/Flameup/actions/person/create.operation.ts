import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { showFor, simplifyField } from '../../../shared/descriptions/common';
import { forEachItem, shapeRecord } from '../../../shared/operations/output';
import type { Operation } from '../../../shared/operations/router';
import { text } from '../../../shared/person/unified';
import { flameupCodec, personFromBody, toFlameupPayload } from '../../mapping';
import { customTraits, personFields } from './fields';

export const description: INodeProperties[] = [
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		required: true,
		default: '',
		description: 'Your own ID for the person (at most 255 characters); Flameup stores it as external_id',
		displayOptions: showFor('person', ['create']),
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		displayOptions: showFor('person', ['create']),
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		displayOptions: showFor('person', ['create']),
		options: personFields,
	},
	simplifyField('person', ['create']),
];

export const execute: Operation = async function (items, client) {
	return await forEachItem(this, items, async (i) => {
		const fields = this.getNodeParameter('additionalFields', i, {}) as IDataObject;
		const { traits, ...standard } = fields;
		const payload = toFlameupPayload(
			this.getNode(),
			{ ...standard, externalId: text(this.getNodeParameter('userId', i)), email: this.getNodeParameter('email', i, ''), traits: customTraits(traits, i, this.getNode()) },
			i,
		);
		const body = await client.request({ method: 'POST', path: '/people', body: payload, itemIndex: i, action: `create person "${payload.userId}"` });
		return shapeRecord(flameupCodec, personFromBody(body), this.getNodeParameter('simplify', i, true) as boolean);
	});
};
