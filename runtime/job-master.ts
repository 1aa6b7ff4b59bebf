import { mkdtempSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { DagPlacementInstance } from '../models/dag-placement/instance.ts';
import type { Placement } from '../models/solution.ts';
import { nowMs } from './clock.ts';
import { RunFailedError, RunTimeoutError, type WorkerExit } from './errors.ts';
import { OptionError } from '../models/errors.ts';
import type { SinkResult, SinkState, SinkTransaction } from './operators/types.ts';
import { CheckpointStore } from './checkpoint/store.ts';
import { createRestartStrategy, type RestartStrategyState } from '../models/recovery/restart-strategy.ts';
import { pipelinedRegions, regionsToRestart } from '../models/recovery/pipelined-regions.ts';
import { predictRecoveryMs, predictRedeployMs, replayTimeMs, warmBuildMsPerSubtask } from '../models/recovery/recovery-time.ts';
import { resolveRandomKill } from '../models/recovery/fault-injection.ts';
import { creditsFromNetworkPool } from './channels/network-pool.ts';
import { buildJobPlan, resolveRunOptions, type JobPlan, type ResolvedRunOptions, type RunOptions } from './plan.ts';
import { buildRunReport, mergeSinks, type CheckpointFigures, type FailureFigures, type RestartFigures, type RunReport, type StoppedAtCheckpoint } from './report.ts';
import type { SinkExpectation } from './operators/sink.ts';
import type { FromJobTaskManager, SubtaskMetrics, TaskManagerFaults, ToTaskManager } from './worker/protocol.ts';
import { TaskManagerThread } from './worker/host.ts';

/** How long the job master waits for the workers' final figures before terminating them anyway (ms). */
const STOP_GRACE_MS = 2000;

/**
 * Runs a placement (or schedule) of a DAG placement instance for real and reports what happened beside what
 * the model predicted. One worker thread per TaskManager that holds a subtask; the job master (this function)
 * deploys the subtasks, tracks their states, collects their metrics and, when anything fails, terminates every
 * worker before it rejects with an error naming the operator, the subtask and the TaskManager.
 *
 * `blocking`: sources are deployed at job start and every other subtask once all its producers have finished;
 * it then starts when its input partitions have arrived and its slot is free (`sequenced`: in the schedule's
 * order per slot, or topological order for a placement without times). `pipelined`: everything is deployed at
 * once and records stream through bounded, credit-based channels.
 *
 * Recovery (issue #11, docs/runtime.md "Failures and recovery"): with `checkpointIntervalMs` the job master
 * triggers aligned-barrier checkpoints and writes the completed ones to disk; sinks commit by two-phase commit.
 * On a failure it asks the restart strategy; to restart, it cancels the job on every surviving TaskManager, asks
 * `replacePlacement` for new slots of a lost TaskManager's subtasks, and deploys the job again (a new attempt) with
 * every subtask's state from the last completed checkpoint; replayable sources resume from their offsets.
 */
export async function runPlacement(instance: DagPlacementInstance, placement: Placement, options: RunOptions = {}): Promise<RunReport> {
  const configured = resolveRunOptions(instance, options);
  // network memory (fine-grained resources): too few segments fail here, before any worker starts; few back-pressure
  const resolved = { ...configured, creditsPerChannel: creditsFromNetworkPool(instance, placement, configured.creditsPerChannel) };
  const planAt = nowMs();
  const plan = buildJobPlan(instance, placement, resolved);
  return new JobMaster(instance, placement, plan, nowMs() - planAt, resolved, options.signal, undefined).run();
}

/**
 * `runPlacement` on TaskManager worker threads that are already running (the cluster runtime's long-lived
 * TaskManagers, by TaskManager id; each hosts the subtasks of several jobs): the job's subtasks are deployed onto the
 * threads of the TaskManagers its placement uses, under the key `job`, with their own MessagePorts between them.
 * At the end (or on failure) the job is stopped (cancelled) on those threads, which live on. A thread that exits
 * meanwhile fails the job with a message naming its TaskManager.
 */
export async function runPlacementOn(
  threads: TaskManagerThreads,
  job: string,
  instance: DagPlacementInstance,
  placement: Placement,
  options: RunOptions = {},
): Promise<RunReport> {
  const resolved = resolveRunOptions(instance, options);
  const planAt = nowMs();
  const plan = buildJobPlan(instance, placement, resolved);
  return new JobMaster(instance, placement, plan, nowMs() - planAt, resolved, options.signal, { threads, job }).run();
}

/**
 * The running TaskManager threads a job may deploy onto, by TaskManager id: looked up when needed, so that a
 * TaskManager started after the job (a replacement, in an elastic cluster) is found. A Map is one.
 */
export interface TaskManagerThreads {
  get(taskManager: string): TaskManagerThread | undefined;
}

/** The key of a job on the threads `runPlacement` starts for it alone. */
const OWN_JOB = 'job';

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // handled by whoever awaits it
  return { promise, resolve, reject };
}

/** An injected record-count fault: after this many records, in every attempt until it fired, or in `attempt` only. */
interface ArmedFault {
  readonly records: number;
  readonly attempt: number | undefined;
}

/** A failure inside one attempt: the job master decides whether to restart. */
class AttemptFailure extends Error {
  constructor(
    readonly subtask: number | undefined,
    readonly taskManager: number,
    readonly reason: string,
    readonly lostTaskManager: boolean,
    /** When the failure happened, if known before it was detected (a kill; a TaskManager's last heartbeat). */
    readonly occurredAt: number | undefined,
    /** When it was detected, if before the job master heard of it (the ResourceManager declared the TaskManager lost). */
    readonly declaredAt: number | undefined = undefined,
    /** The detection time the recovery model expects (`TaskManagerLoss.expectedDetectionMs`; 0 for an exit or a throw). */
    readonly expectedDetectionMs = 0,
  ) {
    super(reason);
  }
}

interface PendingCheckpoint {
  readonly id: number;
  readonly triggeredAt: number;
  readonly acks: Map<number, unknown>;
  readonly waiting: Set<number>;
}

/** Subtasks of the job deployed on TaskManager threads under one job key, with their own ports. */
interface Deployment {
  readonly key: string;
  /** The TaskManagers (plan index) it runs on. */
  readonly used: readonly number[];
  readonly detach: Array<() => void>;
}

/**
 * One attempt of the job: the first, or one after a restart. Its own deployment (`key`) runs `restarting` (every
 * subtask, except after a region failover that kept some running); the others run on in the deployments they were
 * started in (`homes`), which the attempt takes over: their messages count as this attempt's.
 */
