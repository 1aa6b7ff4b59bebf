import { describe, expect, it } from 'vitest';
import { createDagPlacementInstance, PLACEMENT_VARIANTS, type DagPlacementInstance } from '../../models/dag-placement/instance.ts';
import { createLoadBalancingInstance, type LoadBalancingInstance } from '../../models/load-balancing/instance.ts';
import { createSlotAllocationInstance, type SlotAllocationInstance } from '../../models/slot-allocation/instance.ts';
import { objectiveOf, validateSolution } from '../../models/validate.ts';
import type { AnyInstance, AnySolution } from '../../models/model-kind.ts';
import { SolverNotApplicableError } from '../../models/errors.ts';
import { seededRng } from '../../models/rng.ts';
import { documentExampleSpec } from '../../models/test/document-example.ts';
import { heftFixtureDagPlacementSpec, readHeftFixture } from '../../datasets/loaders/heft-paper.ts';
import { findSolver, SOLVERS } from '../registry.ts';
import type { AnySolver, SolveResult } from '../types.ts';
import { HEURISTICS } from './index.ts';

// Registry-wide: every registered heuristic on a few instances of its model, under every variant for DAG
// placement, through the model's own validator; and the names the issue promises.
const dagInstances: DagPlacementInstance[] = [
  createDagPlacementInstance(documentExampleSpec('shared')),
  createDagPlacementInstance(heftFixtureDagPlacementSpec(readHeftFixture())),
  createDagPlacementInstance({
    name: 'streaming-on-racks',
    variant: 'shared',
    job: {
      operators: [
        { id: 'source', parallelism: 3, workMs: 4, memoryBytes: 10 },
        { id: 'map', parallelism: 3, workMs: 6, memoryBytes: 10 },
        { id: 'window', parallelism: 2, subtaskWorkMs: [30, 5], memoryBytes: 40, slotSharingGroup: 'heavy' },
        { id: 'sink', parallelism: 1, workMs: 2 },
      ],
      edges: [
        { from: 'source', to: 'map', partitioning: 'forward', bytes: 300 },
        { from: 'map', to: 'window', partitioning: 'hash', bytes: 600 },
        { from: 'window', to: 'sink', partitioning: 'rebalance', bytes: 100 },
      ],
    },
    cluster: {
      taskManagers: [
        { id: 'tm1', slotCount: 3, speedFactor: 1, memoryBytes: 200, rack: 'r1' },
        { id: 'tm2', slotCount: 2, speedFactor: 2, memoryBytes: 100, rack: 'r1', cpuCores: 1 },
        { id: 'tm3', slotCount: 4, speedFactor: 0.5, memoryBytes: 200, rack: 'r2' },
      ],
      defaultLink: { latencyMs: 1, bandwidthBytesPerMs: 100 },
      interRackLink: { latencyMs: 5, bandwidthBytesPerMs: 20 },
      links: [{ a: 'tm1', b: 'tm3', latencyMs: 2, bandwidthBytesPerMs: 50 }],
    },
  }),
];
const lbInstances: LoadBalancingInstance[] = [
  createLoadBalancingInstance({ name: 'skew', taskManagers: [{ id: 'a' }, { id: 'b' }, { id: 'c' }], tasks: [12, 1, 1, 1, 5, 5, 3].map((load, i) => ({ id: `t${i}`, operator: i < 4 ? 'agg' : 'map', load })) }),
  createLoadBalancingInstance({
    name: 'rebalancing',
    objective: 'squared-deviation',
    migrationCostMs: 0.5,
    taskManagers: [{ id: 'a', slotCount: 4, speedFactor: 2, memoryBytes: 100 }, { id: 'b', slotCount: 3, memoryBytes: 60 }, { id: 'c', slotCount: 3 }],
    tasks: [9, 7, 5, 3, 3, 2, 1].map((load, i) => ({ id: `t${i}`, load, memoryBytes: 20, currentTaskManager: i < 5 ? 'a' : 'b' })),
  }),
];
const saInstances: SlotAllocationInstance[] = [
  createSlotAllocationInstance({ name: 'plain', taskManagers: [{ id: 'tm1', slotCount: 6 }, { id: 'tm2', slotCount: 2 }, { id: 'tm3', slotCount: 4 }], jobs: [{ id: 'a', slotDemand: 4 }, { id: 'b', minSlots: 2, maxSlots: 5 }] }),
  createSlotAllocationInstance({
    name: 'profiles',
    taskManagers: [{ id: 'tm1', slotCount: 4, cpuCores: 4, memoryBytes: 400 }, { id: 'tm2', slotCount: 4, cpuCores: 8, memoryBytes: 200 }],
    jobs: [{ id: 'a', slotDemand: 3, slotProfile: { cpuCores: 1, memoryBytes: 100 }, maxSlotsPerTaskManager: 2 }, { id: 'b', slotDemand: 2 }],
  }),
];

