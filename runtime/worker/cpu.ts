import { nowMs, sleepUntil, spinUntil, yieldToEventLoop } from '../clock.ts';
import type { CostKind } from '../operators/context.ts';

/**
 * A TaskManager's emulated CPU cores. Under `shared` the subtasks of a TaskManager share `coreCount` cores (max(1, ⌊cpuCores⌋)):
 * emulated work holds one core while it lasts, and waits (first come, first served) when all are taken. Under
 * `exclusive` and `sequenced` every slot is its own processor, so there is no limit (cores = Infinity).
 */
export class EmulatedCores {
  private busy = 0;
  private readonly queue: Array<() => void> = [];

  constructor(readonly cores: number) {}

  acquire(): Promise<void> | undefined {
    if (this.busy < this.cores) {
      this.busy++;
      return undefined;
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.busy--;
  }
}

/** Real CPU work is burnt in slices of this many ms, with the event loop run in between (messages, credits). */
const CPU_SLICE_MS = 4;
/** Emulated work below this many ms is accumulated rather than slept (timers are not finer). */
const MIN_SLEEP_MS = 1;

/**
 * One subtask's work account: pays `work(ms, cost)` calls. Emulated work is slept on one emulated core; amounts
 * below a millisecond accumulate, and a timer's overshoot is credited against the next payment, so per-record
 * costs keep their average rate. CPU work spins on this thread.
 */
export class WorkAccount {
  private debtMs = 0;
  cpuWaitMs = 0;

  constructor(private readonly cores: EmulatedCores) {}

  work(ms: number, cost: CostKind): Promise<void> | void {
    if (!(ms > 0)) return;
    if (cost === 'cpu') return this.burn(ms);
    this.debtMs += ms;
    if (this.debtMs >= MIN_SLEEP_MS) return this.settle();
  }

  private async burn(ms: number): Promise<void> {
    const target = nowMs() + ms;
    for (;;) {
      const now = nowMs();
      if (now >= target) return;
      spinUntil(Math.min(target, now + CPU_SLICE_MS));
      if (nowMs() < target) await yieldToEventLoop();
    }
  }

  /** Pays all outstanding emulated work now. */
  async settle(): Promise<void> {
    const owed = this.debtMs;
    if (owed <= 0) return;
    const waitFrom = nowMs();
    const wait = this.cores.acquire();
    if (wait) await wait;
    const start = nowMs();
    this.cpuWaitMs += start - waitFrom;
    try {
      await sleepUntil(start + owed);
    } finally {
      this.cores.release();
    }
    this.debtMs = owed - (nowMs() - start);
  }
}
