import type { SlotGrant } from '../slot-allocation/instance.ts';
import { withTaskManagerDefaults, type TaskManagerAttributes, type TaskManagerSpec } from '../graphs/cluster.ts';
import { SlotlabError } from '../errors.ts';
import type { ClusterJob } from './job.ts';
import type { ClusterTimers } from './timers.ts';

/**
 * The cluster state machine that the discrete-event simulator and the runtime both drive: the ResourceManager's
 * slot registry (TaskManagers, each slot free or allocated to a job), the Dispatcher's jobs and their lifecycle,
 * and the pending slot requests. It decides nothing: queue and allocation policies decide, the roles call
 * `submit`, `admit`, `grant`, `finish`, `fail`, `startTaskManager`, `registerTaskManager`, `releaseTaskManager`,
 * and each call checks that the transition is legal (a policy bug is an error, never a silent over-allocation).
 *
 * Job lifecycle: submitted → queued → admitted (its JobMaster's slot request is pending) → running (slots granted,
 * subtasks deployed) → finished | failed; or submitted → rejected (it can never get the slots it needs).
 * TaskManager lifecycle: starting → registered → released (only started ones are released, after being idle);
 * starting | registered → lost (the runtime's ResourceManager heard no heartbeat within `heartbeat.timeout`).
 */
export type JobStatus = 'submitted' | 'queued' | 'admitted' | 'running' | 'finished' | 'rejected' | 'failed';
export type TaskManagerStatus = 'starting' | 'registered' | 'released' | 'lost';

/** Released or lost: no longer part of the cluster. */
function gone(tm: { readonly status: TaskManagerStatus }): boolean {
  return tm.status === 'released' || tm.status === 'lost';
}

export interface ResourceVector {
  readonly slots: number;
  readonly cpuCores: number;
  readonly memoryBytes: number;
}

export interface TaskManagerView extends TaskManagerAttributes {
  /** Started on demand (elastic), as opposed to part of the cluster from the start. */
  readonly started: boolean;
  readonly status: TaskManagerStatus;
  /** Job id holding each slot, or null when free. */
  readonly slots: readonly (string | null)[];
  readonly freeSlots: number;
  /** Since when no slot is allocated (registered TaskManagers only), else null. */
  readonly idleSinceMs: number | null;
  readonly startedAtMs: number;
  readonly registeredAtMs: number | null;
  readonly releasedAtMs: number | null;
}

export interface JobView {
  readonly job: ClusterJob;
  readonly status: JobStatus;
  readonly submittedMs: number;
  readonly admittedMs: number | null;
  readonly startMs: number | null;
  readonly endMs: number | null;
  /** Slots the Dispatcher admitted the job with (its slot request). 0 before admission. */
  readonly requestedSlots: number;
  readonly grants: readonly SlotGrant[];
  /** Slots it holds now. */
  readonly heldSlots: number;
  /** Why it was rejected or failed. */
  readonly reason: string | null;
}

export interface SlotRequest {
  readonly job: string;
  readonly slots: number;
  readonly requestedAtMs: number;
  /** `slot.request.timeout` after the request. */
  readonly deadlineMs: number;
}

/** What policies see: a snapshot, read-only. */
export interface ClusterView {
  readonly nowMs: number;
  /** Not released, in the order they joined. */
  readonly taskManagers: readonly TaskManagerView[];
  /** Every submitted job, in submission order. */
  readonly jobs: readonly JobView[];
  /** Queued jobs, in submission order. */
  readonly queue: readonly JobView[];
  readonly pendingRequests: readonly SlotRequest[];
  /** Resources of the registered TaskManagers. */
  readonly capacity: ResourceVector;
  /** Free slots on registered TaskManagers. */
  readonly freeSlots: number;
  /** The most slots the cluster can ever offer (static + started up to the maximum). */
  readonly maxSlots: number;
  /**
   * Slots the Dispatcher may still promise: free + on starting TaskManagers + on those it may still start,
   * minus the slots pending requests wait for.
   */
  readonly admissibleSlots: number;
}

/** Resources a job uses when it holds `slots` slots: its slot profile × slots. */
export function jobUsage(job: ClusterJob, slots: number): ResourceVector {
  return { slots, cpuCores: slots * job.demand.slotProfile.cpuCores, memoryBytes: slots * job.demand.slotProfile.memoryBytes };
}

