/**
 * npm run screenshots     the n8n editor's screenshots in docs/images/, in the light and the dark theme.
 *
 * Builds the package, starts real n8n 2.x (scripts/runtime, the package installed as a community node)
 * and the four vendor simulators on 127.0.0.1, imports the credentials (pointing at the simulators) and
 * a few workflows, then drives Debian's Chromium headless (playwright-core, which downloads no browser)
 * through the editor and writes docs/images/editor-<shot>-<theme>.png. Everything stays on 127.0.0.1;
 * n8n, the simulators and Chromium are stopped at the end, whatever happened.
 *
 *   npm run screenshots -- --only=people,agent     only the shots whose names contain one of these words
 *   npm run screenshots -- --theme=dark            one theme only (light, dark)
 *
 * Environment: CHROMIUM_PATH (default /usr/bin/chromium; Debian: apt-get install chromium),
 * OUT_DIR (default docs/images), HEADFUL=1 (a visible window, for a person with a display).
 *
 * The shots (what each proves is in docs/images/README.md):
 *   nodes-panel-people     the nodes panel searched for "people": the four nodes found by their codex aliases
 *   actions-<vendor>       each vendor node's actions in the nodes panel
 *   mapper-auto            PERSCOM Create or Update Many, Fields: Map Automatically
 *   mapper-manual          the same, Map Each Field Manually with fields set
 *   resource-locator-modes PERSCOM Get's User ID or Email: the resource locator's modes (From list, By ID, By Email)
 *   resource-locator       the same with "From list" open: users listed from the PERSCOM simulator
 *   perscom-dropdown       PERSCOM Get Many, Filters, Rank: its dropdown open (a number field before it loads options)
 *   agent-canvas           an AI Agent with an OpenAI Chat Model and the four People Sync nodes as tools
 *   sync-workflow          template 1 (Flxpoint → Flameup) after a run in the editor, item counts on the connections
 *   flameup-node           that run's "Flameup: Upsert People" node: parameters, input and output
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

import { PERSCOM_MAPPER_FIELDS } from '../nodes/Perscom/mapping';
import { fromAI } from '../nodes/shared/descriptions/common';
import { CREDENTIAL_REFS, labCredentials, loadTemplates, startLab, type Lab } from './lab';
import * as runtime from './runtime';

const ROOT = path.resolve(__dirname, '..');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const OUT_DIR = path.resolve(process.env.OUT_DIR || path.join(ROOT, 'docs', 'images'));
const VIEWPORT = { width: 1440, height: 900 };
const THEMES = ['light', 'dark'] as const;
type Theme = (typeof THEMES)[number];

const PKG = 'n8n-nodes-people-sync';
/**
 * Each theme gets its own copy of every workflow: the editor saves what a shot changes, and keeps a
 * workflow read-only for a while in another browser session after one had it open.
 */
const workflowIds = (theme: Theme) => {
	const t = theme === 'light' ? 'L' : 'D';
	return { showcase: `psShotsShowcase${t}`, agent: `psShotsAgent0000${t}`, sync: `${loadTemplates()[0].id}${t}` };
};
const OPENAI_CREDENTIAL = { id: 'psShotsOpenAiCred', name: 'OpenAI account' };
const NODE = {
	auto: 'PERSCOM: Map Automatically',
	manual: 'PERSCOM: Map Each Field Manually',
	get: 'PERSCOM: Get User',
	getAll: 'PERSCOM: Get Many Users',
};
const VENDORS = [
	{ key: 'flashduty', name: 'Flashduty' },
	{ key: 'flameup', name: 'Flameup' },
	{ key: 'flxpoint', name: 'Flxpoint' },
	{ key: 'perscom', name: 'PERSCOM' },
];

const log = (message: string) => console.log(`[screenshots] ${message}`);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Position = [number, number];
interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: Position;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
}
const main0 = (node: string) => ({ main: [[{ node, type: 'main', index: 0 }]] });

