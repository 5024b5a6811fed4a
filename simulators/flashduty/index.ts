import { randomUUID } from 'node:crypto';

import type { SamplePerson } from '../core/people';
import { SimServer, type SimOptions, type SimRequest, type SimResponse, type VendorRules } from '../core/server';

/**
 * Flashduty members, as Flashduty's docs and OpenAPI spec document them (docs/vendors/flashduty.md): POST-only JSON endpoints, the `app_key` query parameter (401 `Unauthorized`), the
 * `{request_id, data}` / `{request_id, error{code, message}}` envelopes with the HTTP status of the
 * error-code table, a missing entity as HTTP 400 `ResourceNotFound`, 50 requests/s AND 1,000/min per
 * account (429 `RequestTooFrequently`), p/limit paging (limit ≤ 100, p × limit ≤ 10,000, `total`
 * capped at 1,000), invites of at most 20, /member/info/reset with the `updates{}` body (and the flat
 * one), and request bodies checked against the spec's schemas (400 `InvalidParameter`).
 */
export interface FlashdutySimMember {
	account_id: number;
	member_id: number;
	member_name: string;
	country_code: string;
	/** Stored in full; /member/list shows it masked. */
	phone: string;
	email: string;
	locale: string;
	time_zone: string;
	phone_verified: boolean;
	email_verified: boolean;
	avatar: string;
	status: 'enabled' | 'pending' | 'deleted';
	account_role_ids: number[];
	is_external: boolean;
	ref_id: string;
	created_at: number;
	updated_at: number;
}

/** A role as /role/list answers it (RoleItem; docs/vendors/flashduty.md#roles). */
export interface FlashdutySimRole {
	role_id: number;
	role_name: string;
	description: string;
	editable: boolean;
	permission_ids: number[];
	status: string;
	created_at: number;
	updated_at: number;
}

/**
 * Every account's roles: the built-in 2 Admin, 6 Responder and 8 Viewer (not editable) and one
 * custom role (docs/vendors/flashduty.md#roles), not in name order.
 */
export function sampleRoles(): FlashdutySimRole[] {
	const role = (role_id: number, role_name: string, editable: boolean, description: string): FlashdutySimRole => ({
		role_id,
		role_name,
		description,
		editable,
		permission_ids: [],
		status: 'enabled',
		created_at: 1_690_000_000,
		updated_at: 1_690_000_000,
	});
	return [
		role(8, 'Viewer', false, 'Read-only access'),
		role(2, 'Admin', false, 'Manages the account'),
		role(6, 'Responder', false, 'Handles incidents'),
		role(1_201_234, 'On-call Lead', true, 'Custom role'),
	];
}

export const FLASHDUTY_TEST_KEY = 'fd0' + 'c3b7'.repeat(7) + 'e1';
export const FLASHDUTY_ACCOUNT_ID = 2451002751131;
/** The owner of the account: /person/infos knows it (`as: account`), the member list does not. */
export const FLASHDUTY_ACCOUNT = { name: 'Acme Owner', email: 'owner@acme.example' };

/** HTTP status of each error code (ErrorCode in the spec; docs/vendors/flashduty.md#errors). */
export const ERROR_STATUS: Record<string, number> = {
	InvalidParameter: 400,
	BadRequest: 400,
	InvalidContentType: 400,
	ResourceNotFound: 400,
	NoLicense: 400,
	ReferenceExist: 400,
	Unauthorized: 401,
	AccessDenied: 403,
	RouteNotFound: 404,
	MethodNotAllowed: 405,
	RequestTooFrequently: 429,
	InternalError: 500,
	ServiceUnavailable: 503,
};

const CODE_FOR_STATUS: Record<number, string> = { 400: 'InvalidParameter', 401: 'Unauthorized', 403: 'AccessDenied', 404: 'RouteNotFound', 405: 'MethodNotAllowed', 429: 'RequestTooFrequently', 500: 'InternalError', 503: 'ServiceUnavailable' };

