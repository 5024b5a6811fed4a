/**
 * End to end in real n8n QUEUE MODE (`npm run test:e2e:queue`): Redis and PostgreSQL from Debian
 * packages (installed with apt-get when missing, and said so; the suite is skipped, saying why, only
 * where they cannot be installed), a private Postgres cluster and a Redis server on 127.0.0.1, n8n 2.x
 * `n8n start` plus two `n8n worker --concurrency=5`, this package installed as a community package in
 * each one's home, and the vendor simulators.
 *
 * The sync templates are imported with their Schedule and Manual triggers swapped for a Webhook (a
 * production webhook execution is queued by the main process and run by a worker), started with a POST
 * to the main process, and read back from n8n's execution records (GET /rest/executions). Which worker
 * ran an execution is read from the workers' logs ("Worker started execution <id>"). The four polling
 * triggers poll on the main process (their executions run on workers) across its restart; they run
 * last, since their changes (new Flxpoint users, a renamed one) would be new work for template 1.
 */
import { randomUUID } from 'node:crypto';

import { CREDENTIAL_REFS, labCredentials, loadTemplates, SEED, startLab, type Lab, type Template } from '../../scripts/lab';
import * as runtime from '../../scripts/runtime';
import { samplePeople } from '../../simulators/core/people';
import type { LoggedRequest, SimServer } from '../../simulators/core/server';

jest.setTimeout(10 * 60_000);

const log = (m: string) => process.stdout.write(`[queue e2e] ${m}\n`);
const infra = runtime.prepareQueueInfra();
if ('skip' in infra) log(`SKIPPED: ${infra.skip}`);
else if (infra.installed.length > 0) log(`installed from Debian packages: ${infra.installed.join(', ')}`);
const describeQueue = 'skip' in infra ? describe.skip : describe;

type Json = Record<string, unknown>;
type Workflow = runtime.QueueWorkflow;
const webhookNode = runtime.webhookNode;

/** A template with its Schedule and Manual triggers replaced by one Webhook at `queue-<id>`. */
const onWebhook = (template: Template): Workflow => runtime.onWebhook(template.workflow as unknown as Workflow, `queue-${template.workflow.id}`);

/**
 * Four of these run together, on two workers: each reads 150 Flxpoint users by email (3 requests of 50;
 * Flxpoint allows 2 requests/second per token and its answers carry no rate-limit headers), then 30
 * Flameup people by email (one request each, Flameup has no batch read: 120 requests on one key, all
 * Flameup allows in a minute; its answers carry X-RateLimit-*). The Flxpoint branch runs first (v1
 * order: the upper node first), so that the four executions' Flxpoint requests overlap.
 */
const CONCURRENT: Workflow = {
	id: 'psQueueConcur001',
	name: 'Queue e2e: shared credentials',
	nodes: [
		webhookNode('queue-concurrent'),
		{
			id: randomUUID(),
			name: 'Flxpoint: Get Users',
			type: 'n8n-nodes-people-sync.flxpoint',
			typeVersion: 1,
			position: [220, -100],
			parameters: { resource: 'user', operation: 'batchGet', ids: '={{ $json.body.flxpoint }}', options: {} },
			credentials: { flxpointApi: CREDENTIAL_REFS.flxpointApi },
		},
		{
			id: randomUUID(),
			name: 'Flameup: Get People',
			type: 'n8n-nodes-people-sync.flameup',
			typeVersion: 1.1,
			position: [220, 100],
			parameters: { resource: 'person', operation: 'batchGet', ids: '={{ $json.body.flameup }}', options: {} },
			credentials: { flameupApi: CREDENTIAL_REFS.flameupApi },
		},
	],
	connections: {
		Webhook: {
			main: [
				[
					{ node: 'Flxpoint: Get Users', type: 'main', index: 0 },
					{ node: 'Flameup: Get People', type: 'main', index: 0 },
				],
			],
		},
	},
	settings: { executionOrder: 'v1' },
};


