import type { IExecuteFunctions } from 'n8n-workflow';

import { inputError } from '../../../shared/engine/errors';
import { checkMemberKey } from '../../members';

/** Get / Batch Get: an ID that cannot be sent exactly fails its own item, before any request. */
export function memberKeyCheck(ctx: IExecuteFunctions) {
	return (key: string, itemIndex: number): void => {
		const problem = checkMemberKey(key);
		if (problem) {
			throw inputError(
				ctx.getNode(),
				problem,
				itemIndex,
				`Flashduty IDs are whole numbers sent as JSON numbers, which this node sends exactly up to ${Number.MAX_SAFE_INTEGER}. Use the member's email instead.`,
			);
		}
	};
}
