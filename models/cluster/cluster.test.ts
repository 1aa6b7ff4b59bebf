import { describe, expect, it } from 'vitest';
import { createJobGraph } from '../graphs/job-graph.ts';
import { InvalidInstanceError } from '../errors.ts';
import { jobDemand, createClusterJob } from './job.ts';
import { ClusterState, ClusterStateError } from './state.ts';
import { clusterTimers, CLUSTER_TIMERS } from './timers.ts';
import { createWorkload } from './workload.ts';
import { percentile } from './report.ts';

const flinkJob = createJobGraph({
  operators: [
    { id: 'source', parallelism: 2, workMs: 10, memoryBytes: 100 },
    { id: 'map', parallelism: 4, workMs: 10, memoryBytes: 200 },
    { id: 'sink', parallelism: 1, workMs: 10, slotSharingGroup: 'sinks', memoryBytes: 50 },
  ],
  edges: [
    { from: 'source', to: 'map', partitioning: 'rebalance' },
    { from: 'map', to: 'sink', partitioning: 'rebalance' },
  ],
});

describe('the slot demand of a job (docs/design-decisions.md, "The cluster")', () => {
  it("shared: Σ over slot sharing groups of the largest parallelism (Flink's rule), rigid", () => {
    const d = jobDemand(flinkJob, 'shared');
    expect([d.slots, d.minSlots]).toEqual([4 + 1, 5]);
    expect(d.slotProfile).toEqual({ cpuCores: 1, memoryBytes: 300 }); // one source + one map subtask share a slot
    expect(d.workMs).toBe(70);
    expect(d.criticalPathMs).toBe(30);
  });

  it('exclusive: one slot per subtask, rigid', () => {
    expect(jobDemand(flinkJob, 'exclusive')).toMatchObject({ slots: 7, minSlots: 7 });
  });

  it('sequenced: the peak width of the earliest schedule with unlimited slots, elastic down to 1 slot', () => {
    // diamond a -> (b, c, d) -> e, where d is twice as long: at most 3 run at once
    const diamond = createJobGraph({
      operators: [
        { id: 'a', parallelism: 1, workMs: 5 },
        { id: 'b', parallelism: 1, workMs: 5 },
        { id: 'c', parallelism: 1, workMs: 5 },
        { id: 'd', parallelism: 1, workMs: 10 },
        { id: 'e', parallelism: 1, workMs: 5 },
      ],
      edges: ['b', 'c', 'd'].flatMap((x) => [{ from: 'a', to: x, partitioning: 'forward' as const }, { from: x, to: 'e', partitioning: 'forward' as const }]),
    });
    expect(jobDemand(diamond, 'sequenced')).toMatchObject({ slots: 3, minSlots: 1, workMs: 30, criticalPathMs: 20 });
    // an empty job still needs one slot
    expect(jobDemand(createJobGraph({ operators: [{ id: 'x', parallelism: 2, workMs: 0 }], edges: [] }), 'sequenced').slots).toBe(1);
  });

  it('refuses a negative arrival time naming the field', () => {
    expect(() => createClusterJob({ id: 'j', arrivalMs: -1, jobGraph: flinkJob, variant: 'shared' }, 'w.json', 'jobs[0]')).toThrow(
      new InvalidInstanceError('w.json', 'jobs[0].arrivalMs', 'should be a finite number of ms >= 0, got -1'),
    );
  });
});

