import type { ItemPayload } from '../shared/helpers/parameters';
import { flameupPerson, type FlameupPerson, type FlameupPersonPayload } from './mapping';
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

/** The answer's entry for one sent person: by userId (external_id), else by email; never by position. */
function matchPerson(people: FlameupPerson[], payload: FlameupPersonPayload): number {
	const byId = people.findIndex((p) => p.external_id === payload.userId);
	if (byId >= 0 || !payload.email) return byId;
	return people.findIndex((p) => p.email?.toLowerCase() === payload.email);
}

/**
 * Each sent person's record and whether it was created, in the order sent, matched by key (userId,
 * else email), never by position; undefined for a person the answer does not list (the caller
 * reads it back).
 */
export function pairBatchAnswer(sent: FlameupPersonPayload[], answer: BatchAnswer): Array<{ created: boolean; person: FlameupPerson } | undefined> {
	const people = (answer.people ?? []).map((p) => flameupPerson(p));
	const flags = createdFlags(people, answer.created_count);
	return sent.map((payload) => {
		const at = matchPerson(people, payload);
		return at < 0 ? undefined : { created: flags[at], person: people[at] };
	});
}

/** Items that name the same person (the same userId), merged into one write; `indexes` are the items it serves. */
export interface MergedPerson {
	indexes: number[];
	payload: FlameupPersonPayload;
}

/**
 * Merges items with the same userId into one entry (later items' email and traits win, traits
 * merged), so one batch never writes a person twice; every merged item gets the result.
 */
export function mergeSamePerson(records: Array<ItemPayload<FlameupPersonPayload>>): MergedPerson[] {
	const byUserId = new Map<string, MergedPerson>();
	for (const { index, payload } of records) {
		const merged = byUserId.get(payload.userId);
		if (!merged) {
			byUserId.set(payload.userId, { indexes: [index], payload: { ...payload, traits: { ...payload.traits } } });
			continue;
		}
		merged.indexes.push(index);
		merged.payload = { ...merged.payload, ...payload, traits: { ...merged.payload.traits, ...payload.traits } };
	}
	return [...byUserId.values()];
}
