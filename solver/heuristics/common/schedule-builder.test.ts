import { describe, expect, it } from 'vitest';
import { createDagPlacementInstance, type DagPlacementSpec } from '../../../models/dag-placement/instance.ts';
import { validateDagPlacement } from '../../../models/dag-placement/validator.ts';
import { ScheduleBuilder, ScheduleConflictError } from './schedule-builder.ts';

// x runs on tm-b and sends to y, so y waits for the 10 ms transfer if it runs on tm-a: a 15 ms gap opens on tm-a.
const spec: DagPlacementSpec = {
  name: 'gap',
  variant: 'sequenced',
  job: {
    operators: [
      { id: 'x', parallelism: 1, workMs: 5 },
      { id: 'y', parallelism: 1, workMs: 10 },
      { id: 'z', parallelism: 1, workMs: 10 },
    ],
    edges: [{ from: 'x', to: 'y', partitioning: 'forward', bytes: 1 }],
  },
  cluster: { taskManagers: [{ id: 'tm-a', slotCount: 1 }, { id: 'tm-b', slotCount: 1 }], defaultLink: { latencyMs: 10 } },
};
const instance = createDagPlacementInstance(spec);
const [x, y, z] = ['x#0', 'y#0', 'z#0'].map((id) => instance.subtaskById.get(id)!.index) as [number, number, number];
const A = 0; // slot tm-a/0
const B = 1; // slot tm-b/0

describe('ScheduleBuilder', () => {
  it('computes arrival with the transfer across TaskManagers and none within one', () => {
    const b = new ScheduleBuilder(instance, 'sequenced', 'insertion');
    b.place(x, B, 0);
    expect(b.readyMs(y, 0)).toBe(15); // 5 ms of x + 10 ms latency (bandwidth unlimited)
    expect(b.readyMs(y, 1)).toBe(5);
    expect([...b.readyByTaskManager(y, new Float64Array(2))]).toEqual([15, 5]);
  });

  it('insertion fills the idle gap before y; append does not', () => {
    for (const [rule, zStart] of [['insertion', 0], ['append', 25]] as const) {
      const b = new ScheduleBuilder(instance, 'sequenced', rule);
      b.place(x, B, 0);
      b.place(y, A, b.earliestStartInSlot(y, A, b.readyMs(y, 0)));
      expect(b.startMs[y]).toBe(15);
      const start = b.earliestStartInSlot(z, A, 0);
      expect(start).toBe(zStart);
      b.place(z, A, start);
      expect(validateDagPlacement(instance, b.result().solution!)).toEqual([]);
    }
  });

  it('refuses an overlap, a start before the inputs arrive, and a second placement', () => {
    const b = new ScheduleBuilder(instance, 'sequenced', 'insertion');
    b.place(x, B, 0);
    expect(() => b.place(y, A, 10)).toThrow(ScheduleConflictError);
    expect(() => b.place(y, A, 10)).toThrow(/before its inputs arrive at 15 ms/);
    b.place(y, A, 15);
    expect(() => b.place(z, A, 20)).toThrow(/overlaps another subtask in tm-a\/0/);
    expect(() => b.place(y, B, 30)).toThrow(/placed twice/);
    expect(() => b.toIndexedSchedule()).toThrow(/z#0 was never placed/);
  });

  it('refuses a subtask whose predecessor is not placed', () => {
    const b = new ScheduleBuilder(instance, 'sequenced', 'insertion');
    expect(() => b.readyMs(y, 0)).toThrow(/before its predecessor x#0/);
  });

  it('shared: one subtask per operator per slot, and no more running subtasks than CPU cores', () => {
    const shared = createDagPlacementInstance({
      name: 'cores',
      variant: 'shared',
      job: { operators: [{ id: 'p', parallelism: 2, workMs: 10 }, { id: 'q', parallelism: 1, workMs: 10 }], edges: [] },
      cluster: { taskManagers: [{ id: 'tm', slotCount: 2, cpuCores: 1 }] },
    });
    const [p0, p1, q0] = ['p#0', 'p#1', 'q#0'].map((id) => shared.subtaskById.get(id)!.index) as [number, number, number];
    const b = new ScheduleBuilder(shared, 'shared', 'insertion');
    b.place(p0, 0, 0);
    expect(b.canHost(p1, 0)).toBe(false);
    expect(() => b.place(p1, 0, 10)).toThrow(/cannot take p#1 under shared/);
    expect(b.earliestStartInSlot(p1, 1, 0)).toBe(10); // one core: waits for p#0
    expect(() => b.place(p1, 1, 5)).toThrow(/no free CPU core/);
    b.place(p1, 1, 10);
    b.place(q0, 0, b.earliestStartInSlot(q0, 0, 0));
    expect(b.startMs[q0]).toBe(20);
    expect(validateDagPlacement(shared, b.result().solution!, 'shared')).toEqual([]);
  });

  it('exclusive: a slot takes one subtask, which starts when its inputs are there', () => {
    const b = new ScheduleBuilder(instance, 'exclusive', 'insertion');
    b.place(x, B, 0);
    expect(b.canHost(z, B)).toBe(false);
    expect(b.earliestStartOnTaskManager(y, 0, b.readyMs(y, 0))).toBe(15);
    expect(() => b.place(z, B, 0)).toThrow(/cannot take z#0 under exclusive/);
  });

  it('sequenced with limited memory: subtasks that do not fit together on a TaskManager run one after the other', () => {
    const mem = createDagPlacementInstance({
      name: 'memory',
      variant: 'sequenced',
      job: { operators: [{ id: 'm', parallelism: 2, workMs: 10, memoryBytes: 60 }], edges: [] },
      cluster: { taskManagers: [{ id: 'tm', slotCount: 2, memoryBytes: 100 }] },
    });
    const b = new ScheduleBuilder(mem, 'sequenced', 'insertion');
    b.place(0, 0, 0);
    expect(b.earliestStartInSlot(1, 1, 0)).toBe(10);
    expect(() => b.place(1, 1, 0)).toThrow(/exceed the memory of tm/);
    b.place(1, 1, 10);
    expect(validateDagPlacement(mem, b.result().solution!)).toEqual([]);
  });
});