/** The PERSCOM nodes the parameter shots open, behind a trigger with pinned sample people (the input panel shows them). */
function showcaseWorkflow(id: string) {
	const perscom = (id: string, name: string, position: Position, parameters: Record<string, unknown>): WorkflowNode => ({
		id,
		name,
		type: `${PKG}.perscom`,
		typeVersion: 1,
		position,
		parameters: { resource: 'user', ...parameters },
		credentials: { perscomApi: CREDENTIAL_REFS.perscomApi },
	});
	const manualValues: Record<string, unknown> = {
		email: '={{ $json.email }}',
		firstName: '={{ $json.firstName }}',
		lastName: '={{ $json.lastName }}',
		approved: true,
		rank_id: '={{ $json.rankId }}',
	};
	const schema = PERSCOM_MAPPER_FIELDS.map((f) => ({ ...f, removed: !(f.id in manualValues) }));
	const people = [
		{ email: 'ada.lovelace@example.com', firstName: 'Ada', lastName: 'Lovelace', rankId: 3 },
		{ email: 'grace.hopper@example.com', firstName: 'Grace', lastName: 'Hopper', rankId: 5 },
	];
	const trigger = 'Sample People';
	return {
		id,
		name: 'People Sync: editor tour (screenshots)',
		nodes: [
			{ id: 's1', name: trigger, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 200] as Position, parameters: {} },
			perscom('s2', NODE.auto, [300, 0], { operation: 'batchUpsert', columns: { mappingMode: 'autoMapInputData', value: null } }),
			perscom('s3', NODE.manual, [300, 150], { operation: 'batchUpsert', columns: { mappingMode: 'defineBelow', value: manualValues, matchingColumns: [], schema } }),
			perscom('s4', NODE.get, [300, 300], { operation: 'get' }),
			perscom('s5', NODE.getAll, [300, 450], { operation: 'getAll', filters: {} }),
		],
		connections: {
			[trigger]: {
				main: [[NODE.auto, NODE.manual, NODE.get, NODE.getAll].map((node) => ({ node, type: 'main', index: 0 }))],
			},
		},
		pinData: { [trigger]: people.map((json) => ({ json })) },
		settings: { executionOrder: 'v1' },
	};
}

/** The shape of test/e2e/agent.test.ts: an AI Agent with an OpenAI Chat Model and the People Sync nodes as its tools. */
function agentWorkflow(id: string) {
	const tool = (id: string, name: string, vendor: string, position: Position, parameters: Record<string, unknown>): WorkflowNode => ({
		id,
		name,
		type: `${PKG}.${vendor}Tool`,
		typeVersion: 1,
		position,
		parameters,
		credentials: { [`${vendor}Api`]: CREDENTIAL_REFS[`${vendor}Api` as keyof typeof CREDENTIAL_REFS] },
	});
	const nodes: WorkflowNode[] = [
		{ id: 'a1', name: 'Run Now', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'a2',
			name: 'Request',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [220, 0],
			parameters: {
				assignments: { assignments: [{ id: 'c1', name: 'chatInput', type: 'string', value: 'Add Ada Lovelace (ada@example.com) to Flameup, then check her PERSCOM record.' }] },
				options: {},
			},
		},
		{
			id: 'a3',
			name: 'AI Agent',
			type: '@n8n/n8n-nodes-langchain.agent',
			typeVersion: 3.1,
			position: [460, 0],
			parameters: { promptType: 'define', text: '={{ $json.chatInput }}', options: { systemMessage: 'You manage people records with the tools given.' } },
		},
		{
			id: 'a4',
			name: 'OpenAI Chat Model',
			type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
			typeVersion: 1.2,
			position: [300, 240],
			parameters: { model: { __rl: true, mode: 'id', value: 'gpt-4o-mini' }, options: {} },
			credentials: { openAiApi: OPENAI_CREDENTIAL },
		},
		tool('a5', 'Flameup: Create Person', 'flameup', [480, 240], {
			resource: 'person',
			operation: 'create',
			// "let the model define" these, as the editor writes it
			userId: fromAI('User ID', 'Your own ID for the person, e.g. user-123'),
			email: fromAI('Email', 'The email address of the person'),
			additionalFields: { firstName: fromAI('First Name', 'The first name'), lastName: fromAI('Last Name', 'The last name') },
		}),
		tool('a6', 'PERSCOM: Get User', 'perscom', [640, 240], { resource: 'user', operation: 'get' }),
		tool('a7', 'Flashduty: Get Member', 'flashduty', [800, 240], { resource: 'member', operation: 'get' }),
		tool('a8', 'Flxpoint: Get Many Users', 'flxpoint', [960, 240], { resource: 'user', operation: 'getAll' }),
	];
	const toAgent = (type: string) => ({ [type]: [[{ node: 'AI Agent', type, index: 0 }]] });
	return {
		id,
		name: 'People Sync: AI Agent with People Sync tools',
		nodes,
		connections: {
			'Run Now': main0('Request'),
			Request: main0('AI Agent'),
			'OpenAI Chat Model': toAgent('ai_languageModel'),
			...Object.fromEntries(nodes.filter((n) => n.type.endsWith('Tool')).map((n) => [n.name, toAgent('ai_tool')])),
		},
		settings: { executionOrder: 'v1' },
	};
}

