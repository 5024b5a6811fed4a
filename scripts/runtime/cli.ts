/** Drives the n8n CLI with the runtime's Node: import credentials and workflows, execute, read the run. */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

import { childEnv, killGroup, track } from './children';
import type { Env } from './home';
import { installProblem, n8nBin, nodeBin } from './profile';
import { fmtSecs, freePort } from './util';

export interface CliResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	ms: number;
}

export interface CliOptions {
	/** From createN8nHome(): must hold N8N_USER_FOLDER. */
	env: Env;
	timeoutMs?: number;
	cwd?: string;
	onOutput?: (text: string, stream: 'stdout' | 'stderr') => void;
	/** Called with the n8n process's pid once it is spawned (its process group has the same id). */
	onSpawn?: (pid: number) => void;
	/**
	 * Keep at most this many characters of each stream (its first and last half): for runs whose
	 * output (the run JSON of `n8n execute`) is hundreds of MB. Default: everything.
	 */
	keepChars?: number;
}

/** Appends `chunk`, keeping the first and last `keep / 2` characters once over `keep`. */
function appendKept(kept: { head: string; tail: string; dropped: number }, chunk: string, keep: number): void {
	if (kept.head.length < keep / 2) {
		const room = Math.floor(keep / 2) - kept.head.length;
		kept.head += chunk.slice(0, room);
		chunk = chunk.slice(room);
	}
	kept.tail += chunk;
	if (kept.tail.length > keep / 2) {
		const cut = kept.tail.length - Math.floor(keep / 2);
		kept.dropped += cut;
		kept.tail = kept.tail.slice(cut);
	}
}

const keptText = (kept: { head: string; tail: string; dropped: number }) => (kept.dropped > 0 ? `${kept.head}\n[... ${kept.dropped} characters left out ...]\n${kept.tail}` : kept.head + kept.tail);

/**
 * Run `n8n <args>` with Node 24. cwd is the n8n home (n8n reads a `.env` from its cwd).
 * Never rejects on a non-zero exit; rejects on a time-out (the error carries the CliResult fields).
 */
export async function n8nCli(args: string[], { env, timeoutMs = 180000, cwd, onOutput, onSpawn, keepChars = Infinity }: CliOptions): Promise<CliResult> {
	if (!env || !env.N8N_USER_FOLDER) throw new Error('n8nCli needs the env from createN8nHome()');
	if (!fs.existsSync(nodeBin())) throw new Error(`n8n runtime not installed: run \`npm run runtime -- install\` (${installProblem()})`);
	// Every n8n process starts a task broker: a port of its own, so that CLI calls can overlap with
	// each other and with a running editor of the same home.
	const brokerPort = String(await freePort());
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const child = spawn(nodeBin(), [n8nBin(), ...args], {
			cwd: cwd || env.N8N_USER_FOLDER,
			env: childEnv({ ...env, N8N_RUNNERS_BROKER_PORT: brokerPort }),
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true, // own process group, so a time-out can end n8n and its task runner together
		});
		track(child);
		if (onSpawn && child.pid !== undefined) onSpawn(child.pid);
		const outKept = { head: '', tail: '', dropped: 0 };
		const errKept = { head: '', tail: '', dropped: 0 };
		let timedOut = false;
		child.stdout.on('data', (d: Buffer) => {
			appendKept(outKept, String(d), keepChars);
			if (onOutput) onOutput(String(d), 'stdout');
		});
		child.stderr.on('data', (d: Buffer) => {
			appendKept(errKept, String(d), keepChars);
			if (onOutput) onOutput(String(d), 'stderr');
		});
		const timer = setTimeout(() => {
			timedOut = true;
			killGroup(child, 'SIGKILL');
		}, timeoutMs);
		child.on('error', (err) => {
			clearTimeout(timer);
			reject(err);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			const ms = Date.now() - started;
			const stdout = keptText(outKept);
			const stderr = keptText(errKept);
			if (timedOut) {
				const err = new Error(`n8n ${args.join(' ')} timed out after ${fmtSecs(ms)}\nstdout:\n${stdout.slice(-4000)}\nstderr:\n${stderr.slice(-4000)}`);
				reject(Object.assign(err, { code, signal, stdout, stderr, ms }));
				return;
			}
			resolve({ code, signal, stdout, stderr, ms });
		});
	});
}

