import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The shared simulator design: one HTTP server on 127.0.0.1 per vendor, with routing, JSON bodies,
 * auth, sliding-window rate limits on a speedable clock, forced failures, latency and a request log.
 * A vendor simulator adds only its routes, auth rule, error shape and state.
 */

export interface SimRequest {
	method: string;
	path: string;
	query: URLSearchParams;
	/** Path parameters from `:name` segments. */
	params: Record<string, string>;
	headers: http.IncomingHttpHeaders;
	body: unknown;
	/** The rate-limit / auth key this request was made with (set by `authenticate`). */
	key: string;
}

export interface SimResponse {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
}

export type Handler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

export interface RateWindow {
	limit: number;
	intervalMs: number;
}

export interface LoggedRequest {
	method: string;
	path: string;
	query: Record<string, string | string[]>;
	body: unknown;
	status: number;
	at: number;
	key: string;
}

/**
 * A failure the next matching request gets instead of its answer:
 * - `{status, headers?, body?}`: that answer (the vendor's error body when `body` is left out);
 *   `raw` sends text as it is (HTML, truncated JSON, an empty body) with `contentType`;
 * - `{reset: true}`: the connection is cut without an answer;
 * - `{silent: true}`: no answer at all, until the client gives up;
 * - `{trickle: true}`: a 200 whose body never completes (a byte a second);
 * - with `after: true`, the request is carried out first (a write lands) and then answered with the
 *   fault: the answer to a stored write is lost.
 */
export type Fault = (
	| { status: number; headers?: Record<string, string>; body?: unknown; raw?: string; contentType?: string }
	| { reset: true }
	| { silent: true }
	| { trickle: true }
) & { after?: boolean };

/** Which requests a fault is for (default: any). */
export type FaultMatch = (req: { method: string; path: string }) => boolean;

export interface SimOptions {
	/** Rate windows per key; defaults to the vendor's documented limits. */
	rateLimits?: RateWindow[];
	/** 1 = real time; 10 = rate windows (and reset times) run ten times faster. */
	clockSpeed?: number;
	/** Added delay before every answer, in ms. */
	latencyMs?: number;
	port?: number;
}

export interface VendorRules {
	name: string;
	defaultRateLimits: RateWindow[];
	/** Returns the caller's key, or a response refusing it. */
	authenticate(req: SimRequest): string | SimResponse;
	/** The vendor's error body for a status and message. */
	errorBody(status: number, code: string, message: string, extra?: Record<string, unknown>): unknown;
	/** The answer when a rate window is full. */
	rateLimited(retryAfterMs: number, window: RateWindow, sim: SimServer): SimResponse;
	/** Headers added to every answer (e.g. X-RateLimit-*); `resetAtMs` is real time. */
	rateHeaders?(state: { limit: number; remaining: number; resetAtMs: number }): Record<string, string>;
	/** Request ID header/body conventions. */
	requestIdHeader?: string;
}

interface Route {
	method: string;
	pattern: RegExp;
	names: string[];
	handler: Handler;
}

let requestCounter = 0;
export function requestId(): string {
	requestCounter++;
	return `sim-${Date.now().toString(36)}-${requestCounter.toString(36)}`;
}

export class SimServer {
	readonly requests: LoggedRequest[] = [];

	private readonly routes: Route[] = [];

	private readonly faults: Array<{ fault: Fault; match?: FaultMatch }> = [];

	/** Sockets held open by `silent` and `trickle` faults, closed on stop. */
	private readonly held = new Set<http.ServerResponse>();

	private readonly hits = new Map<string, number[]>();

	private server?: http.Server;

	private readonly epoch = Date.now();

	rateLimits: RateWindow[];

	clockSpeed: number;

	latencyMs: number;

	/** Whether successful answers carry the vendor's rate-count headers (tests that compress time turn them off). */
	sendRateHeaders = true;

	/** Counts answers by status, for tests ("zero 429s"). */
	readonly statusCounts = new Map<number, number>();

	/** Requests being handled now (arrived, not yet answered), and the most there ever were at once since `clearLog`. */
	inFlight = 0;

	peakInFlight = 0;

