import { spawnSync } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../cli/main.ts';
import { CORPUS_DIR, corpus, MANIFEST } from './bad-input/make-corpus.ts';

/**
 * The bad-input corpus (test/bad-input/, written by make-corpus.ts): every file is refused with exit code 1 and
 * one line on stderr that names the file and the field, within 5 s, and nothing on stdout (no case is accepted
 * silently). A table of flag cases does the same for command-line values. A few of the worst cases also go
 * through the real launcher as a process (special files, a billion subtasks or TaskManagers, deep nesting).
 */

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'slotlab.js');
const work = mkdtempSync(join(tmpdir(), 'slotlab-bad-input-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** Runs the CLI in this process; what it writes to stdout and stderr is captured, not printed. */
async function slotlab(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string; elapsedMs: number }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const t0 = performance.now();
  try {
    const code = await main(args);
    return { code, stdout, stderr, elapsedMs: performance.now() - t0 };
  } finally {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  }
}

const { files, cases } = corpus();
const relativeCorpus = relative(root, CORPUS_DIR);

describe('the corpus on disk', () => {
  it('is what make-corpus.ts writes, one case per file, at least 250 cases', () => {
    expect(readdirSync(CORPUS_DIR).sort()).toEqual([...files.keys()].sort());
    for (const [file, content] of files) expect(readFileSync(join(CORPUS_DIR, file), file.includes('utf16') ? 'latin1' : 'utf8'), file).toBe(content);
    expect(JSON.parse(readFileSync(MANIFEST, 'utf8'))).toEqual(cases);
    expect(cases.length).toBeGreaterThanOrEqual(250);
  });
});

describe('every bad file: exit 1, one line naming the file and the field, within 5 s', () => {
  it.each(cases.map((c) => [c.file, c] as const))('%s', async (_name, c) => {
    const path = join(relativeCorpus, c.file);
    const r = await slotlab(c.args.map((a) => (a === '{file}' ? path : a)));
    expect(r.stdout).toBe('');
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n');
    expect(lines, r.stderr).toHaveLength(2); // one line and its newline
    expect(lines[0]).toMatch(/^slotlab: /);
    expect(lines[0]).toContain(path);
    expect(lines[0]).toContain(c.field);
    expect(lines[0]).not.toMatch(/Maximum call stack|\bat \S+:\d+:\d+|ENOENT|EISDIR/);
    if (c.file.includes('1e309')) expect(lines[0]).not.toContain('got null'); // Infinity is named as such
    expect(r.elapsedMs).toBeLessThan(5000);
  });
});

const HEFT = 'datasets/data/heft-fixtures/topcuoglu2002_fig2.json';
const SA = 'datasets/examples/slot-allocation.json';

/** [arguments, the flag the line must start with, text it must contain]. */
const FLAG_CASES: ReadonlyArray<readonly [readonly string[], string, string]> = [
  [['solve', HEFT, '-s', 'heft', '--cluster', '1000000000x1'], '--cluster', 'exceed the limit of 10000'],
  [['solve', HEFT, '-s', 'heft', '--cluster', '10x1000000000'], '--cluster', 'exceed the limit of 100000'],
  [['solve', HEFT, '-s', 'heft', '--cluster', '0x1'], '--cluster', 'at least one TaskManager'],
  [['solve', HEFT, '-s', 'heft', '--cluster', '2x0'], '--cluster', 'at least one slot'],
  [['solve', HEFT, '-s', 'heft', '--cluster', 'big'], '--cluster', 'should look like 4x1'],
  [['solve', HEFT, '-s', 'heft', '--cluster', '2x1@1'], '--cluster', 'speed factors'],
  [['solve', HEFT, '-s', 'heft', '--cluster', '2x1@1,0'], '--cluster', 'speed factors'],
  [['solve', HEFT, '-s', 'heft', '--cluster', '2x1', '--task-managers', '3'], '--task-managers', 'cannot be given with --cluster'],
  [['solve', HEFT, '-s', 'heft', '--variant', 'greedy'], '--variant', 'should be one of'],
  [['solve', HEFT, '-s', 'heft', '--seed', 'x'], '--seed', 'should be an integer'],
  [['solve', HEFT, '-s', 'bnb', '--time-limit', 'soon'], '--time-limit', 'should be a duration'],
  [['solve', HEFT, '-s', 'bnb', '--time-limit', '1000000000m'], '--time-limit', 'at most 2147483647 ms'],
  [['solve', SA, '-s', 'first-fit', '--out', '/nonexistent-slotlab-dir/answer.json'], '--out', 'its folder does not exist'],
  [['solve', SA, '-s', 'first-fit', '--out', tmpdir()], '--out', 'it is a folder'],
  [['run', HEFT, '-p', 'heft', '--time-scale', '1e9'], '--time-scale', 'at most 60000'],
  [['run', HEFT, '-p', 'heft', '--time-scale', '0'], '--time-scale', 'should be a number > 0'],
  [['run', HEFT, '-p', 'heft', '--time-scale', '-1'], '--time-scale', 'should be a number > 0'],
  [['run', HEFT, '-p', 'heft', '--time-scale', 'fast'], '--time-scale', 'should be a number > 0'],
  [['run', HEFT, '-p', 'heft', '--time-scale', 'Infinity'], '--time-scale', 'should be a number > 0'],
  [['run', HEFT, '-p', 'heft', '--time-scale', ''], '--time-scale', 'should be a number > 0'],
  [['run', HEFT, '-p', 'heft', '--timeout', '1e12'], '--timeout', 'should be a duration'],
  [['run', HEFT, '-p', 'heft', '--timeout', '100000000'], '--timeout', 'at most 2147483647 ms'],
  [['run', HEFT, '-p', 'heft', '--credits', '-1'], '--credits', 'from 0 to 10000'],
  [['run', HEFT, '-p', 'heft', '--credits', '1000000000'], '--credits', 'from 0 to 10000'],
  [['run', HEFT, '-p', 'heft', '--batch-records', '0'], '--batch-records', 'from 1 to 1000000'],
  [['run', HEFT, '-p', 'heft', '--batch-records', '1e9'], '--batch-records', 'from 1 to 1000000'],
  [['run', HEFT, '-p', 'heft', '--mode', 'eager'], '--mode', 'should be one of'],
  [['run', HEFT, '-p', 'heft', '--inject', 'kill:P1@soon'], '--inject', 'kill takes a time (250ms) or a record count'],
  [['run', HEFT, '-p', 'heft', '--inject', 'explode:P1@1rec'], '--inject', 'unknown fault kind "explode"'],
  [['run', HEFT, '-p', 'heft', '--inject', 'kill:P9@10rec'], '--inject', 'names TaskManager "P9", which the cluster of topcuoglu2002-fig2 does not have'],
  [['run', HEFT, '-p', 'heft', '--restart-strategy', 'sometimes'], '--restart-strategy', 'should start with one of none, fixed-delay'],
  [['run', HEFT, '-p', 'heft', '--restart-strategy', 'fixed-delay:attempts=0'], '--restart-strategy', 'should be a whole number >= 1'],
  [['run', HEFT, '-p', 'heft', '--checkpoint-interval', '0'], '--checkpoint-interval', 'should be a number of ms > 0'],
  [['run', HEFT, '-p', 'heft', '--checkpoint-interval', '100'], '--checkpoint-interval', 'needs --mode pipelined'],
  [['run', HEFT, '-p', 'heft', '--failover', 'partial'], '--failover', 'should be full or region'],
  [['bench', 'smoke', '--jobs', '0'], '--jobs', 'should be at least 1'],
  [['bench', 'smoke', '--jobs', 'many'], '--jobs', 'should be an integer'],
  [['bench', 'smoke', '--jobs', '-3'], '--jobs', 'should be at least 1'],
];

describe('bad flag values: exit 1, one line naming the flag', () => {
  it.each(FLAG_CASES.map((c) => [c[0].join(' '), c] as const))('%s', async (_name, [args, flag, text]) => {
    const r = await slotlab(args);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n'), r.stderr).toHaveLength(2);
    expect(r.stderr).toMatch(new RegExp(`^slotlab: (\\S+: )?${flag}: `));
    expect(r.stderr).toContain(text);
    expect(r.elapsedMs).toBeLessThan(5000);
  });
});

describe('through the launcher, as a process', () => {
  function launch(args: readonly string[]) {
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    return { ...r, elapsedMs: Date.now() - t0 };
  }

  it('a FIFO as the instance is refused at once (reading it would wait for a writer forever)', () => {
    const fifo = join(work, 'instance.json');
    execFileSync('mkfifo', [fifo]);
    const r = launch(['solve', fifo, '-s', 'heft']);
    expect(r.signal).toBe(null);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`slotlab: ${fifo}: the path should be a regular file, not a named pipe (FIFO)\n`);
    expect(r.elapsedMs).toBeLessThan(5000 + 5000); // process start-up on a loaded machine, plus the 5 s bound
  });

  it('/dev/zero as the instance is refused (it never ends)', () => {
    const r = launch(['solve', '/dev/zero', '-s', 'heft']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('slotlab: /dev/zero: the path should be a regular file, not a character device\n');
  });

  it('a directory as the instance is refused', () => {
    mkdirSync(join(work, 'dir.json'), { recursive: true });
    const r = launch(['solve', join(work, 'dir.json'), '-s', 'heft']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`slotlab: ${join(work, 'dir.json')}: the path should be a file, not a directory\n`);
  });

  it.each([
    ['dp.job.operators.0.parallelism.billion.json', 'job.operators[0].parallelism: 1000000000 subtasks exceed the limit of 2000000'],
    ['dp.cluster.taskManagers.0.slotCount.billion.json', 'cluster.taskManagers[0].slotCount: 1000000000 slots up to this TaskManager exceed the limit of 100000'],
    ['sa.taskManagers.0.slotCount.billion.json', 'taskManagers[0].slotCount: 1000000000 slots up to this TaskManager exceed the limit of 100000'],
    ['file.deep-lists.json', 'line 1 column 65 should be JSON nested at most 64 objects or lists deep'],
  ])('%s: one line, no out-of-memory dump or stack overflow', (file, text) => {
    const path = join(relativeCorpus, file);
    const c = cases.find((x) => x.file === file)!;
    const r = launch(c.args.map((a) => (a === '{file}' ? path : a)));
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toContain(`slotlab: ${path}`);
    expect(r.stderr).toContain(text);
  });

  it('a JSON instance with a UTF-8 byte-order mark is read: the mark is dropped, not refused with an invisible cause', () => {
    const file = join(work, 'bom.json');
    writeFileSync(file, `\uFEFF${readFileSync(join(root, SA), 'utf8')}`);
    const r = launch(['solve', file, '-s', 'first-fit', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: true });
  });

  it('--cluster 1000000000x1 is refused before a TaskManager is built', () => {
    const r = launch(['solve', HEFT, '-s', 'heft', '--cluster', '1000000000x1']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('slotlab: --cluster: 1000000000x1: 1000000000 TaskManagers exceed the limit of 10000 (docs/formats.md, "Limits")\n');
  });

  it('--time-scale 1e9 is refused without a single TimeoutOverflowWarning', () => {
    const r = launch(['run', HEFT, '-p', 'heft', '--time-scale', '1e9']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('slotlab: --time-scale: 1e9: should be a number > 0 and at most 60000 (ms per model unit)\n');
  });
});
