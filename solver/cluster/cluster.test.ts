import { afterAll, describe, expect, it } from 'vitest';
import { createHighsBackend } from '../milp/highs.ts';
import { createJobGraph } from '../../models/graphs/job-graph.ts';
import { seededRng, type Rng } from '../../models/rng.ts';
import { createWorkload, type WorkloadSpec } from '../../models/cluster/workload.ts';
import type { ClusterJobSpec } from '../../models/cluster/job.ts';
import type { AllocationPolicy } from '../../models/cluster/policies.ts';
import { simulateCluster } from '../../models/cluster/simulator.ts';
import { freeSlotsAfter, slotAllocationInstanceFor } from '../../models/cluster/allocation-instance.ts';
import { slotAllocationObjective } from '../../models/slot-allocation/instance.ts';
import { validateSlotAllocation } from '../../models/slot-allocation/validator.ts';
import { findQueuePolicy } from './queue/index.ts';
import { findAllocationPolicy, milpAllocation, waterFillingAllocation } from './allocation/index.ts';
import { placementPredictor } from './predict.ts';

/** A batch job of `width` independent operators (parallelism 1, `workMs` each): demand `width` slots, elastic. */
function batchJob(id: string, arrivalMs: number, width: number, workMs: number, extra: Partial<ClusterJobSpec> = {}): ClusterJobSpec {
  return {
    id,
    arrivalMs,
    jobGraph: createJobGraph({ operators: Array.from({ length: width }, (_, i) => ({ id: `op${i}`, parallelism: 1, workMs })), edges: [] }, id),
    variant: 'sequenced',
    ...extra,
  };
}

const TWO_TMS = { taskManagers: [{ id: 'tm1', slotCount: 2 }, { id: 'tm2', slotCount: 2 }] };

async function simulate(spec: WorkloadSpec, queue: string, allocation = 'water-filling', seed = 1) {
  return simulateCluster(createWorkload(spec), {
    queuePolicy: findQueuePolicy(queue).policy,
    queuePolicyName: queue,
    allocationPolicy: findAllocationPolicy(allocation).policy,
    allocationPolicyName: allocation,
    predictDuration: placementPredictor('heft', { rng: seededRng(seed) }),
    rng: seededRng(seed),
  });
}

const times = (report: Awaited<ReturnType<typeof simulate>>) =>
  Object.fromEntries(report.jobs.map((j) => [j.id, { startMs: j.startMs, endMs: j.endMs, slots: j.slots, status: j.status }]));

describe('two jobs on two TaskManagers (2 slots each); each job: 4 independent tasks of 100 ms, demand 4 slots', () => {
  const spec: WorkloadSpec = { name: 'two-jobs', cluster: TWO_TMS, jobs: [batchJob('a', 0, 4, 100), batchJob('b', 0, 4, 100)] };

  it('fifo: the second waits until the first frees its slots', async () => {
    const report = await simulate(spec, 'fifo');
    expect(times(report)).toEqual({
      a: { startMs: 0, endMs: 100, slots: 4, status: 'finished' },
      b: { startMs: 100, endMs: 200, slots: 4, status: 'finished' },
    });
    expect(report.summary.averageCompletionMs).toBe(150);
    expect(report.summary.makespanMs).toBe(200);
    expect(report.summary.slotUtilization).toBeCloseTo(1, 9);
    expect(report.jobs.map((j) => j.slowdown)).toEqual([1, 2]);
  });

  it('fair: both run at once on equal shares (2 slots each, one per TaskManager)', async () => {
    const report = await simulate(spec, 'fair');
    expect(times(report)).toEqual({
      a: { startMs: 0, endMs: 200, slots: 2, status: 'finished' },
      b: { startMs: 0, endMs: 200, slots: 2, status: 'finished' },
    });
    expect(report.jobs.map((j) => j.grants.map((g) => `${g.taskManager}:${g.slots}`).join(' '))).toEqual(['tm1:1 tm2:1', 'tm1:1 tm2:1']);
    expect(report.summary.fairness).toBe(1);
  });

  it('priority: a later high-priority job is admitted before an earlier low-priority one', async () => {
    const three: WorkloadSpec = {
      name: 'priority',
      cluster: TWO_TMS,
      jobs: [batchJob('running', 0, 4, 100), batchJob('low', 10, 4, 100, { priority: 0 }), batchJob('high', 20, 4, 100, { priority: 5 })],
    };
    const byPriority = times(await simulate(three, 'priority'));
    expect([byPriority['high']!.startMs, byPriority['low']!.startMs]).toEqual([100, 200]);
    const byArrival = times(await simulate(three, 'fifo'));
    expect([byArrival['low']!.startMs, byArrival['high']!.startMs]).toEqual([100, 200]);
  });
});

