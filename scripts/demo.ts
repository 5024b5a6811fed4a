/**
 * npm run demo            build, install real n8n if missing, start the four simulators with sample
 *                         people, run every sync template in n8n and print what each one did.
 * npm run demo -- --editor   the same setup, then the n8n editor on http://127.0.0.1:5678 with the
 *                         package, credentials, templates and simulators ready to click through.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { labCredentials, loadTemplates, startLab, summarize, type Lab, type SyncSummary, type Template } from './lab';
import * as runtime from './runtime';

const ROOT = path.resolve(__dirname, '..');
const log = (message: string) => console.log(message);

function step(title: string) {
	log(`\n== ${title}`);
}

function build() {
	step('Building the package (npm run build)');
	const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
	if (result.status !== 0) throw new Error('npm run build failed');
}

function totalRequests(lab: Lab): number {
	return lab.all.reduce((sum, sim) => sum + sim.requests.length, 0);
}

/** Runs one template with `n8n execute` and sums up what it did. */
async function runSync(lab: Lab, env: runtime.Env, template: Template, label: string): Promise<SyncSummary> {
	step(`${label} "${template.name}" in n8n`);
	lab.all.forEach((sim) => sim.clearLog());
	const started = Date.now();
	const run = await runtime.executeWorkflow(env, template.id, { allowError: true });
	const seconds = (Date.now() - started) / 1000;
	const error = run.data.resultData.error;
	const source = run.data.resultData.runData[template.sourceNode] ? runtime.nodeOutput(run, template.sourceNode) : [];
	const target = run.data.resultData.runData[template.targetNode] && !error ? runtime.nodeOutput(run, template.targetNode) : [];
	const row = summarize(template, { source, target }, totalRequests(lab), seconds);
	if (error || run.status !== 'success') {
		row.failed = Math.max(row.failed, source.length - row.created - row.updated - row.unchanged, 1);
		log(`   failed: ${error?.message ?? run.status}${error?.description ? `\n   ${error.description}` : ''}`);
	} else {
		log(`   read ${row.read}, created ${row.created}, updated ${row.updated}, unchanged ${row.unchanged}, deleted ${row.deleted}, failed ${row.failed}, ${row.requests} API requests, ${row.seconds} s`);
	}
	return row;
}

/**
 * Runs each on-demand template, then at once again: with nothing changed in between, the second
 * run finds everything unchanged and writes nothing. (The trigger templates run when activated.)
 */
async function runSyncs(lab: Lab, env: runtime.Env): Promise<{ first: SyncSummary[]; again: SyncSummary[] }> {
	const first: SyncSummary[] = [];
	const again: SyncSummary[] = [];
	for (const template of loadTemplates().filter((t) => !t.triggered)) {
		first.push(await runSync(lab, env, template, 'Running'));
		again.push(await runSync(lab, env, template, 'Running again, nothing changed:'));
	}
	return { first, again };
}

async function main(argv: string[]) {
	const editorMode = argv.includes('--editor');
	const started = Date.now();
	build();
	step('Real n8n runtime (n8n 2.41.1 on Node 24, installed into .n8n-runtime/ on first use)');
	await runtime.ensureRuntime({ log: (m) => log(`   ${m}`) });

	step('Starting the vendor simulators on 127.0.0.1');
	const lab = await startLab();
	for (const sim of lab.all) log(`   ${sim.rules.name.padEnd(9)} ${sim.url}`);
	log(`   seeded: Flxpoint ${lab.flxpoint.users.size} users, Flameup ${lab.flameup.people.size} people, PERSCOM ${lab.perscom.users.size} users, Flashduty ${lab.flashduty.members.size} members (overlapping)`);

	const home = await runtime.createN8nHome(editorMode ? { home: path.join(ROOT, '.tmp', 'n8n-demo-home') } : {});
	try {
		step('Importing the credentials and the sync templates into n8n');
		await runtime.importCredentials(home.env, labCredentials(lab));
		for (const template of loadTemplates()) {
			await runtime.importWorkflow(home.env, template.workflow);
			log(`   ${template.file}`);
		}

		if (editorMode) {
			const editor = await runtime.startEditor(home.env, { port: 5678 });
			await runtime.ownerSession(editor);
			step(`n8n editor ready at ${editor.url}`);
			log(`   log in as ${runtime.OWNER.email} / ${runtime.OWNER.password}`);
			log('   open a "People Sync" workflow and click "Execute workflow"; the simulators keep their state.');
			log('   Ctrl-C stops n8n and the simulators.');
			await new Promise<void>((resolve) => {
				process.once('SIGINT', () => resolve());
				process.once('SIGTERM', () => resolve());
			});
			await editor.stop();
			return 0;
		}

		const { first: rows, again } = await runSyncs(lab, home.env);
		step('Summary: each template\'s run');
		console.table(rows);
		step('Summary: each template run again right after (nothing changed, so nothing is written)');
		console.table(again);
		const failed = [...rows, ...again].reduce((sum, r) => sum + r.failed, 0);
		const written = rows.filter((r) => !r.workflow.endsWith('[nothing written]'));
		log(`${rows.length} sync workflows, ${written.reduce((s, r) => s + r.created, 0)} created, ${written.reduce((s, r) => s + r.updated, 0)} updated, ${failed} failed, in ${Math.round((Date.now() - started) / 1000)} s.`);
		log(`Run again right after: ${again.reduce((s, r) => s + r.unchanged, 0)} unchanged, ${again.filter((r) => !r.workflow.endsWith('[nothing written]')).reduce((s, r) => s + r.created + r.updated + r.deleted, 0)} written.`);
		log('What next:');
		log('  - `npm run demo -- --editor`: the same simulators and workflows in the n8n editor (http://127.0.0.1:5678).');
		log('  - Your own n8n: install the package (README, "Install in n8n"), then import a template, e.g.');
		log('    `n8n import:workflow --input=templates/2-perscom-roster-to-flashduty.json`, and pick your credentials.');
		log('  - `npm test`: every test (unit, n8n engine, real n8n 2.x); README.md explains sync modes and triggers.');
		return failed === 0 ? 0 : 1;
	} finally {
		await lab.stop();
		if (!editorMode) await runtime.removeN8nHome(home);
	}
}

main(process.argv.slice(2)).then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	},
);