function cliFailure(what: string, r: CliResult): Error {
	const err = new Error(`${what} failed (exit ${r.code}${r.signal ? `, ${r.signal}` : ''})\nstdout:\n${r.stdout.slice(-4000)}\nstderr:\n${r.stderr.slice(-4000)}`);
	return Object.assign(err, { code: r.code, stdout: r.stdout, stderr: r.stderr });
}

async function writeTempJson(env: Env, prefix: string, data: unknown): Promise<string> {
	const dir = path.join(env.N8N_USER_FOLDER ?? '', 'imports');
	await fsp.mkdir(dir, { recursive: true });
	const file = path.join(dir, `${prefix}-${Date.now()}-${crypto.randomBytes(4).toString('hex')}.json`);
	await fsp.writeFile(file, JSON.stringify(data, null, 2));
	return file;
}

/** A credential for `n8n import:credentials`: `data` holds plain values (n8n encrypts them on import). */
export interface CredentialImport {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

/**
 * `n8n import:credentials --input=F` (n8n encrypts plain `data` objects with N8N_ENCRYPTION_KEY on
 * import). Resolves to the CLI result.
 */
export async function importCredentials(env: Env, credentials: CredentialImport | CredentialImport[], { timeoutMs }: { timeoutMs?: number } = {}): Promise<CliResult> {
	const list = Array.isArray(credentials) ? credentials : [credentials];
	const file = await writeTempJson(env, 'credentials', list);
	const r = await n8nCli(['import:credentials', `--input=${file}`], { env, timeoutMs });
	if (r.code !== 0 || !/Successfully imported/i.test(r.stdout + r.stderr)) throw cliFailure(`n8n import:credentials (${list.length})`, r);
	return r;
}

/** A workflow as n8n exports it (nodes, connections, settings...); only `id` matters here. */
export type WorkflowImport = { id?: string } & Record<string, unknown>;

/**
 * `n8n import:workflow --input=F`. The workflow needs an `id` (so that it can be executed by id);
 * one is generated when missing. Resolves to { id, ...cli result }.
 */
export async function importWorkflow(env: Env, workflow: WorkflowImport, { timeoutMs }: { timeoutMs?: number } = {}): Promise<CliResult & { id: string }> {
	const wf = { active: false, settings: {}, connections: {}, ...workflow };
	const id = wf.id || crypto.randomBytes(8).toString('hex');
	wf.id = id;
	const file = await writeTempJson(env, 'workflow', wf);
	const r = await n8nCli(['import:workflow', `--input=${file}`], { env, timeoutMs });
	if (r.code !== 0 || !/Successfully imported/i.test(r.stdout + r.stderr)) throw cliFailure(`n8n import:workflow ${id}`, r);
	return { id, ...r };
}

/** Several workflows in one `n8n import:workflow` (one n8n start-up instead of one each); each needs an `id`. */
export async function importWorkflows(env: Env, workflows: WorkflowImport[], { timeoutMs }: { timeoutMs?: number } = {}): Promise<CliResult> {
	const list = workflows.map((workflow) => {
		if (!workflow.id) throw new Error('importWorkflows: every workflow needs an id');
		return { active: false, settings: {}, connections: {}, ...workflow };
	});
	const file = await writeTempJson(env, 'workflows', list);
	const r = await n8nCli(['import:workflow', `--input=${file}`], { env, timeoutMs });
	if (r.code !== 0 || !/Successfully imported/i.test(r.stdout + r.stderr)) throw cliFailure(`n8n import:workflow (${list.length})`, r);
	return r;
}

export interface N8nItem {
	json: Record<string, unknown>;
	pairedItem?: unknown;
}

export interface N8nError {
	message: string;
	description?: string;
	node?: { name: string };
}

/** The part of n8n's IRun that the tests and the demo read. */
export interface N8nRun {
	status: string;
	finished?: boolean;
	data: {
		resultData: {
			runData: Record<string, Array<{ data?: { main?: Array<N8nItem[] | null> }; error?: N8nError }>>;
			error?: N8nError;
			lastNodeExecuted?: string;
		};
	};
}

/** How `n8n execute` ended; see executeWorkflow. */
export interface RunCliInfo extends CliResult {
	crashedOnExit: boolean;
}

export type ExecutedRun = N8nRun & { readonly __cli: RunCliInfo };

/**
 * Find the run-data JSON in `n8n execute --rawOutput` output: it starts at the first line that
 * starts with `{` (log lines come before it) and is pretty-printed over many lines.
 * Returns the parsed object or undefined.
 */
export function parseExecuteOutput(text: string): unknown {
	const lines = String(text).split(/\r?\n/);
	for (let start = 0; start < lines.length; start++) {
		// At N8N_LOG_LEVEL=debug the logger puts "<time> | info  | " before the first line.
		const prefixed = /^\S+ \| \w+\s*\| \{$/.test(lines[start]);
		if (prefixed) lines[start] = '{';
		if (!lines[start].startsWith('{')) continue;
		// The JSON ends at a line starting with `}`: try the last such line first (log lines may follow).
		for (let end = lines.length - 1; end >= start; end--) {
			if (!lines[end].startsWith('}')) continue;
			try {
				// (at debug level the logger appends its metadata after the closing brace: drop it)
				return JSON.parse([...lines.slice(start, end), '}'].join('\n')) as unknown;
			} catch {
				/* try a shorter span */
			}
		}
	}
	return undefined;
}

function isRun(value: unknown): value is N8nRun {
	const data = typeof value === 'object' && value !== null ? (value as { data?: unknown }).data : undefined;
	return typeof data === 'object' && data !== null && !!(data as { resultData?: unknown }).resultData;
}

/** A failed execution (unless allowError): carries the run and n8n's output. */
export class N8nExecutionError extends Error {
	run?: ExecutedRun;
	stdout?: string;
	stderr?: string;
}

/**
 * `n8n execute --id=ID --rawOutput`. Resolves to the parsed run (IRun: { data: { resultData: { runData,
 * lastNodeExecuted, error? } }, status, mode, startedAt, stoppedAt, ... }).
 * Throws when n8n prints no run JSON (exit 0 alone proves nothing) and, unless allowError,
 * when the execution failed (the error has .run, .stdout, .stderr).
 */
export async function executeWorkflow(env: Env, id: string, { timeoutMs = 180000, allowError = false }: { timeoutMs?: number; allowError?: boolean } = {}): Promise<ExecutedRun> {
	// The run JSON is printed only at log level info (n8n's logger prints it; warn/error hide it).
	const r = await n8nCli(['execute', `--id=${id}`, '--rawOutput'], { env: { ...env, N8N_LOG_LEVEL: 'info' }, timeoutMs });
	const parsed = parseExecuteOutput(r.stdout);
	if (!isRun(parsed)) {
		throw cliFailure(`n8n execute --id=${id} printed no run JSON (${fmtSecs(r.ms)})`, r);
	}
	// n8n 2.41 on Node 24 now and then dies with SIGSEGV while shutting down, after it printed the
	// complete run JSON (its isolated-vm expression pool re-creates an isolate during shutdown).
	// The printed run is the proof; the crash is recorded in run.__cli.crashedOnExit.
	const crashedOnExit = r.code === null && !!r.signal;
	const cli: RunCliInfo = { code: r.code, signal: r.signal, crashedOnExit, stdout: r.stdout, stderr: r.stderr, ms: r.ms };
	// defineProperty keeps __cli out of JSON.stringify and toEqual; the cast records what it added.
	const run = Object.defineProperty(parsed, '__cli', { value: cli, enumerable: false }) as ExecutedRun;
	const error = run.data.resultData.error;
	if (error && !allowError) {
		const err = new N8nExecutionError(
			`workflow ${id} failed in node "${run.data.resultData.lastNodeExecuted}": ${error.message}${error.description ? ` (${error.description})` : ''}`,
		);
		Object.assign(err, { run, stdout: r.stdout, stderr: r.stderr });
		throw err;
	}
	if (!error && r.code !== 0 && !(crashedOnExit && run.finished === true && run.status === 'success')) throw cliFailure(`n8n execute --id=${id}`, r);
	return run;
}

/** Output items (their `json`) of one node of a run: run.data.resultData.runData[node][runIndex].data.main[output]. */
export function nodeOutput(run: N8nRun, nodeName: string, { runIndex = 0, output = 0 }: { runIndex?: number; output?: number } = {}): Array<Record<string, unknown>> {
	const runs = run.data.resultData.runData[nodeName];
	if (!runs) throw new Error(`node "${nodeName}" did not run; ran: ${Object.keys(run.data.resultData.runData).join(', ')}`);
	const task = runs[runIndex];
	if (task.error) throw new Error(`node "${nodeName}" failed: ${task.error.message}`);
	return ((task.data && task.data.main && task.data.main[output]) || []).map((item) => item.json);
}
