/**
 * A 100,000-person directory, end to end, in REAL n8n 2.41.1: template 1 (Flxpoint users → Flameup
 * Batch Upsert) with the Flxpoint simulator seeded with `--people` users (default 100,000) and an
 * empty Flameup simulator at its documented limit (120 requests a minute per key, answered with 429
 * past it). Not a test: nothing here asserts a duration. Run:
 *
 *   npm run bench:directory                        # both modes, 100,000 people (~9 minutes each)
 *   npm run bench:directory -- --people=2000 --mode=single
 *
 * (a) single process: `n8n execute` on SQLite (scripts/runtime/cli.ts);
 * (b) queue mode: Postgres + Redis + `n8n start` + one `n8n worker`, the template's triggers swapped
 *     for a production Webhook (as in test/e2e-queue), the execution started by a POST to it.
 *
 * Measured per mode: the execution's wall time against the rate-limit bound, requests and 429s at each
 * simulator, the people landed in Flameup (every one exactly once), and the peak memory (VmHWM, with
 * VmRSS sampled every second as a check) of every n8n process (each process group: n8n and its task
 * runner). The bound: N people are ceil(N / 100) batch requests of 100; a window of 120 a minute lets
 * the last one go at floor((batches - 1) / 120) minutes at the earliest, plus its round trip.
 *
 * Options: --people=N (default 100000), --mode=single|queue|both (default both),
 * --pattern=template|loop (loop: the template with a Loop Over Items of --loop-size (default 10000)
 * before the Flameup node), --timeout-min=M (per run, default 40).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';

import { labCredentials, loadTemplates, startLab, type Lab, type Template } from '../../scripts/lab';
import * as runtime from '../../scripts/runtime';
import { samplePeople } from '../../simulators/core/people';
import type { SimServer } from '../../simulators/core/server';
import { rateBound } from './latencyBench';

type Mode = 'single' | 'queue';

type WorkflowNode = runtime.QueueWorkflowNode;
type Workflow = runtime.QueueWorkflow;

const FLAMEUP_BATCH = 100;
const FLAMEUP_PER_MINUTE = 120;

function option(name: string, fallback: string): string {
	const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
	return arg ? arg.slice(name.length + 3) : fallback;
}

const PEOPLE = Number(option('people', '100000'));
const MODES: Mode[] = option('mode', 'both') === 'both' ? ['single', 'queue'] : [option('mode', 'both') as Mode];
const PATTERN = option('pattern', 'template');
const LOOP_SIZE = Number(option('loop-size', '10000'));
const TIMEOUT_MS = Number(option('timeout-min', '40')) * 60_000;
if (!Number.isInteger(PEOPLE) || PEOPLE < 1) throw new Error(`--people: a positive integer, not ${PEOPLE}`);
if (!MODES.every((m) => m === 'single' || m === 'queue')) throw new Error('--mode: single, queue or both');
if (PATTERN !== 'template' && PATTERN !== 'loop') throw new Error('--pattern: template or loop');

const log = (m: string) => process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${m}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Memory: every process of the given process groups, sampled every second.

interface ProcessPeak {
	pid: number;
	group: string;
	command: string;
	/** Highest VmHWM read (kB): the kernel's own peak RSS of the process. */
	hwmKb: number;
	/** Highest VmRSS sampled (kB). */
	rssKb: number;
}

function readProc(pid: number, file: string): string | undefined {
	try {
		return fs.readFileSync(`/proc/${pid}/${file}`, 'utf8');
	} catch {
		return undefined;
	}
}

/** The process group of a pid (field 5 of /proc/<pid>/stat, after the command in parentheses). */
function processGroup(pid: number): number | undefined {
	const stat = readProc(pid, 'stat');
	if (!stat) return undefined;
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return Number(fields[2]);
}

const statusKb = (status: string, field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);

class MemorySampler {
	private readonly groups = new Map<number, string>();

	readonly peaks = new Map<number, ProcessPeak>();

	private timer?: NodeJS.Timeout;

	/** Samples the process group `pgid` (an n8n process spawned detached: its pid) under `name`. */
	watch(pgid: number, name: string): void {
		this.groups.set(pgid, name);
		this.sample();
	}

	start(): void {
		this.timer = setInterval(() => this.sample(), 1000);
	}

