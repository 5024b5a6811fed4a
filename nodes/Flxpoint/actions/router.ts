import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { VendorClient } from '../../shared/engine/request';
import { chosenOperation } from '../../shared/helpers/router';
import { flxpointApi } from '../api';
import * as user from './user';

/** The node's `execute`: pick the operation, make the client (credential, rate limiter), run it on all items. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = chosenOperation(this, flxpointApi, { user: user.operations });
	const client = await VendorClient.create(this, flxpointApi);
	return [await operation.call(this, this.getInputData(), client)];
}
