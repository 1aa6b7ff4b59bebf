import { describe, expect, it } from 'vitest';
import { createDagPlacementInstance, type DagPlacementInstance } from './instance.ts';
import { earliestSchedule } from './evaluate.ts';
import { scheduleCriticalPath } from './schedule-critical-path.ts';
import { documentExampleSpec, documentPlacement } from '../test/document-example.ts';
import { toIndexedPlacement, type Placement } from '../solution.ts';

// Hand-computed on the document example (models/test/document-example.ts): A 10 ms, B 20 ms, C 5 ms per subtask,
// 3 ms per subtask edge between TaskManagers.
function path(instance: DagPlacementInstance, placement: Placement) {
  const schedule = earliestSchedule(instance, toIndexedPlacement(instance, placement));
  return scheduleCriticalPath(instance, schedule).map((step) => `${instance.subtasks[step.subtask]!.id}:${step.cause}`);
}

describe('the critical path of a schedule', () => {
  it("exclusive, the document's placement: A#0 -> B#0 -> (transfer 3 ms) C#0 ends last at 38 ms", () => {
    const instance = createDagPlacementInstance(documentExampleSpec('exclusive'));
    // B#0 on tm1 runs 10-30; C#0 on tm2 waits for its data until 30 + 3 = 33 and ends at 38, as C#1 does (tie: the
    // first subtask in topological order); B#0's inputs A#0 and A#1 both end at 10 on tm1 (tie: the lower index)
    expect(path(instance, documentPlacement)).toEqual(['A#0:first', 'B#0:data', 'C#0:data']);
    const steps = scheduleCriticalPath(instance, earliestSchedule(instance, toIndexedPlacement(instance, documentPlacement)));
    const crossing = instance.edges[steps[2]!.edge!]!;
    expect([instance.subtasks[crossing.from]!.id, instance.subtasks[crossing.to]!.id]).toEqual(['B#0', 'C#0']);
  });

  it('sequenced, everything in one slot: the path follows the slot where a subtask waited for it, the data where it waited for data', () => {
    const spec = documentExampleSpec('sequenced');
    const instance = createDagPlacementInstance({ ...spec, cluster: { taskManagers: [{ id: 'tm1', slotCount: 1 }] } });
    const placement: Placement = { assignments: instance.subtasks.map((s) => ({ subtask: s.id, taskManager: 'tm1', slot: 0 })) };
    // A#0 0-10, A#1 10-20, B#0 20-40 (its last input A#1 ends at 20), B#1 40-60, C#0 60-65, C#1 65-70
    expect(path(instance, placement)).toEqual(['A#0:first', 'A#1:slot', 'B#0:data', 'B#1:slot', 'C#0:slot', 'C#1:slot']);
  });

  it('stops at a subtask that nothing released (idle before it)', () => {
    const instance = createDagPlacementInstance(documentExampleSpec('exclusive'));
    const schedule = earliestSchedule(instance, toIndexedPlacement(instance, documentPlacement));
    const late = { ...schedule, startMs: schedule.startMs.slice(), endMs: schedule.endMs.slice() };
    const c1 = instance.subtaskById.get('C#1')!.index;
    late.startMs[c1] = 50;
    late.endMs[c1] = 55;
    expect(scheduleCriticalPath(instance, late).map((s) => instance.subtasks[s.subtask]!.id)).toEqual(['C#1']);
  });
});
