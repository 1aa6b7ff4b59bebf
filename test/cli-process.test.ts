import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The CLI as a process: bin/slotlab.js runs the compiled dist/cli/main.js (built by `npm test` before vitest starts)
 * in-process on plain Node. Checked here: `--help` loads none of the heavy modules, a missing build is one line,
 * every worker the CLI starts runs from dist/ without tsx, and a large result piped to a slow reader arrives whole.
 */

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'slotlab.js');
const work = mkdtempSync(join(tmpdir(), 'slotlab-cli-process-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` first (`npm test` builds before it runs the tests)');
});

function slotlab(args: readonly string[], nodeArgs: readonly string[] = []) {
  return spawnSync(process.execPath, [...nodeArgs, bin, ...args], { cwd: root, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
}

describe('slotlab --help', () => {
  it('loads the command definitions only: no loader, solver, runtime, benchmark runner or plotting module', () => {
    // A resolve hook that prints every module URL the process resolves (module.register, Node >= 20.6).
    const hooks = join(work, 'log-resolve.mjs');
    writeFileSync(hooks, 'export async function resolve(specifier, context, next) {\n  const r = await next(specifier, context);\n  process.stderr.write(`resolved ${r.url}\\n`);\n  return r;\n}\n');
    const register = `data:text/javascript,import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(hooks).href)});`;
    const r = slotlab(['--help'], ['--import', register]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Commands:[\s\S]*solve[\s\S]*bench[\s\S]*run/);
    const resolved = r.stderr.split('\n').filter((l) => l.startsWith('resolved ')).map((l) => l.slice('resolved '.length));
    expect(resolved).toContain(pathToFileURL(join(root, 'dist', 'cli', 'main.js')).href);
    const heavy = resolved.filter((url) =>
      /\/node_modules\/(vega|vega-lite|highs|javascript-lp-solver|zod|@resvg|cli-table3|papaparse|tsx)\/|\/dist\/(solver|datasets\/loaders|benchmarks\/report\/render|runtime\/job-master)/.test(url),
    );
    expect(heavy).toEqual([]);
    expect(resolved.filter((url) => url.endsWith('.ts'))).toEqual([]);
  });

  it('says in one line how to build when dist/ is missing', () => {
    const lonely = join(work, 'no-build');
    mkdirSync(join(lonely, 'bin'), { recursive: true });
    copyFileSync(bin, join(lonely, 'bin', 'slotlab.js'));
    const r = spawnSync(process.execPath, [join(lonely, 'bin', 'slotlab.js'), '--help'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^slotlab: the compiled CLI .*dist\/cli\/main\.js is missing: run `npm ci` or `npm run build` in /);
  });
});

describe('workers started from the compiled CLI (no tsx)', () => {
  const heftPaper = 'datasets/data/heft-fixtures/topcuoglu2002_fig2.json';

  it.each(['milp:highs', 'milp:lp-solver'])('%s runs its worker thread from dist/ and proves the slot allocation example optimal (4)', (solver) => {
    const r = slotlab(['solve', 'datasets/examples/slot-allocation.json', '--solver', solver, '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const answer = JSON.parse(r.stdout) as { status: string; valid: boolean; objective: number; backend: string };
    expect(answer).toMatchObject({ status: 'optimal', valid: true, backend: solver.slice('milp:'.length) });
    // 16 slots, at most 5 + 3 + 4 = 12 used: 4 free slots at least, and Σ free² is smallest with one free per
    // TaskManager (feasible: 3, 3, 1, 5 used), so the optimum is 4.
    expect(answer.objective).toBe(4);
  });

  it('run starts the TaskManager workers from dist/ and executes the HEFT schedule (predicted 80 ms)', () => {
    const r = slotlab(['run', heftPaper, '--placement', 'heft', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as { predictedMs: number; measuredMs: number; subtasks: unknown[]; workers: number };
    expect(report.predictedMs).toBe(80);
    expect(report.subtasks).toHaveLength(10);
    expect(report.workers).toBe(3);
    expect(report.measuredMs).toBeGreaterThan(0);
  });
});

describe('output and exit', () => {
  it('a --json result above 1 MB piped to a reader that waits 1 s arrives whole, with the exit code', () => {
    // 16,000 subtasks on 4 slots, scheduled round robin: one JSON line of about 1.3 MB.
    const instance = join(work, 'wide.json');
    writeFileSync(
      instance,
      JSON.stringify({
        format: 'slotlab/dag-placement@1',
        name: 'wide',
        variant: 'sequenced',
        job: {
          operators: [
            { id: 'source', parallelism: 8000, workMs: 1 },
            { id: 'sink', parallelism: 8000, workMs: 1 },
          ],
          edges: [{ from: 'source', to: 'sink', partitioning: 'forward', bytes: 0 }],
        },
        cluster: { taskManagers: [{ id: 'tm1', slotCount: 2 }, { id: 'tm2', slotCount: 2 }] },
      }),
    );
    const out = join(work, 'wide.out.json');
    const quote = (s: string): string => `'${s.replaceAll("'", "'\\''")}'`;
    const pipeline = `set -o pipefail; ${quote(process.execPath)} ${quote(bin)} solve ${quote(instance)} --solver round-robin --json | (sleep 1; cat > ${quote(out)})`;
    const r = spawnSync('bash', ['-c', pipeline], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.length).toBeGreaterThan(1_000_000);
    const answer = JSON.parse(text) as { valid: boolean; solution: { assignments: unknown[] } };
    expect(answer.valid).toBe(true);
    expect(answer.solution.assignments).toHaveLength(16_000);
  });

  it('a reader that leaves early (| head -c 100): no stack trace, exit 141 (128 + SIGPIPE), as a shell reports it', () => {
    const quote = (s: string): string => `'${s.replaceAll("'", "'\\''")}'`;
    // the 1.3 MB answer of the test above (wide.json) is far more than a pipe holds: the reader takes 100 bytes and leaves
    const instance = join(work, 'wide.json');
    const pipeline = `${quote(process.execPath)} ${quote(bin)} solve ${quote(instance)} --solver round-robin --json | head -c 100; echo "exit=\${PIPESTATUS[0]}" >&2`;
    const r = spawnSync('bash', ['-c', pipeline], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r.stdout).toMatch(/^\{"instance":"wide"/);
    expect(r.stdout).toHaveLength(100);
    expect(r.stderr).toBe('exit=141\n');
  });
});
