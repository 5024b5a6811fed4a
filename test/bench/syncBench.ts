/**
 * The hourly sync benchmark (issue 11): for each vendor pair, a directory of `size` people synced
 * once, then 1 % of the source changed and the sync run again, as the next hour's run would. Prints
 * the second run's requests against the minimum (the reads the pair needs + ⌈changed / max batch⌉
 * writes) and its time. Real workflows in n8n's engine (test/workflow/harness.ts) against the
 * simulators; nothing here asserts a duration.
 */
import type { IDataObject } from 'n8n-workflow';

import { samplePeople, type SamplePerson } from '../../simulators/core/people';
import type { SimServer } from '../../simulators/core/server';
import { FLAMEUP_TEST_KEY, FlameupSimulator } from '../../simulators/flameup';
import { FLASHDUTY_TEST_KEY, FlashdutySimulator } from '../../simulators/flashduty';
import { FLXPOINT_TEST_TOKEN, FlxpointSimulator } from '../../simulators/flxpoint';
import { PERSCOM_TEST_KEY, PerscomSimulator } from '../../simulators/perscom';
import { runWorkflow, type TestNode } from '../workflow/harness';

export interface SyncRow {
	pair: string;
	people: number;
	changed: number;
	requests: number;
	minimum: number;
	writes: number;
	unchanged: number;
	seconds: number;
}

/** A second Flameup key on the same workspace: the source read of the second run has its own 120/minute. */
const FLAMEUP_SECOND_KEY = 'ws_test_simws01.' + 'c3'.repeat(32);

const node = (type: string, credential: string, parameters: IDataObject): TestNode => ({ name: type, type, credentials: [credential], parameters });

/** Requests that write: all but the reads (GET, and the list and search calls sent as POST). */
const writes = (sim: SimServer) => sim.requests.filter((r) => r.method !== 'GET' && !/\/(member\/list|person\/infos|users\/search)$/.test(r.path)).length;

/** Every 100th person gets a new phone number: 1 % changed. */
const changedOnes = (people: SamplePerson[]) => people.filter((_, i) => i % 100 === 0);
const newPhone = (p: SamplePerson) => `+1 555 0${String(p.n).padStart(6, '0')}`;

async function twoRuns(
	pair: string,
	sims: SimServer[],
	nodes: TestNode[],
	credentials: (run: 1 | 2) => Record<string, Record<string, string>>,
	change: () => number,
	minimum: number,
): Promise<SyncRow> {
	const first = await runWorkflow({ items: [{}], nodes, credentials: credentials(1) });
	if (first.error) throw first.error;
	const changed = change();
	sims.forEach((s) => s.clearLog());
	const started = process.hrtime.bigint();
	const second = await runWorkflow({ items: [{}], nodes, credentials: credentials(2) });
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	if (second.error) throw second.error;
	const out = second.output[nodes[1].name];
	if (out.some((i) => i.json.error !== undefined)) throw new Error(`${pair}: error items in the second run`);
	return {
		pair,
		people: out.length,
		changed,
		requests: sims.reduce((n, s) => n + s.requests.length, 0),
		minimum,
		writes: writes(sims[sims.length - 1]),
		unchanged: out.filter((i) => i.json.action === 'unchanged').length,
		seconds: Math.round(seconds * 100) / 100,
	};
}

