import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { isTypeScriptFile } from '../../models/package-files.ts';

/**
 * A pool of child processes that run tasks with a hard per-task time limit.
 *
 * Why processes and not worker threads: a process can always be killed (SIGKILL), also in the middle of a
 * WebAssembly call or a tight loop that never yields; its memory is its own, so each run's peak RSS can be
 * measured; and a solver that exhausts memory takes down only its own worker. Each worker runs `workerFile`
 * (compiled JavaScript on plain Node, or TypeScript through tsx), one task at a time, and is reused until it is killed or the pool ends.
 *
 * Protocol (see worker.ts): the child sends `{type: 'ready'}` once, then for every `{type: 'run', id, payload}`
 * one `{type: 'result', id, value}` (or `{type: 'failed', id, message}` when the handler threw). A task that has not answered `hardLimitMs` after it was sent is a `timeout`:
 * its worker is killed and a fresh one starts for the next task. A worker that dies while running a task gives
 * that task a `crash` outcome with the tail of its stderr.
 */

export interface PoolTask<P> {
  readonly id: string;
  readonly payload: P;
  /** Wall-clock limit from sending the task to its answer, in ms. */
  readonly hardLimitMs: number;
}

export type PoolOutcome<R> =
  | { readonly kind: 'result'; readonly value: R; readonly elapsedMs: number }
  | { readonly kind: 'timeout'; readonly elapsedMs: number }
  | { readonly kind: 'crash'; readonly elapsedMs: number; readonly reason: string };

export interface PoolOptions<P, R> {
  /** Absolute path of the worker module: a .js file, or a .ts file run under tsx. */
  readonly workerFile: string;
  /** Number of worker processes, >= 1. */
  readonly jobs: number;
  /** Called once per task, in completion order. */
  readonly onOutcome: (task: PoolTask<P>, outcome: PoolOutcome<R>) => void | Promise<void>;
  /** Called when a task is sent to a worker. */
  readonly onStart?: (task: PoolTask<P>) => void;
  /** Extra environment for the workers. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Workers started ahead of the tasks (`prestartWorkers`, with the same `workerFile`): the lanes take these first,
   * and the pool closes those it did not need when it ends.
   */
  readonly prestarted?: PrestartedWorkers;
}

type FromWorker<R> = { type: 'ready' } | { type: 'result'; id: string; value: R } | { type: 'failed'; id: string; message: string };

const STDERR_TAIL_BYTES = 2000;

/** Worker processes when none are asked for: the machine's available parallelism. */
export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

class WorkerProcess<R> {
  readonly child: ChildProcess;
  readonly ready: Promise<boolean>;
  private stderrTail = '';
  private exited = false;
  private exitReason = '';
  private pending: { id: string; resolve: (value: { ok: true; value: R } | { ok: false; reason: string }) => void } | undefined;
  private readonly exitWaiters: Array<() => void> = [];

