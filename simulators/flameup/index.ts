import { randomUUID } from 'node:crypto';

import { requestId, SimServer, type SimOptions, type SimRequest, type SimResponse, type VendorRules } from '../core/server';
import type { SamplePerson } from '../core/people';

/**
 * Flameup, as docs.flameup.ai documents it (docs/vendors/flameup.md): Bearer keys bound to a
 * workspace, flat and workspace-scoped people paths, offset pagination (limit ≤ 100), batch upsert of
 * ≤ 100 matched by userId (external_id) or email, traits merged, 120 requests/minute per key with
 * X-RateLimit-* headers and the documented 429 body, 404 `{error, message, code}`.
 */
export interface FlameupPerson {
	id: string;
	workspace_id: string;
	external_id: string;
	email?: string;
	phone?: string;
	first_name?: string;
	last_name?: string;
	avatar_url?: string;
	timezone?: string;
	locale?: string;
	status: 'active' | 'unsubscribed' | 'bounced';
	attributes: Record<string, unknown>;
	created_at: string;
	updated_at: string;
	first_seen_at: string;
	last_seen_at: string;
}

export const FLAMEUP_TEST_KEY = 'ws_test_simws01.' + 'a1'.repeat(32);
export const FLAMEUP_WORKSPACE = 'simws01';

const STANDARD_TRAITS = ['first_name', 'last_name', 'phone', 'avatar_url', 'timezone', 'locale'] as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function rules(keys: Map<string, string>): VendorRules {
	return {
		name: 'Flameup',
		defaultRateLimits: [{ limit: 120, intervalMs: 60_000 }],
		authenticate(req) {
			const header = req.headers.authorization ?? '';
			const match = /^Bearer (.+)$/.exec(header);
			if (!match || !keys.has(match[1])) {
				return { status: 401, body: { success: false, error: { type: 'authentication_error', message: 'Invalid or missing API key' }, request_id: requestId() } };
			}
			return match[1];
		},
		errorBody(status, code, message, extra) {
			if (status === 404) return { error: 'Not Found', message, code: 404 };
			return { success: false, error: { code, type: code, message, ...(extra ?? {}) }, request_id: requestId() };
		},
		rateLimited(retryAfterMs, _window, sim) {
			return {
				status: 429,
				body: { error: 'Rate limit exceeded', message: 'Too many requests. Please slow down.' },
				headers: { 'X-RateLimit-Limit': '120', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(Math.ceil((Date.now() + sim.realMs(retryAfterMs)) / 1000)) },
			};
		},
		rateHeaders: ({ limit, remaining, resetAtMs }): Record<string, string> =>
			Number.isFinite(limit) ? { 'X-RateLimit-Limit': String(limit), 'X-RateLimit-Remaining': String(Math.max(0, remaining)), 'X-RateLimit-Reset': String(Math.ceil(resetAtMs / 1000)) } : {},
	};
}

export class FlameupSimulator extends SimServer {
	/** People by UUID, per workspace. */
	readonly people = new Map<string, FlameupPerson>();

	/** API key → workspace ID. */
	readonly keys: Map<string, string>;

	private lastStamp = 0;

	constructor(options: SimOptions & { keys?: Record<string, string> } = {}) {
		const keys = new Map(Object.entries(options.keys ?? { [FLAMEUP_TEST_KEY]: FLAMEUP_WORKSPACE }));
		super(rules(keys), options);
		this.keys = keys;
		for (const prefix of ['', '/workspaces/:workspaceId']) {
			this.route('GET', `${prefix}/people`, (r) => this.scoped(r, () => this.list(r)));
			this.route('POST', `${prefix}/people/batch`, (r) => this.scoped(r, () => this.batch(r)));
		}
		this.route('GET', '/workspaces/:workspaceId/people/search', (r) => this.scoped(r, () => this.search(r)));
		this.route('POST', '/workspaces/:workspaceId/people/upsert', (r) => this.scoped(r, () => this.upsertOne(r)));
		this.route('GET', '/workspaces/:workspaceId/people/:personId', (r) => this.scoped(r, () => this.getByUuid(r)));
		this.route('GET', '/people/:id', (r) => this.getByKey(r));
		this.route('PUT', '/people/:id', (r) => this.update(r));
		this.route('POST', '/people', (r) => this.create(r));
	}

