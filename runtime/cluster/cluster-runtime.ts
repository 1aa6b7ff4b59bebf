import { performance } from 'node:perf_hooks';
import type { Rng } from '../../models/rng.ts';
import { withTaskManagerDefaults, type TaskManagerSpec } from '../../models/graphs/cluster.ts';
import { SlotlabError } from '../../models/errors.ts';
import type { ClusterJob } from '../../models/cluster/job.ts';
import type { Workload } from '../../models/cluster/workload.ts';
import type { AllocationOptions, AllocationPolicy, JobPlacer, QueuePolicy } from '../../models/cluster/policies.ts';
import { ClusterState, type ClusterView } from '../../models/cluster/state.ts';
import { grantedSubCluster } from '../../models/cluster/allocation-instance.ts';
import { allocate, servableRequests, taskManagersToRelease, taskManagersToStart, timedOutRequests } from '../../models/cluster/resource-manager.ts';
import { clusterJobResults, summarizeCluster, type ClusterReport } from '../../models/cluster/report.ts';
import { runPlacementOn } from '../job-master.ts';
import type { RunReport } from '../report.ts';
import { ClusterFailover, type ClusterRecoveryOptions } from './failover.ts';
import type { ExecutionMode } from '../execution-mode.ts';
import { startMetricsServer, type MetricsServer, type TaskManagerSubtaskRates } from './metrics.ts';
import { TaskManagerThread } from '../worker/host.ts';
import { runAutoscaledJob, type ClusterAutoscaleOptions } from './autoscaler.ts';
import type { JobScaling } from '../../models/cluster/report.ts';
import type { ClusterSpec } from '../../models/graphs/cluster.ts';
import type { FromClusterTaskManager, SubtaskRates, TaskManagerRegistration } from '../worker/protocol.ts';

/**
 * The emulated cluster's heartbeat timers (wall ms). Flink's defaults, `heartbeat.interval` 10 s and
 * `heartbeat.timeout` 50 s, scaled by 1/100: worker threads on one machine answer in well under 100 ms, and a lost
 * TaskManager is noticed within a second. They are wall-clock liveness timers of the worker threads, so they do not
 * follow the workload's `timerScale` (a job's work may be scaled to microseconds; a thread's scheduling is not).
 */
export const RUNTIME_HEARTBEAT = Object.freeze({ heartbeatIntervalMs: 100, heartbeatTimeoutMs: 500 });

/** The sliding window of the per-subtask rates on /metrics (wall ms): one second, as Flink's per-second meters. */
export const RUNTIME_METRICS_WINDOW_MS = 1000;

/** Test hook: TaskManager `taskManager` stops heartbeating at `stopHeartbeatsAtMs` on the cluster clock. */
export interface HeartbeatFault {
  readonly taskManager: string;
  readonly stopHeartbeatsAtMs: number;
}

export interface ClusterRuntimeOptions {
  readonly queuePolicy: QueuePolicy;
  readonly queuePolicyName: string;
  readonly allocationPolicy: AllocationPolicy;
  readonly allocationPolicyName: string;
  /** The JobMaster's placement step (a registered DAG placement solver, from the layer above). */
  readonly placeJob: JobPlacer;
  readonly rng: Rng;
  readonly allocationTimeLimitMs?: number;
  readonly allocationParams?: Readonly<Record<string, unknown>>;
  /** `heartbeat.interval`, wall ms. Default 100 (RUNTIME_HEARTBEAT). */
  readonly heartbeatIntervalMs?: number;
  /** `heartbeat.timeout`, wall ms. Default 500 (RUNTIME_HEARTBEAT). */
  readonly heartbeatTimeoutMs?: number;
  /** Each job's run time alone (ms), the reference of its slowdown: the simulator's prediction. Else slowdown is against its own duration. */
  readonly isolatedMs?: ReadonlyMap<string, number>;
  /** How jobs execute on their workers. Default `blocking`. */
  readonly mode?: ExecutionMode;
  /** Fault injection (tests). */
  readonly faults?: readonly HeartbeatFault[];
  /** The sliding window of the per-subtask rates (wall ms). Default 1000 (RUNTIME_METRICS_WINDOW_MS). */
  readonly metricsWindowMs?: number;
  /** Serve the cluster's gauges (Prometheus text, `GET /metrics`) on 127.0.0.1 at this port while it runs; 0: any free port (the `metricsPort` getter tells which). */
  readonly metricsPort?: number;
  /** Aborting stops every job and worker; `run` then rejects with ClusterInterruptedError. */
  readonly signal?: AbortSignal;
  /** Failover of jobs that lose a TaskManager, checkpoints, `--inject` faults (runtime/cluster/failover.ts). Default: a lost TaskManager fails its jobs. */
  readonly recovery?: ClusterRecoveryOptions;
  /** A scaling loop per job (runtime/cluster/autoscaler.ts): stop-with-checkpoint windows, the policy, resize, restore. */
  readonly autoscale?: ClusterAutoscaleOptions;
}

