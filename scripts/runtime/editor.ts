/** `n8n start` (the editor and its REST API) on 127.0.0.1, the owner's session, n8n's credential test. */
import { spawn, type ChildProcess } from 'node:child_process';
import http, { type IncomingHttpHeaders } from 'node:http';

import { childEnv, killGroup, track } from './children';
import type { Env } from './home';
import { n8nBin, nodeBin } from './profile';
import { fmtSecs, freePort, sleep } from './util';

export interface HttpResponse {
	status: number;
	headers: IncomingHttpHeaders;
	text: string;
	/** The body parsed as JSON; undefined when it is not JSON. */
	json: unknown;
}

interface HttpOptions {
	method?: string;
	headers?: Record<string, string>;
	body?: unknown;
	timeoutMs?: number;
}

function httpRequest(url: string, { method = 'GET', headers = {}, body, timeoutMs = 10000 }: HttpOptions = {}): Promise<HttpResponse> {
	return new Promise((resolve, reject) => {
		const u = new URL(url);
		if (u.hostname !== '127.0.0.1' && u.hostname !== 'localhost') {
			reject(new Error(`refusing to talk to ${u.hostname}: only 127.0.0.1`));
			return;
		}
		const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
		const req = http.request(
			u,
			{
				method,
				headers: { ...(data !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}), ...headers },
				timeout: timeoutMs,
			},
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (c: string) => (text += c));
				res.on('end', () => {
					let json: unknown;
					try {
						json = JSON.parse(text);
					} catch {
						json = undefined;
					}
					resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
				});
			},
		);
		req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${url}`)));
		req.on('error', reject);
		if (data !== undefined) req.write(data);
		req.end();
	});
}

/** `data` of an n8n REST response body ({ data: ... }), if there is one. */
function dataOf(json: unknown): unknown {
	return typeof json === 'object' && json !== null ? (json as { data?: unknown }).data : undefined;
}

export interface ExitInfo {
	code: number | null;
	signal: NodeJS.Signals | null;
}

export interface OwnerSession {
	cookie: string;
	headers: Record<string, string>;
	user: unknown;
}

export interface Editor {
	url: string;
	port: number;
	child: ChildProcess;
	env: Env;
	startMs: number;
	logs(): string;
	stop(options?: { graceMs?: number }): Promise<ExitInfo>;
	session: OwnerSession | null;
}

export interface EditorOptions {
	/** 0: any free port (parallel test files). */
	port?: number;
	host?: string;
	timeoutMs?: number;
	log?: (message: string) => void;
}

/**
 * `n8n start` bound to host:port. Resolves when GET /healthz/readiness answers 200 (the database is up)
 * and /rest/settings too.
 */
export async function startEditor(env: Env, { port = 5678, host = '127.0.0.1', timeoutMs = 180000, log }: EditorOptions = {}): Promise<Editor> {
	if (host !== '127.0.0.1' && host !== 'localhost') throw new Error('startEditor binds to 127.0.0.1 only');
	if (!port) port = await freePort();
	const url = `http://${host === 'localhost' ? '127.0.0.1' : host}:${port}`;
	const e: Env = {
		...env,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_EDITOR_BASE_URL: `${url}/`,
		WEBHOOK_URL: `${url}/`,
	};
	// A task broker port of its own (CLI calls on the same home may run meanwhile).
	e.N8N_RUNNERS_BROKER_PORT = String(await freePort());
	if (e.N8N_RUNNERS_BROKER_PORT === String(port)) e.N8N_RUNNERS_BROKER_PORT = String(await freePort());
	// Fail early and clearly if something already listens there.
	try {
		const r = await httpRequest(`${url}/healthz`, { timeoutMs: 1000 });
		throw new Error(`port ${port} is busy (something answered /healthz with ${r.status})`);
	} catch (err) {
		if (/is busy/.test((err as Error).message)) throw err;
	}
	const started = Date.now();
	const child = spawn(nodeBin(), [n8nBin(), 'start'], {
		cwd: e.N8N_USER_FOLDER,
		env: childEnv(e),
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	track(child);
	let output = '';
	const onData = (d: Buffer) => {
		output += d;
		if (output.length > 2e6) output = output.slice(-1e6);
		if (log) for (const line of String(d).split(/\r?\n/)) if (line.trim()) log(`[n8n] ${line}`);
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
	let exited: ExitInfo | null = null;
	const exitPromise = new Promise<ExitInfo>((resolve) => child.on('close', (code, signal) => resolve((exited = { code, signal }))));

	const stop = async ({ graceMs = 15000 }: { graceMs?: number } = {}): Promise<ExitInfo> => {
		if (exited) return exited;
		killGroup(child, 'SIGTERM');
		const t = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
		const r = await exitPromise;
		clearTimeout(t);
		return r;
	};
	/** Waits until `path` answers 200; fails on n8n's exit, or on the time-out (stopping n8n). */
	const waitFor = async (path: string, messages: { exited: string; notReady: string }) => {
		for (;;) {
			if (exited) throw new Error(`n8n start exited (${exited.signal || exited.code})${messages.exited}\n${output.slice(-6000)}`);
			if (Date.now() - started > timeoutMs) {
				await stop({ graceMs: 2000 });
				throw new Error(`${messages.notReady} within ${fmtSecs(timeoutMs)}\n${output.slice(-6000)}`);
			}
			try {
				const r = await httpRequest(`${url}${path}`, { timeoutMs: 2000 });
				if (r.status === 200) return;
			} catch {
				/* not up yet */
			}
			await sleep(500);
		}
	};
	await waitFor('/healthz/readiness', { exited: ' before answering /healthz', notReady: `n8n start did not answer ${url}/healthz` });
	// /healthz answers before the REST API and the editor are registered: wait for /rest/settings too.
	await waitFor('/rest/settings', { exited: '', notReady: `n8n REST API at ${url} not ready` });
	return { url, port, child, env: e, startMs: Date.now() - started, logs: () => output, stop, session: null };
}

export const OWNER = { email: 'owner@example.com', firstName: 'Test', lastName: 'Owner', password: 'Test-Owner-Passw0rd' };
const BROWSER_ID = 'n8n-nodes-people-sync-runtime';

/**
 * Log in to a started editor as the instance owner, setting the owner up first on a fresh instance
 * (POST /rest/owner/setup) and logging in (POST /rest/login) otherwise. Caches the cookie on the handle.
 */
export async function ownerSession(editor: Editor, owner: typeof OWNER = OWNER): Promise<OwnerSession> {
	if (editor.session) return editor.session;
	const headers = { 'browser-id': BROWSER_ID };
	let r = await httpRequest(`${editor.url}/rest/owner/setup`, { method: 'POST', headers, body: owner });
	if (r.status !== 200) {
		r = await httpRequest(`${editor.url}/rest/login`, {
			method: 'POST',
			headers,
			body: { emailOrLdapLoginId: owner.email, password: owner.password },
		});
	}
	if (r.status !== 200) throw new Error(`could not log in as the owner (${r.status}): ${r.text.slice(0, 500)}`);
	const cookie = (r.headers['set-cookie'] || []).map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
	if (!cookie) throw new Error('n8n set no n8n-auth cookie on login');
	editor.session = { cookie, headers: { cookie, 'browser-id': BROWSER_ID }, user: dataOf(r.json) };
	return editor.session;
}

/** Authenticated REST call on a started editor. */
export async function rest(editor: Editor, method: string, p: string, body?: unknown): Promise<HttpResponse> {
	const { headers } = await ownerSession(editor);
	return httpRequest(`${editor.url}/rest${p}`, { method, headers, body, timeoutMs: 60000 });
}

/**
 * n8n's own "Test connection" for a stored credential: reads it (GET /rest/credentials/:id?includeData=true,
 * secrets come back redacted and n8n restores them) and POSTs it to /rest/credentials/test.
 * Resolves to n8n's { status: 'OK' | 'Error', message }.
 */
export async function testCredential(editor: Editor, credentialId: string): Promise<{ status: string; message: string }> {
	const got = await rest(editor, 'GET', `/credentials/${encodeURIComponent(credentialId)}?includeData=true`);
	const c = dataOf(got.json) as { id: string; name: string; type: string; data: unknown } | undefined; // n8n's credential record
	if (got.status !== 200 || !c) throw new Error(`GET credential ${credentialId}: ${got.status} ${got.text.slice(0, 500)}`);
	const r = await rest(editor, 'POST', '/credentials/test', { credentials: { id: c.id, name: c.name, type: c.type, data: c.data } });
	const result = dataOf(r.json) as { status: string; message: string } | undefined; // n8n's test result
	if (r.status !== 200 || !result) throw new Error(`POST /rest/credentials/test: ${r.status} ${r.text.slice(0, 500)}`);
	return result;
}

/**
 * Stops a started editor and starts `n8n start` again on the same home (same database, same port unless
 * `options.port` says otherwise): active workflows are activated again from the database, with the static
 * data n8n saved. `whileStopped` runs while n8n is down. The new handle has no session yet (ownerSession logs in again).
 */
export async function restartEditor(editor: Editor, { whileStopped, ...options }: EditorOptions & { whileStopped?: () => unknown } = {}): Promise<Editor> {
	await editor.stop();
	if (whileStopped) await whileStopped();
	return startEditor(editor.env, { port: editor.port, ...options });
}