	/** A strictly increasing timestamp, so an update is always later than the create before it. */
	private stamp(): string {
		this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
		return new Date(this.lastStamp).toISOString();
	}

	private workspaceOf(req: SimRequest): string {
		return this.keys.get(req.key) ?? '';
	}

	private inWorkspace(req: SimRequest): FlameupPerson[] {
		const ws = this.workspaceOf(req);
		return [...this.people.values()].filter((p) => p.workspace_id === ws);
	}

	private error(status: number, code: string, message: string, extra?: Record<string, unknown>): SimResponse {
		return { status, body: this.rules.errorBody(status, code, message, extra) };
	}

	private scoped(req: SimRequest, next: () => SimResponse): SimResponse {
		const ws = req.params.workspaceId;
		if (ws !== undefined && ws !== this.workspaceOf(req)) return this.error(403, 'forbidden', `The API key does not belong to workspace ${ws}`);
		return next();
	}

	/**
	 * People by workspace and userId or email, so that a look-up does not scan the store (100,000
	 * people in the benchmarks). Rebuilt when the store's size changed under it (tests delete
	 * straight from it); every person the simulator writes, seeds or touches is indexed as written,
	 * and a hit is checked against the person as it is now.
	 */
	private readonly index = new Map<string, FlameupPerson>();

	private indexedSize = -1;

	private indexed(person: FlameupPerson, field: 'external_id' | 'email', value: string, ws: string): boolean {
		return this.people.get(person.id) === person && person.workspace_id === ws && person[field] === value;
	}

	private addToIndex(person: FlameupPerson): void {
		if (this.indexedSize !== this.people.size - 1 && this.indexedSize !== this.people.size) return this.rebuildIndex();
		for (const field of ['external_id', 'email'] as const) {
			const value = person[field];
			if (value === undefined) continue;
			const key = `${person.workspace_id}\u0000${field}\u0000${value}`;
			const current = this.index.get(key);
			// The first person with a value keeps it, as a scan in insertion order would find it.
			if (!current || !this.indexed(current, field, value, person.workspace_id)) this.index.set(key, person);
		}
		this.indexedSize = this.people.size;
	}

	private rebuildIndex(): void {
		this.index.clear();
		this.indexedSize = this.people.size;
		for (const person of this.people.values()) this.addToIndex(person);
	}

	private lookUp(ws: string, field: 'external_id' | 'email', value: string): FlameupPerson | undefined {
		if (this.indexedSize !== this.people.size) this.rebuildIndex();
		const hit = this.index.get(`${ws}\u0000${field}\u0000${value}`);
		if (hit && this.indexed(hit, field, value, ws)) return hit;
		// Changed since it was indexed: the slow way.
		return hit ? [...this.people.values()].find((p) => this.indexed(p, field, value, ws)) : undefined;
	}

	private findByKey(req: SimRequest, key: string): FlameupPerson | undefined {
		const ws = this.workspaceOf(req);
		return this.lookUp(ws, 'external_id', key) ?? this.lookUp(ws, 'email', key.toLowerCase());
	}

	private list(req: SimRequest): SimResponse {
		const limit = req.query.has('limit') ? Number(req.query.get('limit')) : 50;
		const offset = req.query.has('offset') ? Number(req.query.get('offset')) : 0;
		if (!Number.isInteger(limit) || limit < 1 || limit > 100) return this.validation({ limit: ['must be an integer between 1 and 100'] });
		if (!Number.isInteger(offset) || offset < 0) return this.validation({ offset: ['must be a non-negative integer'] });
		const status = req.query.get('status');
		const search = req.query.get('search')?.toLowerCase();
		const all = this.inWorkspace(req)
			.filter((p) => !status || p.status === status)
			.filter((p) => !search || [p.email, p.first_name, p.last_name, p.external_id].some((v) => v?.toLowerCase().includes(search)))
			// ISO times and UUIDs: code-point order is their order (and much cheaper than localeCompare on 100,000 people).
			.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
		return { status: 200, body: { people: all.slice(offset, offset + limit), total: all.length, limit, offset } };
	}