describe('the ResourceManager', () => {
  it('rejects a job that needs more slots than the cluster can ever offer, with the reason, and runs the others', async () => {
    const wide = { id: 'wide', arrivalMs: 0, variant: 'shared' as const, jobGraph: createJobGraph({ operators: [{ id: 'map', parallelism: 5, workMs: 10 }], edges: [] }) };
    const report = await simulate({ name: 'too-wide', cluster: TWO_TMS, jobs: [wide, batchJob('ok', 5, 2, 50)] }, 'fifo');
    const [rejected, ok] = report.jobs;
    expect(rejected).toMatchObject({ id: 'wide', status: 'rejected', reason: 'needs at least 5 slots (shared) but the cluster can offer at most 4' });
    expect(ok).toMatchObject({ id: 'ok', status: 'finished', startMs: 5, endMs: 55 });
    expect(report.summary).toMatchObject({ jobs: 2, finished: 1, rejected: 1 });
  });

  it('starts a TaskManager when demand exceeds the free slots and releases it after resourcemanager.taskmanager-timeout', async () => {
    const report = await simulate(
      {
        name: 'elastic',
        cluster: { taskManagers: [{ id: 'tm1', slotCount: 2 }] },
        elastic: { maxTaskManagers: 2, taskManager: { slotCount: 2 } },
        timers: { taskManagerStartupMs: 50, taskManagerTimeoutMs: 100 },
        jobs: [batchJob('a', 0, 4, 100)],
      },
      'fifo',
    );
    expect(report.jobs[0]).toMatchObject({ startMs: 50, endMs: 150, slots: 4 });
    const tmEvents = report.events.filter((e) => e.taskManager === 'tm-started-1').map((e) => [e.kind, e.timeMs]);
    expect(tmEvents).toEqual([['taskmanager-starting', 0], ['taskmanager-registered', 50], ['taskmanager-released', 250]]);
  });

  it('fails a job whose slot request is not served within slot.request.timeout', async () => {
    const report = await simulate(
      {
        name: 'timeout',
        cluster: { taskManagers: [{ id: 'tm1', slotCount: 2 }] },
        elastic: { maxTaskManagers: 2, taskManager: { slotCount: 2 } },
        timers: { taskManagerStartupMs: 500, slotRequestTimeoutMs: 200 },
        jobs: [batchJob('a', 0, 4, 100), batchJob('b', 10, 2, 100)],
      },
      'fifo',
    );
    expect(report.jobs[0]).toMatchObject({ status: 'failed', endMs: 200, reason: 'its request for 4 slots was not fulfilled within slot.request.timeout (200000 ms)'.replace('200000', '200') });
    expect(report.jobs[1]).toMatchObject({ status: 'finished', startMs: 200, endMs: 300 });
  });
});

/** A seeded random workload: heterogeneous TaskManagers, batch jobs of random width and work, Poisson-like arrivals. */
function randomWorkload(rng: Rng): WorkloadSpec {
  const taskManagers = Array.from({ length: rng.int(2, 5) }, (_, i) => ({ id: `tm${i + 1}`, slotCount: rng.int(1, 4) }));
  let t = 0;
  const jobs = Array.from({ length: 8 }, (_, i) => {
    t += Math.round(-Math.log(1 - rng.next()) * 40);
    return batchJob(`j${i}`, t, rng.int(1, 6), rng.int(10, 120), { priority: rng.int(0, 2), user: `u${rng.int(1, 3)}` });
  });
  return { name: `random-${rng.seed}`, cluster: { taskManagers }, jobs };
}