// ---------------------------------------------------------------------------------------------
// A tiny JSON-schema subset (type, required, properties, additionalProperties: false, enum,
// minLength/maxLength, minimum/maximum, items, minItems/maxItems), enough for the spec's bodies.

interface Schema {
	type?: 'object' | 'array' | 'string' | 'integer' | 'boolean';
	required?: string[];
	properties?: Record<string, Schema>;
	/** false: unknown properties are refused (catches a node sending fields the API does not take). */
	additionalProperties?: boolean;
	enum?: string[];
	minLength?: number;
	maxLength?: number;
	minimum?: number;
	maximum?: number;
	items?: Schema;
	minItems?: number;
	maxItems?: number;
}

export function validate(schema: Schema, value: unknown, path = 'body'): string[] {
	const errors: string[] = [];
	const t = schema.type;
	if (t === 'object') {
		if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`${path} must be an object`];
		const record = value as Record<string, unknown>;
		for (const name of schema.required ?? []) if (record[name] === undefined) errors.push(`${path}.${name} is required`);
		for (const [name, v] of Object.entries(record)) {
			const sub = schema.properties?.[name];
			if (!sub) {
				if (schema.additionalProperties === false) errors.push(`${path}.${name} is not a known field`);
				continue;
			}
			if (v !== undefined) errors.push(...validate(sub, v, `${path}.${name}`));
		}
		return errors;
	}
	if (t === 'array') {
		if (!Array.isArray(value)) return [`${path} must be an array`];
		if (schema.minItems !== undefined && value.length < schema.minItems) errors.push(`${path} must have at least ${schema.minItems} entries`);
		if (schema.maxItems !== undefined && value.length > schema.maxItems) errors.push(`${path} must have at most ${schema.maxItems} entries`);
		if (schema.items) value.forEach((v, i) => errors.push(...validate(schema.items as Schema, v, `${path}[${i}]`)));
		return errors;
	}
	if (t === 'string') {
		if (typeof value !== 'string') return [`${path} must be a string`];
		const length = [...value].length;
		if (schema.minLength !== undefined && length < schema.minLength) errors.push(`${path} must be at least ${schema.minLength} characters`);
		if (schema.maxLength !== undefined && length > schema.maxLength) errors.push(`${path} must be at most ${schema.maxLength} characters`);
		if (schema.enum && !schema.enum.includes(value)) errors.push(`${path} must be one of ${schema.enum.join(', ')}`);
		return errors;
	}
	if (t === 'integer') {
		// uint64 IDs must be JSON numbers: a string "123" is refused, as a Go server refuses it.
		if (typeof value !== 'number' || !Number.isInteger(value)) return [`${path} must be an integer`];
		if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${path} must be >= ${schema.minimum}`);
		if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${path} must be <= ${schema.maximum}`);
		return errors;
	}
	if (t === 'boolean' && typeof value !== 'boolean') return [`${path} must be a boolean`];
	return errors;
}

const uint64: Schema = { type: 'integer', minimum: 0 };
const str: Schema = { type: 'string' };
const name: Schema = { type: 'string', minLength: 2, maxLength: 39 };
const locale: Schema = { type: 'string', enum: ['zh-CN', 'en-US'] };