	stop(): void {
		this.sample();
		if (this.timer) clearInterval(this.timer);
	}

	sample(): void {
		if (this.groups.size === 0) return;
		for (const entry of fs.readdirSync('/proc')) {
			if (!/^\d+$/.test(entry)) continue;
			const pid = Number(entry);
			const pgid = processGroup(pid);
			const group = pgid === undefined ? undefined : this.groups.get(pgid);
			if (group === undefined) continue;
			const status = readProc(pid, 'status');
			if (!status) continue;
			const peak = this.peaks.get(pid) ?? { pid, group, command: commandOf(pid), hwmKb: 0, rssKb: 0 };
			peak.hwmKb = Math.max(peak.hwmKb, statusKb(status, 'VmHWM'));
			peak.rssKb = Math.max(peak.rssKb, statusKb(status, 'VmRSS'));
			this.peaks.set(pid, peak);
		}
	}
}

/** A short name for a process: `n8n execute`, `n8n worker`, `task runner`... */
function commandOf(pid: number): string {
	const argv = (readProc(pid, 'cmdline') ?? '').split('\0').filter(Boolean);
	const n8nAt = argv.findIndex((a) => /\/n8n\/bin\/n8n$|\/bin\/n8n$/.test(a));
	if (n8nAt >= 0) return `n8n ${argv.slice(n8nAt + 1).join(' ')}`.trim();
	if (argv.some((a) => /task-runner|runners/.test(a))) return 'task runner';
	return argv.map((a) => a.split('/').pop()).join(' ').slice(0, 60);
}

// ---------------------------------------------------------------------------------------------
// The workflows.

function template1(): Template {
	const template = loadTemplates().find((t) => t.file.startsWith('1-'));
	if (!template) throw new Error('templates/1-*.json is missing');
	return template;
}

/** With --pattern=loop: what led into Flameup → Loop Over Items (LOOP_SIZE) → Flameup → back to the loop. */
function withPattern(template: Template): Workflow {
	const wf = JSON.parse(JSON.stringify(template.workflow)) as Workflow;
	if (PATTERN === 'template') return wf;
	const target = template.targetNode;
	const loop: WorkflowNode = { id: randomUUID(), name: 'Loop Over Items', type: 'n8n-nodes-base.splitInBatches', typeVersion: 3, position: [620, 0], parameters: { batchSize: LOOP_SIZE, options: {} } };
	const into = Object.entries(wf.connections).find(([, c]) => c.main[0]?.some((x) => x.node === target));
	if (!into) throw new Error(`nothing leads into ${target}`);
	into[1].main[0] = into[1].main[0].map((x) => (x.node === target ? { ...x, node: loop.name } : x));
	wf.nodes.push(loop);
	// Output 0 (done) goes nowhere; output 1 (loop) feeds the target, which feeds the loop back.
	wf.connections[loop.name] = { main: [[], [{ node: target, type: 'main', index: 0 }]] };
	wf.connections[target] = { main: [[{ node: loop.name, type: 'main', index: 0 }]] };
	return { ...wf, id: `${wf.id.slice(0, 12)}Loop`, name: `${wf.name} (loop of ${LOOP_SIZE})` };
}


// ---------------------------------------------------------------------------------------------
// One run.

interface RunResult {
	mode: Mode;
	ok: boolean;
	problem?: string;
	/** n8n's own start-to-stop of the execution (queue: from its record; single: the process's lifetime). */
	executionSeconds: number;
	/** First Flxpoint request to the last Flameup answer: the sync itself, as the vendors saw it. */
	syncSeconds: number;
	/** Start-up, the Flxpoint read and n8n's processing before the first Flameup request. */
	firstWriteSeconds: number;
	boundSeconds: number;
	flxpoint: { requests: number; tooMany: number };
	flameup: { requests: number; tooMany: number; batches: number };
	landed: number;
	missing: number;
	duplicates: number;
	memory: ProcessPeak[];
}

/** The bound in seconds for `batches` requests at 120 a minute (sliding window), without the last round trip. */
const boundSeconds = (batches: number) => rateBound(batches, [{ limit: FLAMEUP_PER_MINUTE, intervalMs: 60_000 }]);