interface Attempt {
  readonly number: number;
  readonly key: string;
  readonly placement: Placement;
  readonly plan: JobPlan;
  /** The TaskManagers of this attempt's own deployment. */
  readonly used: readonly number[];
  readonly detach: Array<() => void>;
  /** Every deployment that runs a subtask of this attempt, by key (this attempt's own included). */
  readonly deployments: Map<string, Deployment>;
  /** Per subtask: the key of the deployment that runs it, and the TaskManager it runs on there. */
  readonly homes: string[];
  readonly ranOn: number[];
  /** The subtasks this attempt's own deployment runs. */
  readonly restarting: ReadonlySet<number>;
  /** After a failure: the subtasks cancelled for a restart (not deployed any more in this attempt). */
  readonly cancelled: Set<number>;
  /** `start` was sent to this attempt's own deployment. */
  running: boolean;
  readonly metrics: Array<SubtaskMetrics | undefined>;
  readonly finalStates: Array<unknown>;
  readonly finished: boolean[];
  readonly waitingProducers: Int32Array;
  readonly ready: Deferred<void>;
  readonly done: Deferred<void>;
  readyCount: number;
  finishedCount: number;
  runningSources: number;
  allRunningAt: number | undefined;
  deployedAt: number;
  /** Per TaskManager of this deployment, each subtask's build time in build order (their `ready` reports). */
  readonly subtaskBuildMs: Array<readonly number[]>;
  /** Each source's first progress report in this attempt, [at, records] (its steady rate before a failure starts there). */
  readonly firstProgress: Map<number, readonly [number, number]>;
  /** Sources' records emitted in this attempt, and when last reported. */
  readonly progress: Map<number, number>;
  readonly progressAt: Map<number, number>;
  /** When each source's deployment started it (its rate before a failure). */
  readonly sourceStartedAt: Map<number, number>;
  pending: PendingCheckpoint | undefined;
  timer: ReturnType<typeof setInterval> | undefined;
  /** Recovery in progress: how many records each source must re-emit before the job is back where it failed. */
  catchUp:
    | { readonly restart: number; readonly failedAt: number; readonly detectedAt: number; readonly delayEndAt: number; readonly replay: Map<number, number> }
    | undefined;
  failed: boolean;
}

class JobMaster {
  /** The live threads of the TaskManagers (plan index) this job has used. */
  private readonly workers = new Map<number, TaskManagerThread>();
  private readonly lost = new Set<number>();
  private readonly job: string;
  private readonly exits: Array<Promise<WorkerExit>> = [];
  private readonly threadUtilization = new Map<number, number>();
  private stoppedCount = 0;
  /** `stopped` replies awaited at the end: one per live TaskManager of every deployment. */
  private stopsExpected = Number.POSITIVE_INFINITY;
  private shuttingDown = false;
  private failure: Error | undefined;
  /** Rejects with the run's final failure (timeout, abort, the restart strategy giving up). */
  private readonly final = deferred<never>();
  private readonly stopped = deferred<void>();
  private peakRssBytes = 0;
  private workerExits: WorkerExit[] = [];
  private attempt: Attempt | undefined;
  /** The first attempt: its measured deployment is what the recovery model's redeploy term predicts from. */
  private firstAttempt: Attempt | undefined;
  private t0 = 0;
  // recovery
  private readonly strategy: RestartStrategyState;
  private readonly store: CheckpointStore | undefined;
  private readonly ownCheckpointDirectory: string | undefined;
  private readonly firstCheckpointId: number;
  private lastCheckpointId: number;
  /** Per checkpoint, per source: records it had emitted at the barrier, counted in the deployment (key) that ran it. */
  private readonly recordsAtCheckpoint = new Map<number, Map<number, { readonly key: string; readonly records: number }>>();
  /** Subtask edges [producer, consumer] (the restart set follows them). */
  private readonly subtaskEdges: Array<readonly [number, number]>;
  private readonly checkpointList: Array<CheckpointFigures['list'][number]> = [];
  private readonly failures: FailureFigures[] = [];
  private readonly restarts: RestartFigures[] = [];
  private readonly warnings: string[] = [];
  /** Committed sink transactions per sink subtask id, by transaction (checkpoint) id: the exactly-once output. */
  private readonly committed = new Map<string, Map<string, SinkTransaction>>();
  private readonly regions: number[];
  private readonly faults: {
    killAt: Array<{ taskManager: number; atMs: number }>;
    /** By TaskManager / subtask: records, and the only attempt (1-based) it is armed in, if qualified. */
    killAfter: Map<number, ArmedFault>;
    throwAfter: Map<number, ArmedFault>;
    corruptCheckpoint: boolean;
  };

  constructor(
    /** The job on its cluster; replaced when a lost TaskManager's subtasks move to TaskManagers it did not have. */
    private instance: DagPlacementInstance,
    private readonly initialPlacement: Placement,
    private readonly initialPlan: JobPlan,
    /** How long building the initial plan took (the recovery model's redeploy re-plans after a lost TaskManager). */
    private readonly planMs: number,
    private readonly options: ResolvedRunOptions,
    private readonly signal: AbortSignal | undefined,
    /** Long-lived threads to deploy onto (by TaskManager id), under key `job`; undefined: start own threads. */
    private readonly shared: { readonly threads: TaskManagerThreads; readonly job: string } | undefined,
  ) {
    this.job = shared?.job ?? OWN_JOB;
    this.strategy = createRestartStrategy(options.restartStrategy, options.rng);
    if (options.checkpointIntervalMs !== undefined) {
      if (options.checkpointDirectory === undefined) this.ownCheckpointDirectory = mkdtempSync(join(tmpdir(), 'slotlab-checkpoints-'));
      this.store = new CheckpointStore(options.checkpointDirectory ?? this.ownCheckpointDirectory!, instance.name, options.checkpointsRetained);
    }
    // checkpoint ids continue after those already in a given folder, so that only this run's are restored
    this.firstCheckpointId = (this.store?.ids()[0] ?? 0) + 1;
    this.lastCheckpointId = this.firstCheckpointId - 1;
    const pipelinedEdges = options.mode === 'pipelined' ? instance.edges.map((e) => [e.from, e.to] as const) : [];
    this.regions = pipelinedRegions({ subtaskCount: instance.subtasks.length, pipelinedEdges });
    this.subtaskEdges = instance.edges.map((e) => [e.from, e.to] as const);
    this.faults = this.resolveFaults();
  }

  private resolveFaults(): JobMaster['faults'] {
    const tmIndex = (id: string): number => {
      const tm = this.initialPlan.taskManagers.find((t) => t.id === id);
      if (tm === undefined) throw OptionError.flag('--inject', id, `names TaskManager "${id}", which the cluster of ${this.instance.name} does not have (${this.initialPlan.taskManagers.map((t) => t.id).join(', ')})`);
      return tm.index;
    };
    const out: JobMaster['faults'] = { killAt: [], killAfter: new Map(), throwAfter: new Map(), corruptCheckpoint: false };
    for (const f of this.options.faults) {
      if (f.kind === 'kill' && 'atMs' in f) out.killAt.push({ taskManager: tmIndex(f.taskManager), atMs: f.atMs });
      else if (f.kind === 'kill') out.killAfter.set(tmIndex(f.taskManager), { records: f.afterRecords, attempt: f.attempt });
      else if (f.kind === 'kill-random') {
        const candidates = this.initialPlan.taskManagers
          .filter((tm) => tm.subtasks.length > 0)
          .map((tm) => ({ taskManager: tm.id, records: tm.subtasks.reduce((n, s) => n + this.plannedRecordsOf(s), 0) }));
        const pick = resolveRandomKill(f.seed, candidates);
        out.killAfter.set(tmIndex(pick.taskManager), { records: pick.afterRecords, attempt: undefined });
      } else if (f.kind === 'throw') {
        const s = this.instance.subtaskById.get(f.subtask);
        if (s === undefined) throw OptionError.flag('--inject', f.subtask, `names subtask "${f.subtask}", which the job of ${this.instance.name} does not have`);
        out.throwAfter.set(s.index, { records: f.afterRecords, attempt: f.attempt });
      } else if (f.kind === 'corrupt-checkpoint') out.corruptCheckpoint = true;
      else if (f.kind === 'stall') throw OptionError.flag('--inject', `stall:${f.taskManager}`, "stalls heartbeats, which only the cluster runtime's TaskManagers send (slotlab cluster --inject)");
      // slow links are in the plan's channels (runtime/plan.ts)
    }
    return out;
  }