export const SCHEMAS = {
	personInfos: { type: 'object', required: ['person_ids'], properties: { person_ids: { type: 'array', items: uint64 } } },
	memberList: {
		type: 'object',
		properties: {
			role_id: uint64,
			p: { type: 'integer', minimum: 1 },
			limit: { type: 'integer', minimum: 1, maximum: 100 },
			orderby: { type: 'string', enum: ['created_at', 'updated_at'] },
			asc: { type: 'boolean' },
			query: str,
		},
	},
	invite: {
		type: 'object',
		required: ['members'],
		properties: {
			members: {
				type: 'array',
				minItems: 1,
				maxItems: 20,
				items: {
					type: 'object',
					additionalProperties: false,
					properties: { member_name: name, email: str, phone: str, country_code: str, role_ids: { type: 'array', items: { type: 'integer' } }, locale, time_zone: str, ref_id: str },
				},
			},
			from: str,
		},
	},
	/** The `updates{}` shape (legacy spec, CLI, Terraform provider; docs/vendors/flashduty.md#quirks). */
	resetUpdates: {
		type: 'object',
		required: ['updates'],
		additionalProperties: false,
		properties: {
			member_id: uint64,
			member_name: str,
			email: str,
			phone: str,
			country_code: str,
			ref_id: str,
			from: str,
			updates: {
				type: 'object',
				additionalProperties: false,
				properties: { member_name: name, email: str, phone: str, country_code: str, time_zone: str, locale, avatar: str, ref_id: str },
			},
		},
	},
	/** The flat shape of the docs repo spec (MemberResetInfoRequest; docs/vendors/flashduty.md#quirks). */
	resetFlat: {
		type: 'object',
		required: ['member_id'],
		additionalProperties: false,
		properties: { member_id: uint64, member_name: name, email: str, phone: str, country_code: str, avatar: str, locale, time_zone: str },
	},
	/** RoleListRequest: `asc`, `orderby`; no paging (docs/vendors/flashduty.md#roles). */
	roleList: { type: 'object', properties: { asc: { type: 'boolean' }, orderby: str } },
	roleUpdate: { type: 'object', required: ['member_id', 'role_ids'], properties: { member_id: uint64, role_ids: { type: 'array', items: uint64 } } },
	delete: {
		type: 'object',
		additionalProperties: false,
		properties: { member_id: uint64, member_name: str, email: str, phone: str, country_code: str, ref_id: str, is_force: { type: 'boolean' } },
	},
} satisfies Record<string, Schema>;

// ---------------------------------------------------------------------------------------------

function envelopeError(code: string, message: string, extra?: Record<string, unknown>): unknown {
	return { request_id: randomUUID().replace(/-/g, '').toUpperCase().slice(0, 26), error: { code, message, ...(extra ?? {}) } };
}

export interface FlashdutySimOptions extends SimOptions {
	/** app_key → account ID. */
	keys?: Record<string, number>;
	/** Seconds to put in `Retry-After` on 429s. Not documented by Flashduty, so off by default. */
	retryAfterSeconds?: number;
	/** Invitations per account and day (docs/vendors/flashduty.md#limits: 200). */
	dailyInvites?: number;
}

function rules(keys: Map<string, number>, options: FlashdutySimOptions): VendorRules {
	return {
		name: 'Flashduty',
		// "1,000 requests/minute; 50 requests/second per account" (docs/vendors/flashduty.md#limits).
		defaultRateLimits: [
			{ limit: 50, intervalMs: 1000 },
			{ limit: 1000, intervalMs: 60_000 },
		],
		authenticate(req) {
			const key = req.query.get('app_key');
			const account = key ? keys.get(key) : undefined;
			if (account === undefined) return { status: 401, body: envelopeError('Unauthorized', 'You are unauthorized.') };
			// The limits are per account: every key of one account shares them.
			return String(account);
		},
		errorBody(status, code, message, extra) {
			const known = code === 'Forced' ? (CODE_FOR_STATUS[status] ?? 'InternalError') : code;
			return envelopeError(known, message, extra);
		},
		rateLimited() {
			const headers: Record<string, string> = {};
			if (options.retryAfterSeconds !== undefined) headers['Retry-After'] = String(options.retryAfterSeconds);
			return { status: 429, headers, body: envelopeError('RequestTooFrequently', 'Request too frequently.') };
		},
	};
}

/** "+15551000042" → "+15551****0042", as /member/list masks phones. */
export function maskPhone(phone: string): string {
	if (phone.length < 11) return phone;
	return `${phone.slice(0, 6)}****${phone.slice(-4)}`;
}

export class FlashdutySimulator extends SimServer {
	/** Members by member_id. */
	readonly members = new Map<number, FlashdutySimMember>();

	/** Member IDs that schedules or escalation rules still reference (delete needs is_force). */
	readonly referenced = new Set<number>();

