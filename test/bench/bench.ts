/**
 * Benchmarks: real workflows in n8n's engine against the simulators, printing numbers (time,
 * requests, items/s, memory). Not a test: nothing here asserts a duration. Run: npm run bench
 */
import { samplePeople } from '../../simulators/core/people';
import { FLAMEUP_TEST_KEY, FlameupSimulator } from '../../simulators/flameup';
import { runWorkflow } from '../workflow/harness';

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
	console.log(`Flameup allows 120 requests/minute per key: ${size / 100} requests per scenario stay within one window when size <= 12,000.`);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