  /** Records a subtask processes, when known before the run (sources: emitted; others: planned input), else 1000. */
  private plannedRecordsOf(s: number): number {
    const sub = this.initialPlan.subtasks[s]!;
    if (sub.expectedInputRecords !== undefined) return sub.expectedInputRecords;
    const planned = sub.outputs[0]?.plannedRecords.reduce<number>((n, r) => n + (r ?? 0), 0);
    if (sub.inputs.length === 0 && planned !== undefined && planned > 0) return sub.outputs[0]!.partitioning === 'broadcast' ? planned / sub.outputs[0]!.channels.length : planned;
    return 1000;
  }

  private sampleRss(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.peakRssBytes) this.peakRssBytes = rss;
  }

  async run(): Promise<RunReport> {
    const baselineRssBytes = process.memoryUsage.rss();
    this.peakRssBytes = baselineRssBytes;
    const sampler = setInterval(() => this.sampleRss(), this.options.memorySampleIntervalMs);
    let timeout: ReturnType<typeof setTimeout> | undefined;
    const killTimers: Array<ReturnType<typeof setTimeout>> = [];
    const onAbort = () => this.abort(this.signal!.reason);
    if (this.signal?.aborted) onAbort();
    this.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const spawnAt = nowMs();
      timeout = setTimeout(() => this.timeOut(), this.options.timeoutMs);
      let startupMs = 0;
      let placement = this.initialPlacement;
      let plan = this.initialPlan;
      let restored: ReadonlyMap<number, unknown> = this.initialRestored();
      let previous: { attempt: Attempt; restarting: ReadonlySet<number> } | undefined;
      for (let number = 0; ; number++) {
        const attempt = this.startAttempt(number, placement, plan, restored, previous);
        try {
          await Promise.race([attempt.ready.promise, this.final.promise]);
          if (number === 0) {
            this.t0 = nowMs();
            startupMs = this.t0 - spawnAt;
            for (const k of this.faults.killAt) killTimers.push(setTimeout(() => this.kill(k.taskManager), k.atMs));
          }
          this.startAttemptRunning(attempt);
          await Promise.race([attempt.done.promise, this.final.promise]);
          break;
        } catch (error) {
          if (!(error instanceof AttemptFailure)) throw error;
          let restarting: ReadonlySet<number>;
          ({ placement, plan, restored, restarting } = await this.recover(attempt, error));
          previous = { attempt, restarting };
        }
      }
      const attempt = this.attempt!;
      this.stopCheckpointing(attempt);
      if (this.stoppedAt !== undefined) await this.cancelAtStop(attempt);
      else {
        // the job's end: every finished sink's final transaction is committed (Flink: the final checkpoint)
        attempt.plan.subtasks.forEach((s) => this.commitSink(s.index, attempt.finalStates[s.index]));
        this.stopsExpected = 0;
        for (const d of attempt.deployments.values())
          for (const tm of d.used)
            if (!this.lost.has(tm)) {
              this.stopsExpected++;
              this.post(tm, { type: 'stop', job: d.key });
            }
        if (this.stopsExpected === 0) this.stopped.resolve();
        let grace: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([this.stopped.promise, new Promise((resolve) => (grace = setTimeout(resolve, STOP_GRACE_MS)))]);
        clearTimeout(grace);
      }
      this.sampleRss();
      await this.shutDown();
      const sinks = this.committedSinks(attempt.plan);
      this.checkSinkExpectations(attempt.plan, sinks);
      return buildRunReport(this.instance, attempt.plan, {
        t0: this.t0,
        startupMs,
        peakRssBytes: this.peakRssBytes,
        baselineRssBytes,
        metrics: attempt.metrics as SubtaskMetrics[],
        sinks,
        threadUtilization: this.threadUtilization,
        recovery: {
          failures: this.failures,
          restarts: this.restarts,
          checkpoints: { intervalMs: this.options.checkpointIntervalMs ?? null, completed: this.checkpointList.length, list: this.checkpointList },
          warnings: this.warnings,
        },
        ...(this.options.stopWithCheckpointAfterRecords === undefined ? {} : { stoppedAt: this.stoppedAt ?? null }),
      });
    } catch (error) {
      await this.shutDown();
      throw this.failure ?? error;
    } finally {
      clearInterval(sampler);
      for (const t of killTimers) clearTimeout(t);
      if (this.attempt !== undefined) this.stopCheckpointing(this.attempt);
      if (timeout !== undefined) clearTimeout(timeout);
      this.signal?.removeEventListener('abort', onAbort);
      if (this.ownCheckpointDirectory !== undefined) rmSync(this.ownCheckpointDirectory, { recursive: true, force: true });
    }
  }

  /** The thread of TaskManager `tm`: its own (started now if needed) or the cluster's; undefined if it is gone. */
  private threadOf(tm: number): TaskManagerThread | undefined {
    let thread = this.workers.get(tm);
    if (thread !== undefined) return thread;
    if (this.lost.has(tm)) return undefined;
    const id = this.plan0TaskManagerId(tm);
    if (this.shared === undefined) {
      thread = new TaskManagerThread(id);
      const threadId = thread.threadId;
      this.exits.push(thread.exited.then((exitCode) => ({ taskManager: id, threadId, exitCode })));
      thread.exited.then((exitCode) => this.onThreadExit(tm, exitCode)).catch(() => undefined);
    } else {
      thread = this.shared.threads.get(id);
      if (thread === undefined || thread.exitCode !== null || thread.loss !== undefined) return undefined;
    }
    this.workers.set(tm, thread);
    return thread;
  }

  /** TaskManager ids by plan index: a new instance keeps the TaskManagers of the previous one, in order, and may add some. */
  private plan0TaskManagerId(tm: number): string {
    return this.instance.taskManagers[tm]!.id;
  }

  private startAttempt(
    number: number,
    placement: Placement,
    plan: JobPlan,
    restored: ReadonlyMap<number, unknown>,
    previous: { readonly attempt: Attempt; readonly restarting: ReadonlySet<number> } | undefined,
  ): Attempt {
    const used = plan.taskManagers.filter((tm) => tm.subtasks.length > 0).map((tm) => tm.index);
    const key = number === 0 ? this.job : `${this.job}~${number}`;
    const all = plan.subtasks.map((s) => s.index);
    const restarting = previous?.restarting ?? new Set(all);
    const before = previous?.attempt;
    const kept = (s: number) => before !== undefined && !restarting.has(s);
    const deployments = new Map<string, Deployment>();
    // the deployments that still run (or keep the results of) subtasks that did not restart carry over
    if (before !== undefined)
      for (const d of before.deployments.values())
        if (all.some((s) => kept(s) && before.homes[s] === d.key)) deployments.set(d.key, { ...d, used: d.used.filter((tm) => !this.lost.has(tm)) });
        else for (const detach of d.detach) detach();
    const own: Deployment = { key, used, detach: [] };
    deployments.set(key, own);
    const attempt: Attempt = {
      number,
      key,
      placement,
      plan,
      used,
      detach: own.detach,
      deployments,
      homes: all.map((s) => (kept(s) ? before!.homes[s]! : key)),
      ranOn: all.map((s) => (kept(s) ? before!.ranOn[s]! : plan.subtasks[s]!.taskManager)),
      restarting,
      cancelled: new Set(),
      running: false,
      metrics: all.map((s) => (kept(s) ? before!.metrics[s] : undefined)),
      finalStates: all.map((s) => (kept(s) ? before!.finalStates[s] : undefined)),
      finished: all.map((s) => kept(s) && before!.finished[s]!),
      waitingProducers: Int32Array.from(this.instance.inEdges, (edges) => edges.length),
      ready: deferred<void>(),
      done: deferred<void>(),
      readyCount: 0,
      finishedCount: 0,
      runningSources: 0,
      allRunningAt: undefined,
      deployedAt: 0,
      subtaskBuildMs: [],
      firstProgress: new Map(before === undefined ? [] : [...before.firstProgress].filter(([s]) => kept(s))),
      progress: new Map(before === undefined ? [] : [...before.progress].filter(([s]) => kept(s))),
      progressAt: new Map(before === undefined ? [] : [...before.progressAt].filter(([s]) => kept(s))),
      sourceStartedAt: new Map(before === undefined ? [] : [...before.sourceStartedAt].filter(([s]) => kept(s))),
      pending: undefined,
      timer: undefined,
      catchUp: undefined,
      failed: false,
    };
    for (const s of all)
      if (attempt.finished[s]) {
        attempt.finishedCount++;
        for (const e of this.instance.outEdges[s]!) attempt.waitingProducers[this.instance.edges[e]!.to]!--;
      }
    this.attempt = attempt;
    if (number === 0) this.firstAttempt = attempt;
    const peers = new Map<number, Array<readonly [number, MessagePort]>>(used.map((tm) => [tm, []]));
    const linked = new Set<string>();
    for (const ch of plan.channels) {
      if (ch.fromTm === ch.toTm) continue;
      const a = Math.min(ch.fromTm, ch.toTm);
      const b = Math.max(ch.fromTm, ch.toTm);
      if (linked.has(`${a}-${b}`)) continue;
      linked.add(`${a}-${b}`);
      const { port1, port2 } = new MessageChannel();
      peers.get(a)!.push([b, port1]);
      peers.get(b)!.push([a, port2]);
    }
    for (const tm of used) {
      const thread = this.threadOf(tm);
      if (thread === undefined) {
        for (const ports of peers.values()) for (const [, p] of ports) p.close();
        this.failAttempt(attempt, undefined, tm, 'its worker is not running', this.lost.has(tm));
        return attempt;
      }
      attempt.detach.push(
        thread.attach(key, {
          message: (m) => this.onMessage(key, tm, m),
          error: (error) => this.failAttempt(attempt, undefined, tm, error.message, false),
          exit: () => undefined, // onThreadExit
        }),
      );
    }
    if (this.shared !== undefined)
      for (const tm of used)
        attempt.detach.push(
          this.workers.get(tm)!.attach(`${key}#exit`, {
            message: () => undefined,
            error: () => undefined,
            exit: (exitCode) => this.onThreadExit(tm, exitCode),
          }),
        );
    const restoredOn = (tm: number) => plan.taskManagers[tm]!.subtasks.filter((s) => restored.has(s)).map((s) => [s, restored.get(s)] as const);
    const partial = restarting.size < all.length;
    const catchUp = [...(this.pendingCatchUp?.replay ?? [])].filter(([, records]) => records > 0);
    for (const tm of used) {
      const ports = peers.get(tm)!;
      const init: ToTaskManager = {
        type: 'init',
        job: key,
        plan,
        taskManager: tm,
        peers: ports,
        restored: restoredOn(tm),
        faults: this.faultsFor(attempt, tm),
        ...(partial ? { runs: plan.taskManagers[tm]!.subtasks.filter((s) => restarting.has(s)) } : {}),
        ...(this.retainResults ? { retainResults: true } : {}),
        ...(catchUp.length > 0 ? { catchUp: catchUp.filter(([s]) => plan.subtasks[s]!.taskManager === tm) } : {}),
      };
      this.workers.get(tm)!.post(init, ports.map(([, p]) => p));
    }
    if (used.length === 0) attempt.ready.resolve();
    return attempt;
  }

  /** Blocking mode under region failover: producers keep their results, so that a restarted consumer can read them again. */
  private get retainResults(): boolean {
    return this.options.mode === 'blocking' && this.options.failover === 'region' && this.options.restartStrategy.type !== 'none';
  }

  /**
   * Faults for one TaskManager of an attempt. Each fires once: a fault that has not fired yet is armed again in the
   * next attempt (records counted afresh); a killed TaskManager is lost, and a subtask's injected throw is disarmed
   * once it happened. A fault qualified `@attempt=N` is armed in attempt N only.
   */
  private faultsFor(attempt: Attempt, tm: number): TaskManagerFaults {
    const armed = (f: ArmedFault | undefined) => (f !== undefined && (f.attempt === undefined || f.attempt === attempt.number + 1) ? f.records : undefined);
    const throwAfter = attempt.plan.taskManagers[tm]!.subtasks.flatMap((s) => {
      const records = armed(this.faults.throwAfter.get(s));
      return records === undefined ? [] : [[s, records] as const];
    });
    const killAfterRecords = armed(this.faults.killAfter.get(tm));
    return { ...(killAfterRecords === undefined ? {} : { killAfterRecords }), ...(throwAfter.length > 0 ? { throwAfterRecords: throwAfter } : {}) };
  }

  private startAttemptRunning(attempt: Attempt): void {
    attempt.deployedAt = nowMs();
    attempt.running = true;
    for (const tm of attempt.used) this.post(tm, { type: 'start', job: attempt.key, t0: this.t0 });
    const mine = attempt.plan.subtasks.filter((s) => attempt.restarting.has(s.index)).map((s) => s.index);
    for (const s of mine) if (attempt.plan.subtasks[s]!.inputs.length === 0) attempt.sourceStartedAt.set(s, attempt.deployedAt);
    if (attempt.plan.mode === 'pipelined') this.deploy(attempt, mine);
    else {
      // producers that did not restart ship what they kept to the restarted consumers
      for (const s of attempt.plan.subtasks) if (!attempt.restarting.has(s.index) && attempt.finished[s.index]) this.adopt(attempt, s.index);
      this.deploy(attempt, mine.filter((s) => attempt.waitingProducers[s] === 0));
    }
    if (attempt.finishedCount === attempt.plan.subtasks.length) attempt.done.resolve();
    // a restart that reran no source is back where it failed once its subtasks are deployed again
    if (this.sourceCount(attempt) === 0) this.checkCaughtUp(attempt, attempt.deployedAt);
    if (this.options.checkpointIntervalMs !== undefined) attempt.timer = setInterval(() => this.triggerCheckpoint(attempt), this.options.checkpointIntervalMs);
  }

  /** Region failover, blocking: finished producer `s`, which did not restart, ships its kept partitions to the restarted consumers. */
  private adopt(attempt: Attempt, s: number): void {
    const channels = attempt.plan.channels.filter((ch) => ch.fromSubtask === s && attempt.restarting.has(ch.toSubtask)).map((ch) => ch.id);
    if (channels.length > 0) this.post(attempt.ranOn[s]!, { type: 'adopt', job: attempt.key, from: attempt.homes[s]!, subtask: s, channels });
  }

  private post(tm: number, message: ToTaskManager): void {
    this.workers.get(tm)?.post(message);
  }

  /** Deploys subtasks, each in the deployment that runs it (none cancelled for a restart). */
  private deploy(attempt: Attempt, subtasks: readonly number[]): void {
    const byTarget = new Map<string, { tm: number; key: string; list: number[] }>();
    for (const s of subtasks) {
      if (attempt.cancelled.has(s)) continue;
      const tm = attempt.ranOn[s]!;
      const key = attempt.homes[s]!;
      let target = byTarget.get(`${key}@${tm}`);
      if (target === undefined) byTarget.set(`${key}@${tm}`, (target = { tm, key, list: [] }));
      target.list.push(s);
    }
    for (const { tm, key, list } of byTarget.values()) this.post(tm, { type: 'deploy', job: key, subtasks: list });
  }

  /** A message from deployment `key`: taken when that deployment runs the subtask it names in the current attempt. */
  private onMessage(key: string, tm: number, m: FromJobTaskManager): void {
    const attempt = this.attempt;
    if (attempt === undefined || !attempt.deployments.has(key)) return;
    if ('subtask' in m && m.subtask !== undefined && (attempt.homes[m.subtask] !== key || attempt.cancelled.has(m.subtask))) return;
    switch (m.type) {
      case 'ready':
        if (key !== attempt.key) break;
        attempt.subtaskBuildMs.push(m.subtaskBuildMs);
        if (++attempt.readyCount === attempt.used.length) attempt.ready.resolve();
        break;
      case 'running':
        if (attempt.plan.subtasks[m.subtask]!.inputs.length === 0 && ++attempt.runningSources === this.sourceCount(attempt)) {
          attempt.allRunningAt = m.at;
          this.checkCaughtUp(attempt, m.at);
        }
        break;
      case 'progress':
        if (!attempt.firstProgress.has(m.subtask)) attempt.firstProgress.set(m.subtask, [m.at, m.records]);
        attempt.progress.set(m.subtask, m.records);
        attempt.progressAt.set(m.subtask, m.at);
        this.checkCaughtUp(attempt, m.at);
        this.checkStop(attempt);
        break;
      case 'acknowledge':
        this.onAcknowledge(attempt, m.subtask, m.checkpointId, m.state, m.records);
        break;
      case 'finished': {
        attempt.metrics[m.subtask] = m.metrics;
        attempt.finalStates[m.subtask] = m.finalState;
        attempt.finished[m.subtask] = true;
        const pending = attempt.pending;
        if (pending !== undefined && pending.waiting.delete(m.subtask)) {
          pending.acks.set(m.subtask, m.finalState);
          if (pending.waiting.size === 0) this.completeCheckpoint(attempt, pending);
        }
        if (attempt.plan.subtasks[m.subtask]!.inputs.length === 0) {
          this.checkCaughtUp(attempt, m.metrics.endAt);
          // a source's last records may leave faster than its progress reports
          if (this.options.stopWithCheckpointAfterRecords !== undefined) {
            attempt.progress.set(m.subtask, m.metrics.recordsOut);
            this.checkStop(attempt);
          }
        }
        if (attempt.plan.mode === 'blocking') {
          const next: number[] = [];
          for (const e of this.instance.outEdges[m.subtask]!) {
            const to = this.instance.edges[e]!.to;
            // a restarted consumer is deployed once its own deployment has started (startAttemptRunning)
            if (--attempt.waitingProducers[to]! === 0 && (attempt.running || !attempt.restarting.has(to))) next.push(to);
          }
          if (next.length > 0) this.deploy(attempt, next);
          if (attempt.running && !attempt.failed && !attempt.restarting.has(m.subtask)) this.adopt(attempt, m.subtask);
        }
        if (++attempt.finishedCount === attempt.plan.subtasks.length) attempt.done.resolve();
        break;
      }
      case 'failed':
        this.failAttempt(attempt, m.subtask, tm, m.message, false);
        break;
      case 'cancelled':
        this.onCancelled?.(m.subtasks);
        break;
      case 'stopped':
        this.threadUtilization.set(tm, m.threadUtilization);
        if (++this.stoppedCount === this.stopsExpected) this.stopped.resolve();
        break;
    }
  }

  /** The sources this attempt's own deployment runs. */
  private sourceCount(attempt: Attempt): number {
    return attempt.plan.subtasks.filter((s) => s.inputs.length === 0 && attempt.restarting.has(s.index)).length;
  }

  // ---- checkpoints (pipelined mode): trigger at the sources, collect acknowledgements, write, commit, notify

  private triggerCheckpoint(attempt: Attempt): void {
    if (attempt !== this.attempt || attempt.pending !== undefined || this.failure !== undefined) return;
    const waiting = new Set(attempt.plan.subtasks.filter((s) => !attempt.finished[s.index]).map((s) => s.index));
    if (waiting.size === 0) return;
    const id = ++this.lastCheckpointId;
    attempt.pending = { id, triggeredAt: nowMs(), acks: new Map(), waiting };
    for (const d of attempt.deployments.values()) for (const tm of d.used) this.post(tm, { type: 'trigger-checkpoint', job: d.key, checkpointId: id });
  }

  private onAcknowledge(attempt: Attempt, subtask: number, checkpointId: number, state: unknown, records: number): void {
    const pending = attempt.pending;
    if (pending === undefined || pending.id !== checkpointId || !pending.waiting.delete(subtask)) return;
    pending.acks.set(subtask, state);
    if (attempt.plan.subtasks[subtask]!.inputs.length === 0) {
      let perSource = this.recordsAtCheckpoint.get(checkpointId);
      if (perSource === undefined) this.recordsAtCheckpoint.set(checkpointId, (perSource = new Map()));
      perSource.set(subtask, { key: attempt.homes[subtask]!, records });
    }
    if (pending.waiting.size === 0) this.completeCheckpoint(attempt, pending);
  }

  private completeCheckpoint(attempt: Attempt, pending: PendingCheckpoint): void {
    attempt.pending = undefined;
    const subtasks: Record<string, unknown> = {};
    for (const s of attempt.plan.subtasks) subtasks[s.id] = pending.acks.has(s.index) ? pending.acks.get(s.index) : attempt.finalStates[s.index];
    // sources that had finished are at their end in this checkpoint: all they emitted is behind it
    let perSource = this.recordsAtCheckpoint.get(pending.id);
    if (perSource === undefined) this.recordsAtCheckpoint.set(pending.id, (perSource = new Map()));
    for (const s of attempt.plan.subtasks)
      if (s.inputs.length === 0 && !perSource.has(s.index) && attempt.metrics[s.index] !== undefined) perSource.set(s.index, { key: attempt.homes[s.index]!, records: attempt.metrics[s.index]!.recordsOut });
    const completedAt = nowMs();
    const text = JSON.stringify(subtasks);
    this.store!.write({ checkpointId: pending.id, completedAtMs: completedAt, subtasks });
    this.checkpointList.push({ id: pending.id, durationMs: completedAt - pending.triggeredAt, stateBytes: Buffer.byteLength(text), atMs: completedAt - this.t0 });
    // commit: the sinks' transactions staged up to this checkpoint become the job's output, then the sinks are told
    for (const s of attempt.plan.subtasks) this.commitSink(s.index, subtasks[s.id]);
    for (const d of attempt.deployments.values()) for (const tm of d.used) this.post(tm, { type: 'checkpoint-complete', job: d.key, checkpointId: pending.id });
    // a checkpoint triggered before the stop was requested holds less than the records asked: the next one stops
    if (this.stopRequested && this.stoppedAt === undefined && pending.id < this.stopFromCheckpoint) this.triggerCheckpoint(attempt);
    else if (this.stopRequested && this.stoppedAt === undefined) {
      this.stoppedAt = { checkpointId: pending.id, atMs: completedAt - this.t0, subtasks };
      attempt.done.resolve();
    }
  }

  // ---- stop-with-checkpoint and restore from a given state (rescaling: runtime/rescale-state.ts)

  /** Set once the sources have emitted `stopWithCheckpointAfterRecords`: the next completed checkpoint stops the job. */
  private stopRequested = false;
  /** The first checkpoint that may stop the job: the first triggered once the sources emitted the records asked. */
  private stopFromCheckpoint = Number.POSITIVE_INFINITY;
  private stoppedAt: StoppedAtCheckpoint | undefined;

  /** `initialState` by plan index. */
  private initialRestored(): Map<number, unknown> {
    const state = this.options.initialState;
    return new Map(state === undefined ? [] : this.initialPlan.subtasks.filter((s) => s.id in state).map((s) => [s.index, state[s.id]] as const));
  }

  private checkStop(attempt: Attempt): void {
    const after = this.options.stopWithCheckpointAfterRecords;
    if (after === undefined || this.stopRequested) return;
    let emitted = 0;
    for (const records of attempt.progress.values()) emitted += records;
    if (emitted < after) return;
    this.stopRequested = true;
    this.stopFromCheckpoint = this.lastCheckpointId + 1;
    this.triggerCheckpoint(attempt); // none when one is pending: its completion triggers the one that stops the job
  }

  /** Answers of the TaskManagers to the cancel at a stop: the figures so far of their unfinished subtasks. */
  private onCancelled: ((subtasks: ReadonlyArray<readonly [number, SubtaskMetrics]>) => void) | undefined;

  /**
   * The job stopped at a checkpoint: its subtasks are cancelled, each TaskManager first sending the figures so far of
   * its unfinished subtasks (a TaskManager that does not answer within the grace time leaves its running time only).
   */
  private async cancelAtStop(attempt: Attempt): Promise<void> {
    const live = [...attempt.deployments.values()].flatMap((d) => d.used.filter((tm) => !this.lost.has(tm)).map((tm) => [tm, d.key] as const));
    let waiting = live.length;
    const reported = deferred<void>();
    this.onCancelled = (subtasks) => {
      for (const [s, m] of subtasks) attempt.metrics[s] ??= m;
      if (--waiting === 0) reported.resolve();
    };
    for (const [tm, job] of live) this.post(tm, { type: 'cancel', job, report: true });
    if (waiting === 0) reported.resolve();
    let grace: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([reported.promise, new Promise((resolve) => (grace = setTimeout(resolve, STOP_GRACE_MS)))]);
    clearTimeout(grace);
    this.onCancelled = undefined;
    const at = nowMs();
    for (const s of attempt.plan.subtasks)
      attempt.metrics[s.index] ??= {
        deployedAt: attempt.deployedAt,
        startAt: attempt.deployedAt,
        endAt: at,
        busyMs: 0,
        backPressuredMs: 0,
        cpuWaitMs: 0,
        recordsIn: 0,
        recordsOut: s.inputs.length === 0 ? (attempt.progress.get(s.index) ?? 0) : 0,
        bytesIn: 0,
        bytesOut: 0,
      };
    for (const d of attempt.deployments.values()) for (const detach of d.detach) detach();
  }

  /** Commits a sink subtask's staged transactions (idempotent per transaction id). */
  private commitSink(subtask: number, state: unknown): void {
    const sub = this.initialPlan.subtasks[subtask]!;
    if (sub.kind !== 'sink' || state === undefined || state === null) return;
    let done = this.committed.get(sub.id);
    if (done === undefined) this.committed.set(sub.id, (done = new Map()));
    for (const t of (state as SinkState).staged) if (!done.has(String(t.checkpointId))) done.set(String(t.checkpointId), t);
  }

  /** Per subtask index: the committed output of each sink subtask. */
  private committedSinks(plan: JobPlan): Array<SinkResult | undefined> {
    return plan.subtasks.map((s) => {
      const done = this.committed.get(s.id);
      if (s.kind !== 'sink' || done === undefined) return undefined;
      let records = 0;
      let valueSum = 0;
      let digest = 0;
      let kept: Array<SinkResult['kept'] extends ReadonlyArray<infer R> | undefined ? R : never> | undefined;
      const ordered = [...done.values()].sort((a, b) => (a.checkpointId === 'final' ? 1 : b.checkpointId === 'final' ? -1 : a.checkpointId - b.checkpointId));
      for (const t of ordered) {
        records += t.records;
        valueSum += t.valueSum;
        digest = (digest + t.digest) >>> 0;
        if (t.kept !== undefined) (kept ??= []).push(...t.kept);
      }
      return kept === undefined ? { records, valueSum, digest } : { records, valueSum, digest, kept };
    });
  }

  private stopCheckpointing(attempt: Attempt): void {
    if (attempt.timer !== undefined) clearInterval(attempt.timer);
    attempt.timer = undefined;
    attempt.pending = undefined;
  }

  // ---- failures and recovery

  private kill(tm: number): void {
    const thread = this.workers.get(tm);
    if (thread === undefined || this.shuttingDown) return;
    this.killedAt.set(tm, nowMs());
    void thread.terminate();
  }

  private readonly killedAt = new Map<number, number>();

  /**
   * A TaskManager's thread exited, or the cluster declared it lost (`TaskManagerThread.loss`: the ResourceManager's
   * reason, when the TaskManager went silent, when it was declared lost).
   */
  private onThreadExit(tm: number, exitCode: number): void {
    if (this.shuttingDown) return;
    const thread = this.workers.get(tm);
    const loss = thread?.loss;
    this.lost.add(tm);
    this.workers.delete(tm);
    const since = loss?.sinceMs ?? thread?.killedAtMs;
    if (since !== undefined && !this.killedAt.has(tm)) this.killedAt.set(tm, since);
    const attempt = this.attempt;
    if (attempt !== undefined && [...attempt.deployments.values()].some((d) => d.used.includes(tm)))
      this.failAttempt(attempt, undefined, tm, loss?.reason ?? `the worker exited unexpectedly (exit code ${exitCode})`, true, loss?.declaredAtMs, loss?.expectedDetectionMs);
  }

  private failAttempt(attempt: Attempt, subtask: number | undefined, tm: number, reason: string, lostTaskManager: boolean, declaredAt?: number, expectedDetectionMs?: number): void {
    if (attempt !== this.attempt || this.failure !== undefined || this.shuttingDown || attempt.failed) return;
    attempt.failed = true;
    const failure = new AttemptFailure(subtask, tm, reason, lostTaskManager, this.killedAt.get(tm), declaredAt, expectedDetectionMs);
    attempt.ready.reject(failure);
    attempt.done.reject(failure);
  }

  /** The line that names a failure: operator, subtask and TaskManager, or the TaskManager. */
  private describe(plan: JobPlan, f: AttemptFailure): string {
    const tmId = this.plan0TaskManagerId(f.taskManager);
    const s = f.subtask === undefined ? undefined : plan.subtasks[f.subtask]!;
    return s === undefined
      ? `${plan.name}: TaskManager ${tmId} ${f.lostTaskManager ? 'was lost' : 'failed'}: ${f.reason}`
      : `${plan.name}: operator "${s.operatorId}" failed in subtask ${s.id} on TaskManager ${tmId}: ${f.reason}`;
  }

  private giveUp(message: string, f: AttemptFailure, plan: JobPlan): never {
    const s = f.subtask === undefined ? undefined : plan.subtasks[f.subtask]!;
    this.failure = new RunFailedError(message, s?.operatorId, s?.id, this.plan0TaskManagerId(f.taskManager), f.reason, []);
    throw this.failure;
  }

  /** Stops the subtasks in `restart` (all: every deployment of the attempt is cancelled); the others run on. */
  private cancelSubtasks(attempt: Attempt, restart: readonly number[]): void {
    this.stopCheckpointing(attempt);
    const fresh = restart.filter((s) => !attempt.cancelled.has(s));
    for (const s of fresh) attempt.cancelled.add(s);
    const whole = attempt.cancelled.size === attempt.plan.subtasks.length;
    for (const d of attempt.deployments.values()) {
      if (whole) for (const detach of d.detach) detach();
      for (const tm of d.used) {
        if (this.lost.has(tm)) continue;
        if (whole) this.post(tm, { type: 'cancel', job: d.key });
        else {
          const here = fresh.filter((s) => attempt.homes[s] === d.key && attempt.ranOn[s] === tm);
          if (here.length > 0) this.post(tm, { type: 'cancel-subtasks', job: d.key, subtasks: here });
        }
      }
    }
  }

  /**
   * The restart set: every subtask under `full`; under `region`, Flink's rule (models/recovery/pipelined-regions.ts)
   * from the failed subtasks (the one that threw, every unfinished one on a lost TaskManager, every unfinished one
   * the new placement moves), with the results of finished producers on lost (or moved-from) TaskManagers gone.
   */
  private restartSet(attempt: Attempt, f: AttemptFailure, plan: JobPlan): number[] {
    const all = attempt.plan.subtasks.map((s) => s.index);
    if (this.options.failover === 'full') return all;
    const gone = (s: number) => this.lost.has(attempt.ranOn[s]!) || plan.subtasks[s]!.taskManager !== attempt.ranOn[s];
    const failed = all.filter((s) => s === f.subtask || attempt.cancelled.has(s) || (!attempt.finished[s] && gone(s)));
    return regionsToRestart({ regions: this.regions, edges: this.subtaskEdges, failed, resultLost: (p) => attempt.finished[p]! && gone(p) });
  }

  private async recover(attempt: Attempt, f: AttemptFailure): Promise<{ placement: Placement; plan: JobPlan; restored: ReadonlyMap<number, unknown>; restarting: ReadonlySet<number> }> {
    const detectedAt = f.declaredAt ?? nowMs();
    const cause = this.describe(attempt.plan, f);
    const s = f.subtask === undefined ? undefined : attempt.plan.subtasks[f.subtask]!;
    this.failures.push({ atMs: detectedAt - this.t0, cause, taskManager: this.plan0TaskManagerId(f.taskManager), subtask: s?.id ?? null, lostTaskManager: f.lostTaskManager });
    this.cancelSubtasks(attempt, this.restartSet(attempt, f, attempt.plan));
    const decision = this.strategy.onFailure(detectedAt);
    if (!decision.restart) this.giveUp(this.options.restartStrategyGiven ? `${cause}; ${decision.reason}` : cause, f, attempt.plan);
    if (decision.delayMs > 0) await Promise.race([new Promise((resolve) => setTimeout(resolve, decision.delayMs)), this.final.promise]);
    const delayEndAt = nowMs();
    // where: a lost TaskManager's subtasks go where the layer above places them
    let placement = attempt.placement;
    const lostUsed = attempt.used.filter((tm) => this.lost.has(tm));
    const movedSubtasks: string[] = [];
    if (lostUsed.length > 0) {
      const lostIds = [...this.lost].sort((a, b) => a - b).map((tm) => this.plan0TaskManagerId(tm));
      if (this.options.replacePlacement === undefined) this.giveUp(`${cause}; no placement function was given to re-place its subtasks (replacePlacement)`, f, attempt.plan);
      try {
        const answer = await Promise.race([this.options.replacePlacement(lostIds, placement, this.instance), this.final.promise]);
        if ('assignments' in answer) placement = answer;
        else {
          const kept = this.instance.taskManagers.map((tm) => tm.id).join(',');
          if (answer.instance.taskManagers.slice(0, this.instance.taskManagers.length).map((tm) => tm.id).join(',') !== kept)
            throw new Error(`the new instance does not keep the TaskManagers ${kept} first, in order`);
          this.instance = answer.instance;
          placement = answer.placement;
        }
      } catch (error) {
        if (this.failure !== undefined) throw this.failure;
        this.giveUp(`${cause}; re-placing its subtasks failed: ${error instanceof Error ? error.message : String(error)}`, f, attempt.plan);
      }
      const allLost = [...this.lost].map((tm) => this.plan0TaskManagerId(tm));
      const still = placement.assignments.filter((a) => allLost.includes(a.taskManager));
      if (still.length > 0) this.giveUp(`${cause}; the new placement still puts ${still[0]!.subtask} on lost TaskManager ${still[0]!.taskManager}`, f, attempt.plan);
    }
    let plan: JobPlan;
    try {
      plan = lostUsed.length > 0 ? buildJobPlan(this.instance, placement, this.options) : attempt.plan;
    } catch (error) {
      this.giveUp(`${cause}; the new placement cannot run: ${error instanceof Error ? error.message : String(error)}`, f, attempt.plan);
    }
    // the restart set again: TaskManagers lost during the delay, subtasks the new placement moves
    const restart = this.restartSet(attempt, f, plan);
    this.cancelSubtasks(attempt, restart);
    const restarting = new Set(restart);
    for (const sub of plan.subtasks)
      if (sub.taskManager !== attempt.plan.subtasks[sub.index]!.taskManager)
        movedSubtasks.push(`${sub.id}: ${this.plan0TaskManagerId(attempt.plan.subtasks[sub.index]!.taskManager)} -> ${this.plan0TaskManagerId(sub.taskManager)}`);
    // what: the last completed checkpoint (a corrupted or truncated file is refused and the previous one taken)
    let restoredCheckpoint: number | null = null;
    const restored = new Map<number, unknown>();
    if (this.store !== undefined) {
      if (this.faults.corruptCheckpoint) {
        this.faults.corruptCheckpoint = false;
        const newest = this.store.ids()[0];
        if (newest !== undefined) truncateSync(this.store.fileOf(newest), 20);
      }
      const latest = this.store.latest();
      this.warnings.push(...latest.warnings);
      const c = latest.checkpoint;
      if (c !== undefined && c.checkpointId >= this.firstCheckpointId) {
        restoredCheckpoint = c.checkpointId;
        for (const sub of plan.subtasks) if (restarting.has(sub.index) && sub.id in c.subtasks) restored.set(sub.index, c.subtasks[sub.id]);
      }
    }
    // no checkpoint of this run yet: start again from the given state
    if (restoredCheckpoint === null) for (const [sub, state] of this.initialRestored()) restored.set(sub, state);
    if (f.subtask !== undefined && f.reason.startsWith('injected failure')) this.faults.throwAfter.delete(f.subtask);
    const failed = f.subtask !== undefined ? [f.subtask] : attempt.plan.subtasks.filter((s) => attempt.ranOn[s.index] === f.taskManager).map((s) => s.index);
    const failedRegions = new Set(failed.map((s) => this.regions[s]!));
    const regionSubtasks = this.regions.filter((r) => failedRegions.has(r)).length;
    // how far the restarted sources must replay: what they emitted since the restored point, counted in the
    // deployment that ran them (a checkpoint acknowledged in another deployment: they restarted from it or before)
    const base = restoredCheckpoint === null ? undefined : this.recordsAtCheckpoint.get(restoredCheckpoint);
    const replay = new Map<number, number>();
    let slowest = { records: 0, recordsPerMs: 0, replayMs: 0 };
    let replayRecords = 0;
    for (const sub of attempt.plan.subtasks) {
      if (sub.inputs.length > 0 || !restarting.has(sub.index)) continue;
      // a finished source emitted all it had (its metrics); one that finished before the checkpoint replays nothing
      const metrics = attempt.metrics[sub.index];
      const emitted = metrics !== undefined ? metrics.recordsOut : (attempt.progress.get(sub.index) ?? 0);
      const at = base?.get(sub.index);
      const records = Math.max(0, emitted - (at !== undefined && at.key === attempt.homes[sub.index] ? at.records : 0));
      replay.set(sub.index, records);
      const rate = this.sourceRecordsPerMs(attempt, sub.index);
      const replayMs = replayTimeMs(records, rate);
      if (replayMs > slowest.replayMs) slowest = { records, recordsPerMs: rate, replayMs };
      replayRecords += records;
    }
    const predicted = predictRecoveryMs({
      detectionMs: f.expectedDetectionMs,
      restartDelayMs: decision.delayMs,
      redeployMs: this.predictRedeploy(attempt, plan, restart),
      replayRecords: slowest.records,
      recordsPerMs: slowest.recordsPerMs,
    });
    this.restarts.push({
      attempt: attempt.number + 1,
      atMs: detectedAt - this.t0,
      delayMs: decision.delayMs,
      restoredCheckpoint,
      failover: this.options.failover,
      regionSubtasks: this.options.failover === 'full' ? plan.subtasks.length : regionSubtasks,
      restartedSubtasks: restart.length,
      restarted: restart.map((s) => plan.subtasks[s]!.id),
      movedSubtasks,
      recoveryMs: null,
      predictedRecoveryMs: predicted.recoveryMs,
      redeployMs: null,
      replayRecords,
      detectionMs: f.occurredAt === undefined ? 0 : detectedAt - f.occurredAt,
      replayMs: slowest.replayMs,
      measured: null,
      predicted: { detectionMs: predicted.detectionMs, delayMs: predicted.restartDelayMs, redeployMs: predicted.redeployMs, replayMs: predicted.replayMs },
    });
    this.pendingCatchUp = { restart: this.restarts.length - 1, failedAt: f.occurredAt ?? detectedAt, detectedAt, delayEndAt, replay };
    return { placement, plan, restored, restarting };
  }

  private pendingCatchUp: Attempt['catchUp'];

  /**
   * A source's steady emission rate in an attempt before a failure, records per ms: from its first progress report
   * (PROGRESS_INTERVAL_MS into its run: its start-up, the first steps of code still cold and empty output buffers
   * filling at once, comes before) to its last, or its end. The longest steady window the run has: a source held back
   * for a moment (a busy core, a rate limit's late timer) catches up within it. With no report, over its whole run.
   */
  private sourceRecordsPerMs(attempt: Attempt, s: number): number {
    const metrics = attempt.metrics[s];
    const emitted = metrics !== undefined ? metrics.recordsOut : (attempt.progress.get(s) ?? 0);
    const lastAt = metrics !== undefined ? metrics.endAt : attempt.progressAt.get(s);
    if (lastAt === undefined) return 0;
    const from = attempt.firstProgress.get(s);
    if (from !== undefined && lastAt - from[0] > 0 && emitted > from[1]) return (emitted - from[1]) / (lastAt - from[0]);
    const ranMs = lastAt - (attempt.sourceStartedAt.get(s) ?? attempt.deployedAt);
    return ranMs > 0 ? emitted / ranMs : 0;
  }

  /** The model's redeploy of `restart` on `plan`, from the first deployment's measured cost. */
  private predictRedeploy(attempt: Attempt, plan: JobPlan, restart: readonly number[]): number {
    const first = this.firstAttempt!;
    const set = new Set(restart);
    return predictRedeployMs(
      {
        planMs: this.planMs,
        buildMsPerSubtask: warmBuildMsPerSubtask(first.subtaskBuildMs),
        exchangeMs: first.allRunningAt === undefined ? 0 : first.allRunningAt - first.deployedAt,
      },
      {
        replanned: plan !== attempt.plan,
        maxSubtasksPerTaskManager: Math.max(0, ...plan.taskManagers.map((tm) => tm.subtasks.filter((s) => set.has(s)).length)),
        restartsSources: restart.some((s) => plan.subtasks[s]!.inputs.length === 0),
      },
    );
  }

  /**
   * Recovery ends when every restarted source is running again and has re-emitted what it had emitted at the failure
   * (it is back at its pre-failure offset; a source that finishes first is back too).
   */
  private checkCaughtUp(attempt: Attempt, at: number): void {
    if (attempt.catchUp === undefined && this.pendingCatchUp !== undefined) {
      attempt.catchUp = this.pendingCatchUp;
      this.pendingCatchUp = undefined;
    }
    const c = attempt.catchUp;
    if (c === undefined) return;
    const runningAt = this.sourceCount(attempt) === 0 ? attempt.deployedAt : attempt.allRunningAt;
    if (runningAt === undefined) return;
    for (const [s, records] of c.replay) if (!attempt.finished[s] && (attempt.progress.get(s) ?? 0) < records) return;
    attempt.catchUp = undefined;
    const r = this.restarts[c.restart]!;
    const end = Math.max(at, runningAt);
    const measured = { detectionMs: c.detectedAt - c.failedAt, delayMs: c.delayEndAt - c.detectedAt, redeployMs: runningAt - c.delayEndAt, replayMs: end - runningAt };
    this.restarts[c.restart] = { ...r, recoveryMs: end - c.failedAt, redeployMs: measured.redeployMs, measured };
  }

  /** The caller stopped the job (`signal`): it fails with the caller's reason. */
  private abort(reason: unknown): void {
    if (this.failure !== undefined || this.shuttingDown) return;
    const why = reason instanceof Error ? reason.message : String(reason);
    this.failure = new RunFailedError(`${this.initialPlan.name}: stopped: ${why}`, undefined, undefined, undefined, why, []);
    this.final.reject(this.failure);
  }

  private timeOut(): void {
    if (this.failure !== undefined || this.shuttingDown) return;
    const a = this.attempt;
    const unfinished = a === undefined ? [] : a.plan.subtasks.filter((s) => !a.finished[s.index]).map((s) => s.id);
    this.failure = new RunTimeoutError(
      `${this.initialPlan.name}: the job did not finish within ${this.options.timeoutMs} ms; unfinished subtasks: ${unfinished.slice(0, 10).join(', ')}${unfinished.length > 10 ? ', ...' : ''}`,
      unfinished,
      [],
    );
    this.final.reject(this.failure);
  }

  /**
   * Own threads: terminates every worker and waits until all have exited; the failure (if any) then lists the exits.
   * Shared threads: a failed job is cancelled on them (a finished one has been stopped); they live on.
   */
  private async shutDown(): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    const attempt = this.attempt;
    if (attempt !== undefined) for (const d of attempt.deployments.values()) for (const detach of d.detach) detach();
    if (this.shared === undefined) for (const w of this.workers.values()) void w.terminate();
    else if (attempt !== undefined && (this.failure !== undefined || this.stoppedCount < this.stopsExpected))
      for (const d of attempt.deployments.values()) for (const tm of d.used) this.post(tm, { type: 'cancel', job: d.key });
    const exits = await Promise.all(this.exits);
    this.workerExits = exits;
    if (this.failure instanceof RunFailedError)
      this.failure = new RunFailedError(this.failure.message, this.failure.operatorId, this.failure.subtaskId, this.failure.taskManager, this.failure.reason, exits);
    else if (this.failure instanceof RunTimeoutError) this.failure = new RunTimeoutError(this.failure.message, this.failure.unfinishedSubtasks, exits);
  }

  private checkSinkExpectations(plan: JobPlan, sinks: ReadonlyArray<SinkResult | undefined>): void {
    for (const sink of mergeSinks(plan, sinks)) {
      const first = plan.subtasks.find((s) => s.operatorId === sink.operatorId)!;
      const expect = first.params['expect'] as SinkExpectation | undefined;
      if (expect === undefined) continue;
      const problems: string[] = [];
      if (expect.records !== undefined && expect.records !== sink.records) problems.push(`expected ${expect.records} records, got ${sink.records}`);
      if (expect.valueSum !== undefined && expect.valueSum !== sink.valueSum) problems.push(`expected a value sum of ${expect.valueSum}, got ${sink.valueSum}`);
      if (problems.length > 0)
        throw new RunFailedError(`${plan.name}: sink "${sink.operatorId}" check failed: ${problems.join('; ')}`, sink.operatorId, undefined, undefined, problems.join('; '), this.workerExits);
    }
  }
}
