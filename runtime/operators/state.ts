import type { StateRescaling } from './types.ts';

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

/**
 * `rescaleState` of a replayable source: its offsets belong to its subtasks' shares of the input (a generator's value
 * range, a text source's lines), Flink's splits, so a source keeps its parallelism across a rescale and each subtask
 * its offset. Another parallelism would need the splits reassigned: refused, naming the operator.
 */
export function keepSourceOffsets(states: ReadonlyArray<unknown>, to: StateRescaling): unknown[] {
  if (to.toParallelism !== to.fromParallelism)
    throw new Error(`source "${to.operatorId}" cannot be rescaled from ${to.fromParallelism} to ${to.toParallelism} with its offsets (each offset belongs to its subtask's share of the input); keep its parallelism`);
  return [...states];
}
