import type { ClusterSpec, TaskManagerSpec } from '../../models/graphs/cluster.ts';
import { createCluster } from '../../models/graphs/cluster.ts';
import { compileDagPlacementInstance, type DagPlacementInstance } from '../../models/dag-placement/instance.ts';
import type { Placement } from '../../models/solution.ts';
import type { ClusterJob } from '../../models/cluster/job.ts';
import type { Workload } from '../../models/cluster/workload.ts';
import type { ClusterState, ClusterView } from '../../models/cluster/state.ts';
import { grantedSubCluster } from '../../models/cluster/allocation-instance.ts';
import type { SlotAllocation } from '../../models/slot-allocation/instance.ts';
import { OptionError, SlotlabError } from '../../models/errors.ts';
import { resolveSlowLink, type FaultSpec } from '../../models/recovery/fault-injection.ts';
import { RESTART_STRATEGY_DEFAULTS, type RestartStrategyConfig } from '../../models/recovery/restart-strategy.ts';
import { nowMs } from '../clock.ts';
import { operatorWithoutCheckpoints, type FailoverStrategy, type PlacementReplacer, type RunOptions } from '../plan.ts';
import type { ExecutionMode } from '../execution-mode.ts';
import type { TaskManagerThread } from '../worker/host.ts';

/**
 * Recovery in the cluster runtime (issue #11): what `slotlab cluster --restart-strategy --checkpoint-interval
 * --inject` adds to the roles. The failover itself is the JobMaster's (runtime/job-master.ts, the one path `slotlab
 * run` takes): restart strategy, cancel, re-place, restore the last completed checkpoint, deploy a new attempt. This
 * file gives it what only the cluster has:
 *
 * - which jobs fail over (a restart strategy other than `none`): the ResourceManager keeps them running when it
 *   declares a TaskManager of theirs lost, and fences the TaskManager (`TaskManagerThread.fence`) so that their
 *   JobMasters hear of the loss with its reason and its time (detection = declared − silent since);
 * - the re-placement (`PlacementReplacer`): the JobMaster asks the ResourceManager for as many replacement slots as
 *   it lost (a slot request that waits like any other: an elastic cluster starts a TaskManager for it, a fixed one
 *   serves it when slots free up, `slot.request.timeout` fails the job), then the job's instance grows by the granted
 *   slots (the previous TaskManagers first, in order, the lost ones unused) and the layer above's re-placement
 *   function (`replaceLostSubtasks`) moves the lost TaskManager's subtasks there; when the cluster can never give
 *   the slots back, they go to the slots the job still holds;
 * - the faults of `--inject` that act on the cluster (`kill:TM@250ms` on the cluster clock, `stall:TM@250ms+500ms`)
 *   and, per job, those that act inside its run (`kill:TM@5000rec` for every job with a subtask on TM,
 *   `corrupt:checkpoint@restore`, `slow:TM1-TM2@xF`).
 */
export interface ClusterRecoveryOptions {
  /** Every job's restart strategy (wall ms), unless the job has its own (`ClusterJob.restartStrategy`). Default: `none` (a lost TaskManager fails its jobs), with checkpoints exponential-delay. */
  readonly restartStrategy?: RestartStrategyConfig;
  /** `full` or `region` (default, Flink's). */
  readonly failover?: FailoverStrategy;
  /** Aligned-barrier checkpoints every this many wall ms, for the jobs whose operators all take part (pipelined mode). */
  readonly checkpointIntervalMs?: number;
  readonly faults?: readonly FaultSpec[];
  /** Re-places the subtasks of lost TaskManagers on an instance that still lists them (solver/recovery/replace-lost-task-managers.ts). */
  readonly replaceLostSubtasks?: (instance: DagPlacementInstance, current: Placement, lost: readonly string[]) => Placement;
}

