/**
 * End to end: real n8n 2.41.1 (Node 24, installed by scripts/runtime/), or with N8N_RUNTIME_PROFILE=v1
 * n8n 1.123.81 (this Node 20, `npm run test:e2e:v1`), with this package installed as a
 * community package, the sync templates imported and executed with `n8n execute`, against the vendor
 * simulators. A run that prints no result JSON fails (runtime.executeWorkflow throws).
 */
import { labCredentials, loadTemplates, SEED, startLab, type Lab, type Template } from '../../scripts/lab';
import * as runtime from '../../scripts/runtime';
import { samplePeople } from '../../simulators/core/people';
import type { SimServer } from '../../simulators/core/server';
import { FLAMEUP_TEST_KEY } from '../../simulators/flameup';
import { FLASHDUTY_TEST_KEY } from '../../simulators/flashduty';
import { FLXPOINT_SOURCE_TOKEN, FLXPOINT_TEST_TOKEN } from '../../simulators/flxpoint';
import { PERSCOM_TEST_KEY } from '../../simulators/perscom';

jest.setTimeout(15 * 60_000);

let lab: Lab;
let home: runtime.N8nHome;
const templates = loadTemplates();
const byFile = (prefix: string): Template => templates.find((t) => t.file.startsWith(prefix))!;

/** Requests that write: all but the vendors' reads (GET, and the list and search calls sent as POST). */
const writeRequests = (sim: SimServer) => sim.requests.filter((r) => r.method !== 'GET' && !/\/(member\/list|person\/infos|users\/search)$/.test(r.path));

/**
 * Runs a template again right after its first run, in a new `n8n execute` process: with the source
 * unchanged every item is `unchanged`, the target gets 0 write requests and holds the same records.
 * Templates writing to Flameup compare with the last run (fingerprints in n8n's database), so this
 * also shows that they persist between two executions of n8n.
 */
async function expectNothingWritten(template: Template, targetSim: SimServer, targetSize: () => number) {
	const before = targetSize();
	targetSim.clearLog();
	const { target } = await execute(template);
	expect({ template: template.file, ...actions(target) }).toEqual({ template: template.file, created: 0, updated: 0, unchanged: target.length, deleted: 0, errors: 0 });
	expect(writeRequests(targetSim)).toEqual([]);
	expect(targetSize()).toBe(before);
}

async function execute(template: Template) {
	const run = await runtime.executeWorkflow(home.env, template.id);
	expect(run.status).toBe('success');
	expect(run.data.resultData.error).toBeUndefined();
	return { run, source: runtime.nodeOutput(run, template.sourceNode), target: runtime.nodeOutput(run, template.targetNode) };
}

const actions = (items: Array<Record<string, unknown>>) => ({
	created: items.filter((i) => i.action === 'created').length,
	updated: items.filter((i) => i.action === 'updated').length,
	unchanged: items.filter((i) => i.action === 'unchanged').length,
	deleted: items.filter((i) => i.action === 'deleted').length,
	errors: items.filter((i) => i.error !== undefined).length,
});

/** Sample person numbers in [from, from + count). */
const range = ([from, count]: readonly [number, number]) => samplePeople(from, count);

beforeAll(async () => {
	await runtime.ensureRuntime({ log: (m) => process.stdout.write(`[n8n runtime] ${m}\n`) });
	lab = await startLab();
	home = await runtime.createN8nHome();
	await runtime.importCredentials(home.env, labCredentials(lab));
	for (const template of templates) await runtime.importWorkflow(home.env, template.workflow);
});

afterAll(async () => {
	await lab?.stop();
	if (home) await runtime.removeN8nHome(home);
});

