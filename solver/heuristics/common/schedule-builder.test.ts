import { describe, expect, it } from 'vitest';
import { createDagPlacementInstance, type DagPlacementSpec } from '../../../models/dag-placement/instance.ts';
import { validateDagPlacement } from '../../../models/dag-placement/validator.ts';
import { seededRng } from '../../../models/rng.ts';
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

describe('ScheduleBuilder insertion search on long timelines', () => {
  // The plain scan the chunked timeline must reproduce: from `ready`, the first gap between sorted busy intervals
  // that holds d, else after the last one.
  function plainScan(busy: Array<[number, number]>, readyMs: number, d: number): number {
    let t = readyMs;
    for (const [start, end] of [...busy].sort((a, b) => a[0] - b[0])) {
      if (end <= t) continue;
      if (t + d <= start) return t;
      t = Math.max(t, end);
    }
    return t;
  }

  it('gives the plain scan start on packed and gapped timelines of several chunks, placed in any order', () => {
    const rng = seededRng(14);
    const n = 700; // > 4 chunks of 128 intervals
    const workMs = Array.from({ length: n + 1 }, (_, i) => (i === n ? 7 : 1 + rng.int(0, 8)));
    const inst = createDagPlacementInstance({
      name: 'long',
      variant: 'sequenced',
      job: { operators: workMs.map((w, i) => ({ id: `o${i}`, parallelism: 1, workMs: w })), edges: [] },
      cluster: { taskManagers: [{ id: 'tm', slotCount: 1 }] },
    });
    // intervals back to back (no gap of 7 ms anywhere in the first half), then gaps of 0-9 ms, placed in a shuffled order
    const busy: Array<[number, number]> = [];
    let t = 3;
    for (let i = 0; i < n; i++) {
      busy.push([t, t + workMs[i]!]);
      t += workMs[i]! + (i < n / 2 ? 0 : rng.int(0, 9));
    }
    const order = Array.from({ length: n }, (_, i) => i).map((i) => [rng.next(), i] as const).sort((a, b) => a[0] - b[0]).map(([, i]) => i);
    const b = new ScheduleBuilder(inst, 'sequenced', 'insertion');
    const probe = n; // the 7 ms subtask, never placed
    const placed: Array<[number, number]> = [];
    let checks = 0;
    for (const [step, i] of order.entries()) {
      b.place(i, 0, busy[i]![0]);
      placed.push(busy[i]!);
      if (step % 50 !== 49) continue; // 14 times, the last with every interval placed
      for (const readyMs of [0, 2, 3, 4.5, busy[n >> 2]![0], busy[n >> 1]![1], busy[n - 10]![0] + 0.5, t + 1]) {
        expect(b.earliestStartInSlot(probe, 0, readyMs)).toBe(plainScan(placed, readyMs, 7));
        checks++;
      }
    }
    expect(checks).toBe(14 * 8);
    // the packed first half admits nothing: a subtask ready there starts after the first gap of 7 ms or more
    expect(b.earliestStartInSlot(probe, 0, busy[1]![0])).toBeGreaterThan(busy[n / 2 - 1]![1] - 1e-9);
  });
});
