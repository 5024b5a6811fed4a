import { asRecord, text, withoutUndefined } from './values';
import type { VendorErrorInfo } from './vendor';

/** `{field: "msg"}` or `{field: ["msg", ...]}` → `{field: ["msg", ...]}`. */
export function fieldMessages(value: unknown): Record<string, string[]> | undefined {
	const record = asRecord(value);
	if (!record) return undefined;
	const out: Record<string, string[]> = {};
	for (const [field, messages] of Object.entries(record)) {
		const list = (Array.isArray(messages) ? messages : [messages]).map((m) => text(m)).filter((m): m is string => !!m);
		if (list.length > 0) out[field] = list;
	}
	return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Reads the error shapes REST APIs use: `{error: "text", message}`, `{error: {code|type, message,
 * request_id, details: {fields}, errors}}`, `{message, code}`, with `request_id` at either level.
 * A non-JSON body (an HTML gateway page) yields its first line, shortened.
 */
export function commonErrorInfo(body: unknown): VendorErrorInfo {
	if (typeof body === 'string') {
		const line = body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
		return line ? { message: line.slice(0, 200) } : {};
	}
	const top = asRecord(body);
	if (!top) return {};
	const nested = asRecord(top.error);
	const info: VendorErrorInfo = {};
	const details = asRecord(nested?.details);
	info.message = text(nested?.message) ?? text(top.message) ?? text(top.error);
	// `error` as a bare string next to a longer message ("Not Found" + "The requested..."): keep both.
	const label = typeof top.error === 'string' ? text(top.error) : undefined;
	if (label && info.message && label !== info.message) info.message = `${label}: ${info.message}`;
	info.code = text(nested?.code) ?? text(nested?.type) ?? (typeof top.code === 'string' ? text(top.code) : undefined);
	info.requestId = text(nested?.request_id) ?? text(top.request_id) ?? text(top.requestId) ?? text(nested?.trace_id);
	info.fields = fieldMessages(details?.fields) ?? fieldMessages(nested?.errors) ?? fieldMessages(top.errors);
	return withoutUndefined(info);
}

/** Removes trailing slashes from a base URL; falls back to the vendor's default. */
export function baseUrl(value: unknown, fallback: string): string {
	return (text(value) ?? fallback).replace(/\/+$/, '');
}
