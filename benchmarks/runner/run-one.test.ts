import { describe, expect, it } from 'vitest';
import { dataPath } from '../../datasets/paths.ts';
import { heftPaperExpected } from '../../datasets/loaders/heft-paper.ts';
import type { LoadedInstance } from '../../datasets/loaders/index.ts';
import { REPO_ROOT, type RunSpec } from './plan.ts';
import { createWorkerState, runOne, softTimeLimitMs, type SolveFunction } from './run-one.ts';
import type { SolveResult } from '../../solver/types.ts';
import type { AnySolution } from '../../models/model-kind.ts';

function spec(overrides: Partial<RunSpec> & Pick<RunSpec, 'instance'>): RunSpec {
  return {
    runId: 'test|run',
    suite: 'test',
    group: 'g',
    cluster: undefined,
    variant: undefined,
    solver: { name: 'stand-in', label: 'stand-in', kind: 'heuristic', timeLimitMs: undefined, relativeGap: undefined, params: undefined },
    seed: 1,
    hardLimitMs: 10_000,
    execute: undefined,
    ...overrides,
  };
}

const file = (rel: string, dataset: string) => ({ kind: 'file' as const, path: dataPath(rel), label: rel, dataset });
const answer = (result: Omit<SolveResult<AnySolution>, 'solver' | 'timeMs'>): SolveFunction => async () => ({ solver: 'stand-in', timeMs: 1.5, ...result });

/** Every subtask, in the instance's topological order, one after another in slot tm1/0: valid under `sequenced`. */
function oneSlotSchedule(instance: LoadedInstance) {
  if (instance.kind !== 'dag-placement') throw new Error('dag placement expected');
  let t = 0;
  return {
    assignments: instance.subtasks.map((s) => {
      const d = instance.durationMs(s.index, 0);
      const a = { subtask: s.id, taskManager: instance.taskManagers[0]!.id, slot: 0, startMs: t, endMs: t + d };
      t += d;
      return a;
    }),
  };
}