/** Largest share of the capacity the vector takes over slots' CPU and memory (finite, positive capacities only). */
export function dominantShare(usage: ResourceVector, capacity: ResourceVector): number {
  let share = 0;
  if (capacity.cpuCores > 0 && Number.isFinite(capacity.cpuCores)) share = Math.max(share, usage.cpuCores / capacity.cpuCores);
  if (capacity.memoryBytes > 0 && Number.isFinite(capacity.memoryBytes)) share = Math.max(share, usage.memoryBytes / capacity.memoryBytes);
  return share;
}

export type ClusterEventKind =
  | 'job-submitted'
  | 'job-rejected'
  | 'job-admitted'
  | 'slots-granted'
  | 'replacement-requested'
  | 'slots-requested'
  | 'slots-returned'
  | 'job-finished'
  | 'job-failed'
  | 'taskmanager-starting'
  | 'taskmanager-registered'
  | 'taskmanager-released'
  | 'taskmanager-lost';

/** One transition, for reports and for checking that two runs decided the same. */
export interface ClusterEvent {
  readonly timeMs: number;
  readonly kind: ClusterEventKind;
  readonly job?: string;
  readonly taskManager?: string;
  readonly detail?: string;
}

/** A role asked for a transition the state does not allow (a policy or role bug). */
export class ClusterStateError extends SlotlabError {
  override name = 'ClusterStateError';
}

export interface ClusterStateConfig {
  readonly taskManagers: readonly TaskManagerSpec[];
  readonly elastic?: { readonly maxTaskManagers: number; readonly taskManager: Omit<TaskManagerSpec, 'id'>; readonly idPrefix: string } | undefined;
  readonly timers: ClusterTimers;
}

interface TaskManagerRecord {
  id: string;
  slotCount: number;
  cpuCores: number;
  memoryBytes: number;
  speedFactor: number;
  rack: string | undefined;
  started: boolean;
  status: TaskManagerStatus;
  slots: (string | null)[];
  idleSinceMs: number | null;
  startedAtMs: number;
  registeredAtMs: number | null;
  releasedAtMs: number | null;
}

interface JobRecord {
  job: ClusterJob;
  status: JobStatus;
  submittedMs: number;
  admittedMs: number | null;
  startMs: number | null;
  endMs: number | null;
  requestedSlots: number;
  grants: SlotGrant[];
  reason: string | null;
}

function record(spec: TaskManagerSpec, started: boolean, nowMs: number): TaskManagerRecord {
  return {
    ...withTaskManagerDefaults(spec),
    started,
    status: started ? 'starting' : 'registered',
    slots: new Array<string | null>(spec.slotCount).fill(null),
    idleSinceMs: started ? null : nowMs,
    startedAtMs: nowMs,
    registeredAtMs: started ? null : nowMs,
    releasedAtMs: null,
  };
}

export class ClusterState {
  private readonly tms: TaskManagerRecord[] = [];
  private readonly jobRecords: JobRecord[] = [];
  private readonly jobIndex = new Map<string, JobRecord>();
  private readonly requests: SlotRequest[] = [];
  private readonly log: ClusterEvent[] = [];
  private startedCount = 0;

  constructor(readonly config: ClusterStateConfig, nowMs = 0) {
    for (const tm of config.taskManagers) {
      this.tms.push(record(tm, false, nowMs));
      this.log.push({ timeMs: nowMs, kind: 'taskmanager-registered', taskManager: tm.id, detail: `${tm.slotCount} slots` });
    }
  }

  /**
   * The most slots the cluster can still offer one job: the slots of every TaskManager that is not gone, plus, when
   * elastic, those of the TaskManagers it may still start (up to `maxTaskManagers` live). A lost TaskManager lowers
   * it for good (a fixed cluster does not replace it).
   */
  get maxSlots(): number {
    const live = this.tms.filter((tm) => !gone(tm));
    const slots = live.reduce((t, tm) => t + tm.slotCount, 0);
    const e = this.config.elastic;
    return e ? slots + Math.max(0, e.maxTaskManagers - live.length) * e.taskManager.slotCount : slots;
  }

  /** Every transition so far, in order. */
  get events(): readonly ClusterEvent[] {
    return this.log;
  }

  private emit(event: ClusterEvent): void {
    this.log.push(event);
  }

  private jobRecord(id: string): JobRecord {
    const r = this.jobIndex.get(id);
    if (!r) throw new ClusterStateError(`no job "${id}" was submitted`);
    return r;
  }

