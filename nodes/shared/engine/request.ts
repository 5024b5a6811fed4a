import { createHash } from 'node:crypto';

import { sleep, type ICredentialDataDecryptedObject, type IDataObject, type IExecuteFunctions, type IHttpRequestOptions, type ILoadOptionsFunctions, type IPollFunctions } from 'n8n-workflow';

import { bodyStart } from './answers';
import { headerValue } from './values';
import { buildApiError } from './errors';
import { Redactor } from './redact';
import { isAmbiguousFailure, MAX_WAIT_MS, nextRetryDelay, serverRateCount } from './retry';
import { inFlightFor, InFlightLimit } from './inFlight';
import type { Clock } from './throttle';
import { limiterFor, realClock, type RateLimiter } from './throttle';
import { DEFAULT_MAX_IN_FLIGHT, type ApiRequest, type ApiResponse, type VendorApi } from './vendor';

interface FullResponse {
	body: unknown;
	headers: Record<string, string | string[] | undefined>;
	statusCode: number;
}

/** Every request's time limit unless the node's Options > Timeout says otherwise. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** A request that timed out this often is not tried again: a silent server ends in an error in minutes. */
const MAX_TIMEOUTS = 3;
/** How often a request's deadline is looked at. */
const DEADLINE_TICK_MS = 200;
/** Same-origin redirects followed for one request. */
const MAX_REDIRECTS = 5;

function networkCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const { code, cause } = current as { code?: unknown; cause?: unknown };
		if (typeof code === 'string' && /^E[A-Z_]+$|^UND_ERR/.test(code)) return code;
		current = cause;
	}
	return undefined;
}

/** Methods whose repetition has the effect of one request, unless the request says otherwise. */
const IDEMPOTENT_METHODS = ['GET', 'HEAD', 'PUT', 'PATCH'];

/**
 * The one way every node talks to its vendor: through the credential
 * (`httpRequestWithAuthentication`), behind the key's rate limiter, with a time limit, bounded
 * retries, answers checked against what the operation needs, and errors that name the item and
 * never show a secret. A write that may have reached the server is never re-sent blind: its
 * failure is reported as `maybeStored` for the operation to settle.
 */
/** Where a client runs: a node's execution, a trigger's poll, or the editor loading a list or dropdown. */
export type ClientContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

export class VendorClient {
	/** Set when the server stopped answering: later requests of this run fail at once instead of waiting again. */
	private unreachable: string | undefined;

	/** How many HTTP requests this client has sent (retries included), for the run's summary. */
	requestsSent = 0;

	constructor(
		private readonly ctx: ClientContext,
		readonly api: VendorApi,
		readonly credentials: ICredentialDataDecryptedObject,
		readonly redactor: Redactor,
		private readonly limiter: RateLimiter,
		private readonly clock: Clock = realClock,
		readonly timeoutMs: number = DEFAULT_TIMEOUT_MS,
		private readonly inFlight: InFlightLimit = new InFlightLimit(api.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT),
	) {}

	/** How many requests the work of one operation may keep in flight together (the key's cap). */
	get maxInFlight(): number {
		return this.inFlight.max;
	}

	/**
	 * The client of an operation (Options > Timeout read from the first item), of a polling trigger
	 * (its Options > Timeout) or of the editor's lists and dropdowns (load options, list search).
	 */
	static async create(ctx: ClientContext, api: VendorApi): Promise<VendorClient> {
		const credentials = await ctx.getCredentials(api.credentialType);
		const saved = api.secretFields.map((field) => credentials[field]).filter((v): v is string => typeof v === 'string');
		const secrets = saved.map((s) => s.trim());
		const redactor = new Redactor([...saved, ...secrets], api.secretQueryParams);
		const windows = typeof api.rateLimits === 'function' ? api.rateLimits(credentials) : api.rateLimits;
		const key = createHash('sha256')
			.update(`${api.credentialType}\u0000${api.url(credentials, '')}\u0000${secrets.join('\u0000')}\u0000${JSON.stringify(windows)}`)
			.digest('hex');
		const fallback = DEFAULT_TIMEOUT_MS / 1000;
		const seconds =
			'getInputData' in ctx
				? ctx.getInputData().length > 0
					? Number(ctx.getNodeParameter('options.timeout', 0, fallback))
					: fallback
				: Number(ctx.getNodeParameter('options.timeout', fallback));
		const timeoutMs = Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : DEFAULT_TIMEOUT_MS;
		const inFlight = inFlightFor(key, api.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT);
		return new VendorClient(ctx, api, credentials, redactor, limiterFor(key, windows), realClock, timeoutMs, inFlight);
	}

