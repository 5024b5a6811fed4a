import { resourceOperations } from '../../../shared/helpers/router';
import * as batchGet from './batchGet.operation';
import * as batchUpsert from './batchUpsert.operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

/** What an ID is for Flameup, for the AI tool descriptions. */
const FLAMEUP_ID =
	'A person is named by their external ID (externalId in the results: the userId your own system gave them, e.g. "user-123") or by their email address (e.g. ada@example.com); Flameup\'s internal id is not accepted.';

export const { operations, description } = resourceOperations(
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['person'] } },
		default: 'getAll',
		options: [
			{ name: 'Create', value: 'create', action: 'Create a person', description: 'Create one person' },
			{
				name: 'Create or Update Many',
				value: 'batchUpsert',
				action: 'Create or update many people',
				description: 'Create or update every input item as a person (matched by external ID, else email), 100 per request',
			},
			{ name: 'Get', value: 'get', action: 'Get a person', description: 'Get one person by external ID or email' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many people', description: 'List people, optionally filtered by status or a search text' },
			{
				name: 'Get Many by ID',
				value: 'batchGet',
				action: 'Get many people by ID or email',
				description: 'Get the people named in a list of external IDs or emails; IDs not found are reported',
			},
			{ name: 'Update', value: 'update', action: 'Update a person', description: 'Update a person\'s traits (merged into the existing ones)' },
		],
	},
	{ get, batchGet, getAll, batchUpsert, create, update },
	{
		hidden: ['batchUpsert'],
		descriptions: {
			get: `Get one person from Flameup (a customer engagement platform) by ID or email. ${FLAMEUP_ID} Returns the person (by default the unified fields: id, externalId, email, name, firstName, lastName, phone, timezone, locale, avatarUrl, status, createdAt, updatedAt); an unknown ID is an error.`,
			batchGet: `Get several Flameup people at once from a comma-separated list of IDs or emails. ${FLAMEUP_ID} Returns one record per person found and {id, notFound: true} for each one that does not exist.`,
			getAll: 'List or search people in Flameup (a customer engagement platform): optionally only those whose name or email contains a search text, or with a status (active, bounced, unsubscribed). Returns at most Limit people (10 unless set otherwise), each with id, externalId (the ID to use with the other Flameup tools), email, name and status.',
			create: `Create one person in Flameup. ${FLAMEUP_ID} Returns the person created.`,
			update: `Update one Flameup person's traits; the traits given are merged into the existing ones. ${FLAMEUP_ID} Returns the person updated.`,
		},
	},
);
