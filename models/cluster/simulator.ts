import type { Rng } from '../rng.ts';
import type { SlotAllocation } from '../slot-allocation/instance.ts';
import { SlotlabError } from '../errors.ts';
import type { ClusterJob } from './job.ts';
import type { Workload } from './workload.ts';
import type { AllocationPolicy, JobDurationPredictor, QueuePolicy } from './policies.ts';
import { ClusterState, type ClusterView } from './state.ts';
import { grantedSubCluster } from './allocation-instance.ts';
import { allocate, servableRequests, taskManagersToRelease, taskManagersToStart, timedOutRequests } from './resource-manager.ts';
import { clusterJobResults, summarizeCluster, type ClusterReport } from './report.ts';

/**
 * The discrete-event simulator of the cluster: the same state machine, queue policy, allocation policy and
 * ResourceManager rules as the runtime, with job run times predicted instead of measured (no workers).
 *
 * Events, ordered by (time, kind, sequence), so that a run is a function of its inputs: TaskManager registered,
 * job finished, slot request timed out, job arrived, idle TaskManager check. After all events of one instant
 * the Dispatcher and the ResourceManager act until nothing changes: serve the pending requests that fit
 * (allocation policy, checked by the slot-allocation validator; then the predictor gives the run time on the
 * granted slots and the job's end is scheduled), ask the queue policy for admissions, start TaskManagers for
 * unmet requests, release idle started ones. Times are on the cluster clock (ms); a predicted makespan (model ms)
 * is multiplied by the workload's `timeScaleMsPerUnit`.
 */
export interface SimulationOptions {
  readonly queuePolicy: QueuePolicy;
  readonly queuePolicyName: string;
  readonly allocationPolicy: AllocationPolicy;
  readonly allocationPolicyName: string;
  readonly predictDuration: JobDurationPredictor;
  readonly rng: Rng;
  readonly allocationTimeLimitMs?: number;
  /** Passed to the allocation policy's solver (milp: `{ backend }`, created once by the caller). */
  readonly allocationParams?: Readonly<Record<string, unknown>>;
}

type EventKind = 'taskmanager-registered' | 'job-finished' | 'request-timeout' | 'job-arrived' | 'idle-check';
const RANK: Readonly<Record<EventKind, number>> = { 'taskmanager-registered': 0, 'job-finished': 1, 'request-timeout': 2, 'job-arrived': 3, 'idle-check': 4 };

interface SimEvent {
  readonly timeMs: number;
  readonly kind: EventKind;
  readonly seq: number;
  /** job id or TaskManager id */
  readonly subject: string;
}

/** A time-ordered queue; ties by kind rank, then by insertion order. */
class EventQueue {
  private readonly items: SimEvent[] = [];
  private seq = 0;

  push(timeMs: number, kind: EventKind, subject: string): void {
    const e: SimEvent = { timeMs, kind, seq: this.seq++, subject };
    const before = (a: SimEvent, b: SimEvent) => a.timeMs - b.timeMs || RANK[a.kind] - RANK[b.kind] || a.seq - b.seq;
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(this.items[mid]!, e) <= 0) lo = mid + 1;
      else hi = mid;
    }
    this.items.splice(lo, 0, e);
  }

  get size(): number {
    return this.items.length;
  }

  /** Every event at the earliest time. */
  popInstant(): SimEvent[] {
    const t = this.items[0]!.timeMs;
    let n = 0;
    while (n < this.items.length && this.items[n]!.timeMs === t) n++;
    return this.items.splice(0, n);
  }
}

/** A run time prediction failed in a way that is not the job's fault. */
export class SimulationError extends SlotlabError {
  override name = 'SimulationError';
}

/** The cluster at its largest, empty: where a job's isolated run time is measured. */
function largestEmptyState(workload: Workload): ClusterState {
  const state = new ClusterState({ taskManagers: workload.cluster.taskManagers, elastic: workload.elastic, timers: workload.timers });
  const e = workload.elastic;
  if (e) for (let n = workload.cluster.taskManagers.length; n < e.maxTaskManagers; n++) state.registerTaskManager(state.startTaskManager(0), 0);
  return state;
}

