import { describe, expect, it } from 'vitest';
import { createJobGraph } from '../graphs/job-graph.ts';
import { createClusterJob } from './job.ts';
import { ClusterState } from './state.ts';
import { clusterTimers } from './timers.ts';
import { taskManagersToRelease, taskManagersToStart } from './resource-manager.ts';

/**
 * A running job's grant resized (autoscaling, runtime/cluster/autoscaler.ts): more slots by a request the
 * ResourceManager serves like an admission's (and starts TaskManagers for), fewer by slots returned, an emptied
 * started TaskManager released by the usual idle rule.
 */
const job = createClusterJob({ id: 'j', arrivalMs: 0, variant: 'exclusive', jobGraph: createJobGraph({ operators: [{ id: 'map', parallelism: 3, workMs: 1 }], edges: [] }, 'j') });
const timers = clusterTimers(0.01);

function runningOnTm1(): ClusterState {
  const state = new ClusterState({ taskManagers: [{ id: 'tm1', slotCount: 4 }], elastic: { maxTaskManagers: 2, taskManager: { slotCount: 4 }, idPrefix: 'tm-started-' }, timers }, 0);
  state.submit(job, 0);
  state.admit('j', 3, 0);
  state.grant('j', [{ taskManager: 'tm1', job: 'j', slots: 3 }], 0);
  return state;
}

describe('resizing a running job\'s grant', () => {
  it('more slots: a pending request that starts a TaskManager, granted on top of what the job holds', () => {
    const state = runningOnTm1();
    state.requestMoreSlots('j', 3, 10);
    expect(state.view(10).pendingRequests).toEqual([{ job: 'j', slots: 3, requestedAtMs: 10, deadlineMs: 10 + timers.slotRequestTimeoutMs }]);
    // 1 free slot on tm1, 3 asked: the ResourceManager starts one TaskManager of 4
    expect(taskManagersToStart(state.view(10), 4, 2)).toBe(1);
    const started = state.startTaskManager(10);
    state.registerTaskManager(started, 20);
    state.grant('j', [{ taskManager: 'tm1', job: 'j', slots: 1 }, { taskManager: started, job: 'j', slots: 2 }], 20);
    const view = state.job('j');
    expect([view.status, view.heldSlots, view.startMs]).toEqual(['running', 6, 0]);
    expect(view.grants).toEqual([
      { taskManager: 'tm1', job: 'j', slots: 4 },
      { taskManager: 'tm-started-1', job: 'j', slots: 2 },
    ]);
    expect(state.events.filter((e) => e.job === 'j').map((e) => e.kind)).toEqual(['job-submitted', 'job-admitted', 'slots-granted', 'slots-requested', 'slots-granted']);
    expect(() => state.requestMoreSlots('j', 3, 30)).toThrow(/asks for 3 more slots; 1 to 2 can still be promised/);
  });

  it('fewer slots: returned per TaskManager; an emptied started TaskManager is released after its idle timeout', () => {
    const state = runningOnTm1();
    state.requestMoreSlots('j', 3, 0);
    const started = state.startTaskManager(0);
    state.registerTaskManager(started, 0);
    state.grant('j', [{ taskManager: 'tm1', job: 'j', slots: 1 }, { taskManager: started, job: 'j', slots: 2 }], 0);
    expect(() => state.returnSlots('j', [{ taskManager: started, slots: 3 }], 5)).toThrow(/returns 3 slots of tm-started-1, where it holds 2/);
    state.returnSlots('j', [{ taskManager: started, slots: 2 }, { taskManager: 'tm1', slots: 1 }], 5);
    expect(state.job('j').grants).toEqual([{ taskManager: 'tm1', job: 'j', slots: 3 }]);
    expect(state.view(5).freeSlots).toBe(1 + 4);
    expect(taskManagersToRelease(state.view(5), timers)).toEqual([]);
    expect(taskManagersToRelease(state.view(5 + timers.taskManagerTimeoutMs), timers)).toEqual([started]);
    // a job that is not running neither asks for nor returns slots
    state.finish('j', 10);
    expect(() => state.requestMoreSlots('j', 1, 10)).toThrow(/is finished, not running/);
    expect(() => state.returnSlots('j', [], 10)).toThrow(/is finished, not running/);
  });
});
