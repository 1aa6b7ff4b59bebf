import type { OperatorContext } from './context.ts';
import type { ParamReader } from './params.ts';
import type { Output } from './types.ts';

/** `params.ratePerSecond` of a source, checked (a number > 0), or undefined: unlimited. */
export function readRatePerSecond(r: ParamReader): number | undefined {
  return r.optionalNumber('ratePerSecond', { positive: true });
}

/** How far (in seconds of model time) a rate-limited source that fell behind its schedule may catch up at once. */
const MAX_BURST_SECONDS = 1;

/**
 * A source's rate limit, `params.ratePerSecond`: the records per second (of model time: wall = model × time scale) all
 * subtasks of the source together emit at most, each subtask R / parallelism, as Flink's `DataGeneratorSource` with
 * `RateLimiterStrategy.perSecond(R)` divides its rate over the source readers. Like that limiter (Guava's smooth
 * bursty `RateLimiter`), it paces by the wall clock: the records of a `produce` call are due one 1/rate after another
 * from the subtask's first call, and the call waits (emulated work, `ctx.work`: the wait counts as the source's busy
 * time) until its last record is due, so the time the subtask spends emitting and sending is inside the schedule, not
 * added to it, and the rate holds while the subtask keeps up. One held back (back-pressured, or by a busy core) catches
 * up at most MAX_BURST_SECONDS of records at once (Guava's stored permits). A restored subtask starts a new schedule
 * at the same rate, so it replays at the rate it ran at.
 */
export function rateLimited(
  ctx: OperatorContext,
  /** Records the subtask has left to emit. */
  remaining: () => number,
  emit: (out: Output, maxRecords: number) => boolean,
): (out: Output, maxRecords: number) => boolean | Promise<boolean> {
  const ratePerSecond = ctx.params['ratePerSecond'] as number | undefined;
  if (ratePerSecond === undefined) return emit;
  const wallMsPerRecord = ((1000 * ctx.parallelism) / ratePerSecond) * ctx.timeScaleMsPerUnit;
  const maxBurstMs = 1000 * MAX_BURST_SECONDS * ctx.timeScaleMsPerUnit;
  /** When the records emitted so far are due (this thread's performance clock); undefined before the first call. */
  let dueAt: number | undefined;
  return (out, maxRecords) => {
    const now = performance.now();
    dueAt = Math.max(dueAt ?? now, now - maxBurstMs) + wallMsPerRecord * Math.min(maxRecords, remaining());
    const wait = dueAt > now ? ctx.work(dueAt - now, 'emulated') : undefined;
    return wait === undefined ? emit(out, maxRecords) : wait.then(() => emit(out, maxRecords));
  };
}
