import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { showFor, simplifyField } from '../../../shared/descriptions/common';
import { text } from '../../../shared/engine/values';
import { forEachItem, shapeRecord } from '../../../shared/helpers/output';
import type { Operation } from '../../../shared/helpers/router';
import { toFlameupPayload, unifiedFromFlameup } from '../../mapping';
import { createPerson } from '../../people';
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

/** Create: POST /people for each input item; the person as stored. */
export const execute: Operation = async function (items, client) {
	return await forEachItem(this, items, async (i) => {
		const fields = this.getNodeParameter('additionalFields', i, {}) as IDataObject;
		const { traits, ...standard } = fields;
		const payload = toFlameupPayload(
			this.getNode(),
			{ ...standard, externalId: text(this.getNodeParameter('userId', i)), email: this.getNodeParameter('email', i, ''), traits: customTraits(traits, i, this.getNode()) },
			i,
		);
		const person = await createPerson(client, payload, i);
		return shapeRecord(person, this.getNodeParameter('simplify', i, true) as boolean, unifiedFromFlameup);
	});
};
