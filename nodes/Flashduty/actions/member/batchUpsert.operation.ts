import type { INodeProperties } from 'n8n-workflow';

import { batchSizeOption, showFor, simplifyField, upsertNotice } from '../../../shared/descriptions/common';
import type { Operation } from '../../../shared/operations/router';
import { runBatchUpsert } from '../../../shared/operations/upsert';
import { FLASHDUTY_MAX_INVITE } from '../../api';
import { flashdutyCodec, toMemberInput } from '../../mapping';
import { upsertMembers } from '../../members';

export const description: INodeProperties[] = [
	upsertNotice(
		'member',
		'Each input item is one member. Unified fields (externalId, email, name, phone, timezone, locale, avatarUrl, roleIds) and Flashduty\'s own names (ref_id, member_name, time_zone, country_code, role_ids...) are mapped automatically. Members are matched by externalId (ref_id), else email; the others are invited. Names must be 2–39 characters; locales other than zh-CN and en-US are not sent.',
	),
	simplifyField('member', ['batchUpsert']),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showFor('member', ['batchUpsert']),
		options: [
			batchSizeOption(FLASHDUTY_MAX_INVITE, 'New members are invited in batches; existing ones are updated one request each.'),
			{
				displayName: 'Create Without Invitation',
				name: 'fromApi',
				type: 'boolean',
				default: false,
				description:
					'Whether to send from: "api" with invites: where the account has member invitations turned off (a setting Flashduty enables on request), new members are created enabled and verified, and no invitation email is sent',
			},
		],
	},
];

export const execute: Operation = async function (items, client) {
	const fromApi = items.length > 0 && (this.getNodeParameter('options.fromApi', 0, false) as boolean);
	return await runBatchUpsert(this, items, {
		client,
		codec: flashdutyCodec,
		maxBatchSize: FLASHDUTY_MAX_INVITE,
		toPayload: (json, i) => toMemberInput(this.getNode(), json, i),
		write: upsertMembers({ fromApi }),
	});
};
