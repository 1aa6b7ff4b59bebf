import { afterAll, describe, expect, it } from 'vitest';
import { bppLoadBalancingSpec, readBpp, readBppOptima } from '../../datasets/loaders/bpplib.ts';
import { dataPath } from '../../datasets/paths.ts';
import {
  createLoadBalancingInstance,
  evaluateLoadBalancing,
  type LoadBalancingInstance,
  type LoadBalancingSpec,
} from '../../models/load-balancing/instance.ts';
import { validateLoadBalancing } from '../../models/load-balancing/validator.ts';
import { seededRng, type Rng } from '../../models/rng.ts';
import { createHighsBackend } from '../milp/highs.ts';
import { solveLoadBalancingMilp } from './load-balancing.ts';
import { findSolver } from '../registry.ts';

/** The registered `milp` entry: it runs the model's infeasibility check before the MILP. */
const loadBalancingMilp = findSolver('milp', 'load-balancing');
import { binPackingL2 } from '../../models/load-balancing/bounds.ts';
import { makespanBnbSolver, solveMakespanBnb } from './makespan-bnb/index.ts';

const highs = createHighsBackend();
afterAll(() => highs.dispose());
const opts = (seed: number, timeLimitMs = 20_000, extra: Record<string, unknown> = {}) => ({
  rng: seededRng(seed),
  timeLimitMs,
  backend: highs,
  params: extra,
});

function randomInstance(rng: Rng, k: number, objective: LoadBalancingSpec['objective']): LoadBalancingInstance {
  const m = rng.int(1, 4);
  const n = rng.int(1, 11);
  const kind = k % 4; // 0 identical, 1 speed-scaled, 2 slot caps, 3 memory caps
  return createLoadBalancingInstance({
    name: `random-${k}`,
    objective,
    taskManagers: Array.from({ length: m }, (_, i) => ({
      id: `tm${i}`,
      ...(kind === 1 ? { speedFactor: [1, 1.5, 2, 0.5][rng.int(0, 3)]! } : {}),
      ...(kind === 2 ? { slotCount: rng.int(1, 5) } : {}),
      ...(kind === 3 ? { memoryBytes: rng.int(2, 8) } : {}),
    })),
    tasks: Array.from({ length: n }, (_, i) => ({
      id: `t${i}`,
      load: rng.int(1, 60),
      ...(kind === 3 ? { memoryBytes: rng.int(0, 3) } : {}),
    })),
  });
}

function pcmax(rng: Rng, n: number, m: number, name: string): LoadBalancingInstance {
  return createLoadBalancingInstance({
    name,
    taskManagers: Array.from({ length: m }, (_, k) => ({ id: `tm${k}` })),
    tasks: Array.from({ length: n }, (_, i) => ({ id: `t${i}`, load: rng.int(10, 100) })),
  });
}

describe('bin-packing bound L2 (Martello & Toth 1990)', () => {
  it('counts the bins forced by large items', () => {
    expect(binPackingL2([60, 60, 60], 100)).toBe(3);
    expect(binPackingL2([50, 50, 50, 50], 100)).toBe(2);
    expect(binPackingL2([99, 98, 2, 2, 2], 100)).toBe(3);
  });
});

describe('bnb (P||Cmax / Q||Cmax with capacities) against the MILP', () => {
  it('agrees with HiGHS on 40 small random instances (identical, speed-scaled, slot and memory caps), all validated', async () => {
    const rng = seededRng(4242);
    for (let k = 0; k < 40; k++) {
      const inst = randomInstance(rng, k, 'max-utilization');
      const b = await makespanBnbSolver.solve(inst, opts(k));
      const milp = await solveLoadBalancingMilp(inst, opts(k));
      expect(b.status, inst.name).toBe(milp.status);
      if (b.status !== 'optimal') continue;
      expect(validateLoadBalancing(inst, b.solution!), inst.name).toEqual([]);
      expect(validateLoadBalancing(inst, milp.solution!), inst.name).toEqual([]);
      expect(b.objective!, inst.name).toBeCloseTo(milp.objective!, 6);
      expect(b.objective).toBe(evaluateLoadBalancing(inst, b.solution!).maxUtilizationMs);
    }
  });

  it('P||Cmax 10×3: proven optimal, equal to the MILP; 20×5: the MILP (1 s) brackets it', async () => {
    const rng = seededRng(11);
    const small = pcmax(rng, 10, 3, 'pcmax-10x3');
    const b = await makespanBnbSolver.solve(small, opts(1));
    const milp = await solveLoadBalancingMilp(small, opts(1));
    expect(b).toMatchObject({ status: 'optimal', objective: milp.objective });
    expect(milp.status).toBe('optimal');
    expect(validateLoadBalancing(small, b.solution!)).toEqual([]);
    const mid = pcmax(rng, 20, 5, 'pcmax-20x5');
    const b2 = await makespanBnbSolver.solve(mid, opts(1));
    expect(b2.status).toBe('optimal');
    expect(validateLoadBalancing(mid, b2.solution!)).toEqual([]);
    const milp2 = await solveLoadBalancingMilp(mid, opts(1, 1_000));
    expect(milp2.bestBound!).toBeLessThanOrEqual(b2.objective! + 1e-9);
    if (milp2.objective !== undefined) expect(milp2.objective).toBeGreaterThanOrEqual(b2.objective!);
  });

  it('P||Cmax 40×10: proven optimal; the MILP (1 s) brackets it', async () => {
    const inst = pcmax(seededRng(40), 40, 10, 'pcmax-40x10');
    const b = await makespanBnbSolver.solve(inst, opts(1));
    expect(b.status).toBe('optimal');
    expect(validateLoadBalancing(inst, b.solution!)).toEqual([]);
    const milp = await solveLoadBalancingMilp(inst, opts(1, 1_000));
    expect(milp.bestBound!).toBeLessThanOrEqual(b.objective! + 1e-9);
    if (milp.objective !== undefined) expect(milp.objective).toBeGreaterThanOrEqual(b.objective! - 1e-9);
  });

  it('refuses squared-deviation instances', async () => {
    const inst = randomInstance(seededRng(1), 0, 'squared-deviation');
    expect((await makespanBnbSolver.solve(inst, opts(1))).status).toBe('error');
  });
});

