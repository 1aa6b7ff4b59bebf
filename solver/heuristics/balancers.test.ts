import { describe, expect, it } from 'vitest';
import { createLoadBalancingInstance, evaluateLoadBalancing, type LoadBalancingInstance, type LoadBalancingSpec } from '../../models/load-balancing/instance.ts';
import { validateLoadBalancing } from '../../models/load-balancing/validator.ts';
import { seededRng } from '../../models/rng.ts';
import type { Solver } from '../types.ts';
import { ls } from './ls.ts';
import { lpt } from './lpt.ts';
import { rebalance } from './rebalance.ts';
import { roundRobinLoadBalancing } from './round-robin.ts';
import { leastUtilizationLoadBalancing } from './least-utilization.ts';
import { randomLoadBalancing } from './random.ts';

const BALANCERS = [ls, lpt, rebalance, roundRobinLoadBalancing, leastUtilizationLoadBalancing, randomLoadBalancing];

async function run(solver: Solver<'load-balancing'>, instance: LoadBalancingInstance) {
  const result = await solver.solve(instance, { rng: seededRng(3) });
  if (result.solution) {
    expect(validateLoadBalancing(instance, result.solution)).toEqual([]);
    expect(result.objective).toBe(evaluateLoadBalancing(instance, result.solution).objective);
  }
  return result;
}

function identical(name: string, m: number, loads: readonly number[]): LoadBalancingInstance {
  return createLoadBalancingInstance({
    name,
    taskManagers: Array.from({ length: m }, (_, k) => ({ id: `tm${k + 1}` })),
    tasks: loads.map((load, i) => ({ id: `t${i}`, load })),
  });
}

// R. L. Graham, "Bounds for certain multiprocessing anomalies", Bell Syst. Tech. J. 45 (1966), and
// "Bounds on multiprocessing timing anomalies", SIAM J. Appl. Math. 17 (1969): the tight examples.
describe("Graham's worst cases", () => {
  for (const m of [3, 5]) {
    it(`list scheduling on m(m−1) unit tasks then one task of length m gives 2m − 1 = ${2 * m - 1} (optimum ${m}), m = ${m}`, async () => {
      const instance = identical(`graham-ls-${m}`, m, [...new Array<number>(m * (m - 1)).fill(1), m]);
      const result = await run(ls, instance);
      expect(result.objective).toBe(2 * m - 1);
      // the optimum m: the long task alone, the unit tasks spread over the other m − 1 TaskManagers (LPT finds it)
      expect((await run(lpt, instance)).objective).toBe(m);
    });
  }
  for (const m of [2, 3, 4, 5]) {
    it(`LPT on {2m−1, 2m−1, 2m−2, 2m−2, …, m+1, m+1, m, m, m} gives 4m − 1 = ${4 * m - 1} (optimum 3m = ${3 * m}), m = ${m}`, async () => {
      const loads: number[] = [];
      for (let p = 2 * m - 1; p >= m + 1; p--) loads.push(p, p);
      loads.push(m, m, m);
      expect(loads).toHaveLength(2 * m + 1);
      const instance = identical(`graham-lpt-${m}`, m, loads);
      const result = await run(lpt, instance);
      expect(result.objective).toBe(4 * m - 1);
      // 3m is reachable: {m, m, m} on one TaskManager and pairs (2m−1, m+1), (2m−2, m+2), … on the others
      expect(loads.reduce((t, p) => t + p, 0)).toBe(3 * m * m);
      expect(result.objective! / (3 * m)).toBeCloseTo(4 / 3 - 1 / (3 * m), 12);
    });
  }
});

describe('key skew: each subtask carries its own load', () => {
  // One operator of parallelism 4 whose key distribution sends most records to subtask 0.
  const spec: LoadBalancingSpec = {
    name: 'skew',
    taskManagers: [{ id: 'tm1' }, { id: 'tm2' }],
    tasks: [10, 1, 1, 1].map((load, i) => ({ id: `agg#${i}`, operator: 'agg', load })),
  };
  const instance = createLoadBalancingInstance(spec);
  it('ls, lpt and rebalance reach the optimum 10 (the hot subtask alone); round robin, blind to load, gets 11', async () => {
    for (const solver of [ls, lpt, rebalance]) expect((await run(solver, instance)).objective).toBe(10);
    expect((await run(roundRobinLoadBalancing, instance)).objective).toBe(11);
  });
  it('an operator-average view would have split 2 + 2 subtasks; the balancers do not', async () => {
    const result = await run(lpt, instance);
    const onHot = result.solution!.assignments.find((a) => a.task === 'agg#0')!.taskManager;
    expect(result.solution!.assignments.filter((a) => a.taskManager === onHot)).toHaveLength(1);
  });
});

