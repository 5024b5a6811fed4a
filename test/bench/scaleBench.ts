/**
 * Scale benchmark: every vendor and operation at 10,000 and 100,000 items, in n8n's engine
 * (test/workflow/harness.ts), against fast local simulators whose rate limits are lifted (and the
 * nodes' client-side limits with them), so that what is measured is the package's own work. Each
 * job runs in a child process of its own, the simulators in this one, so the child's CPU time and
 * peak memory are n8n's and the package's alone. Prints per job: requests against the minimum,
 * wall time, CPU per 10,000 items of the node (the run less the same items passing through n8n
 * without it) next to n8n's own, and peak RSS above the child's baseline. Not a test: nothing here
 * asserts a duration. Part of `npm run bench`; alone:
 *   node --expose-gc -r ts-node/register/transpile-only test/bench/scaleBench.ts [sizes, default 10000,100000] [job filter]
 * (SCALE_PROFILE=<folder> also writes a CPU profile of each job's process there.)
 */
import { fork } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { samplePeople } from '../../simulators/core/people';
import type { SimServer } from '../../simulators/core/server';
import { FLAMEUP_TEST_KEY, FlameupSimulator } from '../../simulators/flameup';
import { FLASHDUTY_TEST_KEY, FlashdutySimulator } from '../../simulators/flashduty';
import { FLXPOINT_TEST_TOKEN, FlxpointSimulator } from '../../simulators/flxpoint';
import { PERSCOM_TEST_KEY, PerscomSimulator } from '../../simulators/perscom';
import type { TestNode } from '../workflow/harness';

/** What a child runs: the items, one node, its credentials. */
interface JobSpec {
	items: IDataObject[];
	node: TestNode;
	credentials: Record<string, ICredentialDataDecryptedObject>;
}

/** What a child measured. */
interface JobResult {
	seconds: number;
	cpuMs: number;
	n8nCpuMs: number;
	baselineMb: number;
	peakMb: number;
	/** Heap in use after the run, collected, with its output still held: what the output itself takes. */
	outputHeapMb: number;
	outputs: number;
	errors: number;
	/** Input items with no good output paired to them. */
	lost: number;
}

interface Job {
	name: string;
	/** Seeds the simulator for `size` and gives the run and the minimum number of requests. */
	prepare(size: number): { spec: JobSpec; minimum: number };
	sim: () => SimServer;
	/** The largest size that makes sense for the job (a larger one runs at this size). */
	maxSize?: number;
}

export interface ScaleRow {
	job: string;
	items: number;
	requests: number;
	minimum: number;
	seconds: number;
	/** The run's time over the time its requests took (first sent to last answered); '-' for one request. */
	'× requests': number | string;
	'node CPU ms / 10k': number;
	'n8n CPU ms / 10k': number;
	'peak RSS +MB': number;
	'output heap MB': number;
	lost: number;
}

const node = (type: string, credential: string, parameters: IDataObject): TestNode => ({ name: 'Node', type, credentials: [credential], parameters });
const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));

const flameup = new FlameupSimulator();
const flashduty = new FlashdutySimulator();
const flxpoint = new FlxpointSimulator();
const perscom = new PerscomSimulator();
const urls: Record<string, string> = {};

const flameupCred = () => ({ flameupApi: { apiKey: FLAMEUP_TEST_KEY, baseUrl: urls.flameup } });
const flashdutyCred = () => ({ flashdutyApi: { appKey: FLASHDUTY_TEST_KEY, baseUrl: urls.flashduty } });
const flxpointCred = () => ({ flxpointApi: { apiToken: FLXPOINT_TEST_TOKEN, baseUrl: urls.flxpoint } });
const perscomCred = () => ({ perscomApi: { apiKey: PERSCOM_TEST_KEY, baseUrl: urls.perscom, requestsPerMinute: '1000' } });

const seedFlameup = (size: number) => {
	flameup.people.clear();
	return flameup.seedSample(samplePeople(0, size));
};
const seedFlashduty = (size: number) => {
	flashduty.members.clear();
	flashduty.invitedToday.clear();
	return flashduty.seedSample(samplePeople(0, size));
};
const seedFlxpoint = (size: number) => {
	flxpoint.users.clear();
	return flxpoint.seedSample(samplePeople(0, size));
};
const seedPerscom = (size: number) => {
	perscom.reset();
	return perscom.seedSample(samplePeople(0, size));
};

