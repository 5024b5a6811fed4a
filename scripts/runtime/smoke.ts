/** `npm run runtime -- smoke`: proves the installed runtime imports, executes and serves a workflow. */
import { executeWorkflow, importWorkflow, nodeOutput } from './cli';
import { ownerSession, rest, startEditor } from './editor';
import { createN8nHome, removeN8nHome } from './home';
import { ensureRuntime } from './install';
import { fmtSecs } from './util';

/** Manual Trigger -> Edit Fields (Set): built-in nodes only, proves the runtime works. */
export function smokeWorkflow() {
	return {
		id: 'runtimeSmoke0001',
		name: 'runtime smoke test',
		nodes: [
			{ id: 'f0b1c7a2-0000-4000-8000-000000000001', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'f0b1c7a2-0000-4000-8000-000000000002',
				name: 'Edit Fields',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [220, 0],
				parameters: {
					assignments: {
						assignments: [
							{ id: 'a1', name: 'greeting', value: 'hello from n8n', type: 'string' },
							{ id: 'a2', name: 'answer', value: 42, type: 'number' },
							{ id: 'a3', name: 'upper', value: "={{ 'abc'.toUpperCase() }}", type: 'string' },
						],
					},
					options: {},
				},
			},
		],
		connections: { Manual: { main: [[{ node: 'Edit Fields', type: 'main', index: 0 }]] } },
	};
}

export async function cliSmoke(): Promise<void> {
	const log = (m: string) => console.log(m);
	await ensureRuntime({ log });
	const t0 = Date.now();
	const n8nHome = await createN8nHome({});
	try {
		let t = Date.now();
		const wf = smokeWorkflow();
		await importWorkflow(n8nHome.env, wf);
		log(`import:workflow ${fmtSecs(Date.now() - t)}`);
		t = Date.now();
		const run = await executeWorkflow(n8nHome.env, wf.id);
		log(`execute ${fmtSecs(Date.now() - t)}${run.__cli.crashedOnExit ? ` (n8n died with ${run.__cli.signal} after printing the run)` : ''}`);
		const items = nodeOutput(run, 'Edit Fields');
		log(`Edit Fields output: ${JSON.stringify(items)}`);
		const want = { greeting: 'hello from n8n', answer: 42, upper: 'ABC' };
		if (JSON.stringify(items) !== JSON.stringify([want])) throw new Error(`unexpected output, wanted ${JSON.stringify([want])}`);
		t = Date.now();
		const editor = await startEditor(n8nHome.env, { port: 0 });
		log(`editor up at ${editor.url} in ${fmtSecs(Date.now() - t)}`);
		await ownerSession(editor);
		const wfs = await rest(editor, 'GET', '/workflows');
		const listed = (wfs.json as { data?: Array<{ id: string }> } | undefined)?.data; // GET /rest/workflows: { data: [...] }
		const found = wfs.status === 200 && (listed || []).some((w) => w.id === wf.id);
		await editor.stop();
		if (!found) throw new Error(`the editor does not list the workflow (${wfs.status})`);
		log(`editor lists the workflow; stopped. smoke test passed in ${fmtSecs(Date.now() - t0)}`);
	} finally {
		await removeN8nHome(n8nHome);
	}
}
