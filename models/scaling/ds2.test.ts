import { describe, expect, it } from 'vitest';
import { ds2Parallelism, type OperatorObservation } from './ds2.ts';

/**
 * A word count (source → flat map → count), per instance: the source can emit 2,000 records/s, flat map processes
 * 300 lines/s and emits 5 words per line, count processes 1,000 words/s. To sustain 1,000 lines/s: source ⌈1000 /
 * 2000⌉ = 1, flat map ⌈1000 / 300⌉ = 4, count ⌈5000 / 1000⌉ = 5 (DS2's rule, worked by hand).
 */
function observe(parallelism: Record<string, number>, windowMs: number): OperatorObservation[] {
  // What the instances report when the job is back-pressured: each runs at its true rate while busy, and waits the
  // rest of the window. The reported records follow the bottleneck's throughput; useful time is records / true rate.
  const demand = 1000; // lines/s the sources try to emit
  const capacity = Math.min(demand, parallelism.source! * 2000, parallelism.flatMap! * 300, (parallelism.count! * 1000) / 5);
  const lines = (capacity * windowMs) / 1000;
  const split = (total: number, n: number) => Array.from({ length: n }, () => total / n);
  return [
    { id: 'source', upstream: [], instances: split(lines, parallelism.source!).map((r) => ({ recordsProcessed: r, recordsPushed: r, usefulTimeMs: (r / 2000) * 1000 })) },
    { id: 'flatMap', upstream: ['source'], instances: split(lines, parallelism.flatMap!).map((r) => ({ recordsProcessed: r, recordsPushed: 5 * r, usefulTimeMs: (r / 300) * 1000 })) },
    { id: 'count', upstream: ['flatMap'], instances: split(5 * lines, parallelism.count!).map((r) => ({ recordsProcessed: r, recordsPushed: 0, usefulTimeMs: (r / 1000) * 1000 })) },
  ];
}

