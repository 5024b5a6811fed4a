import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import type { AnswerShape } from './answers';
import type { RateWindow } from './throttle';

/** Requests of one key in flight together unless the vendor says otherwise. */
export const DEFAULT_MAX_IN_FLIGHT = 8;

export type VendorName = 'flameup' | 'flashduty' | 'flxpoint' | 'perscom';

/** What the vendor said when a call failed, parsed from its own error shape. */
export interface VendorErrorInfo {
	/** The vendor's message, as it gave it. */
	message?: string;
	/** The vendor's machine-readable code (`ResourceNotFound`, `not_found`, `ValidationException`...). */
	code?: string;
	/** The vendor's request ID, for support tickets. */
	requestId?: string;
	/** Field-level validation messages (`{ email: ['has already been taken'] }`). */
	fields?: Record<string, string[]>;
}

/** A response the engine has received: status, headers and parsed body. */
export interface ApiResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

/**
 * Everything the shared engine needs to know about one vendor's HTTP API. A vendor folder defines
 * exactly one of these; the engine does the rest (throttle, retry, errors, redaction).
 */
export interface VendorApi {
	vendor: VendorName;
	/** Human name used in messages: "Flameup", "Flashduty"... */
	displayName: string;
	credentialType: string;
	/** Client-side rate windows, all enforced at once (e.g. 50/s and 1,000/min); may depend on the credential. */
	rateLimits: RateWindow[] | ((credentials: ICredentialDataDecryptedObject) => RateWindow[]);
	/**
	 * The most requests of one key in flight at once (default `DEFAULT_MAX_IN_FLIGHT`): work that
	 * allows it (pages once the total is known, chunks of a read by keys, batches of different
	 * records) keeps this many going, still within every rate window.
	 */
	maxInFlight?: number;
	/** Credential properties whose values are secrets and must never appear in output. */
	secretFields: string[];
	/** Query parameter names that carry secrets in URLs (redacted wherever a URL is shown). */
	secretQueryParams?: string[];
	/** The absolute URL of an API path (base URL, version prefix...). */
	url(credentials: ICredentialDataDecryptedObject, path: string): string;
	/** Headers sent on every request besides the credential's own (e.g. `Accept`). */
	headers?(credentials: ICredentialDataDecryptedObject): Record<string, string>;
	/** Parse the vendor's error shape. */
	parseError(response: ApiResponse): VendorErrorInfo;
	/**
	 * Whether a response is a failure. Default: status >= 400. Flashduty also reports
	 * failures as `{error}` envelopes.
	 */
	isFailure?(response: ApiResponse): boolean;
	/** Whether a failed response means "no such record" (Flashduty: HTTP 400 `ResourceNotFound`). */
	isNotFound?(response: ApiResponse, info: VendorErrorInfo): boolean;
	/** Turn a successful body into the payload (Flashduty: `{request_id, data}` → `data`). */
	unwrap?(body: unknown): unknown;
	/** How to fix common failures, by HTTP status; shown as the error's description. */
	hints?: Partial<Record<number, string>>;
	/**
	 * Why a key (an ID or an email, emails lower-cased) can never name a record here, and how to fix
	 * it; undefined when the key can be looked up. Such a key fails its own item before any request.
	 * Without it, every key is sent and one that names nothing comes back as not found.
	 */
	checkKey?(key: string): KeyProblem | undefined;
}

export interface KeyProblem {
	problem: string;
	fix: string;
}

export interface ApiRequest {
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	body?: IDataObject | IDataObject[];
	/** The input item this request serves, for `[item N]` in errors. */
	itemIndex?: number;
	/** What the request does, in words, for error messages ("list people", "batch upsert 100 people"). */
	action: string;
	/** What a usable answer looks like (after `unwrap`); anything else is retried, then an error. */
	expect?: AnswerShape;
	/**
	 * Whether sending it twice has the effect of sending it once. Default: GET, HEAD, PUT and PATCH
	 * are; POST and DELETE are not (a read sent as POST says `idempotent: true`). A request that is
	 * not idempotent is never re-sent after a failure that may have reached the server.
	 */
	idempotent?: boolean;
}