	readonly keys: Map<string, number>;

	/** The roles /role/list answers with (every account alike); tests may change them. */
	roles: FlashdutySimRole[] = sampleRoles();

	private nextId = 2476444212131;

	/** Invitations per account and day; an invite past it is refused whole (docs/vendors/flashduty.md#limits). */
	dailyInvites: number;

	/** Invitations made, by `account:day` (days of China, UTC+8, on the simulator's clock). */
	readonly invitedToday = new Map<string, number>();

	private clockSeconds = 1_700_000_000;

	constructor(options: FlashdutySimOptions = {}) {
		const keys = new Map(Object.entries(options.keys ?? { [FLASHDUTY_TEST_KEY]: FLASHDUTY_ACCOUNT_ID }));
		super(rules(keys, options), options);
		this.keys = keys;
		this.dailyInvites = options.dailyInvites ?? 200;
		const post = (path: string, handler: (req: SimRequest, account: number) => SimResponse) =>
			this.route('POST', path, (req) => {
				const type = String(req.headers['content-type'] ?? '');
				if (!type.toLowerCase().includes('application/json')) return this.fail('InvalidContentType', 'Content-Type must be application/json');
				const response = handler(req, Number(req.key));
				return { ...response, headers: { 'Flashcat-Request-Id': randomUUID(), ...(response.headers ?? {}) } };
			});
		post('/person/infos', (r, a) => this.personInfos(r, a));
		post('/member/list', (r, a) => this.list(r, a));
		post('/member/invite', (r, a) => this.invite(r, a));
		post('/member/info/reset', (r, a) => this.reset(r, a));
		post('/member/role/update', (r, a) => this.roleUpdate(r, a));
		post('/member/delete', (r, a) => this.remove(r, a));
		post('/role/list', (r) => this.roleList(r));
		post('/member/info', () => this.fail('InvalidParameter', 'An account-level app_key has no member profile'));
	}

	private tick(): number {
		return ++this.clockSeconds;
	}

	private ok(data: unknown): SimResponse {
		return { status: 200, body: { request_id: randomUUID().replace(/-/g, '').toUpperCase().slice(0, 26), data } };
	}

	private fail(code: string, message: string, extra?: Record<string, unknown>): SimResponse {
		return { status: ERROR_STATUS[code] ?? 400, body: envelopeError(code, message, extra) };
	}

	private invalid(errors: string[]): SimResponse | undefined {
		return errors.length > 0 ? this.fail('InvalidParameter', `The specified parameter is not valid: ${errors.join('; ')}`) : undefined;
	}

	private inAccount(account: number): FlashdutySimMember[] {
		return [...this.members.values()].filter((m) => m.account_id === account);
	}

	private listed(m: FlashdutySimMember): FlashdutySimMember {
		return { ...m, phone: maskPhone(m.phone), account_role_ids: [...m.account_role_ids] };
	}

	/** Finds a member by the first identifier given, in Flashduty's order: member_id, member_name, email, phone, ref_id. */
	private identify(account: number, body: Record<string, unknown>): FlashdutySimMember | undefined | 'none' {
		const members = this.inAccount(account);
		if (typeof body.member_id === 'number') return members.find((m) => m.member_id === body.member_id);
		if (typeof body.member_name === 'string') return members.find((m) => m.member_name === body.member_name);
		const email = body.email;
		if (typeof email === 'string') return members.find((m) => m.email === email.toLowerCase());
		if (typeof body.phone === 'string') return members.find((m) => m.phone === body.phone && (body.country_code === undefined || m.country_code === body.country_code));
		if (typeof body.ref_id === 'string') return members.find((m) => m.ref_id !== '' && m.ref_id === body.ref_id);
		return 'none';
	}