/** What the failover uses of the cluster runtime: its serial queue, timers, state and workers. */
export interface ClusterRoles {
  /** Runs a transition in the serial queue (the Dispatcher and ResourceManager act after it). */
  step(fn: (nowMs: number) => void): void;
  /** Runs `fn` after `delayMs` (cleared when the cluster stops). */
  after(delayMs: number, fn: () => void): void;
  state(): ClusterState;
  /** The running thread of a TaskManager that is not lost, released or fenced. */
  thread(taskManager: string): TaskManagerThread | undefined;
  /** Inside a step: declares a TaskManager lost now if the ResourceManager has not yet (its worker exited). */
  loseNow(taskManager: string, nowMs: number): void;
  readonly heartbeatIntervalMs: number;
  readonly mode: ExecutionMode;
}

/** A fenced TaskManager whose stall ended is terminated this many heartbeat intervals later (what it sends meanwhile is ignored). */
const FENCED_GRACE_INTERVALS = 5;

/** One running job's cluster: its granted slots so far (TaskManagers in the order its instance lists them). */
interface JobCluster {
  spec: ClusterSpec;
  /** Lost TaskManagers whose slots were asked for again already. */
  readonly replaced: Set<string>;
}

export class ClusterFailover {
  private readonly clusterKills: Array<{ readonly taskManager: string; readonly atMs: number }> = [];
  private readonly stalls: Array<{ readonly taskManager: string; readonly atMs: number; readonly forMs: number }> = [];
  /** TaskManager id -> epoch ms its ongoing stall began. */
  private readonly stalledSince = new Map<string, number>();
  private readonly jobFaults: FaultSpec[] = [];
  private readonly jobClusters = new Map<string, JobCluster>();
  private readonly waiting = new Map<string, { resolve(granted: ClusterSpec): void; reject(error: Error): void }>();

  constructor(
    private readonly workload: Workload,
    private readonly options: ClusterRecoveryOptions,
    private readonly roles: ClusterRoles,
  ) {
    const ids = workload.cluster.taskManagers.map((tm) => tm.id);
    const known = (id: string) => ids.includes(id) || (workload.elastic !== undefined && id.startsWith(workload.elastic.idPrefix));
    const check = (fault: string, id: string) => {
      if (!known(id)) throw OptionError.flag('--inject', fault, `names TaskManager "${id}", which the cluster of ${workload.name} does not have (${ids.join(', ')})`);
    };
    for (const f of options.faults ?? []) {
      if (f.kind === 'kill' && 'atMs' in f) {
        check(`kill:${f.taskManager}`, f.taskManager);
        this.clusterKills.push({ taskManager: f.taskManager, atMs: f.atMs });
      } else if (f.kind === 'stall') {
        check(`stall:${f.taskManager}`, f.taskManager);
        this.stalls.push(f);
      } else if (f.kind === 'kill') {
        check(`kill:${f.taskManager}`, f.taskManager);
        this.jobFaults.push(f);
      } else if (f.kind === 'slow-link') {
        resolveSlowLink(f.link, ids);
        this.jobFaults.push(f);
      } else if (f.kind === 'corrupt-checkpoint') this.jobFaults.push(f);
      else if (f.kind === 'kill-random') throw OptionError.flag('--inject', `kill:random@${f.seed}`, 'is not supported by slotlab cluster yet: name the TaskManager (kill:tm2@250ms, kill:tm2@5000rec)');
      else throw OptionError.flag('--inject', `throw:${f.subtask}`, 'is not supported by slotlab cluster: subtask ids repeat across jobs (use kill or stall)');
    }
    if (options.checkpointIntervalMs !== undefined && roles.mode !== 'pipelined')
      throw new SlotlabError('cluster runtime: checkpoints (checkpointIntervalMs) need pipelined mode; in blocking mode a failed job re-runs from its sources');
  }

