import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { cappedTimeout, MAX_TIMER_MS, nowMs } from '../clock.ts';
import { InputChannel, InputGate } from '../channels/input.ts';
import { OutputChannel, OutputCollector, type ChannelTransport } from '../channels/output.ts';
import { findOperator } from '../operators/index.ts';
import type { ChannelPlan, JobPlan } from '../plan.ts';
import { cloneBatch, fromWire, numberColumns, toWire, type RecordBatch } from '../records/batch.ts';
import { EmulatedCores, WorkAccount } from './cpu.ts';
import { operatorContextOf } from './operator-context.ts';
import { KILLED_EXIT_CODE, PROGRESS_INTERVAL_MS, type FromJobTaskManager, type FromTaskManager, type PeerMessage, type SubtaskMetrics, type SubtaskRates, type TaskManagerFaults, type TaskManagerWorkerData, type ToTaskManager } from './protocol.ts';
import { SubtaskError, Task, TaskCancelledError, type LiveCounters } from './task.ts';

/** What a job's part on this TaskManager posts: its messages, without the job key (added by the host). */
type JobPost = (m: DistributiveOmit<FromJobTaskManager, 'job'>) => void;
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/**
 * One job's part of a TaskManager: the subtasks the placement put on this TaskManager. It owns the consumer end of
 * every channel into its subtasks and the producer end of every channel out of them; channels between two of its
 * own subtasks stay in memory, the others go over one MessagePort per pair of TaskManagers (per job).
 */
class TaskManagerRuntime {
  private cancelled = false;
  private readonly tasks = new Map<number, Task>();
  private readonly inChannels = new Map<number, InputChannel>();
  private readonly outChannels = new Map<number, OutputChannel>();
  private readonly owedCredits = new Map<number, { credits: number; buffers: ArrayBuffer[] }>();
  private readonly creditBatch: number;
  private elu: EventLoopUtilization | undefined;
  private readonly local: ChannelTransport;
  private readonly remote: ChannelTransport;

  /** How long building each subtask (operator, output, task) took, in build order (recovery model: redeploy). */
  readonly subtaskBuildMs: number[] = [];

  /** Records this TaskManager's subtasks processed (fault injection: the worker exits at `killAfterRecords`). */
  private processed = 0;