	private personInfos(req: SimRequest, account: number): SimResponse {
		const bad = this.invalid(validate(SCHEMAS.personInfos, req.body));
		if (bad) return bad;
		const ids = (req.body as { person_ids: number[] }).person_ids;
		const items: unknown[] = [];
		for (const id of new Set(ids)) {
			if (id === account) {
				items.push({ account_id: account, person_id: account, person_name: FLASHDUTY_ACCOUNT.name, email: FLASHDUTY_ACCOUNT.email, avatar: '', locale: 'en-US', time_zone: 'Asia/Shanghai', phone_verified: false, email_verified: true, as: 'account', status: 'enabled' });
				continue;
			}
			const m = this.members.get(id);
			// Unknown IDs are silently ignored (docs/vendors/flashduty.md#endpoints-used).
			if (!m || m.account_id !== account) continue;
			items.push({
				account_id: m.account_id,
				person_id: m.member_id,
				person_name: m.member_name,
				avatar: m.avatar,
				locale: m.locale,
				time_zone: m.time_zone,
				email: m.email,
				phone: maskPhone(m.phone),
				phone_verified: m.phone_verified,
				email_verified: m.email_verified,
				as: 'member',
				status: m.status,
			});
		}
		return this.ok({ items });
	}

	private list(req: SimRequest, account: number): SimResponse {
		const body = (req.body ?? {}) as Record<string, unknown>;
		const bad = this.invalid(validate(SCHEMAS.memberList, body));
		if (bad) return bad;
		const p = (body.p as number | undefined) ?? 1;
		const limit = (body.limit as number | undefined) ?? 20;
		if (p * limit > 10_000) return this.fail('InvalidParameter', 'p * limit must be less than or equal to 10000');
		const orderby = (body.orderby as 'created_at' | 'updated_at' | undefined) ?? 'updated_at';
		const asc = body.asc === true;
		const query = typeof body.query === 'string' ? body.query.trim().toLowerCase() : '';
		const isPhone = /^\+?\d[\d\s-]{5,}$/.test(query);
		const all = this.inAccount(account)
			.filter((m) => body.role_id === undefined || m.account_role_ids.includes(body.role_id as number))
			.filter((m) => !query || (isPhone ? m.phone.replace(/[\s-]/g, '') === query.replace(/[\s-]/g, '') : m.member_name.toLowerCase().includes(query) || m.email.includes(query)))
			.sort((a, b) => (asc ? 1 : -1) * (a[orderby] - b[orderby] || a.member_id - b.member_id));
		const items = all.slice((p - 1) * limit, p * limit).map((m) => this.listed(m));
		// `total` is capped at 1000 (docs/vendors/flashduty.md#pagination).
		return this.ok({ p, limit, total: Math.min(all.length, 1000), items });
	}

