import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readResultsFile } from '../benchmarks/runner/csv.ts';
import type { ResultRow } from '../benchmarks/runner/columns.ts';

/**
 * Signals through the real launcher (bin/slotlab.js, compiled dist/): SIGINT, SIGTERM and SIGHUP end `slotlab bench`
 * and `slotlab run` with exit code 128 + the signal's number, SIGKILL ends the CLI and its pool workers notice,
 * and 3 s later no process of the run is alive. Every process a test starts carries a unique marker in its
 * environment (inherited by the pool workers), so the tests find them in /proc. An interrupted bench's CSV holds
 * whole rows only, and `--resume` completes it to the rows of an uninterrupted run.
 */

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'slotlab.js');
const work = mkdtempSync(join(tmpdir(), 'slotlab-signals-'));
const started: ChildProcess[] = [];
let markerCount = 0;

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  // 27 STG graphs x 3 clusters x 3 deterministic heuristics = 243 runs, a few seconds on one worker.
  writeFileSync(
    join(work, 'signals.json'),
    JSON.stringify({
      description: 'signal tests: deterministic heuristics only, so that every run gives the same row',
      timeLimitMs: 20000,
      seeds: [1],
      groups: [{ name: 'stg-50', instances: [{ data: 'stg/graphs/50/*.stg' }], clusters: ['2x1', '4x1', '8x1'], variant: 'sequenced', solvers: ['heft', 'cpop', 'round-robin'] }],
    }),
  );
});
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
afterAll(() => {
  for (const pid of markedPids(work)) process.kill(pid, 'SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

/** Pids of the live processes whose environment holds SLOTLAB_TEST_MARKER=<marker> (zombies are not alive). */
function markedPids(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
      const state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1];
      if (state !== 'Z' && environ.split('\0').includes(`SLOTLAB_TEST_MARKER=${marker}`)) pids.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return pids;
}

interface Started {
  readonly child: ChildProcess;
  readonly marker: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function start(args: readonly string[]): Started {
  const marker = `${work}/marker-${++markerCount}`;
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, SLOTLAB_TEST_MARKER: marker }, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdout!.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, marker, exited };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, condition: () => boolean, limitMs = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!condition()) {
    if (Date.now() - t0 > limitMs) throw new Error(`gave up waiting for ${what}`);
    await sleep(50);
  }
}

function dataRows(csv: string): number {
  return existsSync(csv) ? readFileSync(csv, 'utf8').split('\n').filter((l) => l !== '').length - 1 : 0;
}

/** A row without the columns that measure this machine at this moment. */
function stable(row: ResultRow): Partial<ResultRow> {
  const { solve_ms: _s, run_ms: _r, peak_rss_mb: _p, ...rest } = row;
  return rest;
}

function bench(out: string, resume = false): Started {
  return start(['bench', join(work, 'signals.json'), '--out', out, '--jobs', '1', '--no-progress', ...(resume ? ['--resume'] : [])]);
}

async function noneAliveWithin3s(marker: string): Promise<void> {
  const t0 = Date.now();
  while (markedPids(marker).length > 0 && Date.now() - t0 < 3000) await sleep(100);
  expect(markedPids(marker)).toEqual([]);
}

describe('slotlab bench, interrupted', () => {
  let reference: Array<Partial<ResultRow>>;

  beforeAll(async () => {
    const out = join(work, 'uninterrupted.csv');
    const run = bench(out);
    const end = await run.exited;
    expect(end.stderr).not.toMatch(/stopped by/);
    expect(end.code).toBe(0);
    reference = readResultsFile(out).map(stable);
    expect(reference).toHaveLength(243);
  }, 120_000);

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
    ['SIGKILL', null],
  ] as const)('%s mid-run: the CLI and its workers are gone within 3 s, the CSV holds whole rows, --resume completes it to the uninterrupted rows', async (signal, exitCode) => {
    const out = join(work, `${signal}.csv`);
    const run = bench(out);
    await waitFor('the first 20 rows', () => dataRows(out) >= 20);
    expect(markedPids(run.marker).length).toBeGreaterThanOrEqual(2); // the CLI and its pool worker
    run.child.kill(signal);
    const end = await run.exited;
    if (exitCode === null) expect(end.signal).toBe('SIGKILL');
    else {
      expect(end.code).toBe(exitCode);
      expect(end.stderr.trimEnd().split('\n').at(-1)).toBe(`slotlab: stopped by ${signal}`);
    }
    await noneAliveWithin3s(run.marker);
    const partial = readResultsFile(out); // every line parses as a whole row
    expect(partial.length).toBeGreaterThanOrEqual(20);
    expect(partial.length).toBeLessThan(243);
    expect(existsSync(`${out}.lock`)).toBe(signal === 'SIGKILL'); // released on exit; a SIGKILLed owner leaves a stale lock

    const resumed = bench(out, true);
    const after = await resumed.exited;
    expect(after.stderr).toContain(`${partial.length} already in the output file, ${243 - partial.length} to run`);
    expect(after.code).toBe(0);
    expect(readResultsFile(out).map(stable)).toEqual(reference);
    expect(existsSync(`${out}.lock`)).toBe(false);
    await noneAliveWithin3s(resumed.marker);
  }, 120_000);

  it('a second bench on the same CSV is refused while the first runs, naming the process that holds it', async () => {
    const out = join(work, 'locked.csv');
    const first = bench(out);
    await waitFor('the first rows', () => dataRows(out) >= 1);
    // Stopped (SIGSTOP), the first bench cannot finish while the second one starts, however loaded the machine.
    first.child.kill('SIGSTOP');
    const second = spawnSync(process.execPath, [bin, 'bench', join(work, 'signals.json'), '--out', out, '--resume', '--no-progress'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(second.status).toBe(1);
    expect(second.stderr).toBe(`slotlab: ${out}: is being written by process ${first.child.pid} (lock file ${out}.lock); wait for it to end or stop it\n`);
    first.child.kill('SIGTERM'); // delivered once it continues
    first.child.kill('SIGCONT');
    expect((await first.exited).code).toBe(143);
    expect(existsSync(`${out}.lock`)).toBe(false);
    await noneAliveWithin3s(first.marker);
  }, 120_000);
});

