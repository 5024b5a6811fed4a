import type { FlameupPerson, FlameupPersonPayload } from './mapping';
import type { BatchAnswer } from './people';

/**
 * Which people of a batch answer were created. The API gives only counts; a person created by this
 * call has created_at == updated_at. When that does not add up to created_count, the newest
 * created_at values are taken as the created ones, so the split always matches the API's counts.
 */
export function createdFlags(people: FlameupPerson[], createdCount: number | undefined): boolean[] {
	const guess = people.map((p) => !!p.created_at && p.created_at === p.updated_at);
	if (createdCount === undefined) return guess;
	if (createdCount <= 0) return people.map(() => false);
	if (createdCount >= people.length) return people.map(() => true);
	if (guess.filter(Boolean).length === createdCount) return guess;
	const order = people
		.map((p, i) => ({ i, t: Date.parse(p.created_at ?? '') || 0 }))
		.sort((a, b) => b.t - a.t)
		.slice(0, createdCount)
		.map((x) => x.i);
	return people.map((_, i) => order.includes(i));
}

function matchPerson(people: FlameupPerson[], payload: FlameupPersonPayload, position: number): FlameupPerson | undefined {
	return (
		people.find((p) => p.external_id === payload.userId) ??
		(payload.email ? people.find((p) => p.email?.toLowerCase() === payload.email) : undefined) ??
		people[position]
	);
}

/** A person as sent, in Flameup's response shape, for a batch answer that does not list it. */
function sentPerson(payload: FlameupPersonPayload): FlameupPerson {
	const { traits } = payload;
	return { ...traits, id: '', external_id: payload.userId, email: payload.email, attributes: {} } as FlameupPerson;
}

/**
 * Each sent person's record and whether it was created, in the order sent. A person the answer
 * leaves out was still written (the call succeeded): it is given as sent, and the unmatched ones
 * get the created count the matched ones do not explain.
 */
export function pairBatchAnswer(sent: FlameupPersonPayload[], answer: BatchAnswer): Array<{ created: boolean; person: FlameupPerson }> {
	const people = answer.people ?? [];
	const flags = createdFlags(people, answer.created_count);
	const matched = sent.map((payload, position) => matchPerson(people, payload, position));
	let createdLeft = Math.max(0, (answer.created_count ?? 0) - matched.filter((p) => p && flags[people.indexOf(p)]).length);
	return sent.map((payload, position) => {
		const person = matched[position];
		if (person) return { created: flags[people.indexOf(person)], person };
		return { created: createdLeft-- > 0, person: sentPerson(payload) };
	});
}
