import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createDagPlacementInstance } from '../../models/dag-placement/instance.ts';
import { validateDagPlacement } from '../../models/dag-placement/validator.ts';
import { makespanLowerBounds } from '../../models/dag-placement/bounds.ts';
import { parseClusterShorthand } from '../../models/graphs/cluster.ts';
import { seededRng } from '../../models/rng.ts';
import { dataPath } from '../../datasets/paths.ts';
import { readStg, stgDagPlacementSpec, stgGraphKey } from '../../datasets/loaders/stg.ts';
import { readStgOptima, stgOptimum } from '../../datasets/loaders/stg-reference.ts';
import type { Solver } from '../types.ts';
import { heft } from './heft.ts';
import { cpop } from './cpop.ts';
import { peft } from './peft.ts';
import { criticalPath } from './critical-path.ts';
import { roundRobinDag } from './round-robin.ts';
import { randomDag } from './random.ts';

// Every bundled graph of the Standard Task Graph Set (T. Tobita, H. Kasahara, J. Scheduling 5(5), 2002) on
// P identical processors (P TaskManagers with one slot, no communication), P = 2, 4, 8, 16, as in Kasahara's
// table of optimal schedule lengths (datasets/data/stg/optimal_schedule_lengths_v2.csv, read with papaparse).
// Every list schedule obeys Graham's bound C ≤ Σp/m + (1 − 1/m)·(longest chain) (Graham 1966/1969); no
// schedule, list or not, is ever below the table's optimum (or its lower bound where the optimum is open).
// Graham's bound holds for greedy list schedules: a processor is never idle while a task could start on it.
// HEFT, PEFT and the critical-path scheduler place every task where it finishes (starts) earliest. CPOP is not
// greedy in that sense: it keeps every critical-path task for one processor, where it may wait while another
// processor idles, so it is checked for validity and the table only (and shown to exceed the bound below).
const LIST_SCHEDULERS: Solver<'dag-placement'>[] = [heft, peft, criticalPath];
const OTHERS: Solver<'dag-placement'>[] = [cpop, roundRobinDag, randomDag];
const files = ['50', '100', 'app'].flatMap((dir) =>
  readdirSync(dataPath(`stg/graphs/${dir}`))
    .filter((f) => f.endsWith('.stg'))
    .sort()
    .map((f) => dataPath(`stg/graphs/${dir}/${f}`)),
);
const optima = readStgOptima();

describe('list schedulers on the STG graphs (identical processors, no communication)', () => {
  it('finds all 43 bundled graphs and the table rows of the 40 random ones', () => {
    expect(files).toHaveLength(43);
    const withTable = files.filter((f) => stgOptimum(stgGraphKey(f), 4, optima) !== undefined);
    expect(withTable).toHaveLength(40);
  });

  for (const file of files) {
    const key = stgGraphKey(file);
    it(`${key}: Graham's bound, the table optimum, and the validator, P = 2, 4, 8, 16`, async () => {
      const graph = readStg(file);
      for (const m of [2, 4, 8, 16]) {
        const instance = createDagPlacementInstance(stgDagPlacementSpec(graph, parseClusterShorthand(`${m}x1`)));
        const work = instance.subtasks.reduce((t, s) => t + s.workMs, 0);
        const chain = makespanLowerBounds(instance).criticalPathMs;
        const graham = work / m + (1 - 1 / m) * chain;
        const table = stgOptimum(key, m, optima);
        for (const solver of [...LIST_SCHEDULERS, ...OTHERS]) {
          const result = await solver.solve(instance, { rng: seededRng(m) });
          expect(result.status, `${solver.name} on ${key}, P = ${m}`).toBe('feasible');
          expect(validateDagPlacement(instance, result.solution!), `${solver.name} on ${key}, P = ${m}`).toEqual([]);
          const makespan = result.objective!;
          if (table !== undefined) expect(makespan, `${solver.name} on ${key}, P = ${m}: below the table`).toBeGreaterThanOrEqual(table.lowerBound);
          expect(makespan).toBeGreaterThanOrEqual(Math.max(chain, Math.ceil(work / m)));
          if (LIST_SCHEDULERS.includes(solver)) expect(makespan, `${solver.name} on ${key}, P = ${m}: Graham's bound ${graham}`).toBeLessThanOrEqual(graham + 1e-9);
        }
      }
    });
  }

  it('CPOP is not a greedy list schedule: it exceeds Graham\'s bound on some graphs (e.g. 50/rand0002.stg, P = 8)', async () => {
    const instance = createDagPlacementInstance(stgDagPlacementSpec(readStg(dataPath('stg/graphs/50/rand0002.stg')), parseClusterShorthand('8x1')));
    const work = instance.subtasks.reduce((t, s) => t + s.workMs, 0);
    const graham = work / 8 + (1 - 1 / 8) * makespanLowerBounds(instance).criticalPathMs;
    const cpopSpan = (await cpop.solve(instance, { rng: seededRng(1) })).objective!;
    const heftSpan = (await heft.solve(instance, { rng: seededRng(1) })).objective!;
    expect(cpopSpan).toBeGreaterThan(graham);
    expect(heftSpan).toBeLessThanOrEqual(graham);
  });
});