	constructor(
		readonly rules: VendorRules,
		private readonly options: SimOptions = {},
	) {
		this.rateLimits = options.rateLimits ?? rules.defaultRateLimits;
		this.clockSpeed = options.clockSpeed ?? 1;
		this.latencyMs = options.latencyMs ?? 0;
	}

	/** The simulator's clock: real time, sped up by `clockSpeed`. */
	now(): number {
		return this.epoch + (Date.now() - this.epoch) * this.clockSpeed;
	}

	/** Converts a simulated duration to real milliseconds. */
	realMs(simMs: number): number {
		return simMs / this.clockSpeed;
	}

	route(method: string, path: string, handler: Handler): this {
		const names: string[] = [];
		const pattern = new RegExp(
			'^' + path.replace(/\/:([A-Za-z]+)/g, (_m, name: string) => {
				names.push(name);
				return '/([^/]+)';
			}) + '/?$',
		);
		this.routes.push({ method, pattern, names, handler });
		return this;
	}

	/** The next `count` requests (that `match` accepts) get this fault instead of their answer. */
	failNext(count: number, fault: Fault, match?: FaultMatch): void {
		for (let i = 0; i < count; i++) this.faults.push({ fault, match });
	}

	/** Drops faults not yet used. */
	clearFaults(): void {
		this.faults.length = 0;
	}

	private takeFault(req: SimRequest): Fault | undefined {
		const at = this.faults.findIndex((f) => !f.match || f.match(req));
		return at < 0 ? undefined : this.faults.splice(at, 1)[0].fault;
	}

	clearLog(): void {
		this.requests.length = 0;
		this.statusCounts.clear();
		this.peakInFlight = this.inFlight;
	}

	resetRateLimits(): void {
		this.hits.clear();
	}

	count(filter: (r: LoggedRequest) => boolean = () => true): number {
		return this.requests.filter(filter).length;
	}

	get url(): string {
		const address = this.server?.address() as AddressInfo | null;
		if (!address) throw new Error(`${this.rules.name} simulator is not started`);
		return `http://127.0.0.1:${address.port}`;
	}

	async start(): Promise<string> {
		this.server = http.createServer((req, res) => void this.handle(req, res));
		this.server.keepAliveTimeout = 1000;
		await new Promise<void>((resolve, reject) => {
			this.server!.once('error', reject);
			this.server!.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
		});
		return this.url;
	}

