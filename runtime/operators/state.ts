/**
 * Encoding of operator snapshots as JSON (checkpoints are JSON files): numbers that JSON cannot hold (±Infinity,
 * NaN: an ended channel's event time, a window that fired everything) travel as strings, and a restored state is
 * checked before an operator trusts it.
 */

/** A replayable source's position: the next record it emits (a line number, a generator value). */
export interface SourceOffset {
  readonly offset: number;
}

/** The offset in a restored source state, within the subtask's share [from, to]; `from` when starting fresh. */
export function restoredOffset(state: unknown, from: number, to: number): number {
  if (state === undefined) return from;
  const offset = (state as Partial<SourceOffset> | null)?.offset;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < from || offset > to)
    throw new Error(`restored source state ${JSON.stringify(state)} is not an offset within [${from}, ${to}]`);
  return offset;
}

/** A number as JSON: ±Infinity and NaN as strings. */
export function encodeNumber(x: number): number | string {
  return Number.isFinite(x) ? x : String(x);
}

export function decodeNumber(x: unknown): number {
  if (typeof x === 'number') return x;
  if (x === 'Infinity') return Number.POSITIVE_INFINITY;
  if (x === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (x === 'NaN') return Number.NaN;
  throw new Error(`restored state holds ${JSON.stringify(x)} where a number belongs`);
}
