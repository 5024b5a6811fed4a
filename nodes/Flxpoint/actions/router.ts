import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { route } from '../../shared/helpers/router';
import { flxpointApi } from '../api';
import * as user from './user';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await route(this, flxpointApi, { user: user.operations });
}