	get node() {
		return this.ctx.getNode();
	}

	/** Sends one request and returns the unwrapped, checked payload; throws a NodeApiError on failure. */
	async request<T = unknown>(req: ApiRequest): Promise<T> {
		return (await this.send<T>(req, false)) as T;
	}

	/** As `request`, but "no such record" (the vendor's not-found answer) returns undefined. */
	async find<T = unknown>(req: ApiRequest): Promise<T | undefined> {
		return await this.send<T>(req, true);
	}

	/**
	 * One HTTP exchange within the time limit, which also covers a body that trickles in. The
	 * deadline is watched in short sleeps (n8n nodes may not hold timers of their own), so nothing
	 * is left waiting once the answer is in.
	 */
	private async exchange(options: IHttpRequestOptions): Promise<FullResponse> {
		this.requestsSent++;
		const abort = new AbortController();
		const endsAt = Date.now() + this.timeoutMs;
		let settled = false;
		const call = this.ctx.helpers.httpRequestWithAuthentication.call(this.ctx, this.api.credentialType, {
			...options,
			timeout: this.timeoutMs,
			abortSignal: abort.signal,
		}) as Promise<FullResponse>;
		const deadline = (async (): Promise<never> => {
			while (!settled && Date.now() < endsAt) await sleep(Math.min(DEADLINE_TICK_MS, endsAt - Date.now()));
			if (settled) return await new Promise<never>(() => undefined);
			abort.abort();
			throw Object.assign(new Error(`no complete answer within ${this.timeoutMs / 1000} s`), { code: 'TIMEOUT' });
		})();
		// Whichever loses the race below settles unobserved.
		call.catch(() => undefined);
		deadline.catch(() => undefined);
		try {
			return await Promise.race([call, deadline]);
		} finally {
			settled = true;
		}
	}

