/**
 * MiniZinc in a worker thread: the `minizinc` npm package (MiniZinc 2 compiled to WebAssembly, with the Chuffed
 * lazy clause generation solver and Gecode in the same binary; MPL-2.0) run in Node.
 *
 * The package's Node entry starts a native `minizinc` executable, which this machine does not have; its browser
 * build runs the WebAssembly in a Web Worker (`minizinc-worker.js`). Here that worker script runs in a Node
 * `worker_threads` Worker behind a small shim: `addEventListener('message')` and `postMessage` mapped to the
 * worker's `parentPort`, and `require`/`__dirname` given to the Emscripten loader, which then reads
 * `minizinc.wasm` and `minizinc.data` from the package's directory. The protocol is the package's own: a first
 * message with the two file locations, then one message per run with the files (name → text) and the command-line
 * arguments; the worker answers `{ type: 'exit', code, stdout, stderr }`.
 *
 * One worker per run, always terminated: when the run ends, when `hardDeadline` (performance.now() ms) passes, or
 * when `signal` aborts. No thread is left behind (`liveMiniZincWorkers` counts them for the tests).
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';

export interface MiniZincRun {
  /** minizinc's exit code; undefined when the run was stopped (deadline, abort) before it exited. */
  readonly exitCode?: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Why the run was stopped from outside, if it was. */
  readonly stopped?: 'deadline' | 'aborted';
  /**
   * With `jsonStream`: every message minizinc streamed before it exited or was stopped (`{ type: 'solution', output:
   * { dzn } }`, `{ type: 'status', status }`, `{ type: 'statistics', statistics }`, …), so a run stopped at its hard
   * deadline keeps the solutions it had printed.
   */
  readonly messages: readonly MiniZincMessage[];
  /** The files named in `outputFiles`, as the run left them (null: not written). */
  readonly outputFiles?: Readonly<Record<string, string | null>>;
}

export interface MiniZincMessage {
  readonly type: string;
  readonly [field: string]: unknown;
}

export interface MiniZincRunOptions {
  /** Files by name (e.g. `model.mzn`, `data.dzn`), written to the worker's in-memory file system. */
  readonly files: Readonly<Record<string, string>>;
  /** minizinc's command line after the program name, e.g. `['model.mzn', 'data.dzn', '--solver', 'chuffed']`. */
  readonly args: readonly string[];
  /** minizinc's `--json-stream`: solutions, status and statistics as messages while it runs (`messages`). */
  readonly jsonStream?: boolean;
  /** Files to read back from the worker's file system after the run (e.g. a FlatZinc file written with `--fzn`). */
  readonly outputFiles?: readonly string[];
  /** performance.now() ms at which the worker is terminated whatever it is doing. */
  readonly hardDeadline?: number;
  readonly signal?: AbortSignal;
}

/**
 * The shim, run as the worker's (CommonJS) main script; `workerData`: the path of minizinc-worker.js and a shared
 * flag the shim sets as soon as minizinc has finished (search complete, or exit), readable by a thread that is busy.
 */
