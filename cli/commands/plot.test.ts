import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli as slotlab } from '../test/run-cli.ts';
import { rowsToCsv } from '../../benchmarks/runner/csv.ts';
import { blankRow } from '../../benchmarks/runner/test-rows.ts';
import { heftPaperExpected } from '../../datasets/loaders/heft-paper.ts';
import { PNG_SIGNATURE } from '../../benchmarks/report/render.ts';

// `slotlab plot` (cli/commands/plot.ts), each command run in-process as the launcher runs it (cli/test/run-cli.ts).

describe('slotlab plot', () => {
  const dir = mkdtempSync(join(tmpdir(), 'slotlab-plot-'));
  const csv = join(dir, 'tiny.csv');
  writeFileSync(
    csv,
    rowsToCsv([
      blankRow({ solver: 'heft', objective: 131, gap_to_best_known: 0, best_known: 131, best_known_source: 'published-optimum', run_id: 'a' }),
      blankRow({ solver: 'random', objective: 170, gap_to_best_known: 39 / 131, best_known: 131, best_known_source: 'published-optimum', run_id: 'b' }),
    ]),
  );

  it('writes SVG and PNG beside the CSV by default, an index, and says what it could not draw', async () => {
    const r = await slotlab('plot', csv);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = join(dir, 'tiny-plots');
    for (const name of ['summary-dag-placement', 'gap-dag-placement', 'solve-time-dag-placement']) {
      expect(readFileSync(join(out, `${name}.svg`), 'utf8')).toMatch(/^<svg /);
      expect([...readFileSync(join(out, `${name}.png`)).subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    }
    expect(r.stdout).toMatch(/not drawn: predicted-vs-measured: no row has both predicted_completion and measured_completion/);
    expect(readFileSync(join(out, 'index.md'), 'utf8')).toMatch(/## DAG placement: gap to best known per solver/);
  });

  it('--no-png, --only and --out-dir', async () => {
    const out = join(dir, 'only-gap');
    expect((await slotlab('plot', csv, '--only', 'gap', '--no-png', '--out-dir', out)).status).toBe(0);
    expect(existsSync(join(out, 'gap-dag-placement.svg'))).toBe(true);
    expect(existsSync(join(out, 'gap-dag-placement.png'))).toBe(false);
    expect(existsSync(join(out, 'summary-dag-placement.svg'))).toBe(false);
  });

  it('refuses bad input in one line naming the file or option, exit 1', async () => {
    const missing = await slotlab('plot', join(dir, 'missing.csv'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^slotlab: .*missing\.csv: file should be an existing results CSV \(write one with: slotlab bench/);
    const notResults = join(dir, 'other.csv');
    writeFileSync(notResults, 'a,b\n1,2\n');
    expect((await slotlab('plot', notResults)).stderr).toMatch(/other\.csv: line 1 \(header\) should be the slotlab result header/);
    expect((await slotlab('plot', csv, '--only', 'pie')).stderr).toBe('slotlab: --only: pie: is not a plot kind; the kinds are summary, gap, solve-time, predicted-vs-measured, cluster-policies\n');
    for (const r of [missing, await slotlab('plot', csv, '--scale', '0')]) expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('slotlab plot <instance> --schedule', () => {
  const dir = mkdtempSync(join(tmpdir(), 'slotlab-gantt-'));
  const heftExample = join('datasets', 'data', 'heft-fixtures', 'topcuoglu2002_fig2.json');

  it('without --schedule: the job graph and the cluster', async () => {
    const out = join(dir, 'drawings');
    const r = await slotlab('plot', heftExample, '--out-dir', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const name of ['job-topcuoglu2002-fig2', 'cluster-topcuoglu2002-fig2']) {
      expect(readFileSync(join(out, `${name}.svg`), 'utf8')).toMatch(/^<svg /);
      expect([...readFileSync(join(out, `${name}.png`)).subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    }
  });

  it('a solver name: runs it and writes the Gantt chart as SVG and PNG', async () => {
    const out = join(dir, 'heft.svg');
    const r = await slotlab('plot', heftExample, '--schedule', 'heft', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Schedule of topcuoglu2002-fig2 (heft): makespan 80 ms; schedule from solver heft');
    expect(readFileSync(out, 'utf8')).toMatch(/^<svg [^]*bars_marks/);
    expect([...readFileSync(join(dir, 'heft.png')).subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  });

  it('a schedule file (the paper\'s HEFT schedule, Fig. 4a), into --out-dir, SVG only', async () => {
    const file = join(dir, 'paper-heft.json');
    writeFileSync(file, JSON.stringify(heftPaperExpected().heftSchedule));
    const out = join(dir, 'plots');
    const r = await slotlab('plot', heftExample, '--schedule', file, '--out-dir', out, '--no-png');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('(paper-heft.json): makespan 80 ms');
    expect(existsSync(join(out, 'gantt-topcuoglu2002-fig2-paper-heft.svg'))).toBe(true);
    expect(existsSync(join(out, 'gantt-topcuoglu2002-fig2-paper-heft.png'))).toBe(false);
  });

  it('refuses an instance of another model, an invalid schedule, and --schedule on a results CSV, in one line each, exit 1', async () => {
    const missing = await slotlab('plot', join('datasets', 'examples', 'load-balancing.json'));
    expect(missing.stderr).toMatch(/^slotlab: .*load-balancing\.json: the instance: slotlab plot draws DAG placement instances \(job graph, cluster, schedule\), but this is a load-balancing instance\n$/);
    const overlapping = join(dir, 'overlap.json');
    const paper = heftPaperExpected().heftSchedule;
    writeFileSync(overlapping, JSON.stringify({ assignments: paper.assignments.map((a) => (a.subtask === 'n2#0' ? { ...a, taskManager: 'P3' } : a)) }));
    const invalid = await slotlab('plot', heftExample, '--schedule', overlapping);
    expect(invalid.stderr).toMatch(/^slotlab: overlap\.json: --schedule: is not a valid sequenced schedule of topcuoglu2002-fig2: \d+ violations?, first: /);
    const csv = join(dir, 'r.csv');
    writeFileSync(csv, rowsToCsv([blankRow({ solver: 'heft', objective: 80, run_id: 'a' })]));
    const onCsv = await slotlab('plot', csv, '--schedule', 'heft');
    expect(onCsv.stderr).toMatch(/^slotlab: --schedule: heft: draws the schedule of an instance, but .*r\.csv is a results CSV/);
    for (const r of [missing, invalid, onCsv]) {
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
