import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { forTool, showFor, simplifyField } from '../../../shared/descriptions/common';
import { writeSettled } from '../../../shared/engine/batch';
import { clip, text } from '../../../shared/engine/values';
import { fieldsMapper, jsonToMap } from '../../../shared/helpers/mapper';
import { forEachItem, mayBeStoredError, notStoredError, shapeRecord, stopBeforeWriting } from '../../../shared/helpers/output';
import { readItemPayloads } from '../../../shared/helpers/parameters';
import type { Operation } from '../../../shared/helpers/router';
import { toFlameupPayload, unifiedFromFlameup, type FlameupPerson, type FlameupPersonPayload } from '../../mapping';
import { createPerson, getPerson } from '../../people';
import { CREATE_FIELDS, CREATE_FIELDS_METHOD, customTraits, MAPPER_VERSION, modelFilledFields, onlyFirstVersion, personFields } from './fields';

const fields = { method: CREATE_FIELDS_METHOD, mappingMode: 'defineBelow', show: MAPPER_VERSION } as const;

/** Version 1's own fields. */
const firstVersionFields: INodeProperties[] = [
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
];

export const description: INodeProperties[] = [
	// Version 1.1: the person's fields in n8n's field mapper; in the tool, the model fills them.
	forTool(fieldsMapper('person', ['create'], fields), false),
	forTool(fieldsMapper('person', ['create'], { ...fields, value: modelFilledFields(CREATE_FIELDS) }), true),
	...firstVersionFields.map(onlyFirstVersion),
	simplifyField('person', ['create']),
];

/** Version 1's payload: User ID, Email and Additional Fields. */
function payloadFromParameters(ctx: IExecuteFunctions, itemIndex: number): FlameupPersonPayload {
	const { traits, ...standard } = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const person = { ...standard, externalId: text(ctx.getNodeParameter('userId', itemIndex)), email: ctx.getNodeParameter('email', itemIndex, '') };
	return toFlameupPayload(ctx.getNode(), { ...person, traits: customTraits(traits, itemIndex, ctx.getNode()) }, itemIndex);
}

/**
 * Create: POST /people for each input item; the person as stored. The person is the Fields set
 * (version 1.1; Map Automatically reads the item as Create or Update Many does: External ID, else
 * Email, names the person) or version 1's parameters. Every item is read before the first request. A create whose answer is lost may have landed: the person is read back by its
 * userId (GET /people/{userId}) and created again only when it is not there.
 */
export const execute: Operation = async function (items, client) {
	const mapped = this.getNode().typeVersion >= 1.1;
	const { records, errors } = readItemPayloads(items, (json, i) =>
		mapped ? toFlameupPayload(this.getNode(), jsonToMap(this, json, i), i) : payloadFromParameters(this, i),
	);
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
