/** Types for scripts/runtime.js (plain CommonJS so it runs without a build). */
export type Env = Record<string, string>;

export interface CliResult {
	code: number | null;
	signal: string | null;
	stdout: string;
	stderr: string;
	ms: number;
}

export interface N8nHome {
	home: string;
	env: Env;
	packageName: string;
}

export interface N8nItem {
	json: Record<string, unknown>;
	pairedItem?: unknown;
}

export interface N8nRun {
	status: string;
	finished?: boolean;
	data: {
		resultData: {
			runData: Record<string, Array<{ data?: { main: N8nItem[][] }; error?: { message: string; description?: string } }>>;
			error?: { message: string; description?: string; node?: { name: string } };
			lastNodeExecuted?: string;
		};
	};
}

export interface Editor {
	url: string;
	stop(): Promise<void>;
	logs(): string;
}

export const REPO_ROOT: string;
export const PACKAGE_NAME: string;
export function ensureRuntime(options?: { log?: (message: string) => void; force?: boolean }): Promise<unknown>;
export function isInstalled(): boolean;
export function nodeBin(): string;
export function n8nBin(): string;
export function createN8nHome(options?: { packageDir?: string; home?: string; logLevel?: string; extraEnv?: Env }): Promise<N8nHome>;
export function removeN8nHome(home: N8nHome | string): Promise<void>;
export function n8nCli(args: string[], options: { env: Env; timeoutMs?: number }): Promise<CliResult>;
export function importCredentials(env: Env, credentials: unknown[] | unknown): Promise<CliResult>;
export function importWorkflow(env: Env, workflow: unknown): Promise<CliResult & { id: string }>;
export function executeWorkflow(env: Env, id: string, options?: { timeoutMs?: number; allowError?: boolean }): Promise<N8nRun>;
export function nodeOutput(run: N8nRun, nodeName: string, options?: { runIndex?: number; output?: number }): Array<Record<string, unknown>>;
export function startEditor(env: Env, options?: { port?: number; host?: string; timeoutMs?: number; log?: (m: string) => void }): Promise<Editor>;
export function ownerSession(editor: Editor): Promise<unknown>;
export function testCredential(editor: Editor, credentialId: string): Promise<{ status: string; message: string }>;
export const OWNER: { email: string; password: string; firstName: string; lastName: string };
