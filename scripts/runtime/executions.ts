/** The executions n8n recorded for a workflow, with their run data, read over REST from a running editor. */
import { createRequire } from 'node:module';
import path from 'node:path';

import type { N8nRun } from './cli';
import { rest, type Editor } from './editor';
import { runtimeDir } from './profile';

/** A row of GET /rest/executions. */
export interface ExecutionSummary {
	id: string;
	mode: string;
	status: string;
	finished?: boolean;
	startedAt?: string;
	stoppedAt?: string | null;
	workflowId: string;
}

/** GET /rest/executions/:id: the summary, and `data` (IRunExecutionData) parsed. */
export type Execution = ExecutionSummary & { data: N8nRun['data'] };

/** Statuses after which an execution does not change any more. */
export const FINAL_STATUSES = ['success', 'error', 'crashed', 'canceled'];

/**
 * n8n stores and serves an execution's data in the `flatted` format (circular-safe JSON: an array of
 * values, strings referenced by index). Parsed with the flatted package of the installed n8n, so that
 * the format always matches the n8n that wrote it.
 */
function flattedParse(text: string): unknown {
	const req = createRequire(path.join(runtimeDir(), 'node_modules', 'n8n', 'package.json'));
	return (req('flatted') as { parse(text: string): unknown }).parse(text);
}

/** The executions of a workflow, oldest first (GET /rest/executions?filter={workflowId}); at most `limit` (n8n allows 1–100). */
export async function listExecutions(editor: Editor, workflowId: string, { limit = 100 }: { limit?: number } = {}): Promise<ExecutionSummary[]> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const r = await rest(editor, 'GET', `/executions?filter=${filter}&limit=${limit}`);
	const data = (r.json as { data?: { results?: ExecutionSummary[] } } | undefined)?.data;
	if (r.status !== 200 || !data || !Array.isArray(data.results)) throw new Error(`GET /rest/executions: ${r.status} ${r.text.slice(0, 500)}`);
	return data.results
		.filter((e) => String(e.workflowId) === workflowId)
		.map((e) => ({ ...e, id: String(e.id) }))
		.sort((a, b) => Number(a.id) - Number(b.id));
}

/** One execution with its run data (GET /rest/executions/:id, `data` un-flatted). */
export async function getExecution(editor: Editor, id: string): Promise<Execution> {
	const r = await rest(editor, 'GET', `/executions/${encodeURIComponent(id)}`);
	const body = (r.json as { data?: ExecutionSummary & { data?: unknown } } | undefined)?.data;
	if (r.status !== 200 || !body) throw new Error(`GET /rest/executions/${id}: ${r.status} ${r.text.slice(0, 500)}`);
	const data = typeof body.data === 'string' ? flattedParse(body.data) : body.data;
	return { ...body, id: String(body.id), data: data as N8nRun['data'] };
}

/** Every execution of a workflow with its data, oldest first; those still running are left out unless `includeRunning`. */
export async function workflowExecutions(editor: Editor, workflowId: string, { includeRunning = false }: { includeRunning?: boolean } = {}): Promise<Execution[]> {
	const rows = (await listExecutions(editor, workflowId)).filter((e) => includeRunning || FINAL_STATUSES.includes(e.status));
	const out: Execution[] = [];
	for (const row of rows) out.push(await getExecution(editor, row.id));
	return out;
}

/** Output items (their `json`) of one node in an execution's data; [] when the node did not run. */
export function executionItems(execution: Pick<Execution, 'data'>, nodeName: string, output = 0): Array<Record<string, unknown>> {
	const runs = execution.data?.resultData?.runData?.[nodeName] ?? [];
	return runs.flatMap((task) => ((task.data && task.data.main && task.data.main[output]) || []).map((item) => item.json));
}
