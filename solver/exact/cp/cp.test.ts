import { describe, expect, it } from 'vitest';
import { heftFixtureDagPlacementSpec, readHeftFixture } from '../../../datasets/loaders/heft-paper.ts';
import { randomLayeredDag } from '../../../datasets/generators/layered-dag.ts';
import { loadInstance } from '../../../datasets/loaders/index.ts';
import { dataPath } from '../../../datasets/paths.ts';
import { createDagPlacementInstance, type DagPlacementInstance } from '../../../models/dag-placement/instance.ts';
import { seededRng } from '../../../models/rng.ts';
import type { Schedule } from '../../../models/solution.ts';
import { findSolver } from '../../registry.ts';
import type { SolveResult } from '../../types.ts';
import { makespanLowerBounds } from '../../../models/dag-placement/bounds.ts';
import { AoProblem } from '../allocation-ordering/problem.ts';
import { expectValidSchedule } from '../../../test/support/expect-valid-schedule.ts';
import { cpNotApplicable } from './applicable.ts';
import { buildCpDagModel, cpTimeScale } from './dag-model.ts';
import { liveMiniZincWorkers, runMiniZinc } from './minizinc-runner.ts';

const cp = findSolver('cp', 'dag-placement');
const opts = (timeLimitMs: number) => ({ rng: seededRng(1), timeLimitMs });

/** A valid schedule whose objective is the model's, and no MiniZinc worker left running. */
function expectValid(instance: DagPlacementInstance, r: SolveResult<Schedule>): void {
  expectValidSchedule(instance, r);
  expect(liveMiniZincWorkers()).toBe(0);
}

