import { describe, expect, it } from 'vitest';
import { bppLoadBalancingSpec, readBpp, readBppOptima } from '../../../datasets/loaders/bpplib.ts';
import { dataPath } from '../../../datasets/paths.ts';
import { createLoadBalancingInstance } from '../../../models/load-balancing/instance.ts';
import { validateLoadBalancing } from '../../../models/load-balancing/validator.ts';
import { seededRng } from '../../../models/rng.ts';
import { decideBinCompletion } from './bin-completion.ts';
import { minimumFill } from './cg-diving.ts';
import { binPackingLpBound } from './column-generation.ts';
import { decidePacking, itemTypes } from './decide-packing.ts';
import { decideByGapEnumeration, enumerateGapColumns } from './gap-enumeration.ts';
import { packByPatternIp } from './pattern-ip.ts';
import { createMilpBackend } from '../../milp/backends.ts';
import { makespanBnbSolver } from './index.ts';
import { PatternKnapsack } from './knapsack.ts';

const NO_LIMIT = { nodes: 0, deadline: Infinity };

/** The least number of bins (brute force over bin completion's exact decision). */
function optimalBins(sizesDesc: Float64Array, capacity: number): number {
  for (let m = 1; ; m++) if (decideBinCompletion(sizesDesc, m, capacity, { ...NO_LIMIT })) return m;
}

function randomSizes(seed: number, n: number, capacity: number): Float64Array {
  const rng = seededRng(seed);
  return Float64Array.from({ length: n }, () => rng.int(Math.ceil(capacity / 10), Math.ceil((capacity * 7) / 10))).sort((a, b) => b - a);
}

describe('pattern knapsack (bounded, by dynamic programming)', () => {
  it('equals enumeration on 40 random small instances, with and without a minimum fill', () => {
    const rng = seededRng(5);
    for (let k = 0; k < 40; k++) {
      const types = rng.int(1, 5);
      const weight = Int32Array.from({ length: types }, () => rng.int(1, 12));
      const bound = Int32Array.from({ length: types }, () => rng.int(0, 3));
      const value = Float64Array.from({ length: types }, () => rng.int(0, 9));
      const capacity = rng.int(5, 25);
      const minFill = k % 2 === 0 ? 0 : rng.int(1, capacity);
      let best = -Infinity;
      const a = new Int32Array(types);
      const enumerate = (t: number, w: number, v: number): void => {
        if (t === types) {
          if (w >= minFill) best = Math.max(best, v);
          return;
        }
        for (let c = 0; c <= bound[t]! && w + c * weight[t]! <= capacity; c++) {
          a[t] = c;
          enumerate(t + 1, w + c * weight[t]!, v + c * value[t]!);
        }
      };
      enumerate(0, 0, 0);
      const r = new PatternKnapsack(weight, capacity).solve(value, bound, minFill);
      expect(r.value, `case ${k}`).toBe(best);
      if (best > -Infinity) {
        let w = 0;
        let v = 0;
        r.counts.forEach((c, t) => {
          expect(c).toBeLessThanOrEqual(bound[t]!);
          w += c * weight[t]!;
          v += c * value[t]!;
        });
        expect(w).toBeLessThanOrEqual(capacity);
        expect(w).toBeGreaterThanOrEqual(minFill);
        expect(v).toBe(best);
      }
    }
  });
});

