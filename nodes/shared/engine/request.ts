import { createHash } from 'node:crypto';

import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { buildApiError } from './errors';
import { Redactor } from './redact';
import { MAX_WAIT_MS, nextRetryDelay } from './retry';
import type { Clock } from './throttle';
import { limiterFor, realClock, type RateLimiter } from './throttle';
import type { ApiRequest, ApiResponse, VendorApi } from './vendor';

interface FullResponse {
	body: unknown;
	headers: Record<string, string | string[] | undefined>;
	statusCode: number;
}

function networkCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const { code, cause } = current as { code?: unknown; cause?: unknown };
		if (typeof code === 'string' && /^E[A-Z_]+$|^UND_ERR/.test(code)) return code;
		current = cause;
	}
	return undefined;
}

/**
 * The one way every node talks to its vendor: through the credential
 * (`httpRequestWithAuthentication`), behind the key's rate limiter, with bounded retries and
 * errors that name the item and never show a secret.
 */
export class VendorClient {
	constructor(
		private readonly ctx: IExecuteFunctions,
		readonly api: VendorApi,
		readonly credentials: ICredentialDataDecryptedObject,
		readonly redactor: Redactor,
		private readonly limiter: RateLimiter,
		private readonly clock: Clock = realClock,
	) {}

	static async create(ctx: IExecuteFunctions, api: VendorApi): Promise<VendorClient> {
		const credentials = await ctx.getCredentials(api.credentialType);
		const secrets = api.secretFields.map((field) => credentials[field]).filter((v): v is string => typeof v === 'string');
		const redactor = new Redactor(secrets, api.secretQueryParams);
		const key = createHash('sha256')
			.update(`${api.credentialType}\u0000${api.url(credentials, '')}\u0000${secrets.join('\u0000')}`)
			.digest('hex');
		return new VendorClient(ctx, api, credentials, redactor, limiterFor(key, api.rateLimits));
	}

	get node() {
		return this.ctx.getNode();
	}

	/** Sends one request and returns the unwrapped payload; throws a NodeApiError on failure. */
	async request<T = unknown>(req: ApiRequest): Promise<T> {
		return (await this.send<T>(req, false)) as T;
	}

	/** As `request`, but "no such record" (the vendor's not-found answer) returns undefined. */
	async find<T = unknown>(req: ApiRequest): Promise<T | undefined> {
		return await this.send<T>(req, true);
	}

	private async send<T>(req: ApiRequest, allowNotFound: boolean): Promise<T | undefined> {
		const options: IHttpRequestOptions = {
			method: req.method,
			url: this.api.url(this.credentials, req.path),
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			headers: { Accept: 'application/json', ...(this.api.headers?.(this.credentials) ?? {}) },
		};
		if (req.qs && Object.keys(req.qs).length > 0) options.qs = req.qs;
		if (req.body !== undefined) options.body = req.body as IDataObject;

		for (let attempt = 1; ; attempt++) {
			const slot = await this.limiter.acquire();
			let response: FullResponse;
			try {
				response = (await this.ctx.helpers.httpRequestWithAuthentication.call(
					this.ctx,
					this.api.credentialType,
					{ ...options },
				)) as FullResponse;
				this.limiter.settle(slot, this.clock.now());
			} catch (error) {
				this.limiter.settle(slot, this.clock.now());
				const code = networkCode(error);
				const delay = nextRetryDelay(attempt, { networkCode: code }, this.clock.now());
				if (delay !== undefined) {
					await this.clock.sleep(delay);
					continue;
				}
				throw buildApiError(this.node, this.api, this.redactor, {
					info: {},
					action: req.action,
					itemIndex: req.itemIndex,
					networkCode: code ?? (error instanceof Error ? error.message : undefined),
					attempts: attempt,
				});
			}

			const apiResponse: ApiResponse = {
				statusCode: response.statusCode,
				headers: response.headers ?? {},
				body: response.body,
			};
			const failed = this.api.isFailure ? this.api.isFailure(apiResponse) : apiResponse.statusCode >= 400;
			if (!failed) {
				return (this.api.unwrap ? this.api.unwrap(apiResponse.body) : apiResponse.body) as T;
			}

			const info = this.api.parseError(apiResponse);
			const status = apiResponse.statusCode;
			const delay = nextRetryDelay(attempt, { status, headers: apiResponse.headers }, this.clock.now());
			if (delay !== undefined && delay <= MAX_WAIT_MS) {
				if (status === 429) this.limiter.pauseUntil(this.clock.now() + delay);
				await this.clock.sleep(delay);
				continue;
			}
			const notFound = this.api.isNotFound ? this.api.isNotFound(apiResponse, info) : status === 404;
			if (notFound && allowNotFound) return undefined;
			throw buildApiError(this.node, this.api, this.redactor, {
				status,
				info,
				action: req.action,
				itemIndex: req.itemIndex,
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