  constructor(
    readonly plan: JobPlan,
    private readonly me: number,
    private readonly peers: ReadonlyMap<number, MessagePort>,
    private readonly post: JobPost,
    restored: ReadonlyMap<number, unknown> = new Map(),
    faults: TaskManagerFaults = {},
    runs: readonly number[] | undefined = undefined,
    private readonly retainResults = false,
    catchUp: ReadonlyArray<readonly [number, number]> = [],
  ) {
    const tm = plan.taskManagers[me]!;
    const here = runs === undefined ? tm.subtasks : tm.subtasks.filter((s) => runs.includes(s));
    // `shared`: at most coreCount subtasks compute at once, the model's rule (models/dag-placement/instance.ts).
    const cores = new EmulatedCores(plan.variant === 'shared' ? tm.coreCount : Number.POSITIVE_INFINITY);
    const blocking = plan.mode === 'blocking';
    const credits = blocking ? Number.POSITIVE_INFINITY : plan.creditsPerChannel;
    this.creditBatch = Number.isFinite(plan.creditsPerChannel) ? Math.max(1, Math.floor(plan.creditsPerChannel / 2)) : 1;

    // a consumer cancelled by region failover has no input channel any more: what reaches it is dropped
    const local: ChannelTransport = {
      deliver: (ch, batch, at) => this.inChannels.get(ch.id)?.receive(batch, at),
      end: (ch, at) => this.inChannels.get(ch.id)?.receive(null, at),
      barrier: (ch, checkpointId, at) => this.inChannels.get(ch.id)?.receive(null, at, checkpointId),
    };
    this.local = local;
    const remote: ChannelTransport = {
      deliver: (ch, batch, at) => {
        const transfer: ArrayBuffer[] = [];
        const message: PeerMessage = { type: 'data', channel: ch.id, batch: toWire(batch, transfer), arriveAt: at };
        this.peers.get(ch.toTm)!.postMessage(message, transfer);
      },
      end: (ch, at) => this.peers.get(ch.toTm)!.postMessage({ type: 'end', channel: ch.id, arriveAt: at } satisfies PeerMessage),
      barrier: (ch, checkpointId, at) => this.peers.get(ch.toTm)!.postMessage({ type: 'barrier', channel: ch.id, checkpointId, arriveAt: at } satisfies PeerMessage),
    };
    this.remote = remote;
    const throwAfter = new Map(faults.throwAfterRecords ?? []);
    const processedBy = new Float64Array(plan.subtasks.length);
    const lastProgressAt = new Float64Array(plan.subtasks.length);
    const killAfter = faults.killAfterRecords;
    const catchUpAt = new Map(catchUp);

    // Consumer ends first, so that local producers find them.
    const gates = new Map<number, InputGate>();
    for (const s of here) {
      const sub = plan.subtasks[s]!;
      if (sub.inputs.length === 0) continue;
      const gate = new InputGate(sub.inputs.reduce((n, g) => n + g.channels.length, 0));
      gates.set(s, gate);
      sub.inputs.forEach((g, i) => g.channels.forEach((id, c) => this.inChannels.set(id, new InputChannel(gate, i, c, id))));
    }

    for (const s of here) {
      const buildAt = nowMs();
      const sub = plan.subtasks[s]!;
      const output = new OutputCollector(
        sub,
        (id, onDrained) => {
          const ch: ChannelPlan = plan.channels[id]!;
          const out = new OutputChannel(ch, credits, blocking, ch.toTm === me ? local : remote, onDrained, retainResults);
          this.outChannels.set(id, out);
          return out;
        },
        plan.batchRecords,
      );
      const account = new WorkAccount(cores);
      let operator;
      try {
        operator = findOperator(sub.kind)!.create(operatorContextOf(plan, sub, account, restored.get(s)));
      } catch (error) {
        throw new SubtaskError(s, error);
      }
      const task = new Task(
        sub,
        operator,
        gates.get(s) ?? null,
        output,
        account,
        plan.mode,
        plan.batchRecords,
        (channelId, batch) => this.returnCredit(channelId, batch),
        () => this.flushCredits(),
        (at) => this.post({ type: 'running', subtask: s, at }),
        {
          acknowledge: (checkpointId, state) => this.post({ type: 'acknowledge', subtask: s, checkpointId, state, records: processedBy[s]! }),
          onRecords: (records) => {
            this.processed += records;
            processedBy[s]! += records;
            if (sub.inputs.length === 0) {
              const now = nowMs();
              const target = catchUpAt.get(s);
              const caughtUp = target !== undefined && processedBy[s]! >= target;
              if (caughtUp) catchUpAt.delete(s);
              if (caughtUp || now - lastProgressAt[s]! >= PROGRESS_INTERVAL_MS) {
                lastProgressAt[s] = now;
                this.post({ type: 'progress', subtask: s, records: processedBy[s]!, at: now });
              }
            }
            // an injected crash: the worker thread ends at once, as a killed TaskManager process would
            if (killAfter !== undefined && this.processed >= killAfter) process.exit(KILLED_EXIT_CODE);
          },
          throwAfterRecords: throwAfter.get(s),
        },
      );
      this.tasks.set(s, task);
      this.subtaskBuildMs.push(nowMs() - buildAt);
    }
    // `sequenced`: a slot runs its subtasks one after another, in the plan's order.
    // (A deployment that runs only some of them, after region failover, keeps their order among themselves.)
    const ours = (sequence: readonly number[]) => sequence.filter((s) => this.tasks.has(s));
    if (plan.variant === 'sequenced')
      for (const sequence of tm.slotSequences.map(ours))
        for (let i = 1; i < sequence.length; i++) this.tasks.get(sequence[i]!)!.runAfter(this.tasks.get(sequence[i - 1]!)!.finished);
    // `shared`, blocking: a core runs whole subtasks one after another, in the predicted schedule's order.
    for (const sequence of tm.coreSequences.map(ours))
      for (let i = 1; i < sequence.length; i++) this.tasks.get(sequence[i]!)!.runAfterOnCore(this.tasks.get(sequence[i - 1]!)!.finished);

    for (const [peer, port] of peers) {
      void peer;
      port.on('message', (m: PeerMessage) => this.onPeerMessage(m));
    }
  }