function check(instance: AnyInstance, result: SolveResult<AnySolution>, variant?: (typeof PLACEMENT_VARIANTS)[number]) {
  expect(['feasible', 'infeasible', 'error']).toContain(result.status);
  if (result.status === 'feasible') {
    expect(validateSolution(instance, result.solution!, variant)).toEqual([]);
    expect(result.objective).toBeCloseTo(objectiveOf(instance, result.solution!, variant), 9);
  } else expect(result.message).toBeTruthy();
}

describe('every registered heuristic, on every test instance of its model, passes the validator', () => {
  for (const solver of HEURISTICS) {
    it(`${solver.model} / ${solver.name}`, async () => {
      let feasible = 0;
      const rng = seededRng(5);
      if (solver.model === 'dag-placement') {
        for (const instance of dagInstances)
          for (const variant of PLACEMENT_VARIANTS) {
            const result = await (solver as AnySolver & { model: 'dag-placement' }).solve(instance, { rng, variant });
            check(instance, result, variant);
            if (result.status === 'feasible') feasible++;
            // shared and sequenced fit every instance here; exclusive fits all but the HEFT example (10 subtasks, 3 slots)
            if (variant !== 'exclusive' || instance.subtasks.length <= instance.slots.length) expect(result.status, `${instance.name} under ${variant}: ${result.message}`).toBe('feasible');
          }
      } else if (solver.model === 'load-balancing') {
        for (const instance of lbInstances) {
          const result = await (solver as AnySolver & { model: 'load-balancing' }).solve(instance, { rng });
          check(instance, result);
          expect(result.status).toBe('feasible');
          feasible++;
        }
      } else {
        for (const instance of saInstances) {
          const result = await (solver as AnySolver & { model: 'slot-allocation' }).solve(instance, { rng });
          check(instance, result);
          expect(result.status).toBe('feasible');
          feasible++;
        }
      }
      expect(feasible).toBeGreaterThan(0);
    });
  }
});

describe('names', () => {
  it('every name of the issue is registered for the models it applies to', () => {
    const want: Array<[string, string[]]> = [
      ['flink-default', ['dag-placement']],
      ['flink-task-balanced', ['dag-placement']],
      ['first-fit', ['dag-placement', 'slot-allocation']],
      ['least-utilization', ['dag-placement', 'slot-allocation', 'load-balancing']],
      ['tasks-balanced', ['dag-placement']],
      ['utilization-sorted', ['dag-placement']],
      ['heft', ['dag-placement']],
      ['cpop', ['dag-placement']],
      ['peft', ['dag-placement']],
      ['round-robin', ['dag-placement', 'load-balancing']],
      ['random', ['dag-placement', 'load-balancing']],
      ['critical-path', ['dag-placement']],
      ['etf', ['dag-placement']],
      ['mct', ['dag-placement']],
      ['met', ['dag-placement']],
      ['olb', ['dag-placement']],
      ['min-min', ['dag-placement']],
      ['max-min', ['dag-placement']],
      ['sufferage', ['dag-placement']],
      ['dls', ['dag-placement']],
      ['list:upward-rank:insertion:eft', ['dag-placement']],
      ['list:topological:append:est', ['dag-placement']],
      ['ls', ['load-balancing']],
      ['lpt', ['load-balancing']],
      ['rebalance', ['load-balancing']],
      ['water-filling', ['slot-allocation']],
    ];
    for (const [name, models] of want) expect(SOLVERS.filter((s) => s.name === name).map((s) => s.model).sort(), name).toEqual([...models].sort());
    for (const s of HEURISTICS) {
      expect(s.name).toMatch(/^[a-z][a-z0-9-]*(:[a-z][a-z0-9-]*)*$/);
      expect(s.kind).toBe('heuristic');
      expect(s.description.length).toBeGreaterThan(20);
    }
    expect(new Set(HEURISTICS.map((s) => `${s.model}/${s.name}`)).size).toBe(HEURISTICS.length);
  });

  it('asking a heuristic for a model it does not solve says which models it does', () => {
    expect(() => findSolver('heft', 'load-balancing')).toThrow(SolverNotApplicableError);
    expect(() => findSolver('heft', 'load-balancing')).toThrow(/solver "heft" solves dag-placement instances, not load-balancing/);
    expect(() => findSolver('lpt', 'slot-allocation')).toThrow(/solves load-balancing instances/);
  });
});
