/**
 * Benchmark in REAL n8n 2.41.1 (`n8n execute`, scripts/runtime), against the vendor simulators on
 * 127.0.0.1. Not a test: nothing here asserts a duration. Run: npm run build && npm run bench:n8n
 *
 * Part 1, "our node vs the HTTP Request node, same job": each job once with this package's node and
 * once as a user would build it with n8n's HTTP Request node (one request per input item, default
 * settings, the key as header/query auth the way the vendor documents it), both at the vendors'
 * documented rate limits (the simulators' defaults, answered with 429 past them), 0 ms latency.
 * Both nodes run with On Error "Continue" so that every item's outcome can be counted; with the
 * default "Stop Workflow" a run that has any error item fails whole, i.e. every item is lost.
 *
 * Part 2, "key reading cost": Flashduty Batch Get and PERSCOM Get of 10,000 items, the key once as
 * `={{ $json.key }}` and once as `={{ $json["key"].toString() }}`, simulators without rate limits
 * (the nodes' own client-side limits stay), compared with the time between the first and the last
 * request the simulator saw.
 *
 * Options: --part=1|2 (default both), --items=N (part 1 items per job, default 1000),
 * --flameup-get-items=N (default: --items), --flxpoint-items=N (default 200), --part2-items=N (default 10000).
 */
import { CREDENTIAL_REFS, labCredentials, startLab, type CredentialType, type Lab } from '../../scripts/lab';
import * as runtime from '../../scripts/runtime';
import { samplePeople, type SamplePerson } from '../../simulators/core/people';
import type { SimServer } from '../../simulators/core/server';
import { FLAMEUP_TEST_KEY, FLAMEUP_WORKSPACE } from '../../simulators/flameup';
import { FLASHDUTY_TEST_KEY } from '../../simulators/flashduty';
import { FLXPOINT_FIRST_ID, FLXPOINT_TEST_TOKEN } from '../../simulators/flxpoint';
import { PERSCOM_TEST_KEY } from '../../simulators/perscom';

type Json = Record<string, unknown>;
type Vendor = 'flameup' | 'flashduty' | 'flxpoint' | 'perscom';

const PACKAGE = 'n8n-nodes-people-sync';
const TARGET = 'Target';
const RUN_TIMEOUT_MS = 30 * 60_000;

/** n8n's task data as `n8n execute --rawOutput` prints it (the fields read here). */
interface TaskData {
	startTime?: number;
	executionTime?: number;
	error?: { message: string };
	data?: { main?: Array<Array<{ json: Json; pairedItem?: { item: number } | Array<{ item: number }> }> | null> };
}

interface NodeSpec {
	type: string;
	typeVersion: number;
	parameters: Json;
	credentials: Record<string, { id: string; name: string }>;
}

/** Generic HTTP credentials of the user's own making, one per vendor. */
const HTTP_CREDENTIALS = {
	flameup: { id: 'benchHttpFlameup', name: 'Flameup (Header Auth)', type: 'httpHeaderAuth', data: { name: 'Authorization', value: `Bearer ${FLAMEUP_TEST_KEY}` } },
	flashduty: { id: 'benchHttpFlashduty', name: 'Flashduty (Query Auth)', type: 'httpQueryAuth', data: { name: 'app_key', value: FLASHDUTY_TEST_KEY } },
	flxpoint: { id: 'benchHttpFlxpoint', name: 'Flxpoint (Header Auth)', type: 'httpHeaderAuth', data: { name: 'X-API-TOKEN', value: FLXPOINT_TEST_TOKEN } },
	perscom: { id: 'benchHttpPerscom', name: 'PERSCOM (Header Auth)', type: 'httpHeaderAuth', data: { name: 'Authorization', value: `Bearer ${PERSCOM_TEST_KEY}` } },
} as const;

/** A PERSCOM credential for part 2: the node's client-side limit out of the way. */
const PERSCOM_FAST = { id: 'benchPerscomFast', name: 'PERSCOM (100,000/min)' };

const CREDENTIAL_TYPE: Record<Vendor, CredentialType> = { flameup: 'flameupApi', flashduty: 'flashdutyApi', flxpoint: 'flxpointApi', perscom: 'perscomApi' };
const NODE_TYPE: Record<Vendor, { type: string; typeVersion: number }> = {
	flameup: { type: `${PACKAGE}.flameup`, typeVersion: 1.1 },
	flashduty: { type: `${PACKAGE}.flashduty`, typeVersion: 1 },
	flxpoint: { type: `${PACKAGE}.flxpoint`, typeVersion: 1 },
	perscom: { type: `${PACKAGE}.perscom`, typeVersion: 1 },
};

