import type { IDataObject, INode, INodeProperties } from 'n8n-workflow';

import { inputError } from '../../../shared/engine/errors';

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