const JOBS: Job[] = [
	{
		name: 'Flameup Get Many (Return All)',
		sim: () => flameup,
		prepare: (size) => (seedFlameup(size), { spec: { items: [{}], node: node('flameup', 'flameupApi', { resource: 'person', operation: 'getAll', returnAll: true }), credentials: flameupCred() }, minimum: pages(size, 100) }),
	},
	{
		name: 'Flameup Get (by ID)',
		sim: () => flameup,
		prepare: (size) => ({
			spec: { items: seedFlameup(size).map((p) => ({ key: p.external_id })), node: node('flameup', 'flameupApi', { resource: 'person', operation: 'get', id: '={{ $json.key }}' }), credentials: flameupCred() },
			minimum: size,
		}),
	},
	{
		name: 'Flameup Create or Update Many (new)',
		sim: () => flameup,
		prepare: (size) => (
			seedFlameup(0),
			{
				spec: {
					items: samplePeople(0, size).map((p) => ({ externalId: `new-${p.n}`, email: p.email, firstName: p.firstName })),
					node: node('flameup', 'flameupApi', { resource: 'person', operation: 'batchUpsert', options: { skipUnchanged: false } }),
					credentials: flameupCred(),
				},
				minimum: pages(size, 100),
			}
		),
	},
	{
		name: 'Flashduty Get Many (Return All)',
		sim: () => flashduty,
		prepare: (size) => (seedFlashduty(size), { spec: { items: [{}], node: node('flashduty', 'flashdutyApi', { resource: 'member', operation: 'getAll', returnAll: true }), credentials: flashdutyCred() }, minimum: pages(Math.min(size, 10_000), 100) }),
	},
	{
		name: 'Flashduty Get (by ID)',
		sim: () => flashduty,
		prepare: (size) => ({
			spec: { items: seedFlashduty(size).map((m) => ({ key: String(m.member_id) })), node: node('flashduty', 'flashdutyApi', { resource: 'member', operation: 'get', id: '={{ $json.key }}' }), credentials: flashdutyCred() },
			minimum: pages(size, 100),
		}),
	},
	{
		name: 'Flashduty Get Many by ID',
		sim: () => flashduty,
		prepare: (size) => ({
			spec: { items: seedFlashduty(size).map((m) => ({ key: String(m.member_id) })), node: node('flashduty', 'flashdutyApi', { resource: 'member', operation: 'batchGet', ids: '={{ $json.key }}' }), credentials: flashdutyCred() },
			minimum: pages(size, 100),
		}),
	},
	{
		// Past 20,000 members Flashduty's API reads no further (p × limit ≤ 10,000 in each order): every
		// other email is one look-up, 80,000 requests for 100,000 members (80 minutes at 1,000 a minute).
		name: 'Flashduty Create or Update Many (1 % changed; 20,000 at most: the list reach)',
		maxSize: 20_000,
		sim: () => flashduty,
		prepare: (size) => {
			const members = seedFlashduty(size);
			// Matched by externalId: the list is read as far as the API reaches (20,000), the rest by email one by one.
			const reach = Math.min(size, 20_000);
			return {
				spec: {
					items: members.map((m, i) => ({ externalId: m.ref_id, email: m.email, name: i % 100 === 0 ? `${m.member_name.slice(0, 30)} ${i}` : m.member_name })),
					node: node('flashduty', 'flashdutyApi', { resource: 'member', operation: 'batchUpsert' }),
					credentials: flashdutyCred(),
				},
				// Oldest first to the reach, then newest first until the reads meet (one page more) or reach the end of theirs.
				// (A full 100th page cannot tell whether more follow: from 10,000 members on, the newest-first read starts.)
				minimum: pages(Math.min(size, 10_000), 100) + (size >= 10_000 ? Math.ceil((reach - 10_000) / 100) + (reach < 20_000 ? 1 : 0) : 0) + Math.max(0, size - 20_000) + size / 100,
			};
		},
	},
	{
		name: 'Flxpoint Get Many (Return All)',
		sim: () => flxpoint,
		prepare: (size) => (seedFlxpoint(size), { spec: { items: [{}], node: node('flxpoint', 'flxpointApi', { resource: 'user', operation: 'getAll', returnAll: true }), credentials: flxpointCred() }, minimum: 1 }),
	},
	{
		name: 'Flxpoint Get (by ID)',
		sim: () => flxpoint,
		prepare: (size) => ({
			spec: { items: seedFlxpoint(size).map((u) => ({ key: String(u.id) })), node: node('flxpoint', 'flxpointApi', { resource: 'user', operation: 'get', id: '={{ $json.key }}' }), credentials: flxpointCred() },
			minimum: pages(size, 50),
		}),
	},
	{
		name: 'Flxpoint Get Many by ID',
		sim: () => flxpoint,
		prepare: (size) => ({
			spec: { items: seedFlxpoint(size).map((u) => ({ key: String(u.id) })), node: node('flxpoint', 'flxpointApi', { resource: 'user', operation: 'batchGet', ids: '={{ $json.key }}' }), credentials: flxpointCred() },
			minimum: pages(size, 50),
		}),
	},
	{
		name: 'PERSCOM Get Many (Return All)',
		sim: () => perscom,
		prepare: (size) => (seedPerscom(size), { spec: { items: [{}], node: node('perscom', 'perscomApi', { resource: 'user', operation: 'getAll', returnAll: true }), credentials: perscomCred() }, minimum: pages(size, 100) }),
	},
	{
		name: 'PERSCOM Get (by ID)',
		sim: () => perscom,
		prepare: (size) => ({
			spec: { items: seedPerscom(size).map((u) => ({ key: String(u.id) })), node: node('perscom', 'perscomApi', { resource: 'user', operation: 'get', id: '={{ $json.key }}' }), credentials: perscomCred() },
			minimum: pages(size, 100),
		}),
	},
	{
		name: 'PERSCOM Get Many by ID',
		sim: () => perscom,
		prepare: (size) => ({
			spec: { items: seedPerscom(size).map((u) => ({ key: String(u.id) })), node: node('perscom', 'perscomApi', { resource: 'user', operation: 'batchGet', ids: '={{ $json.key }}' }), credentials: perscomCred() },
			minimum: pages(size, 100),
		}),
	},
	{
		name: 'PERSCOM Create or Update Many (half new, 1 % changed)',
		sim: () => perscom,
		prepare: (size) => {
			const people = samplePeople(0, size);
			seedPerscom(size / 2);
			return {
				spec: {
					items: people.map((p, i) => ({ email: p.email, name: i < size / 2 && i % 100 === 0 ? `${p.name} Jr` : p.name })),
					node: node('perscom', 'perscomApi', { resource: 'user', operation: 'batchUpsert' }),
					credentials: perscomCred(),
				},
				// Searches by email, 100 a request; the changed ones in batches of 100; the new ones too.
				minimum: pages(size, 100) + pages(size / 200, 100) + pages(size / 2, 100),
			};
		},
	},
	{
		name: 'PERSCOM Mirror (1 % changed, 1 % removed)',
		sim: () => perscom,
		prepare: (size) => {
			const people = samplePeople(0, size);
			seedPerscom(size);
			const kept = people.filter((_, i) => i % 100 !== 1);
			return {
				spec: {
					items: kept.map((p, i) => ({ email: p.email, name: i % 100 === 0 ? `${p.name} Jr` : p.name })),
					node: node('perscom', 'perscomApi', { resource: 'user', operation: 'mirror', options: { maxRemovePercent: 5 } }),
					credentials: perscomCred(),
				},
				// The managed list (which matches the items too); the changed and the removed, 100 a request each.
				minimum: pages(size, 100) + pages(size / 100, 100) + pages(size / 100, 100),
			};
		},
	},
];

