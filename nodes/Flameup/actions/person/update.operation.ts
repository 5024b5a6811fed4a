import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { forTool, idField, showFor, simplifyField } from '../../../shared/descriptions/common';
import { inputError } from '../../../shared/engine/errors';
import { readKey } from '../../../shared/helpers/keys';
import { fieldsMapper, jsonToMap } from '../../../shared/helpers/mapper';
import { forEachItem, shapeRecord, stopBeforeWriting } from '../../../shared/helpers/output';
import { readItemPayloads } from '../../../shared/helpers/parameters';
import type { Operation } from '../../../shared/helpers/router';
import { readPersonInput } from '../../../shared/person/input';
import { standardTraits, traitsFromFields, unifiedFromFlameup } from '../../mapping';
import { updatePerson } from '../../people';
import { customTraits, MAPPER_VERSION, modelFilledFields, onlyFirstVersion, personFields, UPDATE_FIELDS, UPDATE_FIELDS_METHOD } from './fields';

const fields = { method: UPDATE_FIELDS_METHOD, mappingMode: 'defineBelow', show: MAPPER_VERSION } as const;

export const description: INodeProperties[] = [
	idField('person', ['update'], 'Person ID or Email', 'The person\'s external ID or email address'),
	// Version 1.1: the traits in n8n's field mapper; in the tool, the model fills them.
	forTool(fieldsMapper('person', ['update'], fields), false),
	forTool(fieldsMapper('person', ['update'], { ...fields, value: modelFilledFields(UPDATE_FIELDS) }), true),
	onlyFirstVersion({
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		displayOptions: showFor('person', ['update']),
		options: personFields,
	}),
	simplifyField('person', ['update']),
];

/**
 * Update: PUT /people/{external ID or email} for each input item (every item read before the first
 * request); traits merge into the existing ones. The traits are the Fields set (version 1.1; Map
 * Automatically takes the item's person fields and its `traits`) or version 1's Update Fields.
 */
export const execute: Operation = async function (items, client) {
	const mapped = this.getNode().typeVersion >= 1.1;
	const { records, errors } = readItemPayloads(items, (json, i) => {
		const id = readKey(this, 'id', i, 'person ID or email');
		const { traits, ...standard } = mapped ? jsonToMap(this, json, i) : (this.getNodeParameter('updateFields', i, {}) as IDataObject);
		const merged = { ...customTraits(traits, i, this.getNode()), ...traitsFromFields(standard), ...standardTraits(readPersonInput(standard, 'flameup', {})) };
		if (Object.keys(merged).length === 0) {
			throw inputError(this.getNode(), 'Nothing to update', i, mapped ? 'Set at least one field under Fields.' : 'Add at least one field under Update Fields.');
		}
		return { id, merged };
	});
	stopBeforeWriting(this, errors);
	const updates = new Map(records.map((r) => [r.index, r.payload]));
	return await forEachItem(this, items, async (i) => {
		const update = updates.get(i);
		if (!update) throw errors.get(i) as Error;
		// PUT merges traits: sent twice it has the effect of once, so the engine may retry it.
		const person = await updatePerson(client, update.id, update.merged, i);
		return shapeRecord(person, this.getNodeParameter('simplify', i, true) as boolean, unifiedFromFlameup);
	});
};
