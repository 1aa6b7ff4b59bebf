import { describe, expect, it } from 'vitest';
import { createDagPlacementInstance, type DagPlacementInstance } from '../models/dag-placement/instance.ts';
import { makespanLowerBounds } from '../models/dag-placement/bounds.ts';
import { validateDagPlacement } from '../models/dag-placement/validator.ts';
import { evaluateDagPlacement } from '../models/dag-placement/evaluate.ts';
import { seededRng } from '../models/rng.ts';
import { solveWith, solversFor } from './registry.ts';

// The `shared` concurrency rule (docs/design-decisions.md, "CPU cores under shared"): a TaskManager runs at most
// coreCount = max(1, ⌊cpuCores⌋) subtasks at once. Every registered DAG placement solver, the validator, the
// evaluator and the bounds must agree on it, for whole and fractional core counts alike.
const CORE_CASES = [0.5, 1, 2.5, 4] as const;

/** a (4 ms) → b (2 ms) on one TaskManager with 2 slots: optimum 6 ms whatever the cores (a chain never overlaps). */
function chain(cpuCores: number): DagPlacementInstance {
  return createDagPlacementInstance({
    name: `chain-${cpuCores}-cores`,
    variant: 'shared',
    job: { operators: [{ id: 'a', parallelism: 1, workMs: 4 }, { id: 'b', parallelism: 1, workMs: 2 }], edges: [{ from: 'a', to: 'b', partitioning: 'forward' }] },
    cluster: { taskManagers: [{ id: 'tm1', slotCount: 2, cpuCores }] },
  });
}

/**
 * source (1 ms) → map ×4 (2 ms each) → sink (1 ms) on one TaskManager with 4 slots. The four map subtasks share
 * c = coreCount cores, so the optimum is 1 + 2·⌈4 / c⌉ + 1 ms: 10 for c = 1, 6 for c = 2, 4 for c = 4.
 */
function fan(cpuCores: number): DagPlacementInstance {
  return createDagPlacementInstance({
    name: `fan-${cpuCores}-cores`,
    variant: 'shared',
    job: {
      operators: [
        { id: 'source', parallelism: 1, workMs: 1 },
        { id: 'map', parallelism: 4, workMs: 2 },
        { id: 'sink', parallelism: 1, workMs: 1 },
      ],
      edges: [
        { from: 'source', to: 'map', partitioning: 'rebalance' },
        { from: 'map', to: 'sink', partitioning: 'rebalance' },
      ],
    },
    cluster: { taskManagers: [{ id: 'tm1', slotCount: 4, cpuCores }] },
  });
}

const expectedCoreCount = (cpuCores: number) => Math.max(1, Math.floor(cpuCores));
const fanOptimumMs = (cpuCores: number) => 2 + 2 * Math.ceil(4 / expectedCoreCount(cpuCores));

describe('shared: one concurrency rule for every solver, the validator and the bounds', () => {
  it('compiles coreCount = max(1, ⌊cpuCores⌋) once, into the instance', () => {
    for (const cpuCores of CORE_CASES) expect(fan(cpuCores).taskManagers[0]!.coreCount).toBe(expectedCoreCount(cpuCores));
  });

  it('bounds never exceed the hand-computed optima (the issue case: 6 ms, not 12)', () => {
    for (const cpuCores of CORE_CASES) {
      expect(makespanLowerBounds(chain(cpuCores)).lowerBoundMs).toBeLessThanOrEqual(6);
      expect(makespanLowerBounds(fan(cpuCores)).lowerBoundMs).toBeLessThanOrEqual(fanOptimumMs(cpuCores));
    }
    expect(makespanLowerBounds(chain(0.5)).lowerBoundMs).toBe(6);
  });

  it('the validator rejects more running subtasks than coreCount, and the evaluator never produces that', () => {
    const instance = fan(2.5);
    // all four map subtasks at once on 2 usable cores
    const entries = instance.subtasks.map((s) => ({
      subtask: s.id,
      taskManager: 'tm1',
      slot: s.operatorId === 'map' ? s.subtaskIndex : 0,
      startMs: s.operatorId === 'source' ? 0 : s.operatorId === 'map' ? 1 : 3,
      endMs: s.operatorId === 'source' ? 1 : s.operatorId === 'map' ? 3 : 4,
    }));
    const violations = validateDagPlacement(instance, { assignments: entries });
    expect(violations.map((v) => v.constraint)).toContain('cpu');
    const earliest = evaluateDagPlacement(instance, { assignments: entries.map(({ subtask, taskManager, slot }) => ({ subtask, taskManager, slot })) });
    expect(earliest.makespanMs).toBe(6);
  });

  for (const solver of solversFor('dag-placement')) {
    it(`${solver.name} (${solver.kind}) on 0.5, 1, 2.5 and 4 cores: valid, never below the bound, optimal where proven`, async () => {
      for (const cpuCores of CORE_CASES) {
        for (const [instance, optimumMs] of [[chain(cpuCores), 6], [fan(cpuCores), fanOptimumMs(cpuCores)]] as const) {
          const result = await solveWith(solver.name, instance, { rng: seededRng(7), timeLimitMs: 20_000 });
          const where = `${solver.name} on ${instance.name}: ${result.status} ${result.message ?? ''}`;
          expect(['optimal', 'feasible'], where).toContain(result.status);
          expect(validateDagPlacement(instance, result.solution!), where).toEqual([]);
          const bound = makespanLowerBounds(instance).lowerBoundMs;
          expect(result.objective!, where).toBeGreaterThanOrEqual(optimumMs - 1e-9);
          expect(bound, where).toBeLessThanOrEqual(result.objective! + 1e-9);
          if (result.bestBound !== undefined) expect(result.bestBound, where).toBeLessThanOrEqual(optimumMs + 1e-6);
          if (result.status === 'optimal') expect(result.objective!, where).toBeCloseTo(optimumMs, 6);
        }
      }
    });
  }
});
