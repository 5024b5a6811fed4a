import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { showFor, simplifyField } from '../../../shared/descriptions/common';
import { writeSettled } from '../../../shared/engine/batch';
import { clip, text } from '../../../shared/engine/values';
import { forEachItem, mayBeStoredError, notStoredError, shapeRecord, stopBeforeWriting } from '../../../shared/helpers/output';
import { readItemPayloads } from '../../../shared/helpers/parameters';
import type { Operation } from '../../../shared/helpers/router';
import { toFlameupPayload, unifiedFromFlameup, type FlameupPerson, type FlameupPersonPayload } from '../../mapping';
import { createPerson, getPerson } from '../../people';
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

/**
 * Create: POST /people for each input item; the person as stored. Every item is read before the
 * first request. A create whose answer is lost may have landed: the person is read back by its
 * userId (GET /people/{userId}) and created again only when it is not there.
 */
export const execute: Operation = async function (items, client) {
	const { records, errors } = readItemPayloads(items, (_json, i): FlameupPersonPayload => {
		const fields = this.getNodeParameter('additionalFields', i, {}) as IDataObject;
		const { traits, ...standard } = fields;
		return toFlameupPayload(
			this.getNode(),
			{ ...standard, externalId: text(this.getNodeParameter('userId', i)), email: this.getNodeParameter('email', i, ''), traits: customTraits(traits, i, this.getNode()) },
			i,
		);
	});
	stopBeforeWriting(this, errors);
	const payloads = new Map(records.map((r) => [r.index, r.payload]));
	return await forEachItem(this, items, async (i) => {
		const payload = payloads.get(i);
		if (!payload) throw errors.get(i) as Error;
		const [attempt] = await writeSettled<FlameupPersonPayload, FlameupPerson>([payload], {
			write: async ([p]) => {
				try {
					return [{ record: p, done: await createPerson(client, p, i) }];
				} catch (error) {
					return [{ record: p, error: error as Error }];
				}
			},
			reread: async ([p]) => {
				const person = await getPerson(client, p.userId);
				return new Map(person ? [[p, person]] : []);
			},
			unsettled: (p, error) => mayBeStoredError(this.getNode(), error, i, `The person "${clip(p.userId)}"`, 'Look the person up with Get'),
			notStored: (p, error) => notStoredError(this.getNode(), error, i, `The person "${clip(p.userId)}" was not created`),
		});
		if ('error' in attempt) throw attempt.error;
		return shapeRecord(attempt.done, this.getNodeParameter('simplify', i, true) as boolean, unifiedFromFlameup);
	});
};