  /**
   * Credits for remote channels are announced in bulk: once half a channel's window is free, or as soon as the
   * consumer has nothing left to process (so a stalled producer always gets its credits back).
   */
  private returnCredit(channelId: number, batch: RecordBatch): void {
    const ch = this.plan.channels[channelId]!;
    if (ch.fromTm === this.me) {
      const out = this.outChannels.get(channelId)!;
      out.recycle(numberColumns(batch));
      out.addCredits(1);
      return;
    }
    let owed = this.owedCredits.get(channelId);
    if (owed === undefined) this.owedCredits.set(channelId, (owed = { credits: 0, buffers: [] }));
    owed.credits++;
    for (const c of numberColumns(batch)) owed.buffers.push(c.buffer as ArrayBuffer);
    if (owed.credits >= this.creditBatch) this.announceCredits(channelId, owed);
  }

  private announceCredits(channelId: number, owed: { credits: number; buffers: ArrayBuffer[] }): void {
    const ch = this.plan.channels[channelId]!;
    this.owedCredits.delete(channelId);
    const message: PeerMessage = { type: 'credit', channel: channelId, credits: owed.credits, applyAt: nowMs() + ch.latencyMs, buffers: owed.buffers };
    this.peers.get(ch.fromTm)!.postMessage(message, owed.buffers);
  }

  /** A subtask has run out of input: announce every credit still owed. */
  private flushCredits(): void {
    for (const [channelId, owed] of this.owedCredits) this.announceCredits(channelId, owed);
  }

  private onPeerMessage(m: PeerMessage): void {
    switch (m.type) {
      case 'data':
        this.inChannels.get(m.channel)?.receive(fromWire(m.batch), m.arriveAt);
        break;
      case 'end':
        this.inChannels.get(m.channel)?.receive(null, m.arriveAt);
        break;
      case 'barrier':
        this.inChannels.get(m.channel)?.receive(null, m.arriveAt, m.checkpointId);
        break;
      case 'credit': {
        const out = this.outChannels.get(m.channel);
        if (out === undefined) break;
        out.recycle(m.buffers.map((b) => new Float64Array(b)));
        const wait = m.applyAt - nowMs();
        if (wait <= 0.02) out.addCredits(m.credits);
        else {
          const apply = (): void => {
            const left = m.applyAt - nowMs();
            if (left >= MAX_TIMER_MS) cappedTimeout(apply, left); // beyond one timer's reach: wait again
            else out.addCredits(m.credits);
          };
          cappedTimeout(apply, wait);
        }
        break;
      }
    }
  }

  start(): void {
    this.elu = performance.eventLoopUtilization();
    for (const [s, task] of this.tasks)
      task.run().then(
        ({ metrics, finalState }) => {
          if (!this.cancelled) this.post({ type: 'finished', subtask: s, metrics, finalState });
        },
        (error: unknown) => {
          if (!this.cancelled && !(error instanceof TaskCancelledError)) this.fail(error);
        },
      );
  }

  /** Every subtask that is running now, with its live counters. */
  running(now: number): Array<{ readonly subtask: number; readonly counters: LiveCounters }> {
    const out = [];
    for (const [s, task] of this.tasks) if (task.state === 'running') out.push({ subtask: s, counters: task.live(now) });
    return out;
  }

  /**
   * The job ended elsewhere: stop its subtasks and deliveries, close its ports; nothing more is reported, except
   * (`report`, a stop-with-checkpoint) the figures so far of the subtasks that had not finished.
   */
  cancel(report = false): void {
    if (report) {
      const now = nowMs();
      const subtasks: Array<readonly [number, SubtaskMetrics]> = [];
      for (const [s, task] of this.tasks) if (task.state !== 'finished' && task.state !== 'failed') subtasks.push([s, task.metricsSoFar(now)]);
      this.post({ type: 'cancelled', subtasks });
    }
    this.cancelled = true;
    for (const task of this.tasks.values()) task.cancel();
    for (const ch of this.inChannels.values()) ch.close();
    this.closePorts();
  }

  closePorts(): void {
    for (const port of this.peers.values()) port.close();
  }

  /** Sources inject barrier `checkpointId` (a finished source ignores it). */
  triggerCheckpoint(checkpointId: number): void {
    for (const task of this.tasks.values()) if (task.plan.inputs.length === 0 && task.state !== 'finished') task.triggerCheckpoint(checkpointId);
  }

  checkpointComplete(checkpointId: number): void {
    for (const task of this.tasks.values()) task.checkpointComplete(checkpointId);
  }

  deploy(subtasks: readonly number[]): void {
    for (const s of subtasks) this.tasks.get(s)?.deploy();
  }

