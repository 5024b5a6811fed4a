/**
 * One "n8n worker" for workers.test.ts: a separate process (its own rate limiter, as each n8n worker
 * in queue mode has) that runs one Flameup Batch Get workflow and prints what it got as JSON.
 * Usage: node -r ts-node/register/transpile-only test/faults/worker.ts <baseUrl> <apiKey> <ids>
 */
import { runWorkflow } from '../workflow/harness';

async function main(): Promise<void> {
	const [baseUrl, apiKey, ids] = process.argv.slice(2);
	const result = await runWorkflow({
		items: [{}],
		nodes: [{ name: 'Flameup', type: 'flameup', credentials: ['flameupApi'], parameters: { resource: 'person', operation: 'batchGet', ids }, continueOnFail: true }],
		credentials: { flameupApi: { apiKey, baseUrl } },
	});
	const items = result.output.Flameup ?? [];
	process.stdout.write(
		`${JSON.stringify({
			error: result.error?.message,
			found: items.filter((i) => !i.json.error && !i.json.notFound).map((i) => i.json.externalId),
			errors: items.filter((i) => i.json.error).map((i) => i.json.error),
			notFound: items.filter((i) => i.json.notFound).length,
		})}\n`,
	);
}

void main().then(
	() => process.exit(0),
	(error: Error) => {
		process.stderr.write(`${error.stack ?? error.message}\n`);
		process.exit(1);
	},
);