describe('sync templates in real n8n', () => {
	test('1. Flxpoint users → Flameup people: every user lands, overlaps are updated', async () => {
		const { source, target } = await execute(byFile('1-'));
		expect(source).toHaveLength(SEED.flxpoint[1]);
		// Flxpoint 0–299 into Flameup 200–349: 200 new, 100 existing.
		expect(actions(target)).toEqual({ created: 200, updated: 100, unchanged: 0, deleted: 0, errors: 0 });
		for (const person of range(SEED.flxpoint)) {
			const stored = lab.flameup.byEmail(person.email);
			expect(stored).toMatchObject({ email: person.email, first_name: person.firstName, last_name: person.lastName });
		}
		expect(lab.flameup.people.size).toBe(350);
		await expectNothingWritten(byFile('1-'), lab.flameup, () => lab.flameup.people.size);
		expect(lab.flameup.requests).toEqual([]);
	});

	test('2. PERSCOM approved roster → Flashduty members, mirrored: users removed from PERSCOM are deleted from Flashduty', async () => {
		const approved = range(SEED.perscom).filter((p) => p.n % 5 !== 4);
		const { source, target } = await execute(byFile('2-'));
		expect(source).toHaveLength(approved.length);
		expect(source.every((u) => u.status === 'approved')).toBe(true);
		const expectedUpdates = approved.filter((p) => p.n >= SEED.flashduty[0] && p.n < SEED.flashduty[0] + SEED.flashduty[1]).length;
		expect(actions(target)).toEqual({ created: approved.length - expectedUpdates, updated: expectedUpdates, unchanged: 0, deleted: 0, errors: 0 });
		const members = [...lab.flashduty.members.values()];
		for (const person of approved) {
			const member = members.find((m) => m.email === person.email);
			expect(member).toBeDefined();
			expect(member?.ref_id).toMatch(/^perscom-\d+$/);
		}
		await expectNothingWritten(byFile('2-'), lab.flashduty, () => lab.flashduty.members.size);

		// Five approved users leave PERSCOM: the next run deletes exactly their five members.
		const leaving = [...lab.perscom.users.values()].filter((u) => u.approved).slice(0, 5);
		leaving.forEach((u) => lab.perscom.users.delete(u.id));
		const unmanaged = [...lab.flashduty.members.values()].filter((m) => !m.ref_id?.startsWith('perscom-')).length;
		lab.flashduty.clearLog();
		const mirrored = await execute(byFile('2-'));
		expect(actions(mirrored.target)).toEqual({ created: 0, updated: 0, unchanged: approved.length - 5, deleted: 5, errors: 0 });
		expect(mirrored.target.filter((m) => m.action === 'deleted').map((m) => m.email).sort()).toEqual(leaving.map((u) => u.email.toLowerCase()).sort());
		expect(writeRequests(lab.flashduty).map((r) => r.path)).toEqual(Array(5).fill('/member/delete'));
		for (const user of leaving) expect(lab.flashduty.byEmail(user.email)).toBeUndefined();
		// Members outside the "perscom-" prefix were never touched.
		expect([...lab.flashduty.members.values()].filter((m) => !m.ref_id?.startsWith('perscom-'))).toHaveLength(unmanaged);
	});

	test('5. a dry run of the mirror writes nothing, and its summary says what the real run then does', async () => {
		const [leaving, renamed] = [...lab.perscom.users.values()].filter((u) => u.approved).slice(0, 2);
		lab.perscom.users.delete(leaving.id);
		renamed.name = 'Renamed Person';
		lab.flashduty.clearLog();
		const preview = await execute(byFile('5-'));
		expect(writeRequests(lab.flashduty)).toEqual([]);
		expect(preview.target.every((m) => m.dryRun === true)).toBe(true);
		const [message] = runtime.nodeOutput(preview.run, 'Slack Message');
		expect(message).toMatchObject({ toCreate: 0, toUpdate: 1, toDelete: 1 });
		expect(message.text).toContain('0 to invite, 1 to update, 1 to delete');
		expect(message.text).toContain(`• deleted: ${leaving.email.toLowerCase()}`);
		expect(message.text).toContain('(name)');

		const real = await execute(byFile('2-'));
		expect(actions(real.target)).toMatchObject({ created: 0, updated: 1, deleted: 1, errors: 0 });
		expect(writeRequests(lab.flashduty)).toHaveLength(2);
		expect(real.target.find((m) => m.action === 'updated')).toMatchObject({ name: 'Renamed Person', changes: { name: { to: 'Renamed Person' } } });
	});

	test('3. Flashduty members → Flameup people', async () => {
		const { source, target } = await execute(byFile('3-'));
		expect(source.length).toBe(lab.flashduty.members.size);
		const counts = actions(target);
		expect(counts.errors).toBe(0);
		expect(counts.created + counts.updated).toBe(source.filter((m) => m.email).length);
		for (const member of source) expect(lab.flameup.byEmail(String(member.email))).toBeDefined();
		await expectNothingWritten(byFile('3-'), lab.flameup, () => lab.flameup.people.size);
	});

	test('4. Flameup people → PERSCOM users', async () => {
		const { source, target } = await execute(byFile('4-'));
		expect(actions(target).errors).toBe(0);
		const users = [...lab.perscom.users.values()];
		for (const person of source) expect(users.find((u) => u.email === person.email)).toBeDefined();
		expect(actions(target).created).toBeGreaterThan(0);
		expect(actions(target).updated).toBeGreaterThan(0);
		await expectNothingWritten(byFile('4-'), lab.perscom, () => lab.perscom.users.size);
	});

	test('a run against simulators answering 429s and 500s along the way still syncs every record', async () => {
		const newcomers = samplePeople(900, 40);
		lab.flxpoint.seedSample(newcomers);
		lab.flxpoint.failNext(1, { status: 429, headers: { 'Retry-After': '1' } });
		lab.flameup.failNext(2, { status: 429, headers: { 'X-RateLimit-Reset': String(Math.ceil(Date.now() / 1000) + 1) }, body: { error: 'Rate limit exceeded', message: 'Too many requests' } });
		lab.flameup.failNext(1, { status: 500 });
		lab.all.forEach((sim) => sim.clearLog());
		const { target } = await execute(byFile('1-'));
		// The 300 synced before are unchanged and not sent: only the 40 newcomers are written.
		expect(actions(target)).toEqual({ created: 40, updated: 0, unchanged: SEED.flxpoint[1], deleted: 0, errors: 0 });
		for (const person of newcomers) expect(lab.flameup.byEmail(person.email)).toBeDefined();
		expect(lab.flameup.statusCounts.get(429)).toBe(2);
		expect(lab.flameup.statusCounts.get(500)).toBe(1);
		expect(lab.flxpoint.statusCounts.get(429)).toBe(1);
	});
});

