import type { IDataObject } from 'n8n-workflow';

import type { VendorClient } from '../engine/request';
import type { UnifiedPerson } from '../person/unified';

/** How one vendor turns its raw records into unified people and finds them again by key. */
export interface PersonCodec<Raw extends IDataObject = IDataObject> {
	toUnified(raw: Raw): UnifiedPerson;
}

/**
 * Reads records by key (an ID, or an email where the vendor can look one up). Returns what it
 * found, keyed by the key exactly as asked (emails lower-cased); keys not found are absent.
 * Vendors with a batch read chunk to their maximum here; the others fan out through the throttle.
 */
export type ReadByKeys<Raw> = (client: VendorClient, keys: string[]) => Promise<Map<string, Raw>>;

export interface UpsertRecord<Payload> {
	/** Input item index. */
	index: number;
	payload: Payload;
}

export type UpsertOutcome<Raw> =
	| { index: number; action: 'created' | 'updated'; record: Raw }
	| { index: number; error: Error };