	private invite(req: SimRequest, account: number): SimResponse {
		const bad = this.invalid(validate(SCHEMAS.invite, req.body));
		if (bad) return bad;
		const body = req.body as { members: Array<Record<string, unknown>>; from?: string };
		const existing = this.inAccount(account);
		const day = `${account}:${this.inviteDay()}`;
		const used = this.invitedToday.get(day) ?? 0;
		// The live answer to the cap is not documented: a 400 that names the daily limit (docs/vendors/flashduty.md#limits).
		if (used + body.members.length > this.dailyInvites) {
			return this.fail('BadRequest', `The daily invitation limit is reached: at most ${this.dailyInvites} members can be invited per day (${used} invited today)`);
		}
		const seen = new Set<string>();
		for (const [i, entry] of body.members.entries()) {
			const email = typeof entry.email === 'string' ? entry.email.toLowerCase() : '';
			const phone = typeof entry.phone === 'string' ? entry.phone : '';
			const ref = typeof entry.ref_id === 'string' ? entry.ref_id : '';
			if (!email && !phone) return this.fail('InvalidParameter', `members[${i}] needs an email or a phone`);
			for (const [kind, value] of [['email', email], ['phone', phone], ['ref_id', ref]] as const) {
				if (!value) continue;
				const key = `${kind}:${value}`;
				if (seen.has(key) || existing.some((m) => m[kind] === value)) return this.fail('InvalidParameter', `members[${i}].${kind} "${value}" is already used by a member`);
				seen.add(key);
			}
			// Member names are unique per account (docs/vendors/flashduty.md#quirks).
			const name = typeof entry.member_name === 'string' ? entry.member_name : '';
			if (name && (seen.has(`name:${name}`) || existing.some((m) => m.member_name === name))) return this.fail('InvalidParameter', `members[${i}].member_name "${name}" is already used by a member`);
			seen.add(`name:${name}`);
		}
		this.invitedToday.set(day, used + body.members.length);
		const items = body.members.map((entry) => {
			const now = this.tick();
			const email = typeof entry.email === 'string' ? entry.email.toLowerCase() : '';
			const member: FlashdutySimMember = {
				account_id: account,
				member_id: this.newId(),
				member_name: typeof entry.member_name === 'string' ? entry.member_name : (email.split('@')[0] || String(entry.phone)).slice(0, 39),
				country_code: typeof entry.country_code === 'string' ? entry.country_code : '',
				phone: typeof entry.phone === 'string' ? entry.phone : '',
				email,
				locale: typeof entry.locale === 'string' ? entry.locale : 'zh-CN',
				time_zone: typeof entry.time_zone === 'string' ? entry.time_zone : 'Asia/Shanghai',
				phone_verified: false,
				email_verified: body.from === 'api',
				avatar: '',
				status: body.from === 'api' ? 'enabled' : 'pending',
				account_role_ids: Array.isArray(entry.role_ids) && entry.role_ids.length > 0 ? (entry.role_ids as number[]) : [8],
				is_external: false,
				ref_id: typeof entry.ref_id === 'string' ? entry.ref_id : '',
				created_at: now,
				updated_at: now,
			};
			this.members.set(member.member_id, member);
			return { member_id: member.member_id, member_name: member.member_name };
		});
		return this.ok({ items });
	}

	private reset(req: SimRequest, account: number): SimResponse {
		const body = (req.body ?? {}) as Record<string, unknown>;
		const nested = body.updates !== undefined;
		const bad = this.invalid(validate(nested ? SCHEMAS.resetUpdates : SCHEMAS.resetFlat, body));
		if (bad) return bad;
		const updates = (nested ? body.updates : (({ member_id: _id, ...rest }) => rest)(body)) as Record<string, unknown>;
		const member = this.identify(account, body);
		if (member === 'none') return this.fail('InvalidParameter', 'One of member_id, member_name, email, phone or ref_id is required');
		if (!member) return this.fail('ResourceNotFound', 'The member was not found');
		const others = this.inAccount(account).filter((m) => m !== member);
		if (typeof updates.email === 'string' && others.some((m) => m.email === (updates.email as string).toLowerCase())) return this.fail('InvalidParameter', `email "${updates.email}" is already used by another member`);
		if (typeof updates.ref_id === 'string' && updates.ref_id !== '' && others.some((m) => m.ref_id === updates.ref_id)) return this.fail('InvalidParameter', `ref_id "${updates.ref_id}" is already used by another member`);
		for (const [field, value] of Object.entries(updates)) {
			if (field === 'email') {
				if ((value as string).toLowerCase() !== member.email) member.email_verified = false;
				member.email = (value as string).toLowerCase();
			} else if (field === 'phone') {
				if (value !== member.phone) member.phone_verified = false;
				member.phone = value as string;
			} else {
				(member as unknown as Record<string, unknown>)[field] = value;
			}
		}
		member.updated_at = this.tick();
		return this.ok({});
	}

	/** POST /role/list: every role of the account at once, `{items, total}` (docs/vendors/flashduty.md#roles). */
	private roleList(req: SimRequest): SimResponse {
		const body = req.body ?? {};
		const bad = this.invalid(validate(SCHEMAS.roleList, body));
		if (bad) return bad;
		const items = this.roles.map((role) => ({ ...role, permission_ids: [...role.permission_ids] }));
		return this.ok({ items, total: items.length });
	}