export async function syncBench(size: number): Promise<SyncRow[]> {
	const people = samplePeople(0, size);
	const changed = changedOnes(people);
	const pages = Math.ceil(size / 100);
	// Flashduty's API reads at most 10,000 members, and from exactly 10,000 on it cannot tell whether
	// more follow: the Flashduty pairs use one fewer, the largest account a mirror can see whole.
	const flashdutyPeople = samplePeople(0, Math.min(size, 9_999)).map((p) => ({ ...p, name: p.name.slice(0, 39) }));
	const flashdutyChanged = changedOnes(flashdutyPeople);
	const flashdutyPages = Math.ceil(flashdutyPeople.length / 100);
	const rows: SyncRow[] = [];

	// Flxpoint → Flameup (template 1): one Flxpoint read; Flameup compares with the last run (no read).
	{
		const flxpoint = new FlxpointSimulator();
		const flameup = new FlameupSimulator({ keys: { [FLAMEUP_TEST_KEY]: 'simws01' } });
		const credentials = { flxpointApi: { apiToken: FLXPOINT_TEST_TOKEN, baseUrl: await flxpoint.start() }, flameupApi: { apiKey: FLAMEUP_TEST_KEY, baseUrl: await flameup.start() } };
		flxpoint.seedSample(people);
		const change = () => {
			for (const p of changed) {
				const user = [...flxpoint.users.values()].find((u) => u.email === p.email);
				if (user) user.firstName = `${user.firstName}x`;
			}
			return changed.length;
		};
		try {
			rows.push(await twoRuns('Flxpoint → Flameup (Batch Upsert)', [flxpoint, flameup], [node('flxpoint', 'flxpointApi', { resource: 'user', operation: 'getAll', returnAll: true }), node('flameup', 'flameupApi', { resource: 'person', operation: 'batchUpsert' })], () => credentials, change, 1 + Math.ceil(changed.length / 100)));
		} finally {
			await Promise.all([flxpoint.stop(), flameup.stop()]);
		}
	}

	// Flameup → PERSCOM (template 4): the Flameup list, the PERSCOM search by email (100 a search), one PATCH.
	{
		const flameup = new FlameupSimulator({ keys: { [FLAMEUP_TEST_KEY]: 'simws01', [FLAMEUP_SECOND_KEY]: 'simws01' } });
		const perscom = new PerscomSimulator();
		const flameupUrl = await flameup.start();
		const perscomUrl = await perscom.start();
		flameup.seedSample(people);
		perscom.seedSample(people);
		// The second run reads Flameup with a second key: the first run's 100 pages used this minute's budget of the first.
		const credentials = (run: 1 | 2) => ({ flameupApi: { apiKey: run === 1 ? FLAMEUP_TEST_KEY : FLAMEUP_SECOND_KEY, baseUrl: flameupUrl }, perscomApi: { apiKey: PERSCOM_TEST_KEY, apiVersion: 'v2', baseUrl: perscomUrl, requestsPerMinute: '1000' } });
		const change = () => {
			for (const p of changed) {
				const person = flameup.byEmail(p.email);
				if (person) person.phone = newPhone(p);
			}
			return changed.length;
		};
		try {
			const nodes = [node('flameup', 'flameupApi', { resource: 'person', operation: 'getAll', returnAll: true }), node('perscom', 'perscomApi', { resource: 'user', operation: 'batchUpsert' })];
			rows.push(await twoRuns('Flameup → PERSCOM (Batch Upsert)', [flameup, perscom], nodes, credentials, change, pages + pages + Math.ceil(changed.length / 100)));
		} finally {
			await Promise.all([flameup.stop(), perscom.stop()]);
		}
	}

	// PERSCOM → Flashduty (template 2, as a mirror of all members): PERSCOM pages, the Flashduty member list, one update per changed member.
	{
		const perscom = new PerscomSimulator();
		const flashduty = new FlashdutySimulator();
		const credentials = { perscomApi: { apiKey: PERSCOM_TEST_KEY, apiVersion: 'v2', baseUrl: await perscom.start(), requestsPerMinute: '1000' }, flashdutyApi: { appKey: FLASHDUTY_TEST_KEY, baseUrl: await flashduty.start() } };
		perscom.seedSample(flashdutyPeople);
		flashduty.seedSample(flashdutyPeople);
		const change = () => {
			for (const p of flashdutyChanged) {
				const user = perscom.byEmail(p.email);
				if (user) user.phone_number = newPhone(p);
			}
			return flashdutyChanged.length;
		};
		try {
			rows.push(
				await twoRuns(
					'PERSCOM → Flashduty (Mirror)',
					[perscom, flashduty],
					[node('perscom', 'perscomApi', { resource: 'user', operation: 'getAll', returnAll: true }), node('flashduty', 'flashdutyApi', { resource: 'member', operation: 'mirror', managedPrefix: '', removeAction: 'delete', options: {} })],
					() => credentials,
					change,
					flashdutyPages + flashdutyPages + flashdutyChanged.length,
				),
			);
		} finally {
			await Promise.all([perscom.stop(), flashduty.stop()]);
		}
	}

	// Flashduty → Flameup (template 3): the Flashduty member list; Flameup compares with the last run.
	{
		const flashduty = new FlashdutySimulator();
		const flameup = new FlameupSimulator({ keys: { [FLAMEUP_TEST_KEY]: 'simws01' } });
		const credentials = { flashdutyApi: { appKey: FLASHDUTY_TEST_KEY, baseUrl: await flashduty.start() }, flameupApi: { apiKey: FLAMEUP_TEST_KEY, baseUrl: await flameup.start() } };
		flashduty.seedSample(flashdutyPeople);
		const change = () => {
			for (const p of flashdutyChanged) {
				const member = flashduty.byEmail(p.email);
				if (member) member.phone = newPhone(p).replace(/^\+1 /, '');
			}
			return flashdutyChanged.length;
		};
		try {
			rows.push(await twoRuns('Flashduty → Flameup (Batch Upsert)', [flashduty, flameup], [node('flashduty', 'flashdutyApi', { resource: 'member', operation: 'getAll', returnAll: true }), node('flameup', 'flameupApi', { resource: 'person', operation: 'batchUpsert' })], () => credentials, change, flashdutyPages + Math.ceil(flashdutyChanged.length / 100)));
		} finally {
			await Promise.all([flashduty.stop(), flameup.stop()]);
		}
	}
	return rows;
}
