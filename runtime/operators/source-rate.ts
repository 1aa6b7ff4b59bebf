import type { OperatorContext } from './context.ts';
import type { ParamReader } from './params.ts';
import type { Output } from './types.ts';

/** `params.ratePerSecond` of a source, checked (a number > 0), or undefined: unlimited. */
export function readRatePerSecond(r: ParamReader): number | undefined {
  return r.optionalNumber('ratePerSecond', { positive: true });
}

/** The shortest wait a rate-limited source pays at once (the emulated work account sleeps no less: cpu.ts MIN_SLEEP_MS). */
const MIN_WAIT_MS = 1;
/**
 * How far behind its schedule (wall ms) a rate-limited source still catches up: what the host takes from a thread (a
 * wait for one of the cores, a late timer: up to Linux's scheduling period, 12 ms on 2 cores). A source held back for
 * longer, by back-pressure, resumes at its rate from where it is instead of bursting.
 */
const MAX_CATCH_UP_MS = 20;

/**
 * A source's rate limit, `params.ratePerSecond`: the records per second (of model time: wall = model × time scale) all
 * subtasks of the source together emit at most, each subtask R / parallelism, as Flink's `DataGeneratorSource` with
 * `RateLimiterStrategy.perSecond(R)` divides its rate over the source readers. Like that limiter (Guava's
 * `RateLimiter`), it paces by the wall clock: the records of a `produce` call are due one 1/rate after another, and
 * the call waits (emulated work, `ctx.work`: the wait counts as the source's busy time) until its last record is due,
 * so the time the subtask spends emitting and sending is inside the schedule, not added to it, and the rate holds
 * while the subtask keeps up. Unlike Guava's (up to 1 s of stored permits), a subtask held back for longer than
 * MAX_CATCH_UP_MS (back-pressured) does not burst to catch up: it resumes at its rate from where it is. A restored
 * subtask starts a new schedule at the same rate, so it replays at the rate it ran at.
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
  /** When the records emitted so far are due (this thread's performance clock); undefined before the first call. */
  let dueAt: number | undefined;
  return (out, maxRecords) => {
    const now = performance.now();
    const callMs = wallMsPerRecord * Math.min(maxRecords, remaining());
    dueAt = Math.max(dueAt ?? now, now - Math.max(callMs, MAX_CATCH_UP_MS)) + callMs;
    // a wait under a millisecond is not paid now (timers are not finer): the schedule keeps it, and the next call's
    // wait, a millisecond or more, holds it too (paid through `ctx.work` it would be counted twice: the account keeps
    // small amounts as a debt for later as well)
    const waitMs = dueAt - now;
    const wait = waitMs >= MIN_WAIT_MS ? ctx.work(waitMs, 'emulated') : undefined;
    return wait === undefined ? emit(out, maxRecords) : wait.then(() => emit(out, maxRecords));
  };
}