  /** Region failover: these subtasks stop without reporting, their inputs are dropped; the others run on. */
  cancelSubtasks(subtasks: readonly number[]): void {
    for (const s of subtasks) {
      const task = this.tasks.get(s);
      if (task === undefined) continue;
      this.tasks.delete(s);
      task.cancel();
      for (const g of this.plan.subtasks[s]!.inputs)
        for (const id of g.channels) {
          this.inChannels.get(id)?.close();
          this.inChannels.delete(id);
        }
    }
  }

  /** The partitions finished subtask `subtask` kept, on `channels` (undefined: it kept none, or is not here). */
  retainedPartitions(subtask: number, channels: readonly number[]): Array<readonly [number, RecordBatch[]]> | undefined {
    const out: Array<readonly [number, RecordBatch[]]> = [];
    for (const id of channels) {
      const kept = this.outChannels.get(id)?.retained;
      if (kept === undefined || this.plan.channels[id]!.fromSubtask !== subtask) return undefined;
      out.push([id, kept.map(cloneBatch)]);
    }
    return out;
  }

  /** Ships partitions another deployment kept (a producer that did not restart) to this deployment's consumers. */
  adopt(partitions: ReadonlyArray<readonly [number, RecordBatch[]]>): void {
    for (const [id, batches] of partitions) {
      const ch = this.plan.channels[id]!;
      const out = new OutputChannel(ch, Number.POSITIVE_INFINITY, true, ch.toTm === this.me ? this.local : this.remote, () => undefined, this.retainResults);
      this.outChannels.set(id, out);
      for (const b of batches) out.send(b);
      out.finish();
    }
  }

  fail(error: unknown): void {
    const subtask = error instanceof SubtaskError ? error.subtask : undefined;
    const inner = error instanceof SubtaskError ? error.error : error;
    this.post({ type: 'failed', subtask, message: inner instanceof Error ? inner.message : String(inner), stack: inner instanceof Error ? inner.stack : undefined });
    for (const ch of this.inChannels.values()) ch.close();
  }

  stop(): void {
    const utilization = this.elu === undefined ? 0 : performance.eventLoopUtilization(this.elu).utilization;
    this.post({ type: 'stopped', threadUtilization: utilization, heapUsedBytes: process.memoryUsage().heapUsed });
  }
}

/** One sample of a running subtask's counters, for the sliding window. */
interface Sample {
  readonly at: number;
  readonly counters: LiveCounters;
}

/**
 * The per-subtask rates over a sliding window (Flink's busyTimeMsPerSecond, idleTimeMsPerSecond,
 * backPressuredTimeMsPerSecond, numRecordsIn/OutPerSecond): at every heartbeat each running subtask's live counters
 * are sampled; the rates are the differences between now and the oldest sample within `windowMs` (or the subtask's
 * first sample), per second of that window's wall time. Busy and back-pressured are capped by the window, and idle is
 * the rest, so the three sum to 1000 ms per second by construction.
 */
class SubtaskRateWindow {
  private readonly samples = new Map<string, Sample[]>();

  constructor(private readonly windowMs: number) {}

  rates(jobs: ReadonlyMap<string, TaskManagerRuntime>, now: number): SubtaskRates[] {
    const out: SubtaskRates[] = [];
    const seen = new Set<string>();
    for (const [job, runtime] of jobs)
      for (const { subtask, counters } of runtime.running(now)) {
        const key = `${job}\u0000${subtask}`;
        seen.add(key);
        let list = this.samples.get(key);
        if (list === undefined) this.samples.set(key, (list = []));
        list.push({ at: now, counters });
        while (list.length > 2 && now - list[1]!.at >= this.windowMs) list.shift();
        const first = list[0]!;
        const windowMs = now - first.at;
        if (!(windowMs > 0)) continue;
        const perSecond = 1000 / windowMs;
        const busy = Math.min(windowMs, Math.max(0, counters.busyMs - first.counters.busyMs));
        const backPressured = Math.min(windowMs - busy, Math.max(0, counters.backPressuredMs - first.counters.backPressuredMs));
        const sub = runtime.plan.subtasks[subtask]!;
        out.push({
          job,
          jobName: runtime.plan.name,
          taskName: sub.operatorId,
          subtaskIndex: sub.subtaskIndex,
          windowMs,
          busyTimeMsPerSecond: busy * perSecond,
          backPressuredTimeMsPerSecond: backPressured * perSecond,
          idleTimeMsPerSecond: (windowMs - busy - backPressured) * perSecond,
          numRecordsInPerSecond: (counters.recordsIn - first.counters.recordsIn) * perSecond,
          numRecordsOutPerSecond: (counters.recordsOut - first.counters.recordsOut) * perSecond,
        });
      }
    for (const key of this.samples.keys()) if (!seen.has(key)) this.samples.delete(key);
    return out;
  }
}

