/**
 * n8n in queue mode on this machine: Redis and PostgreSQL from Debian packages (installed with apt-get
 * when missing, and said so), a private Postgres cluster and a Redis server on free ports of 127.0.0.1,
 * `n8n start` (the main process: editor, REST API, webhooks) and `n8n worker` processes, every one with
 * an N8N_USER_FOLDER of its own holding this package, all on the same database and queue.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { childEnv, killGroup, track } from './children';
import { startEditor, type Editor, type ExitInfo } from './editor';
import { createN8nHome, removeN8nHome, type Env, type N8nHome } from './home';
import { n8nBin, nodeBin } from './profile';
import { fmtSecs, freePort, sleep } from './util';

type Log = (message: string) => void;

/** Where the Redis and PostgreSQL programs are, or why queue mode cannot run here. */
export type QueueInfra = { redisServer: string; pgBin: string; installed: string[] } | { skip: string };

const which = (cmd: string): string | null => {
	for (const dir of (process.env.PATH ?? '').split(':')) {
		const file = path.join(dir, cmd);
		if (dir && fs.existsSync(file)) return file;
	}
	return null;
};

/** The newest /usr/lib/postgresql/<major>/bin holding initdb, pg_ctl and postgres. */
function postgresBin(): string | null {
	const root = '/usr/lib/postgresql';
	const majors = fs.existsSync(root) ? fs.readdirSync(root).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a)) : [];
	for (const major of majors) {
		const bin = path.join(root, major, 'bin');
		if (['initdb', 'pg_ctl', 'postgres'].every((p) => fs.existsSync(path.join(bin, p)))) return bin;
	}
	return null;
}

/** `apt-get install -y <packages>`, with an `apt-get update` first if the first try fails. Returns an error text or null. */
function aptInstall(packages: string[], log: Log): string | null {
	if (!which('apt-get')) return 'apt-get is not available (not a Debian-like system)';
	if (typeof process.getuid === 'function' && process.getuid() !== 0) return `not root: cannot apt-get install ${packages.join(' ')}`;
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const install = () => spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { env, encoding: 'utf8', timeout: 300_000 });
	log(`installing ${packages.join(', ')} from Debian packages (apt-get install -y ${packages.join(' ')})`);
	let r = install();
	if (r.status !== 0) {
		log('apt-get install failed; apt-get update, then once more');
		spawnSync('apt-get', ['update'], { env, encoding: 'utf8', timeout: 300_000 });
		r = install();
	}
	return r.status === 0 ? null : `apt-get install ${packages.join(' ')} failed (exit ${r.status ?? r.signal}): ${(r.stderr || r.stdout || '').slice(-800)}`;
}

/**
 * Finds redis-server and the PostgreSQL binaries, installing the Debian packages redis-server and
 * postgresql when missing (synchronous, so that a test file can decide at load time whether to skip).
 */
export function prepareQueueInfra(log: Log = (m) => process.stdout.write(`[queue infra] ${m}\n`)): QueueInfra {
	const installed: string[] = [];
	let redisServer = which('redis-server');
	if (!redisServer) {
		const problem = aptInstall(['redis-server'], log);
		if (problem) return { skip: `Redis is missing and could not be installed: ${problem}` };
		installed.push('redis-server');
		redisServer = which('redis-server');
		if (!redisServer) return { skip: 'redis-server is still missing after apt-get install redis-server' };
	}
	let pgBin = postgresBin();
	if (!pgBin) {
		const problem = aptInstall(['postgresql'], log);
		if (problem) return { skip: `PostgreSQL is missing and could not be installed: ${problem}` };
		installed.push('postgresql');
		pgBin = postgresBin();
		if (!pgBin) return { skip: 'PostgreSQL binaries still missing after apt-get install postgresql' };
	}
	return { redisServer, pgBin, installed };
}

/** Resolves once something accepts TCP connections on 127.0.0.1:port (or rejects after timeoutMs). */
async function waitForPort(port: number, timeoutMs: number, what: string, exited: () => string | null): Promise<void> {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const gone = exited();
		if (gone) throw new Error(`${what} exited before listening: ${gone}`);
		const open = await new Promise<boolean>((resolve) => {
			const socket = net.connect(port, '127.0.0.1');
			socket.once('connect', () => (socket.destroy(), resolve(true)));
			socket.once('error', () => resolve(false));
		});
		if (open) return;
		if (Date.now() > end) throw new Error(`${what} did not listen on 127.0.0.1:${port} within ${fmtSecs(timeoutMs)}`);
		await sleep(200);
	}
}

export interface Service {
	port: number;
	stop(): Promise<void>;
	logs(): string;
}

