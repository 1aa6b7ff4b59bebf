import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSolveProgress } from './solve-progress.ts';

describe('createSolveProgress', () => {
  afterEach(() => vi.useRealTimers());

  it('says nothing for a solve that ends within a second', () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const p = createSolveProgress('x with heft', { write: (t) => lines.push(t), now: () => Date.now() });
    p.onProgress({ incumbent: 80, source: 'heft' });
    vi.advanceTimersByTime(900);
    p.stop();
    vi.advanceTimersByTime(10_000);
    expect(lines).toEqual([]);
  });

  it('then prints what runs, each improvement of the incumbent or the bound, and a heartbeat', () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const t0 = Date.now();
    const p = createSolveProgress('rand0086.stg with milp (time limit 15 s)', { write: (t) => lines.push(t.trimEnd()), now: () => Date.now() - t0 });
    p.onProgress({ incumbent: 318, bound: 290, source: 'heuristic start' });
    vi.advanceTimersByTime(1_000);
    expect(lines).toEqual(['solving rand0086.stg with milp (time limit 15 s) …', '[1.0 s] incumbent 318, bound 290 (heuristic start)']);
    vi.advanceTimersByTime(1_000);
    p.onProgress({ incumbent: 314, source: 'highs' });
    p.onProgress({ incumbent: 314, bound: 290, source: 'highs' }); // nothing new: no line
    vi.advanceTimersByTime(5_000);
    p.onProgress({ bound: 311, source: 'highs' });
    vi.advanceTimersByTime(600); // within 0.5 s of the last line: held back, printed at the next tick
    p.stop();
    vi.advanceTimersByTime(60_000);
    expect(lines.slice(2)).toEqual(['[2.0 s] incumbent 314, bound 290 (highs)', '[7.0 s] still solving: incumbent 314, bound 290', '[7.5 s] incumbent 314, bound 311 (highs)']);
  });
});