  private tmRecord(id: string): TaskManagerRecord {
    const r = this.tms.find((tm) => tm.id === id && !gone(tm));
    if (!r) throw new ClusterStateError(`no TaskManager "${id}" is in the cluster`);
    return r;
  }

  job(id: string): JobView {
    return this.jobView(this.jobRecord(id));
  }

  private jobView(r: JobRecord): JobView {
    return {
      job: r.job,
      status: r.status,
      submittedMs: r.submittedMs,
      admittedMs: r.admittedMs,
      startMs: r.startMs,
      endMs: r.endMs,
      requestedSlots: r.requestedSlots,
      grants: r.grants.slice(),
      heldSlots: r.status === 'running' ? r.grants.reduce((t, g) => t + g.slots, 0) : 0,
      reason: r.reason,
    };
  }

  private tmView(r: TaskManagerRecord): TaskManagerView {
    return { ...r, rack: r.rack, slots: r.slots.slice(), freeSlots: r.slots.filter((s) => s === null).length };
  }

  /** Every TaskManager that ever joined, released and lost ones too (for utilisation over time). */
  allTaskManagers(): TaskManagerView[] {
    return this.tms.map((r) => this.tmView(r));
  }

  view(nowMs: number): ClusterView {
    const live = this.tms.filter((tm) => !gone(tm));
    const registered = live.filter((tm) => tm.status === 'registered');
    const taskManagers = live.map((r) => this.tmView(r));
    const jobs = this.jobRecords.map((r) => this.jobView(r));
    const freeSlots = taskManagers.reduce((t, tm) => t + (tm.status === 'registered' ? tm.freeSlots : 0), 0);
    const startingSlots = live.filter((tm) => tm.status === 'starting').reduce((t, tm) => t + tm.slotCount, 0);
    const e = this.config.elastic;
    const startable = e ? (e.maxTaskManagers - live.length) * e.taskManager.slotCount : 0;
    const pending = this.requests.reduce((t, r) => t + r.slots, 0);
    return {
      nowMs,
      taskManagers,
      jobs,
      queue: jobs.filter((j) => j.status === 'queued'),
      pendingRequests: this.requests.slice(),
      capacity: {
        slots: registered.reduce((t, tm) => t + tm.slotCount, 0),
        cpuCores: registered.reduce((t, tm) => t + tm.cpuCores, 0),
        memoryBytes: registered.reduce((t, tm) => t + tm.memoryBytes, 0),
      },
      freeSlots,
      maxSlots: this.maxSlots,
      admissibleSlots: freeSlots + startingSlots + startable - pending,
    };
  }

  /** Dispatcher: a job arrives. Queued, or rejected when it needs more slots than the cluster can ever offer. */
  submit(job: ClusterJob, nowMs: number): JobView {
    if (this.jobIndex.has(job.id)) throw new ClusterStateError(`job "${job.id}" was already submitted`);
    const r: JobRecord = { job, status: 'submitted', submittedMs: nowMs, admittedMs: null, startMs: null, endMs: null, requestedSlots: 0, grants: [], reason: null };
    this.jobRecords.push(r);
    this.jobIndex.set(job.id, r);
    this.emit({ timeMs: nowMs, kind: 'job-submitted', job: job.id, detail: `demand ${job.demand.slots} slots (at least ${job.demand.minSlots})` });
    if (job.demand.minSlots > this.maxSlots) {
      r.status = 'rejected';
      r.endMs = nowMs;
      r.reason = `needs at least ${job.demand.minSlots} slots (${job.variant}) but the cluster can offer at most ${this.maxSlots}`;
      this.emit({ timeMs: nowMs, kind: 'job-rejected', job: job.id, detail: r.reason });
    } else r.status = 'queued';
    return this.jobView(r);
  }

  /** The slots a job is admitted with at most: its demand, or the whole cluster if that is smaller. */
  maxRequest(job: ClusterJob): number {
    return Math.min(job.demand.slots, this.maxSlots);
  }