/**
 * Serves the job masters' messages on `port` for the life of this worker: it hosts the subtasks of any number of
 * jobs at once, one TaskManagerRuntime per job. Started with `TaskManagerWorkerData` (the cluster runtime's
 * long-lived TaskManagers), it also registers after its start-up delay and then heartbeats its slot report and its
 * running subtasks' rates every `heartbeat.interval`.
 */
function serve(port: MessagePort, cluster: TaskManagerWorkerData | undefined): void {
  const jobs = new Map<string, TaskManagerRuntime>();
  const send = (m: FromTaskManager): void => port.postMessage(m);
  const postFor =
    (job: string): JobPost =>
    (m) =>
      send({ ...m, job } as FromJobTaskManager);
  const failed = (job: string, error: unknown): void => {
    const subtask = error instanceof SubtaskError ? error.subtask : undefined;
    const inner = error instanceof SubtaskError ? error.error : error;
    send({ type: 'failed', job, subtask, message: inner instanceof Error ? inner.message : String(inner), stack: inner instanceof Error ? inner.stack : undefined });
  };
  let slots: readonly (string | null)[] = [];
  let beating = true;
  port.on('message', (m: ToTaskManager) => {
    switch (m.type) {
      case 'init':
        try {
          const initAt = nowMs();
          const runtime = new TaskManagerRuntime(m.plan, m.taskManager, new Map(m.peers), postFor(m.job), new Map(m.restored ?? []), m.faults, m.runs, m.retainResults, m.catchUp);
          jobs.set(m.job, runtime);
          send({ type: 'ready', job: m.job, initMs: nowMs() - initAt, subtaskBuildMs: runtime.subtaskBuildMs });
        } catch (error) {
          for (const [, p] of m.peers) p.close();
          failed(m.job, error);
        }
        break;
      case 'start':
        jobs.get(m.job)?.start();
        break;
      case 'deploy':
        jobs.get(m.job)?.deploy(m.subtasks);
        break;
      case 'trigger-checkpoint':
        jobs.get(m.job)?.triggerCheckpoint(m.checkpointId);
        break;
      case 'checkpoint-complete':
        jobs.get(m.job)?.checkpointComplete(m.checkpointId);
        break;
      case 'stop': {
        const runtime = jobs.get(m.job);
        jobs.delete(m.job);
        runtime?.stop();
        runtime?.closePorts();
        break;
      }
      case 'cancel-subtasks':
        jobs.get(m.job)?.cancelSubtasks(m.subtasks);
        break;
      case 'adopt': {
        const partitions = jobs.get(m.from)?.retainedPartitions(m.subtask, m.channels);
        if (partitions === undefined) send({ type: 'failed', job: m.job, subtask: undefined, message: `the result of subtask ${m.subtask} kept by deployment ${m.from} is gone`, stack: undefined });
        else jobs.get(m.job)?.adopt(partitions);
        break;
      }
      case 'cancel':
        jobs.get(m.job)?.cancel(m.report === true);
        jobs.delete(m.job);
        break;
      case 'slots':
        slots = m.slots;
        break;
      case 'stop-heartbeats':
        beating = false;
        break;
      case 'resume-heartbeats':
        beating = true;
        break;
      case 'fence':
        for (const job of jobs.values()) job.cancel(false);
        jobs.clear();
        slots = slots.map(() => null);
        break;
    }
  });
  if (cluster === undefined) return;
  const { registration, heartbeatIntervalMs, startupDelayMs, metricsWindowMs } = cluster;
  slots = new Array<string | null>(registration.slotCount).fill(null);
  const window = new SubtaskRateWindow(metricsWindowMs);
  setTimeout(() => {
    send({ type: 'register', ...registration });
    setInterval(() => {
      if (beating) send({ type: 'heartbeat', slotReport: slots, subtasks: window.rates(jobs, nowMs()) });
    }, heartbeatIntervalMs);
  }, startupDelayMs);
}

if (parentPort === null) throw new Error('runtime/worker/task-manager.ts runs as a worker thread started by the job master');
serve(parentPort, workerData as TaskManagerWorkerData | undefined);