	private search(req: SimRequest): SimResponse {
		const email = req.query.get('email')?.toLowerCase();
		const externalId = req.query.get('external_id');
		const q = req.query.get('q')?.toLowerCase();
		const limit = Math.min(100, Number(req.query.get('limit') ?? 20));
		const people = this.inWorkspace(req).filter(
			(p) => (!email || p.email === email) && (!externalId || p.external_id === externalId) && (!q || [p.email, p.first_name, p.last_name].some((v) => v?.toLowerCase().includes(q))),
		);
		return { status: 200, body: { people: people.slice(0, limit) } };
	}

	private getByKey(req: SimRequest): SimResponse {
		const person = this.findByKey(req, req.params.id);
		return person ? { status: 200, body: person } : this.error(404, 'not_found', 'The requested resource was not found');
	}

	private getByUuid(req: SimRequest): SimResponse {
		const person = this.people.get(req.params.personId);
		return person && person.workspace_id === this.workspaceOf(req) ? { status: 200, body: person } : this.error(404, 'not_found', 'The requested resource was not found');
	}

	private validation(fields: Record<string, string[]>): SimResponse {
		return this.error(422, 'validation_error', 'Validation failed', { details: { fields } });
	}

	/** Checks one entry of a create/batch body; returns field errors keyed with `prefix`. */
	private check(entry: unknown, prefix: string): Record<string, string[]> {
		const errors: Record<string, string[]> = {};
		const add = (field: string, message: string) => (errors[`${prefix}${field}`] ??= []).push(message);
		if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
			add('', 'must be an object');
			return errors;
		}
		const e = entry as Record<string, unknown>;
		if (typeof e.userId !== 'string' || e.userId.trim() === '') add('userId', 'is required');
		else if (e.userId.length > 255) add('userId', 'must be at most 255 characters');
		if (e.email !== undefined && (typeof e.email !== 'string' || e.email.length > 254 || !EMAIL.test(e.email))) add('email', 'is not a valid email address');
		if (e.phone !== undefined && (typeof e.phone !== 'string' || e.phone.length > 50)) add('phone', 'must be a string of at most 50 characters');
		if (e.traits !== undefined && (e.traits === null || typeof e.traits !== 'object' || Array.isArray(e.traits))) add('traits', 'must be an object');
		return errors;
	}

	private applyTraits(person: FlameupPerson, traits: Record<string, unknown>): void {
		for (const [key, value] of Object.entries(traits)) {
			if ((STANDARD_TRAITS as readonly string[]).includes(key)) (person as unknown as Record<string, unknown>)[key] = value;
			else person.attributes[key] = value;
		}
	}

	/** Creates or updates by userId (external_id), else email; returns the person and whether it was new. */
	private write(req: SimRequest, entry: Record<string, unknown>, mustBeNew = false): { person: FlameupPerson; created: boolean } | SimResponse {
		const userId = entry.userId as string;
		const email = typeof entry.email === 'string' ? entry.email.toLowerCase() : undefined;
		const ws = this.workspaceOf(req);
		let person = this.lookUp(ws, 'external_id', userId) ?? (email ? this.lookUp(ws, 'email', email) : undefined);
		if (person && mustBeNew) return this.error(409, 'conflict', `A person with userId or email "${userId}" already exists`);
		const now = this.stamp();
		const created = !person;
		if (!person) {
			person = { id: randomUUID(), workspace_id: this.workspaceOf(req), external_id: userId, status: 'active', attributes: {}, created_at: now, updated_at: now, first_seen_at: now, last_seen_at: now };
			this.people.set(person.id, person);
		} else {
			person.updated_at = now;
			person.external_id = userId;
		}
		if (email) person.email = email;
		if (typeof entry.phone === 'string') person.phone = entry.phone;
		this.applyTraits(person, (entry.traits as Record<string, unknown>) ?? {});
		this.addToIndex(person);
		return { person, created };
	}

	private create(req: SimRequest): SimResponse {
		const errors = this.check(req.body, '');
		if (Object.keys(errors).length > 0) return this.validation(errors);
		const result = this.write(req, req.body as Record<string, unknown>, true);
		return 'status' in result ? result : { status: 201, body: result.person };
	}

	private upsertOne(req: SimRequest): SimResponse {
		const errors = this.check(req.body, '');
		if (Object.keys(errors).length > 0) return this.validation(errors);
		const result = this.write(req, req.body as Record<string, unknown>);
		return 'status' in result ? result : { status: result.created ? 201 : 200, body: result.person };
	}

	private update(req: SimRequest): SimResponse {
		const person = this.findByKey(req, req.params.id);
		if (!person) return this.error(404, 'not_found', 'The requested resource was not found');
		const body = req.body as Record<string, unknown> | undefined;
		if (!body || body.traits === null || typeof body.traits !== 'object' || Array.isArray(body.traits)) return this.validation({ traits: ['is required and must be an object'] });
		this.applyTraits(person, body.traits as Record<string, unknown>);
		person.updated_at = this.stamp();
		return { status: 200, body: person };
	}

	private batch(req: SimRequest): SimResponse {
		const body = req.body as { people?: unknown } | undefined;
		if (!body || !Array.isArray(body.people)) return this.validation({ people: ['is required and must be an array'] });
		if (body.people.length === 0) return this.validation({ people: ['must contain at least 1 person'] });
		if (body.people.length > 100) return this.error(400, 'batch_too_large', `A batch may contain at most 100 people; got ${body.people.length}`);
		const errors = Object.assign({}, ...body.people.map((entry, i) => this.check(entry, `people[${i}].`))) as Record<string, string[]>;
		// All or nothing: a batch with one invalid person changes nothing.
		if (Object.keys(errors).length > 0) return this.validation(errors);
		let createdCount = 0;
		const people = body.people.map((entry) => {
			const result = this.write(req, entry as Record<string, unknown>) as { person: FlameupPerson; created: boolean };
			if (result.created) createdCount++;
			return { ...result.person };
		});
		return { status: 200, body: { people, created_count: createdCount, updated_count: people.length - createdCount } };
	}

	/** Seeds people straight into the store (no request counted). */
	seed(people: Array<Partial<FlameupPerson> & { external_id: string }>, workspaceId = FLAMEUP_WORKSPACE): FlameupPerson[] {
		return people.map((p) => {
			const now = this.stamp();
			const person: FlameupPerson = { id: randomUUID(), workspace_id: workspaceId, status: 'active', attributes: {}, created_at: now, updated_at: now, first_seen_at: now, last_seen_at: now, ...p };
			this.people.set(person.id, person);
			this.addToIndex(person);
			return person;
		});
	}

	/** Changes a person straight in the store (no request counted): `updated_at` moves to the simulator's now, or to `at`. */
	touch(id: string, fields: Partial<FlameupPerson> = {}, at?: string): FlameupPerson {
		const person = this.people.get(id);
		if (!person) throw new Error(`no Flameup person ${id}`);
		Object.assign(person, fields, { id, updated_at: at ?? this.stamp() });
		this.addToIndex(person);
		return person;
	}

	seedSample(people: SamplePerson[], prefix = 'ext-'): FlameupPerson[] {
		return this.seed(
			people.map((p) => ({ external_id: `${prefix}${p.n}`, email: p.email, first_name: p.firstName, last_name: p.lastName, phone: p.phone, timezone: p.timezone, locale: p.locale })),
		);
	}

	byEmail(email: string): FlameupPerson | undefined {
		return [...this.people.values()].find((p) => p.email === email.toLowerCase());
	}
}