/** This package's node of a vendor. */
function ours(vendor: Vendor, parameters: Json, credential?: { id: string; name: string }): NodeSpec {
	const type = CREDENTIAL_TYPE[vendor];
	return { ...NODE_TYPE[vendor], parameters, credentials: { [type]: credential ?? { ...CREDENTIAL_REFS[type] } } };
}

/** n8n's HTTP Request node with the vendor's generic credential; `body` is a JSON expression. */
function http(vendor: Vendor, method: 'GET' | 'POST', url: string, body?: string): NodeSpec {
	const credential = HTTP_CREDENTIALS[vendor];
	const parameters: Json = { method, url, authentication: 'genericCredentialType', genericAuthType: credential.type, options: {} };
	if (body !== undefined) Object.assign(parameters, { sendBody: true, contentType: 'json', specifyBody: 'json', jsonBody: body });
	return { type: 'n8n-nodes-base.httpRequest', typeVersion: 4.2, parameters, credentials: { [credential.type]: { id: credential.id, name: credential.name } } };
}

/** Locator parameter `id` in By ID mode, as the editor writes it. */
const byId = (value: string) => ({ __rl: true, mode: 'id', value });

let workflowCounter = 0;

/** Manual Trigger → Code (the input items) → the node under test, which continues on errors. */
function workflow(name: string, items: Json[], node: NodeSpec) {
	workflowCounter++;
	const id = `bench${Date.now().toString(36)}${workflowCounter}`;
	return {
		id,
		name: `Bench: ${name}`,
		nodes: [
			{ id: `${id}-t`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: `${id}-c`, name: 'Items', type: 'n8n-nodes-base.code', typeVersion: 2, position: [220, 0], parameters: { jsCode: `return ${JSON.stringify(items)}.map((json) => ({ json }));` } },
			{ id: `${id}-n`, name: TARGET, position: [440, 0], onError: 'continueRegularOutput', ...node },
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: TARGET, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

interface Measured {
	wallSeconds: number;
	nodeSeconds: number;
	output: Array<{ json: Json; pairedItem?: { item: number } | Array<{ item: number }> }>;
	requests: number;
	tooMany: number;
	/** Seconds between the first and the last request the simulator logged. */
	requestSpan: number;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

const ATTEMPTS = 3;

/**
 * Imports and executes a workflow on the items `setup` gives (called before each attempt, so a
 * retried write starts from the same state); counts what the simulator saw during the execute alone.
 * Now and then n8n 2.41 exits before its run JSON (tens of MB for 10,000 items) is all printed: such
 * a run is measured again, up to ATTEMPTS times.
 */
async function measure(home: runtime.N8nHome, sim: SimServer, name: string, setup: () => Json[], node: NodeSpec): Promise<Measured & { items: number }> {
	for (let attempt = 1; ; attempt++) {
		try {
			const items = setup();
			return { items: items.length, ...(await measureOnce(home, sim, name, items, node)) };
		} catch (error) {
			if (attempt >= ATTEMPTS || !(error instanceof Error) || !error.message.includes('printed no run JSON')) throw error;
			process.stdout.write(`(n8n printed no complete run JSON, measuring again) `);
		}
	}
}

async function measureOnce(home: runtime.N8nHome, sim: SimServer, name: string, items: Json[], node: NodeSpec): Promise<Measured> {
	const wf = workflow(name, items, node);
	await runtime.importWorkflow(home.env, wf);
	sim.clearLog();
	sim.resetRateLimits();
	const started = Date.now();
	const run = await runtime.executeWorkflow(home.env, wf.id, { timeoutMs: RUN_TIMEOUT_MS, allowError: true });
	const wallSeconds = (Date.now() - started) / 1000;
	if (run.data.resultData.error) throw new Error(`${name}: the run failed: ${run.data.resultData.error.message}`);
	const task = (run.data.resultData.runData[TARGET]?.[0] ?? {}) as TaskData;
	if (task.error) throw new Error(`${name}: node failed: ${task.error.message}`);
	const at = sim.requests.map((r) => r.at);
	return {
		wallSeconds,
		nodeSeconds: (task.executionTime ?? NaN) / 1000,
		output: task.data?.main?.[0] ?? [],
		requests: sim.requests.length,
		tooMany: sim.statusCounts.get(429) ?? 0,
		requestSpan: at.length > 0 ? (Math.max(...at) - Math.min(...at)) / 1000 : 0,
	};
}

/** Input item indexes with at least one good output item. */
function servedItems(output: Measured['output'], good: (json: Json) => boolean): Set<number> {
	const served = new Set<number>();
	for (const item of output) {
		if (!good(item.json)) continue;
		const paired = Array.isArray(item.pairedItem) ? item.pairedItem : item.pairedItem ? [item.pairedItem] : [];
		for (const p of paired) served.add(p.item);
	}
	return served;
}

const noError = (json: Json) => json.error === undefined && json.notFound !== true;

// ---------------------------------------------------------------------------------------------
// Part 1

interface Job {
	name: string;
	vendor: Vendor;
	items: number;
	note?: string;
	/** Puts the simulator into the job's starting state; returns the input items. */
	setup(lab: Lab): Json[];
	ours: NodeSpec;
	http: (lab: Lab) => NodeSpec;
	/** A good HTTP Request output item (the vendor's answer to that item's request). */
	httpGood: (json: Json) => boolean;
}

const person = (p: SamplePerson) => ({ externalId: `ext-${p.n}`, email: p.email, firstName: p.firstName, lastName: p.lastName, name: p.name, phone: p.phone, timezone: p.timezone });

function jobs(options: { items: number; flameupGetItems: number; flxpointItems: number }): Job[] {
	const n = options.items;
	return [
		{
			name: 'Flameup Get by ID (userId)',
			vendor: 'flameup',
			items: options.flameupGetItems,
			setup: (lab) => {
				lab.flameup.people.clear();
				return lab.flameup.seedSample(samplePeople(0, options.flameupGetItems)).map((p) => ({ key: p.external_id }));
			},
			ours: ours('flameup', { resource: 'person', operation: 'get', id: byId('={{ $json.key }}') }),
			http: (lab) => http('flameup', 'GET', `=${lab.flameup.url}/people/{{ encodeURIComponent($json.key) }}`),
			httpGood: (json) => noError(json) && typeof json.id === 'string',
		},
		{
			name: 'Flameup Batch Upsert (half existing)',
			vendor: 'flameup',
			items: n,
			note: 'HTTP: POST /workspaces/{wid}/people/upsert per item (the documented single upsert)',
			setup: (lab) => {
				lab.flameup.people.clear();
				lab.flameup.seedSample(samplePeople(0, n / 2));
				return samplePeople(0, n).map(person);
			},
			ours: ours('flameup', { resource: 'person', operation: 'batchUpsert' }),
			http: (lab) =>
				http(
					'flameup',
					'POST',
					`=${lab.flameup.url}/workspaces/${FLAMEUP_WORKSPACE}/people/upsert`,
					'={{ JSON.stringify({ userId: $json.externalId, email: $json.email, traits: { first_name: $json.firstName, last_name: $json.lastName, phone: $json.phone, timezone: $json.timezone } }) }}',
				),
			httpGood: (json) => noError(json) && typeof json.id === 'string',
		},
		{
			name: 'Flashduty Get by ID',
			vendor: 'flashduty',
			items: n,
			note: 'HTTP: POST /person/infos with one ID per item',
			setup: (lab) => {
				lab.flashduty.members.clear();
				return lab.flashduty.seedSample(samplePeople(0, n)).map((m) => ({ key: String(m.member_id) }));
			},
			ours: ours('flashduty', { resource: 'member', operation: 'get', id: byId('={{ $json.key }}') }),
			http: (lab) => http('flashduty', 'POST', `${lab.flashduty.url}/person/infos`, '={{ JSON.stringify({ person_ids: [Number($json.key)] }) }}'),
			httpGood: (json) => {
				const data = json.data as { items?: unknown[] } | undefined;
				return noError(json) && Array.isArray(data?.items) && data.items.length === 1;
			},
		},
		{
			name: 'PERSCOM Get by ID',
			vendor: 'perscom',
			items: n,
			note: 'HTTP: GET /v2/users/{id} per item',
			setup: (lab) => {
				lab.perscom.users.clear();
				return lab.perscom.seedSample(samplePeople(0, n)).map((u) => ({ key: String(u.id) }));
			},
			ours: ours('perscom', { resource: 'user', operation: 'get', id: byId('={{ $json.key }}') }),
			http: (lab) => http('perscom', 'GET', `=${lab.perscom.url}/v2/users/{{ $json.key }}`),
			httpGood: (json) => noError(json) && typeof (json.data as Json | undefined)?.id === 'number',
		},
		{
			name: 'PERSCOM Batch Upsert (all new)',
			vendor: 'perscom',
			items: n,
			note: 'HTTP: POST /v2/users per item',
			setup: (lab) => {
				lab.perscom.users.clear();
				lab.perscom.seedSample(samplePeople(0, 100));
				return samplePeople(10_000, n).map((p) => ({ name: p.name, email: p.email, phone: p.phone, timezone: p.timezone }));
			},
			ours: ours('perscom', { resource: 'user', operation: 'batchUpsert' }),
			http: (lab) => http('perscom', 'POST', `${lab.perscom.url}/v2/users`, '={{ JSON.stringify({ name: $json.name, email: $json.email, phone_number: $json.phone, timezone: $json.timezone }) }}'),
			httpGood: (json) => noError(json) && typeof (json.data as Json | undefined)?.id === 'number',
		},
		{
			name: 'Flxpoint Get by ID',
			vendor: 'flxpoint',
			items: options.flxpointItems,
			note: 'HTTP: GET /account/users?ids={id} per item; 2 requests/s allowed',
			setup: (lab) => {
				lab.flxpoint.users.clear();
				lab.flxpoint.seedSample(samplePeople(0, options.flxpointItems));
				return samplePeople(0, options.flxpointItems).map((p) => ({ key: String(FLXPOINT_FIRST_ID + p.n) }));
			},
			ours: ours('flxpoint', { resource: 'user', operation: 'get', id: byId('={{ $json.key }}') }),
			http: (lab) => http('flxpoint', 'GET', `=${lab.flxpoint.url}/account/users?ids={{ $json.key }}`),
			httpGood: (json) => noError(json) && typeof json.id === 'number',
		},
	];
}

interface Part1Row {
	job: string;
	node: string;
	items: number;
	requests: number;
	'429s': number;
	'node s': number;
	'wall s': number;
	'items out': number;
	'items lost': number;
}

async function part1(lab: Lab, home: runtime.N8nHome, options: { items: number; flameupGetItems: number; flxpointItems: number }): Promise<Part1Row[]> {
	const rows: Part1Row[] = [];
	for (const job of jobs(options)) {
		const sim = lab[job.vendor];
		for (const [label, node, good] of [
			['HTTP Request', job.http(lab), job.httpGood],
			['ours', job.ours, noError],
		] as const) {
			process.stdout.write(`  ${job.name}, ${label}, ${job.items} items... `);
			const m = await measure(home, sim, `${job.name} (${label})`, () => job.setup(lab), node);
			const served = servedItems(m.output, good);
			const row: Part1Row = {
				job: job.name,
				node: label,
				items: m.items,
				requests: m.requests,
				'429s': m.tooMany,
				'node s': round(m.nodeSeconds),
				'wall s': round(m.wallSeconds, 1),
				'items out': m.output.length,
				'items lost': m.items - served.size,
			};
			process.stdout.write(`${row.requests} requests, ${row['429s']} 429s, ${row['node s']} s, ${row['items lost']} lost\n`);
			rows.push(row);
		}
	}
	return rows;
}

// ---------------------------------------------------------------------------------------------
// Part 2

interface Part2Row {
	job: string;
	key: string;
	items: number;
	'wall s': number;
	'1-item wall s': number;
	requests: number;
	'node s': number;
	'request span s': number;
	'node / span': number;
	'(wall - 1-item) / span': number;
}

const KEY_EXPRESSIONS = ['={{ $json.key }}', '={{ $json["key"].toString() }}'];

async function part2(lab: Lab, home: runtime.N8nHome, size: number): Promise<Part2Row[]> {
	const rows: Part2Row[] = [];
	lab.flashduty.members.clear();
	const members = lab.flashduty.seedSample(samplePeople(0, size)).map((m) => ({ key: String(m.member_id) }));
	lab.perscom.users.clear();
	const users = lab.perscom.seedSample(samplePeople(0, size)).map((u) => ({ key: String(u.id) }));
	for (const sim of lab.all) sim.rateLimits = [];
	const cases: Array<{ job: string; sim: SimServer; input: Json[]; node: (key: string) => NodeSpec }> = [
		{ job: 'Flashduty Batch Get', sim: lab.flashduty, input: members, node: (key) => ours('flashduty', { resource: 'member', operation: 'batchGet', ids: key }) },
		{ job: 'PERSCOM Get', sim: lab.perscom, input: users, node: (key) => ours('perscom', { resource: 'user', operation: 'get', id: byId(key) }, PERSCOM_FAST) },
	];
	for (const c of cases) {
		for (const key of KEY_EXPRESSIONS) {
			process.stdout.write(`  ${c.job}, key ${key}, ${c.input.length} items... `);
			const one = await measure(home, c.sim, `${c.job} 1 item`, () => c.input.slice(0, 1), c.node(key));
			const full = await measure(home, c.sim, `${c.job} ${c.input.length} items`, () => c.input, c.node(key));
			const lost = c.input.length - servedItems(full.output, noError).size;
			if (lost > 0) throw new Error(`${c.job}: ${lost} items without a good output`);
			const row: Part2Row = {
				job: c.job,
				key: key.slice(1),
				items: c.input.length,
				'wall s': round(full.wallSeconds, 1),
				'1-item wall s': round(one.wallSeconds, 1),
				requests: full.requests,
				'node s': round(full.nodeSeconds),
				'request span s': round(full.requestSpan),
				'node / span': round(full.nodeSeconds / full.requestSpan),
				'(wall - 1-item) / span': round((full.wallSeconds - one.wallSeconds) / full.requestSpan),
			};
			process.stdout.write(`node ${row['node s']} s, requests ${row['request span s']} s\n`);
			rows.push(row);
		}
	}
	return rows;
}

// ---------------------------------------------------------------------------------------------

function option(argv: string[], name: string, fallback: number): number {
	const found = argv.find((a) => a.startsWith(`--${name}=`));
	const value = found ? Number(found.split('=')[1]) : fallback;
	if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number >= 1`);
	return value;
}

async function main(argv: string[]): Promise<number> {
	const part = argv.find((a) => a.startsWith('--part='))?.split('=')[1];
	const items = option(argv, 'items', 1000);
	const options = { items, flameupGetItems: option(argv, 'flameup-get-items', items), flxpointItems: option(argv, 'flxpoint-items', 200) };
	const part2Items = option(argv, 'part2-items', 10_000);

	const problem = runtime.installProblem();
	if (problem) throw new Error(`n8n runtime: ${problem}; run \`npm run runtime -- install\` (and \`npm run build\`)`);
	const lab = await startLab({ seed: false });
	const home = await runtime.createN8nHome();
	try {
		const fast = labCredentials(lab, { perscomApi: { requestsPerMinute: '100000' } }).filter((c) => c.type === 'perscomApi').map((c) => ({ ...c, ...PERSCOM_FAST }));
		await runtime.importCredentials(home.env, [...labCredentials(lab), ...fast, ...Object.values(HTTP_CREDENTIALS).map((c) => ({ ...c, data: { ...c.data } }))]);
		console.log(`n8n ${runtime.PROFILE_NAME} runtime, simulators on 127.0.0.1, 0 ms latency.`);
		if (part !== '2') {
			console.log(`\nPart 1: our node vs the HTTP Request node, same job, at the vendors' documented rate limits`);
			const rows = await part1(lab, home, options);
			console.table(rows);
			console.log(
				'node s: the node\'s executionTime in n8n\'s run data; wall s: the whole `n8n execute` (start-up included).\n' +
					'items lost: input items without a good output (an error item, or no answer for them). Both nodes ran with On Error\n' +
					'"Continue"; with the default "Stop Workflow" a run with any error item fails whole (every item lost).',
			);
			for (const job of jobs(options)) if (job.note) console.log(`  ${job.name}: ${job.note}`);
		}
		if (part !== '1') {
			console.log(`\nPart 2: key reading cost in real n8n 2.x, ${part2Items.toLocaleString('en-US')} items, simulators without rate limits (client-side limits stay)`);
			const rows = await part2(lab, home, part2Items);
			console.table(rows);
			console.log('request span: first to last request in the simulator log; the issue asks node / span <= 1.3.');
		}
		return 0;
	} finally {
		await lab.stop();
		await runtime.removeN8nHome(home);
	}
}

main(process.argv.slice(2)).then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	},
);
