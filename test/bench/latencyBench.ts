/**
 * Jobs at a distance: each simulator answers 200 ms after a request arrives (and counts it on
 * arrival), as a far-away API would. Prints requests, 429s, wall time, and the rate-limit bound
 * (how long the documented limit alone would make the job take). Not a test: nothing here asserts a
 * duration. Part of `npm run bench`; alone: node -r ts-node/register/transpile-only test/bench/latencyBench.ts [latency ms, default 200]
 */
import { samplePeople } from '../../simulators/core/people';
import { FlameupSimulator } from '../../simulators/flameup';
import { FLASHDUTY_ACCOUNT_ID, FlashdutySimulator } from '../../simulators/flashduty';
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
	'× bound': string;
	/** The run's time over its requests' (first arrival to last answer): what reading keys and writing outputs add. */
	'× requests': number;
}

type Sim = { requests: Array<{ at: number }>; statusCounts: Map<number, number>; clearLog(): void; latencyMs: number };

async function timed(job: string, sim: Sim, items: number, bound: number, run: () => Promise<unknown>): Promise<Row> {
	sim.clearLog();
	const start = process.hrtime.bigint();
	await run();
	const seconds = Number(process.hrtime.bigint() - start) / 1e9;
	const times = bound > 0 ? `${(seconds / bound).toFixed(2)}×` : '-';
	const first = sim.requests.reduce((t, r) => Math.min(t, r.at), Infinity);
	const last = sim.requests.reduce((t, r) => Math.max(t, r.at), 0);
	const requestSeconds = (last - first + sim.latencyMs) / 1000;
	return { job, items, requests: sim.requests.length, '429s': sim.statusCounts.get(429) ?? 0, seconds: Math.round(seconds * 100) / 100, 'bound s': bound, '× bound': times, '× requests': Math.round((seconds / requestSeconds) * 100) / 100 };
}

/**
 * Seconds the documented windows alone make `requests` take: the last one waits for its place in
 * every window, then for its answer (`latencyMs`).
 */
export function rateBound(requests: number, windows: Array<{ limit: number; intervalMs: number }>, latencyMs = 0): number {
	return Math.max(0, ...windows.map((w) => (Math.floor((requests - 1) / w.limit) * w.intervalMs) / 1000)) + latencyMs / 1000;
}

const node = (name: string, type: string, credential: string, parameters: IDataObject): TestNode => ({ name, type, credentials: [credential], parameters });

export async function latencyBench(latencyMs = 200, size = 10_000): Promise<Row[]> {
	const rows: Row[] = [];

	// Keys of their own for this run: the nodes' limiters are per key and process, and an earlier
	// run's requests would still count in this one's minute windows.
	const tag = (latencyMs % 0xffff).toString(16).padStart(4, '0');
	const flameupKey = `ws_test_simws01.${tag.repeat(16)}`;
	const flashdutyKey = `fd0${tag.repeat(7)}e1`;
	const flashdutyBigKey = `fd1${tag.repeat(7)}e1`;
	const flameup = new FlameupSimulator({ keys: { [flameupKey]: 'simws01' } });
	const perscom = new PerscomSimulator();
	const flashduty = new FlashdutySimulator({ keys: { [flashdutyKey]: FLASHDUTY_ACCOUNT_ID } });
	const flashdutyBig = new FlashdutySimulator({ keys: { [flashdutyBigKey]: FLASHDUTY_ACCOUNT_ID } });
	const flxpoint = new FlxpointSimulator();
	const [flameupUrl, perscomUrl, flashdutyUrl, flxpointUrl, flashdutyBigUrl] = await Promise.all([flameup.start(), perscom.start(), flashduty.start(), flxpoint.start(), flashdutyBig.start()]);
	try {
		const people = samplePeople(0, size);
		flameup.latencyMs = latencyMs;
		const flameupItems = people.map((p) => ({ externalId: `lat-${p.n}`, email: p.email, firstName: p.firstName }));
		rows.push(
			await timed(`Flameup Create or Update Many ${size}`, flameup, size, 0, async () =>
				await runWorkflow({
					items: flameupItems,
					nodes: [node('Flameup', 'flameup', 'flameupApi', { resource: 'person', operation: 'batchUpsert', options: { skipUnchanged: false } })],
					credentials: { flameupApi: { apiKey: flameupKey, baseUrl: flameupUrl } },
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
			await timed(`Flashduty Get ${size} (by ID)`, flashduty, size, rateBound(chunks, [{ limit: 50, intervalMs: 1000 }], latencyMs), async () =>
				await runWorkflow({
					items: members.map((m) => ({ key: String(m.member_id) })),
					nodes: [node('Flashduty', 'flashduty', 'flashdutyApi', { resource: 'member', operation: 'get', id: '={{ $json.key }}' })],
					credentials: { flashdutyApi: { appKey: flashdutyKey, baseUrl: flashdutyUrl } },
				}),
			),
		);

		// Rate-bound: Flashduty allows 50 requests a second (and 1,000 a minute); 100,000 IDs are 1,000 reads of 100.
		const allMembers = flashdutyBig.seedSample(samplePeople(0, 100_000));
		flashdutyBig.latencyMs = latencyMs;
		rows.push(
			await timed('Flashduty Get Many by ID 100000 (50/s)', flashdutyBig, 100_000, rateBound(1000, [{ limit: 50, intervalMs: 1000 }, { limit: 1000, intervalMs: 60_000 }], latencyMs), async () =>
				await runWorkflow({
					items: allMembers.map((m) => ({ key: String(m.member_id) })),
					nodes: [node('Flashduty', 'flashduty', 'flashdutyApi', { resource: 'member', operation: 'batchGet', ids: '={{ $json.key }}' })],
					credentials: { flashdutyApi: { appKey: flashdutyBigKey, baseUrl: flashdutyBigUrl } },
				}),
			),
		);

		// Rate-bound: Flxpoint allows 2 requests a second; 1,000 users are 20 reads of 50.
		const flxUsers = flxpoint.seedSample(people.slice(0, 1000));
		flxpoint.latencyMs = latencyMs;
		rows.push(
			await timed('Flxpoint Get 1000 (by ID, 2/s)', flxpoint, 1000, rateBound(20, [{ limit: 2, intervalMs: 1000 }], latencyMs), async () =>
				await runWorkflow({
					items: flxUsers.map((u) => ({ key: u.id })),
					nodes: [node('Flxpoint', 'flxpoint', 'flxpointApi', { resource: 'user', operation: 'get', id: '={{ $json.key }}' })],
					credentials: { flxpointApi: { apiToken: FLXPOINT_TEST_TOKEN, baseUrl: flxpointUrl } },
				}),
			),
		);
	} finally {
		await Promise.all([flameup.stop(), perscom.stop(), flashduty.stop(), flxpoint.stop(), flashdutyBig.stop()]);
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