/** A child process whose output is kept, in a process group of its own. */
function spawnTracked(cmd: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string }) {
	const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	track(child);
	let output = '';
	const onData = (d: Buffer) => {
		output += d;
		if (output.length > 4e6) output = output.slice(-2e6);
	};
	child.stdout?.on('data', onData);
	child.stderr?.on('data', onData);
	let exited: ExitInfo | null = null;
	const exit = new Promise<ExitInfo>((resolve) => child.on('close', (code, signal) => resolve((exited = { code, signal }))));
	const stop = async (signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<ExitInfo> => {
		if (exited) return exited;
		killGroup(child, signal);
		const t = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
		const r = await exit;
		clearTimeout(t);
		return r;
	};
	return { child, output: () => output, exited: () => exited, stop };
}

/** `redis-server` on a free port of 127.0.0.1, nothing saved to disk. */
export async function startRedis(redisServer: string): Promise<Service> {
	const port = await freePort();
	const p = spawnTracked(redisServer, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {});
	await waitForPort(port, 15_000, 'redis-server', () => (p.exited() ? `${JSON.stringify(p.exited())}\n${p.output().slice(-2000)}` : null));
	return {
		port,
		logs: p.output,
		stop: async () => {
			await p.stop('SIGTERM', 5000);
		},
	};
}

export interface Postgres extends Service {
	database: string;
	user: string;
	dataDir: string;
}

/**
 * A throw-away PostgreSQL cluster (initdb in a temp folder, trust auth, 127.0.0.1 only, fsync off) with
 * a database for n8n. Runs as the `postgres` user when this process is root (initdb refuses root).
 */
export async function startPostgres(pgBin: string): Promise<Postgres> {
	const root = typeof process.getuid === 'function' && process.getuid() === 0;
	const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'n8n-queue-pg-'));
	const dataDir = path.join(dir, 'data');
	const asUser = (cmd: string, args: string[]): [string, string[]] => (root ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]);
	if (root) spawnSync('chown', ['-R', 'postgres:', dir]);
	const user = 'n8n';
	const [initCmd, initArgs] = asUser(path.join(pgBin, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', user, '-E', 'UTF8', '--no-sync', '--locale=C']);
	const init = spawnSync(initCmd, initArgs, { encoding: 'utf8', timeout: 120_000 });
	if (init.status !== 0) throw new Error(`initdb failed (exit ${init.status ?? init.signal}): ${init.stderr || init.stdout}`);
	const port = await freePort();
	const [cmd, args] = asUser(path.join(pgBin, 'postgres'), [
		'-D', dataDir,
		'-p', String(port),
		'-c', 'listen_addresses=127.0.0.1',
		'-c', `unix_socket_directories=${dir}`,
		'-c', 'fsync=off',
		'-c', 'synchronous_commit=off',
		'-c', 'full_page_writes=off',
		'-c', 'max_connections=100',
	]);
	const p = spawnTracked(cmd, args, { cwd: dir });
	const exited = () => (p.exited() ? `${JSON.stringify(p.exited())}\n${p.output().slice(-2000)}` : null);
	await waitForPort(port, 30_000, 'postgres', exited);
	const database = 'n8n';
	// The server listens before it accepts logins: retry createdb for a few seconds.
	for (let attempt = 0; ; attempt++) {
		const r = spawnSync(path.join(pgBin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', user, database], { encoding: 'utf8', timeout: 30_000 });
		if (r.status === 0) break;
		if (attempt >= 20) throw new Error(`createdb failed: ${r.stderr}`);
		await sleep(300);
	}
	return {
		port,
		database,
		user,
		dataDir,
		logs: p.output,
		stop: async () => {
			// SIGINT: postgres' fast shutdown (SIGTERM would wait for n8n's pooled connections).
			await p.stop('SIGINT', 10_000);
			await fsp.rm(dir, { recursive: true, force: true });
		},
	};
}

/** The variables every process of the queue-mode instance shares: the database, the queue, the key. */
export function queueEnv(redis: Service, pg: Postgres): Env {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		QUEUE_HEALTH_CHECK_ACTIVE: 'false',
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(pg.port),
		DB_POSTGRESDB_DATABASE: pg.database,
		DB_POSTGRESDB_USER: pg.user,
		DB_POSTGRESDB_PASSWORD: 'not-checked-trust-auth',
		DB_SQLITE_POOL_SIZE: undefined,
		// Executions started from the editor or the REST API also run on workers.
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
	};
}

export interface Worker {
	name: string;
	home: N8nHome;
	child: ChildProcess;
	logs(): string;
	/** Execution IDs this worker started ("Worker started execution <id>" in its log). */
	executions(): string[];
	stop(): Promise<ExitInfo>;
}

/** `n8n worker --concurrency=<n>` on its own home; resolves when it says it is ready. */
export async function startWorker(name: string, env: Env, { concurrency = 5, timeoutMs = 180_000 }: { concurrency?: number; timeoutMs?: number } = {}): Promise<Worker> {
	const home = await createN8nHome({ extraEnv: env });
	const e: Env = { ...home.env, N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
	const p = spawnTracked(nodeBin(), [n8nBin(), 'worker', `--concurrency=${concurrency}`], { cwd: home.home, env: childEnv(e) });
	const end = Date.now() + timeoutMs;
	while (!/n8n worker is now ready/.test(p.output())) {
		if (p.exited()) throw new Error(`n8n worker ${name} exited (${JSON.stringify(p.exited())})\n${p.output().slice(-6000)}`);
		if (Date.now() > end) {
			await p.stop('SIGKILL');
			throw new Error(`n8n worker ${name} not ready within ${fmtSecs(timeoutMs)}\n${p.output().slice(-6000)}`);
		}
		await sleep(300);
	}
	return {
		name,
		home,
		child: p.child,
		logs: p.output,
		executions: () => [...p.output().matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]),
		stop: async () => {
			const r = await p.stop('SIGTERM', 30_000);
			await removeN8nHome(home);
			return r;
		},
	};
}

export interface QueueInstance {
	redis: Service;
	postgres: Postgres;
	/** n8n's environment for the main process and CLI calls (import:*): shares the database and queue. */
	main: N8nHome;
	/** The main process; a test that restarts it (runtime.restartEditor) puts the new handle here, and stop() ends that one. */
	editor: Editor;
	workers: Worker[];
	env: Env;
	/** Starts one more worker (e.g. after stopping one). */
	addWorker(name: string): Promise<Worker>;
	stop(): Promise<void>;
}

export interface QueueOptions {
	workers?: number;
	/** Runs after the database exists and before n8n starts: imports (CLI calls with `env`). */
	beforeStart?: (main: N8nHome) => Promise<void>;
	log?: Log;
}

/** Redis, Postgres, `n8n start` and `workers` × `n8n worker`, all on 127.0.0.1. */
export async function startQueueInstance(infra: Exclude<QueueInfra, { skip: string }>, { workers = 2, beforeStart, log = () => undefined }: QueueOptions = {}): Promise<QueueInstance> {
	const started = Date.now();
	const redis = await startRedis(infra.redisServer);
	const postgres = await startPostgres(infra.pgBin);
	log(`redis on ${redis.port}, postgres on ${postgres.port} (${fmtSecs(Date.now() - started)})`);
	const env = queueEnv(redis, postgres);
	const main = await createN8nHome({ extraEnv: env });
	const workerList: Worker[] = [];
	let editor: Editor | undefined;
	/** Filled in once everything runs (stop() reads the editor from it). */
	const handle: { instance?: QueueInstance } = {};
	const addWorker = async (name: string) => {
		const worker = await startWorker(name, env);
		workerList.push(worker);
		return worker;
	};
	const stop = async () => {
		await Promise.all(workerList.map(async (w) => await w.stop().catch(() => undefined)));
		// The instance's editor: a test may have restarted the main process (runtime.restartEditor).
		const current = handle.instance?.editor ?? editor;
		if (current) await current.stop().catch(() => undefined);
		await redis.stop();
		await postgres.stop();
		await removeN8nHome(main);
	};
	try {
		if (beforeStart) await beforeStart(main);
		log(`imported (${fmtSecs(Date.now() - started)})`);
		editor = await startEditor(main.env, { port: 0 });
		log(`main started (${fmtSecs(Date.now() - started)})`);
		const names = Array.from({ length: workers }, (_, i) => `worker-${i + 1}`);
		await Promise.all(names.map(async (name) => await addWorker(name)));
		log(`${workers} workers ready (${fmtSecs(Date.now() - started)})`);
	} catch (err) {
		await stop();
		throw err;
	}
	handle.instance = { redis, postgres, main, env, editor, workers: workerList, addWorker, stop };
	return handle.instance;
}

/** A workflow as n8n exports it, as far as the queue-mode runs change it. */
export interface QueueWorkflowNode {
	id?: string;
	name: string;
	type: string;
	typeVersion?: number;
	position?: number[];
	parameters?: Record<string, unknown>;
	credentials?: Record<string, unknown>;
	webhookId?: string;
}
export type QueueConnection = { node: string; type: string; index: number };
/** A type, not an interface: it is then a WorkflowImport (a record) as it is. */
export type QueueWorkflow = { id: string; name: string; nodes: QueueWorkflowNode[]; connections: Record<string, { main: QueueConnection[][] }>; settings?: Record<string, unknown> };

/** A production Webhook trigger (POST) at `path`: in queue mode its executions run on workers. */
export function webhookNode(path: string): QueueWorkflowNode {
	return {
		id: randomUUID(),
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
	};
}

/**
 * A copy of a workflow with its Schedule and Manual triggers replaced by one production Webhook at
 * `path` (POST): in queue mode a webhook's execution runs on a worker.
 */
export function onWebhook(workflow: QueueWorkflow, path: string): QueueWorkflow {
	const wf = JSON.parse(JSON.stringify(workflow)) as QueueWorkflow;
	const triggers = wf.nodes.filter((n) => /\.(scheduleTrigger|manualTrigger)$/.test(n.type)).map((n) => n.name);
	const targets = new Map<string, QueueConnection>();
	for (const name of triggers) for (const c of wf.connections[name]?.main[0] ?? []) targets.set(c.node, c);
	for (const name of triggers) delete wf.connections[name];
	wf.nodes = [webhookNode(path), ...wf.nodes.filter((n) => !triggers.includes(n.name))];
	wf.connections.Webhook = { main: [[...targets.values()]] };
	return wf;
}
