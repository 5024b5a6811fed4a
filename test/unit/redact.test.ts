import { FRAGMENT_LENGTH, REDACTED, Redactor } from '../../nodes/shared/engine/redact';

const KEY = 'ws_live_ab12.' + '0123456789abcdef'.repeat(4); // 77 characters
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** The redacted text holds no 12-character piece of the secret (in the form given). */
function leaks(text: string, secret: string): string[] {
	const found: string[] = [];
	for (let i = 0; i + FRAGMENT_LENGTH <= secret.length; i++) {
		const piece = secret.slice(i, i + FRAGMENT_LENGTH);
		if (text.includes(piece)) found.push(piece);
	}
	return found;
}

describe('Redactor: every form of a secret', () => {
	const redactor = new Redactor([KEY]);

	test('as saved', () => {
		expect(redactor.text(`Bearer ${KEY} refused`)).toBe(`Bearer ${REDACTED} refused`);
	});

	test('trimmed: a key saved with a trailing newline or space is also found without it', () => {
		const saved = new Redactor([`${KEY}\n`]);
		expect(saved.text(`key "${KEY}" is invalid`)).toBe(`key "${REDACTED}" is invalid`);
		expect(new Redactor([`  ${KEY} `]).text(`[${KEY}]`)).toBe(`[${REDACTED}]`);
	});

	test('URL-encoded: encodeURIComponent, lower-case escapes, + for spaces, form encoding', () => {
		const secret = "pa ss/wo+rd:it's(ok)~*!";
		const r = new Redactor([secret]);
		const encoded = encodeURIComponent(secret);
		expect(r.text(`?x=${encoded}`)).toBe(`?x=${REDACTED}`);
		expect(r.text(`?x=${encoded.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())}`)).toBe(`?x=${REDACTED}`);
		expect(r.text(`?x=${encoded.replace(/%20/g, '+')}`)).toBe(`?x=${REDACTED}`);
		expect(r.text(`?x=${new URLSearchParams({ v: secret }).toString().slice(2)}`)).toBe(`?x=${REDACTED}`);
		expect(r.text(`x=${encoded.replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())}`)).toBe(`x=${REDACTED}`);
	});

	test('JSON-escaped: the inside of JSON.stringify(secret), once and twice', () => {
		const secret = 'k"ey\\with\nspecials\t0123';
		const r = new Redactor([secret]);
		expect(r.text(JSON.stringify({ key: secret }))).toBe(`{"key":"${REDACTED}"}`);
		expect(r.text(JSON.stringify(JSON.stringify({ key: secret })))).toBe(JSON.stringify(`{"key":"`).slice(0, -1) + REDACTED + JSON.stringify(`"}`).slice(1));
	});

	test('base64, standard and URL-safe, of the secret alone and inside a longer base64 text', () => {
		const secret = 'sk>>??~~0123456789';
		const r = new Redactor([secret]);
		expect(r.text(`token ${b64(secret)} end`)).toBe(`token ${REDACTED} end`);
		expect(r.text(`token ${b64url(secret)} end`)).toBe(`token ${REDACTED} end`);
		for (const user of ['u', 'us', 'usr']) {
			const basic = b64(`${user}:${secret}`);
			expect(leaks(r.text(`Basic ${basic}`), basic.slice(4))).toEqual([]);
		}
	});

	test('short secrets (4 to 11 characters) are matched whole in each form; shorter ones are ignored', () => {
		const r = new Redactor(['s3cr:t', 'abc', '  ab  ']);
		expect(r.text('x s3cr:t y s3cr%3At z czNjcjp0')).toBe(`x ${REDACTED} y ${REDACTED} z ${REDACTED}`);
		expect(r.text('abc and ab stay')).toBe('abc and ab stay');
		// No fragment rule below 12 characters: half of a short secret stays.
		expect(r.text('s3cr')).toBe('s3cr');
	});
});

describe('Redactor: fragments of 12 characters or more', () => {
	const redactor = new Redactor([KEY]);

	test('at the start, in the middle and at the end of the secret', () => {
		expect(redactor.text(`cut: ${KEY.slice(0, 12)}…`)).toBe(`cut: ${REDACTED}…`);
		expect(redactor.text(`echo ${KEY.slice(20, 50)} echo`)).toBe(`echo ${REDACTED} echo`);
		expect(redactor.text(`…${KEY.slice(-12)}`)).toBe(`…${REDACTED}`);
		expect(redactor.text(`…${KEY.slice(-13)}!`)).toBe(`…${REDACTED}!`);
	});

	test('the whole run covered by overlapping windows is replaced, not only 12 characters of it', () => {
		const text = `a ${KEY.slice(3, 40)}${KEY.slice(50)} b`;
		expect(redactor.text(text)).toBe(`a ${REDACTED} b`);
	});

	test('a fragment of 11 characters is not a secret; ordinary text around fragments stays', () => {
		expect(redactor.text(`x ${KEY.slice(5, 16)} y`)).toBe(`x ${KEY.slice(5, 16)} y`);
	});

	test('fragments of an encoded form too (half a URL-encoded key)', () => {
		const secret = 'a/b/c/d/e/f/g/h/i/j/k';
		const encoded = encodeURIComponent(secret);
		expect(new Redactor([secret]).text(`?x=${encoded.slice(6, 30)}`)).toBe(`?x=${REDACTED}`);
	});
});