  /** Dispatcher: admit a queued job; its JobMaster requests `slots` slots (pending until granted). */
  admit(jobId: string, slots: number, nowMs: number): SlotRequest {
    const r = this.jobRecord(jobId);
    if (r.status !== 'queued') throw new ClusterStateError(`job "${jobId}" is ${r.status}, not queued; it cannot be admitted`);
    if (!Number.isInteger(slots) || slots < r.job.demand.minSlots || slots > this.maxRequest(r.job))
      throw new ClusterStateError(`job "${jobId}" admitted with ${slots} slots; it runs on ${r.job.demand.minSlots} to ${this.maxRequest(r.job)}`);
    const admissible = this.view(nowMs).admissibleSlots;
    if (slots > admissible) throw new ClusterStateError(`job "${jobId}" admitted with ${slots} slots but only ${admissible} can still be promised`);
    r.status = 'admitted';
    r.admittedMs = nowMs;
    r.requestedSlots = slots;
    const request: SlotRequest = { job: jobId, slots, requestedAtMs: nowMs, deadlineMs: nowMs + this.config.timers.slotRequestTimeoutMs };
    this.requests.push(request);
    this.emit({ timeMs: nowMs, kind: 'job-admitted', job: jobId, detail: `requests ${slots} slots` });
    return request;
  }

  /**
   * JobMaster (failover): a running job that lost slots with a TaskManager asks for `slots` replacement slots. The
   * request waits like any other (served when the slots are free, TaskManagers started for it when elastic,
   * failed at `slot.request.timeout`); the job keeps the slots it still holds.
   */
  requestReplacement(jobId: string, slots: number, nowMs: number): SlotRequest {
    return this.requestForRunningJob(jobId, slots, nowMs, 'replacement-requested', 'replacement slots', Number.POSITIVE_INFINITY);
  }

  /**
   * ResourceManager: grant a pending request, an admitted job's (it starts running) or a running job's replacement
   * request (its grants grow). The grants must cover exactly the requested slots.
   */
  grant(jobId: string, grants: readonly SlotGrant[], nowMs: number): void {
    const r = this.jobRecord(jobId);
    const at = this.requests.findIndex((q) => q.job === jobId);
    if ((r.status !== 'admitted' && r.status !== 'running') || at === -1) throw new ClusterStateError(`job "${jobId}" is ${r.status} with no pending slot request; nothing to grant`);
    // a running job's request: replacement slots for a lost TaskManager's, or more slots for a rescale
    const running = r.status === 'running';
    const requested = this.requests[at]!.slots;
    const total = grants.reduce((t, g) => t + g.slots, 0);
    if (total !== requested) throw new ClusterStateError(`job "${jobId}" requested ${requested} slots but the grants give ${total}`);
    for (const g of grants) {
      const tm = this.tmRecord(g.taskManager);
      const free = tm.slots.filter((s) => s === null).length;
      if (tm.status !== 'registered' || !Number.isInteger(g.slots) || g.slots < 0 || g.slots > free)
        throw new ClusterStateError(`grant of ${g.slots} slots of ${tm.id} to ${jobId}: it is ${tm.status} with ${free} free slots`);
    }
    const merged = new Map<string, number>(running ? r.grants.map((g) => [g.taskManager, g.slots] as const) : []);
    for (const g of grants) {
      if (g.slots === 0) continue;
      merged.set(g.taskManager, (merged.get(g.taskManager) ?? 0) + g.slots);
      const tm = this.tmRecord(g.taskManager);
      let left = g.slots;
      for (let l = 0; l < tm.slots.length && left > 0; l++)
        if (tm.slots[l] === null) {
          tm.slots[l] = jobId;
          left--;
        }
      tm.idleSinceMs = null;
    }
    this.requests.splice(at, 1);
    if (running) {
      // added to what it holds (a lost TaskManager's grants were dropped at the loss, so a replacement brings it back
      // to its request, a rescale beyond it)
      r.requestedSlots = [...merged.values()].reduce((t, n) => t + n, 0);
    } else {
      r.status = 'running';
      r.startMs = nowMs;
    }
    r.grants = [...merged].map(([taskManager, slots]) => ({ taskManager, job: jobId, slots }));
    const granted = grants.filter((g) => g.slots > 0).map((g) => `${g.taskManager}:${g.slots}`).join(' ');
    this.emit({ timeMs: nowMs, kind: 'slots-granted', job: jobId, detail: running ? `added ${granted}; holds ${r.grants.map((g) => `${g.taskManager}:${g.slots}`).join(' ')}` : granted });
  }

  /**
   * JobMaster of a running job that scales up (autoscaling): it asks for `slots` more slots, pending like an
   * admission's request (the ResourceManager serves it with the allocation policy, starts TaskManagers for it when
   * elastic, fails it at `slot.request.timeout`). At most what can still be promised.
   */
  requestMoreSlots(jobId: string, slots: number, nowMs: number): SlotRequest {
    return this.requestForRunningJob(jobId, slots, nowMs, 'slots-requested', 'more slots', this.view(nowMs).admissibleSlots);
  }