describe('runOne', () => {
  it('validates, re-evaluates and fills in the STG table figures (50/rand0001, P = 4: optimum 94; total work 298)', async () => {
    let seenOptions: unknown;
    const solve: SolveFunction = async (_name, instance, options) => {
      seenOptions = options;
      return { solver: 'stand-in', status: 'feasible', solution: oneSlotSchedule(instance), objective: 298, timeMs: 2 };
    };
    const row = await runOne(spec({ instance: file('stg/graphs/50/rand0001.stg', 'stg-random-50'), cluster: { label: '4x1', spec: { taskManagers: [1, 2, 3, 4].map((i) => ({ id: `tm${i}`, slotCount: 1 })) }, taskManagers: undefined }, variant: 'sequenced' }), createWorkerState(), solve);
    expect(row).toMatchObject({
      model: 'dag-placement',
      variant: 'sequenced',
      cluster: '4x1',
      subtasks: 52,
      task_managers: 4,
      slots: 4,
      status: 'feasible',
      valid: true,
      violations: 0,
      objective: 298,
      predicted_completion: 298,
      published_lower_bound: 94,
      published_best_known: 94,
      lower_bound: 94,
      lower_bound_source: 'published',
      cross_tm_bytes: 0,
      solve_ms: 2,
    });
    expect(row.note).toMatch(/STG table, P = 4, proven optimal/);
    expect(seenOptions).toMatchObject({ timeLimitMs: softTimeLimitMs(10_000) });
  });

  it('records an invalid solution as invalid with its first violation', async () => {
    const row = await runOne(
      spec({ instance: { kind: 'file', path: `${REPO_ROOT}/datasets/examples/slot-allocation.json`, label: 'sa', dataset: 'examples' } }),
      createWorkerState(),
      answer({ status: 'optimal', solution: { grants: [{ taskManager: 'tm1', job: 'etl', slots: 5 }] }, objective: 1 }),
    );
    expect(row).toMatchObject({ status: 'invalid', valid: false, objective: 1, gap_to_best_known: null });
    expect(row.violations).toBeGreaterThanOrEqual(2);
    expect(row.violation).toBe('capacity: tm1 grants 5 slots but has 4');
  });

  it('takes the evaluator\'s objective over the solver\'s claim and says so', async () => {
    const expected = heftPaperExpected();
    const row = await runOne(spec({ instance: file('heft-fixtures/topcuoglu2002_fig2.json', 'heft-paper') }), createWorkerState(), answer({ status: 'feasible', solution: expected.heftSchedule, objective: 79 }));
    expect(row).toMatchObject({ status: 'feasible', valid: true, objective: 80, published_best_known: 80, published_lower_bound: null });
    expect(row.note).toMatch(/reported objective 79, the model's evaluator gives 80/);
  });

  it('reads BPPLIB through the bin-packing duality (Falkenauer_t60_00: 20 bins of 1000, total weight 20000)', async () => {
    const solve: SolveFunction = async (_n, instance) => {
      if (instance.kind !== 'load-balancing') throw new Error('load balancing expected');
      return { solver: 'stand-in', status: 'feasible', timeMs: 1, solution: { assignments: instance.tasks.map((t, i) => ({ task: t.id, taskManager: instance.taskManagers[i % 20]!.id })) } };
    };
    const row = await runOne(spec({ instance: file('bpplib/falkenauer_t/Falkenauer_t60_00.txt', 'bpplib'), cluster: { label: 'taskManagers=20', spec: undefined, taskManagers: 20 } }), createWorkerState(), solve);
    expect(row).toMatchObject({ model: 'load-balancing', subtasks: 60, task_managers: 20, published_best_known: 1000, published_lower_bound: 1000, valid: true });
    const below = await runOne(spec({ instance: file('bpplib/falkenauer_t/Falkenauer_t60_00.txt', 'bpplib'), cluster: { label: 'taskManagers=19', spec: undefined, taskManagers: 19 } }), createWorkerState(), solve);
    expect(below).toMatchObject({ published_best_known: null, published_lower_bound: 1001 });
  });

  it('turns solver failures into rows: a thrown error, optimal without a solution, a timeout with a valid incumbent', async () => {
    const sa = { kind: 'file' as const, path: `${REPO_ROOT}/datasets/examples/slot-allocation.json`, label: 'sa', dataset: 'examples' };
    const thrown = await runOne(spec({ instance: sa }), createWorkerState(), async () => {
      throw new Error('boom');
    });
    expect(thrown).toMatchObject({ status: 'error', note: 'solver threw: boom', model: 'slot-allocation' });
    const empty = await runOne(spec({ instance: sa }), createWorkerState(), answer({ status: 'optimal' }));
    expect(empty).toMatchObject({ status: 'error', valid: null, objective: null });
    expect(empty.note).toMatch(/reported optimal without a solution/);
    const grants = { grants: [{ taskManager: 'tm1', job: 'etl', slots: 4 }, { taskManager: 'tm2', job: 'etl', slots: 1 }, { taskManager: 'tm2', job: 'fraud-detection', slots: 3 }, { taskManager: 'tm4', job: 'reporting', slots: 2 }] };
    const late = await runOne(spec({ instance: sa }), createWorkerState(), answer({ status: 'timeout', solution: grants }));
    // Free slots: tm1 0, tm2 0, tm3 2, tm4 4: 0 + 0 + 4 + 16 = 20.
    expect(late).toMatchObject({ status: 'feasible', valid: true, objective: 20 });
    expect(late.note).toMatch(/timed out with a valid incumbent/);
  });

  it('gives the solver a soft limit below the hard one', () => {
    expect(softTimeLimitMs(10_000)).toBe(8000);
    expect(softTimeLimitMs(2000)).toBe(1000);
    expect(softTimeLimitMs(60_000)).toBe(48_000);
  });
});
