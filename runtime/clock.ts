/**
 * One clock for the job master and every worker: epoch ms with sub-ms resolution. Worker threads share the
 * process's `performance.timeOrigin`, so timestamps taken in different workers compare directly.
 */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Lets the event loop run (messages, timers) before continuing. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Timers fire about 1 ms late (more under load): a sleep's timer is set this much early, at most... */
const MAX_MARGIN_MS = 2;
/** ...and at most this share of the wait, which is the most a sleep spends in event-loop turns. */
const MAX_MARGIN_SHARE = 0.25;

/**
 * The longest delay Node's timers take (2^31 − 1 ms, about 24.8 days); a longer one fires at once with a
 * TimeoutOverflowWarning. Longer waits are made of several timers of at most this length.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** setTimeout for `delayMs`, capped at MAX_TIMER_MS (callers whose target lies further re-arm when it fires). */
export function cappedTimeout(callback: () => void, delayMs: number): ReturnType<typeof setTimeout> {
  return setTimeout(callback, Math.min(Math.max(0, Math.floor(delayMs)), MAX_TIMER_MS));
}

/**
 * Waits until `targetMs` (a `nowMs()` time): a timer that fires min(2 ms, a quarter of the wait) early, then
 * event-loop turns up to the target, so that emulated work ends within a few hundredths of a millisecond of its
 * target while other subtasks of the worker keep running.
 */
export async function sleepUntil(targetMs: number): Promise<void> {
  const margin = Math.min(MAX_MARGIN_MS, MAX_MARGIN_SHARE * (targetMs - nowMs()));
  for (;;) {
    const left = targetMs - nowMs();
    if (left <= 0.02) return;
    if (left - margin >= 1) await new Promise<void>((resolve) => cappedTimeout(resolve, left - margin));
    else await yieldToEventLoop();
  }
}

/** Burns real CPU on this thread until `targetMs`. */
export function spinUntil(targetMs: number): void {
  while (nowMs() < targetMs) {
    /* busy */
  }
}
