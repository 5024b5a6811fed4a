/**
 * At most `max` requests of one API key in flight at once, across every execution of every node in
 * this n8n process that uses the key (as the rate limiter is shared). Callers past the cap wait
 * their turn in the order they came; a finished request hands its place to the next in line.
 */
export class InFlightLimit {
	private active = 0;

	private readonly waiting: Array<() => void> = [];

	/** The places open now: `max`, or fewer while the key is seen shared with other clients (`narrow`). */
	private cap: number;

	constructor(readonly max: number) {
		this.cap = max;
	}

	/** Waits for a place; the caller must `leave()` when its request is answered (or failed). */
	async enter(): Promise<void> {
		if (this.active < this.cap) {
			this.active++;
			return;
		}
		await new Promise<void>((resolve) => this.waiting.push(resolve));
	}

	leave(): void {
		const next = this.active <= this.cap ? this.waiting.shift() : undefined;
		if (next) next();
		else this.active--;
	}

	/**
	 * One place only while `shared` (other clients use the key: the requests in flight when the
	 * server's count runs out would all be refused), all `max` otherwise.
	 */
	narrow(shared: boolean): void {
		this.cap = shared ? 1 : this.max;
		while (this.active < this.cap && this.waiting.length > 0) {
			this.active++;
			this.waiting.shift()?.();
		}
	}
}

const limits = new Map<string, InFlightLimit>();

/** The in-flight limit of one API key (a hash, never the secret), shared like its rate limiter. */
export function inFlightFor(key: string, max: number): InFlightLimit {
	let limit = limits.get(key);
	if (!limit) {
		limit = new InFlightLimit(max);
		limits.set(key, limit);
	}
	return limit;
}