	private async send<T>(req: ApiRequest, allowNotFound: boolean): Promise<T | undefined> {
		const idempotent = req.idempotent ?? IDEMPOTENT_METHODS.includes(req.method);
		const fail = (facts: Omit<Parameters<typeof buildApiError>[3], 'action' | 'itemIndex'>) =>
			buildApiError(this.node, this.api, this.redactor, { ...facts, action: req.action, itemIndex: req.itemIndex });
		if (this.unreachable) {
			throw fail({ info: {}, networkCode: this.unreachable, detail: 'Not sent: the server did not answer an earlier request of this run.' });
		}
		let url = this.api.url(this.credentials, req.path);
		const options: IHttpRequestOptions = {
			method: req.method,
			url,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			headers: { Accept: 'application/json', ...(this.api.headers?.(this.credentials) ?? {}) },
		};
		if (req.qs && Object.keys(req.qs).length > 0) options.qs = req.qs;
		if (req.body !== undefined) options.body = req.body as IDataObject;
		const quietWindowMs = Math.max(...this.limiter.windows.map((w) => w.intervalMs));

		let timeouts = 0;
		let redirects = 0;
		for (let attempt = 1; ; attempt++) {
			// One of the key's places in flight, then a slot in its rate windows; both freed with the answer.
			let response: FullResponse | undefined;
			let failure: { error: unknown } | undefined;
			if (attempt > 1 && this.unreachable) {
				throw fail({ info: {}, networkCode: this.unreachable, detail: 'Not sent again: the server did not answer another request of this run.' });
			}
			this.inFlight.narrow(this.limiter.shared);
			await this.inFlight.enter();
			try {
				const slot = await this.limiter.acquire();
				const sentAt = this.clock.now();
				try {
					response = await this.exchange({ ...options, url });
				} catch (error) {
					failure = { error };
				}
				this.limiter.settle(slot, this.clock.now(), sentAt);
			} finally {
				this.inFlight.leave();
			}
			if (failure || !response) {
				const error = failure?.error;
				const code = networkCode(error) ?? (error as { code?: string } | undefined)?.code ?? (error instanceof Error ? error.message : undefined);
				if (code === 'TIMEOUT') timeouts++;
				if (!idempotent && isAmbiguousFailure({ networkCode: code })) {
					throw fail({ info: {}, networkCode: code, attempts: attempt, maybeStored: true });
				}
				const delay = timeouts >= MAX_TIMEOUTS ? undefined : nextRetryDelay(attempt, { networkCode: code }, this.clock.now());
				if (delay !== undefined) {
					await this.clock.sleep(delay);
					continue;
				}
				this.unreachable = code ?? 'network error';
				throw fail({ info: {}, networkCode: code, attempts: attempt });
			}

			const apiResponse: ApiResponse = { statusCode: response.statusCode, headers: response.headers ?? {}, body: response.body };
			const status = apiResponse.statusCode;
			// The server's count includes other clients of the key. Without a reset time (PERSCOM sends
			// only Limit and Remaining on successes), its window is taken to end one rate window from now.
			const count = serverRateCount(apiResponse.headers, Date.now());
			if (count) {
				const resetIn = count.resetAt !== undefined ? count.resetAt - Date.now() : quietWindowMs;
				this.limiter.observe(count.limit, count.remaining, this.clock.now() + resetIn);
				this.inFlight.narrow(this.limiter.shared);
			}

			if (status >= 300 && status < 400 && status !== 304) {
				const location = headerValue(apiResponse.headers, 'location');
				const target = typeof location === 'string' ? new URL(location, url) : undefined;
				if (!target || target.origin !== new URL(url).origin || ++redirects > MAX_REDIRECTS) {
					throw fail({
						status,
						info: { message: target ? `redirected to ${target.origin}` : 'redirected without a Location' },
						detail: 'The credential is only ever sent to the Base URL\'s own host, so the redirect was not followed. Set the credential\'s Base URL to the address the API answers at.',
					});
				}
				url = target.href;
				attempt--;
				continue;
			}

			const failed = this.api.isFailure ? this.api.isFailure(apiResponse) : status >= 400;
			if (!failed) {
				const payload = this.api.unwrap ? this.api.unwrap(apiResponse.body) : apiResponse.body;
				if (!req.expect || req.expect.accepts(payload)) return payload as T;
				const malformed = {
					status,
					info: { message: this.redactor.text(bodyStart(apiResponse.body)) },
					answerNot: req.expect.what,
				};
				if (!idempotent) throw fail({ ...malformed, maybeStored: true });
				const delay = nextRetryDelay(attempt, { malformed: true }, this.clock.now());
				if (delay !== undefined) {
					await this.clock.sleep(delay);
					continue;
				}
				throw fail({ ...malformed, attempts: attempt });
			}

			const info = this.api.parseError(apiResponse);
			if (!idempotent && isAmbiguousFailure({ status })) throw fail({ status, info, attempts: attempt, maybeStored: true });
			const delay = nextRetryDelay(attempt, { status, headers: apiResponse.headers, quietWindowMs }, this.clock.now());
			if (delay !== undefined && delay <= MAX_WAIT_MS) {
				if (status === 429) this.limiter.pauseUntil(this.clock.now() + delay);
				await this.clock.sleep(delay);
				continue;
			}
			const notFound = this.api.isNotFound ? this.api.isNotFound(apiResponse, info) : status === 404;
			if (notFound && allowNotFound) return undefined;
			throw fail({
				status,
				info,
				notFound,
				detail:
					delay !== undefined
						? `The server asked to wait ${Math.ceil(delay / 1000)} s, longer than the node waits (${MAX_WAIT_MS / 1000} s).`
						: attempt > 1
							? `Tried ${attempt} times.`
							: undefined,
			});
		}
	}
}
