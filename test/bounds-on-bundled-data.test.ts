import { describe, expect, it } from 'vitest';
import { PLACEMENT_VARIANTS, withVariant, type DagPlacementInstance } from '../models/dag-placement/instance.ts';
import { makespanLowerBounds } from '../models/dag-placement/bounds.ts';
import { dagPlacementInfeasibility } from '../models/dag-placement/feasibility.ts';
import { validateDagPlacement } from '../models/dag-placement/validator.ts';
import { seededRng } from '../models/rng.ts';
import { CATALOG, datasetFiles } from '../datasets/catalog.ts';
import { loadInstance } from '../datasets/loaders/index.ts';
import { readStgOptima, stgOptimum } from '../datasets/loaders/stg-reference.ts';
import { stgGraphKey } from '../datasets/loaders/stg.ts';
import { dataPath } from '../datasets/paths.ts';
import { solveWith } from '../solver/registry.ts';
import { maxUtilizationLowerBound } from '../models/load-balancing/bounds.ts';
import type { LoadBalancingInstance } from '../models/load-balancing/instance.ts';
import { validateLoadBalancing } from '../models/load-balancing/validator.ts';
import { readBppOptima, bppOptimum } from '../datasets/loaders/bpplib.ts';

// A lower bound that sits above a validated optimum is a false proof (it also feeds the MILPs' makespan rows and
// the CSV's lower_bound). Every bundled DAG instance, under every variant, is checked against published optima
// where they exist (Kasahara's STG table; the HEFT paper example's proven optimum 73) and against the validated
// schedules of fast heuristics everywhere (any valid schedule is at least the optimum).
const STG_PROCESSORS = [2, 4, 8, 16] as const;
const HEURISTICS = ['heft', 'critical-path', 'flink-default'] as const;

async function bestValidatedMakespan(instance: DagPlacementInstance): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (const name of HEURISTICS) {
    const result = await solveWith(name, instance, { rng: seededRng(1) });
    if (result.solution === undefined) continue;
    expect(validateDagPlacement(instance, result.solution), `${name} on ${instance.name}`).toEqual([]);
    best = Math.min(best, result.objective!);
  }
  return best;
}

async function checkEveryVariant(instance: DagPlacementInstance): Promise<number> {
  let checked = 0;
  for (const variant of PLACEMENT_VARIANTS) {
    const v = withVariant(instance, variant);
    if (dagPlacementInfeasibility(v) !== undefined) continue;
    const bound = makespanLowerBounds(v).lowerBoundMs;
    const best = await bestValidatedMakespan(v);
    if (Number.isFinite(best)) {
      expect(bound, `${v.name} under ${variant}`).toBeLessThanOrEqual(best * (1 + 1e-9));
      checked++;
    }
  }
  return checked;
}

describe('makespan lower bounds on every bundled DAG instance', () => {
  it('STG random graphs, P = 2, 4, 8, 16: never above the published optimum or best known value', () => {
    const table = readStgOptima();
    let compared = 0;
    for (const entry of CATALOG.filter((e) => e.name === 'stg-random-50' || e.name === 'stg-random-100')) {
      for (const file of datasetFiles(entry)) {
        for (const processors of STG_PROCESSORS) {
          const reference = stgOptimum(stgGraphKey(file), processors, table);
          if (reference === undefined) continue;
          const instance = loadInstance(file, { taskManagers: processors }) as DagPlacementInstance;
          expect(makespanLowerBounds(instance).lowerBoundMs, `${file} P=${processors}`).toBeLessThanOrEqual(reference.bestKnown);
          if (reference.provenOptimal) expect(makespanLowerBounds(instance).lowerBoundMs).toBeLessThanOrEqual(reference.lowerBound);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThanOrEqual(150);
  });

  it('the HEFT paper example: never above its proven optimum 73 under sequenced', () => {
    const instance = loadInstance(dataPath('heft-fixtures/topcuoglu2002_fig2.json')) as DagPlacementInstance;
    expect(makespanLowerBounds(withVariant(instance, 'sequenced')).lowerBoundMs).toBeLessThanOrEqual(73);
  });

  it('every bundled DAG file, every variant: never above a validated schedule', async () => {
    let checked = 0;
    for (const entry of CATALOG.filter((e) => e.model === 'dag-placement' || e.model === 'mixed')) {
      for (const file of datasetFiles(entry)) {
        if (entry.format === 'bpplib') continue;
        const options = entry.needs === undefined ? {} : { taskManagers: 4 };
        const instance = loadInstance(file, options);
        if (instance.kind !== 'dag-placement') continue;
        checked += await checkEveryVariant(instance);
      }
    }
    for (const example of ['design-example.json', 'flink-wordcount-streaming.json', 'small-diamond.stg']) {
      const instance = loadInstance(dataPath(`../examples/${example}`), example.endsWith('.stg') ? { taskManagers: 3 } : {});
      if (instance.kind === 'dag-placement') checked += await checkEveryVariant(instance);
    }
    expect(checked).toBeGreaterThanOrEqual(50);
  });
});

// The load-balancing lower bound (models/load-balancing/bounds.ts: preemptive, work, pigeonhole, Martello–Toth L2)
// feeds the exact bnb and the CSV's lower_bound. BPPLIB publishes the bin counts: B bins of capacity c hold the
// items, so on B identical TaskManagers the optimal max utilisation is at most c, and so must be the bound.
describe('max-utilisation lower bound on every bundled load-balancing instance', () => {
  async function lptMakespan(instance: LoadBalancingInstance): Promise<number> {
    const result = await solveWith('lpt', instance, { rng: seededRng(1) });
    expect(validateLoadBalancing(instance, result.solution!), `lpt on ${instance.name}`).toEqual([]);
    return result.objective!;
  }

  it('BPPLIB with m = the published bin count (optimal where known, else the best upper bound): never above the capacity, nor above LPT', async () => {
    const table = readBppOptima();
    let checked = 0;
    let optimal = 0;
    for (const entry of CATALOG.filter((e) => e.format === 'bpplib')) {
      for (const file of datasetFiles(entry)) {
        const row = bppOptimum(file, table) ?? expect.unreachable(`no bounds.csv row for ${file}`);
        const bins = row.optimalBins ?? row.upperBoundBins;
        const instance = loadInstance(file, { taskManagers: bins }) as LoadBalancingInstance;
        const bound = maxUtilizationLowerBound(instance).valueMs;
        expect(bound, `${file} on ${bins} TaskManagers`).toBeLessThanOrEqual(row.capacity);
        expect(bound, `${file} on ${bins} TaskManagers`).toBeLessThanOrEqual(await lptMakespan(instance));
        checked++;
        if (row.optimalBins !== undefined) optimal++;
      }
    }
    expect(checked).toBe(25);
    expect(optimal).toBeGreaterThanOrEqual(20);
  });

  it('the bundled load-balancing example: never above a validated LPT assignment', async () => {
    const instance = loadInstance(dataPath('../examples/load-balancing.json')) as LoadBalancingInstance;
    expect(instance.kind).toBe('load-balancing');
    expect(maxUtilizationLowerBound(instance).valueMs).toBeLessThanOrEqual(await lptMakespan(instance));
  });
});