function build() {
	log('building the package (npm run build)');
	const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
	if (result.status !== 0) throw new Error('npm run build failed');
}

interface Shooter {
	page: Page;
	url: string;
	theme: Theme;
	ids: ReturnType<typeof workflowIds>;
	written: string[];
}

async function save(s: Shooter, name: string, target?: Locator, clip?: { x: number; y: number; width: number; height: number }) {
	const file = path.join(OUT_DIR, `editor-${name}-${s.theme}.png`);
	await s.page.mouse.move(VIEWPORT.width - 2, VIEWPORT.height - 2); // no hover highlight or tooltip
	await sleep(400);
	if (target) await target.screenshot({ path: file, animations: 'disabled' });
	else await s.page.screenshot({ path: file, clip, animations: 'disabled' });
	s.written.push(file);
	log(`wrote ${path.relative(ROOT, file)} (${Math.round(fs.statSync(file).size / 1024)} KB)`);
}

/** Closes whatever modal, dialog or toast n8n put on top. */
async function dismissPopups(page: Page) {
	const closers = ['.el-dialog__headerbtn', '.el-message-box__headerbtn', '.el-notification__closeBtn', '[data-test-id="dialog-close-button"]'];
	for (let round = 0; round < 3; round++) {
		let closed = false;
		for (const selector of closers) {
			const items = page.locator(selector);
			for (let i = (await items.count()) - 1; i >= 0; i--) {
				if (await items.nth(i).isVisible().catch(() => false)) {
					await items.nth(i).click({ timeout: 2000 }).catch(() => undefined);
					closed = true;
				}
			}
		}
		if (!closed) return;
		await sleep(400);
	}
}

async function signIn(page: Page, url: string) {
	await page.goto(`${url}/signin`, { waitUntil: 'domcontentloaded' });
	const email = page.locator('input[name="emailOrLdapLoginId"], input[type="email"]').first();
	await email.waitFor({ timeout: 60000 });
	await email.fill(runtime.OWNER.email);
	await page.locator('input[type="password"]').first().fill(runtime.OWNER.password);
	const submit = page.locator('[data-test-id="form-submit-button"]');
	if (await submit.count()) await submit.first().click();
	else await page.getByRole('button', { name: /sign in/i }).click();
	await page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 60000 });
}

async function openWorkflow(s: Shooter, id: string) {
	await s.page.goto(`${s.url}/workflow/${id}`, { waitUntil: 'domcontentloaded' });
	await s.page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 60000 });
	await sleep(1200);
	await dismissPopups(s.page);
}

async function zoomToFit(page: Page) {
	const button = page.locator('[data-test-id="zoom-to-fit"]');
	if (await button.count()) await button.first().click().catch(() => undefined);
	else await page.keyboard.press('Shift+1');
	await sleep(800);
}

