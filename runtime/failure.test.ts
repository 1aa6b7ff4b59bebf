import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createDagPlacementInstance } from '../models/dag-placement/instance.ts';
import { InvalidInstanceError } from '../models/errors.ts';
import { RunConfigurationError, RunFailedError, runPlacement } from './index.ts';

/** OS threads of this process (Linux): every worker thread is one; all must be gone after a failed run. */
function threadCount(): number | undefined {
  return existsSync('/proc/self/task') ? readdirSync('/proc/self/task').length : undefined;
}

const failing = createDagPlacementInstance({
  name: 'failing-map',
  variant: 'exclusive',
  job: {
    operators: [
      { id: 'numbers', parallelism: 2, kind: 'generator', params: { count: 20_000 } },
      { id: 'explode', parallelism: 2, kind: 'map', params: { fn: "r => { if (r.value === 15000) throw new Error('bad record ' + r.value); return r.value; }" } },
      { id: 'out', parallelism: 1, kind: 'sink' },
    ],
    edges: [
      { from: 'numbers', to: 'explode', partitioning: 'forward' },
      { from: 'explode', to: 'out', partitioning: 'rebalance' },
    ],
  },
  cluster: { taskManagers: [{ id: 'tm1', slotCount: 3 }, { id: 'tm2', slotCount: 3 }] },
});
// numbers#1 emits 10000..19999, so value 15000 reaches explode#1, which sits on tm2.
const placement = {
  assignments: [
    { subtask: 'numbers#0', taskManager: 'tm1', slot: 0 },
    { subtask: 'numbers#1', taskManager: 'tm2', slot: 0 },
    { subtask: 'explode#0', taskManager: 'tm1', slot: 1 },
    { subtask: 'explode#1', taskManager: 'tm2', slot: 1 },
    { subtask: 'out#0', taskManager: 'tm1', slot: 2 },
  ],
};