describe('capacities and speeds', () => {
  it('slot and memory capacities are kept by every balancer', async () => {
    const instance = createLoadBalancingInstance({
      name: 'capacity',
      taskManagers: [{ id: 'big', slotCount: 2, memoryBytes: 100 }, { id: 'small', slotCount: 3, memoryBytes: 50 }],
      tasks: [9, 8, 7, 6, 5].map((load, i) => ({ id: `t${i}`, load, memoryBytes: i === 0 ? 60 : 10 })),
    });
    for (const solver of BALANCERS) expect((await run(solver, instance)).status).toBe('feasible');
  });
  it('more tasks than slots is infeasible, with the reason', async () => {
    const instance = createLoadBalancingInstance({ name: 'full', taskManagers: [{ id: 'a', slotCount: 1 }, { id: 'b', slotCount: 1 }], tasks: [1, 2, 3].map((load, i) => ({ id: `t${i}`, load })) });
    for (const solver of BALANCERS) {
      const result = await run(solver, instance);
      expect(result.status).toBe('infeasible');
      expect(result.message).toMatch(/3 tasks but the TaskManagers have 2 slots/);
    }
  });
  it('on speed-scaled TaskManagers LS puts each task where it finishes first (Q||Cmax)', async () => {
    const instance = createLoadBalancingInstance({ name: 'speeds', taskManagers: [{ id: 'slow', speedFactor: 1 }, { id: 'fast', speedFactor: 3 }], tasks: [3, 3, 3, 3].map((load, i) => ({ id: `t${i}`, load })) });
    // t0, t1 finish at 1 and 2 ms on fast (3 on slow); t2: 3 ms on either, the tie goes to slow (listed first);
    // t3: 3 ms on fast against 6 on slow
    const result = await run(ls, instance);
    expect(result.solution!.assignments.map((a) => a.taskManager)).toEqual(['fast', 'fast', 'slow', 'fast']);
    expect(result.objective).toBe(3);
  });
});

describe('rebalance: moves only while the gain exceeds the migration cost', () => {
  const spec = (migrationCostMs: number): LoadBalancingSpec => ({
    name: `rebalance-${migrationCostMs}`,
    taskManagers: [{ id: 'tm1' }, { id: 'tm2' }],
    tasks: [4, 3, 2, 1].map((load, i) => ({ id: `t${i}`, load, currentTaskManager: 'tm1' })),
    migrationCostMs,
  });
  it('free moves balance 10 + 0 into 5 + 5', async () => {
    const result = await run(rebalance, createLoadBalancingInstance(spec(0)));
    expect(result.objective).toBe(5);
  });
  it('cost 1.5: moving t0 (load 4) gains 4; then the best move gains only 1 < 1.5, so it stops at 6 + 4', async () => {
    const instance = createLoadBalancingInstance(spec(1.5));
    const result = await run(rebalance, instance);
    expect(result.objective).toBe(6);
    expect(evaluateLoadBalancing(instance, result.solution!).migrations).toBe(1);
    expect(result.message).toMatch(/1 moves; 1 tasks away .*migration cost 1.5 ms/);
  });
  it('cost 10: nothing pays off, nothing moves', async () => {
    const instance = createLoadBalancingInstance(spec(10));
    const result = await run(rebalance, instance);
    expect(result.objective).toBe(10);
    expect(evaluateLoadBalancing(instance, result.solution!).migrations).toBe(0);
  });
  it('tasks without a current TaskManager are placed by list scheduling, free of cost', async () => {
    const instance = createLoadBalancingInstance({ ...spec(100), tasks: [...spec(100).tasks, { id: 'new', load: 7 }] });
    const result = await run(rebalance, instance);
    expect(result.solution!.assignments.find((a) => a.task === 'new')!.taskManager).toBe('tm2');
    expect(result.objective).toBe(10);
  });
});

describe('random and least-utilization', () => {
  it('random is reproducible from the seed', async () => {
    const instance = identical('rand', 4, Array.from({ length: 40 }, (_, i) => 1 + (i % 7)));
    const a = await randomLoadBalancing.solve(instance, { rng: seededRng(11) });
    const b = await randomLoadBalancing.solve(instance, { rng: seededRng(11) });
    const c = await randomLoadBalancing.solve(instance, { rng: seededRng(12) });
    expect(a.solution).toEqual(b.solution);
    expect(c.solution).not.toEqual(a.solution);
  });
  it('least-utilization fills TaskManagers by slot utilisation, not load', async () => {
    const instance = createLoadBalancingInstance({ name: 'lu', taskManagers: [{ id: 'a', slotCount: 4 }, { id: 'b', slotCount: 2 }], tasks: [5, 5, 5, 5, 5, 5].map((load, i) => ({ id: `t${i}`, load })) });
    const result = await run(leastUtilizationLoadBalancing, instance);
    // a: 0/4, b: 0/2 -> a; b; a (1/4 < 1/2); a (2/4 = 1/2, fewer tasks? 2 > 1 -> b); ...
    const count = (tm: string) => result.solution!.assignments.filter((x) => x.taskManager === tm).length;
    expect([count('a'), count('b')]).toEqual([4, 2]);
  });
});
