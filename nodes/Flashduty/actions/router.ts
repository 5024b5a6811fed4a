import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { route } from '../../shared/helpers/router';
import { flashdutyApi } from '../api';
import * as member from './member';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await route(this, flashdutyApi, { member: member.operations });
}
