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

/** Sleeps of at least this many ms end with event-loop turns rather than a timer (timers fire up to ~2 ms late). */
const PRECISE_SLEEP_MS = 10;
const PRECISE_MARGIN_MS = 2;

/**
 * Waits until `targetMs` (a `nowMs()` time). Short waits: a timer for the whole milliseconds, then event-loop turns
 * for the fraction. Long waits (>= 10 ms): a timer that fires 2 ms early, then event-loop turns up to the target,
 * so that long emulated work ends within a few hundredths of a millisecond of its target.
 */
export async function sleepUntil(targetMs: number): Promise<void> {
  const margin = targetMs - nowMs() >= PRECISE_SLEEP_MS ? PRECISE_MARGIN_MS : 0;
  for (;;) {
    const left = targetMs - nowMs();
    if (left <= 0.02) return;
    if (left - margin >= 1) await new Promise<void>((resolve) => setTimeout(resolve, Math.floor(left - margin)));
    else await yieldToEventLoop();
  }
}

/** Burns real CPU on this thread until `targetMs`. */
export function spinUntil(targetMs: number): void {
  while (nowMs() < targetMs) {
    /* busy */
  }
}
