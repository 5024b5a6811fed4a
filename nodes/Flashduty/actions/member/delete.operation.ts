import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEY_MODES, keyLocatorFields, showFor } from '../../../shared/descriptions/common';
import { writeSettled } from '../../../shared/engine/batch';
import { inputError } from '../../../shared/engine/errors';
import { clip } from '../../../shared/engine/values';
import { readLocatedKey, type LocatedKey } from '../../../shared/helpers/keys';
import { mayBeStoredError, notStoredError, stopBeforeWriting, writeOutputs, type ItemResult } from '../../../shared/helpers/output';
import { readItemPayloads } from '../../../shared/helpers/parameters';
import type { Operation } from '../../../shared/helpers/router';
import { idNumber, MEMBER_ID_MODE } from '../../api';
import { memberExists } from '../../directory';
import { MEMBER_SEARCH } from '../../listSearch';
import { deleteMember } from '../../members';

/** Options > Force (is_force of /member/delete), also Mirror's for its removals. */
export const forceOption: INodeProperties = {
	displayName: 'Force',
	name: 'force',
	type: 'boolean',
	default: false,
	description: 'Whether to delete the member even when schedules or escalation rules still name it (is_force). Without it, Flashduty refuses with ReferenceExist.',
};

/** The resource locator mode naming a member by their external ID (ref_id), which /member/delete takes. */
const REF_ID_MODE = 'refId';

export const description: INodeProperties[] = [
	...keyLocatorFields(
		'member',
		['delete'],
		'Member ID, Email or External ID',
		'The member to delete: their member ID (a whole number of up to 20 digits given as a string, e.g. "3790117293151"), their email address, or their external ID (ref_id)',
		{
			searchListMethod: MEMBER_SEARCH,
			byId: MEMBER_ID_MODE,
			byEmail: true,
			modes: [
				{
					displayName: 'By External ID',
					name: REF_ID_MODE,
					type: 'string',
					placeholder: 'e.g. crm-123',
					hint: 'The member\'s external ID (ref_id, externalId in the results): the ID your own system gave them, matched as typed',
				},
			],
		},
	),
	{
		displayName: 'Match By',
		name: 'matchBy',
		type: 'options',
		default: 'auto',
		description:
			'How a value given By ID, or as plain text (workflows saved before the member became a list to pick from), names the member. From List always names a member ID, By Email an email, By External ID a ref_id.',
		displayOptions: showFor('member', ['delete']),
		options: [
			{ name: 'Automatic', value: 'auto', description: 'An email when it contains @, else a member ID' },
			{ name: 'Email', value: 'email' },
			{ name: 'External ID (Ref ID)', value: 'refId' },
			{ name: 'Member ID', value: 'memberId' },
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showFor('member', ['delete']),
		options: [forceOption],
	},
];

/** What names the member: the locator's mode when it says (From List, By Email, By External ID), else Match By. */
function matchedBy(ctx: IExecuteFunctions, located: LocatedKey, itemIndex: number): string {
	if (located.mode === KEY_MODES.list) return 'memberId';
	if (located.mode === KEY_MODES.email) return 'email';
	if (located.mode === REF_ID_MODE) return 'refId';
	const matchBy = ctx.getNodeParameter('matchBy', itemIndex, 'auto') as string;
	return matchBy === 'auto' ? (located.key.includes('@') ? 'email' : 'memberId') : matchBy;
}

/** How /member/delete names the member of one item: `member_id`, `email` or `ref_id` (the mode, else Match By). */
function deleteIdentifier(ctx: IExecuteFunctions, located: LocatedKey, itemIndex: number): IDataObject {
	const { key } = located;
	const by = matchedBy(ctx, located, itemIndex);
	if (by === 'email') return { email: key.toLowerCase() };
	// The key is lower-cased when it holds an @; a ref_id is the caller's own and is sent as typed.
	if (by === 'refId') return { ref_id: located.given };
	const id = idNumber(key);
	if (id === undefined) {
		throw inputError(
			ctx.getNode(),
			/^\d+$/.test(key) ? `The member ID "${clip(key)}" is larger than the node can send exactly` : `"${clip(key)}" is not a Flashduty member ID`,
			itemIndex,
			'Member IDs are whole numbers. To delete by your own ID, choose By External ID (or set Match By to "External ID (Ref ID)"); to delete by email, choose By Email or give the email.',
		);
	}
	return { member_id: id };
}

/** One item to delete: its key as given, how /member/delete names the member, and Options > Force. */
interface DeleteRecord {
	key: string;
	identifier: IDataObject;
	force: boolean;
}

/**
 * Delete: one POST /member/delete per item (Flashduty has no batch delete), one output
 * `{deleted: true, id}` per item; every item is read before the first request. A delete whose
 * answer is lost may have landed: the member is looked up, and "gone" is deleted. The same member
 * named twice is deleted once (both items get the result). Without "Continue On Fail" the first
 * failure stops the node.
 */
export const execute: Operation = async function (items, client) {
	const results = new Map<number, ItemResult>();
	const { records, errors } = readItemPayloads(items, (_json, i): DeleteRecord => {
		const located = readLocatedKey(this, 'id', i, 'member ID, email or external ID');
		return { key: located.key, identifier: deleteIdentifier(this, located, i), force: this.getNodeParameter('options.force', i, false) as boolean };
	});
	stopBeforeWriting(this, errors);
	for (const [index, error] of errors) results.set(index, { error });
	/** Results by identifier: an item naming a member an earlier item deleted gets that result, not "not found". */
	const deletedBefore = new Map<string, ItemResult>();
	for (const { index: i, payload } of records) {
		const earlier = deletedBefore.get(JSON.stringify(payload.identifier));
		if (earlier) {
			results.set(i, { json: { ...(earlier as { json: IDataObject }).json, id: payload.key } });
			continue;
		}
		const [attempt] = await writeSettled<DeleteRecord, ItemResult>([payload], {
			write: async ([r]) => {
				try {
					await deleteMember(client, r.identifier, r.force, i, `"${clip(r.key)}"`);
					return [{ record: r, done: { json: { deleted: true, id: r.key } } }];
				} catch (error) {
					return [{ record: r, error: error as Error }];
				}
			},
			reread: async ([r]) => new Map((await memberExists(client, r.identifier, i)) ? [] : [[r, { json: { deleted: true, id: r.key } }]]),
			unsettled: (r, error) => mayBeStoredError(this.getNode(), error, i, `The deletion of member "${clip(r.key)}"`, 'Look the member up with Get or in the Flashduty console'),
			notStored: (r, error) => notStoredError(this.getNode(), error, i, `The member "${clip(r.key)}" was not deleted`),
		});
		results.set(i, 'done' in attempt ? attempt.done : { error: attempt.error });
		if ('done' in attempt) deletedBefore.set(JSON.stringify(payload.identifier), attempt.done);
		if ('error' in attempt && !this.continueOnFail()) break;
	}
	return writeOutputs(this, items, results, 'Flashduty');
};
