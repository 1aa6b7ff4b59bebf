import type { SolveProgress } from '../solver/types.ts';

/**
 * Progress of one long solve (or run) on stderr. Nothing is printed for a solve that ends within `quietMs` (most heuristics,
 * small exact solves); after that, one line saying what runs, then a line whenever the incumbent or the bound
 * improves (at most one per `minGapMs`), and a heartbeat every `heartbeatMs` while nothing changes:
 *
 *     solving stg/…/rand0086.stg with milp (time limit 30 s) …
 *     [2.4 s] incumbent 318 (heuristic start)
 *     [9.7 s] incumbent 314, bound 290 (highs)
 *     [14.7 s] still solving: incumbent 314, bound 290
 */
export interface SolveProgressReporter {
  readonly onProgress: (event: SolveProgress) => void;
  /** Stops the timers; the caller prints the answer. */
  stop(): void;
}

export interface SolveProgressOptions {
  readonly write?: (text: string) => void;
  readonly quietMs?: number;
  readonly heartbeatMs?: number;
  readonly minGapMs?: number;
  readonly now?: () => number;
  /** The first word of the lines: `solving` (default), `running`. */
  readonly verb?: string;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6)));
}

export function createSolveProgress(what: string, options: SolveProgressOptions = {}): SolveProgressReporter {
  const write = options.write ?? ((text: string) => void process.stderr.write(text));
  const now = options.now ?? (() => performance.now());
  const quietMs = options.quietMs ?? 1_000;
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  const minGapMs = options.minGapMs ?? 500;
  const t0 = now();
  let started = false;
  let incumbent: number | undefined;
  let bound: number | undefined;
  let source = '';
  let lastLineAt = Number.NEGATIVE_INFINITY;
  let pending = false;
  const stamp = () => `[${((now() - t0) / 1000).toFixed(1)} s]`;
  const verb = options.verb ?? 'solving';
  const state = () => [...(incumbent !== undefined ? [`incumbent ${fmt(incumbent)}`] : []), ...(bound !== undefined ? [`bound ${fmt(bound)}`] : [])].join(', ');
  const line = (text: string) => {
    write(`${text}\n`);
    lastLineAt = now();
    pending = false;
  };
  const report = () => line(`${stamp()} ${state()}${source ? ` (${source})` : ''}`);
  const start = () => {
    started = true;
    line(`${verb} ${what} …`);
    if (incumbent !== undefined || bound !== undefined) report();
  };
  const quietTimer = setTimeout(start, quietMs);
  const heartbeat = setInterval(() => {
    if (!started) return;
    if (pending) report();
    else if (now() - lastLineAt >= heartbeatMs - 1) line(`${stamp()} still ${verb}${state() ? `: ${state()}` : ''}`);
  }, Math.min(heartbeatMs, Math.max(minGapMs, 100)));
  quietTimer.unref();
  heartbeat.unref();
  return {
    onProgress(event) {
      let changed = false;
      if (event.incumbent !== undefined && (incumbent === undefined || event.incumbent < incumbent)) {
        incumbent = event.incumbent;
        changed = true;
      }
      if (event.bound !== undefined && (bound === undefined || event.bound > bound)) {
        bound = event.bound;
        changed = true;
      }
      if (!changed) return;
      source = event.source;
      if (!started) return;
      if (now() - lastLineAt >= minGapMs) report();
      else pending = true;
    },
    stop() {
      clearTimeout(quietTimer);
      clearInterval(heartbeat);
    },
  };
}
