import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InstanceFormatError } from '../../models/errors.ts';
import { runBench } from './bench.ts';
import type { ResultRow } from './columns.ts';
import { readResultsFile } from './csv.ts';
import { commonIdentity, describeMerge, mergeShards, planOfShards, readShardFiles, type ShardFile } from './merge.ts';
import { planSuite, planVersion, type Plan } from './plan.ts';
import { readSuiteFile, resolveSuitePath } from './suite.ts';
import { blankRow } from './test-rows.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'slotlab-merge-'));

describe('mergeShards', () => {
  let plan: Plan;
  let version: string;
  beforeAll(() => {
    plan = planSuite(readSuiteFile(resolveSuitePath('smoke')));
    version = planVersion(plan);
  });
  const row = (i: number, shard: string, extra: Partial<ResultRow> = {}) => blankRow({ suite: 'smoke', run_id: plan.runs[i]!.runId, suite_version: version, shard, ...extra });

  it('puts the rows of all shards in plan order and reports nothing missing when every run has one row', () => {
    const a: ShardFile = { file: 'a.csv', rows: [8, 2, 0, 4].map((i) => row(i, '1/2')) };
    const b: ShardFile = { file: 'b.csv', rows: [9, 7, 5, 3, 1, 6].map((i) => row(i, '2/2')) };
    const outcome = mergeShards([a, b], plan);
    expect(outcome.rows.map((r) => r.run_id)).toEqual(plan.runs.map((r) => r.runId));
    expect(outcome.missing).toEqual([]);
    expect(outcome.duplicates).toEqual([]);
    expect(outcome.shards).toEqual(['1/2', '2/2']);
    expect(outcome.shardsWithoutRows).toEqual([]);
    expect(describeMerge(outcome, plan)).toEqual([`suite smoke (version ${version}): 10 rows from shards 1/2, 2/2; the plan has 10 runs`, 'missing: none (every run of the plan has a row)', 'duplicated: none']);
  });

  it('reports missing runs, shards without rows and duplicated runs (keeping the first row, in file order)', () => {
    const a: ShardFile = { file: 'a.csv', rows: [row(0, '1/3', { objective: 1 }), row(1, '1/3'), row(0, '1/3', { objective: 2 })] };
    const b: ShardFile = { file: 'b.csv', rows: [row(1, '2/3'), row(2, '2/3')] };
    const outcome = mergeShards([a, b], plan);
    expect(outcome.missing).toEqual(plan.runs.slice(3).map((r) => r.runId));
    expect(outcome.duplicates).toEqual([
      { runId: plan.runs[0]!.runId, files: ['a.csv', 'a.csv'] },
      { runId: plan.runs[1]!.runId, files: ['a.csv', 'b.csv'] },
    ]);
    expect(outcome.rows.map((r) => r.run_id)).toEqual(plan.runs.slice(0, 3).map((r) => r.runId));
    expect(outcome.rows[0]!.objective).toBe(1);
    expect(outcome.rows[1]!.shard).toBe('1/3');
    expect(outcome.shardsWithoutRows).toEqual(['3/3']);
    const report = describeMerge(outcome, plan, 2);
    expect(report).toContain('missing: 7 runs of the plan have no row in any file:');
    expect(report).toContain('  ... and 5 more');
    expect(report).toContain('shards without any row: 3/3 (a missing file, or a shard with no runs)');
    expect(report).toContain(`  ${plan.runs[1]!.runId} in a.csv, b.csv`);
  });

  it('refuses shards of different suites or versions with one line naming both files', () => {
    const a: ShardFile = { file: 'a.csv', rows: [row(0, '1/2')] };
    const other: ShardFile = { file: 'b.csv', rows: [blankRow({ suite: 'default', run_id: 'default|x', suite_version: version, shard: '2/2' })] };
    expect(() => commonIdentity([a, other])).toThrow(InstanceFormatError);
    expect(() => commonIdentity([a, other])).toThrow(/^b\.csv: line 2, column suite should be "smoke" as in a\.csv: merge takes the shards of one suite, got "default"$/);
    const older: ShardFile = { file: 'c.csv', rows: [row(1, '2/2', { suite_version: '0123456789ab' })] };
    expect(() => mergeShards([a, older], plan)).toThrow(/^c\.csv: line 2, column suite_version should be [0-9a-f]{12} as in a\.csv: merge takes the shards of one suite version .*got "0123456789ab"$/);
    const unstamped: ShardFile = { file: 'd.csv', rows: [row(1, '2/2', { suite_version: null })] };
    expect(() => commonIdentity([a, unstamped])).toThrow(/^d\.csv: line 2, column suite_version should be the suite version that `slotlab bench` writes/);
    expect(() => commonIdentity([{ file: 'e.csv', rows: [] }])).toThrow(/^e\.csv: rows should be at least one result row/);
  });

  it('refuses shards whose version is not the suite\'s as it is now, and a missing file', () => {
    const stale: ShardFile = { file: 'a.csv', rows: [row(0, '1/2', { suite_version: 'ffffffffffff' })] };
    expect(() => planOfShards([stale], undefined)).toThrow(/^a\.csv: column suite_version should be [0-9a-f]{12}, the version of suite smoke as .*smoke\.json and its data are now \(they changed since the shards ran: rerun the shards\), got "ffffffffffff"$/);
    expect(planOfShards([{ file: 'a.csv', rows: [row(0, '1/2')] }], undefined).version).toBe(version);
    expect(() => readShardFiles([join(tmp(), 'gone.csv')])).toThrow(/gone\.csv: the path should be an existing result CSV .*, got "no such file"$/);
  });
});