describe('BPPLIB through the P||Cmax duality (Delorme, Iori & Martello 2018)', () => {
  const optima = readBppOptima();
  const small = new Set(['N1C1W1_A', 'N1C1W1_B', 'N2C2W2_A', 'Falkenauer_t60_00', 'Falkenauer_t60_01', 'Falkenauer_t60_02', 'Falkenauer_t60_03', 'Falkenauer_t60_04', 'Falkenauer_u120_00', 'Falkenauer_u120_01', 'Falkenauer_u120_04']);
  const instanceFor = (file: string, m: number) => {
    const bpp = readBpp(dataPath(`bpplib/${file}`));
    const spec = bppLoadBalancingSpec(bpp, Array.from({ length: m }, (_, k) => ({ id: `bin${k}` })));
    return { bpp, inst: createLoadBalancingInstance(spec) };
  };

  it('reproduces the optimal bin count on the small instances: fits with m = opt, proven not to fit with opt − 1', async () => {
    let checked = 0;
    for (const row of optima) {
      if (!small.has(row.name)) continue;
      const opt = row.optimalBins!;
      const fits = instanceFor(row.file, opt);
      const r1 = await makespanBnbSolver.solve(fits.inst, opts(1, 5_000, { targetMs: fits.bpp.capacity }));
      expect(r1.objective!, row.name).toBeLessThanOrEqual(fits.bpp.capacity);
      expect(validateLoadBalancing(fits.inst, r1.solution!)).toEqual([]);
      const tight = instanceFor(row.file, opt - 1);
      const r2 = await makespanBnbSolver.solve(tight.inst, opts(1, 5_000, { targetMs: tight.bpp.capacity }));
      expect(r2.bestBound!, row.name).toBeGreaterThan(tight.bpp.capacity);
      checked++;
    }
    expect(checked).toBe(small.size);
  });

  it('never undercuts the optimal bin count on any instance (opt − 1 bins never reach the capacity)', async () => {
    for (const row of optima) {
      const { bpp, inst } = instanceFor(row.file, row.optimalBins! - 1);
      const r = await makespanBnbSolver.solve(inst, opts(1, 250, { targetMs: bpp.capacity }));
      expect(r.objective!, row.name).toBeGreaterThan(bpp.capacity);
      expect(r.bestBound!, row.name).toBeLessThanOrEqual(r.objective!);
    }
  });

  it('the MILP agrees on N1C1W1_A with 25 bins (its optimum ≤ 100 like bnb)', async () => {
    const { inst } = instanceFor('scholl/N1C1W1_A.txt', 25);
    const b = await solveMakespanBnb(inst);
    expect(b.status).toBe('optimal');
    const milp = await solveLoadBalancingMilp(inst, opts(1, 1_000));
    expect(milp.bestBound!).toBeLessThanOrEqual(b.objective! + 1e-9);
    if (milp.objective !== undefined) expect(milp.objective).toBeGreaterThanOrEqual(b.objective!);
  });
});

describe('squared deviation (outer approximation)', () => {
  function bruteForce(inst: LoadBalancingInstance): number | undefined {
    let best: number | undefined;
    const m = inst.taskManagers.length;
    const choice = new Array<number>(inst.tasks.length).fill(0);
    const rec = (i: number): void => {
      if (i === inst.tasks.length) {
        const a = { assignments: inst.tasks.map((t, j) => ({ task: t.id, taskManager: inst.taskManagers[choice[j]!]!.id })) };
        if (validateLoadBalancing(inst, a).length > 0) return;
        const o = evaluateLoadBalancing(inst, a).objective;
        if (best === undefined || o < best) best = o;
        return;
      }
      for (let k = 0; k < m; k++) {
        choice[i] = k;
        rec(i + 1);
      }
    };
    rec(0);
    return best;
  }

  it('matches brute force on 16 tiny instances', async () => {
    const rng = seededRng(77);
    for (let k = 0; k < 16; k++) {
      const base = randomInstance(rng, k, 'squared-deviation');
      if (base.tasks.length > 7) continue;
      const expected = bruteForce(base);
      const r = await solveLoadBalancingMilp(base, opts(k));
      if (expected === undefined) {
        expect(r.status, base.name).toBe('infeasible');
        continue;
      }
      expect(r.status, base.name).toBe('optimal');
      expect(validateLoadBalancing(base, r.solution!)).toEqual([]);
      expect(r.objective!, base.name).toBeCloseTo(expected, 6);
      expect(r.bestBound!).toBeLessThanOrEqual(r.objective! + 1e-9);
    }
  });

  it('infeasible capacities give a sentence why', async () => {
    const inst = createLoadBalancingInstance({
      name: 'too-many',
      taskManagers: [{ id: 'tm', slotCount: 1 }],
      tasks: [
        { id: 'a', load: 1 },
        { id: 'b', load: 1 },
      ],
    });
    const r = await loadBalancingMilp.solve(inst, opts(1));
    expect(r).toMatchObject({ status: 'infeasible', message: 'Infeasible: there are 2 tasks but the TaskManagers have 1 slots in all.' });
    expect((await makespanBnbSolver.solve(inst, opts(1))).status).toBe('infeasible');
  });
});