function canvasNode(page: Page, name: string): Locator {
	return page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).or(page.locator('[data-test-id="canvas-node"]').filter({ hasText: name })).first();
}

async function openNode(s: Shooter, name: string) {
	await canvasNode(s.page, name).dblclick();
	await s.page.locator('[data-test-id="ndv"]').first().waitFor({ timeout: 30000 });
	await sleep(1500);
}

/** The nodes panel, opened with the canvas' + button, searched for `text`. */
async function searchNodes(s: Shooter, text: string): Promise<Locator> {
	const add = s.page.locator('[data-test-id="canvas-add-button"], [data-test-id="node-creator-plus-button"], [data-test-id="canvas-plus-button"]');
	if (await add.first().isVisible().catch(() => false)) await add.first().click();
	else await s.page.keyboard.press('Tab');
	const creator = s.page.locator('[data-test-id="node-creator"]').first();
	await creator.waitFor({ timeout: 20000 });
	const bar = s.page.locator('[data-test-id="node-creator-search-bar"]').first();
	const input = (await bar.evaluate((el) => el.tagName === 'INPUT')) ? bar : bar.locator('input').first();
	await input.fill(text);
	await sleep(1200);
	return creator;
}

/** An option of the open dropdown (Element Plus select or n8n's own), by its text. */
function dropdownOption(page: Page, text: RegExp): Locator {
	return page
		.locator('.el-select-dropdown__item:visible, [role="option"]:visible, .el-dropdown-menu__item:visible')
		.filter({ hasText: text })
		.first();
}

type Step = { name: string; run: (s: Shooter) => Promise<void> };

