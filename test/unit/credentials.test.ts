/**
 * The four credentials as n8n uses them: `authenticate` resolved by n8n-workflow's expression engine (as
 * n8n's credentials helper does), and "Test connection" replayed the way n8n's credentials tester
 * evaluates `test.request` and `test.rules` (packages/cli/src/services/credentials-tester.service.ts),
 * against the vendor simulators. test/e2e/sync.test.ts runs the same tests in real n8n.
 */
import {
	Workflow,
	type IAuthenticateRuleResponseCode,
	type IAuthenticateRuleResponseSuccessBody,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeTypes,
} from 'n8n-workflow';

import { FlameupApi } from '../../credentials/FlameupApi.credentials';
import { FlashdutyApi } from '../../credentials/FlashdutyApi.credentials';
import { FlxpointApi } from '../../credentials/FlxpointApi.credentials';
import { PerscomApi } from '../../credentials/PerscomApi.credentials';
import { samplePeople } from '../../simulators/core/people';
import type { SimServer } from '../../simulators/core/server';
import { FLAMEUP_TEST_KEY, FlameupSimulator } from '../../simulators/flameup';
import { FLASHDUTY_TEST_KEY, FlashdutySimulator } from '../../simulators/flashduty';
import { FLXPOINT_SOURCE_TOKEN, FLXPOINT_TEST_TOKEN, FlxpointSimulator } from '../../simulators/flxpoint';
import { PERSCOM_TEST_KEY, PerscomSimulator } from '../../simulators/perscom';

const node: INode = { id: 't', name: 'Temp-Node', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [0, 0], parameters: {} };
const nodeTypes: INodeTypes = {
	getByName: () => ({ description: { properties: [] } }) as never,
	getByNameAndVersion: () => ({ description: { properties: [] } }) as never,
	getKnownTypes: () => ({}),
};
const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });

/** An `={{ }}` value resolved with `$credentials`, as n8n's credentials helper and routing node do. */
function resolve(value: unknown, credentials: ICredentialDataDecryptedObject): unknown {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	return workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '');
}

function withDefaults(type: ICredentialType, data: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject {
	const defaults = Object.fromEntries(type.properties.map((p) => [p.name, p.default])) as ICredentialDataDecryptedObject;
	return { ...defaults, ...data };
}

/** The request options after `authenticate`, as n8n's credentials helper builds them. */
async function authenticated(type: ICredentialType, credentials: ICredentialDataDecryptedObject, options: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const { authenticate } = type;
	if (typeof authenticate === 'function') return await authenticate(credentials, options);
	if (!authenticate || authenticate.type !== 'generic') return options;
	const out: IHttpRequestOptions = { ...options, headers: { ...(options.headers ?? {}) } };
	for (const [place, values] of Object.entries(authenticate.properties) as Array<['headers' | 'qs' | 'body', IDataObject]>) {
		const resolved = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(resolve(v, credentials))]));
		out[place] = { ...((out[place] as IDataObject | undefined) ?? {}), ...resolved };
	}
	return out;
}

function pathGet(value: unknown, key: string): unknown {
	return key.split('.').reduce<unknown>((at, part) => (at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[part] : typeof at === 'string' ? (at as unknown as Record<string, unknown>)[part] : undefined), value);
}

type Rule = IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody;

/** "Test connection": the test request with the credential's authentication, judged by its rules. */
async function testConnection(type: ICredentialType, data: ICredentialDataDecryptedObject): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const credentials = withDefaults(type, data);
	const test = type.test!;
	const request = test.request;
	const qs = Object.fromEntries(Object.entries(request.qs ?? {}).map(([k, v]) => [k, resolve(v, credentials)])) as IDataObject;
	const options = await authenticated(type, credentials, { url: String(resolve(request.url, credentials)), method: request.method ?? 'GET', qs, headers: {} });
	const url = new URL(`${String(resolve(request.baseURL, credentials))}${options.url}`);
	for (const [k, v] of Object.entries(options.qs ?? {})) url.searchParams.set(k, String(v));
	const headers = { ...(options.headers as Record<string, string>) };
	if (request.body !== undefined) headers['Content-Type'] = 'application/json';
	const response = await fetch(url, { method: options.method, headers, body: request.body === undefined ? undefined : JSON.stringify(request.body) });
	const text = await response.text();
	const rules = (test.rules ?? []) as Rule[];
	if (response.status < 200 || response.status > 299) {
		const rule = rules.find((r): r is IAuthenticateRuleResponseCode => r.type === 'responseCode' && r.properties.value === response.status);
		return { status: 'Error', message: rule?.properties.message ?? response.statusText };
	}
	let body: unknown = text;
	try {
		body = JSON.parse(text);
	} catch {
		// n8n keeps a non-JSON body as a string
	}
	// n8n's routing node makes one item per element of an array answer; the tester reads the first.
	const first = Array.isArray(body) ? (body as unknown[])[0] : body;
	for (const rule of rules) {
		if (rule.type !== 'responseSuccessBody') continue;
		if (Array.isArray(body) && body.length === 0) throw new TypeError("Cannot read properties of undefined (reading 'json')");
		if (pathGet(first, rule.properties.key) === rule.properties.value) return { status: 'Error', message: rule.properties.message };
	}
	return { status: 'OK', message: 'Connection successful!' };
}

