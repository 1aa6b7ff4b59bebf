import { afterAll, describe, expect, it } from 'vitest';
import { createDagPlacementInstance, type DagPlacementSpec, type PlacementVariant } from '../../models/dag-placement/instance.ts';
import { formulateDagPlacementTimeIndexed, planTimeIndexing } from '../../models/dag-placement/formulation.ts';
import { formulateDagPlacementContinuous } from '../../models/dag-placement/formulation-continuous.ts';
import { validateDagPlacement } from '../../models/dag-placement/validator.ts';
import { makespanMs, toSchedule } from '../../models/solution.ts';
import { seededRng } from '../../models/rng.ts';
import { createMilpBackend } from '../milp/backends.ts';
import { solveWith } from '../registry.ts';
import { runFormulation } from './milp-glue.ts';

// Profile rows in the DAG placement MILPs (models/dag-placement/formulation-profiles.ts), on a hand-computed case.
//
// a (group heavy: 1.5 cores, 1 GiB heap) -> b (group light: 1 core, 512 MiB heap), work 4 ms each, forward edge
// whose transfer between TaskManagers costs 3 ms. tm1: speed 2, 2 cores; tm2: speed 1, 4 cores; both 2 slots,
// cutting slots dynamically.
// - Without profiles the optimum runs both on the fast tm1: a 0-2, b 2-4, makespan 4.
// - With profiles a and b need two slots under exclusive and shared (different groups), 1.5 + 1 = 2.5 cores, more than
//   tm1's 2: tm1 can hold one of them only. a on tm1 (0-2), b on tm2 (2 + 3 transfer, 5-9): 9; a on tm2 (0-4), b on
//   tm1 (4 + 3, 7-9): 9; both on tm2: 0-4, 4-8: 8. The profile-respecting optimum is 8.
// - Under sequenced one slot may run a then b, cut to the larger profile (1.5 cores): both fit tm1 in one slot, 4.
const MIB = 1048576;
const heavy = { cpuCores: 1.5, taskHeapBytes: 1024 * MIB, taskOffHeapBytes: 0, managedBytes: 0, networkBytes: 0 };
const light = { cpuCores: 1, taskHeapBytes: 512 * MIB, taskOffHeapBytes: 0, managedBytes: 0, networkBytes: 0 };

function spec(variant: PlacementVariant, withResources: boolean): DagPlacementSpec {
  const resources = (cpuCores: number) => (withResources ? { resources: { cpuCores, taskHeapBytes: 4096 * MIB, taskOffHeapBytes: 0, managedBytes: 0, networkBytes: 0 }, slotCutting: 'dynamic' as const } : {});
  return {
    name: 'two-profiles',
    variant,
    job: {
      operators: [
        { id: 'a', parallelism: 1, workMs: 4, slotSharingGroup: 'heavy' },
        { id: 'b', parallelism: 1, workMs: 4, slotSharingGroup: 'light' },
      ],
      edges: [{ from: 'a', to: 'b', partitioning: 'forward', bytes: 3000 }],
      slotSharingGroups: { heavy, light },
    },
    cluster: {
      defaultLink: { bandwidthBytesPerMs: 1000, latencyMs: 0 },
      taskManagers: [
        { id: 'tm1', slotCount: 2, cpuCores: 2, speedFactor: 2, ...resources(2) },
        { id: 'tm2', slotCount: 2, cpuCores: 4, speedFactor: 1, ...resources(4) },
      ],
    },
  };
}

const backend = createMilpBackend('highs');
afterAll(() => backend.dispose());

describe('profile rows in the DAG placement MILPs (hand-computed optimum)', () => {
  for (const variant of ['exclusive', 'shared'] as const) {
    it(`${variant}: milp proves 8 ms where the optimum without profiles (4 ms) misfits`, async () => {
      const profiled = createDagPlacementInstance(spec(variant, true));
      const blind = createDagPlacementInstance(spec(variant, false));
      const free = await solveWith('milp', blind, { rng: seededRng(1), backend, timeLimitMs: 20_000 });
      expect([free.status, free.objective]).toEqual(['optimal', 4]);
      expect(validateDagPlacement(profiled, free.solution!).map((v) => v.constraint)).toEqual(['resources']);
      const r = await solveWith('milp', profiled, { rng: seededRng(1), backend, timeLimitMs: 20_000 });
      expect([r.status, r.objective], r.message).toEqual(['optimal', 8]);
      expect(validateDagPlacement(profiled, r.solution!)).toEqual([]);
    });

    it(`${variant}: the time-indexed model alone (no MIP start) reaches 8 ms`, async () => {
      const instance = createDagPlacementInstance(spec(variant, true));
      const f = formulateDagPlacementTimeIndexed(instance, { plan: planTimeIndexing(instance, variant), horizon: 16 });
      const { milp, solution } = await runFormulation(f, 'highs', { rng: seededRng(1), backend, timeLimitMs: 20_000 });
      expect(milp.status).toBe('optimal');
      expect(makespanMs(solution!)).toBe(8);
      expect(validateDagPlacement(instance, toSchedule(instance, solution!), variant)).toEqual([]);
    });
  }

  it('exclusive: the continuous-time model reaches 8 ms too', async () => {
    const instance = createDagPlacementInstance(spec('exclusive', true));
    const f = formulateDagPlacementContinuous(instance, { variant: 'exclusive' });
    const { milp, solution } = await runFormulation(f, 'highs', { rng: seededRng(1), backend, timeLimitMs: 20_000 });
    expect(milp.status).toBe('optimal');
    expect(makespanMs(solution!)).toBe(8);
    expect(validateDagPlacement(instance, toSchedule(instance, solution!), 'exclusive')).toEqual([]);
  });

  it('sequenced: the continuous-time model cuts one slot to the larger profile (4 ms); the time-indexed one cuts per group (8 ms) and says so', async () => {
    const instance = createDagPlacementInstance(spec('sequenced', true));
    const continuous = formulateDagPlacementContinuous(instance, { variant: 'sequenced', horizonMs: 16 });
    const c = await runFormulation(continuous, 'highs', { rng: seededRng(1), backend, timeLimitMs: 20_000 });
    expect(c.milp.status).toBe('optimal');
    expect(makespanMs(c.solution!)).toBe(4);
    expect(validateDagPlacement(instance, toSchedule(instance, c.solution!), 'sequenced')).toEqual([]);
    const timeIndexed = formulateDagPlacementTimeIndexed(instance, { plan: planTimeIndexing(instance, 'sequenced'), horizon: 16 });
    expect(timeIndexed.restriction).toMatch(/per slot sharing group/);
    const t = await runFormulation(timeIndexed, 'highs', { rng: seededRng(1), backend, timeLimitMs: 20_000 });
    expect(makespanMs(t.solution!)).toBe(8);
    expect(validateDagPlacement(instance, toSchedule(instance, t.solution!), 'sequenced')).toEqual([]);
    // through the registry the list schedule (one slot, 4 ms) meets the critical-path bound: optimal
    const r = await solveWith('milp', instance, { rng: seededRng(1), backend, timeLimitMs: 20_000 });
    expect([r.status, r.objective]).toEqual(['optimal', 4]);
    expect(validateDagPlacement(instance, r.solution!)).toEqual([]);
  });
});
