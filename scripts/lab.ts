/**
 * The sync lab: the four vendor simulators seeded with realistic, overlapping people, the n8n
 * credentials that point at them, and the sync templates. Shared by the end-to-end tests and the demo.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { samplePeople } from '../simulators/core/people';
import type { SimOptions, SimServer } from '../simulators/core/server';
import { FLAMEUP_TEST_KEY, FlameupSimulator } from '../simulators/flameup';
import { FLASHDUTY_TEST_KEY, FlashdutySimulator } from '../simulators/flashduty';
import { FLXPOINT_TEST_TOKEN, FlxpointSimulator } from '../simulators/flxpoint';
import { PERSCOM_TEST_KEY, PerscomSimulator } from '../simulators/perscom';

export const TEMPLATES_DIR = path.resolve(__dirname, '..', 'templates');

/** The credentials the templates reference (by id and name); never any secret in a template. */
export const CREDENTIAL_REFS = {
	flameupApi: { id: 'psFlameupCred001', name: 'Flameup account' },
	flashdutyApi: { id: 'psFlashdutyCred01', name: 'Flashduty account' },
	flxpointApi: { id: 'psFlxpointCred001', name: 'Flxpoint account' },
	perscomApi: { id: 'psPerscomCred0001', name: 'PERSCOM account' },
} as const;

export type CredentialType = keyof typeof CREDENTIAL_REFS;

export interface Lab {
	flameup: FlameupSimulator;
	flashduty: FlashdutySimulator;
	flxpoint: FlxpointSimulator;
	perscom: PerscomSimulator;
	all: SimServer[];
	stop(): Promise<void>;
}

/**
 * Who is where (sample person numbers), so that every sync both creates and updates:
 * Flxpoint 0–299, Flameup 200–349, PERSCOM 100–349 (4 in 5 approved), Flashduty 250–369.
 */
export const SEED = {
	flxpoint: [0, 300],
	flameup: [200, 150],
	perscom: [100, 250],
	flashduty: [250, 120],
} as const;

/** Starts the four simulators; `ports.base` puts them on base, base+1, base+2, base+3 (else any free port). */
export async function startLab(options: { seed?: boolean; sim?: SimOptions; ports?: { base: number } } = {}): Promise<Lab> {
	const port = (offset: number): SimOptions => ({ ...options.sim, ...(options.ports ? { port: options.ports.base + offset } : {}) });
	const flameup = new FlameupSimulator(port(0));
	const flashduty = new FlashdutySimulator(port(1));
	const flxpoint = new FlxpointSimulator(port(2));
	const perscom = new PerscomSimulator(port(3));
	const all: SimServer[] = [flameup, flashduty, flxpoint, perscom];
	await Promise.all(all.map(async (sim) => await sim.start()));
	if (options.seed !== false) {
		flxpoint.seedSample(samplePeople(...SEED.flxpoint));
		flameup.seedSample(samplePeople(...SEED.flameup));
		perscom.seedSample(samplePeople(...SEED.perscom));
		flashduty.seedSample(samplePeople(...SEED.flashduty));
	}
	return {
		flameup,
		flashduty,
		flxpoint,
		perscom,
		all,
		stop: async () => {
			await Promise.all(all.map(async (sim) => await sim.stop()));
		},
	};
}

/** n8n `import:credentials` records for the lab's simulators; `override` swaps in e.g. a wrong key. */
export function labCredentials(lab: Lab, override: Partial<Record<CredentialType, Record<string, string>>> = {}) {
	const data: Record<CredentialType, Record<string, string>> = {
		flameupApi: { apiKey: FLAMEUP_TEST_KEY, baseUrl: lab.flameup.url, workspaceId: '' },
		flashdutyApi: { appKey: FLASHDUTY_TEST_KEY, baseUrl: lab.flashduty.url },
		flxpointApi: { apiToken: FLXPOINT_TEST_TOKEN, baseUrl: lab.flxpoint.url },
		perscomApi: { apiKey: PERSCOM_TEST_KEY, apiVersion: 'v2', perscomId: '', baseUrl: lab.perscom.url, requestsPerMinute: '1000' },
	};
	return (Object.keys(CREDENTIAL_REFS) as CredentialType[]).map((type) => ({
		...CREDENTIAL_REFS[type],
		type,
		data: { ...data[type], ...(override[type] ?? {}) },
	}));
}

export interface Template {
	file: string;
	id: string;
	name: string;
	/** The vendor node names: the first reads the source, the last writes the target. */
	sourceNode: string;
	targetNode: string;
	/** Started by a polling trigger of this package: it runs when activated, not with `n8n execute`. */
	triggered: boolean;
	workflow: { id: string; name: string; nodes: Array<{ name: string; type: string }> };
}

export function loadTemplates(): Template[] {
	return readdirSync(TEMPLATES_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((file) => {
			const workflow = JSON.parse(readFileSync(path.join(TEMPLATES_DIR, file), 'utf8')) as Template['workflow'];
			const vendorNodes = workflow.nodes.filter((n) => n.type.startsWith('n8n-nodes-people-sync.'));
			const triggered = vendorNodes[0].type.endsWith('Trigger');
			return { file, id: workflow.id, name: workflow.name, sourceNode: vendorNodes[0].name, targetNode: vendorNodes[vendorNodes.length - 1].name, triggered, workflow };
		});
}

export interface SyncSummary {
	workflow: string;
	read: number;
	created: number;
	updated: number;
	unchanged: number;
	deleted: number;
	failed: number;
	requests: number;
	seconds: number;
}

/** Counts a run's source reads and target actions (error items count as failed). */
export function summarize(template: Template, outputs: { source: Array<Record<string, unknown>>; target: Array<Record<string, unknown>> }, requests: number, seconds: number): SyncSummary {
	const count = (action: string) => outputs.target.filter((j) => j.action === action).length;
	return {
		workflow: template.name.replace(/^People Sync: /, '') + (outputs.target.some((j) => j.dryRun === true) ? ' [nothing written]' : ''),
		read: outputs.source.length,
		created: count('created'),
		updated: count('updated'),
		unchanged: count('unchanged'),
		deleted: count('deleted') + count('unapproved'),
		failed: outputs.target.filter((j) => j.error !== undefined).length,
		requests,
		seconds: Math.round(seconds * 10) / 10,
	};
}
