import { SimServer, type SimOptions, type SimRequest, type SimResponse, type VendorRules } from '../core/server';
import type { SamplePerson } from '../core/people';

/**
 * Flxpoint, as apihelpcenter.flxpoint.com documents it (docs/vendors/flxpoint.md, "Get Users"): `X-API-TOKEN` header (Bearer refused), 2 requests/second per token, read-only
 * `GET /account/users` answering a bare array, filtered by `ids` (integers) and `emails`, each
 * `maxItems: 50` and `uniqueItems`; only Account tokens may read users; `GET /account`.
 *
 * Undocumented, chosen here: 401/400/429 bodies are small JSON objects `{status, error, message}`;
 * a 429 carries `Retry-After: 1`; arrays are accepted comma-separated (`ids=1,2`, the spec's example; docs/vendors/flxpoint.md#quirks)
 * and as repeated keys (`ids=1&ids=2`); `ids` and `emails` together must both match (AND).
 */
export type FlxpointTokenType = 'account' | 'source' | 'channel';

export interface FlxpointRole {
	id: number;
	name: 'Admin' | 'Support Specialist' | 'Read Only';
	handle: 'admin' | 'support' | 'read_only';
}

export interface FlxpointUser {
	id: number;
	firstName: string;
	lastName: string;
	email: string;
	isPrimary: boolean;
	insertedAt: string;
	updatedAt: string;
	lastLoginAt?: string;
	notificationsLastCheckedAt?: string;
	lastSessionAt?: string;
	minutesOfActivity: number;
	role: FlxpointRole;
}

export const FLXPOINT_ROLES: FlxpointRole[] = [
	{ id: 1, name: 'Admin', handle: 'admin' },
	{ id: 2, name: 'Support Specialist', handle: 'support' },
	{ id: 3, name: 'Read Only', handle: 'read_only' },
];

export const FLXPOINT_TEST_TOKEN = 'flx_account_' + 'c3'.repeat(20);
export const FLXPOINT_SOURCE_TOKEN = 'flx_source_' + 'd4'.repeat(20);
/** Seeded users get IDs from here on: user n has ID FLXPOINT_FIRST_ID + n. */
export const FLXPOINT_FIRST_ID = 1001;
export const FLXPOINT_MAX_ITEMS = 50;

function body(status: number, error: string, message: string): { status: number; error: string; message: string } {
	return { status, error, message };
}

function rules(tokens: Map<string, FlxpointTokenType>): VendorRules {
	return {
		name: 'Flxpoint',
		defaultRateLimits: [{ limit: 2, intervalMs: 1000 }],
		authenticate(req) {
			const token = req.headers['x-api-token'];
			const value = Array.isArray(token) ? token[0] : token;
			if (!value || !tokens.has(value)) {
				const message = req.headers.authorization
					? 'Missing X-API-TOKEN header. Flxpoint does not accept Authorization: Bearer'
					: 'Invalid or missing X-API-TOKEN';
				return { status: 401, body: body(401, 'Unauthorized', message) };
			}
			return value;
		},
		errorBody(status, code, message) {
			return body(status, code, message);
		},
		rateLimited(retryAfterMs, _window, sim) {
			return {
				status: 429,
				body: body(429, 'Too Many Requests', 'Rate limit exceeded: 2 requests per second per token'),
				headers: { 'Retry-After': String(Math.max(1, Math.ceil(sim.realMs(retryAfterMs) / 1000))) },
			};
		},
	};
}

export class FlxpointSimulator extends SimServer {
	readonly users = new Map<number, FlxpointUser>();

	/** Token → type. Only Account tokens may read users. */
	readonly tokens: Map<string, FlxpointTokenType>;

	readonly account = {
		id: 4242,
		subdomain: 'simulated',
		brandName: 'Simulated Brand',
		companyName: 'Simulated Company LLC',
		email: 'owner@example.com',
		insertedAt: '2024-01-15T09:00:00Z',
	};

