import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { route } from '../../shared/operations/router';
import { flashdutyApi } from '../api';
import * as member from './member';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await route(this, flashdutyApi, { member: member.operations });
}
