import { randomUUID } from 'node:crypto';

import { SimServer, type SimOptions, type SimRequest, type SimResponse, type VendorRules } from '../core/server';
import type { SamplePerson } from '../core/people';

/**
 * PERSCOM, as its OpenAPI spec and server code document it (docs/vendors/perscom.md): Bearer keys, a `/{version}` prefix (v1 | v2, anything else 400), optional
 * `X-Perscom-Id` (must name the key's PERSCOM when sent), Laravel Orion resources with
 * `{data, links, meta}` pagination (`?page=&limit=`, default limit 15), `POST /users/search` with
 * filters and sort, batch create / update / delete each in one transaction (all or nothing),
 * `UserRequest` validation (name and email required, email valid and unique, the unique rule not
 * ignoring the user's own row), 422 `{error: {message, type, errors}}`, and Laravel's throttle:
 * 1,000 requests/minute with `Retry-After` on 429 `ThrottleRequestsException`.
 * Unknown body fields are ignored, as Laravel's `validated()` ignores them.
 */
export interface PerscomSimUser {
	id: number;
	name: string;
	email: string;
	email_verified_at: string | null;
	phone_number: string | null;
	position_id: number | null;
	rank_id: number | null;
	specialty_id: number | null;
	status_id: number | null;
	unit_id: number | null;
	approved: boolean;
	online: boolean;
	notes: string | null;
	notes_updated_at: string | null;
	profile_photo_url: string | null;
	cover_photo_url: string | null;
	discord_user_id: string | null;
	timezone: string | null;
	last_seen_at: string | null;
	last_assignment_change_date: string | null;
	last_rank_change_date: string | null;
	created_at: string;
	updated_at: string;
}

/** A roster record users point at by ID: rank, unit, position, specialty or roster status (RankResource... in the spec). */
export interface PerscomSimRosterRecord {
	id: number;
	name: string;
	order: number;
	[field: string]: unknown;
}

/** The roster lists a user's `*_id` fields name, by path (`GET /{version}/ranks`...; docs/vendors/perscom.md#roster-lists). */
export const ROSTER_LISTS = ['ranks', 'units', 'positions', 'specialties', 'statuses'] as const;
export type RosterList = (typeof ROSTER_LISTS)[number];

/**
 * A small PERSCOM roster, not in name order (the node sorts): five ranks, units 1–8 (the tests filter
 * on units 7 and 8), positions, specialties and roster statuses.
 */
export function sampleRoster(): Record<RosterList, Array<{ id: number; name: string; [field: string]: unknown }>> {
	return {
		ranks: [
			{ id: 1, name: 'Private', abbreviation: 'PVT', paygrade: 'E-1' },
			{ id: 2, name: 'Corporal', abbreviation: 'CPL', paygrade: 'E-4' },
			{ id: 3, name: 'Sergeant', abbreviation: 'SGT', paygrade: 'E-5' },
			{ id: 4, name: 'Lieutenant', abbreviation: '1LT', paygrade: 'O-2' },
			{ id: 5, name: 'Captain', abbreviation: 'CPT', paygrade: 'O-3' },
		],
		units: ['Headquarters', 'Alpha Company', 'Bravo Company', 'Charlie Company', 'Delta Company', 'Echo Company', 'Support Platoon', 'Reserve'].map((name, i) => ({
			id: i + 1,
			name,
			hidden: false,
		})),
		positions: ['Rifleman', 'Medic', 'Radio Operator', 'Squad Leader', 'Commanding Officer'].map((name, i) => ({ id: i + 1, name })),
		specialties: [
			{ id: 1, name: 'Infantry', abbreviation: '11B' },
			{ id: 2, name: 'Combat Medic', abbreviation: '68W' },
			{ id: 3, name: 'Signal Support', abbreviation: '25U' },
		],
		statuses: [
			{ id: 1, name: 'Active Duty', color: '#16a34a' },
			{ id: 2, name: 'Leave of Absence', color: '#ca8a04' },
			{ id: 3, name: 'Discharged', color: '#dc2626' },
		],
	};
}

