/** Activating an imported workflow in a running editor, on n8n 2.x and 1.x. */
import { rest, type Editor } from './editor';

interface WorkflowRecord {
	id: string;
	active: boolean;
	versionId?: string;
	activeVersionId?: string | null;
}

/** GET /rest/workflows/:id (its `data`). */
export async function getWorkflow(editor: Editor, id: string): Promise<WorkflowRecord> {
	const r = await rest(editor, 'GET', `/workflows/${encodeURIComponent(id)}`);
	const wf = (r.json as { data?: WorkflowRecord } | undefined)?.data;
	if (r.status !== 200 || !wf) throw new Error(`GET /rest/workflows/${id}: ${r.status} ${r.text.slice(0, 500)}`);
	return wf;
}

/**
 * Activates (publishes) a workflow, which makes n8n register its triggers and pollers right away (a polling
 * trigger polls once on activation). n8n 2.x: POST /rest/workflows/:id/activate { versionId } (the version
 * to publish); n8n 1.x has no such route (404) and takes PATCH /rest/workflows/:id { active: true, versionId }.
 * Throws with n8n's answer when it refuses (e.g. a poll interval under a minute, or a failing first poll).
 */
export async function activateWorkflow(editor: Editor, id: string): Promise<WorkflowRecord> {
	const { versionId } = await getWorkflow(editor, id);
	let r = await rest(editor, 'POST', `/workflows/${encodeURIComponent(id)}/activate`, { versionId });
	if (r.status === 404) {
		r = await rest(editor, 'PATCH', `/workflows/${encodeURIComponent(id)}`, { active: true, versionId });
	}
	const wf = (r.json as { data?: WorkflowRecord } | undefined)?.data;
	if (r.status !== 200 || !wf) throw new Error(`activating workflow ${id}: ${r.status} ${r.text.slice(0, 1000)}`);
	if (!wf.active) throw new Error(`workflow ${id} is not active after activation: ${r.text.slice(0, 1000)}`);
	return wf;
}
