/** Splits a list into consecutive chunks of at most `size` (size < 1 is treated as 1). */
export function chunk<T>(list: readonly T[], size: number): T[][] {
	const step = Math.max(1, Math.floor(size));
	const out: T[][] = [];
	for (let i = 0; i < list.length; i += step) out.push(list.slice(i, i + step));
	return out;
}

/** Distinct values in first-seen order. */
export function unique<T>(list: readonly T[]): T[] {
	return [...new Set(list)];
}
