import { describe, expect, it, vi } from 'vitest';
import { evaluateDagPlacement } from '../models/dag-placement/evaluate.ts';
import { runPlacement } from './index.ts';
import { TWO_CORES_PLACEMENT, twoCoresInstance } from './test/two-cores.ts';

// The evaluator, counted: a run evaluates its placement once (in buildJobPlan) and the report reads the plan's figures.
vi.mock(import('../models/dag-placement/evaluate.ts'), async (importOriginal) => {
  const actual = await importOriginal();
  return { ...actual, evaluateDagPlacement: vi.fn(actual.evaluateDagPlacement) };
});

describe('runPlacement evaluates the placement once', () => {
  // `shared` in blocking mode, where the plan's core sequences also need the predicted schedule. Model: a [0,10],
  // b [0,4], d [4,9] on b's core, c [10,16] on a's core; makespan 16 (runtime/test/two-cores.ts).
  const instance = twoCoresInstance('shared');
  const placement = TWO_CORES_PLACEMENT;
  const SCALE = 2; // ms per model unit

  it('one evaluation gives the report its predicted makespan, subtask times and utilisation', async () => {
    const evaluate = vi.mocked(evaluateDagPlacement);
    evaluate.mockClear();
    const report = await runPlacement(instance, placement, { mode: 'blocking', timeScaleMsPerUnit: SCALE });
    expect(evaluate).toHaveBeenCalledTimes(1);
    expect(evaluate.mock.calls[0]!.slice(1)).toEqual([placement, 'shared']);
    expect(report.predictedMs).toBe(16 * SCALE);
    expect(report.subtasks.map((s) => [s.id, s.predictedStartMs / SCALE, s.predictedEndMs / SCALE])).toEqual([
      ['a#0', 0, 10],
      ['b#0', 0, 4],
      ['d#0', 4, 9],
      ['c#0', 10, 16],
    ]);
    // busy utilisation = (10 + 4 + 5 + 6) / (3 slots x 16)
    expect(report.taskManagers[0]!.predictedBusyUtilization).toBeCloseTo(25 / 48, 12);
    // The run itself follows the model's core order: c after a on one core, d after b on the other.
    const byId = new Map(report.subtasks.map((s) => [s.id, s]));
    expect(byId.get('c#0')!.startMs).toBeGreaterThanOrEqual(byId.get('a#0')!.endMs);
    expect(byId.get('d#0')!.startMs).toBeGreaterThanOrEqual(byId.get('b#0')!.endMs);
  });
});