/** Logs the simulators' counts every minute while `run` runs. */
async function withProgress<T>(mode: Mode, lab: Lab, run: () => Promise<T>): Promise<T> {
	const timer = setInterval(() => {
		const flameup = vendorCounts(lab.flameup);
		log(`${mode}: Flxpoint ${lab.flxpoint.requests.length} requests; Flameup ${flameup.requests} requests, ${flameup.tooMany} × 429, ${lab.flameup.people.size} people`);
	}, 60_000);
	try {
		return await run();
	} finally {
		clearInterval(timer);
	}
}

async function newLab(): Promise<Lab> {
	const lab = await startLab({ seed: false });
	lab.flxpoint.seedSample(samplePeople(0, PEOPLE));
	return lab;
}

/** Who landed in Flameup: every sample person once, nobody else. */
function landed(lab: Lab): { landed: number; missing: number; duplicates: number } {
	const emails = [...lab.flameup.people.values()].map((p) => (p.email ?? '').toLowerCase());
	const unique = new Set(emails);
	const missing = samplePeople(0, PEOPLE).filter((p) => !unique.has(p.email.toLowerCase())).length;
	return { landed: lab.flameup.people.size, missing, duplicates: emails.length - unique.size };
}

function vendorCounts(sim: SimServer) {
	return { requests: sim.requests.length, tooMany: sim.statusCounts.get(429) ?? 0 };
}

function measureSync(lab: Lab) {
	const first = lab.flxpoint.requests[0]?.at ?? NaN;
	const writes = lab.flameup.requests.filter((r) => r.method === 'POST');
	const firstWrite = writes[0]?.at ?? NaN;
	// A request's `at` is its arrival; the last answer follows within milliseconds (no latency set).
	const last = writes[writes.length - 1]?.at ?? NaN;
	return { syncSeconds: (last - first) / 1000, firstWriteSeconds: (firstWrite - first) / 1000, batches: writes.filter((r) => r.status === 200).length };
}

function result(mode: Mode, lab: Lab, sampler: MemorySampler, executionSeconds: number, problem: string | undefined): RunResult {
	const sync = measureSync(lab);
	const land = landed(lab);
	const ok = !problem && land.landed === PEOPLE && land.missing === 0 && land.duplicates === 0;
	return {
		mode,
		ok,
		problem: problem ?? (ok ? undefined : `landed ${land.landed}, missing ${land.missing}, duplicates ${land.duplicates}`),
		executionSeconds,
		syncSeconds: sync.syncSeconds,
		firstWriteSeconds: sync.firstWriteSeconds,
		boundSeconds: boundSeconds(Math.ceil(PEOPLE / FLAMEUP_BATCH)),
		flxpoint: vendorCounts(lab.flxpoint),
		flameup: { ...vendorCounts(lab.flameup), batches: sync.batches },
		...land,
		memory: [...sampler.peaks.values()],
	};
}

async function runSingle(): Promise<RunResult> {
	const lab = await newLab();
	const home = await runtime.createN8nHome();
	const sampler = new MemorySampler();
	try {
		const wf = withPattern(template1());
		await runtime.importCredentials(home.env, labCredentials(lab));
		await runtime.importWorkflow(home.env, wf);
		log(`single: n8n execute --id=${wf.id} (${PEOPLE} people)`);
		sampler.start();
		const started = Date.now();
		let problem: string | undefined;
		try {
			// The run JSON n8n prints is hundreds of MB for 100,000 people: keep its first and last 40,000 characters.
			const r = await withProgress('single', lab, async () =>
				await runtime.n8nCli(['execute', `--id=${wf.id}`], {
					env: { ...home.env, N8N_LOG_LEVEL: 'info' },
					timeoutMs: TIMEOUT_MS,
					keepChars: 80_000,
					onSpawn: (pid) => sampler.watch(pid, 'n8n execute'),
				}),
			);
			const succeeded = r.stdout.includes('Execution was successful');
			const crashedOnExit = r.code === null && !!r.signal && succeeded;
			if (!succeeded || (r.code !== 0 && !crashedOnExit)) problem = `n8n execute: exit ${r.code ?? r.signal}; ${(r.stdout + r.stderr).slice(-1500)}`;
			else if (crashedOnExit) log(`single: n8n printed a successful run, then died with ${r.signal} while shutting down`);
		} catch (error) {
			problem = (error as Error).message.slice(0, 2000);
		}
		const seconds = (Date.now() - started) / 1000;
		sampler.stop();
		return result('single', lab, sampler, seconds, problem);
	} finally {
		sampler.stop();
		await lab.stop();
		await runtime.removeN8nHome(home);
	}
}

