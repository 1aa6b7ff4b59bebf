import { describe, expect, it } from 'vitest';
import { createJobGraph } from '../../../models/graphs/job-graph.ts';
import { createClusterJob, type ClusterJobSpec } from '../../../models/cluster/job.ts';
import { ClusterState } from '../../../models/cluster/state.ts';
import { clusterTimers } from '../../../models/cluster/timers.ts';
import type { TaskManagerSpec } from '../../../models/graphs/cluster.ts';
import { QUEUE_POLICIES, drf, fair, fifo, findQueuePolicy, packing, priority, sjf } from './index.ts';
import { alignmentScore } from './packing.ts';

const GB = 1e9;

function job(id: string, width: number, workMs: number, extra: Partial<ClusterJobSpec> = {}) {
  return createClusterJob({
    id,
    arrivalMs: 0,
    jobGraph: createJobGraph({ operators: Array.from({ length: width }, (_, i) => ({ id: `op${i}`, parallelism: 1, workMs })), edges: [] }),
    variant: 'sequenced',
    ...extra,
  });
}

function cluster(taskManagers: TaskManagerSpec[]): ClusterState {
  return new ClusterState({ taskManagers, timers: clusterTimers() });
}

/** Admits and grants `id` first-fit, so that it holds slots. */
function run(state: ClusterState, id: string, slots: number): void {
  state.admit(id, slots, 0);
  const grants: { taskManager: string; job: string; slots: number }[] = [];
  let left = slots;
  for (const tm of state.view(0).taskManagers) {
    const take = Math.min(left, tm.freeSlots);
    if (take > 0) grants.push({ taskManager: tm.id, job: id, slots: take });
    left -= take;
  }
  state.grant(id, grants, 0);
}

describe('queue policies on crafted cases', () => {
  it('the registry is frozen and names six policies', () => {
    expect(Object.isFrozen(QUEUE_POLICIES)).toBe(true);
    expect(QUEUE_POLICIES.map((p) => p.name)).toEqual(['fifo', 'priority', 'fair', 'drf', 'sjf', 'packing']);
    expect(() => findQueuePolicy('lottery')).toThrow('no queue policy is named "lottery"; known queue policies: fifo, priority, fair, drf, sjf, packing');
  });

  it('drf: the job with the smaller dominant share goes first', () => {
    // 8 cores, 16 GB. x: 2 slots × (2 cores, 1 GB) = 50 % CPU, 12.5 % memory → dominant 0.5;
    // y: 2 slots × (1 core, 2 GB) = 25 % CPU, 25 % memory → dominant 0.25.
    const state = cluster([{ id: 'tm1', slotCount: 4, cpuCores: 4, memoryBytes: 8 * GB }, { id: 'tm2', slotCount: 4, cpuCores: 4, memoryBytes: 8 * GB }]);
    state.submit(job('x', 2, 10, { slotProfile: { cpuCores: 2, memoryBytes: 1 * GB } }), 0);
    state.submit(job('y', 2, 10, { slotProfile: { cpuCores: 1, memoryBytes: 2 * GB } }), 0);
    expect(drf(state.view(0)).map((a) => a.job)).toEqual(['y', 'x']);
    expect(fifo(state.view(0)).map((a) => a.job)).toEqual(['x', 'y']);
  });

  it("drf: a user's running jobs count; the user with the smaller dominant share goes first", () => {
    const state = cluster([{ id: 'tm1', slotCount: 4, cpuCores: 4, memoryBytes: 8 * GB }]);
    state.submit(job('alice-running', 2, 10, { user: 'alice', slotProfile: { cpuCores: 1, memoryBytes: 1 * GB } }), 0);
    run(state, 'alice-running', 2);
    state.submit(job('alice-next', 1, 10, { user: 'alice', slotProfile: { cpuCores: 1, memoryBytes: 1 * GB } }), 0);
    state.submit(job('bob-first', 2, 10, { user: 'bob', slotProfile: { cpuCores: 1, memoryBytes: 3 * GB } }), 0);
    // alice holds 50 % CPU; bob 0 → bob's job first although it came later and its own demand is larger
    expect(drf(state.view(0)).map((a) => a.job)).toEqual(['bob-first']);
  });

  it('sjf: the shortest predicted work first', () => {
    const state = cluster([{ id: 'tm1', slotCount: 4 }]);
    state.submit(job('long', 4, 1000), 0);
    state.submit(job('short', 4, 10), 0);
    expect(sjf(state.view(0))).toEqual([{ job: 'short', slots: 4 }]);
    expect(fifo(state.view(0))).toEqual([{ job: 'long', slots: 4 }]);
  });

  it('packing: the best alignment of demand and free resources first, and it backfills', () => {
    const state = cluster([{ id: 'tm1', slotCount: 4 }]);
    state.submit(job('small', 1, 10), 0);
    state.submit(job('big', 3, 10), 0);
    expect(packing(state.view(0)).map((a) => a.job)).toEqual(['big', 'small']);
    const cap = { slots: 4, cpuCores: 4, memoryBytes: Number.POSITIVE_INFINITY };
    expect(alignmentScore({ slots: 3, cpuCores: 3, memoryBytes: 0 }, cap, cap)).toBeCloseTo(1.5, 12);
    expect(alignmentScore({ slots: 1, cpuCores: 1, memoryBytes: 0 }, cap, cap)).toBeCloseTo(0.5, 12);

    const busy = cluster([{ id: 'tm1', slotCount: 4 }]);
    busy.submit(job('running', 2, 10), 0);
    run(busy, 'running', 2);
    busy.submit(job('wide', 3, 10), 0);
    busy.submit(job('narrow', 1, 10), 0);
    expect(packing(busy.view(0))).toEqual([{ job: 'narrow', slots: 1 }]);
    expect(fifo(busy.view(0))).toEqual([]); // the head (wide) blocks
  });

  it('priority: highest first, ties in submission order', () => {
    const state = cluster([{ id: 'tm1', slotCount: 8 }]);
    state.submit(job('a', 2, 10, { priority: 1 }), 0);
    state.submit(job('b', 2, 10, { priority: 3 }), 0);
    state.submit(job('c', 2, 10, { priority: 1 }), 0);
    expect(priority(state.view(0)).map((a) => a.job)).toEqual(['b', 'a', 'c']);
  });

  it('fair: max-min shares among users; an elastic job runs on its share, a rigid one waits for its demand', () => {
    const state = cluster([{ id: 'tm1', slotCount: 6 }]);
    state.submit(job('a', 6, 10, { user: 'u1' }), 0);
    state.submit(job('b', 1, 10, { user: 'u2' }), 0);
    state.submit(job('c', 6, 10, { user: 'u3' }), 0);
    // wants 6, 1, 6 of 6 slots: level 2 with b capped at 1, leftover 1 to u1 → shares 3, 1, 2
    expect(fair(state.view(0))).toEqual([{ job: 'a', slots: 3 }, { job: 'b', slots: 1 }, { job: 'c', slots: 2 }]);

    const rigid = cluster([{ id: 'tm1', slotCount: 4 }]);
    const wide = createClusterJob({ id: 'wide', arrivalMs: 0, variant: 'shared', jobGraph: createJobGraph({ operators: [{ id: 'm', parallelism: 3, workMs: 5 }], edges: [] }) });
    rigid.submit(job('batch', 4, 10), 0);
    run(rigid, 'batch', 2);
    rigid.submit(wide, 0);
    // shares: batch 2 (holds 2), wide 2 < its demand 3 → it waits rather than run on too few slots
    expect(fair(rigid.view(0))).toEqual([]);
  });
});
