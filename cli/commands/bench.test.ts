import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test/run-cli.ts';
import { readResultsFile } from '../../benchmarks/runner/csv.ts';
import { REPO_ROOT } from '../../benchmarks/runner/plan.ts';

const bin = join(REPO_ROOT, 'bin', 'slotlab.js');

/** The whole launcher as a process, for the one run that must show what a user's terminal gets (the rest: runCli). */
function slotlab(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('slotlab bench (CLI)', () => {
  it.each([
    ['a truncated .stg', { file: join(REPO_ROOT, 'datasets/examples/bad/truncated.stg') }, 'heft', /truncated\.stg: line 5 should be task 3's line .* the file is truncated, got "the end of the file" \(suite .*bad\.json, group "g", cluster 2x1\)$/],
    ['a WfFormat file with a dangling parent', { file: join(REPO_ROOT, 'datasets/examples/bad/dangling-parent.wfformat.json') }, 'heft', /dangling-parent\.wfformat\.json: \$\.workflow\.specification\.tasks\[2\]\.parents\[1\] should be the id of a task/],
    ['an unknown solver', { data: 'stg/graphs/50/rand0000.stg' }, 'hefty', /bad\.json: \$\.groups\[0\]\.solvers\[0\] should be the name of a registered solver \(.*heft.*\), got "hefty"$/],
    ['a misspelt solver param', { data: 'stg/graphs/50/rand0000.stg' }, { name: 'first-fit', params: { slotsharing: 'task-balanced' } }, /bad\.json: \$\.groups\[0\]\.solvers\[0\]\.params\.slotsharing should be absent: no solver named first-fit takes it \(first-fit \(dag-placement\) takes slotSharing; first-fit \(slot-allocation\) takes no params;/],
    ['a mistyped solver param', { data: 'stg/graphs/50/rand0000.stg' }, { name: 'first-fit', params: { slotSharing: 2 } }, /bad\.json: \$\.groups\[0\]\.solvers\[0\]\.params\.slotSharing should be one of local-input, task-balanced, got 2$/],
  ])('stops on %s with one line and exit 1, before any run', async (_what, instance, solver, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'slotlab-cli-'));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ groups: [{ name: 'g', instances: [instance], clusters: ['2x1'], solvers: [solver] }] }));
    const r = await runCli('bench', join(dir, 'bad.json'), '--out', join(dir, 'out.csv'));
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^slotlab: /);
    expect(lines[0]).toMatch(message);
    expect(existsSync(join(dir, 'out.csv'))).toBe(false);
  });

  it('runs the smoke suite: plain progress lines off a terminal, the summary, a CSV that reads back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slotlab-cli-'));
    const r = slotlab(['bench', 'smoke', '--out', 'smoke.csv'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^suite smoke: \d+ runs/);
    expect(r.stderr).toMatch(/^\[ ?1\/\d+\] \d+\.\ds /m);
    expect(r.stdout).toMatch(/gap to opt\. \(rows\).*gap to best found \(rows\).*worst gap.*wins/);
    const rows = readResultsFile(join(dir, 'smoke.csv'));
    expect(r.stdout).toContain(`wrote ${rows.length} rows to smoke.csv`);
    expect(readFileSync(join(dir, 'smoke.csv'), 'utf8').split('\n')[0]).toMatch(/^suite,group,dataset,instance,model,variant,/);
  });
});

describe('slotlab compare (CLI)', () => {
  it('puts HEFT beside the exact optimum on the HEFT paper example (published HEFT makespan 80)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slotlab-cli-'));
    const r = await runCli('compare', join(REPO_ROOT, 'datasets/data/heft-fixtures/topcuoglu2002_fig2.json'), '--solvers', 'heft,bnb', '--csv', join(dir, 'c.csv'));
    expect(r.status, r.stderr).toBe(0);
    const rows = readResultsFile(join(dir, 'c.csv'));
    expect(rows.map((x) => [x.solver, x.status, x.valid])).toEqual([
      ['heft', 'feasible', true],
      ['bnb', 'optimal', true],
    ]);
    const [heft, bnb] = rows;
    expect(heft!.objective).toBe(80);
    expect(heft!.published_best_known).toBe(80);
    // The exact optimum is below HEFT's published schedule; HEFT's gap is measured against it.
    expect(bnb!.objective).toBeLessThan(80);
    expect(heft!.best_known).toBe(bnb!.objective);
    expect(heft!.gap_to_best_known).toBeCloseTo((80 - bnb!.objective!) / bnb!.objective!, 12);
    expect(r.stdout).toMatch(/│ heft +│ heuristic │ feasible │ +80 │/);
    expect(r.stdout).toMatch(/best known \d+ \(suite-exact\)/);
  });

  it('says what it runs before the first solver starts, then one progress line per finished solver (stderr)', async () => {
    const r = await runCli('compare', join(REPO_ROOT, 'datasets/data/heft-fixtures/topcuoglu2002_fig2.json'), '--solvers', 'heft,cpop,bnb');
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^topcuoglu2002-fig2 \(dag-placement, sequenced\)/);
    expect(lines[1]).toBe('objective: makespan (ms); 3 solvers, 10s each');
    // solvers run one at a time (--jobs 1), so the lines come in solver order, numbered
    expect(lines.slice(2).map((l) => l.replace(/ [\d.]+s /, ' _ ').replace(/\([\d.]+ ms\)/, '(_)'))).toEqual([
      '[1/3] _ heft-fixtures/topcuoglu2002_fig2.json heft seed=1: feasible 80 (_)',
      '[2/3] _ heft-fixtures/topcuoglu2002_fig2.json cpop seed=1: feasible 86 (_)',
      '[3/3] _ heft-fixtures/topcuoglu2002_fig2.json bnb seed=1: optimal 73 (_)',
    ]);
    expect((await runCli('compare', join(REPO_ROOT, 'datasets/data/heft-fixtures/topcuoglu2002_fig2.json'), '--solvers', 'heft', '--no-progress')).stderr.trimEnd().split('\n')).toHaveLength(2);
  });

  it('says in one line when a solver does not apply to the instance', async () => {
    const r = await runCli('compare', join(REPO_ROOT, 'datasets/data/heft-fixtures/topcuoglu2002_fig2.json'), '--solvers', 'heft,lpt');
    expect(r.status).toBe(1);
    expect(r.stderr.trimEnd()).toMatch(/^slotlab: solver "lpt" solves load-balancing instances, not dag-placement; solvers for dag-placement: .*$/);
  });
});