describe('DS2 (Kalavri et al., OSDI 2018)', () => {
  it('sets every parallelism at once from true rates: source 1, flat map 4, count 5 for 1,000 lines/s', () => {
    const d = ds2Parallelism(observe({ source: 1, flatMap: 4, count: 5 }, 10_000), 1000);
    expect(Object.fromEntries(d.parallelism)).toEqual({ source: 1, flatMap: 4, count: 5 });
    expect(d.rates.get('flatMap')).toMatchObject({ trueRatePerInstance: 300, selectivity: 5, targetInputPerSecond: 1000, targetOutputPerSecond: 5000 });
  });

  it('reaches the same configuration in one decision from any under- or over-provisioned start (true rates ignore back-pressure)', () => {
    for (const start of [
      { source: 1, flatMap: 1, count: 1 },
      { source: 1, flatMap: 2, count: 8 },
      { source: 3, flatMap: 9, count: 2 },
    ]) {
      const d = ds2Parallelism(observe(start, 5_000), 1000);
      expect(Object.fromEntries(d.parallelism), JSON.stringify(start)).toEqual({ source: 1, flatMap: 4, count: 5 });
    }
  });

  it('sizes for a target utilisation when asked (Flink autoscaler\'s 0.7): flat map ⌈1000 / (300 × 0.7)⌉ = 5, count ⌈5000 / 700⌉ = 8', () => {
    const d = ds2Parallelism(observe({ source: 1, flatMap: 1, count: 1 }, 5_000), 1000, { targetUtilization: 0.7 });
    expect(Object.fromEntries(d.parallelism)).toEqual({ source: 1, flatMap: 5, count: 8 });
    expect(() => ds2Parallelism(observe({ source: 1, flatMap: 1, count: 1 }, 5_000), 1000, { targetUtilization: 0 })).toThrow(/targetUtilization should be in \(0, 1\]/);
  });

  it('sums several inputs, caps at the max parallelism, and refuses what it cannot decide', () => {
    const join: OperatorObservation[] = [
      { id: 'a', upstream: [], instances: [{ recordsProcessed: 100, recordsPushed: 100, usefulTimeMs: 50 }] }, // 2,000/s per instance
      { id: 'b', upstream: [], instances: [{ recordsProcessed: 100, recordsPushed: 100, usefulTimeMs: 100 }] }, // 1,000/s
      { id: 'j', upstream: ['a', 'b'], instances: [{ recordsProcessed: 500, recordsPushed: 250, usefulTimeMs: 1000 }] }, // 500/s, selectivity 0.5
    ];
    const d = ds2Parallelism(join, new Map([['a', 3000], ['b', 1500]]));
    expect(Object.fromEntries(d.parallelism)).toEqual({ a: 2, b: 2, j: 9 }); // ⌈4500 / 500⌉
    expect(ds2Parallelism(join, new Map([['a', 3000], ['b', 1500]]), { maxParallelism: 4 }).parallelism.get('j')).toBe(4);
    expect(() => ds2Parallelism([{ id: 'x', upstream: [], instances: [{ recordsProcessed: 0, recordsPushed: 0, usefulTimeMs: 0 }] }], 10)).toThrow(/operator x reported no useful time/);
    expect(() => ds2Parallelism([{ id: 'x', upstream: ['y'], instances: [] }, { id: 'y', upstream: ['x'], instances: [] }], 10)).toThrow(/cycle/);
  });

  it('an operator that saw no record in the window (behind a window that has not fired) keeps its parallelism', () => {
    // a window stopped at a checkpoint: the count per key has emitted nothing yet, its sink at 2 instances saw nothing
    const stopped: OperatorObservation[] = [
      { id: 'source', upstream: [], instances: [{ recordsProcessed: 1000, recordsPushed: 1000, usefulTimeMs: 500 }] },
      { id: 'count', upstream: ['source'], instances: [{ recordsProcessed: 1000, recordsPushed: 0, usefulTimeMs: 1000 }] }, // 1,000/s
      { id: 'sink', upstream: ['count'], instances: [0, 1].map(() => ({ recordsProcessed: 0, recordsPushed: 0, usefulTimeMs: 0 })) },
    ];
    const d = ds2Parallelism(stopped, 3000);
    expect(Object.fromEntries(d.parallelism)).toEqual({ source: 2, count: 3, sink: 2 });
    expect(d.rates.get('sink')).toMatchObject({ trueRatePerInstance: 0, targetOutputPerSecond: 0 });
    // records without useful time are still refused: a rate cannot be learnt from them
    expect(() => ds2Parallelism([stopped[0]!, { ...stopped[1]!, instances: [{ recordsProcessed: 10, recordsPushed: 0, usefulTimeMs: 0 }] }], 10)).toThrow(/operator count reported no useful time/);
  });

  it('sizes a keyed operator for its busiest instance: inputs 300/100/100 (imbalance 1.8) need ⌈1000 × 1.8 / 500⌉ = 4 where the even spread gives 2', () => {
    // source → count (keyed), target 1,000 records/s; each count instance processes 500 records/s while busy
    const count = (records: number[], keyed: boolean): OperatorObservation[] => [
      { id: 'source', upstream: [], instances: [{ recordsProcessed: 0, recordsPushed: 500, usefulTimeMs: 250 }] },
      { id: 'count', upstream: ['source'], keyed, instances: records.map((r) => ({ recordsProcessed: r, recordsPushed: 0, usefulTimeMs: (r / 500) * 1000 })) },
    ];
    const skewed = ds2Parallelism(count([300, 100, 100], true), 1000);
    expect(skewed.parallelism.get('count')).toBe(4);
    expect(skewed.rates.get('count')!.imbalance).toBeCloseTo(1.8, 12);
    expect(ds2Parallelism(count([300, 100, 100], false), 1000).parallelism.get('count')).toBe(2); // the paper's even spread
    expect(ds2Parallelism(count([500], true), 1000).parallelism.get('count')).toBe(2); // one instance: imbalance 1
  });
});
