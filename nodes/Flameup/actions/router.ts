import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { route } from '../../shared/helpers/router';
import { flameupApi } from '../api';
import * as person from './person';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await route(this, flameupApi, { person: person.operations });
}
