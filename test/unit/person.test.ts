import { readPersonInput } from '../../nodes/shared/person/input';
import { isoDate, splitName, unifiedPerson } from '../../nodes/shared/person/unified';
import { createdFlags } from '../../nodes/Flameup/batchAnswer';
import { unifiedFromFlameup } from '../../nodes/Flameup/mapping';

describe('unified person', () => {
	test('names split at the first space, emails lower-cased, empty fields dropped, IDs as strings', () => {
		expect(splitName('Ada King Lovelace')).toEqual({ firstName: 'Ada', lastName: 'King Lovelace' });
		expect(splitName('Cher')).toEqual({ firstName: 'Cher' });
		expect(unifiedPerson({ source: 'flashduty', id: 2476444212131, name: ' Ada  Lovelace ', email: 'ADA@X.IO', phone: '', createdAt: 1700000000 })).toEqual({
			source: 'flashduty',
			id: '2476444212131',
			name: 'Ada  Lovelace',
			firstName: 'Ada',
			lastName: 'Lovelace',
			email: 'ada@x.io',
			createdAt: '2023-11-14T22:13:20.000Z',
		});
	});

	test('dates: Unix seconds, milliseconds and ISO strings', () => {
		expect(isoDate(1700000000)).toBe('2023-11-14T22:13:20.000Z');
		expect(isoDate(1700000000000)).toBe('2023-11-14T22:13:20.000Z');
		expect(isoDate('2024-12-25T10:00:00Z')).toBe('2024-12-25T10:00:00.000Z');
		expect(isoDate('')).toBeUndefined();
	});

	test('Flameup raw → unified', () => {
		expect(
			unifiedFromFlameup({ id: 'uuid-1', external_id: 'u1', email: 'A@B.CO', first_name: 'Ann', last_name: 'Lee', status: 'active', attributes: {}, created_at: '2024-12-25T10:00:00Z' }),
		).toEqual({ source: 'flameup', id: 'uuid-1', externalId: 'u1', email: 'a@b.co', name: 'Ann Lee', firstName: 'Ann', lastName: 'Lee', status: 'active', createdAt: '2024-12-25T10:00:00.000Z' });
	});
});

describe('person input', () => {
	test('unified names win over vendor aliases; the ID is used only from the same vendor', () => {
		const aliases = { first_name: 'firstName', userId: 'externalId' } as const;
		expect(readPersonInput({ source: 'perscom', id: '7', first_name: 'X', firstName: 'Y', email: 'Q@Q.IO' }, 'flameup', aliases)).toEqual({ firstName: 'Y', email: 'q@q.io', name: 'Y' });
		expect(readPersonInput({ source: 'flameup', id: 'uuid', userId: 'u9', name: 'Ada Lovelace' }, 'flameup', aliases)).toEqual({
			id: 'uuid',
			externalId: 'u9',
			name: 'Ada Lovelace',
			firstName: 'Ada',
			lastName: 'Lovelace',
		});
	});
});

describe('Flameup created/updated split', () => {
	const p = (created: string, updated: string) => ({ id: created + updated, created_at: created, updated_at: updated });
	test('trusts created_at == updated_at when it matches the count, else the newest created_at', () => {
		expect(createdFlags([p('1', '1'), p('0', '2')], 1)).toEqual([true, false]);
		expect(createdFlags([p('2024-01-01', '2024-02-01'), p('2024-03-01', '2024-03-02')], 1)).toEqual([false, true]);
		expect(createdFlags([p('1', '2'), p('1', '2')], 0)).toEqual([false, false]);
		expect(createdFlags([p('1', '2')], 1)).toEqual([true]);
	});
});