/** POSTs to the production webhook (retried while the main process is still registering it); resolves to when it was accepted. */
async function startByWebhook(url: string): Promise<number> {
	const end = Date.now() + 60_000;
	for (;;) {
		const started = Date.now();
		const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		const text = await r.text();
		if (r.status === 200) return started;
		if (r.status !== 404 || Date.now() > end) throw new Error(`POST ${url}: ${r.status} ${text.slice(0, 500)}`);
		await sleep(1000);
	}
}

async function runQueue(): Promise<RunResult> {
	const infra = runtime.prepareQueueInfra(log);
	if ('skip' in infra) throw new Error(`queue mode cannot run here: ${infra.skip}`);
	const lab = await newLab();
	const sampler = new MemorySampler();
	const wf = runtime.onWebhook(withPattern(template1()), `directory-${PATTERN}`);
	const n8n = await runtime.startQueueInstance(infra, {
		workers: 1,
		log: (m) => log(`queue: ${m}`),
		beforeStart: async (main) => {
			await runtime.importCredentials(main.env, labCredentials(lab));
			await runtime.importWorkflows(main.env, [wf]);
		},
	});
	try {
		const { editor } = n8n;
		if (editor.child.pid !== undefined) sampler.watch(editor.child.pid, 'n8n start (main)');
		for (const worker of n8n.workers) if (worker.child.pid !== undefined) sampler.watch(worker.child.pid, `n8n worker (${worker.name})`);
		sampler.start();
		await runtime.ownerSession(editor);
		await runtime.activateWorkflow(editor, wf.id);
		log(`queue: POST /webhook/directory-${PATTERN} (${PEOPLE} people)`);
		const started = await startByWebhook(`${editor.url}/webhook/directory-${PATTERN}`);
		const { problem, executionSeconds } = await withProgress('queue', lab, async () => await queueOutcome(n8n, wf.id, started));
		sampler.stop();
		return result('queue', lab, sampler, executionSeconds, problem);
	} finally {
		sampler.stop();
		await n8n.stop();
		await lab.stop();
	}
}

/** Why an execution failed: n8n's error (its record, read with the run data) and the end of the worker's and main's logs. */
async function executionError(n8n: runtime.QueueInstance, id: string): Promise<string> {
	const logs = `\nworker log:\n${n8n.workers.map((w) => w.logs().slice(-3000)).join('\n')}\nmain log:\n${n8n.editor.logs().slice(-2000)}`;
	try {
		const execution = await runtime.getExecution(n8n.editor, id);
		const { error, lastNodeExecuted } = execution.data.resultData;
		return `${error ? `${error.message}${error.description ? ` (${error.description})` : ''}` : 'no error recorded'} in "${lastNodeExecuted ?? '?'}"${logs}`;
	} catch (error) {
		return `(its record could not be read: ${(error as Error).message.slice(0, 300)})${logs}`;
	}
}

/** Waits for the workflow's execution to end (or the worker to die, or the time-out). */
async function queueOutcome(n8n: runtime.QueueInstance, workflowId: string, started: number): Promise<{ problem?: string; executionSeconds: number }> {
	const { editor } = n8n;
	let problem: string | undefined;
	let executionSeconds = NaN;
	for (;;) {
		const rows = await runtime.listExecutions(editor, workflowId).catch(() => []);
		const row = rows[rows.length - 1];
		if (row && runtime.FINAL_STATUSES.includes(row.status)) {
			if (row.status !== 'success') problem = `execution ${row.id} ended ${row.status}: ${await executionError(n8n, row.id)}`;
			executionSeconds = row.startedAt && row.stoppedAt ? (Date.parse(row.stoppedAt) - Date.parse(row.startedAt)) / 1000 : (Date.now() - started) / 1000;
			if (!n8n.workers.some((w) => w.executions().includes(row.id))) problem = `${problem ? `${problem}; ` : ''}no worker says it ran execution ${row.id}`;
			break;
		}
		if (n8n.workers.every((w) => w.child.exitCode !== null || w.child.signalCode !== null)) {
			problem = `the worker exited (${n8n.workers.map((w) => `${w.child.exitCode ?? w.child.signalCode}`).join(', ')}): ${n8n.workers[0].logs().slice(-1500)}`;
			executionSeconds = (Date.now() - started) / 1000;
			break;
		}
		if (Date.now() - started > TIMEOUT_MS) {
			problem = `not finished within ${TIMEOUT_MS / 60_000} minutes`;
			executionSeconds = (Date.now() - started) / 1000;
			break;
		}
		await sleep(2000);
	}
	return { problem, executionSeconds };
}