describe('Redactor: several secrets, special characters, query parameters', () => {
	test('overlapping and adjacent secrets are removed whole', () => {
		const a = 'AAAABBBBCCCCDDDD';
		const b = 'CCCCDDDDEEEEFFFF';
		const r = new Redactor([a, b]);
		expect(r.text(`x AAAABBBBCCCCDDDDEEEEFFFF y`)).toBe(`x ${REDACTED} y`);
		expect(r.text(`x ${a}${b} y`)).toBe(`x ${REDACTED} y`);
		expect(r.text(`x ${a} ${b} y`)).toBe(`x ${REDACTED} ${REDACTED} y`);
		const inner = new Redactor(['0123456789abcdefXYZ', '56789abcdefX']);
		expect(inner.text('[0123456789abcdefXYZ]')).toBe(`[${REDACTED}]`);
	});

	test('regular-expression metacharacters and quotes in a secret', () => {
		const secret = `.*+?^\${}()|[]\\"'/key-0001`;
		const r = new Redactor([secret]);
		expect(r.text(`key ${secret} end`)).toBe(`key ${REDACTED} end`);
		expect(r.text(JSON.stringify({ secret }))).toBe(`{"secret":"${REDACTED}"}`);
		expect(r.text(`u?x=${encodeURIComponent(secret)}`)).toBe(`u?x=${REDACTED}`);
		expect(r.text('.*+?^ ordinary')).toBe('.*+?^ ordinary');
	});

	test('app_key=-style query values are redacted, also JSON-escaped or URL-encoded URLs', () => {
		const r = new Redactor([], ['app_key']);
		expect(r.text('https://x/member/list?app_key=anything&p=1')).toBe(`https://x/member/list?app_key=${REDACTED}&p=1`);
		expect(r.text('GET /a?p=1&TOKEN=abc#top')).toBe(`GET /a?p=1&TOKEN=${REDACTED}#top`);
		expect(r.text('"url":"https://x/y?p=1\\u0026app_key=abc\\u0026q=2"')).toBe(`"url":"https://x/y?p=1\\u0026app_key=${REDACTED}\\u0026q=2"`);
		expect(r.text('next=https%3A%2F%2Fx%2Fy%3Fapp_key%3Dabc%26q%3D2')).toBe(`next=https%3A%2F%2Fx%2Fy%3Fapp_key%3D${REDACTED}%26q%3D2`);
		expect(r.text('monkey=banana ?keys=1')).toBe('monkey=banana ?keys=1');
	});

	test('ordinary text is left alone', () => {
		const r = new Redactor([KEY, 'fd0c3b7c3b7c3b7c3b7', undefined], ['app_key']);
		const text = 'Flashduty refused the request (HTTP 401 Unauthorized): check the App Key. Item 3, member ada@example.com, id 2476444212131.';
		expect(r.text(text)).toBe(text);
		expect(r.value({ n: 5, ok: true, nothing: null, list: ['a', 'b'] })).toEqual({ n: 5, ok: true, nothing: null, list: ['a', 'b'] });
	});
});

describe('Redactor.value', () => {
	test('nested strings and object keys are redacted, the input is not changed', () => {
		const r = new Redactor([KEY]);
		const input = { a: [`x${KEY}`], b: { c: KEY.slice(10, 40) }, [KEY]: 1, n: 5 };
		expect(r.value(input)).toEqual({ a: [`x${REDACTED}`], b: { c: REDACTED }, [REDACTED]: 1, n: 5 });
		expect(input.a[0]).toBe(`x${KEY}`);
	});

	test('a 5 KB object: every copy of the key is gone, quickly', () => {
		const secrets = [`${KEY}\n`, 'fd0' + 'c3b7'.repeat(7) + 'e1'];
		const r = new Redactor(secrets, ['app_key']);
		const records = Array.from({ length: 30 }, (_, i) => ({
			id: 1000 + i,
			name: `Person number ${i}`,
			email: `person${i}@example.com`,
			url: i % 5 === 0 ? `https://api.example.com/member/list?app_key=${encodeURIComponent(secrets[1])}&p=${i}` : `https://api.example.com/people/${i}`,
			note: i % 7 === 0 ? `echoed ${KEY.slice(i, i + 30)}` : 'nothing to see here',
			auth: i % 9 === 0 ? b64(KEY) : undefined,
		}));
		const input = { request_id: 'r-1', data: { items: records, total: records.length } };
		const size = JSON.stringify(input).length;
		expect(size).toBeGreaterThan(4500);
		expect(size).toBeLessThan(8000);

		const out = r.value(input);
		const said = JSON.stringify(out);
		expect(leaks(said, KEY)).toEqual([]);
		expect(leaks(said, b64(KEY))).toEqual([]);
		expect(said).not.toContain(secrets[1]);
		expect(out.data.items[1]).toEqual(records[1]);

		const runs = 200;
		const started = process.hrtime.bigint();
		for (let i = 0; i < runs; i++) r.value(input);
		const msPerCall = Number(process.hrtime.bigint() - started) / 1e6 / runs;
		// Typically well under 1 ms; the bound only catches a pathological slowdown.
		expect(msPerCall).toBeLessThan(20);
	});
});