/** One TaskManager worker thread the runtime started, and how it ended. */
export interface TaskManagerWorkerRecord {
  readonly taskManager: string;
  readonly threadId: number;
  /** null while it runs. */
  readonly exitCode: number | null;
  /** Heartbeats received. */
  readonly heartbeats: number;
  /** The slot report of its last heartbeat. */
  readonly lastSlotReport: readonly (string | null)[] | null;
  /** Declared lost: the heartbeats it sent afterwards, which were ignored (a stalled TaskManager that resumed). */
  readonly fencedHeartbeats: number;
}

/** The run was stopped from outside (Ctrl-C): every worker has exited when this is thrown. */
export class ClusterInterruptedError extends SlotlabError {
  override name = 'ClusterInterruptedError';
}

interface TmWorker {
  readonly id: string;
  readonly thread: TaskManagerThread;
  registration: TaskManagerRegistration | null;
  lastHeartbeatMs: number;
  heartbeats: number;
  lastSlotReport: readonly (string | null)[] | null;
  /** The running subtasks' rates of its last heartbeat. */
  subtasks: readonly SubtaskRates[];
  sentSlots: string;
  lost: boolean;
}

function checkTimer(name: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) throw new SlotlabError(`cluster runtime: ${name} should be a finite number of ms > 0, got ${value}`);
  return value;
}

/**
 * The cluster on real threads: the same `models/cluster` state machine, ResourceManager rules, queue policy and
 * allocation policy as the simulator (`simulateCluster`), with job run times measured instead of predicted.
 *
 * - TaskManagers: one long-lived worker thread each (`runtime/worker/task-manager.ts`, the runtime's TaskManager),
 *   which registers, heartbeats (slot report and its running subtasks' rates) and hosts the subtasks of every job
 *   granted its slots;
 *   the cluster clock starts (0 ms) when every static TaskManager has registered. Elastic TaskManagers are started
 *   by the ResourceManager rule and join the registry when their worker registers.
 * - ResourceManager: keeps the state in sync with registrations and heartbeats; every `heartbeat.interval / 2` it
 *   checks liveness, and a TaskManager silent for more than `heartbeat.timeout` is lost: its slots leave the
 *   registry and the jobs that held them fail with a message naming it (their JobMasters stop their subtasks).
 * - Dispatcher: submits jobs at their arrival (cluster-clock ms = wall ms), admits with the queue policy, serves
 *   slot requests with the allocation policy, fails requests at `slot.request.timeout`.
 * - JobMaster per admitted job: on its grant it places the job with the placement solver on the granted slots
 *   (`grantedSubCluster`), deploys its subtasks onto the TaskManager threads that own those slots and runs it with
 *   `runPlacementOn` (model ms × `timeScaleMsPerUnit`), tracks it and releases its slots when it ends.
 * Every transition runs in one serial queue, so the state sees one role at a time.
 */