  /**
   * A running job's pending slot request (a replacement or a rescale), served by `grant` like an admission's and
   * failed at `slot.request.timeout`; at most `limit` slots.
   */
  private requestForRunningJob(jobId: string, slots: number, nowMs: number, kind: 'replacement-requested' | 'slots-requested', what: string, limit: number): SlotRequest {
    const r = this.jobRecord(jobId);
    if (r.status !== 'running') throw new ClusterStateError(`job "${jobId}" is ${r.status}, not running; it cannot ask for ${what}`);
    if (this.requests.some((q) => q.job === jobId)) throw new ClusterStateError(`job "${jobId}" already has a pending slot request`);
    if (!Number.isInteger(slots) || slots < 1 || slots > limit)
      throw new ClusterStateError(`job "${jobId}" asks for ${slots} ${what}; ${Number.isFinite(limit) ? `1 to ${limit} can still be promised` : 'it should be a whole number >= 1'}`);
    const request: SlotRequest = { job: jobId, slots, requestedAtMs: nowMs, deadlineMs: nowMs + this.config.timers.slotRequestTimeoutMs };
    this.requests.push(request);
    this.emit({ timeMs: nowMs, kind, job: jobId, detail: `requests ${slots} ${what}` });
    return request;
  }

  /** A running job's pending request for more slots is withdrawn (timed out): it keeps what it holds. */
  withdrawRequest(jobId: string): void {
    const at = this.requests.findIndex((q) => q.job === jobId);
    if (at !== -1 && this.jobRecord(jobId).status === 'running') this.requests.splice(at, 1);
  }

  /**
   * JobMaster of a running job that scales down: it returns `slots` slots of TaskManager `taskManager` (per entry) to
   * the ResourceManager; a TaskManager left without any job's slot becomes idle (a started one is released after
   * `resourcemanager.taskmanager-timeout`).
   */
  returnSlots(jobId: string, returned: readonly { readonly taskManager: string; readonly slots: number }[], nowMs: number): void {
    const r = this.jobRecord(jobId);
    if (r.status !== 'running') throw new ClusterStateError(`job "${jobId}" is ${r.status}, not running; it holds no slots to return`);
    const held = new Map(r.grants.map((g) => [g.taskManager, g.slots]));
    for (const g of returned)
      if (!Number.isInteger(g.slots) || g.slots < 0 || g.slots > (held.get(g.taskManager) ?? 0))
        throw new ClusterStateError(`job "${jobId}" returns ${g.slots} slots of ${g.taskManager}, where it holds ${held.get(g.taskManager) ?? 0}`);
    for (const g of returned) {
      if (g.slots === 0) continue;
      const tm = this.tmRecord(g.taskManager);
      let left = g.slots;
      for (let l = tm.slots.length - 1; l >= 0 && left > 0; l--)
        if (tm.slots[l] === jobId) {
          tm.slots[l] = null;
          left--;
        }
      if (tm.slots.every((x) => x === null)) tm.idleSinceMs = nowMs;
      held.set(g.taskManager, held.get(g.taskManager)! - g.slots);
    }
    r.grants = r.grants.map((g) => ({ ...g, slots: held.get(g.taskManager)! })).filter((g) => g.slots > 0);
    r.requestedSlots = r.grants.reduce((t, g) => t + g.slots, 0);
    this.emit({ timeMs: nowMs, kind: 'slots-returned', job: jobId, detail: returned.filter((g) => g.slots > 0).map((g) => `${g.taskManager}:${g.slots}`).join(' ') });
  }

  private releaseSlots(jobId: string, nowMs: number): void {
    for (const tm of this.tms) {
      if (gone(tm)) continue;
      let had = false;
      for (let l = 0; l < tm.slots.length; l++)
        if (tm.slots[l] === jobId) {
          tm.slots[l] = null;
          had = true;
        }
      if (had && tm.slots.every((s) => s === null)) tm.idleSinceMs = nowMs;
    }
  }

  /** JobMaster: the job's last subtask ended; its slots go back to the ResourceManager. */
  finish(jobId: string, nowMs: number): void {
    const r = this.jobRecord(jobId);
    if (r.status !== 'running') throw new ClusterStateError(`job "${jobId}" is ${r.status}, not running; it cannot finish`);
    this.releaseSlots(jobId, nowMs);
    r.status = 'finished';
    r.endMs = nowMs;
    this.emit({ timeMs: nowMs, kind: 'job-finished', job: jobId });
  }