/** Polling triggers active in queue mode (the main process polls, workers run the executions). */
interface TriggerVendor {
	name: string;
	type: string;
	credential: keyof typeof CREDENTIAL_REFS;
	sim(): SimServer;
	create(count: number): string[];
	update(marker: string): string;
}
let nextPerson = 7000;
const newPeople = (count: number) => {
	const people = samplePeople(nextPerson, count);
	nextPerson += count;
	return people;
};
/** All four; each changes records of its own simulator (and nothing else polls or writes there meanwhile). */
const TRIGGERS: TriggerVendor[] = [
	{
		name: 'PERSCOM',
		type: 'perscomTrigger',
		credential: 'perscomApi',
		sim: () => lab.perscom,
		create: (count) => lab.perscom.seed(newPeople(count).map((p) => ({ name: p.name, email: p.email, approved: true }))).map((u) => String(u.id)),
		update: (marker) => {
			const user = [...lab.perscom.users.values()].filter((u) => u.approved)[nextPerson % 50];
			lab.perscom.touch(user.id, { name: `${marker} Person` });
			return String(user.id);
		},
	},
	{
		name: 'Flashduty',
		type: 'flashdutyTrigger',
		credential: 'flashdutyApi',
		sim: () => lab.flashduty,
		create: (count) => lab.flashduty.seedSample(newPeople(count), 'trig-').map((m) => String(m.member_id)),
		update: (marker) => {
			const member = [...lab.flashduty.members.values()][nextPerson % 50];
			lab.flashduty.touch(member.member_id, { member_name: `${marker} Member` });
			return String(member.member_id);
		},
	},
	{
		name: 'Flxpoint',
		type: 'flxpointTrigger',
		credential: 'flxpointApi',
		sim: () => lab.flxpoint,
		create: (count) => lab.flxpoint.seedSample(newPeople(count)).map((u) => String(u.id)),
		update: (marker) => {
			const user = [...lab.flxpoint.users.values()][nextPerson % 50];
			lab.flxpoint.touch(user.id, { firstName: marker });
			return String(user.id);
		},
	},
	{
		name: 'Flameup',
		type: 'flameupTrigger',
		credential: 'flameupApi',
		sim: () => lab.flameup,
		create: (count) => lab.flameup.seedSample(newPeople(count), 'trig-').map((p) => p.id),
		update: (marker) => {
			const person = [...lab.flameup.people.values()][nextPerson % 50];
			lab.flameup.touch(person.id, { first_name: marker });
			return person.id;
		},
	},
];
const triggerWorkflowId = (v: TriggerVendor) => `psQueueTrig${v.name.slice(0, 5)}`;
const triggerWorkflow = (v: TriggerVendor): Workflow => ({
	id: triggerWorkflowId(v),
	name: `Queue e2e: ${v.name} Trigger → No Operation`,
	nodes: [
		{
			id: randomUUID(),
			name: `${v.name} Trigger`,
			type: `n8n-nodes-people-sync.${v.type}`,
			typeVersion: 1,
			position: [0, 0],
			// Every 5 seconds: twelve crons, one per fixed second (n8n refuses intervals under a minute).
			parameters: { pollTimes: { item: Array.from({ length: 12 }, (_, i) => ({ mode: 'custom', cronExpression: `${i * 5} * * * * *` })) }, events: ['created', 'updated'], simplify: true },
			credentials: { [v.credential]: CREDENTIAL_REFS[v.credential] },
		},
		{ id: randomUUID(), name: 'No Operation', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
	],
	connections: { [`${v.name} Trigger`]: { main: [[{ node: 'No Operation', type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1' },
});

let lab: Lab;
let n8n: runtime.QueueInstance;
const templates = loadTemplates().filter((t) => /^[1-4]-/.test(t.file));
const byFile = (prefix: string): Template => templates.find((t) => t.file.startsWith(prefix))!;
const timings: Record<string, number> = {};
const t0 = Date.now();
const mark = (what: string) => (timings[what] = Math.round((Date.now() - t0) / 100) / 10);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Requests that write: all but the vendors' reads (GET, and the list and search calls sent as POST). */
const writeRequests = (sim: SimServer) => sim.requests.filter((r) => r.method !== 'GET' && !/\/(member\/list|person\/infos|users\/search)$/.test(r.path));

const actions = (items: Json[]) => ({
	created: items.filter((i) => i.action === 'created').length,
	updated: items.filter((i) => i.action === 'updated').length,
	unchanged: items.filter((i) => i.action === 'unchanged').length,
	deleted: items.filter((i) => i.action === 'deleted').length,
	errors: items.filter((i) => i.error !== undefined).length,
});

/** The worker whose log says it started execution `id` (undefined: none did). */
const workerOf = (id: string) => n8n.workers.filter((w) => w.executions().includes(id)).map((w) => w.name);

/** POSTs to a production webhook of the main process (n8n answers once the execution is queued). */
async function callWebhook(path: string, body: unknown = {}): Promise<void> {
	const r = await fetch(`${n8n.editor.url}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	const text = await r.text();
	if (r.status !== 200) throw new Error(`POST /webhook/${path}: ${r.status} ${text.slice(0, 500)}`);
}

const lastExecutionId = async (workflowId: string) => Math.max(0, ...(await runtime.listExecutions(n8n.editor, workflowId)).map((e) => Number(e.id)));

/** Waits for `count` executions of the workflow after `afterId` to end; returns them with their data, oldest first. */
async function finishedExecutions(workflowId: string, afterId: number, count: number, timeoutMs = 240_000): Promise<runtime.Execution[]> {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const rows = (await runtime.listExecutions(n8n.editor, workflowId)).filter((e) => Number(e.id) > afterId);
		if (rows.length >= count && rows.every((e) => runtime.FINAL_STATUSES.includes(e.status))) {
			const out: runtime.Execution[] = [];
			for (const row of rows) out.push(await runtime.getExecution(n8n.editor, row.id));
			return out;
		}
		if (Date.now() > end) throw new Error(`workflow ${workflowId}: ${count} executions after ${afterId} did not finish within ${timeoutMs / 1000} s: ${JSON.stringify(rows)}`);
		await sleep(500);
	}
}

/** Runs a template's webhook variant once, on a worker; checks it succeeded and ran on exactly one worker. */
async function run(template: Template) {
	const after = await lastExecutionId(template.id);
	await callWebhook(`queue-${template.id}`);
	const [execution] = await finishedExecutions(template.id, after, 1);
	expect({ template: template.file, status: execution.status, error: execution.data.resultData.error?.message }).toEqual({ template: template.file, status: 'success', error: undefined });
	expect({ template: template.file, mode: execution.mode, workers: workerOf(execution.id).length }).toEqual({ template: template.file, mode: 'webhook', workers: 1 });
	return {
		execution,
		worker: workerOf(execution.id)[0],
		source: runtime.executionItems(execution, template.sourceNode),
		target: runtime.executionItems(execution, template.targetNode),
	};
}

/** The most requests `sim` answered with `status` in any window of `windowMs`. */
function peakInWindow(requests: LoggedRequest[], windowMs: number, accepted = (r: LoggedRequest) => r.status !== 429): number {
	const at = requests.filter(accepted).map((r) => r.at);
	let peak = 0;
	for (let i = 0, j = 0; i < at.length; i++) {
		while (at[i] - at[j] >= windowMs) j++;
		peak = Math.max(peak, i - j + 1);
	}
	return peak;
}

let template1Worker = '';

describeQueue('n8n queue mode: main + two workers on Redis and Postgres', () => {
	beforeAll(async () => {
		if ('skip' in infra) return;
		await runtime.ensureRuntime({ log: (m) => log(`[n8n runtime] ${m}`) });
		lab = await startLab();
		n8n = await runtime.startQueueInstance(infra, {
			workers: 2,
			log,
			beforeStart: async (main) => {
				await runtime.importCredentials(main.env, labCredentials(lab));
				await runtime.importWorkflows(main.env, [...templates.map(onWebhook), CONCURRENT, ...TRIGGERS.map(triggerWorkflow)]);
			},
		});
		mark('n8n up');
		await runtime.ownerSession(n8n.editor);
		for (const id of [...templates.map((t) => t.id), CONCURRENT.id]) await runtime.activateWorkflow(n8n.editor, id);
		mark('workflows active');
	}, 15 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await lab?.stop();
		log(`timings (s): ${JSON.stringify(timings)}`);
	});

	describe('the sync templates run on workers and land every record', () => {
		test('1. Flxpoint users → Flameup people', async () => {
			const { source, target, worker } = await run(byFile('1-'));
			template1Worker = worker;
			expect(source).toHaveLength(SEED.flxpoint[1]);
			expect(actions(target)).toEqual({ created: 200, updated: 100, unchanged: 0, deleted: 0, errors: 0 });
			for (const person of samplePeople(...SEED.flxpoint)) {
				expect(lab.flameup.byEmail(person.email)).toMatchObject({ email: person.email, first_name: person.firstName, last_name: person.lastName });
			}
			expect(lab.flameup.people.size).toBe(350);
			mark('template 1');
		});

		test('2. PERSCOM approved roster → Flashduty members (mirror)', async () => {
			const approved = samplePeople(...SEED.perscom).filter((p) => p.n % 5 !== 4);
			const { source, target } = await run(byFile('2-'));
			expect(source).toHaveLength(approved.length);
			const updates = approved.filter((p) => p.n >= SEED.flashduty[0] && p.n < SEED.flashduty[0] + SEED.flashduty[1]).length;
			expect(actions(target)).toEqual({ created: approved.length - updates, updated: updates, unchanged: 0, deleted: 0, errors: 0 });
			const members = [...lab.flashduty.members.values()];
			for (const person of approved) expect(members.find((m) => m.email === person.email)?.ref_id).toMatch(/^perscom-\d+$/);
			mark('template 2');
		});

		test('3. Flashduty members → Flameup people', async () => {
			const { source, target } = await run(byFile('3-'));
			expect(source.length).toBe(lab.flashduty.members.size);
			const counts = actions(target);
			expect(counts.errors).toBe(0);
			expect(counts.created + counts.updated + counts.unchanged).toBe(source.filter((m) => m.email).length);
			for (const member of source) expect(lab.flameup.byEmail(String(member.email))).toBeDefined();
			mark('template 3');
		});

		test('4. Flameup people → PERSCOM users', async () => {
			const { source, target } = await run(byFile('4-'));
			const counts = actions(target);
			expect(counts.errors).toBe(0);
			expect(counts.created + counts.updated + counts.unchanged).toBe(source.filter((p) => p.email).length);
			const users = [...lab.perscom.users.values()];
			for (const person of source) expect(users.find((u) => u.email === person.email)).toBeDefined();
			mark('template 4');
		});
	});

	describe('four executions started together, sharing one credential per vendor', () => {
		const runs: runtime.Execution[] = [];
		const asked: Array<{ flxpoint: string[]; flameup: string[] }> = [];
		let flameupLog: LoggedRequest[] = [];
		let flxpointLog: LoggedRequest[] = [];
		const emailsOf = (items: Json[]) => items.map((i) => String(i.email).toLowerCase()).sort();
		beforeAll(async () => {
			const flameup = [...lab.flameup.people.values()].flatMap((p) => (p.email ? [p.email.toLowerCase()] : []));
			const flxpoint = [...lab.flxpoint.users.values()].map((u) => u.email.toLowerCase());
			for (let i = 0; i < 4; i++) {
				// Flxpoint: 150 each, overlapping (every user is asked for twice); Flameup: 30 each, distinct.
				asked.push({ flxpoint: [...flxpoint, ...flxpoint].slice(i * 75, i * 75 + 150), flameup: flameup.slice(i * 30, i * 30 + 30) });
			}
			// The templates above used both keys within the last minute: their requests count too.
			lab.all.forEach((sim) => sim.clearLog());
			const after = await lastExecutionId(CONCURRENT.id);
			await Promise.all(asked.map(async (a) => await callWebhook('queue-concurrent', { flxpoint: a.flxpoint.join(','), flameup: a.flameup.join(',') })));
			runs.push(...(await finishedExecutions(CONCURRENT.id, after, 4)));
			flameupLog = [...lab.flameup.requests];
			flxpointLog = [...lab.flxpoint.requests];
			mark('four concurrent');
			log(
				`concurrent: workers ${JSON.stringify(runs.map((r) => workerOf(r.id)))}, Flameup ${flameupLog.length} requests ${JSON.stringify([...lab.flameup.statusCounts])}, ` +
					`Flxpoint ${flxpointLog.length} requests ${JSON.stringify([...lab.flxpoint.statusCounts])}`,
			);
		}, 6 * 60_000);

		test('all four succeed, on both workers, with 0 error items and every person asked for read', () => {
			expect(runs.map((r) => r.status)).toEqual(['success', 'success', 'success', 'success']);
			expect(runs.map((r) => workerOf(r.id).length)).toEqual([1, 1, 1, 1]);
			expect(new Set(runs.flatMap((r) => workerOf(r.id))).size).toBe(2);
			const byBody = new Map(asked.map((a) => [a.flameup.join(','), a]));
			for (const execution of runs) {
				const body = runtime.executionItems(execution, 'Webhook')[0].body as Json;
				const a = byBody.get(String(body.flameup));
				expect(a).toBeDefined();
				byBody.delete(String(body.flameup));
				for (const [node, wanted] of [['Flxpoint: Get Users', a!.flxpoint], ['Flameup: Get People', a!.flameup]] as const) {
					const items = runtime.executionItems(execution, node);
					expect({ node, failed: items.filter((i) => i.error !== undefined || i.notFound !== undefined) }).toEqual({ node, failed: [] });
					expect({ node, emails: emailsOf(items) }).toEqual({ node, emails: [...wanted].sort() });
				}
			}
			expect(byBody.size).toBe(0);
		});

		test('Flameup (answers carry X-RateLimit-*): 0 × 429, 120/minute held, one request per person', () => {
			expect(lab.flameup.statusCounts.get(429) ?? 0).toBe(0);
			expect(peakInWindow(flameupLog, 60_000)).toBeLessThanOrEqual(120);
			expect(flameupLog).toHaveLength(4 * 30);
		});

		test('Flxpoint (no rate headers): 2/second held; every 429 was retried (3 answered reads per execution)', () => {
			expect(peakInWindow(flxpointLog, 1000)).toBeLessThanOrEqual(2);
			expect(flxpointLog.filter((r) => r.status === 200)).toHaveLength(4 * 3);
			expect(flxpointLog.filter((r) => r.status !== 200 && r.status !== 429)).toEqual([]);
		});
	});

	describe('change detection (compareWith: lastRun) across workers', () => {
		test("template 1 again, on the other worker, writes nothing: n8n's deduplication store is shared through Postgres", async () => {
			const first = n8n.workers.find((w) => w.name === template1Worker);
			expect(first).toBeDefined();
			// The worker that ran the first sync stops: the second run can only go to the other one.
			await first!.stop();
			n8n.workers.splice(n8n.workers.indexOf(first!), 1);
			lab.all.forEach((sim) => sim.clearLog());
			const { target, worker } = await run(byFile('1-'));
			expect(worker).not.toBe(template1Worker);
			expect(actions(target)).toEqual({ created: 0, updated: 0, unchanged: SEED.flxpoint[1], deleted: 0, errors: 0 });
			expect(writeRequests(lab.flameup)).toEqual([]);
			expect(lab.flameup.requests).toEqual([]);
			mark('lastRun on the other worker');
		});
	});

	describe('polling triggers active in queue mode, across a restart of the main process', () => {
		const expected: Record<string, string[]> = {};
		const triggerItems = async (v: TriggerVendor) => {
			const rows = (await runtime.listExecutions(n8n.editor, triggerWorkflowId(v))).filter((e) => runtime.FINAL_STATUSES.includes(e.status));
			const out: Array<{ execution: runtime.Execution; items: Json[] }> = [];
			for (const row of rows) {
				const execution = await runtime.getExecution(n8n.editor, row.id);
				out.push({ execution, items: runtime.executionItems(execution, 'No Operation') });
			}
			return out;
		};
		const emitted = async (v: TriggerVendor) => (await triggerItems(v)).flatMap((e) => e.items.map((i) => `${String(i.event)} ${String(i.id)}`)).sort();
		/** Waits until the vendor's executions hold `count` items, then 7 s more (a poll or more: anything emitted twice shows). */
		const settle = async (v: TriggerVendor, count: number) => {
			const end = Date.now() + 60_000;
			while ((await emitted(v)).length < count && Date.now() < end) await sleep(1000);
			await sleep(7000);
		};
		const change = (v: TriggerVendor, marker: string) => {
			const created = v.create(2);
			const updated = v.update(marker);
			expected[v.name] = [...(expected[v.name] ?? []), ...created.map((id) => `created ${id}`), `updated ${updated}`];
		};

		beforeAll(async () => {
			for (const v of TRIGGERS) await runtime.activateWorkflow(n8n.editor, triggerWorkflowId(v));
			// The first poll records a baseline; wait for it and one more.
			await sleep(11_000);
			for (const v of TRIGGERS) change(v, 'QueueRename');
			for (const v of TRIGGERS) await settle(v, expected[v.name].length);
			mark('triggers: changes emitted');
		}, 3 * 60_000);

		test.each(TRIGGERS)('$name Trigger: each change emitted once, run on a worker', async (v) => {
			expect({ vendor: v.name, emitted: await emitted(v) }).toEqual({ vendor: v.name, emitted: [...expected[v.name]].sort() });
			for (const { execution } of await triggerItems(v)) {
				expect({ id: execution.id, status: execution.status, workers: workerOf(execution.id).length }).toEqual({ id: execution.id, status: 'success', workers: 1 });
			}
		});

		test.each(TRIGGERS)('$name Trigger: changes made while the main process was down are emitted once after its restart', async (v) => {
			if (v === TRIGGERS[0]) {
				n8n.editor = await runtime.restartEditor(n8n.editor, { whileStopped: () => TRIGGERS.forEach((t) => change(t, 'WhileMainDown')) });
				await runtime.ownerSession(n8n.editor);
				mark('triggers: main restarted');
				for (const t of TRIGGERS) await settle(t, expected[t.name].length);
				mark('triggers: restart changes emitted');
			}
			expect({ vendor: v.name, emitted: await emitted(v) }).toEqual({ vendor: v.name, emitted: [...expected[v.name]].sort() });
		});
	});
});