const SHIM = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const script = workerData.script;
const finished = new Int32Array(workerData.finished);
const listeners = [];
globalThis.addEventListener = (type, listener) => { if (type === 'message') listeners.push(listener); };
globalThis.postMessage = (message) => {
  const done = message && (message.type === 'exit' || (message.type === 'status' && (message.status === 'OPTIMAL_SOLUTION' || message.status === 'UNSATISFIABLE')));
  if (done) Atomics.store(finished, 0, 1);
  parentPort.postMessage(message);
};
globalThis.require = require;
globalThis.__dirname = path.dirname(script);
globalThis.__filename = script;
parentPort.on('message', (data) => { for (const listener of listeners) listener({ data }); });
vm.runInThisContext(fs.readFileSync(script, 'utf8'), { filename: script });
`;

let live = 0;
/** Worker threads running MiniZinc right now (0 whenever no solve is under way). */
export function liveMiniZincWorkers(): number {
  return live;
}

let workerScript: string | undefined;
function minizincWorkerScript(): string {
  workerScript ??= createRequire(import.meta.url).resolve('minizinc/minizinc-worker.js');
  return workerScript;
}

/** A MiniZinc worker, started at once (its WebAssembly loads while the caller does other work), for one run. */
export interface MiniZincSession {
  /** The run; the session is closed when it ends (exit, hard deadline, abort). */
  run(options: MiniZincRunOptions): Promise<MiniZincRun>;
  /** Terminates the worker if it still runs (idempotent; always call it, e.g. in `finally`). */
  close(): Promise<void>;
  /**
   * Set to 1 (Atomics) as soon as minizinc has finished its run: its search complete, or it exited. A busy thread
   * (a search racing it, see cp/solve.ts) reads it without waiting for the worker's messages.
   */
  readonly finished: Int32Array;
}

export function openMiniZinc(): MiniZincSession {
  const script = minizincWorkerScript();
  const dir = dirname(script);
  const finished = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(SHIM, { eval: true, workerData: { script, finished: finished.buffer }, stdout: true, stderr: true });
  live++;
  worker.stdout.resume();
  worker.stderr.resume();
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= worker.terminate().then(
      () => {
        live--;
      },
      () => {
        live--;
      },
    ));
  type Listener = (m: { type?: string; code?: number; stdout?: string; stderr?: string; message?: string; outputFiles?: Record<string, string | null> }) => void;
  let onMessage: Listener | undefined;
  let onFailure: ((error: Error) => void) | undefined;
  let failure: Error | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    onFailure?.(error);
  };
  worker.on('message', (m) => onMessage?.(m));
  worker.on('error', (error) => fail(new Error(`MiniZinc (WebAssembly) worker failed: ${error.message}`)));
  worker.on('exit', () => fail(new Error('MiniZinc (WebAssembly) worker exited without an answer')));
  worker.postMessage({ wasmURL: `${dir}/minizinc.wasm`, dataURL: `${dir}/minizinc.data` });
  let used = false;
  const run = (options: MiniZincRunOptions) =>
    new Promise<MiniZincRun>((resolve, reject) => {
      if (used) throw new Error('a MiniZinc session runs once');
      used = true;
      const messages: MiniZincMessage[] = [];
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = (outcome: { run?: MiniZincRun; error?: Error }) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        void close().finally(() => (outcome.error ? reject(outcome.error) : resolve(outcome.run!)));
      };
      const onAbort = () => finish({ run: { stdout: '', stderr: '', stopped: 'aborted', messages } });
      if (options.signal?.aborted) return onAbort();
      if (failure || closed) return finish({ error: failure ?? new Error('the MiniZinc session was closed') });
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.hardDeadline !== undefined && Number.isFinite(options.hardDeadline))
        timer = setTimeout(() => finish({ run: { stdout: '', stderr: '', stopped: 'deadline', messages } }), Math.max(0, options.hardDeadline - performance.now()));
      onFailure = (error) => finish({ error });
      onMessage = (m) => {
        if (m.type === 'exit')
          finish({ run: { exitCode: m.code ?? -1, stdout: m.stdout ?? '', stderr: m.stderr ?? (m.message ? `${m.message}\n` : ''), messages, ...(m.outputFiles ? { outputFiles: m.outputFiles } : {}) } });
        else if (m.type === 'error' && !options.jsonStream) finish({ error: new Error(`MiniZinc (WebAssembly): ${m.message ?? 'error'}`) });
        else if (m.type !== 'ready') messages.push(m as MiniZincMessage);
      };
      worker.postMessage({ files: options.files, args: options.args, jsonStream: options.jsonStream === true, ...(options.outputFiles ? { outputFiles: options.outputFiles } : {}) });
    });
  return { run, close, finished };
}

/** One run in a worker of its own (`openMiniZinc` + `run` + `close`). */
export async function runMiniZinc(options: MiniZincRunOptions): Promise<MiniZincRun> {
  const session = openMiniZinc();
  try {
    return await session.run(options);
  } finally {
    await session.close();
  }
}