describe('cp: the constraint model solved by Chuffed (MiniZinc WebAssembly in a worker thread)', () => {
  it('a run past its hard deadline is stopped and its worker terminated', async () => {
    // a model with no end in sight: all permutations of 14 values, counted
    const r = await runMiniZinc({
      files: { 'm.mzn': 'include "alldifferent.mzn"; array[1..14] of var 1..14: x; constraint alldifferent(x); solve satisfy;' },
      args: ['m.mzn', '--solver', 'chuffed', '--all-solutions'],
      jsonStream: true,
      hardDeadline: performance.now() + 2_000,
    });
    expect(r.stopped).toBe('deadline');
    expect(r.exitCode).toBeUndefined();
    expect(liveMiniZincWorkers()).toBe(0);
  });

  it('the FlatZinc model alone, solved by Chuffed: 73 on the HEFT paper example (uniform links); the proven optima of small DAGs on identical TaskManagers and with link speeds', async () => {
    const solveModel = async (instance: DagPlacementInstance, upperBoundMs: number) => {
      const p = new AoProblem(instance);
      const scale = cpTimeScale(instance);
      if ('problem' in scale) throw new Error(scale.problem);
      const { flatzinc } = buildCpDagModel(p, scale.scale, makespanLowerBounds(instance).lowerBoundMs, upperBoundMs, false);
      const r = await runMiniZinc({ files: { 'm.fzn': flatzinc }, args: ['m.fzn', '--solver', 'chuffed', '-f', '-r', '1'], jsonStream: true });
      expect(r.messages.find((m) => m.type === 'status')?.status).toBe('OPTIMAL_SOLUTION');
      const last = r.messages.filter((m) => m.type === 'solution').at(-1)!.output as { dzn: string };
      return Number(/mk = (\d+);/.exec(last.dzn)![1]) / scale.scale;
    };
    expect(await solveModel(createDagPlacementInstance(heftFixtureDagPlacementSpec(readHeftFixture())), 80)).toBe(73);
    // identical TaskManagers (value precedence breaks their symmetry) and related ones with a link matrix
    for (const [seed, speeds, links] of [
      [101, [1, 1, 1, 1], []],
      [104, [1, 1, 2], [{ a: 'tm1', b: 'tm3', bandwidthBytesPerMs: 2 }]],
    ] as const) {
      const job = randomLayeredDag(seededRng(seed), { layers: [3, 4], width: [2, 3], workMs: [10, 60], bytes: [5, 60] });
      const instance = createDagPlacementInstance({
        name: `model-${seed}`,
        variant: 'sequenced',
        job,
        cluster: { taskManagers: speeds.map((speedFactor, i) => ({ id: `tm${i + 1}`, slotCount: 1, speedFactor })), defaultLink: { bandwidthBytesPerMs: 1, latencyMs: 0 }, links: [...links] },
      });
      const ao = await findSolver('allocation-ordering', 'dag-placement').solve(instance, opts(30_000));
      expect(ao.status).toBe('optimal');
      expect(await solveModel(instance, ao.objective! * 2)).toBeCloseTo(ao.objective!, 6);
    }
    expect(liveMiniZincWorkers()).toBe(0);
  });

  it('HEFT paper example (Topcuoglu et al. 2002; HEFT 80): proves 73, the optimum bnb and the time-indexed MILP prove', async () => {
    const instance = createDagPlacementInstance(heftFixtureDagPlacementSpec(readHeftFixture()));
    const r = await cp.solve(instance, opts(60_000));
    expectValid(instance, r);
    expect(r).toMatchObject({ status: 'optimal', objective: 73, bestBound: 73 });
  });

  // Optima proven by OR-tools CP-SAT 9.15 (datasets/data/exact-comm/README.md). Chuffed proves both in a few seconds
  // (benchmarks/exact-depth.ts --classes exact-comm times them); here the quicker one, with a limit generous enough
  // that a loaded machine does not decide it.
  for (const [file, optimumMs] of [['layered-30x4-s3-matrix.json', 543]] as const) {
    it(`${file}: proves the CP-SAT optimum ${optimumMs.toFixed(2)}`, async () => {
      const instance = loadInstance(dataPath(`exact-comm/${file}`)) as DagPlacementInstance;
      const r = await cp.solve(instance, opts(120_000));
      expectValid(instance, r);
      expect(r.status).toBe('optimal');
      expect(r.objective!).toBeCloseTo(optimumMs, 6);
      expect(r.bestBound!).toBeCloseTo(optimumMs, 6);
      // Chuffed and the allocation–ordering search race: either may give the proof, depending on the machine's load
      expect(r.message).toMatch(/^Optimal: the (constraint search \(lazy clause generation\)|allocation–ordering search, racing the constraint search,) proved that no/);
    }, 180_000);
  }

  it('agrees with the allocation–ordering search on small DAGs: identical TaskManagers (symmetry broken), speeds, link speeds', async () => {
    const ao = findSolver('allocation-ordering', 'dag-placement');
    let compared = 0;
    for (let seed = 1; seed <= 4; seed++) {
      const rng = seededRng(100 + seed);
      const job = randomLayeredDag(rng, { layers: [3, 4], width: [2, 3], workMs: [10, 60], bytes: [5, 60] });
      const speeds = seed <= 2 ? [1, 1, 1] : [1, 1, 2];
      const instance = createDagPlacementInstance({
        name: `small-${seed}`,
        variant: 'sequenced',
        job,
        cluster: {
          taskManagers: speeds.map((speedFactor, i) => ({ id: `tm${i + 1}`, slotCount: 1, speedFactor })),
          defaultLink: { bandwidthBytesPerMs: 1, latencyMs: 0 },
          ...(seed === 4 ? { links: [{ a: 'tm1', b: 'tm3', bandwidthBytesPerMs: 2 }] } : {}),
        },
      });
      const [a, b] = [await cp.solve(instance, opts(30_000)), await ao.solve(instance, opts(30_000))];
      expectValid(instance, a);
      expectValid(instance, b);
      expect(a.status).toBe('optimal');
      expect(a.objective!).toBeLessThanOrEqual(b.objective! + 1e-6);
      if (b.status === 'optimal') {
        expect(a.objective!).toBeCloseTo(b.objective!, 6);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(3);
  }, 120_000);

  it('at its time limit: a valid schedule, never below the optimum, bound never above it, and no worker left', async () => {
    const instance = loadInstance(dataPath('exact-comm/layered-30x4-s2-links.json')) as DagPlacementInstance;
    const r = await cp.solve(instance, opts(1_000));
    expectValid(instance, r);
    expect(r.objective!).toBeGreaterThanOrEqual(3376 / 12 - 1e-6);
    expect(r.bestBound!).toBeLessThanOrEqual(3376 / 12 + 1e-6);
    if (r.status !== 'optimal') expect(r.status).toBe('feasible');
  });

  it('times with no common denominator up to 1000: not modelled, solved by bnb, and said so', async () => {
    const job = randomLayeredDag(seededRng(7), { layers: [2, 3], width: [2, 2], workMs: [10, 40], bytes: [5, 40] });
    const instance = createDagPlacementInstance({
      name: 'irrational',
      variant: 'sequenced',
      job,
      cluster: { taskManagers: [1, Math.SQRT2].map((speedFactor, i) => ({ id: `tm${i + 1}`, slotCount: 1, speedFactor })), defaultLink: { bandwidthBytesPerMs: 1, latencyMs: 0 } },
    });
    expect(cpNotApplicable(instance, 'sequenced')).toMatch(/no common denominator up to 1000/);
    const r = await cp.solve(instance, opts(20_000));
    expectValid(instance, r);
    expect(r.solver).toBe('cp');
    expect(r.message).toMatch(/solved by bnb/);
  });
});