interface Vendor {
	type: ICredentialType;
	sim: SimServer;
	secretField: string;
	key: string;
	data: (base: string) => ICredentialDataDecryptedObject;
	/** Where the key travels once authenticated. */
	sent: (options: IHttpRequestOptions) => unknown;
	expected: (key: string) => unknown;
	/** A 200 answer carrying the vendor's error envelope (or not its data). */
	errorEnvelope: unknown;
}

const vendors: Record<string, Vendor> = {
	Flameup: {
		type: new FlameupApi(),
		sim: new FlameupSimulator(),
		secretField: 'apiKey',
		key: FLAMEUP_TEST_KEY,
		data: (baseUrl) => ({ apiKey: FLAMEUP_TEST_KEY, baseUrl }),
		sent: (o) => (o.headers as IDataObject).Authorization,
		expected: (key) => `Bearer ${key}`,
		errorEnvelope: { success: false, error: { type: 'authentication_error', message: 'Invalid API key' }, request_id: 'r1' },
	},
	Flashduty: {
		type: new FlashdutyApi(),
		sim: new FlashdutySimulator(),
		secretField: 'appKey',
		key: FLASHDUTY_TEST_KEY,
		data: (baseUrl) => ({ appKey: FLASHDUTY_TEST_KEY, baseUrl }),
		sent: (o) => (o.qs as IDataObject).app_key,
		expected: (key) => key,
		errorEnvelope: { request_id: 'R1', error: { code: 'InternalError', message: 'Something went wrong' } },
	},
	Flxpoint: {
		type: new FlxpointApi(),
		sim: new FlxpointSimulator({ rateLimits: [{ limit: 1000, intervalMs: 1000 }] }),
		secretField: 'apiToken',
		key: FLXPOINT_TEST_TOKEN,
		data: (baseUrl) => ({ apiToken: FLXPOINT_TEST_TOKEN, baseUrl }),
		sent: (o) => (o.headers as IDataObject)['X-API-TOKEN'],
		expected: (key) => key,
		errorEnvelope: { status: 500, error: 'Internal Server Error', message: 'Something went wrong' },
	},
	PERSCOM: {
		type: new PerscomApi(),
		sim: new PerscomSimulator(),
		secretField: 'apiKey',
		key: PERSCOM_TEST_KEY,
		data: (baseUrl) => ({ apiKey: PERSCOM_TEST_KEY, baseUrl, apiVersion: 'v2', perscomId: '' }),
		sent: (o) => (o.headers as IDataObject).Authorization,
		expected: (key) => `Bearer ${key}`,
		errorEnvelope: { error: { message: 'Server Error', type: 'Exception', request_id: 'r', trace_id: 't' } },
	},
};

const bases: Record<string, string> = {};

beforeAll(async () => {
	for (const [name, vendor] of Object.entries(vendors)) bases[name] = await vendor.sim.start();
	(vendors.Flameup.sim as FlameupSimulator).seedSample(samplePeople(0, 2));
	(vendors.Flashduty.sim as FlashdutySimulator).seedSample(samplePeople(0, 2));
	(vendors.Flxpoint.sim as FlxpointSimulator).seedSample(samplePeople(0, 2));
	(vendors.PERSCOM.sim as PerscomSimulator).seedSample(samplePeople(0, 2));
});

afterAll(async () => {
	for (const vendor of Object.values(vendors)) await vendor.sim.stop();
});