describe('slotlab run, interrupted', () => {
  const heftPaper = 'datasets/data/heft-fixtures/topcuoglu2002_fig2.json';

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
    ['SIGKILL', null],
  ] as const)('%s while the TaskManager workers run (predicted 8 s): gone within 3 s', async (signal, exitCode) => {
    // 80 model units at 100 ms each: 8 s of execution, interrupted after 2 s.
    const run = start(['run', heftPaper, '--placement', 'heft', '--time-scale', '100', '--json']);
    await sleep(2000);
    expect(run.child.exitCode).toBe(null);
    run.child.kill(signal);
    const end = await run.exited;
    if (exitCode === null) expect(end.signal).toBe('SIGKILL');
    else {
      expect(end.code).toBe(exitCode);
      expect(end.stderr).toBe(`slotlab: stopped by ${signal}\n`);
    }
    await noneAliveWithin3s(run.marker);
  }, 60_000);
});

/** CPU time (user + system, clock ticks) of a process so far, from /proc/<pid>/stat; undefined once it is gone. */
function cpuTicks(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
  } catch {
    return undefined;
  }
}

describe('SIGKILL while a worker is inside a long synchronous solve', () => {
  // rand0001 on 4 processors is one of the hard STG rows: the DAG branch and bound searches synchronously for half of
  // the 120 s limit before the MILP takes over, so its pool worker's main thread never returns to its event loop.
  const hard = 'datasets/data/stg/graphs/50/rand0001.stg';

  it('slotlab bench: the pool worker, busy in the branch and bound, notices the CLI is gone (watchdog thread) within 3 s', async () => {
    writeFileSync(
      join(work, 'busy.json'),
      JSON.stringify({ description: 'one long synchronous exact solve', timeLimitMs: 120000, seeds: [1], groups: [{ name: 'hard', instances: [{ data: 'stg/graphs/50/rand0001.stg' }], clusters: ['4x1'], variant: 'sequenced', solvers: ['bnb'] }] }),
    );
    const run = start(['bench', join(work, 'busy.json'), '--out', join(work, 'busy.csv'), '--jobs', '1', '--no-progress']);
    let worker: number | undefined;
    await waitFor('the pool worker', () => (worker = markedPids(run.marker).find((pid) => pid !== run.child.pid)) !== undefined);
    // Busy: its CPU time grows while it searches (it has started solving: the CLI has no other work).
    const before = cpuTicks(worker!)!;
    await waitFor('the pool worker to compute', () => (cpuTicks(worker!) ?? before) > before + 50); // 0.5 s of CPU at 100 ticks/s
    const busyAt = cpuTicks(worker!)!;
    await sleep(300);
    expect(cpuTicks(worker!)!).toBeGreaterThan(busyAt); // still computing: nothing answered the task yet
    expect(dataRows(join(work, 'busy.csv'))).toBe(0);
    run.child.kill('SIGKILL');
    expect((await run.exited).signal).toBe('SIGKILL');
    await noneAliveWithin3s(run.marker);
  }, 60_000);

  it('slotlab solve: the solve, its HiGHS worker thread included, ends with the process', async () => {
    const run = start(['solve', hard, '--task-managers', '4', '--variant', 'sequenced', '--solver', 'milp', '--time-limit', '120s', '--json']);
    await waitFor('the CLI to compute', () => (cpuTicks(run.child.pid!) ?? 0) > 100);
    run.child.kill('SIGKILL');
    expect((await run.exited).signal).toBe('SIGKILL');
    await noneAliveWithin3s(run.marker);
  }, 60_000);
});

describe('slotlab bench, limits of the pool and the output file', () => {
  it('--jobs above the available cores is capped, with a note', async () => {
    const { availableParallelism } = await import('node:os');
    const cores = availableParallelism();
    writeFileSync(join(work, 'tiny.json'), JSON.stringify({ description: 'one run', timeLimitMs: 20000, seeds: [1], groups: [{ name: 'g', instances: [{ data: 'heft-fixtures/topcuoglu2002_fig2.json' }], solvers: ['heft'] }] }));
    const out = join(work, 'tiny.csv');
    const run = start(['bench', join(work, 'tiny.json'), '--out', out, '--jobs', String(cores + 62), '--no-progress']);
    const end = await run.exited;
    expect(end.code).toBe(0);
    expect(end.stderr).toContain(`note: --jobs ${cores + 62} capped at ${cores}, the cores available to this process\n`);
    expect(end.stderr).toContain(`on ${cores} workers`);
    expect(readResultsFile(out)).toHaveLength(1);
    await noneAliveWithin3s(run.marker);
  }, 60_000);

  it('--out naming a folder is one line naming it, and no lock is left', async () => {
    const folder = join(work, 'a-folder.csv');
    mkdirSync(folder, { recursive: true });
    const run = start(['bench', join(work, 'signals.json'), '--out', folder, '--no-progress']);
    const end = await run.exited;
    expect(end.code).toBe(1);
    expect(end.stderr).toBe(`slotlab: ${folder}: is a folder; --out names the result CSV\n`);
    expect(existsSync(`${folder}.lock`)).toBe(false);
  }, 60_000);
});