describe("n8n's own credential test (Test connection)", () => {
	test('passes with the right key and fails with a wrong one, for every credential', async () => {
		const wrong = labCredentials(lab, {
			flameupApi: { apiKey: 'ws_live_wrong.' + '0'.repeat(64) },
			flashdutyApi: { appKey: 'wrong-app-key-0000' },
			flxpointApi: { apiToken: 'wrong-token-0000' },
			perscomApi: { apiKey: 'wrong.jwt.key' },
		}).map((c) => ({ ...c, id: `${c.id.slice(0, 14)}Bad`, name: `${c.name} (wrong key)` }));
		await runtime.importCredentials(home.env, wrong);
		const editor = await runtime.startEditor(home.env, { port: 0 });
		try {
			await runtime.ownerSession(editor);
			for (const credential of labCredentials(lab)) {
				expect({ id: credential.id, ...(await runtime.testCredential(editor, credential.id)) }).toMatchObject({ id: credential.id, status: 'OK' });
			}
			for (const credential of wrong) {
				const result = await runtime.testCredential(editor, credential.id);
				expect({ id: credential.id, status: result.status }).toEqual({ id: credential.id, status: 'Error' });
				expect(result.message).not.toContain('wrong-app-key-0000');
			}
		} finally {
			await editor.stop();
		}
	});

	test('a key saved with a trailing newline or spaces still connects; a Source token and a 200 error envelope fail', async () => {
		const padded = labCredentials(lab, {
			flameupApi: { apiKey: `${FLAMEUP_TEST_KEY}\n` },
			flashdutyApi: { appKey: ` ${FLASHDUTY_TEST_KEY} ` },
			flxpointApi: { apiToken: `${FLXPOINT_TEST_TOKEN}\r\n` },
			perscomApi: { apiKey: `${PERSCOM_TEST_KEY} \n` },
		}).map((c) => ({ ...c, id: `${c.id.slice(0, 14)}Pad`, name: `${c.name} (padded key)` }));
		const [source] = labCredentials(lab, { flxpointApi: { apiToken: FLXPOINT_SOURCE_TOKEN } })
			.filter((c) => c.type === 'flxpointApi')
			.map((c) => ({ ...c, id: `${c.id.slice(0, 14)}Src`, name: `${c.name} (source token)` }));
		await runtime.importCredentials(home.env, [...padded, source]);
		const editor = await runtime.startEditor(home.env, { port: 0 });
		try {
			await runtime.ownerSession(editor);
			for (const credential of padded) {
				expect({ id: credential.id, ...(await runtime.testCredential(editor, credential.id)) }).toMatchObject({ id: credential.id, status: 'OK' });
			}
			// A Source token is valid (it may read the account) but may not read users.
			const refused = await runtime.testCredential(editor, source.id);
			// n8n 2.x shows the rule's message; n8n 1.x answers a 401 with its own "Authorization failed".
			expect(refused.status).toBe('Error');
			expect(refused.message).toMatch(/Only an Account API token can read users|Authorization failed/);
			expect(refused.message).not.toContain(FLXPOINT_SOURCE_TOKEN.slice(0, 12));
			// Flashduty answering 200 with its error envelope instead of the member list.
			const flashduty = labCredentials(lab).find((c) => c.type === 'flashdutyApi')!;
			lab.flashduty.failNext(1, { status: 200, body: { request_id: 'R', error: { code: 'InternalError', message: 'Internal error.' } } });
			const envelope = await runtime.testCredential(editor, flashduty.id);
			expect(envelope).toMatchObject({ status: 'Error', message: expect.stringContaining('without member data') as unknown as string });
			expect(envelope.message).not.toContain(FLASHDUTY_TEST_KEY.slice(0, 12));
		} finally {
			await editor.stop();
		}
	});
});
