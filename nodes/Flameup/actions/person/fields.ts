import type { IDataObject, INode, INodeProperties, ResourceMapperField } from 'n8n-workflow';

import { fromAI } from '../../../shared/descriptions/common';
import { inputError } from '../../../shared/engine/errors';
import { FLAMEUP_MAPPER_FIELDS } from '../../mapping';

/**
 * Node versions: 1 gives Create and Update their own fields (User ID, Email, Additional/Update
 * Fields); 1.1, the version new nodes get, gives them n8n's field mapper (`columns`), as Create or
 * Update Many has. Saved version-1 nodes keep their parameters and behaviour.
 */
const FIRST_VERSION = { '@version': [1] };
export const MAPPER_VERSION = { '@version': [1.1] };

/** Shows a version-1 parameter only on version-1 nodes. */
export function onlyFirstVersion(property: INodeProperties): INodeProperties {
	const { displayOptions } = property;
	return { ...property, displayOptions: { ...displayOptions, show: { ...displayOptions?.show, ...FIRST_VERSION } } };
}

/** The `methods.resourceMapping` entries of Create and Update (node version 1.1). */
export const CREATE_FIELDS_METHOD = 'getCreateFields';
export const UPDATE_FIELDS_METHOD = 'getUpdateFields';

/** Create's fields: all of Create or Update Many's (a person is named by External ID, else Email). */
export const CREATE_FIELDS: ResourceMapperField[] = FLAMEUP_MAPPER_FIELDS;

/** Update's fields: the traits (the person is named by the Person ID or Email parameter). */
export const UPDATE_FIELDS: ResourceMapperField[] = FLAMEUP_MAPPER_FIELDS.filter((field) => field.id !== 'externalId' && field.id !== 'email');

/** What a language model is told each field is, when the tool version fills them. */
const MODEL_DESCRIPTIONS: Record<string, string> = {
	externalId: 'The person\'s ID in your own system (Flameup stores it as userId / external_id), e.g. user-123. Leave empty to use the email address as the ID.',
	email: 'The person\'s email address, e.g. ada@example.com',
	firstName: 'The person\'s first (given) name, e.g. Ada',
	lastName: 'The person\'s last (family) name, e.g. Lovelace',
	phone: 'The phone number in international format, e.g. +44 20 7946 0958',
	timezone: 'The IANA time zone, e.g. Europe/London',
	locale: 'The language and region code, e.g. en-GB',
	avatarUrl: 'The web address of a profile picture, e.g. https://example.com/ada.png',
};

/**
 * The values the tool version's Fields start with: every field the model can fill, each a
 * `$fromAI()` with a description written for the model; all optional (the model sends what it
 * knows). Custom traits are not offered to the model.
 */
export function modelFilledFields(fields: ResourceMapperField[]): Record<string, string> {
	return Object.fromEntries(
		fields.filter((field) => MODEL_DESCRIPTIONS[field.id]).map((field) => [field.id, fromAI(field.displayName, MODEL_DESCRIPTIONS[field.id], 'string', true)]),
	);
}

/** The standard person fields of Create and Update (unified names, mapped to Flameup traits). */
export const personFields: INodeProperties[] = [
	{ displayName: 'Avatar URL', name: 'avatarUrl', type: 'string', default: '' },
	{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
	{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
	{ displayName: 'Locale', name: 'locale', type: 'string', default: '', placeholder: 'e.g. en-US' },
	{ displayName: 'Phone', name: 'phone', type: 'string', default: '', placeholder: 'e.g. +1-555-0123' },
	{ displayName: 'Timezone', name: 'timezone', type: 'string', default: '', placeholder: 'e.g. Europe/Berlin' },
	{
		displayName: 'Custom Traits (JSON)',
		name: 'traits',
		type: 'json',
		default: '{}',
		description: 'Any other traits, as a JSON object. Flameup merges them into the person\'s existing traits.',
	},
];

/** Parses the Custom Traits parameter (a JSON string or an object). */
export function customTraits(value: unknown, itemIndex: number, node: INode): IDataObject {
	if (value === undefined || value === null || value === '') return {};
	let parsed: unknown = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch {
			throw inputError(node, 'Custom Traits is not valid JSON', itemIndex, 'Write an object such as {"plan": "pro"}.');
		}
	}
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw inputError(node, 'Custom Traits must be a JSON object', itemIndex, 'Write an object such as {"plan": "pro"}.');
	}
	return parsed as IDataObject;
}

