import { afterAll, describe, expect, it } from 'vitest';
import { createDagPlacementInstance, type DagPlacementSpec, type PlacementVariant } from '../models/dag-placement/instance.ts';
import { seededRng } from '../models/rng.ts';
import { validateSolution } from '../models/validate.ts';
import { generateSpec } from '../datasets/generators/index.ts';
import { solversFor, solveWith } from './registry.ts';
import { createMilpBackend } from './milp/backends.ts';

// Fine-grained resources in the DAG placement heuristics: the list schedulers (ScheduleBuilder) and Flink's
// strategies (matchSlots) offer a subtask only slots whose TaskManager can still cut its slot sharing group's
// profile (models/dag-placement/resources.ts DagSlotCuts, the fits rule of models/resources). The same heuristics
// blind to the profiles (the instance without TaskManager resources) misfit on most of these instances.

const MIB = 1048576;
const heavy = { cpuCores: 2, taskHeapBytes: 1024 * MIB, taskOffHeapBytes: 0, managedBytes: 1024 * MIB, networkBytes: 64 * MIB };
const light = { cpuCores: 0.5, taskHeapBytes: 256 * MIB, taskOffHeapBytes: 0, managedBytes: 256 * MIB, networkBytes: 32 * MIB };
// each TaskManager cuts one heavy slot and two light ones, or six light ones (four slot numbers)
const tmResources = { cpuCores: 3, taskHeapBytes: 2048 * MIB, taskOffHeapBytes: 0, managedBytes: 2048 * MIB, networkBytes: 256 * MIB };

/** A seeded layered DAG (datasets' generator), its operators dealt at random into the groups `heavy` and `light`. */
function multiProfileSpec(seed: number, variant: PlacementVariant, withResources: boolean): DagPlacementSpec {
  const rng = seededRng(seed);
  const generated = generateSpec('layered-dag', { layers: [3, 4], width: [2, 3], parallelism: [1, 3], workMs: [1, 6], variant }, rng, 'multi-profile');
  if (generated.kind !== 'dag-placement') throw new Error('expected a DAG placement spec');
  const spec = generated.spec;
  // the first operator and about 40 % of the others are heavy (parallelism <= 3: one heavy slot per TaskManager)
  const operators = spec.job.operators.map((op, i) => ({ ...op, slotSharingGroup: i === 0 || rng.next() < 0.4 ? 'heavy' : 'light' }));
  const taskManagers = ['tm1', 'tm2', 'tm3'].map((id) => ({ id, slotCount: 4, cpuCores: 3, ...(withResources ? { resources: tmResources, slotCutting: 'dynamic' as const } : {}) }));
  return { ...spec, name: `multi-profile-${seed}`, variant, job: { ...spec.job, operators, slotSharingGroups: { heavy, light } }, cluster: { taskManagers } };
}

describe('DAG placement heuristics plan around resource profiles', () => {
  const backend = createMilpBackend('highs'); // one HiGHS worker for milp and milp:highs
  afterAll(() => backend.dispose());
  for (const variant of ['shared', 'sequenced'] as const) {
    it(`under ${variant}: every registered DAG solver's answer passes the validator; the profile-blind heuristics misfit`, async () => {
      const profiled = createDagPlacementInstance(multiProfileSpec(7, variant, true));
      const blind = createDagPlacementInstance(multiProfileSpec(7, variant, false));
      expect(profiled.subtasks.length).toBeGreaterThanOrEqual(8);
      let valid = 0;
      let blindMisfits = 0;
      const heuristics = solversFor('dag-placement').filter((s) => s.kind === 'heuristic');
      for (const solver of solversFor('dag-placement')) {
        const options = { rng: seededRng(3), timeLimitMs: 2_000, backend };
        const r = await solveWith(solver.name, profiled, options);
        if (solver.kind === 'exact') {
          // exact solvers either answer a valid placement or say that theirs did not fit
          if (r.solution !== undefined) expect(validateSolution(profiled, r.solution), solver.name).toEqual([]);
          else expect(r.message, solver.name).toMatch(/fits the resource profiles|time limit|timeout|no solution/i);
          continue;
        }
        expect(r.status, `${solver.name}: ${r.message}`).toBe('feasible');
        expect(validateSolution(profiled, r.solution!), solver.name).toEqual([]);
        valid++;
        const b = await solveWith(solver.name, blind, options);
        if (b.solution !== undefined && validateSolution(profiled, b.solution).some((v) => v.constraint === 'resources')) blindMisfits++;
      }
      expect(valid).toBe(heuristics.length);
      expect(blindMisfits).toBeGreaterThanOrEqual(Math.ceil(heuristics.length / 2));
    }, 60_000);
  }

  it('a heuristic that runs out of cuttable slots answers error "found no placement that fits", not a misfit', async () => {
    // heavy a (parallelism 2) and light b (parallelism 5) need 2 heavy and 5 light slots under shared
    const spec: DagPlacementSpec = {
      name: 'tight',
      variant: 'shared',
      job: {
        operators: [
          { id: 'a', parallelism: 2, workMs: 1, slotSharingGroup: 'heavy' },
          { id: 'b', parallelism: 5, workMs: 1, slotSharingGroup: 'light' },
        ],
        edges: [{ from: 'a', to: 'b', partitioning: 'hash', bytes: 0 }],
        slotSharingGroups: { heavy, light },
      },
      cluster: { taskManagers: ['tm1', 'tm2'].map((id) => ({ id, slotCount: 4, cpuCores: 3, resources: tmResources, slotCutting: 'dynamic' as const })) },
    };
    const instance = createDagPlacementInstance(spec);
    // 2 heavy + 5 light slots need 6.5 cores of 6: no placement exists, but the necessary checks pass
    for (const name of ['heft', 'flink-default']) {
      const r = await solveWith(name, instance, { rng: seededRng(1) });
      expect(r.status, name).toBe('error');
      expect(r.message, name).toMatch(/found no placement that fits the resource profiles/);
    }
  });
});