const STEPS: Step[] = [
	{
		name: 'nodes-panel-people',
		run: async (s) => {
			await openWorkflow(s, s.ids.showcase);
			const creator = await searchNodes(s, 'people');
			const names = await creator.locator('[data-test-id="node-creator-item-name"]').allInnerTexts();
			const found = VENDORS.filter((v) => names.some((n) => n.trim().startsWith(v.name)));
			log(`"people" found: ${names.map((n) => n.trim()).join(', ') || 'nothing'}`);
			if (found.length < VENDORS.length) log(`WARNING: "people" did not find ${VENDORS.filter((v) => !found.includes(v)).map((v) => v.name).join(', ')}`);
			await save(s, 'nodes-panel-people', creator);
		},
	},
	...VENDORS.map(
		(vendor): Step => ({
			name: `actions-${vendor.key}`,
			run: async (s) => {
				await openWorkflow(s, s.ids.showcase);
				const creator = await searchNodes(s, vendor.name);
				const item = creator.locator('[data-test-id="node-creator-item-name"]').filter({ hasText: new RegExp(`^\\s*${vendor.name}\\s*$`) }).first();
				await item.click();
				await creator.locator('[data-test-id="node-creator-action-item"]').first().waitFor({ timeout: 20000 });
				await sleep(800);
				await save(s, `actions-${vendor.key}`, creator);
			},
		}),
	),
	{
		name: 'mapper-auto',
		run: async (s) => {
			await openWorkflow(s, s.ids.showcase);
			await openNode(s, NODE.auto);
			await s.page.locator('[data-test-id="mapping-mode-select"]').first().waitFor({ timeout: 20000 });
			await save(s, 'mapper-auto');
		},
	},
	{
		name: 'mapper-manual',
		run: async (s) => {
			await openWorkflow(s, s.ids.showcase);
			await openNode(s, NODE.manual);
			const mapper = s.page.locator('[data-test-id="resource-mapper-container"]').first();
			await mapper.waitFor({ timeout: 20000 });
			await sleep(1000);
			await mapper.scrollIntoViewIfNeeded();
			await save(s, 'mapper-manual');
		},
	},
	{
		name: 'resource-locator',
		run: async (s) => {
			await openWorkflow(s, s.ids.showcase);
			await openNode(s, NODE.get);
			const locator = s.page.locator('[data-test-id="resource-locator-id"]').first();
			if (await locator.isVisible().catch(() => false)) {
				// n8n's resource locator: pick "From list" and open the list (loaded from the PERSCOM simulator)
				const mode = locator.locator('[data-test-id="rlc-mode-selector"]').first();
				await mode.click();
				await sleep(600);
				await save(s, 'resource-locator-modes'); // From list / By ID / By Email
				const fromList = dropdownOption(s.page, /From list/i);
				if (await fromList.isVisible().catch(() => false)) await fromList.click();
				else await s.page.keyboard.press('Escape');
				await sleep(400);
				await locator.locator('[data-test-id="rlc-input"]').first().click();
				await s.page.locator('[data-test-id="rlc-item"]:visible').first().waitFor({ timeout: 20000 }).catch(() => log('the From list shows no users'));
				await sleep(800);
			} else {
				log('PERSCOM Get has no resource locator yet: shooting its plain ID field');
			}
			await save(s, 'resource-locator');
		},
	},
	{
		name: 'perscom-dropdown',
		run: async (s) => {
			await openWorkflow(s, s.ids.showcase);
			await openNode(s, NODE.getAll);
			const ndv = s.page.locator('[data-test-id="ndv"]').first();
			const filters = ndv.locator('[data-test-id="parameter-item"]').filter({ hasText: /^\s*Filters/ }).first();
			await filters.scrollIntoViewIfNeeded();
			for (const label of [/^\s*Rank/, /^\s*Unit/]) {
				// Filters is the first collection of Get Many (Options the second)
				await ndv.locator('[data-test-id="collection-parameter-add-dropdown"], [data-test-id="collection-parameter-add"]').first().click();
				await sleep(400);
				const option = dropdownOption(s.page, label);
				await option.waitFor({ timeout: 10000 });
				await option.click();
				await sleep(600);
			}
			// open the Rank dropdown (loadOptions from the PERSCOM simulator) if Rank is one
			const rank = ndv.locator('[data-test-id^="parameter-input-rank"]').first();
			const select = rank.locator('.el-select, [role="combobox"], input').first();
			if (await select.isVisible().catch(() => false)) {
				await select.click();
				await s.page.locator('.el-select-dropdown__item:visible').first().waitFor({ timeout: 15000 }).catch(() => log('Rank opened no dropdown (a number field)'));
				await sleep(800);
			} else log('no Rank input found');
			await save(s, 'perscom-dropdown');
		},
	},
	{
		name: 'agent-canvas',
		run: async (s) => {
			await openWorkflow(s, s.ids.agent);
			await zoomToFit(s.page);
			await save(s, 'agent-canvas');
		},
	},
	{
		name: 'sync-workflow',
		run: async (s) => {
			const template = loadTemplates()[0];
			await openWorkflow(s, s.ids.sync);
			const execute = s.page.locator('[data-test-id="execute-workflow-button"]').first();
			await execute.click();
			const done = s.page.getByText(/Workflow executed successfully|Problem in node|Workflow execution had an error/i).first();
			await done.waitFor({ timeout: 120000 }).catch(() => log('no result toast seen; going on'));
			await s.page.waitForFunction('!document.querySelector(\'[data-test-id="stop-execution-button"]\')', null, { timeout: 120000 });
			await sleep(800);
			await dismissPopups(s.page);
			await zoomToFit(s.page);
			await save(s, 'sync-workflow');
			await openNode(s, template.targetNode);
			await save(s, 'flameup-node');
		},
	},
];

