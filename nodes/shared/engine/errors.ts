import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { Redactor } from './redact';
import type { VendorApi, VendorErrorInfo } from './vendor';

/** Machine-readable facts attached to every API error as `error.context`. */
export interface ApiErrorContext {
	status?: number;
	code?: string;
	requestId?: string;
	fields?: Record<string, string[]>;
	notFound?: boolean;
	/** The request may have reached the server and taken effect (a write whose answer was lost). */
	maybeStored?: boolean;
	/** The server answered with something that is not the answer the operation needs. */
	malformed?: boolean;
}

const GENERIC_HINTS: Record<number, string> = {
	400: 'The API rejected the request as invalid. Check the values sent for this item.',
	401: 'The API key was refused. Open the credential, paste a valid key and use "Test connection".',
	402: 'The account\'s plan does not include API access.',
	403: 'The API key lacks a permission this operation needs. Create a key with the required scope.',
	404: 'Nothing exists at that ID or path. Check the ID, and the credential\'s Base URL.',
	409: 'The record conflicts with an existing one (often a duplicate email or ID).',
	422: 'The API rejected some field values; see the field messages.',
	429: 'The API\'s rate limit was still exceeded after every retry. Run fewer executions of this credential at once, or try again later.',
	500: 'The vendor\'s server failed on every retry. Try again later.',
	502: 'The vendor\'s gateway failed on every retry. Try again later.',
	503: 'The vendor\'s service was unavailable on every retry. Try again later.',
};

export function itemSuffix(itemIndex: number | undefined): string {
	return itemIndex === undefined ? '' : ` [item ${itemIndex}]`;
}

function formatFields(fields: Record<string, string[]> | undefined): string {
	if (!fields) return '';
	return Object.entries(fields)
		.map(([field, messages]) => `${field}: ${messages.join(' ')}`)
		.join('; ');
}

/** Builds the NodeApiError for a failed API call; every string passes through the redactor. */
export function buildApiError(
	node: INode,
	api: VendorApi,
	redactor: Redactor,
	facts: {
		status?: number;
		info: VendorErrorInfo;
		action: string;
		itemIndex?: number;
		notFound?: boolean;
		networkCode?: string;
		attempts?: number;
		detail?: string;
		/** The request may have taken effect although it failed. */
		maybeStored?: boolean;
		/** What the answer should have been, when it was something else. */
		answerNot?: string;
	},
): NodeApiError {
	const { status, info, action, itemIndex } = facts;
	const what = facts.answerNot
		? `answered with something that is not ${facts.answerNot}`
		: status === undefined
			? facts.networkCode === 'TIMEOUT'
				? 'did not answer in time'
				: `could not reach the API (${facts.networkCode ?? 'network error'})`
			: `answered HTTP ${status}${info.code ? ` ${info.code}` : ''}`;
	const vendorMessage = info.message ? `: ${info.message}` : '';
	const message = redactor.text(`${api.displayName} ${what} when trying to ${action}${vendorMessage}${itemSuffix(itemIndex)}`);

	const parts: string[] = [];
	const fields = formatFields(info.fields);
	if (fields) parts.push(`Field errors: ${fields}.`);
	const hint = facts.answerNot
		? `Check the credential's Base URL: it must point at the ${api.displayName} API itself, not a web page or a proxy that changes answers${facts.attempts ? ` (tried ${facts.attempts} times)` : ''}.`
		: status === undefined
			? `Check the credential's Base URL and that the server is reachable${facts.attempts ? ` (tried ${facts.attempts} times)` : ''}${facts.networkCode === 'TIMEOUT' ? '; a slow server may need a longer Options > Timeout' : ''}.`
			: (api.hints?.[status] ?? GENERIC_HINTS[status] ?? GENERIC_HINTS[Math.floor(status / 100) * 100]);
	if (hint) parts.push(hint);
	if (facts.maybeStored) {
		parts.push(`The request may have reached ${api.displayName} and taken effect; it was not sent again blind.`);
	}
	if (facts.detail) parts.push(facts.detail);
	if (info.requestId) parts.push(`${api.displayName} request ID: ${info.requestId}.`);
	const description = redactor.text(parts.join(' '));

	const context: ApiErrorContext = {
		status,
		code: info.code,
		requestId: info.requestId,
		fields: info.fields,
		notFound: facts.notFound === true,
		maybeStored: facts.maybeStored === true,
		malformed: facts.answerNot !== undefined,
	};
	const response: JsonObject = redactor.value({
		message,
		...(status !== undefined ? { httpCode: String(status) } : {}),
		...(info.code ? { code: info.code } : {}),
		...(info.requestId ? { requestId: info.requestId } : {}),
	});
	const error = new NodeApiError(node, response, {
		message,
		description,
		httpCode: status === undefined ? undefined : String(status),
		itemIndex,
	});
	// NodeApiError may have derived other texts from the response; keep ours, redacted.
	error.message = message;
	error.description = description;
	Object.assign(error.context, redactor.value(context));
	return error;
}

/** A bad input (missing field, wrong type...): says what, for which item, and how to fix it. */
export function inputError(node: INode, message: string, itemIndex: number | undefined, description: string): NodeOperationError {
	return new NodeOperationError(node, `${message}${itemSuffix(itemIndex)}`, { itemIndex, description });
}

export function errorContext(error: unknown): ApiErrorContext {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		return error.context as ApiErrorContext;
	}
	return {};
}

/** Whether a failed request may have taken effect on the server (see ApiErrorContext.maybeStored). */
export function isMaybeStored(error: unknown): boolean {
	return errorContext(error).maybeStored === true;
}

/** A rejection of the request's data (400/409/422) that retrying with other data could avoid. */
export function isValidationError(error: unknown): boolean {
	const { status, notFound } = errorContext(error);
	return !notFound && (status === 400 || status === 409 || status === 422);
}