describe.each(Object.keys(vendors))('%s credential', (name) => {
	const vendor = vendors[name];
	const data = (extra: ICredentialDataDecryptedObject = {}) => ({ ...vendor.data(bases[name]), ...extra });

	test('authenticate sends the key trimmed', async () => {
		for (const saved of [vendor.key, `${vendor.key}\n`, ` ${vendor.key} `, `${vendor.key}\r\n`]) {
			const options = await authenticated(vendor.type, withDefaults(vendor.type, data({ [vendor.secretField]: saved })), { url: '/x' });
			expect(vendor.sent(options)).toBe(vendor.expected(vendor.key));
		}
	});

	test('"Test connection" passes with the right key, also saved with a trailing newline or spaces', async () => {
		expect(await testConnection(vendor.type, data())).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(await testConnection(vendor.type, data({ [vendor.secretField]: `${vendor.key}\n` }))).toMatchObject({ status: 'OK' });
		expect(await testConnection(vendor.type, data({ [vendor.secretField]: `  ${vendor.key} ` }))).toMatchObject({ status: 'OK' });
	});

	test('"Test connection" fails with a wrong key, with a message that names the problem and not the key', async () => {
		const wrong = `wrong-${vendor.key.slice(0, 20)}-0000`;
		const result = await testConnection(vendor.type, data({ [vendor.secretField]: wrong }));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/HTTP 401/);
		expect(result.message).not.toContain(wrong);
		expect(result.message).not.toContain(vendor.key.slice(0, 12));
	});

	test('"Test connection" fails on an HTTP 200 carrying an error envelope', async () => {
		vendor.sim.failNext(1, { status: 200, body: vendor.errorEnvelope });
		const result = await testConnection(vendor.type, data());
		expect(result.status).toBe('Error');
		expect(result.message).not.toContain(vendor.key.slice(0, 12));
	});

	test('"Test connection" fails on an HTTP 200 that is not the API (an HTML page, an empty object)', async () => {
		vendor.sim.failNext(1, { status: 200, body: {} });
		expect(await testConnection(vendor.type, data())).toMatchObject({ status: 'Error' });
		vendor.sim.failNext(1, { status: 200, body: '<html>Welcome</html>' });
		expect(await testConnection(vendor.type, data())).toMatchObject({ status: 'Error' });
	});
});

describe('credential specifics', () => {
	test('Flashduty: a 200 Unauthorized envelope says the key was refused', async () => {
		vendors.Flashduty.sim.failNext(1, { status: 200, body: { request_id: 'R', error: { code: 'Unauthorized', message: 'You are unauthorized.' } } });
		expect(await testConnection(vendors.Flashduty.type, vendors.Flashduty.data(bases.Flashduty))).toEqual({
			status: 'Error',
			message: 'Flashduty refused the App Key (Unauthorized). Copy it again from Account → APP Keys.',
		});
	});

	test('Flxpoint: the test reads users, so a Source token (which may read the account) fails', async () => {
		const type = vendors.Flxpoint.type;
		expect(type.test?.request.url).toBe('/account/users');
		const result = await testConnection(type, { apiToken: FLXPOINT_SOURCE_TOKEN, baseUrl: bases.Flxpoint });
		expect(result).toEqual({ status: 'Error', message: expect.stringContaining('Only an Account API token can read users') as unknown as string });
		// The source token itself is valid: it may read the account, not the users.
		expect((await fetch(`${bases.Flxpoint}/account`, { headers: { 'X-API-TOKEN': FLXPOINT_SOURCE_TOKEN } })).status).toBe(200);
	});

	test('Flameup: the workspace path is tested when a Workspace ID is set', async () => {
		const sim = vendors.Flameup.sim;
		sim.clearLog();
		expect(await testConnection(vendors.Flameup.type, { apiKey: FLAMEUP_TEST_KEY, baseUrl: `${bases.Flameup}/`, workspaceId: 'simws01' })).toMatchObject({ status: 'OK' });
		expect(sim.requests.map((r) => `${r.path}?limit=${String(r.query.limit)}`)).toEqual(['/workspaces/simws01/people?limit=1']);
	});

	test('PERSCOM: 402 (no subscription) and 400 (bad version) have their own messages', async () => {
		const { type, sim } = vendors.PERSCOM;
		sim.failNext(1, { status: 402 });
		expect(await testConnection(type, vendors.PERSCOM.data(bases.PERSCOM))).toMatchObject({ status: 'Error', message: expect.stringContaining('Pro subscription') as unknown as string });
		expect(await testConnection(type, { ...vendors.PERSCOM.data(bases.PERSCOM), apiVersion: 'v9' })).toMatchObject({ status: 'Error', message: expect.stringContaining('V1 or V2') as unknown as string });
	});

	test('every rule message is a fixed text (no expression that could show a key)', () => {
		for (const vendor of Object.values(vendors)) {
			for (const rule of (vendor.type.test?.rules ?? []) as Rule[]) {
				expect(rule.properties.message).not.toMatch(/\{\{|\$credentials/);
				expect(rule.properties.message.length).toBeGreaterThan(20);
			}
		}
	});
});
