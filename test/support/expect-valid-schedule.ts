import { expect } from 'vitest';
import { evaluateDagPlacement } from '../../models/dag-placement/evaluate.ts';
import type { DagPlacementInstance } from '../../models/dag-placement/instance.ts';
import { validateDagPlacement } from '../../models/dag-placement/validator.ts';
import type { Schedule } from '../../models/solution.ts';
import type { SolveResult } from '../../solver/types.ts';

/**
 * An exact DAG placement answer the tests accept: it has a schedule, the model's validator finds nothing wrong with
 * it, and its reported objective is the model's own evaluation of it (test code shared by the exact solvers' tests).
 */
export function expectValidSchedule(instance: DagPlacementInstance, r: SolveResult<Schedule>): void {
  expect(r.solution).toBeDefined();
  expect(validateDagPlacement(instance, r.solution!)).toEqual([]);
  expect(r.objective).toBeCloseTo(evaluateDagPlacement(instance, r.solution!).makespanMs, 9);
}
