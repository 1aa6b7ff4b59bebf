import { describe, expect, it } from 'vitest';
import { sortRows, windowSumReference } from '../runtime/test/recovery-jobs.ts';
import { KEYS, WINDOW_SIZE, defaultSpread, liveRebalanceJob, placementWith, restModel, stopAndRestart } from './rebalance-live.ts';

/**
 * Moving a running subtask with its state (issue #13, run-time rebalancing): a keyed window job stopped with a
 * checkpoint and restarted with a subtask on another TaskManager (same parallelism: it keeps its key groups' state)
 * commits exactly the single-threaded reference over both segments.
 */
describe('moving a subtask of a running job', () => {
  it('stop-with-checkpoint, sum#0 moved tm1 → tm2, restore: the moved subtask runs on tm2 and the committed output = reference', async () => {
    const records = 3000;
    const instance = liveRebalanceJob({ records, perRecordMs: 0.05, parallelism: 4 });
    const start = defaultSpread(instance);
    expect(start.assignments.filter((a) => a.subtask.startsWith('sum#')).map((a) => a.taskManager)).toEqual(['tm1', 'tm2', 'tm3', 'tm4']);
    const moved = placementWith(instance, (id) => (id === 'sum#0' ? 'tm2' : start.assignments.find((a) => a.subtask === id)!.taskManager));
    expect(moved.assignments.find((a) => a.subtask === 'sum#0')).toEqual({ subtask: 'sum#0', taskManager: 'tm2', slot: 0 });
    expect(moved.assignments.find((a) => a.subtask === 'sum#1')).toEqual({ subtask: 'sum#1', taskManager: 'tm2', slot: 1 });
    let windowSum: number | undefined;
    const run = await stopAndRestart(instance, records, start, 1000, (window) => {
      const model = restModel(instance, records, start, window, 0);
      const load = new Map(model.tasks.map((t) => [t.id, t.load]));
      // every window subtask did work before the stop; sum#0's work at unit speed is its busy time × 0.5 (tm1)
      expect([...load.values()].every((l) => l > 0)).toBe(true);
      windowSum = window.subtasks.filter((s) => s.operatorId === 'sum').reduce((n, s) => n + s.recordsIn, 0);
      return moved;
    });
    // stopped mid-stream: the window processed part of the input, the rest after the move
    expect(windowSum).toBeGreaterThan(0);
    expect(windowSum).toBeLessThan(records);
    expect(run.window.stoppedAt).toBeTruthy();
    expect(run.rest.stoppedAt).toBeUndefined();
    // the restored sum#0 ran on tm2
    expect(run.rest.subtasks.find((s) => s.id === 'sum#0')!.taskManager).toBe('tm2');
    expect(run.outputMatchesReference).toBe(true);
    expect(sortRows(run.output)).toEqual(sortRows(windowSumReference(records, KEYS, WINDOW_SIZE)));
  }, 60_000);
});