	private roleUpdate(req: SimRequest, account: number): SimResponse {
		const bad = this.invalid(validate(SCHEMAS.roleUpdate, req.body));
		if (bad) return bad;
		const body = req.body as { member_id: number; role_ids: number[] };
		const member = this.members.get(body.member_id);
		if (!member || member.account_id !== account) return this.fail('ResourceNotFound', 'The member was not found');
		// An empty list resets the member to Viewer (role 8) (Flashduty's CLI; docs/vendors/flashduty.md#endpoints-used).
		member.account_role_ids = body.role_ids.length > 0 ? [...body.role_ids] : [8];
		member.updated_at = this.tick();
		return this.ok({});
	}

	private remove(req: SimRequest, account: number): SimResponse {
		const body = (req.body ?? {}) as Record<string, unknown>;
		const bad = this.invalid(validate(SCHEMAS.delete, body));
		if (bad) return bad;
		const member = this.identify(account, body);
		if (member === 'none') return this.fail('InvalidParameter', 'One of member_id, member_name, email, phone or ref_id is required');
		if (!member) return this.fail('ResourceNotFound', 'The member was not found');
		if (this.referenced.has(member.member_id) && body.is_force !== true) {
			return this.fail('ReferenceExist', 'The member is referenced by other resources', { refs: [{ kind: 'schedule', name: 'Primary on-call' }] });
		}
		this.members.delete(member.member_id);
		this.referenced.delete(member.member_id);
		return this.ok({});
	}

	/** Today's number on the simulator's clock, counted in China's days (UTC+8). */
	private inviteDay(): number {
		return Math.floor((this.now() + 8 * 3_600_000) / 86_400_000);
	}

	private newId(): number {
		const id = this.nextId;
		this.nextId += 1_000_003;
		return id;
	}

	/** Seeds members straight into the store (no request counted). */
	seed(members: Array<Partial<FlashdutySimMember> & { email: string }>, account = FLASHDUTY_ACCOUNT_ID): FlashdutySimMember[] {
		return members.map((p) => {
			const now = this.tick();
			const member: FlashdutySimMember = {
				account_id: account,
				member_id: this.newId(),
				member_name: p.email.split('@')[0].slice(0, 39),
				country_code: '',
				phone: '',
				locale: 'en-US',
				time_zone: 'Asia/Shanghai',
				phone_verified: false,
				email_verified: true,
				avatar: '',
				status: 'enabled',
				account_role_ids: [8],
				is_external: false,
				ref_id: '',
				created_at: now,
				updated_at: now,
				...p,
				email: p.email.toLowerCase(),
			};
			this.members.set(member.member_id, member);
			return member;
		});
	}

	/** Changes a member straight in the store (no request counted): `updated_at` moves to the simulator's clock, or to `at` (seconds). */
	touch(memberId: number, fields: Partial<FlashdutySimMember> = {}, at?: number): FlashdutySimMember {
		const member = this.members.get(memberId);
		if (!member) throw new Error(`no Flashduty member ${memberId}`);
		Object.assign(member, fields, { member_id: memberId, updated_at: at ?? this.tick() });
		return member;
	}

	/** Sample people as members: ref_id `${prefix}${n}`, Flashduty's two locales. */
	seedSample(people: SamplePerson[], prefix = 'ref-'): FlashdutySimMember[] {
		return this.seed(
			people.map((p) => ({
				member_name: p.name.slice(0, 39),
				email: p.email,
				phone: p.phone,
				country_code: 'US',
				locale: p.locale.startsWith('zh') ? 'zh-CN' : 'en-US',
				time_zone: p.timezone,
				ref_id: `${prefix}${p.n}`,
			})),
		);
	}

	byEmail(email: string): FlashdutySimMember | undefined {
		return [...this.members.values()].find((m) => m.email === email.toLowerCase());
	}

	byRef(ref: string): FlashdutySimMember | undefined {
		return [...this.members.values()].find((m) => m.ref_id === ref);
	}

	/** Requests logged for one path. */
	calls(path: string) {
		return this.requests.filter((r) => r.path === path);
	}
}