// ---------------------------------------------------------------------------------------------
// The report.

const mb = (kb: number) => `${Math.round(kb / 1024)} MB`;
const secs = (s: number) => (Number.isFinite(s) ? `${s.toFixed(1)} s` : '-');

function table(rows: RunResult[]): string {
	const header = ['mode', 'result', 'execution', 'sync (Flxpoint read → last Flameup write)', 'bound', 'sync / bound', 'first write after', 'Flxpoint req / 429', 'Flameup req / 429 / batches', 'landed / missing / dup'];
	const lines = rows.map((r) => [
		r.mode,
		r.ok ? 'ok' : 'FAILED',
		secs(r.executionSeconds),
		secs(r.syncSeconds),
		`${secs(r.boundSeconds)} + 1 round trip`,
		r.boundSeconds > 0 ? `${(r.syncSeconds / r.boundSeconds).toFixed(3)}×` : '-',
		secs(r.firstWriteSeconds),
		`${r.flxpoint.requests} / ${r.flxpoint.tooMany}`,
		`${r.flameup.requests} / ${r.flameup.tooMany} / ${r.flameup.batches}`,
		`${r.landed} / ${r.missing} / ${r.duplicates}`,
	]);
	const memory = rows.flatMap((r) =>
		r.memory
			.filter((p) => p.hwmKb >= 20 * 1024) // n8n and its task runner, not the shells it starts now and then
			.sort((a, b) => b.hwmKb - a.hwmKb)
			.map((p) => [r.mode, p.group, `${p.command.slice(0, 50)} (pid ${p.pid})`, mb(p.hwmKb), mb(p.rssKb)]),
	);
	const render = (head: string[], body: string[][]) => {
		const widths = head.map((h, i) => Math.max(h.length, ...body.map((l) => l[i].length)));
		const row = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
		return [row(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(row)].join('\n');
	};
	return `${render(header, lines)}\n\nPeak memory per process (VmHWM; highest VmRSS sampled each second):\n${render(['mode', 'group', 'process', 'peak RSS (VmHWM)', 'max sampled VmRSS'], memory)}`;
}

async function main(): Promise<void> {
	await runtime.ensureRuntime({ log: (m) => log(`[n8n runtime] ${m}`) });
	const batches = Math.ceil(PEOPLE / FLAMEUP_BATCH);
	log(`${PEOPLE} people, pattern ${PATTERN}${PATTERN === 'loop' ? ` of ${LOOP_SIZE}` : ''}: ${batches} Flameup batch requests at ${FLAMEUP_PER_MINUTE}/minute, bound ${boundSeconds(batches)} s + 1 round trip`);
	const rows: RunResult[] = [];
	for (const mode of MODES) {
		try {
			const row = mode === 'single' ? await runSingle() : await runQueue();
			rows.push(row);
			log(`${mode}: ${row.ok ? 'ok' : `FAILED: ${row.problem}`}, sync ${secs(row.syncSeconds)} (bound ${row.boundSeconds} s)`);
		} catch (error) {
			log(`${mode}: could not run: ${(error as Error).stack ?? String(error)}`);
		}
	}
	process.stdout.write(`\n${PEOPLE} people, template 1 (${PATTERN === 'loop' ? `Loop Over Items of ${LOOP_SIZE}` : 'as shipped'}), Flameup at ${FLAMEUP_PER_MINUTE} requests/minute\n\n${table(rows)}\n`);
	if (rows.length < MODES.length || rows.some((r) => !r.ok)) process.exitCode = 1;
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
