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

/** Waits until `targetMs` (a `nowMs()` time): a timer for whole milliseconds, then event-loop turns for the rest. */
export async function sleepUntil(targetMs: number): Promise<void> {
  for (;;) {
    const left = targetMs - nowMs();
    if (left <= 0.02) return;
    if (left >= 1) await new Promise<void>((resolve) => setTimeout(resolve, Math.floor(left)));
    else await yieldToEventLoop();
  }
}

/** Burns real CPU on this thread until `targetMs`. */
export function spinUntil(targetMs: number): void {
  while (nowMs() < targetMs) {
    /* busy */
  }
}