export const PERSCOM_TEST_KEY = 'eyJhbGciOiJSUzI1NiJ9.eyJ0ZW5hbnQiOiIxIn0.' + 'c2lt'.repeat(16);
export const PERSCOM_TENANT = '1';

const VERSIONS = ['v1', 'v2'];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const INTEGER_FIELDS = ['position_id', 'rank_id', 'specialty_id', 'status_id', 'unit_id'] as const;
const DATE_FIELDS = ['email_verified_at', 'notes_updated_at', 'last_seen_at'] as const;
const FILTERABLE = ['id', 'name', 'email', 'approved', ...INTEGER_FIELDS, 'created_at', 'updated_at', ...DATE_FIELDS];
const SORTABLE = FILTERABLE;
const SEARCHABLE = ['name', 'email'] as const;
const OPERATORS = ['<', '<=', '>', '>=', '=', '!=', 'like', 'not like', 'ilike', 'not ilike', 'in', 'not in', 'all in', 'any in'];
const RELATIONS: Record<string, (typeof INTEGER_FIELDS)[number]> = { rank: 'rank_id', unit: 'unit_id', position: 'position_id', specialty: 'specialty_id', status: 'status_id' };

type Errors = Record<string, string[]>;

function errorType(status: number, code: string): string {
	if (code === 'RouteNotFound' || status === 404) return 'NotFoundHttpException';
	if (status === 401) return 'AuthenticationException';
	if (status === 422) return 'ValidationException';
	if (status === 429) return 'ThrottleRequestsException';
	if (status === 405) return 'MethodNotAllowedHttpException';
	return 'HttpException';
}