  /** The job's restart strategy (wall ms). */
  restartStrategyOf(job: string): RestartStrategyConfig {
    return (
      this.workload.jobs.find((j) => j.id === job)?.restartStrategy ??
      this.options.restartStrategy ??
      (this.options.checkpointIntervalMs === undefined ? RESTART_STRATEGY_DEFAULTS.none : RESTART_STRATEGY_DEFAULTS['exponential-delay'])
    );
  }

  /** The job's JobMaster fails over when it loses a TaskManager (else the job fails, as without recovery). */
  failsOver(job: string): boolean {
    return this.restartStrategyOf(job).type !== 'none';
  }

  /** A stalled TaskManager declared lost stays fenced until its stall ends (its resumed heartbeats are then ignored). */
  keepFenced(taskManager: string): boolean {
    return this.stalledSince.has(taskManager);
  }

  /** Epoch ms since when the TaskManager has been stalled, if it is. */
  stallStartMs(taskManager: string): number | undefined {
    return this.stalledSince.get(taskManager);
  }

  /** The cluster clock started: the cluster-level faults are scheduled. */
  scheduleFaults(threadOf: (taskManager: string) => TaskManagerThread | undefined): void {
    for (const k of this.clusterKills) this.roles.after(k.atMs, () => void this.roles.thread(k.taskManager)?.kill());
    for (const s of this.stalls) {
      let stalled: TaskManagerThread | undefined;
      this.roles.after(s.atMs, () => {
        stalled = threadOf(s.taskManager);
        if (stalled === undefined) return;
        this.stalledSince.set(s.taskManager, nowMs());
        stalled.post({ type: 'stop-heartbeats' });
      });
      this.roles.after(s.atMs + s.forMs, () => {
        if (stalled === undefined) return;
        this.stalledSince.delete(s.taskManager);
        stalled.post({ type: 'resume-heartbeats' });
        // declared lost meanwhile: fenced; what it sends now is ignored, then its worker ends
        const fenced = stalled;
        if (fenced.loss !== undefined) this.roles.after(FENCED_GRACE_INTERVALS * this.roles.heartbeatIntervalMs, () => void fenced.terminate());
      });
    }
  }

  /** What a job's run gets: restart strategy, failover, checkpoints, its faults, and the cluster's re-placement. */
  runOptions(job: ClusterJob, subCluster: ClusterSpec, instance: DagPlacementInstance): RunOptions {
    if (!this.failsOver(job.id) && this.jobFaults.length === 0) return {};
    this.jobClusters.set(job.id, { spec: subCluster, replaced: new Set() });
    const tms = new Set(instance.taskManagers.map((tm) => tm.id));
    const checkpoints = this.options.checkpointIntervalMs !== undefined && operatorWithoutCheckpoints(instance) === undefined;
    const faults = this.jobFaults.filter((f) => {
      if (f.kind === 'kill') return tms.has(f.taskManager);
      if (f.kind === 'slow-link') {
        try {
          resolveSlowLink(f.link, [...tms]);
          return true;
        } catch {
          return false; // the link is not between two TaskManagers of this job
        }
      }
      return f.kind !== 'corrupt-checkpoint' || checkpoints;
    });
    return {
      restartStrategy: this.restartStrategyOf(job.id),
      ...(this.options.failover === undefined ? {} : { failover: this.options.failover }),
      ...(checkpoints ? { checkpointIntervalMs: this.options.checkpointIntervalMs! } : {}),
      ...(faults.length > 0 ? { faults } : {}),
      replacePlacement: this.replacer(job),
    };
  }

  /** ResourceManager: a request was granted. True when it was a replacement request (its JobMaster goes on with it). */
  granted(job: string, view: ClusterView, allocation: SlotAllocation): boolean {
    const w = this.waiting.get(job);
    if (w === undefined) return false;
    this.waiting.delete(job);
    w.resolve(grantedSubCluster(view, allocation, this.workload.clusterSpec));
    return true;
  }

