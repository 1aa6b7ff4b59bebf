import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { DagPlacementInstance } from '../models/dag-placement/instance.ts';
import type { Placement } from '../models/solution.ts';
import { nowMs } from './clock.ts';
import { RunFailedError, RunTimeoutError, type WorkerExit } from './errors.ts';
import type { SinkResult } from './operators/types.ts';
import { creditsFromNetworkPool } from './channels/network-pool.ts';
import { buildJobPlan, resolveRunOptions, type JobPlan, type ResolvedRunOptions, type RunOptions } from './plan.ts';
import { buildRunReport, mergeSinks, type RunReport } from './report.ts';
import type { SinkExpectation } from './operators/sink.ts';
import type { FromJobTaskManager, SubtaskMetrics, ToTaskManager } from './worker/protocol.ts';
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
 */
export async function runPlacement(instance: DagPlacementInstance, placement: Placement, options: RunOptions = {}): Promise<RunReport> {
  const configured = resolveRunOptions(instance, options);
  // network memory (fine-grained resources): too few segments fail here, before any worker starts; few back-pressure
  const resolved = { ...configured, creditsPerChannel: creditsFromNetworkPool(instance, placement, configured.creditsPerChannel) };
  const plan = buildJobPlan(instance, placement, resolved);
  return new JobMaster(instance, plan, resolved, options.signal, undefined).run();
}

/**
 * `runPlacement` on TaskManager worker threads that are already running (the cluster runtime's long-lived
 * TaskManagers, by TaskManager id; each hosts the subtasks of several jobs): the job's subtasks are deployed onto the
 * threads of the TaskManagers its placement uses, under the key `job`, with their own MessagePorts between them.
 * At the end (or on failure) the job is stopped (cancelled) on those threads, which live on. A thread that exits
 * meanwhile fails the job with a message naming its TaskManager.
 */
