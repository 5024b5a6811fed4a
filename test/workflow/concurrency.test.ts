import { samplePeople } from '../../simulators/core/people';
import { FLAMEUP_TEST_KEY, FlameupSimulator } from '../../simulators/flameup';
import { FLASHDUTY_TEST_KEY, FlashdutySimulator } from '../../simulators/flashduty';
import { PERSCOM_TEST_KEY, PerscomSimulator } from '../../simulators/perscom';
import { runWorkflow } from './harness';
import { FLASHDUTY_MAX_IN_FLIGHT } from '../../nodes/Flashduty/api';

/**
 * Requests in flight together: each simulator answers after a delay (as a distant server would) and
 * counts the requests it is handling at once. Work that allows it keeps up to the key's cap (8) in
 * flight, never more; the request count stays at the minimum; outputs keep input order, each paired
 * with its own item; two writes to the same record stay one after the other.
 */

const CAP = 8;
const LATENCY_MS = 40;

const perscom = new PerscomSimulator();
const flameup = new FlameupSimulator();
const flashduty = new FlashdutySimulator();
let urls: { perscom: string; flameup: string; flashduty: string };

beforeAll(async () => {
	const [p, f, d] = await Promise.all([perscom.start(), flameup.start(), flashduty.start()]);
	urls = { perscom: p, flameup: f, flashduty: d };
});
afterAll(async () => await Promise.all([perscom.stop(), flameup.stop(), flashduty.stop()]));
beforeEach(() => {
	perscom.reset();
	perscom.rateLimits = [{ limit: 1000, intervalMs: 60_000 }];
	flameup.people.clear();
	flameup.resetRateLimits();
	flashduty.members.clear();
	flashduty.invitedToday.clear();
	flashduty.resetRateLimits();
	for (const sim of [perscom, flameup, flashduty]) {
		sim.latencyMs = LATENCY_MS;
		sim.clearLog();
	}
});

const paired = (out: Array<{ pairedItem?: unknown }>) => out.map((o) => (o.pairedItem as { item: number }).item);

test('PERSCOM Get of 1,500 items: 15 searches of 100, several at once and never more than 8; one output per item, in item order', async () => {
	const users = perscom.seedSample(samplePeople(0, 1500));
	perscom.clearLog();
	// Items in another order than the users were created: outputs follow the items, not the answers.
	const items = users.map((u) => ({ key: u.id })).reverse();
	const result = await runWorkflow({
		items,
		nodes: [{ name: 'PERSCOM', type: 'perscom', credentials: ['perscomApi'], parameters: { resource: 'user', operation: 'get', id: '={{ $json.key }}' } }],
		credentials: { perscomApi: { apiKey: PERSCOM_TEST_KEY, baseUrl: urls.perscom, requestsPerMinute: '1000' } },
	});
	expect(result.error).toBeUndefined();
	expect(perscom.requests).toHaveLength(15);
	expect(perscom.peakInFlight).toBeGreaterThan(1);
	expect(perscom.peakInFlight).toBeLessThanOrEqual(CAP);
	const out = result.output.PERSCOM;
	expect(out.map((o) => String(o.json.id))).toEqual(items.map((i) => String(i.key)));
	expect(paired(out)).toEqual(items.map((_, i) => i));
});

test('Flameup Create or Update Many of 1,200 people: 12 batches, several at once, never more than 8; each output paired with its own item by key', async () => {
	const people = samplePeople(0, 1200).map((p) => ({ externalId: `c-${p.n}`, email: p.email, firstName: p.firstName }));
	const result = await runWorkflow({
		items: people,
		nodes: [{ name: 'Flameup', type: 'flameup', credentials: ['flameupApi'], parameters: { resource: 'person', operation: 'batchUpsert' } }],
		credentials: { flameupApi: { apiKey: FLAMEUP_TEST_KEY, baseUrl: urls.flameup } },
	});
	expect(result.error).toBeUndefined();
	expect(flameup.requests.filter((r) => r.path === '/people/batch')).toHaveLength(12);
	expect(flameup.peakInFlight).toBeGreaterThan(1);
	expect(flameup.peakInFlight).toBeLessThanOrEqual(CAP);
	const out = result.output.Flameup;
	expect(out.map((o) => [o.json.externalId, o.json.action])).toEqual(people.map((p) => [p.externalId, 'created']));
	expect(paired(out)).toEqual(people.map((_, i) => i));
	expect(flameup.people.size).toBe(1200);
});

test('PERSCOM Get Many of 1,000 users: the first page, then the other 9 at once (10 requests, the minimum), every user once', async () => {
	perscom.seedSample(samplePeople(0, 1000));
	perscom.clearLog();
	const result = await runWorkflow({
		items: [{}],
		nodes: [{ name: 'PERSCOM', type: 'perscom', credentials: ['perscomApi'], parameters: { resource: 'user', operation: 'getAll', returnAll: true } }],
		credentials: { perscomApi: { apiKey: PERSCOM_TEST_KEY, baseUrl: urls.perscom, requestsPerMinute: '1000' } },
	});
	expect(result.error).toBeUndefined();
	expect(perscom.requests.map((r) => r.query.page)).toEqual(expect.arrayContaining(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']));
	expect(perscom.requests).toHaveLength(10);
	// The first page alone (it tells the total), then up to 7 ahead.
	expect(perscom.requests[0].query.page).toBe('1');
	expect(perscom.peakInFlight).toBeGreaterThan(1);
	expect(perscom.peakInFlight).toBeLessThanOrEqual(CAP);
	const ids = result.output.PERSCOM.map((o) => o.json.id);
	expect(new Set(ids).size).toBe(1000);
});

test('Flashduty: members are updated in parallel, but two items naming the same member update it one after the other, in item order', async () => {
	const seeded = flashduty.seedSample(samplePeople(0, 12));
	flashduty.clearLog();
	const items = [
		...seeded.map((m) => ({ email: m.email, timezone: 'Europe/Paris' })),
		// The same member again, later in the input: its update must reach Flashduty after the first one.
		{ email: seeded[0].email, timezone: 'Asia/Tokyo' },
	];
	const result = await runWorkflow({
		items,
		nodes: [{ name: 'Flashduty', type: 'flashduty', credentials: ['flashdutyApi'], parameters: { resource: 'member', operation: 'batchUpsert', options: { skipUnchanged: false } } }],
		credentials: { flashdutyApi: { appKey: FLASHDUTY_TEST_KEY, baseUrl: urls.flashduty } },
	});
	expect(result.error).toBeUndefined();
	expect(result.output.Flashduty.map((o) => o.json.action)).toEqual(items.map(() => 'updated'));
	expect(paired(result.output.Flashduty)).toEqual(items.map((_, i) => i));
	const resets = flashduty.requests.filter((r) => r.path === '/member/info/reset');
	expect(resets).toHaveLength(13);
	expect(flashduty.peakInFlight).toBeGreaterThan(1);
	expect(flashduty.peakInFlight).toBeLessThanOrEqual(FLASHDUTY_MAX_IN_FLIGHT);
	const forFirst = resets.filter((r) => (r.body as { member_id: number }).member_id === seeded[0].member_id);
	expect(forFirst.map((r) => ((r.body as { updates: { time_zone: string } }).updates.time_zone))).toEqual(['Europe/Paris', 'Asia/Tokyo']);
	// The second arrived only after the first was answered.
	expect(forFirst[1].at - forFirst[0].at).toBeGreaterThanOrEqual(LATENCY_MS - 5);
	expect(flashduty.members.get(seeded[0].member_id)?.time_zone).toBe('Asia/Tokyo');
});