describe('policies over seeded workloads', () => {
  const highs = createHighsBackend();
  afterAll(() => highs.dispose());

  it('the same seed gives the same decisions every time, for every queue policy', async () => {
    for (const queue of ['fifo', 'priority', 'fair', 'drf', 'sjf', 'packing']) {
      const first = await simulate(randomWorkload(seededRng(7)), queue, 'least-utilization', 3);
      const second = await simulate(randomWorkload(seededRng(7)), queue, 'least-utilization', 3);
      expect(second.events).toEqual(first.events);
      expect(second.summary).toEqual(first.summary);
      expect(first.summary.finished).toBe(8);
    }
  });

  it('water-filling: the free-slot vector after every grant is the slot-allocation optimum of that state (milp agrees)', async () => {
    let grants = 0;
    const checked: AllocationPolicy = async (view, request, options) => {
      const instance = slotAllocationInstanceFor(view, request);
      const wf = await waterFillingAllocation(view, request, options);
      const exact = await milpAllocation(view, request, { ...options, params: { backend: highs } });
      if ('failure' in wf || 'failure' in exact) throw new Error(`no allocation: ${JSON.stringify([wf, exact])}`);
      expect(validateSlotAllocation(instance, wf.allocation)).toEqual([]);
      expect(validateSlotAllocation(instance, exact.allocation)).toEqual([]);
      expect(slotAllocationObjective(instance, wf.allocation)).toBe(slotAllocationObjective(instance, exact.allocation));
      const sorted = (xs: number[]) => xs.slice().sort((a, b) => a - b);
      expect(sorted(freeSlotsAfter(view, wf.allocation))).toEqual(sorted(freeSlotsAfter(view, exact.allocation)));
      grants++;
      return wf;
    };
    for (const seed of [1, 2])
      for (const queue of ['fifo', 'fair']) {
        const workload = createWorkload(randomWorkload(seededRng(seed)));
        const report = await simulateCluster(workload, {
          queuePolicy: findQueuePolicy(queue).policy,
          queuePolicyName: queue,
          allocationPolicy: checked,
          allocationPolicyName: 'water-filling (checked against milp)',
          predictDuration: placementPredictor('heft', { rng: seededRng(seed) }),
          rng: seededRng(seed),
        });
        expect(report.summary.finished).toBe(8);
      }
    expect(grants).toBeGreaterThanOrEqual(4 * 8 * 2); // every job's grant, and its isolated reference run
  });

  it('least-utilization takes each slot from the TaskManager with the lowest allocated/total, first-fit from the first', async () => {
    const spec: WorkloadSpec = {
      name: 'spread',
      cluster: { taskManagers: [{ id: 'tm1', slotCount: 4 }, { id: 'tm2', slotCount: 2 }] },
      jobs: [batchJob('a', 0, 1, 100), batchJob('b', 0, 2, 100)],
    };
    const grantsOf = (r: Awaited<ReturnType<typeof simulate>>) => r.jobs.map((j) => j.grants.map((g) => `${g.taskManager}:${g.slots}`).join(' '));
    // a: tm1 and tm2 are both at 0 %, tm1 is listed first. b: tm2 (0/2) is below tm1 (1/4 = 25 %), so its first slot
    // comes from tm2; then tm1 (25 %) is below tm2 (1/2 = 50 %), so its second slot comes from tm1.
    expect(grantsOf(await simulate(spec, 'fifo', 'least-utilization'))).toEqual(['tm1:1', 'tm1:1 tm2:1']);
    expect(grantsOf(await simulate(spec, 'fifo', 'first-fit'))).toEqual(['tm1:1', 'tm1:2']);
    // water-filling: free (4,2) → a leaves (3,2) (Σf² 13 < 17); b leaves (2,1) or (1,2) (both 5): the level
    // solution gives the leftover unit to the first TaskManager, so b takes one slot of each
    expect(grantsOf(await simulate(spec, 'fifo', 'water-filling'))).toEqual(['tm1:1', 'tm1:1 tm2:1']);
  });
});