describe('timers and the state machine', () => {
  it("timers keep Flink's names and defaults, scaled", () => {
    expect(CLUSTER_TIMERS.slotRequestTimeoutMs).toEqual({ flinkOption: 'slot.request.timeout', defaultMs: 300_000 });
    expect(clusterTimers(0.001, { heartbeatTimeoutMs: 7 })).toEqual({
      slotRequestTimeoutMs: 300,
      taskManagerTimeoutMs: 30,
      heartbeatIntervalMs: 10,
      heartbeatTimeoutMs: 7,
      taskManagerStartupMs: 10,
    });
  });

  it('refuses illegal transitions: over-admission, a grant of someone else’s slots, finishing a queued job', () => {
    const workload = createWorkload({ name: 'w', cluster: { taskManagers: [{ id: 'tm1', slotCount: 2 }] }, jobs: [] });
    const state = new ClusterState({ taskManagers: workload.cluster.taskManagers, timers: workload.timers });
    const a = createClusterJob({ id: 'a', arrivalMs: 0, jobGraph: flinkJob, variant: 'sequenced' });
    const b = createClusterJob({ id: 'b', arrivalMs: 0, jobGraph: flinkJob, variant: 'sequenced' });
    state.submit(a, 0);
    state.submit(b, 0);
    expect(() => state.finish('a', 0)).toThrow(ClusterStateError);
    state.admit('a', 2, 0);
    expect(() => state.admit('b', 1, 0)).toThrow('job "b" admitted with 1 slots but only 0 can still be promised');
    state.grant('a', [{ taskManager: 'tm1', job: 'a', slots: 2 }], 0);
    expect(state.view(0).taskManagers[0]!.slots).toEqual(['a', 'a']);
    state.finish('a', 10);
    expect(state.view(10)).toMatchObject({ freeSlots: 2, admissibleSlots: 2 });
    expect(state.events.map((e) => e.kind)).toEqual(['taskmanager-registered', 'job-submitted', 'job-submitted', 'job-admitted', 'slots-granted', 'job-finished']);
  });

  it('a lost TaskManager fails the jobs holding its slots with the reason, and its slots leave the registry', () => {
    const workload = createWorkload({ name: 'w', cluster: { taskManagers: [{ id: 'tm1', slotCount: 2 }, { id: 'tm2', slotCount: 2 }] }, jobs: [] });
    const state = new ClusterState({ taskManagers: workload.cluster.taskManagers, timers: workload.timers });
    for (const id of ['a', 'b', 'c']) state.submit(createClusterJob({ id, arrivalMs: 0, jobGraph: flinkJob, variant: 'sequenced' }), 0);
    state.admit('a', 2, 0);
    state.grant('a', [{ taskManager: 'tm1', job: 'a', slots: 1 }, { taskManager: 'tm2', job: 'a', slots: 1 }], 0);
    state.admit('b', 1, 0);
    state.grant('b', [{ taskManager: 'tm2', job: 'b', slots: 1 }], 0);
    state.admit('c', 1, 0);
    state.grant('c', [{ taskManager: 'tm1', job: 'c', slots: 1 }], 0);
    expect(state.loseTaskManager('tm2', 'TaskManager tm2 was lost', 40)).toEqual(['a', 'b']);
    const view = state.view(40);
    expect(view.jobs.map((j) => [j.job.id, j.status, j.reason])).toEqual([
      ['a', 'failed', 'TaskManager tm2 was lost'],
      ['b', 'failed', 'TaskManager tm2 was lost'],
      ['c', 'running', null],
    ]);
    expect(view.taskManagers.map((tm) => [tm.id, tm.slots])).toEqual([['tm1', [null, 'c']]]);
    expect([view.capacity.slots, view.freeSlots]).toEqual([2, 1]);
    expect(state.allTaskManagers().map((tm) => [tm.id, tm.status, tm.releasedAtMs])).toEqual([
      ['tm1', 'registered', null],
      ['tm2', 'lost', 40],
    ]);
    expect(state.events.slice(-3).map((e) => `${e.kind} ${e.job ?? e.taskManager}`)).toEqual(['job-failed a', 'job-failed b', 'taskmanager-lost tm2']);
    expect(() => state.loseTaskManager('tm2', 'again', 50)).toThrow('no TaskManager "tm2" is in the cluster');
  });

  it('after a TaskManager is lost, a queued job that can no longer get its slots fails saying why (it would wait for ever), and later ones are rejected', () => {
    const three = createJobGraph({ operators: [{ id: 'x', parallelism: 3, workMs: 10 }], edges: [] });
    const one = createJobGraph({ operators: [{ id: 'y', parallelism: 1, workMs: 10 }], edges: [] });
    const workload = createWorkload({ name: 'w', cluster: { taskManagers: [{ id: 'tm1', slotCount: 2 }, { id: 'tm2', slotCount: 2 }] }, jobs: [] });
    const state = new ClusterState({ taskManagers: workload.cluster.taskManagers, timers: workload.timers });
    state.submit(createClusterJob({ id: 'wide', arrivalMs: 0, jobGraph: three, variant: 'exclusive' }), 0);
    state.submit(createClusterJob({ id: 'narrow', arrivalMs: 0, jobGraph: one, variant: 'exclusive' }), 0);
    expect(state.maxSlots).toBe(4);
    expect(state.loseTaskManager('tm2', 'TaskManager tm2 was lost', 40)).toEqual([]);
    expect(state.maxSlots).toBe(2);
    expect(state.view(40).jobs.map((j) => [j.job.id, j.status, j.reason])).toEqual([
      ['wide', 'failed', 'needs at least 3 slots (exclusive) but after TaskManager tm2 was lost the cluster can offer at most 2'],
      ['narrow', 'queued', null],
    ]);
    const late = state.submit(createClusterJob({ id: 'late', arrivalMs: 50, jobGraph: three, variant: 'exclusive' }), 50);
    expect([late.status, late.reason]).toEqual(['rejected', 'needs at least 3 slots (exclusive) but the cluster can offer at most 2']);
  });

  it('p95 is the nearest-rank percentile', () => {
    expect(percentile([5, 1, 4, 2, 3], 0.95)).toBe(5);
    expect(percentile(Array.from({ length: 20 }, (_, i) => i + 1), 0.95)).toBe(19);
    expect(percentile([], 0.95)).toBe(0);
  });
});