	constructor(options: SimOptions & { tokens?: Record<string, FlxpointTokenType> } = {}) {
		const tokens = new Map<string, FlxpointTokenType>(Object.entries(options.tokens ?? { [FLXPOINT_TEST_TOKEN]: 'account', [FLXPOINT_SOURCE_TOKEN]: 'source' }));
		super(rules(tokens), options);
		this.tokens = tokens;
		this.route('GET', '/account', () => ({ status: 200, body: this.account }));
		this.route('GET', '/account/users', (r) => this.listUsers(r));
	}

	private error(status: number, error: string, message: string): SimResponse {
		return { status, body: body(status, error, message) };
	}

	/** A query array: comma-separated and/or repeated keys. Undefined when the parameter is absent. */
	private arrayParam(req: SimRequest, name: string): string[] | undefined {
		if (!req.query.has(name)) return undefined;
		return req.query.getAll(name).flatMap((v) => v.split(',')).map((v) => v.trim());
	}

	private checkArray(name: string, values: string[]): SimResponse | undefined {
		if (values.length > FLXPOINT_MAX_ITEMS) return this.error(400, 'Bad Request', `${name}: must contain at most ${FLXPOINT_MAX_ITEMS} items (got ${values.length})`);
		if (new Set(values).size !== values.length) return this.error(400, 'Bad Request', `${name}: items must be unique`);
		return undefined;
	}

	private listUsers(req: SimRequest): SimResponse {
		if (this.tokens.get(req.key) !== 'account') return this.error(401, 'Unauthorized', 'Only account API Tokens can use this endpoint');
		const ids = this.arrayParam(req, 'ids');
		const emails = this.arrayParam(req, 'emails');
		if (ids) {
			const bad = ids.find((v) => !/^-?\d+$/.test(v));
			if (bad !== undefined) return this.error(400, 'Bad Request', `ids: "${bad}" is not an integer`);
			const invalid = this.checkArray('ids', ids.map((v) => String(Number(v))));
			if (invalid) return invalid;
		}
		if (emails) {
			const invalid = this.checkArray('emails', emails);
			if (invalid) return invalid;
		}
		const idSet = ids ? new Set(ids.map(Number)) : undefined;
		const emailSet = emails ? new Set(emails.map((e) => e.toLowerCase())) : undefined;
		const users = [...this.users.values()]
			.filter((u) => (!idSet || idSet.has(u.id)) && (!emailSet || emailSet.has(u.email.toLowerCase())))
			.sort((a, b) => a.id - b.id);
		return { status: 200, body: users };
	}

	/** Seeds users straight into the store (no request counted). */
	seed(users: FlxpointUser[]): FlxpointUser[] {
		for (const user of users) this.users.set(user.id, user);
		return users;
	}

	/** Changes a user straight in the store (no request counted): `updatedAt` moves to now. */
	touch(id: number, fields: Partial<FlxpointUser> = {}): FlxpointUser {
		const user = this.users.get(id);
		if (!user) throw new Error(`no Flxpoint user ${id}`);
		Object.assign(user, fields, { id, updatedAt: new Date().toISOString() });
		return user;
	}

	/**
	 * Sample person n → user ID FLXPOINT_FIRST_ID + n; roles cycle Admin, Support Specialist,
	 * Read Only (n % 3); person 0 is the account's primary user.
	 */
	seedSample(people: SamplePerson[]): FlxpointUser[] {
		const base = Date.UTC(2024, 0, 15, 9, 0, 0);
		return this.seed(
			people.map((p) => {
				const inserted = new Date(base + p.n * 3_600_000).toISOString();
				return {
					id: FLXPOINT_FIRST_ID + p.n,
					firstName: p.firstName,
					lastName: p.lastName,
					email: p.email,
					isPrimary: p.n === 0,
					insertedAt: inserted,
					updatedAt: new Date(base + p.n * 3_600_000 + 86_400_000).toISOString(),
					lastLoginAt: new Date(base + p.n * 3_600_000 + 2 * 86_400_000).toISOString(),
					minutesOfActivity: (p.n * 37) % 500,
					role: { ...FLXPOINT_ROLES[p.n % 3] },
				};
			}),
		);
	}
}
