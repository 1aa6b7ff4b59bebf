import { readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { heftFixtureDagPlacementSpec, heftPaperExpected, readHeftFixture } from '../../datasets/loaders/heft-paper.ts';
import { readStgOptima } from '../../datasets/loaders/stg-reference.ts';
import { readStg, stgDagPlacementSpec } from '../../datasets/loaders/stg.ts';
import { dataPath } from '../../datasets/paths.ts';
import { makespanLowerBounds } from '../../models/dag-placement/bounds.ts';
import { evaluateDagPlacement } from '../../models/dag-placement/evaluate.ts';
import { formulateDagPlacementTimeIndexed, planTimeIndexing } from '../../models/dag-placement/formulation.ts';
import { createDagPlacementInstance, type DagPlacementInstance, type DagPlacementSpec, type PlacementVariant } from '../../models/dag-placement/instance.ts';
import { validateDagPlacement } from '../../models/dag-placement/validator.ts';
import { seededRng, type Rng } from '../../models/rng.ts';
import { toSchedule } from '../../models/solution.ts';
import { createHighsBackend } from '../milp/highs.ts';
import { dagPlacementBnbSolver } from './dag-placement-bnb.ts';
import { bestListSchedule } from './dag-incumbent.ts';
import { solveDagPlacementMilp } from './dag-placement.ts';
import { findSolver } from '../registry.ts';

/** The registered `milp` entry: it runs the model's infeasibility check before the MILP. */
const dagPlacementMilp = findSolver('milp', 'dag-placement');

const highs = createHighsBackend();
afterAll(() => highs.dispose());
const opts = (timeLimitMs: number, variant?: PlacementVariant) => ({
  rng: seededRng(1),
  timeLimitMs,
  backend: highs,
  ...(variant ? { variant } : {}),
});

function expectValid(instance: DagPlacementInstance, result: { solution?: Parameters<typeof validateDagPlacement>[1]; objective?: number }, variant?: PlacementVariant): void {
  expect(result.solution).toBeDefined();
  expect(validateDagPlacement(instance, result.solution!, variant ?? instance.variant)).toEqual([]);
  expect(result.objective).toBeCloseTo(evaluateDagPlacement(instance, result.solution!, variant ?? instance.variant).makespanMs, 9);
}

describe('HEFT paper example (Topcuoglu, Hariri & Wu 2002, Fig. 2; HEFT makespan 80)', () => {
  const instance = createDagPlacementInstance(heftFixtureDagPlacementSpec(readHeftFixture()));
  it('bnb proves an optimum no worse than HEFT, and the validator accepts it', async () => {
    const r = await dagPlacementBnbSolver.solve(instance, opts(30_000));
    expect(r.status).toBe('optimal');
    expectValid(instance, r);
    expect(r.objective!).toBeLessThanOrEqual(heftPaperExpected().heftMakespanMs);
    expect(r.objective).toBe(73);
    expect(r.bestBound).toBe(73);
  });
  it('the time-indexed MILP agrees: optimum 73 within a horizon of 74', async () => {
    const plan = planTimeIndexing(instance, 'sequenced');
    const f = formulateDagPlacementTimeIndexed(instance, { plan, horizon: 74 });
    const r = await highs.solve(f.model, { timeLimitMs: 30_000, relativeGap: 0 });
    expect(r).toMatchObject({ status: 'optimal', objective: 73 });
    expect(validateDagPlacement(instance, toSchedule(instance, f.decode(r.values!)))).toEqual([]);
  });
});

describe('STG 50-task graphs (Tobita & Kasahara 2002), P = 2 and 4', () => {
  const table = readStgOptima();
  const files = readdirSync(dataPath('stg/graphs/50')).filter((f) => f.endsWith('.stg')).sort();
  const instanceFor = (file: string, P: number) =>
    createDagPlacementInstance(stgDagPlacementSpec(readStg(dataPath(`stg/graphs/50/${file}`)), { taskManagers: Array.from({ length: P }, (_, k) => ({ id: `p${k}`, slotCount: 1 })) }));

  it('reaches the table optimum on every proven row, hard ones included; never below the table lower bound', async () => {
    let proven = 0;
    let hard = 0;
    for (const file of files) {
      for (const P of [2, 4]) {
        const row = table.get(`50/${file}|${P}`) ?? expect.unreachable(`no table row for ${file} P=${P}`);
        if (!row.provenOptimal) continue;
        const instance = instanceFor(file, P);
        const r = await dagPlacementBnbSolver.solve(instance, opts(12_000));
        const label = `${file} P=${P}`;
        expect(r.status, label).toBe('optimal');
        expectValid(instance, r);
        expect(r.objective, label).toBe(row.bestKnown);
        expect(r.bestBound!, label).toBeGreaterThanOrEqual(row.lowerBound);
        proven++;
        if (row.bestKnown > Math.ceil(makespanLowerBounds(instance).lowerBoundMs - 1e-9)) hard++;
      }
    }
    expect(proven).toBeGreaterThanOrEqual(50);
    expect(hard).toBe(8); // the rows of graph_bounds.csv whose optimum is above the trivial bound
  });

  it('on open rows, never claims less than the table lower bound (and closes three of them at the best known value)', async () => {
    for (const [file, P] of [
      ['rand0060.stg', 2],
      ['rand0064.stg', 2],
      ['rand0009.stg', 4],
    ] as const) {
      const row = table.get(`50/${file}|${P}`)!;
      expect(row.provenOptimal).toBe(false);
      const instance = instanceFor(file, P);
      const r = await dagPlacementBnbSolver.solve(instance, opts(5_000));
      expectValid(instance, r);
      expect(r.objective!).toBeGreaterThanOrEqual(row.lowerBound);
      expect(r.bestBound!).toBeGreaterThanOrEqual(row.lowerBound);
      expect(r.objective!).toBeLessThanOrEqual(row.bestKnown);
      expect(r).toMatchObject({ status: 'optimal', objective: row.bestKnown }); // cross-checked by the MILP in docs/exact-solving.md
    }
  });
});

/** A random job DAG of `n` operators (parallelism 1) on a small heterogeneous cluster. */
function randomInstance(rng: Rng, name: string, variant: PlacementVariant, n: number, opts: { comm?: boolean; unrelated?: boolean; slots?: [number, number] } = {}): DagPlacementInstance {
  const [minSlots, maxSlots] = opts.slots ?? [1, 2];
  const tms = Array.from({ length: rng.int(2, 3) }, (_, k) => ({ id: `tm${k}`, slotCount: rng.int(minSlots, maxSlots), speedFactor: [1, 2][rng.int(0, 1)]!, cpuCores: 1 }));
  const operators = Array.from({ length: n }, (_, i) => ({
    id: `o${i}`,
    parallelism: variant === 'sequenced' ? 1 : rng.int(1, 2),
    ...(opts.unrelated
      ? { durationMsByTaskManager: Object.fromEntries(tms.map((tm) => [tm.id, rng.int(1, 9)])) }
      : { workMs: 2 * rng.int(1, 6) }),
  }));
  const edges: Array<DagPlacementSpec['job']['edges'][number]> = [];
  for (let j = 1; j < n; j++) {
    const i = rng.int(0, j - 1);
    if (operators[i]!.parallelism === operators[j]!.parallelism) edges.push({ from: `o${i}`, to: `o${j}`, partitioning: 'forward', bytes: opts.comm ? rng.int(0, 4) * operators[i]!.parallelism : 0 });
    else edges.push({ from: `o${i}`, to: `o${j}`, partitioning: 'hash', bytes: opts.comm ? rng.int(0, 2) * operators[i]!.parallelism * operators[j]!.parallelism : 0 });
  }
  return createDagPlacementInstance({ name, variant, job: { operators, edges }, cluster: { taskManagers: tms, defaultLink: { bandwidthBytesPerMs: 1, latencyMs: 0 } } });
}

describe('sequenced with transfers and unrelated TaskManagers: bnb equals the MILP', () => {
  it('on 12 random instances, every answer validated', async () => {
    const rng = seededRng(2024);
    for (let k = 0; k < 12; k++) {
      const instance = randomInstance(rng, `seq-${k}`, 'sequenced', rng.int(4, 7), { comm: true, unrelated: k % 2 === 0 });
      const b = await dagPlacementBnbSolver.solve(instance, opts(20_000));
      const m = await solveDagPlacementMilp(instance, opts(20_000));
      expect(b.status, instance.name).toBe('optimal');
      expect(m.status, instance.name).toBe('optimal');
      expectValid(instance, b);
      expectValid(instance, m);
      expect(b.objective, instance.name).toBeCloseTo(m.objective!, 9);
    }
  });
});

describe('exclusive and shared variants (MILP)', () => {
  /** Exclusive: every placement's earliest schedule is its best (no slot is shared in time); brute force over TaskManagers. */
  function bruteForceExclusive(instance: DagPlacementInstance): number {
    const n = instance.subtasks.length;
    const tmOf = new Int32Array(n);
    let best = Infinity;
    const rec = (s: number): void => {
      if (s === n) {
        const used = new Int32Array(instance.taskManagers.length);
        const slotOf = new Int32Array(n);
        for (let i = 0; i < n; i++) {
          const tm = instance.taskManagers[tmOf[i]!]!;
          if (used[tm.index]! >= tm.slotCount) return;
          slotOf[i] = tm.firstSlot + used[tm.index]!;
          used[tm.index] = used[tm.index]! + 1;
        }
        best = Math.min(best, evaluateDagPlacement(instance, { slotOfSubtask: slotOf }, 'exclusive').makespanMs);
        return;
      }
      for (let k = 0; k < instance.taskManagers.length; k++) {
        tmOf[s] = k;
        rec(s + 1);
      }
    };
    rec(0);
    return best;
  }

  it('exclusive: the MILP optimum equals brute force on 10 random instances', async () => {
    const rng = seededRng(31);
    let checked = 0;
    for (let k = 0; k < 10; k++) {
      const instance = randomInstance(rng, `excl-${k}`, 'exclusive', rng.int(3, 4), { comm: true, slots: [2, 3] });
      const expected = bruteForceExclusive(instance);
      const r = await solveDagPlacementMilp(instance, opts(20_000));
      if (expected === Infinity) {
        expect(r.status, instance.name).toBe('infeasible');
        expect(r.message).toMatch(/^Infeasible: /);
        continue;
      }
      expect(r.status, instance.name).toBe('optimal');
      expectValid(instance, r);
      expect(r.objective!, instance.name).toBeCloseTo(expected, 9);
      checked++;
    }
    expect(checked).toBeGreaterThan(3);
  });

  it('shared: optimal, validated, no worse than the list schedule and never below the lower bound', async () => {
    const rng = seededRng(47);
    for (let k = 0; k < 8; k++) {
      const instance = randomInstance(rng, `shared-${k}`, 'shared', rng.int(3, 5), { comm: k % 2 === 0 });
      const r = await solveDagPlacementMilp(instance, opts(20_000));
      if (r.status === 'infeasible') continue;
      expect(r.status, instance.name).toBe('optimal');
      expectValid(instance, r);
      const list = bestListSchedule(instance, 'shared');
      if (list) expect(r.objective!).toBeLessThanOrEqual(list.makespanMs + 1e-9);
      const bnb = await dagPlacementBnbSolver.solve(instance, opts(20_000)); // delegates to the MILP
      expect(bnb.objective).toBeCloseTo(r.objective!, 9);
    }
  });

  it('off the time grid (speed factor 1.3791): the continuous-time models agree with brute force (exclusive) and bnb (sequenced)', async () => {
    const rng = seededRng(1379);
    let continuous = 0;
    for (let k = 0; k < 8; k++) {
      const base = randomInstance(rng, `grid-${k}`, k % 2 === 0 ? 'exclusive' : 'sequenced', rng.int(3, 5), { comm: true, slots: [1, 2] });
      const spec = {
        name: base.name,
        variant: base.variant,
        job: { operators: base.operators.map((o) => ({ id: o.id, parallelism: o.parallelism, workMs: base.subtasks[o.subtasks[0]!]!.workMs })), edges: base.jobGraph.mapEdges((_e, a, from, to) => ({ from, to, partitioning: a.partitioning, bytes: a.bytes })) },
        cluster: { taskManagers: base.taskManagers.map((tm, i) => ({ id: tm.id, slotCount: tm.slotCount + (base.variant === 'exclusive' ? 2 : 0), speedFactor: i === 0 ? 1.3791 : 1 })), defaultLink: { bandwidthBytesPerMs: 1, latencyMs: 0 } },
      } satisfies DagPlacementSpec;
      const instance = createDagPlacementInstance(spec);
      expect(planTimeIndexing(instance, instance.variant).problem).toBeDefined();
      // Given the list schedule as incumbent, the MILP skips the heuristics and the pre-search (which would prove
      // most sequenced cases before a model is built): the continuous-time models themselves are under test.
      const r = await solveDagPlacementMilp(instance, opts(20_000), 'default', { incumbent: bestListSchedule(instance, instance.variant)! });
      expect(r.status, instance.name).toBe('optimal');
      expectValid(instance, r);
      expect(r.message).toMatch(/continuous-time model|meets the lower bound/);
      if (/continuous-time model/.test(r.message!)) continuous++;
      const reference = instance.variant === 'exclusive' ? bruteForceExclusive(instance) : (await dagPlacementBnbSolver.solve(instance, opts(20_000))).objective!;
      expect(r.objective!, instance.name).toBeCloseTo(reference, 6);
    }
    expect(continuous).toBeGreaterThanOrEqual(3);
  });

  it('more subtasks than slots under exclusive is infeasible, with a sentence why', async () => {
    const instance = createDagPlacementInstance({
      name: 'too-many',
      variant: 'exclusive',
      job: { operators: [{ id: 'a', parallelism: 3, workMs: 1 }], edges: [] },
      cluster: { taskManagers: [{ id: 'tm1', slotCount: 2 }] },
    });
    for (const r of [await dagPlacementMilp.solve(instance, opts(5_000)), await dagPlacementBnbSolver.solve(instance, opts(5_000))]) {
      expect(r.status).toBe('infeasible');
      expect(r.message).toMatch(/^Infeasible: the job has 3 subtasks but the cluster has 2 slots/);
    }
  });
});
