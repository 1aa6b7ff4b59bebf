import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { runBench } from './bench.ts';
import { readResultsFile } from './csv.ts';
import { COLUMN_NAMES } from './columns.ts';
import { REPO_ROOT } from './plan.ts';
import { readSuiteFile, resolveSuitePath } from './suite.ts';
import { planSuite } from './plan.ts';
import { MODEL_KINDS } from '../../models/model-kind.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'slotlab-bench-'));

describe('runBench on the smoke suite', () => {
  it('writes one valid row per run, reads back identically with papaparse, and resumes without rerunning', async () => {
    const out = join(tmp(), 'smoke.csv');
    const plan = planSuite(readSuiteFile(resolveSuitePath('smoke')));
    const first = await runBench({ suite: 'smoke', out, jobs: 2 });
    expect(first.ran).toBe(plan.runs.length);
    expect(first.rows.map((r) => r.run_id).sort()).toEqual(plan.runs.map((r) => r.runId).sort());
    // All three models; every row that has a solution passed the validator.
    expect(new Set(first.rows.map((r) => r.model))).toEqual(new Set(MODEL_KINDS));
    for (const row of first.rows) {
      expect(row.status, `${row.run_id}: ${row.note}`).not.toBe('invalid');
      if (row.valid !== null) expect(row.valid).toBe(true);
    }
    // The file is papaparse CSV with the documented header, and reads back into exactly the returned rows.
    const text = readFileSync(out, 'utf8');
    expect(Papa.parse(text, { header: true, skipEmptyLines: true }).meta.fields).toEqual([...COLUMN_NAMES]);
    expect(readResultsFile(out)).toEqual(first.rows);
    // The summary covers every (model, solver).
    expect(first.summaries.reduce((t, s) => t + s.runs, 0)).toBe(plan.runs.length);

    const again = await runBench({ suite: 'smoke', out, jobs: 2, resume: true });
    expect(again.ran).toBe(0);
    expect(again.skipped).toBe(plan.runs.length);
    expect(readResultsFile(out)).toEqual(first.rows);
  });
});

describe('runBench with a hung run', () => {
  it('records the overrun as timeout, kills it, finishes the rest, and --resume fills in missing rows only', async () => {
    const dir = tmp();
    const suiteFile = join(dir, 'hang.json');
    writeFileSync(
      suiteFile,
      JSON.stringify({
        timeLimitMs: 4000,
        groups: [{ name: 'sa', instances: [{ file: join(REPO_ROOT, 'datasets/examples/slot-allocation.json') }], solvers: ['milp:lp-solver'], seeds: [1, 666, 2] }],
      }),
    );
    const out = join(dir, 'hang.csv');
    const workerFile = fileURLToPath(new URL('./bench.test-worker.ts', import.meta.url));
    // No wall-time assertion (the machine may be loaded): the hung run's row says it was killed at the limit.
    const result = await runBench({ suite: suiteFile, out, jobs: 1, workerFile });
    expect(result.rows.map((r) => [r.seed, r.status])).toEqual([
      [1, 'optimal'],
      [666, 'timeout'],
      [2, 'optimal'],
    ]);
    const hung = result.rows[1]!;
    expect(hung).toMatchObject({ model: 'slot-allocation', task_managers: 4, objective: null, valid: null, solve_ms: null });
    expect(hung.run_ms).toBeGreaterThanOrEqual(3990);
    expect(hung.note).toMatch(/killed: still running at the hard per-run limit of 4000 ms/);
    expect(result.summaries[0]).toMatchObject({ solver: 'milp:lp-solver', runs: 3, solved: 2, timeouts: 1 });

    // Drop a row from the file: --resume runs only that one.
    const rows = readResultsFile(out);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    writeFileSync(out, `${[lines[0], lines[1], lines[2]].join('\n')}\n`);
    const resumed = await runBench({ suite: suiteFile, out, jobs: 1, workerFile, resume: true });
    expect(resumed.ran).toBe(1);
    expect(resumed.rows.map((r) => r.run_id)).toEqual(rows.map((r) => r.run_id));
    expect(resumed.rows[2]).toMatchObject({ seed: 2, status: 'optimal', objective: rows[2]!.objective });
  });

  it('stops before running anything when the suite names an unknown solver', async () => {
    const dir = tmp();
    const suiteFile = join(dir, 'bad.json');
    writeFileSync(suiteFile, JSON.stringify({ groups: [{ name: 'sa', instances: [{ file: join(REPO_ROOT, 'datasets/examples/slot-allocation.json') }], solvers: ['milp', 'no-such-solver'] }] }));
    const out = join(dir, 'never.csv');
    await expect(runBench({ suite: suiteFile, out })).rejects.toThrow(/bad\.json: \$\.groups\[0\]\.solvers\[1\] should be the name of a registered solver \(.*\), got "no-such-solver"/);
    expect(() => readFileSync(out)).toThrow();
  });
});