describe('certified Gilmore–Gomory bound (column generation)', () => {
  it('never exceeds the optimal bin count, and with the waste limit of m = optimum never proves "no", on 60 random instances', async () => {
    let raisedAboveL1 = 0;
    for (let k = 0; k < 60; k++) {
      const capacity = 100;
      const sizes = randomSizes(100 + k, 6 + (k % 9), capacity);
      const opt = optimalBins(sizes, capacity);
      const types = itemTypes(sizes);
      const lp = binPackingLpBound(types, capacity, { deadline: Infinity });
      expect(lp.bins, `case ${k}`).toBeLessThanOrEqual(opt);
      expect(lp.bins).toBeGreaterThanOrEqual(Math.ceil(lp.lpValue - 1e-6));
      if (lp.bins > Math.ceil(sizes.reduce((a, b) => a + b, 0) / capacity)) raisedAboveL1++;
      const limited = binPackingLpBound(types, capacity, { deadline: Infinity, minFill: minimumFill(types.weight, types.demand, capacity, opt), above: opt });
      expect(limited.bins, `case ${k}, waste-limited`).toBeLessThanOrEqual(opt);
      // decidePacking decides both sides and its packing fits
      const fits = await decidePacking(sizes, opt, capacity, { ...NO_LIMIT });
      expect(fits).not.toBeNull();
      const fill = new Float64Array(opt);
      fits!.forEach((b, i) => (fill[b] = fill[b]! + sizes[i]!));
      expect(Math.max(...fill)).toBeLessThanOrEqual(capacity);
      if (opt > 1) expect(await decidePacking(sizes, opt - 1, capacity, { ...NO_LIMIT })).toBeNull();
    }
    expect(raisedAboveL1).toBeGreaterThan(0); // the bound does work beyond ⌈Σ w / c⌉
  });

  it('N1C1W1_B (Scholl, Klein & Jürgens 1997): LP value 30.5, certified 31 = the published optimum', () => {
    const bpp = readBpp(dataPath('bpplib/scholl/N1C1W1_B.txt'));
    const lp = binPackingLpBound(itemTypes(Float64Array.from(bpp.weights).sort((a, b) => b - a)), bpp.capacity, { deadline: Infinity });
    expect(lp.lpValue).toBeCloseTo(30.5, 6);
    expect(lp.bins).toBe(31);
  });
});

describe('reduced-cost gap enumeration (Baldacci, Christofides & Mingozzi 2008; Wei et al. 2020)', () => {
  it('decides both sides exactly on 40 random instances: the optimum packs (every bin within capacity, every item once), one bin fewer is refused', () => {
    for (let k = 0; k < 40; k++) {
      const capacity = 100;
      const sizes = randomSizes(300 + k, 6 + (k % 9), capacity);
      const opt = optimalBins(sizes, capacity);
      const types = itemTypes(sizes);
      const packing = decideByGapEnumeration(types, capacity, opt, { ...NO_LIMIT });
      expect(packing, `case ${k}: ${opt} bins`).toBeTruthy();
      expect(packing!.length).toBeLessThanOrEqual(opt);
      const left = Int32Array.from(types.demand);
      for (const bin of packing!) {
        let fill = 0;
        bin.forEach((q, t) => {
          fill += q * types.weight[t]!;
          left[t] = left[t]! - q;
        });
        expect(fill).toBeLessThanOrEqual(capacity);
      }
      expect(Array.from(left)).toEqual(Array.from(types.demand, () => 0));
      if (opt > 1) expect(decideByGapEnumeration(types, capacity, opt - 1, { ...NO_LIMIT }), `case ${k}: ${opt - 1} bins`).toBeNull();
    }
  });
});

describe('the integer program over the gap columns, by HiGHS (pattern-ip.ts)', () => {
  /** Every bin within the capacity and every item packed exactly once. */
  const expectPacking = (types: ReturnType<typeof itemTypes>, capacity: number, bins: number, packing: readonly Int32Array[], label: string): void => {
    expect(packing.length, label).toBeLessThanOrEqual(bins);
    const left = Int32Array.from(types.demand);
    for (const bin of packing) {
      let fill = 0;
      bin.forEach((q, t) => {
        fill += q * types.weight[t]!;
        left[t] = left[t]! - q;
      });
      expect(fill, label).toBeLessThanOrEqual(capacity);
    }
    expect(Array.from(left), label).toEqual(Array.from(types.demand, () => 0));
  };

  it('Falkenauer_t60_00 (triplets, B* = 20, LP value 20): HiGHS packs the enumerated columns into 20 bins; 4 random instances agree with brute force', async () => {
    const backend = createMilpBackend('highs');
    try {
      const bpp = readBpp(dataPath('bpplib/falkenauer_t/Falkenauer_t60_00.txt'));
      const types = itemTypes(Float64Array.from(bpp.weights).sort((a, b) => b - a));
      const columns = enumerateGapColumns(types, bpp.capacity, 20, { ...NO_LIMIT });
      expect(columns!.length).toBeGreaterThan(20);
      const ip = await packByPatternIp(types, 20, columns!, backend, Infinity);
      expect(ip, JSON.stringify(ip)).toHaveProperty('bins');
      if ('bins' in ip) expectPacking(types, bpp.capacity, 20, ip.bins, 'Falkenauer_t60_00');
      for (let k = 0; k < 4; k++) {
        const capacity = 100;
        const sizes = randomSizes(700 + k, 8 + (k % 6), capacity);
        const opt = optimalBins(sizes, capacity);
        const rt = itemTypes(sizes);
        const fits = await packByPatternIp(rt, opt, enumerateGapColumns(rt, capacity, opt, { ...NO_LIMIT })!, backend, Infinity);
        expect('bins' in fits, `case ${k}: ${opt} bins`).toBe(true);
        if ('bins' in fits) expectPacking(rt, capacity, opt, fits.bins, `case ${k}`);
        if (opt === 1) continue;
        // one bin fewer: no candidate columns at all (a bound says no), or HiGHS finds no packing
        const fewer = enumerateGapColumns(rt, capacity, opt - 1, { ...NO_LIMIT });
        if (fewer) expect('bins' in (await packByPatternIp(rt, opt - 1, fewer, backend, Infinity)), `case ${k}: ${opt - 1} bins`).toBe(false);
      }
    } finally {
      backend.dispose();
    }
  });
});