export class ClusterRuntime {
  private readonly heartbeatIntervalMs: number;
  private readonly heartbeatTimeoutMs: number;
  private readonly tms = new Map<string, TmWorker>();
  private readonly allWorkers: TmWorker[] = [];
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly jobMasters = new Map<string, AbortController>();
  private readonly jobRuns = new Set<Promise<void>>();
  private readonly durationMs = new Map<string, number>();
  private readonly jobs: Map<string, ClusterJob>;
  private readonly idleChecks = new Set<string>();
  private state: ClusterState | undefined;
  private t0 = 0;
  private submitted = 0;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  private liveness: ReturnType<typeof setInterval> | undefined;
  private settle: { resolve: () => void; reject: (e: unknown) => void } | undefined;
  private failure: unknown;
  private readonly registered = new Map<string, TaskManagerRegistration>();
  private staticRegistered: (() => void) | undefined;
  private metrics: MetricsServer | undefined;
  private readonly failover: ClusterFailover;
  private readonly runReports = new Map<string, RunReport>();
  /** Autoscaling: the JobMasters waiting for more slots (called with a failure, or none when granted), and their logs. */
  private readonly slotWaiters = new Map<string, (failure?: string) => void>();
  private readonly scaling = new Map<string, JobScaling>();

  constructor(
    private readonly workload: Workload,
    private readonly options: ClusterRuntimeOptions,
  ) {
    this.heartbeatIntervalMs = checkTimer('heartbeat.interval', options.heartbeatIntervalMs ?? RUNTIME_HEARTBEAT.heartbeatIntervalMs);
    this.heartbeatTimeoutMs = checkTimer('heartbeat.timeout', options.heartbeatTimeoutMs ?? RUNTIME_HEARTBEAT.heartbeatTimeoutMs);
    this.jobs = new Map(workload.jobs.map((j) => [j.id, j]));
    for (const f of options.faults ?? [])
      if (!workload.cluster.taskManagers.some((tm) => tm.id === f.taskManager) && !(workload.elastic && f.taskManager.startsWith(workload.elastic.idPrefix)))
        throw new SlotlabError(`cluster runtime: fault for TaskManager "${f.taskManager}", which the cluster does not have`);
    this.failover = new ClusterFailover(workload, options.recovery ?? {}, {
      step: (fn) => this.step(fn),
      after: (delayMs, fn) => this.after(delayMs, fn),
      state: () => this.state!,
      thread: (id) => this.tms.get(id)?.thread,
      loseNow: (id, nowMs) => {
        const w = this.tms.get(id);
        if (w !== undefined && w.thread.exitCode !== null) this.declareLost(w, `the worker exited unexpectedly (exit code ${w.thread.exitCode})`, undefined, 0, nowMs);
      },
      heartbeatIntervalMs: this.heartbeatIntervalMs,
      mode: options.mode ?? 'blocking',
    });
  }

  /** Each finished job's run report (sinks, failures, restarts, recovery, checkpoints), by job id. */
  get jobRunReports(): ReadonlyMap<string, RunReport> {
    return this.runReports;
  }

  /** Every TaskManager worker started so far, in start order. */
  get taskManagerWorkers(): TaskManagerWorkerRecord[] {
    return this.allWorkers.map((w) => ({
      taskManager: w.id,
      threadId: w.thread.threadId,
      exitCode: w.thread.exitCode,
      heartbeats: w.heartbeats,
      lastSlotReport: w.lastSlotReport,
      fencedHeartbeats: w.thread.fencedHeartbeats,
    }));
  }

  /** The port of the metrics endpoint while it serves, else undefined. */
  get metricsPort(): number | undefined {
    return this.metrics?.port;
  }

  /** The ResourceManager's registry and the jobs now (undefined before every static TaskManager registered). */
  get view(): ClusterView | undefined {
    return this.state?.view(this.now());
  }

  /** Cluster-clock ms (wall ms since every static TaskManager registered). */
  private now(): number {
    return performance.now() - this.t0;
  }

