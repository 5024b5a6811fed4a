#!/usr/bin/env node
/**
 * Screenshots of the real n8n editor for the README.
 *
 * Usage:
 *   1. In one terminal:   npm run demo -- --editor        (wait for "n8n editor ready at http://127.0.0.1:5678")
 *   2. Once, if missing:  npm install --no-save playwright-core
 *                         and a Chromium (Debian: apt-get install chromium -> /usr/bin/chromium)
 *   3. In another:        node scripts/screenshot-editor.js
 *   4. Ctrl-C the demo.
 *
 * It logs in as the demo owner, opens "People Sync: Flxpoint users → Flameup people", dismisses any
 * modal, clicks "Execute workflow", waits for the run to finish, fits the canvas to view and writes:
 *   docs/images/editor-sync-workflow.png   the canvas after the run (item counts on the connections)
 *   docs/images/editor-flameup-node.png    the "Flameup: Upsert People" node's parameter panel
 *
 * Environment (all optional):
 *   N8N_URL          editor URL                  (default http://127.0.0.1:5678)
 *   N8N_EMAIL        owner e-mail                (default owner@example.com)
 *   N8N_PASSWORD     owner password              (default Test-Owner-Passw0rd)
 *   WORKFLOW_ID      workflow to open            (default psSyncFlxToFlame1)
 *   NODE_NAME        node whose panel to shoot   (default "Flameup: Upsert People")
 *   CHROMIUM_PATH    browser executable          (default /usr/bin/chromium)
 *   OUT_DIR          where to write the PNGs     (default docs/images in the repository)
 *   HEADFUL=1        show the browser window
 */
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

let chromium;
try {
	({ chromium } = require('playwright-core'));
} catch {
	console.error(
		'playwright-core is not installed. Install it without touching package.json:\n' +
			'    npm install --no-save playwright-core\n' +
			'and make sure a Chromium is available (Debian: apt-get install chromium).',
	);
	process.exit(2);
}

const ROOT = path.resolve(__dirname, '..');
const URL = (process.env.N8N_URL || 'http://127.0.0.1:5678').replace(/\/$/, '');
const EMAIL = process.env.N8N_EMAIL || 'owner@example.com';
const PASSWORD = process.env.N8N_PASSWORD || 'Test-Owner-Passw0rd';
const WORKFLOW_ID = process.env.WORKFLOW_ID || 'psSyncFlxToFlame1';
const NODE_NAME = process.env.NODE_NAME || 'Flameup: Upsert People';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const OUT_DIR = path.resolve(process.env.OUT_DIR || path.join(ROOT, 'docs', 'images'));