/** Laravel's timestamp serialization: ISO 8601 with microseconds, UTC. */
function stampOf(ms: number): string {
	return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** A date as Laravel/MySQL would compare it: ISO 8601 or `YYYY-MM-DD HH:MM:SS` (UTC). */
function dateMs(value: unknown): number | undefined {
	if (typeof value !== 'string') return undefined;
	// MySQL's datetime literal, with or without fractional seconds, in UTC.
	const sql = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?$/.test(value) ? `${value.replace(' ', 'T')}Z` : value;
	const ms = Date.parse(sql);
	return Number.isNaN(ms) ? undefined : ms;
}

function isInteger(value: unknown): boolean {
	return (typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && /^-?\d+$/.test(value));
}

function isBooleanLike(value: unknown): boolean {
	return [true, false, 0, 1, '0', '1', 'true', 'false'].includes(value as never);
}

function asBoolean(value: unknown): boolean {
	return value === true || value === 1 || value === '1' || value === 'true';
}

function isObject(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export interface PerscomSimOptions extends SimOptions {
	/** API key → PERSCOM ID (tenant). */
	keys?: Record<string, string>;
	/** Whether POST /users/search exists (Orion registers it; the spec does not list it: docs/vendors/perscom.md#endpoints-used). Default true. */
	searchRoute?: boolean;
}

export class PerscomSimulator extends SimServer {
	readonly users = new Map<number, PerscomSimUser>();

	/** The roster lists (`GET /{version}/ranks`...), seeded with `sampleRoster()`; tests may change them. */
	readonly roster: Record<RosterList, PerscomSimRosterRecord[]> = PerscomSimulator.freshRoster();

	/** The X-Perscom-Id and Accept headers of every authenticated request (undefined when absent). */
	readonly headerLog: Array<{ method: string; path: string; perscomId: string | undefined; accept: string | undefined }>;

	readonly keys: Map<string, string>;

	private nextId = 1;

	private lastStamp = 0;

	constructor(options: PerscomSimOptions = {}) {
		const keys = new Map(Object.entries(options.keys ?? { [PERSCOM_TEST_KEY]: PERSCOM_TENANT }));
		const headerLog: PerscomSimulator['headerLog'] = [];
		super(PerscomSimulator.rules(keys, headerLog), options);
		this.keys = keys;
		this.headerLog = headerLog;

		this.route('GET', '/:version/me', () => this.me());
		this.route('GET', '/:version/users', (r) => this.list(r, undefined));
		for (const list of ROSTER_LISTS) this.route('GET', `/:version/${list}`, (r) => this.page(r, this.roster[list], (record) => ({ ...record, label: record.name })));
		if (options.searchRoute !== false) this.route('POST', '/:version/users/search', (r) => this.search(r));
		this.route('POST', '/:version/users/batch', (r) => this.batchCreate(r));
		this.route('PATCH', '/:version/users/batch', (r) => this.batchUpdate(r));
		this.route('DELETE', '/:version/users/batch', (r) => this.batchDelete(r));
		this.route('POST', '/:version/users', (r) => this.create(r));
		this.route('GET', '/:version/users/:id', (r) => this.getOne(r));
		this.route('PATCH', '/:version/users/:id', (r) => this.updateOne(r));
		this.route('DELETE', '/:version/users/:id', (r) => this.deleteOne(r));
	}

	private static rules(keys: Map<string, string>, headerLog: PerscomSimulator['headerLog']): VendorRules {
		const errorBody = (status: number, code: string, message: string, extra?: Record<string, unknown>) => ({
			error: { message, type: errorType(status, code), request_id: randomUUID(), trace_id: randomUUID(), ...(extra ?? {}) },
		});
		return {
			name: 'PERSCOM',
			defaultRateLimits: [{ limit: 1000, intervalMs: 60_000 }],
			authenticate(req) {
				const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
				const tenant = match ? keys.get(match[1]) : undefined;
				const unauthenticated = {
					status: 401,
					body: errorBody(401, 'AuthenticationException', 'You are not authenticated. Please provide a valid API key that contains your PERSCOM ID to continue.'),
				};
				if (!match || tenant === undefined) return unauthenticated;
				const header = req.headers['x-perscom-id'];
				const perscomId = Array.isArray(header) ? header[0] : header;
				headerLog.push({ method: req.method, path: req.path, perscomId, accept: req.headers.accept });
				// Tenancy is resolved from X-Perscom-Id when the header is present: an empty or other ID
				// names no tenant this key belongs to (docs/vendors/perscom.md#authentication).
				if (perscomId !== undefined && perscomId !== tenant) return unauthenticated;
				const version = req.path.split('/')[1] ?? '';
				if (!VERSIONS.includes(version)) {
					return { status: 400, body: errorBody(400, 'HttpException', `The API version "${version}" is not supported. Supported versions: ${VERSIONS.join(', ')}.`) };
				}
				return match[1];
			},
			errorBody,
			rateLimited(retryAfterMs, window, sim) {
				const seconds = Math.max(1, Math.ceil(sim.realMs(retryAfterMs) / 1000));
				return {
					status: 429,
					body: errorBody(429, 'ThrottleRequestsException', 'You have exceeded the API rate limit. Please wait a minute before trying again.'),
					headers: {
						'Retry-After': String(seconds),
						'X-RateLimit-Limit': String(window.limit),
						'X-RateLimit-Remaining': '0',
						'X-RateLimit-Reset': String(Math.ceil(Date.now() / 1000) + seconds),
					},
				};
			},
			rateHeaders: ({ limit, remaining }): Record<string, string> =>
				Number.isFinite(limit) ? { 'X-RateLimit-Limit': String(limit), 'X-RateLimit-Remaining': String(Math.max(0, remaining)) } : {},
		};
	}

	private stamp(): string {
		this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
		return stampOf(this.lastStamp);
	}

	private error(status: number, message: string, extra?: Record<string, unknown>): SimResponse {
		return { status, body: this.rules.errorBody(status, errorType(status, ''), message, extra) };
	}

	private notFound(): SimResponse {
		return this.error(404, 'The requested resource or endpoint could not be found.');
	}

	/** Laravel's 422: the first message, "(and N more errors)", and every field's messages. */
	private validation(errors: Errors): SimResponse {
		const all = Object.values(errors).flat();
		const more = all.length - 1;
		const message = more > 0 ? `${all[0]} (and ${more} more ${more === 1 ? 'error' : 'errors'})` : all[0];
		return this.error(422, message, { errors });
	}

	/** UserResource: the user, its label, and any included relations. */
	private resource(user: PerscomSimUser, include: string[] = []): Record<string, unknown> {
		const out: Record<string, unknown> = { ...user, label: user.name };
		for (const relation of include) {
			const base = relation.replace(/\.\*$/, '');
			const field = RELATIONS[base];
			if (field) out[base] = user[field] === null ? null : { id: user[field], name: `${base.charAt(0).toUpperCase()}${base.slice(1)} ${user[field]}` };
			else if (!base.includes('.')) out[base] = [];
		}
		return out;
	}

	private includeOf(req: SimRequest): string[] {
		return (req.query.get('include') ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
	}

	private me(): SimResponse {
		const me = [...this.users.values()][0];
		return { status: 200, body: { data: me ? [this.resource(me)] : [], links: {}, meta: {} } };
	}

	private static freshRoster(): Record<RosterList, PerscomSimRosterRecord[]> {
		const now = stampOf(Date.UTC(2025, 0, 1));
		const lists = sampleRoster();
		const roster = {} as Record<RosterList, PerscomSimRosterRecord[]>;
		for (const list of ROSTER_LISTS) roster[list] = lists[list].map((record, i) => ({ ...record, order: i + 1, created_at: now, updated_at: now }));
		return roster;
	}

	private list(req: SimRequest, users: PerscomSimUser[] | undefined): SimResponse {
		const all = users ?? [...this.users.values()].sort((a, b) => a.id - b.id);
		return this.page(req, all, (u) => this.resource(u, this.includeOf(req)));
	}

	/** Orion pagination: `?page=&limit=` (default 15), `{data, links, meta}`. */
	private page<T>(req: SimRequest, all: T[], shown: (record: T) => Record<string, unknown>): SimResponse {
		const errors: Errors = {};
		const page = req.query.has('page') ? req.query.get('page') : '1';
		const limit = req.query.has('limit') ? req.query.get('limit') : '15';
		if (!isInteger(page) || Number(page) < 1) errors.page = ['The page field must be an integer greater than or equal to 1.'];
		if (!isInteger(limit) || Number(limit) < 1) errors.limit = ['The limit field must be an integer greater than or equal to 1.'];
		if (Object.keys(errors).length > 0) return this.validation(errors);
		const p = Number(page);
		const l = Number(limit);
		const lastPage = Math.max(1, Math.ceil(all.length / l));
		const slice = all.slice((p - 1) * l, p * l);
		const base = `http://127.0.0.1${req.path}`;
		const link = (n: number) => `${base}?page=${n}`;
		return {
			status: 200,
			body: {
				data: slice.map(shown),
				links: { first: link(1), last: link(lastPage), prev: p > 1 ? link(p - 1) : null, next: p < lastPage ? link(p + 1) : null },
				meta: {
					current_page: p,
					from: slice.length > 0 ? (p - 1) * l + 1 : null,
					last_page: lastPage,
					path: base,
					per_page: l,
					to: slice.length > 0 ? (p - 1) * l + slice.length : null,
					total: all.length,
				},
			},
		};
	}

	/** A filter's test of one user's value, with the expected values normalized once. */
	private static matcher(operator: string, expected: unknown, field: string): (actual: unknown) => boolean {
		const norm = PerscomSimulator.normalizer(field);
		const list = (Array.isArray(expected) ? expected : [expected]).map(norm);
		const set = new Set(list);
		if (['in', 'any in'].includes(operator)) return (actual) => set.has(norm(actual));
		if (operator === 'not in') return (actual) => !set.has(norm(actual));
		return (actual) => PerscomSimulator.compare(actual, operator, expected, field);
	}

	private static normalizer(field: string): (v: unknown) => string | number | boolean | null {
		const isDate = field.endsWith('_at');
		return (v) => {
			if (v === null || v === undefined) return null;
			if (field === 'approved') return asBoolean(v);
			if (isDate) return dateMs(v) ?? null;
			if (typeof v === 'number') return v;
			if (typeof v === 'string' && (field === 'id' || field.endsWith('_id')) && /^-?\d+$/.test(v)) return Number(v);
			return String(v).toLowerCase(); // MySQL's default collation compares case-insensitively
		};
	}

	private static compare(actual: unknown, operator: string, expected: unknown, field: string): boolean {
		const norm = PerscomSimulator.normalizer(field);
		const a = norm(actual);
		const list = (Array.isArray(expected) ? expected : [expected]).map(norm);
		const like = (pattern: unknown) => {
			if (a === null) return false;
			const regex = new RegExp(`^${String(pattern).toLowerCase().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, 's');
			return regex.test(String(a));
		};
		const b = list[0];
		switch (operator) {
			case '=':
				return a === b;
			case '!=':
				return a !== b;
			case '<':
				return a !== null && b !== null && a < b;
			case '<=':
				return a !== null && b !== null && a <= b;
			case '>':
				return a !== null && b !== null && a > b;
			case '>=':
				return a !== null && b !== null && a >= b;
			case 'like':
			case 'ilike':
				return like(expected);
			case 'not like':
			case 'not ilike':
				return !like(expected);
			case 'in':
			case 'any in':
				return list.includes(a);
			case 'not in':
				return !list.includes(a);
			case 'all in':
				return list.every((v) => v === a);
			default:
				return false;
		}
	}

	/** POST /users/search: Orion's `{filters, search, sort}` with the same pagination. */
	private search(req: SimRequest): SimResponse {
		const body = req.body === undefined ? {} : req.body;
		if (!isObject(body)) return this.validation({ filters: ['The request body must be an object.'] });
		const errors: Errors = {};
		const add = (key: string, message: string) => (errors[key] ??= []).push(message);
		const filters = body.filters ?? [];
		const sort = body.sort ?? [];
		if (!Array.isArray(filters)) add('filters', 'The filters field must be an array.');
		if (!Array.isArray(sort)) add('sort', 'The sort field must be an array.');
		if (body.search !== undefined && (!isObject(body.search) || typeof body.search.value !== 'string')) add('search.value', 'The search.value field must be a string.');
		if (Array.isArray(filters)) {
			filters.forEach((f: unknown, i) => {
				if (!isObject(f)) {
					add(`filters.${i}`, `The filters.${i} field must be an array.`);
					return;
				}
				if (f.type !== undefined && !['and', 'or'].includes(String(f.type))) add(`filters.${i}.type`, `The selected filters.${i}.type is invalid.`);
				if (!FILTERABLE.includes(String(f.field))) add(`filters.${i}.field`, `The selected filters.${i}.field is invalid.`);
				if (!OPERATORS.includes(String(f.operator))) add(`filters.${i}.operator`, `The selected filters.${i}.operator is invalid.`);
				if (!('value' in f)) add(`filters.${i}.value`, `The filters.${i}.value field must be present.`);
				if (['in', 'not in', 'all in', 'any in'].includes(String(f.operator)) && !Array.isArray(f.value)) add(`filters.${i}.value`, `The filters.${i}.value field must be an array.`);
			});
		}
		if (Array.isArray(sort)) {
			sort.forEach((s: unknown, i) => {
				if (!isObject(s) || !SORTABLE.includes(String(s.field))) add(`sort.${i}.field`, `The selected sort.${i}.field is invalid.`);
				if (isObject(s) && s.direction !== undefined && !['asc', 'desc'].includes(String(s.direction))) add(`sort.${i}.direction`, `The selected sort.${i}.direction is invalid.`);
			});
		}
		if (Object.keys(errors).length > 0) return this.validation(errors);

		let users = [...this.users.values()].sort((a, b) => a.id - b.id);
		const fs = (filters as Array<Record<string, unknown>>).map((f) => ({ field: String(f.field), type: f.type, test: PerscomSimulator.matcher(String(f.operator), f.value, String(f.field)) }));
		if (fs.length > 0) {
			users = users.filter((u) =>
				fs.reduce<boolean>((acc, f, i) => {
					const field = String(f.field);
					const hit = f.test((u as unknown as Record<string, unknown>)[field]);
					if (i === 0) return hit;
					return f.type === 'or' ? acc || hit : acc && hit;
				}, true),
			);
		}
		if (isObject(body.search)) {
			const needle = String(body.search.value).toLowerCase();
			users = users.filter((u) => SEARCHABLE.some((field) => String(u[field] ?? '').toLowerCase().includes(needle)));
		}
		const sorts = sort as Array<Record<string, unknown>>;
		if (sorts.length > 0) {
			users.sort((a, b) => {
				for (const s of sorts) {
					const field = String(s.field) as keyof PerscomSimUser;
					const x = a[field];
					const y = b[field];
					const cmp = x === y ? 0 : x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
					if (cmp !== 0) return s.direction === 'desc' ? -cmp : cmp;
				}
				return a.id - b.id;
			});
		}
		return this.list(req, users);
	}

	/**
	 * Validates one user body as PERSCOM's UserRequest would, with field keys prefixed by `prefix`.
	 * `ownId` is set on update (fields become optional); the unique email rule ignores no row.
	 */
	/** The emails in use, lower-cased, for a batch's checks (read once a request). */
	private takenEmails(): Set<string> {
		return new Set([...this.users.values()].map((u) => u.email.toLowerCase()));
	}

	private check(entry: unknown, prefix: string, ownId?: number, pending: string[] = [], taken: Set<string> = this.takenEmails()): Errors {
		const errors: Errors = {};
		const label = (field: string) => `${prefix}${field}`;
		const add = (field: string, message: string) => (errors[label(field)] ??= []).push(message.replace(':attr', label(field)));
		if (!isObject(entry)) {
			add('', 'The :attr field must be an array.');
			return errors;
		}
		const creating = ownId === undefined;
		const present = (field: string) => field in entry && entry[field] !== null && entry[field] !== '';
		if (creating || 'name' in entry) {
			if (!present('name')) add('name', 'The :attr field is required.');
			else if (typeof entry.name !== 'string') add('name', 'The :attr field must be a string.');
			else if (entry.name.length > 255) add('name', 'The :attr field must not be greater than 255 characters.');
		}
		if (creating || 'email' in entry) {
			if (!present('email')) add('email', 'The :attr field is required.');
			else if (typeof entry.email !== 'string' || !EMAIL.test(entry.email)) add('email', 'The :attr field must be a valid email address.');
			else if (entry.email.length > 255) add('email', 'The :attr field must not be greater than 255 characters.');
			else if (taken.has(entry.email.toLowerCase()) || pending.includes(entry.email.toLowerCase())) {
				add('email', 'The :attr has already been taken.');
			}
		}
		if (present('phone_number') && typeof entry.phone_number !== 'string') add('phone_number', 'The :attr field must be a string.');
		if (present('notes') && typeof entry.notes !== 'string') add('notes', 'The :attr field must be a string.');
		for (const field of INTEGER_FIELDS) if (present(field) && !isInteger(entry[field])) add(field, 'The :attr field must be an integer.');
		for (const field of DATE_FIELDS) if (present(field) && dateMs(entry[field]) === undefined) add(field, 'The :attr field must be a valid date.');
		if ('approved' in entry && !isBooleanLike(entry.approved)) add('approved', 'The :attr field must be true or false.');
		return errors;
	}

	/** Applies the validated fields of a body; unknown and read-only fields are ignored. */
	private apply(user: PerscomSimUser, entry: Record<string, unknown>): void {
		if (typeof entry.name === 'string') user.name = entry.name;
		if (typeof entry.email === 'string') user.email = entry.email;
		if ('phone_number' in entry) user.phone_number = (entry.phone_number as string | null) ?? null;
		if ('notes' in entry) {
			user.notes = (entry.notes as string | null) ?? null;
			user.notes_updated_at = this.stamp();
		}
		for (const field of INTEGER_FIELDS) if (field in entry) user[field] = entry[field] === null || entry[field] === '' ? null : Number(entry[field]);
		for (const field of DATE_FIELDS) if (field in entry) user[field] = entry[field] === null ? null : stampOf(dateMs(entry[field]) ?? 0);
		if ('approved' in entry) user.approved = asBoolean(entry.approved);
		user.updated_at = this.stamp();
	}

	private insert(entry: Record<string, unknown>): PerscomSimUser {
		const now = this.stamp();
		const user: PerscomSimUser = {
			id: this.nextId++,
			name: '',
			email: '',
			email_verified_at: null,
			phone_number: null,
			position_id: null,
			rank_id: null,
			specialty_id: null,
			status_id: null,
			unit_id: null,
			approved: true,
			online: false,
			notes: null,
			notes_updated_at: null,
			profile_photo_url: null,
			cover_photo_url: null,
			discord_user_id: null,
			timezone: null,
			last_seen_at: null,
			last_assignment_change_date: null,
			last_rank_change_date: null,
			created_at: now,
			updated_at: now,
		};
		this.apply(user, entry);
		user.created_at = user.updated_at;
		this.users.set(user.id, user);
		return user;
	}

	private create(req: SimRequest): SimResponse {
		const errors = this.check(req.body, '');
		if (Object.keys(errors).length > 0) return this.validation(errors);
		return { status: 201, body: { data: this.resource(this.insert(req.body as Record<string, unknown>), this.includeOf(req)) } };
	}

	private userOf(req: SimRequest): PerscomSimUser | undefined {
		return /^\d+$/.test(req.params.id) ? this.users.get(Number(req.params.id)) : undefined;
	}

	private getOne(req: SimRequest): SimResponse {
		const user = this.userOf(req);
		return user ? { status: 200, body: { data: this.resource(user, this.includeOf(req)) } } : this.notFound();
	}

	private updateOne(req: SimRequest): SimResponse {
		const user = this.userOf(req);
		if (!user) return this.notFound();
		const errors = this.check(req.body ?? {}, '', user.id);
		if (Object.keys(errors).length > 0) return this.validation(errors);
		this.apply(user, (req.body ?? {}) as Record<string, unknown>);
		return { status: 200, body: { data: this.resource(user, this.includeOf(req)) } };
	}

	private deleteOne(req: SimRequest): SimResponse {
		const user = this.userOf(req);
		if (!user) return this.notFound();
		this.users.delete(user.id);
		return { status: 200, body: { data: this.resource(user) } };
	}

	/** POST /users/batch `{resources: [...]}`: all validated first, then all written (one transaction). */
	private batchCreate(req: SimRequest): SimResponse {
		const body = req.body;
		if (!isObject(body) || !Array.isArray(body.resources) || body.resources.length === 0) {
			return this.validation({ resources: ['The resources field is required and must be a non-empty array.'] });
		}
		const errors: Errors = {};
		const taken = this.takenEmails();
		for (const [i, entry] of body.resources.entries()) Object.assign(errors, this.check(entry, `resources.${i}.`, undefined, [], taken));
		if (Object.keys(errors).length > 0) return this.validation(errors);
		const emails = body.resources.map((e) => String((e as Record<string, unknown>).email).toLowerCase());
		// Laravel's unique rule checks the table, not the batch: two equal emails in one batch pass
		// validation and then break the unique index, which rolls the transaction back with a 500.
		if (new Set(emails).size !== emails.length) {
			return this.error(500, 'SQLSTATE[23000]: Integrity constraint violation: 1062 Duplicate entry for key users_email_unique');
		}
		const created = body.resources.map((entry) => this.insert(entry as Record<string, unknown>));
		return { status: 200, body: { data: created.map((u) => this.resource(u, this.includeOf(req))) } };
	}

	/** PATCH /users/batch `{resources: {id: {...}}}`: IDs not found are skipped, as Orion does (docs/vendors/perscom.md#quirks). */
	private batchUpdate(req: SimRequest): SimResponse {
		const body = req.body;
		if (!isObject(body) || !isObject(body.resources) || Object.keys(body.resources).length === 0) {
			return this.validation({ resources: ['The resources field is required and must be an object keyed by ID.'] });
		}
		const resources = body.resources;
		const errors: Errors = {};
		const taken = this.takenEmails();
		for (const [id, entry] of Object.entries(resources)) {
			Object.assign(errors, this.check(entry, `resources.${id}.`, Number(id), [], taken));
		}
		if (Object.keys(errors).length > 0) return this.validation(errors);
		const updated: PerscomSimUser[] = [];
		for (const [id, entry] of Object.entries(resources)) {
			const user = /^\d+$/.test(id) ? this.users.get(Number(id)) : undefined;
			if (!user) continue;
			this.apply(user, entry as Record<string, unknown>);
			updated.push(user);
		}
		return { status: 200, body: { data: updated.map((u) => this.resource(u, this.includeOf(req))) } };
	}

	/** DELETE /users/batch `{resources: [ids]}`: deletes those found, returns them. */
	private batchDelete(req: SimRequest): SimResponse {
		const body = req.body;
		if (!isObject(body) || !Array.isArray(body.resources) || body.resources.length === 0) {
			return this.validation({ resources: ['The resources field is required and must be a non-empty array.'] });
		}
		const errors: Errors = {};
		body.resources.forEach((id, i) => {
			if (!isInteger(id)) errors[`resources.${i}`] = [`The resources.${i} field must be an integer.`];
		});
		if (Object.keys(errors).length > 0) return this.validation(errors);
		const deleted: PerscomSimUser[] = [];
		for (const id of new Set(body.resources.map(Number))) {
			const user = this.users.get(id);
			if (!user) continue;
			this.users.delete(id);
			deleted.push(user);
		}
		return { status: 200, body: { data: deleted.map((u) => this.resource(u)) } };
	}

	/** Seeds users straight into the store (no request counted). */
	seed(users: Array<Partial<PerscomSimUser> & { name: string; email: string }>): PerscomSimUser[] {
		return users.map((u) => {
			const user = this.insert({ name: u.name, email: u.email });
			Object.assign(user, u, { id: user.id });
			return user;
		});
	}

	/**
	 * Changes a user straight in the store (no request counted), as an edit in PERSCOM would: `updated_at`
	 * moves to the simulator's now, or to `at` (a late commit, or several changes stamped alike).
	 */
	touch(id: number, fields: Partial<PerscomSimUser> = {}, at?: string): PerscomSimUser {
		const user = this.users.get(id);
		if (!user) throw new Error(`no PERSCOM user ${id}`);
		Object.assign(user, fields, { id, updated_at: at ?? this.stamp() });
		return user;
	}

	/**
	 * Sample people as users; `withRoster`: each with a rank, unit, position, specialty and roster
	 * status of the roster, spread by number (the demo's lab; tests that compare users field by field
	 * leave them out).
	 */
	seedSample(people: SamplePerson[], withRoster = false): PerscomSimUser[] {
		const pick = (list: RosterList, n: number) => this.roster[list][n % this.roster[list].length]?.id ?? null;
		return this.seed(
			people.map((p) => ({
				name: p.name,
				email: p.email,
				phone_number: p.phone,
				timezone: p.timezone,
				approved: p.n % 5 !== 4,
				...(withRoster
					? { rank_id: pick('ranks', p.n), unit_id: pick('units', p.n), position_id: pick('positions', p.n), specialty_id: pick('specialties', p.n), status_id: pick('statuses', p.n) }
					: {}),
			})),
		);
	}

	byEmail(email: string): PerscomSimUser | undefined {
		return [...this.users.values()].find((u) => u.email.toLowerCase() === email.toLowerCase());
	}

	reset(): void {
		this.users.clear();
		Object.assign(this.roster, PerscomSimulator.freshRoster());
		this.nextId = 1;
		this.headerLog.length = 0;
		this.clearLog();
		this.resetRateLimits();
	}
}