  constructor(workerFile: string, env: Readonly<Record<string, string>> | undefined) {
    const execArgv = isTypeScriptFile(workerFile) ? ['--import', createRequire(import.meta.url).resolve('tsx')] : [];
    this.child = fork(workerFile, [], {
      execArgv,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, ...env },
      serialization: 'advanced',
    });
    this.child.stdout?.resume(); // solvers' own chatter is not ours to print
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
    });
    let markReady: (ok: boolean) => void = () => {};
    this.ready = new Promise<boolean>((resolve) => (markReady = resolve));
    this.child.on('message', (message: FromWorker<R>) => {
      if (message.type === 'ready') markReady(true);
      else if (message.type === 'result' && this.pending?.id === message.id) {
        const p = this.pending;
        this.pending = undefined;
        p.resolve({ ok: true, value: message.value });
      } else if (message.type === 'failed' && this.pending?.id === message.id) {
        const p = this.pending;
        this.pending = undefined;
        p.resolve({ ok: false, reason: `the task failed in the worker: ${message.message}` });
      }
    });
    this.child.on('error', (error) => {
      this.exitReason = error.message;
    });
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      if (this.exitReason === '') this.exitReason = signal ? `killed by ${signal}` : `exited with code ${code}`;
      markReady(false);
      if (this.pending) {
        const p = this.pending;
        this.pending = undefined;
        p.resolve({ ok: false, reason: this.crashReason() });
      }
      for (const w of this.exitWaiters.splice(0)) w();
    });
  }

  get alive(): boolean {
    return !this.exited;
  }

  crashReason(): string {
    const tail = this.stderrTail.trim().split('\n').filter((l) => l.trim() !== '').slice(-3).join(' | ');
    return `the worker process ${this.exitReason}${tail ? `: ${tail}` : ''}`;
  }

  run(id: string, payload: unknown): Promise<{ ok: true; value: R } | { ok: false; reason: string }> {
    return new Promise((resolve) => {
      this.pending = { id, resolve };
      this.child.send({ type: 'run', id, payload }, (error) => {
        if (error && this.pending?.id === id) {
          this.pending = undefined;
          resolve({ ok: false, reason: `could not send the task to the worker: ${error.message}` });
        }
      });
    });
  }

  /** SIGKILL, and wait until the process is gone. */
  kill(): Promise<void> {
    if (this.exited) return Promise.resolve();
    const gone = new Promise<void>((resolve) => this.exitWaiters.push(resolve));
    this.child.kill('SIGKILL');
    return gone;
  }

  /** Asks the worker to end (closing the IPC channel); kills it if it is still there after `graceMs`. */
  async close(graceMs = 2000): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.exitWaiters.push(resolve));
    if (this.child.connected) this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await gone;
    clearTimeout(timer);
  }
}

/**
 * Worker processes started before their tasks are known. A worker's start-up (Node, then the worker module and all
 * it imports: for the bench worker every solver, loader and the runtime, about a second of CPU here) runs in its
 * own process, so started first it overlaps what the caller still has to do before the first task (importing and
 * planning a suite: about as long again) instead of following it. `runPool` takes them (`PoolOptions.prestarted`);
 * `close` ends those it did not take (idempotent; the caller calls it when it ends without running the pool), and
 * the process's exit kills them as it kills the pool's own.
 */
export class PrestartedWorkers {
  private readonly idle: Array<WorkerProcess<unknown>>;
  private readonly killAll = (): void => {
    for (const w of this.idle) if (w.alive) w.child.kill('SIGKILL');
  };

  constructor(
    readonly workerFile: string,
    count: number,
    env?: Readonly<Record<string, string>>,
  ) {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`prestartWorkers: count should be an integer >= 0, got ${count}`);
    this.idle = Array.from({ length: count }, () => new WorkerProcess<unknown>(workerFile, env));
    process.once('exit', this.killAll);
  }

  /** The process ids of the workers not yet taken. */
  pids(): number[] {
    return this.idle.flatMap((w) => (w.child.pid === undefined ? [] : [w.child.pid]));
  }

  /** A started worker for `workerFile`, or undefined when none is left (or they run another module). */
  take<R>(workerFile: string): WorkerProcess<R> | undefined {
    if (workerFile !== this.workerFile) return undefined;
    return this.idle.shift() as WorkerProcess<R> | undefined;
  }

  /** Kills the workers not taken (they never ran a task: nothing of theirs to wait for) and waits until they are gone. */
  async close(): Promise<void> {
    const rest = this.idle.splice(0);
    process.removeListener('exit', this.killAll);
    await Promise.all(rest.map((w) => w.kill()));
  }
}

/** Starts `count` workers of `workerFile` now, for a `runPool` that will follow (see PrestartedWorkers). */
export function prestartWorkers(workerFile: string, count: number, env?: Readonly<Record<string, string>>): PrestartedWorkers {
  return new PrestartedWorkers(workerFile, count, env);
}