export async function runPlacementOn(
  threads: ReadonlyMap<string, TaskManagerThread>,
  job: string,
  instance: DagPlacementInstance,
  placement: Placement,
  options: RunOptions = {},
): Promise<RunReport> {
  const resolved = resolveRunOptions(instance, options);
  const plan = buildJobPlan(instance, placement, resolved);
  return new JobMaster(instance, plan, resolved, options.signal, { threads, job }).run();
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

class JobMaster {
  /** The threads of the TaskManagers (plan index) that hold a subtask. */
  private readonly workers = new Map<number, TaskManagerThread>();
  private readonly detach: Array<() => void> = [];
  private readonly job: string;
  private readonly exits: Array<Promise<WorkerExit>> = [];
  private readonly metrics: Array<SubtaskMetrics | undefined>;
  private readonly sinks: Array<SinkResult | undefined>;
  private readonly waitingProducers: Int32Array;
  private readonly threadUtilization = new Map<number, number>();
  private readyCount = 0;
  private finishedCount = 0;
  private stoppedCount = 0;
  private shuttingDown = false;
  private failure: Error | undefined;
  private readonly ready = deferred<void>();
  private readonly done = deferred<void>();
  private readonly stopped = deferred<void>();
  private peakRssBytes = 0;
  private workerExits: WorkerExit[] = [];

  constructor(
    private readonly instance: DagPlacementInstance,
    private readonly plan: JobPlan,
    private readonly options: ResolvedRunOptions,
    private readonly signal: AbortSignal | undefined,
    /** Long-lived threads to deploy onto (by TaskManager id), under key `job`; undefined: start own threads. */
    private readonly shared: { readonly threads: ReadonlyMap<string, TaskManagerThread>; readonly job: string } | undefined,
  ) {
    this.job = shared?.job ?? OWN_JOB;
    this.metrics = new Array(plan.subtasks.length).fill(undefined);
    this.sinks = new Array(plan.subtasks.length).fill(undefined);
    this.waitingProducers = Int32Array.from(instance.inEdges, (edges) => edges.length);
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
    const onAbort = () => this.abort(this.signal!.reason);
    if (this.signal?.aborted) onAbort();
    this.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const spawnAt = nowMs();
      timeout = setTimeout(() => this.timeOut(), this.options.timeoutMs);
      this.spawn();
      if (this.workers.size === 0) this.ready.resolve();
      await this.ready.promise;
      const t0 = nowMs();
      this.broadcast({ type: 'start', job: this.job, t0 });
      this.deployInitial();
      if (this.plan.subtasks.length === 0) this.done.resolve();
      await this.done.promise;
      this.broadcast({ type: 'stop', job: this.job });
      if (this.workers.size === 0) this.stopped.resolve();
      let grace: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([this.stopped.promise, new Promise((resolve) => (grace = setTimeout(resolve, STOP_GRACE_MS)))]);
      clearTimeout(grace);
      this.sampleRss();
      await this.shutDown();
      this.checkSinkExpectations();
      return buildRunReport(this.instance, this.plan, {
        t0,
        startupMs: t0 - spawnAt,
        peakRssBytes: this.peakRssBytes,
        baselineRssBytes,
        metrics: this.metrics as SubtaskMetrics[],
        sinks: this.sinks,
        threadUtilization: this.threadUtilization,
      });
    } catch (error) {
      await this.shutDown();
      throw this.failure ?? error;
    } finally {
      clearInterval(sampler);
      if (timeout !== undefined) clearTimeout(timeout);
      this.signal?.removeEventListener('abort', onAbort);
    }
  }

  private spawn(): void {
    const used = this.plan.taskManagers.filter((tm) => tm.subtasks.length > 0);
    const peers = new Map<number, Array<readonly [number, MessagePort]>>(used.map((tm) => [tm.index, []]));
    const linked = new Set<string>();
    for (const ch of this.plan.channels) {
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
      const thread = this.shared === undefined ? new TaskManagerThread(tm.id) : this.shared.threads.get(tm.id);
      if (thread === undefined || thread.exitCode !== null) {
        for (const ports of peers.values()) for (const [, p] of ports) p.close();
        this.fail(undefined, tm.index, 'its worker is not running');
        return;
      }
      this.workers.set(tm.index, thread);
      if (this.shared === undefined) {
        const threadId = thread.threadId;
        this.exits.push(thread.exited.then((exitCode) => ({ taskManager: tm.id, threadId, exitCode })));
      }
      this.detach.push(
        thread.attach(this.job, {
          message: (m) => this.onMessage(tm.index, m),
          error: (error) => this.fail(undefined, tm.index, error.message),
          exit: (exitCode) => {
            if (!this.shuttingDown) this.fail(undefined, tm.index, `the worker exited unexpectedly (exit code ${exitCode})`);
          },
        }),
      );
    }
    for (const tm of used) {
      const ports = peers.get(tm.index)!;
      const init: ToTaskManager = { type: 'init', job: this.job, plan: this.plan, taskManager: tm.index, peers: ports };
      this.workers.get(tm.index)!.post(init, ports.map(([, p]) => p));
    }
  }

  private post(tm: number, message: ToTaskManager): void {
    this.workers.get(tm)?.post(message);
  }

  private broadcast(message: ToTaskManager): void {
    for (const tm of this.workers.keys()) this.post(tm, message);
  }

  private deploy(subtasks: readonly number[]): void {
    const job = this.job;
    const byTm = new Map<number, number[]>();
    for (const s of subtasks) {
      const tm = this.plan.subtasks[s]!.taskManager;
      let list = byTm.get(tm);
      if (list === undefined) byTm.set(tm, (list = []));
      list.push(s);
    }
    for (const [tm, list] of byTm) this.post(tm, { type: 'deploy', job, subtasks: list });
  }

  private deployInitial(): void {
    if (this.plan.mode === 'pipelined') this.deploy(this.plan.subtasks.map((s) => s.index));
    else this.deploy(this.plan.subtasks.filter((s) => this.waitingProducers[s.index] === 0).map((s) => s.index));
  }

  private onMessage(tm: number, m: FromJobTaskManager): void {
    switch (m.type) {
      case 'ready':
        if (++this.readyCount === this.workers.size) this.ready.resolve();
        break;
      case 'running':
        break;
      case 'finished': {
        this.metrics[m.subtask] = m.metrics;
        this.sinks[m.subtask] = m.sink;
        if (this.plan.mode === 'blocking') {
          const next: number[] = [];
          for (const e of this.instance.outEdges[m.subtask]!) {
            const to = this.instance.edges[e]!.to;
            if (--this.waitingProducers[to]! === 0) next.push(to);
          }
          if (next.length > 0) this.deploy(next);
        }
        if (++this.finishedCount === this.plan.subtasks.length) this.done.resolve();
        break;
      }
      case 'failed':
        this.fail(m.subtask, tm, m.message);
        break;
      case 'stopped':
        this.threadUtilization.set(tm, m.threadUtilization);
        if (++this.stoppedCount === this.workers.size) this.stopped.resolve();
        break;
    }
  }

  private fail(subtask: number | undefined, tm: number, reason: string): void {
    if (this.failure !== undefined || this.shuttingDown) return;
    const tmId = this.plan.taskManagers[tm]!.id;
    const s = subtask === undefined ? undefined : this.plan.subtasks[subtask]!;
    const message =
      s === undefined
        ? `${this.plan.name}: TaskManager ${tmId} failed: ${reason}`
        : `${this.plan.name}: operator "${s.operatorId}" failed in subtask ${s.id} on TaskManager ${tmId}: ${reason}`;
    this.failure = new RunFailedError(message, s?.operatorId, s?.id, tmId, reason, []);
    this.ready.reject(this.failure);
    this.done.reject(this.failure);
  }

  /** The caller stopped the job (`signal`): it fails with the caller's reason. */
  private abort(reason: unknown): void {
    if (this.failure !== undefined || this.shuttingDown) return;
    const why = reason instanceof Error ? reason.message : String(reason);
    this.failure = new RunFailedError(`${this.plan.name}: stopped: ${why}`, undefined, undefined, undefined, why, []);
    this.ready.reject(this.failure);
    this.done.reject(this.failure);
  }

  private timeOut(): void {
    if (this.failure !== undefined || this.shuttingDown) return;
    const unfinished = this.plan.subtasks.filter((s) => this.metrics[s.index] === undefined).map((s) => s.id);
    this.failure = new RunTimeoutError(
      `${this.plan.name}: the job did not finish within ${this.options.timeoutMs} ms; unfinished subtasks: ${unfinished.slice(0, 10).join(', ')}${unfinished.length > 10 ? ', ...' : ''}`,
      unfinished,
      [],
    );
    this.ready.reject(this.failure);
    this.done.reject(this.failure);
  }

  /**
   * Own threads: terminates every worker and waits until all have exited; the failure (if any) then lists the exits.
   * Shared threads: a failed job is cancelled on them (a finished one has been stopped); they live on.
   */
  private async shutDown(): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    for (const d of this.detach) d();
    if (this.shared === undefined) for (const w of this.workers.values()) void w.terminate();
    else if (this.failure !== undefined || this.stoppedCount < this.workers.size) for (const tm of this.workers.keys()) this.post(tm, { type: 'cancel', job: this.job });
    const exits = await Promise.all(this.exits);
    this.workerExits = exits;
    if (this.failure instanceof RunFailedError)
      this.failure = new RunFailedError(this.failure.message, this.failure.operatorId, this.failure.subtaskId, this.failure.taskManager, this.failure.reason, exits);
    else if (this.failure instanceof RunTimeoutError) this.failure = new RunTimeoutError(this.failure.message, this.failure.unfinishedSubtasks, exits);
  }

  private checkSinkExpectations(): void {
    for (const sink of mergeSinks(this.plan, this.sinks)) {
      const first = this.plan.subtasks.find((s) => s.operatorId === sink.operatorId)!;
      const expect = first.params['expect'] as SinkExpectation | undefined;
      if (expect === undefined) continue;
      const problems: string[] = [];
      if (expect.records !== undefined && expect.records !== sink.records) problems.push(`expected ${expect.records} records, got ${sink.records}`);
      if (expect.valueSum !== undefined && expect.valueSum !== sink.valueSum) problems.push(`expected a value sum of ${expect.valueSum}, got ${sink.valueSum}`);
      if (problems.length > 0)
        throw new RunFailedError(`${this.plan.name}: sink "${sink.operatorId}" check failed: ${problems.join('; ')}`, sink.operatorId, undefined, undefined, problems.join('; '), this.workerExits);
    }
  }
}
