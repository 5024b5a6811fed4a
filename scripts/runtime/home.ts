/** Throw-away n8n homes (N8N_USER_FOLDER) with this package installed, and n8n's offline environment. */
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { PROFILE, REPO_ROOT } from './profile';
import { freePort, readJson } from './util';

/** n8n's environment; an undefined value leaves the variable out (see childEnv in children.ts). */
export type Env = Record<string, string | undefined>;

/** Fixed, test-only encryption key: credentials in the throw-away N8N_USER_FOLDER are encrypted with it. */
export const TEST_ENCRYPTION_KEY = 'n8n-nodes-people-sync-e2e-test-key-not-a-secret';

/**
 * Environment that keeps n8n quiet and offline: no telemetry, version checks, templates, banners,
 * license renewal, AI assistant or vetted-community-node look-ups. Everything binds to 127.0.0.1.
 */
export function offlineEnv(): Env {
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

export interface N8nHome {
	home: string;
	/** Only n8n's variables: merge it over process.env (n8nCli does that). */
	env: Env;
	packageName: string;
	nodesDir: string;
}

export interface N8nHomeOptions {
	packageDir?: string;
	home?: string;
	encryptionKey?: string;
	logLevel?: string;
	extraEnv?: Env;
}

/**
 * Make a throw-away N8N_USER_FOLDER with `packageDir` (default: this repository) linked in as an
 * installed community package, so its node types are `<package name>.<node>`.
 */
export async function createN8nHome({ packageDir = REPO_ROOT, home, encryptionKey = TEST_ENCRYPTION_KEY, logLevel = 'info', extraEnv = {} }: N8nHomeOptions = {}): Promise<N8nHome> {
	const root = home || (await fsp.mkdtemp(path.join(os.tmpdir(), 'n8n-home-')));
	const n8nFolder = path.join(root, '.n8n');
	const nodesDir = path.join(n8nFolder, 'nodes');
	const pkg = readJson<{ name: string; version: string }>(path.join(packageDir, 'package.json'));
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
	const env: Env = {
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
export async function removeN8nHome(homeOrHandle: N8nHome | string): Promise<void> {
	const home = typeof homeOrHandle === 'string' ? homeOrHandle : homeOrHandle.home;
	if (!home || !path.basename(home).startsWith('n8n-home-')) throw new Error(`refusing to remove ${home}`);
	// Unlink the package symlinks first, so that nothing can ever walk into the linked repository.
	const nm = path.join(home, '.n8n', 'nodes', 'node_modules');
	const entries = await fsp.readdir(nm).catch((): string[] => []);
	for (const name of entries) {
		const dirs = name.startsWith('@') ? (await fsp.readdir(path.join(nm, name)).catch((): string[] => [])).map((n) => path.join(name, n)) : [name];
		for (const d of dirs) {
			const st = await fsp.lstat(path.join(nm, d)).catch(() => null);
			if (st && st.isSymbolicLink()) await fsp.unlink(path.join(nm, d));
		}
	}
	await fsp.rm(home, { recursive: true, force: true });
}
