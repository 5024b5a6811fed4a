/**
 * Jobs at a distance: each simulator answers 200 ms after a request arrives (and counts it on
 * arrival), as a far-away API would. Prints requests, 429s, wall time, and the rate-limit bound
 * (how long the documented limit alone would make the job take). Not a test: nothing here asserts a
 * duration. Part of `npm run bench`; alone: node -r ts-node/register/transpile-only test/bench/latencyBench.ts [latency ms, default 200]
 */
import { samplePeople } from '../../simulators/core/people';
import { FLAMEUP_TEST_KEY, FlameupSimulator } from '../../simulators/flameup';
import { FLASHDUTY_TEST_KEY, FlashdutySimulator } from '../../simulators/flashduty';
import { FLXPOINT_TEST_TOKEN, FlxpointSimulator } from '../../simulators/flxpoint';
import { PERSCOM_TEST_KEY, PerscomSimulator } from '../../simulators/perscom';
import type { IDataObject } from 'n8n-workflow';

import { runWorkflow, type TestNode } from '../workflow/harness';

interface Row {
	job: string;
	items: number;
	requests: number;
	'429s': number;
	seconds: number;
	'bound s': number;
}

type Sim = { requests: unknown[]; statusCounts: Map<number, number>; clearLog(): void; latencyMs: number };

async function timed(job: string, sim: Sim, items: number, bound: number, run: () => Promise<unknown>): Promise<Row> {
	sim.clearLog();
	const start = process.hrtime.bigint();
	await run();
	const seconds = Number(process.hrtime.bigint() - start) / 1e9;
	return { job, items, requests: sim.requests.length, '429s': sim.statusCounts.get(429) ?? 0, seconds: Math.round(seconds * 100) / 100, 'bound s': bound };
}

const node = (name: string, type: string, credential: string, parameters: IDataObject): TestNode => ({ name, type, credentials: [credential], parameters });

export async function latencyBench(latencyMs = 200, size = 10_000): Promise<Row[]> {
	const rows: Row[] = [];

	const flameup = new FlameupSimulator();
	const perscom = new PerscomSimulator();
	const flashduty = new FlashdutySimulator();
	const flxpoint = new FlxpointSimulator();
	const [flameupUrl, perscomUrl, flashdutyUrl, flxpointUrl] = await Promise.all([flameup.start(), perscom.start(), flashduty.start(), flxpoint.start()]);
	try {
		const people = samplePeople(0, size);
		flameup.latencyMs = latencyMs;
		const flameupItems = people.map((p) => ({ externalId: `lat-${p.n}`, email: p.email, firstName: p.firstName }));
		rows.push(
			await timed(`Flameup Create or Update Many ${size}`, flameup, size, 0, async () =>
				await runWorkflow({
					items: flameupItems,
					nodes: [node('Flameup', 'flameup', 'flameupApi', { resource: 'person', operation: 'batchUpsert', options: { skipUnchanged: false } })],
					credentials: { flameupApi: { apiKey: FLAMEUP_TEST_KEY, baseUrl: flameupUrl } },
				}),
			),
		);

		perscom.rateLimits = [{ limit: 1000, intervalMs: 60_000 }];
		const users = perscom.seedSample(people);
		perscom.latencyMs = latencyMs;
		rows.push(
			await timed(`PERSCOM Get ${size} (by ID)`, perscom, size, 0, async () =>
				await runWorkflow({
					items: users.map((u) => ({ key: u.id })),
					nodes: [node('PERSCOM', 'perscom', 'perscomApi', { resource: 'user', operation: 'get', id: '={{ $json.key }}' })],
					credentials: { perscomApi: { apiKey: PERSCOM_TEST_KEY, baseUrl: perscomUrl, requestsPerMinute: '1000' } },
				}),
			),
		);

		const members = flashduty.seedSample(people);
		flashduty.latencyMs = latencyMs;
		const chunks = Math.ceil(size / 100);
		rows.push(
			await timed(`Flashduty Get ${size} (by ID)`, flashduty, size, Math.max(0, Math.ceil(chunks / 50) - 1), async () =>
				await runWorkflow({
					items: members.map((m) => ({ key: String(m.member_id) })),
					nodes: [node('Flashduty', 'flashduty', 'flashdutyApi', { resource: 'member', operation: 'get', id: '={{ $json.key }}' })],
					credentials: { flashdutyApi: { appKey: FLASHDUTY_TEST_KEY, baseUrl: flashdutyUrl } },
				}),
			),
		);

		// Rate-bound: Flxpoint allows 2 requests a second; 1,000 users are 20 reads of 50.
		const flxUsers = flxpoint.seedSample(people.slice(0, 1000));
		flxpoint.latencyMs = latencyMs;
		rows.push(
			await timed('Flxpoint Get 1000 (by ID, 2/s)', flxpoint, 1000, 9, async () =>
				await runWorkflow({
					items: flxUsers.map((u) => ({ key: u.id })),
					nodes: [node('Flxpoint', 'flxpoint', 'flxpointApi', { resource: 'user', operation: 'get', id: '={{ $json.key }}' })],
					credentials: { flxpointApi: { apiToken: FLXPOINT_TEST_TOKEN, baseUrl: flxpointUrl } },
				}),
			),
		);
	} finally {
		await Promise.all([flameup.stop(), perscom.stop(), flashduty.stop(), flxpoint.stop()]);
	}
	return rows;
}

if (require.main === module) {
	const latency = Number(process.argv[2] ?? 200);
	void latencyBench(latency).then((rows) => {
		console.log(`Latency ${latency} ms (each answer ${latency} ms after its request arrives):`);
		console.table(rows);
	});
}
