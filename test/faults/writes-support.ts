/** What every write fault test checks, and the faults that lose an answer after the write landed. */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { Fault } from '../../simulators/core/server';
import { everythingSaid, type RunResult } from '../workflow/harness';

/** The answer to a write that landed is lost: cut, 502, 504, a malformed 200, a timeout (Options > Timeout 1 s). */
export const LOST_ANSWERS: Array<[string, Fault, IDataObject]> = [
	['connection reset', { reset: true, after: true }, {}],
	['502', { status: 502, after: true }, {}],
	['504', { status: 504, after: true }, {}],
	['malformed 200 (HTML)', { status: 200, raw: '<html><body>OK</body></html>', after: true }, {}],
	['timeout', { silent: true, after: true }, { timeout: 1 }],
];

/** Every input item accounted for exactly once, paired with its item, in order; the node's items returned. */
export function accountedOnce(result: RunResult, node: string, count: number): IDataObject[] {
	const out: INodeExecutionData[] = result.output[node] ?? [];
	expect(out).toHaveLength(count);
	out.forEach((item, i) => expect(item.pairedItem).toEqual({ item: i }));
	return out.map((item) => item.json);
}

/** No secret anywhere in the run data. */
export function noSecret(result: RunResult, secret: string): void {
	const said = everythingSaid(result);
	expect(said).not.toContain(secret);
	expect(said).not.toContain(secret.slice(0, 20));
}
