import type { FieldType, IDataObject, ILoadOptionsFunctions, ResourceMapperField } from 'n8n-workflow';

import { VendorClient } from '../shared/engine/request';
import { mapperField } from '../shared/helpers/mapper';
import { flameupApi } from './api';
import { TRAIT_PREFIX } from './mapping';
import { listPeople } from './people';

/** How many people the mapper looks at to learn the workspace's custom traits (one request). */
const SAMPLE_SIZE = 100;

function fieldType(value: unknown): FieldType {
	if (typeof value === 'number') return 'number';
	if (typeof value === 'boolean') return 'boolean';
	if (Array.isArray(value)) return 'array';
	if (value !== null && typeof value === 'object') return 'object';
	return 'string';
}

/**
 * The workspace's custom traits as mapper fields (`trait:<name>`, typed by a value seen), learned
 * from the first 100 people: Flameup documents no list of trait names (docs/vendors/flameup.md).
 * Traits no sampled person has are still written through Custom Traits (JSON).
 */
async function customTraitFields(ctx: ILoadOptionsFunctions): Promise<ResourceMapperField[]> {
	const client = await VendorClient.create(ctx, flameupApi);
	const { people } = await listPeople(client, { filters: {}, limit: SAMPLE_SIZE });
	const seen = new Map<string, unknown>();
	for (const person of people) {
		for (const [name, value] of Object.entries((person.attributes ?? {}) as IDataObject)) {
			if (!seen.has(name) || seen.get(name) === null) seen.set(name, value);
		}
	}
	return [...seen.entries()]
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([name, value]) => mapperField(`${TRAIT_PREFIX}${name}`, `${name} (Custom Trait)`, fieldType(value)));
}

/** `fields`, then the workspace's custom traits; `fields` alone when the traits cannot be read (the mapper is never blocked). */
export function withCustomTraits(fields: ResourceMapperField[]): (ctx: ILoadOptionsFunctions) => Promise<ResourceMapperField[]> {
	return async (ctx) => [...fields, ...(await customTraitFields(ctx).catch((): ResourceMapperField[] => []))];
}