	async stop(): Promise<void> {
		const server = this.server;
		if (!server) return;
		this.server = undefined;
		for (const res of this.held) res.destroy();
		this.held.clear();
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	/** Records a hit for `key` and says how long (sim ms) the caller must wait, or 0. */
	private checkRate(key: string): { waitMs: number; window?: RateWindow; remaining: number; limit: number; resetAtMs: number } {
		const now = this.now();
		const list = this.hits.get(key) ?? [];
		const longest = Math.max(...this.rateLimits.map((w) => w.intervalMs), 0);
		while (list.length > 0 && list[0] <= now - longest) list.shift();
		let result = { waitMs: 0, window: undefined as RateWindow | undefined, remaining: Infinity, limit: Infinity, resetAtMs: now };
		for (const window of this.rateLimits) {
			const inWindow = list.filter((t) => t > now - window.intervalMs);
			const oldest = inWindow[0] ?? now;
			if (inWindow.length >= window.limit) {
				const waitMs = oldest + window.intervalMs - now;
				if (waitMs > result.waitMs) result = { waitMs, window, remaining: 0, limit: window.limit, resetAtMs: oldest + window.intervalMs };
			} else if (result.waitMs === 0 && window.limit - inWindow.length - 1 < result.remaining) {
				result = { ...result, remaining: window.limit - inWindow.length - 1, limit: window.limit, resetAtMs: oldest + window.intervalMs };
			}
		}
		if (result.waitMs === 0) {
			list.push(now);
			this.hits.set(key, list);
		}
		return result;
	}

	private async inject(fault: Fault, log: LoggedRequest, req: http.IncomingMessage, res: http.ServerResponse, send: (r: SimResponse) => Promise<void>): Promise<void> {
		if ('reset' in fault) {
			log.status = -1;
			req.socket.destroy();
			return;
		}
		if ('silent' in fault || 'trickle' in fault) {
			log.status = -2;
			this.held.add(res);
			res.on('close', () => this.held.delete(res));
			if ('trickle' in fault) {
				res.writeHead(200, { 'content-type': 'application/json' });
				res.write('{"data": [');
				const drip = async () => {
					while (!res.destroyed && this.held.has(res)) {
						res.write(' ');
						await new Promise((resolve) => setTimeout(resolve, 1000));
					}
				};
				void drip();
			}
			return;
		}
		if (fault.raw !== undefined) {
			log.status = fault.status;
			this.statusCounts.set(fault.status, (this.statusCounts.get(fault.status) ?? 0) + 1);
			res.writeHead(fault.status, { 'content-type': fault.contentType ?? 'text/html', ...(fault.headers ?? {}) });
			res.end(fault.raw);
			return;
		}
		await send({ status: fault.status, headers: fault.headers, body: fault.body ?? this.rules.errorBody(fault.status, 'Forced', 'Forced failure from the simulator') });
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		this.inFlight++;
		this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
		res.once('close', () => this.inFlight--);
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const raw = Buffer.concat(chunks).toString('utf8');
		const simReq: SimRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, params: {}, headers: req.headers, body: undefined, key: '' };
		const query: Record<string, string | string[]> = {};
		for (const name of new Set(url.searchParams.keys())) {
			const all = url.searchParams.getAll(name);
			query[name] = all.length === 1 ? all[0] : all;
		}
		const log: LoggedRequest = { method: simReq.method, path: simReq.path, query, body: undefined, status: 0, at: Date.now(), key: '' };
		this.requests.push(log);

		const send = async (response: SimResponse) => {
			if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
			log.status = response.status;
			this.statusCounts.set(response.status, (this.statusCounts.get(response.status) ?? 0) + 1);
			const headers: Record<string, string> = { ...(response.headers ?? {}) };
			let payload = '';
			if (response.body !== undefined) {
				headers['content-type'] = 'application/json';
				payload = JSON.stringify(response.body);
			}
			res.writeHead(response.status, headers);
			res.end(payload);
		};
		const error = (status: number, code: string, message: string, extra?: Record<string, unknown>) =>
			send({ status, body: this.rules.errorBody(status, code, message, extra) });

		try {
			if (raw.length > 0) {
				try {
					simReq.body = JSON.parse(raw);
				} catch {
					await error(400, 'InvalidParameter', 'The request body is not valid JSON');
					return;
				}
			}
			log.body = simReq.body;

			const fault = this.takeFault(simReq);
			if (fault && !fault.after) {
				await this.inject(fault, log, req, res, send);
				return;
			}
			const auth = this.rules.authenticate(simReq);
			if (typeof auth !== 'string') {
				await send(auth);
				return;
			}
			simReq.key = auth;
			log.key = auth;

			const rate = this.checkRate(auth);
			if (rate.waitMs > 0 && rate.window) {
				await send(this.rules.rateLimited(rate.waitMs, rate.window, this));
				return;
			}
			const rateHeaders = !this.sendRateHeaders ? {} : this.rules.rateHeaders?.({ limit: rate.limit, remaining: rate.remaining, resetAtMs: Date.now() + this.realMs(rate.resetAtMs - this.now()) }) ?? {};

			const candidates = this.routes.filter((r) => r.pattern.test(simReq.path));
			const route = candidates.find((r) => r.method === simReq.method);
			if (!route) {
				if (candidates.length > 0) await error(405, 'MethodNotAllowed', `${simReq.method} is not allowed on ${simReq.path}`);
				else await error(404, 'RouteNotFound', `No route ${simReq.method} ${simReq.path}`);
				return;
			}
			const match = route.pattern.exec(simReq.path)!;
			route.names.forEach((name, i) => (simReq.params[name] = decodeURIComponent(match[i + 1])));
			const response = await route.handler(simReq);
			if (fault) {
				await this.inject(fault, log, req, res, send);
				return;
			}
			await send({ ...response, headers: { ...rateHeaders, ...(response.headers ?? {}) } });
		} catch (err) {
			await error(500, 'InternalError', `Simulator error: ${(err as Error).message}`);
		}
	}
}