/** Runs one job in a child process; the simulators stay here and count its requests. */
async function runJob(job: Job, asked: number, dir: string): Promise<ScaleRow> {
	const size = Math.min(asked, job.maxSize ?? asked);
	const sim = job.sim();
	const { spec, minimum } = job.prepare(size);
	const file = path.join(dir, 'job.json');
	writeFileSync(file, JSON.stringify(spec));
	// SCALE_PROFILE=<folder> writes a CPU profile of each job there (open it in Chrome's DevTools).
	const profile = process.env.SCALE_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.SCALE_PROFILE}`] : [];
	const child = fork(__filename, ['--child', file], { execArgv: ['--expose-gc', '-r', 'ts-node/register/transpile-only', ...profile], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
	let result: JobResult | undefined;
	child.on('message', (message: { ready?: boolean; result?: JobResult }) => {
		if (message.ready) {
			sim.clearLog();
			child.send({ go: true });
		} else if (message.result) result = message.result;
	});
	// The child exits once it has sent its result (its CPU profile, if asked, is written then).
	const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
	if (!result) throw new Error(`${job.name} (${size}): the child process ended with ${code} and no result`);
	const per10k = (ms: number) => Math.round((ms / size) * 10_000);
	return {
		job: job.name,
		items: size,
		requests: sim.requests.length,
		minimum,
		seconds: Math.round(result.seconds * 10) / 10,
		'× requests': sim.requests.length > 1 ? Math.round((result.seconds / requestSeconds(sim)) * 100) / 100 : '-',
		'node CPU ms / 10k': per10k(result.cpuMs - result.n8nCpuMs),
		'n8n CPU ms / 10k': per10k(result.n8nCpuMs),
		'peak RSS +MB': Math.round(result.peakMb - result.baselineMb),
		'output heap MB': Math.round(result.outputHeapMb),
		lost: result.lost,
	};
}

/** Seconds from the first request's arrival to the last one's answer (requests are answered at once here). */
function requestSeconds(sim: SimServer): number {
	const first = sim.requests.reduce((t, r) => Math.min(t, r.at), Infinity);
	const last = sim.requests.reduce((t, r) => Math.max(t, r.at), 0);
	return Math.max(0.001, (last - first) / 1000);
}

const rssMb = (field: 'VmRSS' | 'VmHWM') => Number(/(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith(field)) ?? '')?.[1] ?? 0) / 1024;

/** The child: lifts the nodes' client-side limits, warms up, measures n8n alone, then the node. */
async function child(file: string): Promise<void> {
	const { runWorkflow } = await import('../workflow/harness');
	const root = path.resolve(__dirname, '..', '..');
	const unlimited = [{ limit: 1_000_000, intervalMs: 1000 }];
	for (const [vendor, name] of [['Flameup', 'flameupApi'], ['Flashduty', 'flashdutyApi'], ['Flxpoint', 'flxpointApi'], ['Perscom', 'perscomApi']]) {
		// The built module n8n loads (the same object), patched in place.
		const api = (await import(path.join(root, 'dist', 'nodes', vendor, 'api.js'))) as Record<string, { rateLimits: unknown }>;
		api[name].rateLimits = unlimited;
	}
	const spec = JSON.parse(readFileSync(file, 'utf8')) as JobSpec;
	const gc = () => (global as { gc?: () => void }).gc?.();
	// Warm up: the package loaded, nothing sent (a write would change what the job finds).
	await runWorkflow({ items: spec.items.slice(0, 1), nodes: [], credentials: {} });
	await new Promise<void>((resolve) => {
		process.once('message', () => resolve());
		process.send?.({ ready: true });
	});
	gc();
	writeFileSync('/proc/self/clear_refs', '5'); // resets the peak RSS (VmHWM)
	const baselineMb = rssMb('VmRSS');
	const baselineHeapMb = process.memoryUsage().heapUsed / 1048576;
	let cpu = process.cpuUsage();
	const start = process.hrtime.bigint();
	const run = await runWorkflow({ items: spec.items, nodes: [spec.node], credentials: spec.credentials });
	const seconds = Number(process.hrtime.bigint() - start) / 1e9;
	const used = process.cpuUsage(cpu);
	if (run.error) throw run.error;
	const peakMb = rssMb('VmHWM');
	gc();
	const outputHeapMb = process.memoryUsage().heapUsed / 1048576 - baselineHeapMb;
	// n8n alone: the same items through the engine without the node (after: its memory is not the node's baseline).
	cpu = process.cpuUsage();
	await runWorkflow({ items: spec.items, nodes: [], credentials: {} });
	const n8nCpu = process.cpuUsage(cpu);
	const out = run.output.Node ?? [];
	const result: JobResult = {
		seconds,
		cpuMs: (used.user + used.system) / 1000,
		n8nCpuMs: (n8nCpu.user + n8nCpu.system) / 1000,
		baselineMb,
		peakMb,
		outputHeapMb,
		outputs: out.length,
		errors: out.filter((i) => i.json.error !== undefined).length,
		lost: spec.items.length - new Set(out.filter((i) => i.json.error === undefined).flatMap((i) => (Array.isArray(i.pairedItem) ? i.pairedItem : [i.pairedItem]).map((p) => (typeof p === 'number' ? p : (p?.item ?? -1))))).size,
	};
	// Exits on its own (a CPU profile is written at exit).
	process.send?.({ result }, undefined, {}, () => process.exit(0));
}

export async function scaleBench(sizes = [10_000, 100_000], filter = ''): Promise<ScaleRow[]> {
	const sims = [flameup, flashduty, flxpoint, perscom];
	[urls.flameup, urls.flashduty, urls.flxpoint, urls.perscom] = await Promise.all(sims.map(async (s) => await s.start()));
	sims.forEach((s) => (s.rateLimits = []));
	const dir = mkdtempSync(path.join(os.tmpdir(), 'people-sync-scale-'));
	const rows: ScaleRow[] = [];
	try {
		for (const job of JOBS.filter((j) => j.name.toLowerCase().includes(filter.toLowerCase()))) {
			for (const size of sizes) {
				rows.push(await runJob(job, size, dir));
				console.error(`  ${job.name} ${size}: ${JSON.stringify(rows[rows.length - 1])}`); // progress: a full run takes minutes
			}
		}
	} finally {
		rmSync(dir, { recursive: true, force: true });
		await Promise.all(sims.map(async (s) => await s.stop()));
	}
	return rows;
}

if (require.main === module) {
	if (process.argv[2] === '--child') {
		child(process.argv[3]).catch((error: unknown) => {
			console.error(error);
			process.exit(1);
		});
	} else {
		const sizes = (process.argv[2] ?? '10000,100000').split(',').map(Number);
		scaleBench(sizes, process.argv[3] ?? '')
			.then((rows) => console.table(rows))
			.catch((error: unknown) => {
				console.error(error);
				process.exit(1);
			});
	}
}