async function shootTheme(browser: Browser, url: string, theme: Theme, steps: Step[]): Promise<{ written: string[]; failed: string[] }> {
	const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: theme, deviceScaleFactor: 1 });
	// n8n reads its theme from localStorage N8N_THEME ('light' or 'dark') when the editor starts
	await context.addInitScript({ content: `window.localStorage.setItem('N8N_THEME', ${JSON.stringify(theme)});` });
	const page = await context.newPage();
	page.setDefaultTimeout(30000);
	const s: Shooter = { page, url, theme, ids: workflowIds(theme), written: [] };
	const failed: string[] = [];
	try {
		await signIn(page, url);
		await sleep(1000);
		await dismissPopups(page);
		for (const step of steps) {
			log(`${theme}: ${step.name}`);
			try {
				await step.run(s);
			} catch (error) {
				failed.push(`${step.name} (${theme})`);
				log(`FAILED ${step.name} (${theme}): ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
				await page.screenshot({ path: path.join(os.tmpdir(), `people-sync-shot-failed-${step.name}-${theme}.png`) }).catch(() => undefined);
			}
		}
	} finally {
		await context.close();
	}
	return { written: s.written, failed };
}

function parseArgs(argv: string[]) {
	const value = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
	const only = value('only')?.split(',').filter(Boolean) ?? [];
	const theme = value('theme');
	if (theme && !THEMES.includes(theme as Theme)) throw new Error(`--theme=${theme}: light or dark`);
	return { only, themes: theme ? [theme as Theme] : [...THEMES] };
}

async function main(argv: string[]): Promise<number> {
	const { only, themes } = parseArgs(argv);
	const steps = STEPS.filter((step) => only.length === 0 || only.some((word) => step.name.includes(word)));
	if (steps.length === 0) throw new Error(`--only=${only.join(',')} matches none of ${STEPS.map((s) => s.name).join(', ')}`);
	if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (Debian: apt-get install chromium; or set CHROMIUM_PATH)`);
	build();
	await runtime.ensureRuntime({ log: (m) => log(`runtime: ${m}`) });

	let lab: Lab | undefined;
	let home: runtime.N8nHome | undefined;
	let editor: runtime.Editor | undefined;
	let browser: Browser | undefined;
	const stopAll = async () => {
		await browser?.close().catch(() => undefined);
		await editor?.stop().catch(() => undefined);
		await lab?.stop().catch(() => undefined);
		if (home) await runtime.removeN8nHome(home).catch(() => undefined);
	};
	const onSignal = () => void stopAll().then(() => process.exit(130));
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	try {
		lab = await startLab();
		log(`simulators: ${lab.all.map((sim) => `${sim.rules.name} ${sim.url}`).join(', ')}`);
		home = await runtime.createN8nHome();
		await runtime.importCredentials(home.env, [
			...labCredentials(lab),
			// the agent canvas is only looked at, never run: its model credential points at a closed port on 127.0.0.1
			{ ...OPENAI_CREDENTIAL, type: 'openAiApi', data: { apiKey: 'sk-screenshots-not-a-key', url: `http://127.0.0.1:${await runtime.freePort()}/v1`, header: false } },
		]);
		for (const theme of themes) {
			const ids = workflowIds(theme);
			await runtime.importWorkflow(home.env, showcaseWorkflow(ids.showcase));
			await runtime.importWorkflow(home.env, agentWorkflow(ids.agent));
			await runtime.importWorkflow(home.env, { ...loadTemplates()[0].workflow, id: ids.sync });
		}
		editor = await runtime.startEditor(home.env, { port: 0 });
		await runtime.ownerSession(editor); // sets the owner up on this fresh instance
		log(`n8n editor at ${editor.url}`);

		await fsp.mkdir(OUT_DIR, { recursive: true });
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			headless: !process.env.HEADFUL,
			// the flags that keep Chromium off the network (this machine has none beyond 127.0.0.1)
			args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars'],
		});
		const written: string[] = [];
		const failed: string[] = [];
		for (const theme of themes) {
			const r = await shootTheme(browser, editor.url, theme, steps);
			written.push(...r.written);
			failed.push(...r.failed);
		}
		log(`${written.length} screenshots in ${OUT_DIR}:`);
		for (const file of written) log(`  ${path.relative(ROOT, file)}`);
		if (failed.length) log(`failed: ${failed.join(', ')} (what the page showed then: ${os.tmpdir()}/people-sync-shot-failed-*.png)`);
		return failed.length ? 1 : 0;
	} finally {
		await stopAll();
	}
}

main(process.argv.slice(2)).then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	},
);