/** Runs every task on the pool; resolves when all have an outcome and every worker has ended. */
export async function runPool<P, R>(tasks: readonly PoolTask<P>[], options: PoolOptions<P, R>): Promise<void> {
  if (!Number.isInteger(options.jobs) || options.jobs < 1) throw new RangeError(`jobs should be an integer >= 1, got ${options.jobs}`);
  try {
    await runLanes(tasks, options);
  } finally {
    await options.prestarted?.close();
  }
}

async function runLanes<P, R>(tasks: readonly PoolTask<P>[], options: PoolOptions<P, R>): Promise<void> {
  const queue = tasks.slice();
  const workers = new Set<WorkerProcess<R>>();
  const killAll = () => {
    for (const w of workers) if (w.alive) w.child.kill('SIGKILL');
  };
  process.once('exit', killAll);

  const lane = async (): Promise<void> => {
    let worker: WorkerProcess<R> | undefined;
    for (let task = queue.shift(); task !== undefined; task = queue.shift()) {
      if (!worker || !worker.alive) {
        worker = options.prestarted?.take<R>(options.workerFile) ?? new WorkerProcess<R>(options.workerFile, options.env);
        workers.add(worker);
      }
      const started = await worker.ready;
      const t0 = performance.now();
      if (!started) {
        await options.onOutcome(task, { kind: 'crash', elapsedMs: 0, reason: worker.crashReason() });
        continue;
      }
      options.onStart?.(task);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), task!.hardLimitMs)));
      const answer = await Promise.race([worker.run(task.id, task.payload), timedOut]);
      clearTimeout(timer);
      const elapsedMs = performance.now() - t0;
      if (answer === 'timeout') {
        await worker.kill();
        await options.onOutcome(task, { kind: 'timeout', elapsedMs });
      } else if (answer.ok) await options.onOutcome(task, { kind: 'result', value: answer.value, elapsedMs });
      else await options.onOutcome(task, { kind: 'crash', elapsedMs, reason: answer.reason });
    }
    if (worker) await worker.close();
  };

  try {
    await Promise.all(Array.from({ length: Math.min(options.jobs, Math.max(1, tasks.length)) }, lane));
  } finally {
    killAll();
    process.removeListener('exit', killAll);
  }
}

/**
 * The worker side: call once in the worker module. Answers every task with `handle(payload)`, one at a time, and
 * ends the process when the pool closes the channel.
 */
export function serveTasks<P, R>(handle: (payload: P) => Promise<R>): void {
  const send = process.send?.bind(process);
  if (!send) throw new Error('serveTasks: this module runs as a pool worker (child_process.fork), not on its own');
  let chain = Promise.resolve();
  process.on('message', (message: { type: string; id: string; payload: P }) => {
    if (message.type !== 'run') return;
    chain = chain.then(async () => {
      try {
        const value = await handle(message.payload);
        send({ type: 'result', id: message.id, value });
      } catch (error) {
        send({ type: 'failed', id: message.id, message: error instanceof Error ? error.message : String(error) });
      }
    });
  });
  process.on('disconnect', () => process.exit(0));
  exitWhenOrphaned();
  send({ type: 'ready' });
}

/** How often a pool worker checks that the process that forked it is still there (ms). */
const PARENT_CHECK_INTERVAL_MS = 250;

/**
 * Ends this worker process when its parent is gone (SIGKILL of the CLI: nobody sends 'disconnect' then, and no
 * 'exit' listener of the parent runs). The 'disconnect' event alone is not enough: a solver in a synchronous loop
 * never lets the main thread see it. A watchdog thread, whose event loop runs beside the solver's, sees the parent
 * pid change (the orphan is adopted by init or a subreaper) and kills the process.
 */
function exitWhenOrphaned(): void {
  const watchdog = new Worker(
    `const { workerData } = require('node:worker_threads');
     setInterval(() => { if (process.ppid !== workerData.parentPid) process.kill(process.pid, 'SIGKILL'); }, workerData.intervalMs);`,
    { eval: true, workerData: { parentPid: process.ppid, intervalMs: PARENT_CHECK_INTERVAL_MS }, stdout: false, stderr: false },
  );
  watchdog.unref();
}