export async function simulateCluster(workload: Workload, options: SimulationOptions): Promise<ClusterReport> {
  const state = new ClusterState({ taskManagers: workload.cluster.taskManagers, elastic: workload.elastic, timers: workload.timers });
  const allocationOptions = {
    rng: options.rng,
    ...(options.allocationTimeLimitMs === undefined ? {} : { timeLimitMs: options.allocationTimeLimitMs }),
    ...(options.allocationParams === undefined ? {} : { params: options.allocationParams }),
  };
  const jobs = new Map(workload.jobs.map((j) => [j.id, j]));
  const durationMs = new Map<string, number>();
  const isolatedMs = new Map<string, number>();
  const queue = new EventQueue();
  for (const job of workload.jobs) queue.push(job.arrivalMs, 'job-arrived', job.id);
  const idleChecks = new Set<string>();
  const scale = workload.timeScaleMsPerUnit;

  /** The JobMaster's predicted run time on the granted slots, in cluster-clock ms. */
  const run = async (view: ClusterView, allocation: SlotAllocation, job: ClusterJob) => {
    const prediction = await options.predictDuration(job, grantedSubCluster(view, allocation, workload.clusterSpec));
    return 'failure' in prediction ? prediction : { ms: prediction.makespanMs * scale };
  };

  // Each job alone on the cluster at its largest, with its full demand: the reference of its slowdown.
  for (const job of workload.jobs) {
    const empty = largestEmptyState(workload);
    const request = Math.min(job.demand.slots, empty.maxSlots);
    if (job.demand.minSlots > empty.maxSlots) continue;
    empty.submit(job, 0);
    const slotRequest = empty.admit(job.id, request, 0);
    const view = empty.view(0);
    const decision = await allocate(view, slotRequest, options.allocationPolicy, options.allocationPolicyName, allocationOptions);
    if ('failure' in decision) continue;
    const alone = await run(view, decision.allocation, job);
    if (!('failure' in alone)) isolatedMs.set(job.id, alone.ms);
  }

  const serve = async (nowMs: number) => {
    for (const request of servableRequests(state, nowMs)) {
      const view = state.view(nowMs);
      const job = jobs.get(request.job)!;
      const decision = await allocate(view, request, options.allocationPolicy, options.allocationPolicyName, allocationOptions);
      if ('failure' in decision) {
        state.fail(job.id, `no slot allocation: ${decision.failure}`, nowMs);
        continue;
      }
      state.grant(job.id, decision.allocation.grants, nowMs);
      const outcome = await run(view, decision.allocation, job);
      if ('failure' in outcome) {
        state.fail(job.id, `no placement on its ${request.slots} slots: ${outcome.failure}`, nowMs);
        continue;
      }
      durationMs.set(job.id, outcome.ms);
      queue.push(nowMs + outcome.ms, 'job-finished', job.id);
    }
  };

  const act = async (nowMs: number) => {
    for (;;) {
      await serve(nowMs);
      const admissions = options.queuePolicy(state.view(nowMs));
      for (const a of admissions) {
        const request = state.admit(a.job, a.slots, nowMs);
        queue.push(request.deadlineMs, 'request-timeout', a.job);
      }
      if (admissions.length === 0) break;
    }
    const e = workload.elastic;
    if (e) {
      const n = taskManagersToStart(state.view(nowMs), e.taskManager.slotCount, e.maxTaskManagers);
      for (let i = 0; i < n; i++) queue.push(nowMs + workload.timers.taskManagerStartupMs, 'taskmanager-registered', state.startTaskManager(nowMs));
      for (const id of taskManagersToRelease(state.view(nowMs), workload.timers)) state.releaseTaskManager(id, nowMs);
      for (const tm of state.view(nowMs).taskManagers) {
        if (!tm.started || tm.idleSinceMs === null) continue;
        const key = `${tm.id}@${tm.idleSinceMs}`;
        if (idleChecks.has(key)) continue;
        idleChecks.add(key);
        queue.push(tm.idleSinceMs + workload.timers.taskManagerTimeoutMs, 'idle-check', tm.id);
      }
    }
  };

  await act(0);
  while (queue.size > 0) {
    const instant = queue.popInstant();
    const nowMs = instant[0]!.timeMs;
    for (const event of instant) {
      switch (event.kind) {
        case 'taskmanager-registered':
          state.registerTaskManager(event.subject, nowMs);
          break;
        case 'job-finished':
          state.finish(event.subject, nowMs);
          break;
        case 'request-timeout':
          for (const r of timedOutRequests(state.view(nowMs)))
            if (r.job === event.subject)
              state.fail(r.job, `its request for ${r.slots} slots was not fulfilled within slot.request.timeout (${workload.timers.slotRequestTimeoutMs} ms)`, nowMs);
          break;
        case 'job-arrived':
          state.submit(jobs.get(event.subject)!, nowMs);
          break;
        case 'idle-check':
          break; // the release rule runs below, in act()
      }
    }
    await act(nowMs);
  }

  const results = clusterJobResults(state.view(Number.POSITIVE_INFINITY).jobs, durationMs, isolatedMs);
  const unsettled = results.find((r) => r.status === 'queued' || r.status === 'admitted' || r.status === 'running' || r.status === 'submitted');
  if (unsettled) throw new SimulationError(`the simulation ended with job ${unsettled.id} still ${unsettled.status} (queue policy ${options.queuePolicyName} admitted nothing more)`);
  return {
    workload: workload.name,
    mode: 'simulated',
    queuePolicy: options.queuePolicyName,
    allocationPolicy: options.allocationPolicyName,
    jobs: results,
    summary: summarizeCluster(results, state.allTaskManagers()),
    events: state.events,
  };
}