describe('bnb decides BPPLIB instances that need the LP bound and the dive (Delorme, Iori & Martello 2018)', () => {
  const optima = new Map(readBppOptima().map((r) => [r.name, r]));
  // not decided by bnb before the bin-packing core: N1W1B1R0's B* − 1 side, the other two's B* side
  for (const name of ['N1W1B1R0', 'Falkenauer_u120_02', 'N4C3W4_A']) {
    it(`${name}: B* bins fit (validated), B* − 1 do not`, async () => {
      const ref = optima.get(name)!;
      const bpp = readBpp(dataPath(`bpplib/${ref.file}`));
      const instanceFor = (m: number) => createLoadBalancingInstance(bppLoadBalancingSpec(bpp, Array.from({ length: m }, (_, k) => ({ id: `bin${k}` }))));
      const options = { rng: seededRng(1), timeLimitMs: 30_000, params: { targetMs: bpp.capacity } };
      const fits = instanceFor(ref.optimalBins!);
      const r1 = await makespanBnbSolver.solve(fits, options);
      expect(validateLoadBalancing(fits, r1.solution!)).toEqual([]);
      expect(r1.objective!).toBeLessThanOrEqual(bpp.capacity);
      const tight = instanceFor(ref.optimalBins! - 1);
      const r2 = await makespanBnbSolver.solve(tight, options);
      expect(r2.bestBound!).toBeGreaterThan(bpp.capacity);
      expect(validateLoadBalancing(tight, r2.solution!)).toEqual([]);
      expect(r2.objective!).toBeGreaterThanOrEqual(r2.bestBound!);
    });
  }
});

describe('bnb on general P||Cmax', () => {
  it('loads in the millions (a knapsack table past its limit): optimal by bin completion, equal to brute force', async () => {
    const rng = seededRng(11);
    const loads = Array.from({ length: 11 }, () => rng.int(1_000_000, 9_000_000));
    const m = 3;
    const inst = createLoadBalancingInstance({
      name: 'pcmax-millions',
      taskManagers: Array.from({ length: m }, (_, k) => ({ id: `tm${k}` })),
      tasks: loads.map((load, i) => ({ id: `t${i}`, load })),
    });
    let best = Infinity;
    const fill = new Array<number>(m).fill(0);
    const assign = (i: number): void => {
      if (i === loads.length) {
        best = Math.min(best, Math.max(...fill));
        return;
      }
      for (let k = 0; k < m; k++) {
        fill[k] = fill[k]! + loads[i]!;
        if (fill[k]! < best) assign(i + 1);
        fill[k] = fill[k]! - loads[i]!;
      }
    };
    assign(0);
    const r = await makespanBnbSolver.solve(inst, { rng: seededRng(1), timeLimitMs: 30_000 });
    expect(r.status).toBe('optimal');
    expect(validateLoadBalancing(inst, r.solution!)).toEqual([]);
    expect(r.objective).toBe(best);
  });
});