  private after(delayMs: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, Math.max(0, delayMs));
    this.timers.add(t);
  }

  /** Runs a transition in the serial queue, then lets the Dispatcher and the ResourceManager act. */
  private step(fn: (nowMs: number) => void | Promise<void>): void {
    this.chain = this.chain.then(async () => {
      if (this.closed) return;
      try {
        await fn(this.now());
        await this.act(this.now());
        this.checkDone();
      } catch (error) {
        this.stop(error);
      }
    });
  }

  async run(): Promise<ClusterReport> {
    const signal = this.options.signal;
    const onAbort = () => this.stop(new ClusterInterruptedError(`cluster run of ${this.workload.name} interrupted: ${String(signal!.reason)}`));
    const done = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }));
    done.catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (signal?.aborted) onAbort();
      if (this.options.metricsPort !== undefined)
        this.metrics = await startMetricsServer(this.options.metricsPort, () => this.view, () => this.subtaskRates());
      const allRegistered = new Promise<void>((resolve) => (this.staticRegistered = resolve));
      for (const tm of this.workload.cluster.taskManagers) this.spawn(tm, 0);
      await Promise.race([allRegistered, done]);
      if (!this.closed) this.begin();
      await done;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await this.shutDown();
    }
    if (this.failure !== undefined) throw this.failure;
    const state = this.state!;
    const view = state.view(this.now());
    const isolated = this.options.isolatedMs ?? new Map<string, number>();
    const results = clusterJobResults(view.jobs, this.durationMs, isolated);
    return {
      workload: this.workload.name,
      mode: 'measured',
      queuePolicy: this.options.queuePolicyName,
      allocationPolicy: this.options.allocationPolicyName,
      jobs: results,
      summary: summarizeCluster(results, state.allTaskManagers()),
      events: state.events,
      ...(this.options.autoscale === undefined ? {} : { scaling: this.scalingReport(state) }),
    };
  }

  /** The running subtasks' rates, per live TaskManager, from their last heartbeats. */
  subtaskRates(): TaskManagerSubtaskRates[] {
    return [...this.tms.values()].filter((w) => w.registration !== null).map((w) => ({ taskManager: w.id, subtasks: w.subtasks }));
  }

  /** The live TaskManagers' threads, by id (what a JobMaster deploys onto; looked up when needed: replacements join later). */
  private threads(): { get(id: string): TaskManagerThread | undefined } {
    return { get: (id) => this.tms.get(id)?.thread };
  }

  private spawn(spec: TaskManagerSpec | (TaskManagerSpec & { id: string }), startupDelayMs: number): void {
    const registration: TaskManagerRegistration = withTaskManagerDefaults(spec);
    const metricsWindowMs = checkTimer('metrics window', this.options.metricsWindowMs ?? RUNTIME_METRICS_WINDOW_MS);
    const thread = new TaskManagerThread(spec.id, { registration, heartbeatIntervalMs: this.heartbeatIntervalMs, startupDelayMs, metricsWindowMs }, (m) => this.onMessage(w, m));
    const w: TmWorker = {
      id: spec.id,
      thread,
      registration: null,
      lastHeartbeatMs: 0,
      heartbeats: 0,
      lastSlotReport: null,
      subtasks: [],
      sentSlots: '',
      lost: false,
    };
    thread.worker.on('error', (error) => this.stop(new SlotlabError(`TaskManager ${spec.id}'s worker failed: ${error.message}`)));
    // a worker that exits unasked (killed) is lost at once: its JobMasters see the exit too
    void thread.exited.then((exitCode) => {
      if (!this.closed && !w.lost && this.tms.get(w.id) === w && this.state !== undefined) this.step((at) => this.declareLost(w, `the worker exited unexpectedly (exit code ${exitCode})`, undefined, 0, at));
    });
    this.tms.set(spec.id, w);
    this.allWorkers.push(w);
  }

  private onMessage(w: TmWorker, m: FromClusterTaskManager): void {
    if (this.closed || w.lost) return;
    if (m.type === 'heartbeat') {
      w.lastHeartbeatMs = this.now();
      w.heartbeats++;
      w.lastSlotReport = m.slotReport;
      w.subtasks = m.subtasks;
      return;
    }
    const { type: _type, ...registration } = m;
    w.registration = registration;
    w.lastHeartbeatMs = this.now();
    if (this.state === undefined) {
      this.registered.set(w.id, registration);
      if (this.registered.size === this.workload.cluster.taskManagers.length) this.staticRegistered?.();
    } else this.step((nowMs) => this.state!.registerTaskManager(w.id, nowMs));
  }

  /** Every static TaskManager registered: the registry is built from their registrations, the clock starts. */
  private begin(): void {
    const taskManagers = this.workload.cluster.taskManagers.map((tm) => this.registered.get(tm.id)!);
    this.t0 = performance.now();
    for (const w of this.tms.values()) w.lastHeartbeatMs = 0;
    this.state = new ClusterState({ taskManagers, elastic: this.workload.elastic, timers: this.workload.timers }, 0);
    // Jobs arriving at one instant are submitted together, in input order, before the Dispatcher acts (as in the simulator).
    const arrivals = new Map<number, ClusterJob[]>();
    for (const job of this.workload.jobs) arrivals.set(job.arrivalMs, [...(arrivals.get(job.arrivalMs) ?? []), job]);
    for (const [arrivalMs, jobs] of [...arrivals].sort((x, y) => x[0] - y[0]))
      this.after(arrivalMs, () =>
        this.step((nowMs) => {
          for (const job of jobs) this.state!.submit(job, nowMs);
          this.submitted += jobs.length;
        }),
      );
    for (const f of this.options.faults ?? [])
      this.after(f.stopHeartbeatsAtMs, () => this.tms.get(f.taskManager)?.thread.post({ type: 'stop-heartbeats' }));
    this.failover.scheduleFaults((id) => this.tms.get(id)?.thread);
    this.liveness = setInterval(() => this.checkLiveness(), this.heartbeatIntervalMs / 2);
    this.step(() => undefined);
  }

  /**
   * ResourceManager: a registered TaskManager silent for more than `heartbeat.timeout` is lost. The check runs in the
   * timers phase of the main thread's event loop, before the messages that arrived meanwhile are read; so a suspect is
   * confirmed only after those have been read (`setImmediate`, after the poll phase): a main thread that was busy
   * itself (placing a job, say) does not take its own delay for the TaskManagers' silence.
   */
  private checkLiveness(): void {
    const silent = (w: TmWorker): boolean => !w.lost && w.registration !== null && this.now() - w.lastHeartbeatMs > this.heartbeatTimeoutMs;
    if (![...this.tms.values()].some(silent)) return;
    setImmediate(() => {
      if (!this.closed) this.confirmLost(silent);
    });
  }

  private confirmLost(silent: (w: TmWorker) => boolean): void {
    const nowMs = this.now();
    for (const w of this.tms.values()) {
      if (!silent(w)) continue;
      w.lost = true;
      const silentMs = nowMs - w.lastHeartbeatMs;
      const sinceMs = this.failover.stallStartMs(w.id) ?? performance.timeOrigin + this.t0 + w.lastHeartbeatMs;
      this.step((at) => this.declareLost(w, `no heartbeat for ${silentMs.toFixed(0)} ms (heartbeat.timeout ${this.heartbeatTimeoutMs} ms)`, sinceMs, this.heartbeatTimeoutMs, at));
    }
  }

  /**
   * ResourceManager: TaskManager `w` is lost (in a step). Its jobs fail, except those that fail over (they keep
   * running: the fenced thread tells their JobMasters, with `sinceMs` for the detection time); its worker is fenced,
   * then terminated (a stalled one when its stall ends).
   */
  private declareLost(w: TmWorker, why: string, sinceMs: number | undefined, expectedDetectionMs: number, at: number): void {
    if (this.tms.get(w.id) !== w) return;
    w.lost = true;
    const reason = `TaskManager ${w.id} was lost: ${why}`;
    for (const job of this.state!.loseTaskManager(w.id, reason, at, (job) => this.failover.failsOver(job))) this.jobMasters.get(job)?.abort(reason);
    this.tms.delete(w.id);
    const declaredAtMs = performance.timeOrigin + performance.now();
    w.thread.fence({ reason: why, sinceMs: sinceMs ?? declaredAtMs, declaredAtMs, expectedDetectionMs });
    if (!this.failover.keepFenced(w.id)) void w.thread.terminate();
  }

  /** The Dispatcher and the ResourceManager act until nothing changes (the simulator's `act`, on real time). */
  private async act(nowMs: number): Promise<void> {
    const state = this.state!;
    for (;;) {
      await this.serve(nowMs);
      const admissions = this.options.queuePolicy(state.view(nowMs));
      for (const a of admissions) {
        const request = state.admit(a.job, a.slots, nowMs);
        this.after(request.deadlineMs - nowMs, () =>
          this.step((at) => {
            for (const r of timedOutRequests(state.view(Math.max(at, request.deadlineMs))))
              if (r.job === a.job) state.fail(r.job, `its request for ${r.slots} slots was not fulfilled within slot.request.timeout (${this.workload.timers.slotRequestTimeoutMs} ms)`, at);
          }),
        );
      }
      if (admissions.length === 0) break;
    }
    const e = this.workload.elastic;
    if (e) {
      const n = taskManagersToStart(state.view(nowMs), e.taskManager.slotCount, e.maxTaskManagers);
      for (let i = 0; i < n; i++) {
        const id = state.startTaskManager(nowMs);
        this.spawn({ ...e.taskManager, id }, this.workload.timers.taskManagerStartupMs);
      }
      for (const id of taskManagersToRelease(state.view(nowMs), this.workload.timers)) {
        state.releaseTaskManager(id, nowMs);
        const w = this.tms.get(id);
        this.tms.delete(id);
        if (w) void w.thread.terminate();
      }
      for (const tm of state.view(nowMs).taskManagers) {
        if (!tm.started || tm.idleSinceMs === null) continue;
        const key = `${tm.id}@${tm.idleSinceMs}`;
        if (this.idleChecks.has(key)) continue;
        this.idleChecks.add(key);
        this.after(tm.idleSinceMs + this.workload.timers.taskManagerTimeoutMs - nowMs, () => this.step(() => undefined));
      }
    }
    // Each TaskManager learns its slots (what its next heartbeat's slot report carries).
    for (const tm of state.view(nowMs).taskManagers) {
      const w = this.tms.get(tm.id);
      const key = JSON.stringify(tm.slots);
      if (w && w.sentSlots !== key) {
        w.sentSlots = key;
        w.thread.post({ type: 'slots', slots: tm.slots });
      }
    }
  }

  private async serve(nowMs: number): Promise<void> {
    const state = this.state!;
    const allocationOptions: AllocationOptions = {
      rng: this.options.rng,
      ...(this.options.allocationTimeLimitMs === undefined ? {} : { timeLimitMs: this.options.allocationTimeLimitMs }),
      ...(this.options.allocationParams === undefined ? {} : { params: this.options.allocationParams }),
    };
    for (const request of servableRequests(state, nowMs)) {
      const view = state.view(nowMs);
      const job = this.jobs.get(request.job)!;
      const decision = await allocate(view, request, this.options.allocationPolicy, this.options.allocationPolicyName, allocationOptions);
      if (state.job(job.id).status === 'running' && this.slotWaiters.has(job.id)) {
        // a running job's request for more slots (autoscaling): its JobMaster goes on with them
        if ('failure' in decision) state.withdrawRequest(job.id);
        else state.grant(job.id, decision.allocation.grants, nowMs);
        this.slotWaiters.get(job.id)?.('failure' in decision ? `no slot allocation: ${decision.failure}` : undefined);
        continue;
      }
      if ('failure' in decision) {
        state.fail(job.id, `no slot allocation: ${decision.failure}`, nowMs);
        continue;
      }
      state.grant(job.id, decision.allocation.grants, nowMs);
      // a running job's replacement slots (failover) go to its JobMaster, which waits for them
      if (this.failover.granted(job.id, view, decision.allocation)) continue;
      this.startJobMaster(job, grantedSubCluster(view, decision.allocation, this.workload.clusterSpec), nowMs);
    }
  }

  /** The job's JobMaster: place on the granted slots, deploy and run, then finish or fail the job in the state. */
  private startJobMaster(job: ClusterJob, subCluster: ReturnType<typeof grantedSubCluster>, grantedAtMs: number): void {
    const controller = new AbortController();
    this.jobMasters.set(job.id, controller);
    const running = () => this.state!.job(job.id).status === 'running';
    const run = (async () => {
      try {
        const placed = await this.options.placeJob(job, subCluster);
        if ('failure' in placed) {
          this.step((at) => {
            if (running()) this.state!.fail(job.id, `no placement on its ${job.demand.slots} slots: ${placed.failure}`, at);
          });
          return;
        }
        const runOptions = { timeScaleMsPerUnit: this.workload.timeScaleMsPerUnit, mode: this.options.mode ?? 'blocking', signal: controller.signal } as const;
        if (this.options.autoscale === undefined) {
          const report = await runPlacementOn(this.threads(), job.id, placed.instance, placed.placement, { ...runOptions, ...this.failover.runOptions(job, subCluster, placed.instance) });
          this.runReports.set(job.id, report);
        }
        else {
          let segment = 0;
          const scaled = await runAutoscaledJob(
            {
              job,
              timeScaleMsPerUnit: this.workload.timeScaleMsPerUnit,
              now: () => this.now(),
              // each segment under a key of its own on the threads: a stopped segment's late messages reach no one
              run: (instance, placement, options) => runPlacementOn(this.threads(), `${job.id}#${segment++}`, instance, placement, options),
              place: (j, sub) => this.options.placeJob(j, sub),
              // a JobMaster stopped meanwhile (a lost TaskManager, the cluster shutting down) waits no longer
              resize: (slots) =>
                Promise.race([
                  this.resizeJob(job.id, slots),
                  new Promise<{ failure: string }>((resolve) => {
                    if (controller.signal.aborted) resolve({ failure: 'the job was stopped' });
                    controller.signal.addEventListener('abort', () => resolve({ failure: 'the job was stopped' }), { once: true });
                  }),
                ]),
            },
            placed,
            this.options.autoscale,
            runOptions,
          );
          this.scaling.set(job.id, { job: job.id, policy: this.options.autoscale.policyName, decisions: scaled.decisions, segments: scaled.run.segments.length, committed: scaled.run.committed });
        }
        this.step((at) => {
          if (!running()) return;
          this.durationMs.set(job.id, at - grantedAtMs);
          this.state!.finish(job.id, at);
        });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.step((at) => {
          if (running()) this.state!.fail(job.id, `its run failed: ${message}`, at);
        });
      } finally {
        this.jobMasters.delete(job.id);
        this.failover.jobEnded(job.id);
      }
    })();
    this.jobRuns.add(run);
    void run.finally(() => {
      this.jobRuns.delete(run);
      this.step(() => undefined);
    });
  }

  /**
   * A running job's JobMaster resizes its grant to `slots` (autoscaling): more slots are requested and granted by the
   * ResourceManager's usual rules (started TaskManagers included; a request not served within slot.request.timeout is
   * withdrawn, the job keeps what it holds); fewer are returned, from the TaskManagers it holds fewest slots of,
   * started ones first, so that they empty and are released after their idle timeout.
   */
  private resizeJob(jobId: string, slots: number): Promise<{ subCluster: ClusterSpec; started: string[]; emptied: string[] } | { failure: string }> {
    return new Promise((resolve) => {
      this.step((at) => {
        const state = this.state!;
        const subClusterOf = () => grantedSubCluster(state.view(this.now()), { grants: state.job(jobId).grants }, this.workload.clusterSpec);
        const held = state.job(jobId).heldSlots;
        if (slots < held) {
          const started = new Set(state.view(at).taskManagers.filter((tm) => tm.started).map((tm) => tm.id));
          const order = [...state.job(jobId).grants].sort((a, b) => Number(started.has(b.taskManager)) - Number(started.has(a.taskManager)) || a.slots - b.slots || a.taskManager.localeCompare(b.taskManager));
          let left = held - slots;
          const returned = order.map((g) => {
            const n = Math.min(g.slots, left);
            left -= n;
            return { taskManager: g.taskManager, slots: n };
          });
          state.returnSlots(jobId, returned, at);
          const emptied = state.view(at).taskManagers.filter((tm) => returned.some((r) => r.slots > 0 && r.taskManager === tm.id) && tm.freeSlots === tm.slotCount).map((tm) => tm.id);
          resolve({ subCluster: subClusterOf(), started: [], emptied });
          return;
        }
        if (slots === held) {
          resolve({ subCluster: subClusterOf(), started: [], emptied: [] });
          return;
        }
        const before = new Set(state.allTaskManagers().map((tm) => tm.id));
        const admissible = state.view(at).admissibleSlots;
        if (slots - held > admissible) {
          resolve({ failure: `${slots - held} more slots asked, the cluster can promise ${admissible} (elastic maximum reached)` });
          return;
        }
        state.requestMoreSlots(jobId, slots - held, at);
        const timeoutMs = this.workload.timers.slotRequestTimeoutMs;
        const done = (failure?: string) => {
          if (!this.slotWaiters.delete(jobId)) return;
          if (failure !== undefined) resolve({ failure });
          else resolve({ subCluster: subClusterOf(), started: state.allTaskManagers().filter((tm) => !before.has(tm.id)).map((tm) => tm.id), emptied: [] });
        };
        this.slotWaiters.set(jobId, done);
        this.after(timeoutMs, () =>
          this.step(() => {
            if (!this.slotWaiters.has(jobId)) return;
            state.withdrawRequest(jobId);
            done(`not granted within slot.request.timeout (${timeoutMs} ms)`);
          }),
        );
      });
    });
  }

  /** Per autoscaled job its decisions, each with the TaskManagers it emptied that the ResourceManager then released. */
  private scalingReport(state: ClusterState): JobScaling[] {
    const released = new Set(state.events.filter((e) => e.kind === 'taskmanager-released').map((e) => e.taskManager));
    return [...this.scaling.values()].map((s) => ({ ...s, decisions: s.decisions.map((d) => ({ ...d, taskManagersReleased: d.taskManagersReleased.filter((id) => released.has(id)) })) }));
  }

  private checkDone(): void {
    if (this.closed || this.submitted < this.workload.jobs.length || this.jobRuns.size > 0) return;
    const open = this.state!.view(this.now()).jobs.some((j) => j.status !== 'finished' && j.status !== 'failed' && j.status !== 'rejected');
    if (open) return;
    this.closed = true;
    this.settle!.resolve();
  }

  /** Stops the run: every job is told to stop, `run` settles (with `error` if given). */
  private stop(error: unknown): void {
    if (this.closed) return;
    this.closed = true;
    this.failure = error;
    for (const c of this.jobMasters.values()) c.abort(error instanceof Error ? error.message : String(error));
    this.settle!.reject(error);
  }

  /** Clears every timer, terminates every TaskManager worker and waits for them and for every JobMaster's workers. */
  private async shutDown(): Promise<void> {
    this.closed = true;
    if (this.liveness !== undefined) clearInterval(this.liveness);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const c of this.jobMasters.values()) c.abort('the cluster shuts down');
    await Promise.allSettled([...this.jobRuns]);
    await Promise.all(this.allWorkers.map((w) => w.thread.terminate()));
    await this.chain;
    await this.metrics?.close();
    this.metrics = undefined;
  }
}

/** Runs a workload on the cluster runtime and returns the measured report (mode `measured`). */
export function runCluster(workload: Workload, options: ClusterRuntimeOptions): Promise<ClusterReport> {
  return new ClusterRuntime(workload, options).run();
}