const log = (m) => console.log(`[screenshot] ${m}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Close whatever modal, dialog or toast n8n put on top of the canvas. */
async function dismissPopups(page) {
	for (let round = 0; round < 4; round++) {
		let closed = false;
		const closers = [
			'.el-dialog__headerbtn', // Element Plus dialogs (personalization survey, what's new, ...)
			'.el-message-box__headerbtn',
			'[data-test-id="close-button"]',
			'.el-notification__closeBtn', // toasts
			'[data-test-id="dismiss"]',
		];
		for (const selector of closers) {
			const items = page.locator(selector);
			const count = await items.count();
			for (let i = count - 1; i >= 0; i--) {
				const item = items.nth(i);
				if (await item.isVisible().catch(() => false)) {
					await item.click({ timeout: 2000 }).catch(() => {});
					closed = true;
				}
			}
		}
		// buttons that skip onboarding prompts
		for (const name of [/^Skip$/i, /^Get started$/i, /^Got it$/i, /^Dismiss$/i, /^Not now$/i, /^Close$/i]) {
			const button = page.getByRole('button', { name });
			if (await button.first().isVisible().catch(() => false)) {
				await button.first().click({ timeout: 2000 }).catch(() => {});
				closed = true;
			}
		}
		if (!closed) {
			await page.keyboard.press('Escape').catch(() => {});
			return;
		}
		await sleep(500);
	}
}

async function signIn(page) {
	log(`signing in at ${URL}/signin as ${EMAIL}`);
	await page.goto(`${URL}/signin`, { waitUntil: 'domcontentloaded' });
	const email = page.locator('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]').first();
	await email.waitFor({ timeout: 60000 });
	await email.fill(EMAIL);
	await page.locator('input[type="password"]').first().fill(PASSWORD);
	const submit = page.locator('[data-test-id="form-submit-button"]');
	if (await submit.count()) await submit.first().click();
	else await page.getByRole('button', { name: /sign in/i }).click();
	await page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 60000 });
}

async function zoomToFit(page) {
	const button = page.locator('[data-test-id="zoom-to-fit"]');
	if (await button.count()) await button.first().click().catch(() => {});
	else {
		await page.locator('.vue-flow__pane, [data-test-id="canvas"]').first().click({ position: { x: 5, y: 5 } }).catch(() => {});
		await page.keyboard.press('Shift+1');
	}
	await sleep(800);
}

async function main() {
	if (!fs.existsSync(CHROMIUM)) {
		console.error(`No Chromium at ${CHROMIUM} (Debian: apt-get install chromium, or set CHROMIUM_PATH).`);
		process.exit(2);
	}
	try {
		const res = await fetch(`${URL}/healthz`);
		if (!res.ok) throw new Error(`HTTP ${res.status}`);
	} catch (error) {
		console.error(`The n8n editor is not reachable at ${URL} (${error.message}). Start it first: npm run demo -- --editor`);
		process.exit(2);
	}
	fs.mkdirSync(OUT_DIR, { recursive: true });

	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'people-sync-shot-'));
	// a fresh, empty profile for every run
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: CHROMIUM,
		viewport: { width: 1600, height: 900 },
		headless: !process.env.HEADFUL,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	try {
		const page = context.pages()[0] || (await context.newPage());
		page.setDefaultTimeout(30000);

		await signIn(page);
		await sleep(1500);
		await dismissPopups(page);

		log(`opening workflow ${WORKFLOW_ID}`);
		await page.goto(`${URL}/workflow/${WORKFLOW_ID}`, { waitUntil: 'domcontentloaded' });
		await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 60000 });
		await sleep(2000);
		await dismissPopups(page);

		log('clicking "Execute workflow"');
		const execute = page.locator('[data-test-id="execute-workflow-button"]').first();
		await execute.waitFor({ state: 'visible' });
		await execute.click();
		// The run is over when n8n reports it (toast) and the button is usable again.
		const done = page.getByText(/Workflow executed successfully|Problem in node|Workflow execution had an error/i).first();
		await done.waitFor({ timeout: 120000 }).catch(() => log('no result toast seen; continuing'));
		await page.waitForFunction(
			() => !document.querySelector('[data-test-id="stop-execution-button"]'),
			null,
			{ timeout: 120000 },
		);
		const toast = (await done.textContent().catch(() => '')) || '';
		log(`run finished: ${toast.trim() || 'unknown result'}`);
		await sleep(1000);
		await dismissPopups(page);
		await zoomToFit(page);
		await page.mouse.move(800, 160); // empty canvas: no node toolbar, no tooltip
		await sleep(500);

		const canvasFile = path.join(OUT_DIR, 'editor-sync-workflow.png');
		await page.screenshot({ path: canvasFile });
		log(`wrote ${path.relative(ROOT, canvasFile)}`);

		log(`opening node "${NODE_NAME}"`);
		const node = page.locator(`[data-test-id="canvas-node"][data-node-name="${NODE_NAME}"]`);
		if (await node.count()) await node.first().dblclick();
		else await page.getByText(NODE_NAME, { exact: true }).first().dblclick();
		await page.locator('[data-test-id="ndv"], .ndv-wrapper, [data-test-id="node-parameters"]').first().waitFor({ timeout: 30000 });
		await sleep(1500);
		await page.mouse.move(5, 890);
		await sleep(300);
		const nodeFile = path.join(OUT_DIR, 'editor-flameup-node.png');
		await page.screenshot({ path: nodeFile });
		log(`wrote ${path.relative(ROOT, nodeFile)}`);
	} finally {
		await context.close();
		fs.rmSync(userDataDir, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