  /** The job ended (finished or failed): it waits for nothing any more. */
  jobEnded(job: string): void {
    this.waiting.get(job)?.reject(new Error(`job ${job} ended`));
    this.waiting.delete(job);
    this.jobClusters.delete(job);
  }

  private replacer(job: ClusterJob): PlacementReplacer {
    return async (lost, current) => {
      const replace = this.options.replaceLostSubtasks;
      if (replace === undefined) throw new Error('no re-placement function was given (replaceLostSubtasks)');
      const cluster = this.jobClusters.get(job.id)!;
      const fresh = lost.filter((id) => !cluster.replaced.has(id));
      const lostSlots = cluster.spec.taskManagers.filter((tm) => fresh.includes(tm.id)).reduce((n, tm) => n + tm.slotCount, 0);
      const granted = await this.requestSlots(job, lostSlots, fresh);
      for (const id of fresh) cluster.replaced.add(id);
      cluster.spec = grownCluster(cluster.spec, granted, this.workload.clusterSpec);
      const instance = compileDagPlacementInstance(job.name, job.variant, job.jobGraph, createCluster(cluster.spec, job.id));
      return { instance, placement: replace(instance, current, lost) };
    };
  }

  /**
   * The JobMaster asks the ResourceManager for `slots` replacement slots (at most what the cluster can still ever give
   * the job; none: the job's own remaining slots must do). Resolves with the granted part of the cluster.
   */
  private requestSlots(job: ClusterJob, slots: number, lost: readonly string[]): Promise<ClusterSpec> {
    return new Promise((resolve, reject) => {
      this.roles.step((at) => {
        const state = this.roles.state();
        for (const id of lost) this.roles.loseNow(id, at);
        const view = state.view(at);
        const me = view.jobs.find((j) => j.job.id === job.id);
        if (me === undefined || me.status !== 'running') return reject(new Error(`job ${job.id} is ${me?.status ?? 'unknown'}`));
        const want = Math.min(slots, view.maxSlots - me.heldSlots);
        if (want <= 0) return resolve({ taskManagers: [] });
        const request = state.requestReplacement(job.id, want, at);
        this.waiting.set(job.id, { resolve, reject });
        this.roles.after(request.deadlineMs - at, () =>
          this.roles.step((now) => {
            const w = this.waiting.get(job.id);
            if (w === undefined) return;
            this.waiting.delete(job.id);
            const why = `its request for ${want} replacement slots was not fulfilled within slot.request.timeout (${this.workload.timers.slotRequestTimeoutMs} ms)`;
            if (state.job(job.id).status === 'running') state.fail(job.id, why, now);
            w.reject(new Error(why));
          }),
        );
      });
    });
  }
}

/**
 * The job's cluster after a replacement grant: its TaskManagers in the same order (lost ones too: the instance's
 * indices stay), a TaskManager it already had gets the granted slots (and their share of CPU and memory) added, new
 * ones come last; the workload's links between them.
 */
function grownCluster(current: ClusterSpec, granted: ClusterSpec, workloadCluster: ClusterSpec): ClusterSpec {
  const taskManagers: TaskManagerSpec[] = current.taskManagers.map((tm) => {
    const more = granted.taskManagers.find((g) => g.id === tm.id);
    if (more === undefined) return tm;
    return {
      ...tm,
      slotCount: tm.slotCount + more.slotCount,
      ...(tm.cpuCores === undefined || more.cpuCores === undefined ? {} : { cpuCores: tm.cpuCores + more.cpuCores }),
      ...(tm.memoryBytes === undefined || more.memoryBytes === undefined ? {} : { memoryBytes: tm.memoryBytes + more.memoryBytes }),
    };
  });
  for (const g of granted.taskManagers) if (!taskManagers.some((tm) => tm.id === g.id)) taskManagers.push(g);
  const ids = new Set(taskManagers.map((tm) => tm.id));
  return { ...current, taskManagers, links: (workloadCluster.links ?? []).filter((l) => ids.has(l.a) && ids.has(l.b)) };
}
