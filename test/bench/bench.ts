/**
 * Benchmarks: real workflows in n8n's engine against the simulators, printing numbers (time,
 * requests, items/s, memory). Not a test: nothing here asserts a duration. Run: npm run bench
 * (`npm run bench -- 10000 quick`: the scale jobs at 10,000 items only)
 */
import { samplePeople } from '../../simulators/core/people';
import { FLAMEUP_TEST_KEY, FlameupSimulator } from '../../simulators/flameup';
import { pairBatchAnswer } from '../../nodes/Flameup/batchAnswer';
import type { FlameupPerson, FlameupPersonPayload } from '../../nodes/Flameup/mapping';
import { objectWithArray, recordsWithIds } from '../../nodes/shared/engine/answers';
import { runWorkflow } from '../workflow/harness';
import { latencyBench } from './latencyBench';
import { scaleBench } from './scaleBench';
import { syncBench } from './syncBench';

interface Row {
	scenario: string;
	items: number;
	requests: number;
	seconds: number;
	itemsPerSecond: number;
	heapMb: number;
	rssMb: number;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function measure(scenario: string, sim: FlameupSimulator, work: () => Promise<number>): Promise<Row> {
	global.gc?.();
	sim.clearLog();
	const start = process.hrtime.bigint();
	const items = await work();
	const seconds = Number(process.hrtime.bigint() - start) / 1e9;
	const memory = process.memoryUsage();
	return { scenario, items, requests: sim.requests.length, seconds: Math.round(seconds * 1000) / 1000, itemsPerSecond: Math.round(items / seconds), heapMb: mb(memory.heapUsed), rssMb: mb(memory.rss) };
}

async function main() {
	const size = Number(process.argv[2] ?? 10_000);
	const readKey = FLAMEUP_TEST_KEY;
	const writeKey = 'ws_test_simws01.' + 'b2'.repeat(32);
	const sim = new FlameupSimulator({ keys: { [readKey]: 'simws01', [writeKey]: 'simws01' } });
	const url = await sim.start();
	const rows: Row[] = [];
	try {
		sim.seedSample(samplePeople(0, size));
		rows.push(
			await measure(`Flameup Get Many, Return All (${size})`, sim, async () => {
				const r = await runWorkflow({ items: [{}], nodes: [{ name: 'Flameup', type: 'flameup', credentials: ['flameupApi'], parameters: { resource: 'person', operation: 'getAll', returnAll: true } }], credentials: { flameupApi: { apiKey: readKey, baseUrl: url } } });
				if (r.error) throw r.error;
				return r.output.Flameup.length;
			}),
		);
		const input = samplePeople(size / 2, size).map((p) => ({ source: 'perscom', id: String(p.n), externalId: `ext-${p.n}`, email: p.email, name: p.name, phone: p.phone, timezone: p.timezone }));
		rows.push(
			await measure(`Flameup Batch Upsert (${size}, half existing)`, sim, async () => {
				const r = await runWorkflow({ items: input, nodes: [{ name: 'Flameup', type: 'flameup', credentials: ['flameupApi'], parameters: { resource: 'person', operation: 'batchUpsert' } }], credentials: { flameupApi: { apiKey: writeKey, baseUrl: url } } });
				if (r.error) throw r.error;
				const out = r.output.Flameup;
				if (out.length !== size || out.some((i) => i.json.error)) throw new Error('upsert lost items');
				return out.length;
			}),
		);
	} finally {
		await sim.stop();
	}
	console.table(rows);
	const checks = checkCost(size);
	const perItem = (row: Row) => (row.seconds * 1000) / row.items;
	console.log(
		`Answer checks (every page's list and IDs) and key matching (each batch answer paired by userId/email) for ${size.toLocaleString('en-US')} people: ` +
			`${checks.checkMs.toFixed(2)} ms + ${checks.matchMs.toFixed(2)} ms, i.e. ${(((checks.checkMs + checks.matchMs) / size) * 1000).toFixed(2)} µs per item, ` +
			`against ${(perItem(rows[0]) * 1000).toFixed(0)} µs (Get Many) and ${(perItem(rows[1]) * 1000).toFixed(0)} µs (Batch Upsert) per item for the whole run in n8n's engine.`,
	);
	console.log(`Flameup allows 120 requests/minute per key: ${size / 100} requests per scenario stay within one window when size <= 12,000.`);

	console.log(`\nHourly sync of ${size.toLocaleString('en-US')} people, second run with 1 % changed (minimum = reads the pair needs + ⌈changed / max batch⌉ writes; Flashduty updates one member per request; PERSCOM at 1,000 requests/minute):`);
	console.table(await syncBench(size));

	for (const latency of [0, 200]) {
		console.log(`\nAt the documented rate limits, each answer ${latency} ms after its request arrives (requests in flight together; bound = what the documented limit alone makes the job take):`);
		console.table(await latencyBench(latency, size));
	}

	const sizes = process.argv[3] === 'quick' ? [size] : [10_000, 100_000];
	console.log(
		`\nEvery operation at ${sizes.map((s) => s.toLocaleString('en-US')).join(' and ')} items, rate limits lifted (fast local simulators), each job in a process of its own: ` +
			"requests against the minimum, CPU per 10,000 items of the node (including n8n's request helper) next to n8n's own for the same items, peak RSS above the process's baseline, input items without a good output:",
	);
	console.table(await scaleBench(sizes));
}

/**
 * The cost of the fault model's per-item work, measured alone: checking pages of 100 people as the
 * Flameup node checks them (the list, the total, an ID on every record) and pairing batch answers of
 * 100 with what was sent, by key, in a shuffled order.
 */
function checkCost(size: number): { checkMs: number; matchMs: number } {
	const people: FlameupPerson[] = samplePeople(0, size).map((p, i) => ({ id: `uuid-${i}`, external_id: `ext-${p.n}`, email: p.email, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' }));
	const pages = Array.from({ length: Math.ceil(size / 100) }, (_, i) => ({ people: people.slice(i * 100, i * 100 + 100), total: size }));
	const sent: FlameupPersonPayload[][] = pages.map((page) => page.people.map((p) => ({ userId: p.external_id as string, email: p.email, traits: {} })));
	const answers = pages.map((page) => ({ people: [...page.people].reverse(), created_count: 0, updated_count: page.people.length }));
	const time = (work: () => void) => {
		work(); // warm up
		const start = process.hrtime.bigint();
		for (let round = 0; round < 5; round++) work();
		return Number(process.hrtime.bigint() - start) / 1e6 / 5;
	};
	let accepted = 0;
	const checkMs = time(() => {
		for (const page of pages) if (objectWithArray(page, 'people', 'total') && recordsWithIds(page.people)) accepted++;
	});
	let paired = 0;
	const matchMs = time(() => {
		for (let i = 0; i < answers.length; i++) paired += pairBatchAnswer(sent[i], answers[i]).filter((p) => p !== undefined).length;
	});
	if (accepted === 0 || paired === 0) throw new Error('the checks rejected the sample pages');
	return { checkMs, matchMs };
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