describe('a failing user function fails the run', () => {
  for (const mode of ['pipelined', 'blocking'] as const)
    it(`${mode}: the error names the operator, the subtask and the TaskManager, and every worker has exited`, async () => {
      const before = threadCount();
      const error = await runPlacement(failing, placement, { mode }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(RunFailedError);
      const e = error as RunFailedError;
      expect(e.message).toMatch(/operator "explode" failed in subtask explode#1 on TaskManager tm2: bad record 15000/);
      expect(e.operatorId).toBe('explode');
      expect(e.subtaskId).toBe('explode#1');
      expect(e.taskManager).toBe('tm2');
      expect(e.workerExits.map((x) => x.taskManager).sort()).toEqual(['tm1', 'tm2']);
      const after = threadCount();
      if (before !== undefined) expect(after).toBe(before);
    });

  it('a sink check that does not hold fails the run after the job, naming the sink', async () => {
    const checked = createDagPlacementInstance({
      name: 'checked',
      variant: 'shared',
      job: {
        operators: [
          { id: 'numbers', parallelism: 1, kind: 'generator', params: { count: 1000 } },
          { id: 'out', parallelism: 1, kind: 'sink', params: { expect: { records: 999 } } },
        ],
        edges: [{ from: 'numbers', to: 'out', partitioning: 'forward' }],
      },
      cluster: { taskManagers: [{ id: 'tm1', slotCount: 1 }] },
    });
    const p = { assignments: [{ subtask: 'numbers#0', taskManager: 'tm1', slot: 0 }, { subtask: 'out#0', taskManager: 'tm1', slot: 0 }] };
    await expect(runPlacement(checked, p)).rejects.toThrow(/sink "out" check failed: expected 999 records, got 1000/);
  });
});

describe('bad configurations are refused before any worker starts', () => {
  it('an invalid placement lists the validator violations', async () => {
    const bad = { assignments: placement.assignments.map((a) => (a.subtask === 'out#0' ? { ...a, slot: 1 } : a)) };
    await expect(runPlacement(failing, bad)).rejects.toThrow(RunConfigurationError);
    await expect(runPlacement(failing, bad)).rejects.toThrow(/slot tm1\/1 holds 2 subtasks/);
  });

  it('an unknown operator kind with params names the operator and the known kinds', async () => {
    const inst = createDagPlacementInstance({
      name: 'unknown-kind',
      variant: 'exclusive',
      job: { operators: [{ id: 'a', parallelism: 1, kind: 'flatmpa', params: { fn: 'words' } }], edges: [] },
      cluster: { taskManagers: [{ id: 'tm1', slotCount: 1 }] },
    });
    const p = { assignments: [{ subtask: 'a#0', taskManager: 'tm1', slot: 0 }] };
    await expect(runPlacement(inst, p)).rejects.toThrow(InvalidInstanceError);
    await expect(runPlacement(inst, p)).rejects.toThrow(/job\.operators\[a\]\.kind: the runtime has no operator "flatmpa"; known kinds: source, text-source/);
  });

  it('an unknown kind without params (a task type from a workflow trace) is replayed, with a warning', async () => {
    const inst = createDagPlacementInstance({
      name: 'trace',
      variant: 'exclusive',
      job: { operators: [{ id: 'split_fasta_ID01', parallelism: 1, kind: 'split_fasta', workMs: 5 }], edges: [] },
      cluster: { taskManagers: [{ id: 'tm1', slotCount: 1 }] },
    });
    const report = await runPlacement(inst, { assignments: [{ subtask: 'split_fasta_ID01#0', taskManager: 'tm1', slot: 0 }] });
    expect(report.subtasks[0]!.kind).toBe('synthetic');
    expect(report.subtasks[0]!.busyMs).toBeGreaterThanOrEqual(5 - 0.05);
    expect(report.warnings).toEqual(['kind "split_fasta" is not a runtime operator (1 operator: split_fasta_ID01): replayed as synthetic']);
  });

  it('a user function that does not compile is refused with the operator and field', async () => {
    const inst = createDagPlacementInstance({
      name: 'bad-fn',
      variant: 'exclusive',
      job: {
        operators: [
          { id: 'a', parallelism: 1, kind: 'generator', params: { count: 10 } },
          { id: 'b', parallelism: 1, kind: 'map', params: { fn: 'r => r.value +' } },
        ],
        edges: [{ from: 'a', to: 'b', partitioning: 'forward' }],
      },
      cluster: { taskManagers: [{ id: 'tm1', slotCount: 2 }] },
    });
    const p = { assignments: [{ subtask: 'a#0', taskManager: 'tm1', slot: 0 }, { subtask: 'b#0', taskManager: 'tm1', slot: 1 }] };
    await expect(runPlacement(inst, p)).rejects.toThrow(/bad-fn: job\.operators\[b\]\.params\.fn: does not compile/);
  });

  it('pipelined mode refuses a sequenced slot that runs several subtasks', async () => {
    const inst = createDagPlacementInstance({
      name: 'seq',
      variant: 'sequenced',
      job: {
        operators: [
          { id: 'a', parallelism: 1, workMs: 1 },
          { id: 'b', parallelism: 1, workMs: 1 },
        ],
        edges: [{ from: 'a', to: 'b', partitioning: 'forward' }],
      },
      cluster: { taskManagers: [{ id: 'tm1', slotCount: 1 }] },
    });
    const p = { assignments: [{ subtask: 'a#0', taskManager: 'tm1', slot: 0 }, { subtask: 'b#0', taskManager: 'tm1', slot: 0 }] };
    await expect(runPlacement(inst, p, { mode: 'pipelined' })).rejects.toThrow(/pipelined mode deploys every subtask at once, but under sequenced slot tm1\/0 runs 2 subtasks/);
    const report = await runPlacement(inst, p, { mode: 'blocking', timeScaleMsPerUnit: 5 });
    expect(report.subtasks[1]!.startMs).toBeGreaterThanOrEqual(report.subtasks[0]!.endMs);
  });
});
