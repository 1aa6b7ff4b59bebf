import { fileURLToPath } from 'node:url';
import { Worker, type TransferListItem } from 'node:worker_threads';
import { isTypeScriptFile } from '../../models/package-files.ts';
import type { FromClusterTaskManager, FromJobTaskManager, FromTaskManager, TaskManagerWorkerData, ToTaskManager } from './protocol.ts';

/** The TaskManager worker's entry: the compiled `task-manager.js`, or from source a bootstrap that registers tsx in
 *  the worker thread (module hooks are per thread) and then loads `task-manager.ts`. */
const TASK_MANAGER_ENTRY = isTypeScriptFile(fileURLToPath(import.meta.url)) ? new URL('./bootstrap.mjs', import.meta.url) : new URL('./task-manager.js', import.meta.url);

/**
 * The main thread's handle on one TaskManager worker thread (`task-manager.ts`), which hosts the subtasks of any
 * number of jobs: `runPlacement` starts one per TaskManager of its job and terminates it at the end; the cluster
 * runtime starts one per TaskManager for the life of the cluster (with `TaskManagerWorkerData`: it registers and
 * heartbeats) and every JobMaster deploys its job onto them. Job messages go to the job's listener (by job key),
 * the rest (registration, heartbeats) to `onClusterMessage`.
 */
/** The cluster's ResourceManager declared a TaskManager lost (epoch ms, as `nowMs()`). */
export interface TaskManagerLoss {
  /** Why, for the JobMasters' failure messages (`no heartbeat for 812 ms (heartbeat.timeout 500 ms)`). */
  readonly reason: string;
  /** When it went silent: its last heartbeat, or the start of an injected stall. */
  readonly sinceMs: number;
  readonly declaredAtMs: number;
  /**
   * The detection time the recovery model expects for this kind of loss, decided before it happened: the
   * `heartbeat.timeout` for a TaskManager declared lost because it went silent, 0 for a worker that exited.
   */
  readonly expectedDetectionMs: number;
}

export class TaskManagerThread {
  readonly worker: Worker;
  readonly threadId: number;
  /** Resolves with the exit code once the thread has exited. */
  readonly exited: Promise<number>;
  exitCode: number | null = null;
  /** Set once the cluster fenced it (`fence`). */
  loss: TaskManagerLoss | undefined;
  /** When `kill` terminated it (epoch ms). */
  killedAtMs: number | undefined;
  /** Heartbeats it sent after it was fenced (ignored). */
  fencedHeartbeats = 0;
  private readonly jobs = new Map<string, (m: FromJobTaskManager) => void>();
  private readonly exitListeners = new Set<(exitCode: number) => void>();
  private readonly errorListeners = new Set<(error: Error) => void>();

  constructor(
    readonly taskManager: string,
    data?: TaskManagerWorkerData,
    private readonly onClusterMessage: (m: FromClusterTaskManager) => void = () => undefined,
  ) {
    this.worker = new Worker(TASK_MANAGER_ENTRY, { stdout: false, stderr: false, ...(data === undefined ? {} : { workerData: data }) });
    this.threadId = this.worker.threadId;
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', (code) => {
        this.exitCode = code;
        for (const l of this.exitListeners) l(code);
        resolve(code);
      }),
    );
    this.worker.on('error', (error) => {
      for (const l of this.errorListeners) l(error);
    });
    this.worker.on('message', (m: FromTaskManager) => {
      if (this.loss !== undefined) {
        if (m.type === 'heartbeat') this.fencedHeartbeats++;
        return;
      }
      if ('job' in m) this.jobs.get(m.job)?.(m);
      else this.onClusterMessage(m);
    });
  }

  post(message: ToTaskManager, transfer: readonly TransferListItem[] = []): void {
    if (this.exitCode === null) this.worker.postMessage(message, transfer);
  }

  /** Listens to one job's messages, the thread's errors and its exit, until the returned function is called. */
  attach(job: string, handlers: { message(m: FromJobTaskManager): void; error(error: Error): void; exit(exitCode: number): void }): () => void {
    this.jobs.set(job, handlers.message);
    this.errorListeners.add(handlers.error);
    this.exitListeners.add(handlers.exit);
    return () => {
      this.jobs.delete(job);
      this.errorListeners.delete(handlers.error);
      this.exitListeners.delete(handlers.exit);
    };
  }

  /** Terminates the thread as a crash would (fault injection), noting when. */
  kill(): Promise<number> {
    if (this.exitCode === null && this.killedAtMs === undefined) this.killedAtMs = performance.timeOrigin + performance.now();
    return this.terminate();
  }

  /**
   * The ResourceManager declared this TaskManager lost. It is fenced, as Flink fences a TaskManager whose
   * registration ended: nothing it sends any more is taken (a stalled TaskManager that resumes heartbeating is not
   * heard, only counted in `fencedHeartbeats`), it is told to cancel every job it hosts, and every job listener hears
   * of the loss as of an exit (it reads `loss`). The thread runs on until terminated.
   */
  fence(loss: TaskManagerLoss): void {
    if (this.loss !== undefined || this.exitCode !== null) return;
    this.loss = loss;
    this.worker.postMessage({ type: 'fence' } satisfies ToTaskManager);
    for (const l of [...this.exitListeners]) l(-1);
  }

  terminate(): Promise<number> {
    void this.worker.terminate();
    return this.exited;
  }
}
