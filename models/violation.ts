/** One broken constraint, in words. Validators return all of them; an empty list means valid. */
export interface Violation {
  /** Constraint family: `assignment`, `slot-capacity`, `precedence`, `memory`, ... */
  readonly constraint: string;
  readonly message: string;
  /** Subtasks, jobs or tasks involved. */
  readonly subjects?: readonly string[];
  /** Slot or TaskManager involved. */
  readonly where?: string;
  /** By how much the constraint is broken, in the constraint's unit. */
  readonly amount?: number;
}

export function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(6)));
}

/** Max number of simultaneously active items (and their summed weight) from [start, end) intervals. */
export function peakConcurrency(
  intervals: ReadonlyArray<{ readonly startMs: number; readonly endMs: number; readonly weight: number }>,
  tolerance: number,
): { count: number; weight: number; atMs: number } {
  const events: Array<[number, number, number]> = [];
  for (const iv of intervals) {
    if (iv.endMs - iv.startMs <= tolerance) continue; // zero-length work occupies nothing
    events.push([iv.startMs, 1, iv.weight], [iv.endMs - tolerance, -1, -iv.weight]);
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let count = 0;
  let weight = 0;
  let best = { count: 0, weight: 0, atMs: 0 };
  for (const [t, dc, dw] of events) {
    count += dc;
    weight += dw;
    if (count > best.count || weight > best.weight) best = { count: Math.max(count, best.count), weight: Math.max(weight, best.weight), atMs: t };
  }
  return best;
}
