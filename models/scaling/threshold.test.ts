import { describe, expect, it } from 'vitest';
import { ds2Policy, SCALING_POLICIES, thresholdPolicy, type OperatorObservation } from './index.ts';

/**
 * source → map → sink over a window of 1 s. The source must emit 1,000 records/s; one map instance processes 250
 * records/s, one sink instance 2,000/s. With p map instances the job sustains min(1000, 250·p) records/s: the map
 * is busy (records / true rate) and the source is back-pressured for the rest of its window.
 */
function observe(p: number): OperatorObservation[] {
  const windowMs = 1000;
  const throughput = Math.min(1000, 250 * p);
  const sourceBusy = throughput; // a rate-limited source is "busy" while it emits at its rate: 1 ms per record here
  return [
    { id: 'source', upstream: [], instances: [{ recordsProcessed: throughput, recordsPushed: throughput, usefulTimeMs: sourceBusy, backPressuredTimeMs: windowMs - sourceBusy, windowMs }] },
    {
      id: 'map',
      upstream: ['source'],
      instances: Array.from({ length: p }, () => ({ recordsProcessed: throughput / p, recordsPushed: throughput / p, usefulTimeMs: (throughput / p / 250) * 1000, backPressuredTimeMs: 0, windowMs })),
    },
    { id: 'sink', upstream: ['map'], instances: [{ recordsProcessed: throughput, recordsPushed: 0, usefulTimeMs: (throughput / 2000) * 1000, backPressuredTimeMs: 0, windowMs }] },
  ];
}
const backPressured = (obs: OperatorObservation[]) => obs.some((o) => o.instances.some((i) => (i.backPressuredTimeMs ?? 0) / i.windowMs! > 0.1));

describe('threshold autoscaling baseline (Dhalion-style thresholds, the HPA rule ⌈current × metric / target⌉)', () => {
  it('scales the busy bottleneck by ⌈p × busy / 0.7⌉: map 1 → 2 → 3 → 5, three decisions where DS2 needs one (4)', () => {
    const path = [1];
    let obs = observe(1);
    while (backPressured(obs) && path.length < 10) {
      const d = thresholdPolicy(obs, 1000);
      expect(d.parallelism.get('source')).toBe(1); // sources keep their parallelism
      path.push(d.parallelism.get('map')!);
      obs = observe(path.at(-1)!);
    }
    expect(path).toEqual([1, 2, 3, 5]); // ⌈1/0.7⌉ = 2, ⌈2/0.7⌉ = 3, ⌈3/0.7⌉ = 5; at 5 the map is busy 0.8, not above
    expect(thresholdPolicy(obs, 1000).parallelism.get('map')).toBe(5); // within the thresholds: stays
    expect(ds2Policy(observe(1), 1000).parallelism.get('map')).toBe(4); // ⌈1000 / 250⌉
    // the sink, busy 0.125–0.5 at these rates, is "excessive" only below 0.3: at throughput 250 and 500 it stays 1
    expect(thresholdPolicy(observe(1), 1000).parallelism.get('sink')).toBe(1);
  });

  it('scales down below 30 % busy, holds a bottleneck that back-pressures its upstream, and checks its input', () => {
    const windowMs = 1000;
    const op = (id: string, upstream: string[], p: number, usefulTimeMs: number, backPressuredTimeMs = 0): OperatorObservation => ({
      id,
      upstream,
      instances: Array.from({ length: p }, () => ({ recordsProcessed: 100, recordsPushed: 100, usefulTimeMs, backPressuredTimeMs, windowMs })),
    });
    // 4 instances busy 20 %: ⌈4 × 0.2 / 0.7⌉ = 2
    expect(thresholdPolicy([op('s', [], 1, 500), op('m', ['s'], 4, 200)], 100).parallelism.get('m')).toBe(2);
    // busy 75 % (below 80 %) but its upstream is back-pressured 40 % and it is not: Dhalion's bottleneck, ⌈3 × 0.8 / 0.7⌉ = 4
    expect(thresholdPolicy([op('s', [], 1, 600, 400), op('m', ['s'], 3, 750)], 100).parallelism.get('m')).toBe(4);
    // back-pressured itself: not the bottleneck, and not scaled down although only 20 % busy
    expect(thresholdPolicy([op('s', [], 1, 600, 400), op('m', ['s'], 3, 200, 700), op('k', ['m'], 1, 950)], 100).parallelism).toEqual(
      new Map([['s', 1], ['m', 3], ['k', 2]]),
    );
    expect(() => thresholdPolicy([{ id: 'm', upstream: [], instances: [{ recordsProcessed: 1, recordsPushed: 1, usefulTimeMs: 1 }] }, { id: 'n', upstream: ['m'], instances: [{ recordsProcessed: 1, recordsPushed: 1, usefulTimeMs: 1 }] }], 1)).toThrow(
      /operator n reported no window length/,
    );
    expect(() => thresholdPolicy([op('s', [], 1, 1)], 1, { upperBusyRatio: 0.5 } as never)).toThrow(/lower .* < target .* <= upper/);
    expect(Object.keys(SCALING_POLICIES)).toEqual(['ds2', 'threshold']);
  });
});
