/** The n8n processes started here: their environment, and ending them (with their task runners). */
import type { ChildProcess } from 'node:child_process';

import type { Env } from './home';

/** process.env with `env` over it, minus the test runner's variables and the ones set to undefined. */
export function childEnv(env: Env): NodeJS.ProcessEnv {
	const merged: Env = { ...process.env, ...env };
	// Variables of the test runner that would change n8n's behaviour.
	delete merged.JEST_WORKER_ID;
	delete merged.N8N_CONFIG_FILES;
	for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
	return merged;
}

/** n8n processes started here; killed when this process exits so that none is left behind. */
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

export function track(child: ChildProcess): void {
	if (!exitHookInstalled) {
		exitHookInstalled = true;
		process.on('exit', killLiveChildren);
	}
	liveChildren.add(child);
	child.once('close', () => liveChildren.delete(child));
}

function killLiveChildren(): void {
	for (const child of liveChildren) killGroup(child, 'SIGKILL');
	liveChildren.clear();
}

/** Signals the child's process group (it was spawned detached), else the child alone. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	try {
		if (child.pid === undefined) throw new Error('not spawned');
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			/* gone */
		}
	}
}
