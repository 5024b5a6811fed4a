/**
 * Several n8n workers (queue mode) sharing one key: each process has its own rate limiter, so only
 * the server's own count (X-RateLimit-Limit/Remaining/Reset, which Flameup documents) can keep them
 * under the key's limit together. Four worker processes read 240 people through one key whose
 * server-side limit is far below what the four limiters would allow together.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

import { samplePeople } from '../../simulators/core/people';
import { FLAMEUP_TEST_KEY, FlameupSimulator } from '../../simulators/flameup';

const ROOT = path.resolve(__dirname, '..', '..');

interface WorkerResult {
	error?: string;
	found: string[];
	errors: string[];
	notFound: number;
}

function runWorker(baseUrl: string, ids: string[]): Promise<WorkerResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'worker.ts'), baseUrl, FLAMEUP_TEST_KEY, ids.join(',')], {
			cwd: ROOT,
			env: { ...process.env, N8N_LOG_LEVEL: 'silent' },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		let err = '';
		child.stdout.on('data', (d: Buffer) => (out += String(d)));
		child.stderr.on('data', (d: Buffer) => (err += String(d)));
		child.on('error', reject);
		child.on('close', (code) => {
			const line = out.trim().split('\n').pop() ?? '';
			if (code !== 0 || !line.startsWith('{')) reject(new Error(`worker exited ${code}: ${err.slice(-2000)}`));
			else resolve(JSON.parse(line) as WorkerResult);
		});
	});
}

test('4 worker processes on one key: 0 error items, nothing lost, the server count followed', async () => {
	// The key's server-side window: 40 requests per simulated minute, a simulated minute lasting 2 s.
	const sim = new FlameupSimulator({ rateLimits: [{ limit: 40, intervalMs: 60_000 }], clockSpeed: 30 });
	const url = await sim.start();
	try {
		sim.seedSample(samplePeople(0, 240));
		const shares = [0, 1, 2, 3].map((w) => samplePeople(w * 60, 60).map((p) => `ext-${p.n}`));
		const results = await Promise.all(shares.map(async (ids) => await runWorker(url, ids)));
		for (const [w, result] of results.entries()) {
			expect(result.error).toBeUndefined();
			expect(result.errors).toEqual([]);
			expect(result.notFound).toBe(0);
			expect([...result.found].sort()).toEqual([...shares[w]].sort());
		}
		const served = sim.count((r) => r.status === 200);
		const refused = sim.statusCounts.get(429) ?? 0;
		expect(served).toBe(240);
		// What the promise is: 0 error items and nothing lost (above). How many 429s the workers meet
		// depends on timing on a shared machine: measured 63 without following the server's count, and
		// 0 to 9 following it with one request in flight while the key is seen shared (a request in
		// flight when the count runs out is retried at the server's reset). The bound only says the count is followed at all.
		expect(refused).toBeLessThan(50);
	} finally {
		await sim.stop();
	}
}, 120_000);