describe('bench --shard and merge, end to end on the smoke suite', () => {
  // Three benches of the smoke suite (two shards at once, then the whole): about 15 s on a quiet machine, a minute or
  // more on a loaded one, hence the longer limit.
  it('2 shards merged give the runs and statuses of one run; a shard resumes its own file only', { timeout: 240_000 }, async () => {
    const dir = tmp();
    const [one, two] = await Promise.all([
      runBench({ suite: 'smoke', out: join(dir, 's1.csv'), jobs: 1, shard: { index: 1, count: 2 } }),
      runBench({ suite: 'smoke', out: join(dir, 's2.csv'), jobs: 1, shard: { index: 2, count: 2 } }),
    ]);
    expect(one.ran + two.ran).toBe(one.plan.runs.length);
    expect(one.rows.every((r) => r.shard === '1/2') && two.rows.every((r) => r.shard === '2/2')).toBe(true);
    const whole = await runBench({ suite: 'smoke', out: join(dir, 'whole.csv'), jobs: 2 });
    expect(whole.rows.every((r) => r.shard === null && r.suite_version === one.rows[0]!.suite_version)).toBe(true);

    const shards = readShardFiles([join(dir, 's1.csv'), join(dir, 's2.csv')]);
    const { plan } = planOfShards(shards, undefined);
    const merged = mergeShards(shards, plan);
    expect(merged.missing).toEqual([]);
    expect(merged.duplicates).toEqual([]);
    const key = (rows: readonly ResultRow[]) => rows.map((r) => [r.run_id, r.status, r.valid, r.objective]);
    expect(key(merged.rows)).toEqual(key(whole.rows));
    // References and gaps are recomputed over all shards, as one bench computes them.
    expect(merged.rows.map((r) => [r.best_known, r.best_known_source, r.gap_to_best_known])).toEqual(whole.rows.map((r) => [r.best_known, r.best_known_source, r.gap_to_best_known]));

    const again = await runBench({ suite: 'smoke', out: join(dir, 's1.csv'), jobs: 1, shard: { index: 1, count: 2 }, resume: true });
    expect(again.ran).toBe(0);
    expect(readResultsFile(join(dir, 's1.csv'))).toEqual(one.rows);
    await expect(runBench({ suite: 'smoke', out: join(dir, 's1.csv'), jobs: 1, shard: { index: 2, count: 2 }, resume: true })).rejects.toThrow(
      /s1\.csv: holds rows of shard 1\/2 \(column shard\), but this bench runs shard 2\/2: --resume continues the file of the same shard$/,
    );
  });
});