  /** A job fails (slot request timed out, no placement on its slots, ...); what it held is released. */
  fail(jobId: string, reason: string, nowMs: number): void {
    const r = this.jobRecord(jobId);
    if (r.status === 'finished' || r.status === 'failed' || r.status === 'rejected') throw new ClusterStateError(`job "${jobId}" is already ${r.status}`);
    this.releaseSlots(jobId, nowMs);
    const at = this.requests.findIndex((q) => q.job === jobId);
    if (at !== -1) this.requests.splice(at, 1);
    r.status = 'failed';
    r.endMs = nowMs;
    r.reason = reason;
    this.emit({ timeMs: nowMs, kind: 'job-failed', job: jobId, detail: reason });
  }

  /** ResourceManager: start a TaskManager from the elastic template (it registers later). Returns its id. */
  startTaskManager(nowMs: number): string {
    const e = this.config.elastic;
    const live = this.tms.filter((tm) => !gone(tm)).length;
    if (!e || live >= e.maxTaskManagers) throw new ClusterStateError(`no TaskManager can be started: ${e ? `the cluster has its maximum of ${e.maxTaskManagers}` : 'the cluster is not elastic'}`);
    this.startedCount++;
    const id = `${e.idPrefix}${this.startedCount}`;
    this.tms.push(record({ ...e.taskManager, id }, true, nowMs));
    this.emit({ timeMs: nowMs, kind: 'taskmanager-starting', taskManager: id });
    return id;
  }

  /** A started TaskManager registers its slots with the ResourceManager. */
  registerTaskManager(id: string, nowMs: number): void {
    const tm = this.tmRecord(id);
    if (tm.status !== 'starting') throw new ClusterStateError(`TaskManager "${id}" is ${tm.status}, not starting`);
    tm.status = 'registered';
    tm.registeredAtMs = nowMs;
    tm.idleSinceMs = nowMs;
    this.emit({ timeMs: nowMs, kind: 'taskmanager-registered', taskManager: id, detail: `${tm.slotCount} slots` });
  }

  /** ResourceManager: release an idle started TaskManager. */
  releaseTaskManager(id: string, nowMs: number): void {
    const tm = this.tmRecord(id);
    if (!tm.started || tm.status !== 'registered' || tm.slots.some((s) => s !== null))
      throw new ClusterStateError(`TaskManager "${id}" cannot be released: only idle started TaskManagers are`);
    tm.status = 'released';
    tm.releasedAtMs = nowMs;
    tm.idleSinceMs = null;
    this.emit({ timeMs: nowMs, kind: 'taskmanager-released', taskManager: id });
  }

  /**
   * ResourceManager (runtime): a TaskManager missed its heartbeats for `heartbeat.timeout` (or its worker exited).
   * Every job holding one of its slots fails with `reason` (its JobMaster is told; the caller stops the job's
   * subtasks), except those whose JobMaster fails over (`failsOver`): they keep running on the slots they hold
   * elsewhere (and may request replacements). Then its slots leave the registry. Returns the ids of the failed jobs,
   * in submission order.
   */
  loseTaskManager(id: string, reason: string, nowMs: number, failsOver: (job: string) => boolean = () => false): string[] {
    const tm = this.tmRecord(id);
    const holders = this.jobRecords.filter((r) => r.status === 'running' && tm.slots.includes(r.job.id)).map((r) => r.job.id);
    const failed = holders.filter((job) => !failsOver(job));
    for (const job of failed) this.fail(job, reason, nowMs);
    for (const job of holders.filter((j) => failsOver(j))) {
      const r = this.jobRecord(job);
      r.grants = r.grants.filter((g) => g.taskManager !== id);
    }
    tm.status = 'lost';
    tm.releasedAtMs = nowMs;
    tm.idleSinceMs = null;
    this.emit({ timeMs: nowMs, kind: 'taskmanager-lost', taskManager: id, detail: reason });
    // A queued job that needs more than the cluster can now ever offer would wait for ever: it fails, saying why.
    const maxSlots = this.maxSlots;
    for (const r of this.jobRecords)
      if (r.status === 'queued' && r.job.demand.minSlots > maxSlots)
        this.fail(r.job.id, `needs at least ${r.job.demand.minSlots} slots (${r.job.variant}) but after TaskManager ${id} was lost the cluster can offer at most ${maxSlots}`, nowMs);
    return failed;
  }
}
