/**
 * Realistic sample people for seeding simulators: deterministic (seeded), with overlapping emails
 * across vendors when asked, so sync workflows both create and update.
 */
const FIRST = ['Ada', 'Grace', 'Alan', 'Katherine', 'Linus', 'Margaret', 'Dennis', 'Barbara', 'Ken', 'Frances', 'Edsger', 'Radia', 'Donald', 'Hedy', 'John', 'Anita', 'Tim', 'Shafi', 'Guido', 'Sophie', 'Bjarne', 'Joan', 'Yukihiro', 'Carol', 'James', 'Lynn', 'Niklaus', 'Mary', 'Brian', 'Susan'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Johnson', 'Torvalds', 'Hamilton', 'Ritchie', 'Liskov', 'Thompson', 'Allen', 'Dijkstra', 'Perlman', 'Knuth', 'Lamarr', 'McCarthy', 'Borg', 'Berners-Lee', 'Goldwasser', 'van Rossum', 'Wilson', 'Stroustrup', 'Clarke', 'Matsumoto', 'Shaw', 'Gosling', 'Conway', 'Wirth', 'Keller', 'Kernighan', 'Kare'];
const TIMEZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Shanghai', 'Europe/London', 'America/Los_Angeles', 'Asia/Tokyo'];
const LOCALES = ['en-US', 'zh-CN', 'en-US', 'de-DE', 'en-GB'];

export interface SamplePerson {
	n: number;
	firstName: string;
	lastName: string;
	name: string;
	email: string;
	phone: string;
	timezone: string;
	locale: string;
}

/** Person number n (0-based): the same n gives the same person in every simulator. */
export function samplePerson(n: number, domain = 'example.com'): SamplePerson {
	const firstName = FIRST[n % FIRST.length];
	const lastName = LAST[Math.floor(n / FIRST.length) % LAST.length];
	const slug = `${firstName}.${lastName}`.toLowerCase().replace(/[^a-z.]/g, '');
	return {
		n,
		firstName,
		lastName,
		name: `${firstName} ${lastName}`,
		email: `${slug}${n >= FIRST.length * LAST.length ? n : ''}@${domain}`,
		phone: `+1555${String(1000000 + n).slice(-7)}`,
		timezone: TIMEZONES[n % TIMEZONES.length],
		locale: LOCALES[n % LOCALES.length],
	};
}

export function samplePeople(from: number, count: number, domain?: string): SamplePerson[] {
	return Array.from({ length: count }, (_, i) => samplePerson(from + i, domain));
}
