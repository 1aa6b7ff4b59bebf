import { existsSync } from 'node:fs';
import { InstanceFormatError, OptionError } from '../../models/errors.ts';
import type { ResultRow } from './columns.ts';
import { readResultsFile } from './csv.ts';
import { planSuite, planVersion, type Plan } from './plan.ts';
import { applyReferences } from './references.ts';
import { readSuiteFile, resolveSuitePath } from './suite.ts';

/**
 * `slotlab merge a.csv b.csv ... --out all.csv`: the result files of the shards of one suite (`bench --shard i/N`)
 * become one file, as if one bench had run the whole suite. Checked first, each as one line naming the files:
 * every row is of one suite and one suite version (plan.ts `planVersion`, the `suite_version` column), and that
 * version is the suite's as it is now (the suite, or the data it reads, has not changed since the shards ran).
 * Then the rows are put in plan order, the references and gaps recomputed over all of them (a shard's own gaps saw
 * only its rows), and every run of the plan that no file has (missing) or that several rows have (duplicated;
 * the first, in the order the files were given, is kept) is reported.
 */

export interface ShardFile {
  readonly file: string;
  readonly rows: readonly ResultRow[];
}

export interface DuplicateRun {
  readonly runId: string;
  /** Every file that has a row of the run, once per row (a file may hold it twice). */
  readonly files: readonly string[];
}

export interface MergeOutcome {
  readonly suite: string;
  readonly version: string;
  /** The merged rows: plan order, references and gaps over all rows, the first row of each duplicated run. */
  readonly rows: readonly ResultRow[];
  /** Run ids of the plan that no file has. */
  readonly missing: readonly string[];
  readonly duplicates: readonly DuplicateRun[];
  /** The `shard` values found (`2/4`; `whole` for rows of an unsharded bench), in order. */
  readonly shards: readonly string[];
  /** Shards `i/N` that no file has a row of, for every N found (a shard may also have had no run at all). */
  readonly shardsWithoutRows: readonly string[];
}

/** Reads the shard files; a file that does not exist or is not a slotlab result CSV is one line naming it. */
export function readShardFiles(files: readonly string[]): ShardFile[] {
  return files.map((file) => {
    if (!existsSync(file)) throw new InstanceFormatError(file, 'the path', 'an existing result CSV (the --out of `slotlab bench --shard`)', 'no such file');
    return { file, rows: readResultsFile(file) };
  });
}

/** The suite and version every row shares; any other row is one line naming both files. */
export function commonIdentity(shards: readonly ShardFile[]): { readonly suite: string; readonly version: string } {
  let first: { suite: string; version: string; file: string } | undefined;
  for (const { file, rows } of shards)
    rows.forEach((row, i) => {
      const at = `line ${i + 2}`;
      if (row.suite_version === null) throw new InstanceFormatError(file, `${at}, column suite_version`, 'the suite version that `slotlab bench` writes (this row is not from a bench of a suite)');
      if (first === undefined) first = { suite: row.suite, version: row.suite_version, file };
      else if (row.suite !== first.suite)
        throw new InstanceFormatError(file, `${at}, column suite`, `"${first.suite}" as in ${first.file}: merge takes the shards of one suite`, row.suite);
      else if (row.suite_version !== first.version)
        throw new InstanceFormatError(file, `${at}, column suite_version`, `${first.version} as in ${first.file}: merge takes the shards of one suite version (the suite or its data changed between the shards' runs)`, row.suite_version);
    });
  if (first === undefined) throw new InstanceFormatError(shards.map((s) => s.file).join(', '), 'rows', 'at least one result row in the files to merge (every file holds the header only)');
  return { suite: first.suite, version: first.version };
}

/**
 * The plan the shards were run from: `suite` (a name or a file) or, when it is not given, the shipped suite the
 * rows name; refused when its version is not the rows' version.
 */
export function planOfShards(shards: readonly ShardFile[], suite: string | undefined): { readonly plan: Plan; readonly version: string } {
  const identity = commonIdentity(shards);
  let path: string;
  try {
    path = resolveSuitePath(suite ?? identity.suite);
  } catch (error) {
    if (suite !== undefined) throw error;
    throw new OptionError('--suite', `the shards are of suite "${identity.suite}", which is not a shipped suite: give its file with --suite FILE`);
  }
  const plan = planSuite(readSuiteFile(path));
  if (plan.suite.name !== identity.suite)
    throw new InstanceFormatError(shards[0]!.file, 'column suite', `"${plan.suite.name}", the suite of ${path} (--suite)`, identity.suite);
  const version = planVersion(plan);
  if (version !== identity.version) {
    const file = shards.find((s) => s.rows.length > 0)!.file;
    throw new InstanceFormatError(file, 'column suite_version', `${version}, the version of suite ${identity.suite} as ${path} and its data are now (they changed since the shards ran: rerun the shards)`, identity.version);
  }
  return { plan, version };
}

/** Merges shard files run from `plan` (see the file's comment); checks identity first. */
export function mergeShards(shards: readonly ShardFile[], plan: Plan): MergeOutcome {
  const { suite, version } = commonIdentity(shards);
  const kept = new Map<string, ResultRow>();
  const seenIn = new Map<string, string[]>();
  const shardValues = new Set<string>();
  for (const { file, rows } of shards)
    for (const row of rows) {
      shardValues.add(row.shard ?? 'whole');
      if (!kept.has(row.run_id)) kept.set(row.run_id, row);
      const files = seenIn.get(row.run_id) ?? [];
      files.push(file);
      seenIn.set(row.run_id, files);
    }
  const position = new Map(plan.runs.map((r, i) => [r.runId, i]));
  const inPlan = [...kept.values()].filter((r) => position.has(r.run_id)).sort((a, b) => position.get(a.run_id)! - position.get(b.run_id)!);
  const foreign = [...kept.values()].filter((r) => !position.has(r.run_id));
  const missing = plan.runs.filter((r) => !kept.has(r.runId)).map((r) => r.runId);
  const duplicates = [...seenIn].filter(([, files]) => files.length > 1).map(([runId, files]) => ({ runId, files }));

  const shardsSeen = [...shardValues].sort(compareShards);
  const counts = new Set(shardsSeen.filter((s) => s !== 'whole').map((s) => Number(s.split('/')[1])));
  const shardsWithoutRows: string[] = [];
  for (const n of [...counts].sort((a, b) => a - b)) for (let i = 1; i <= n; i++) if (!shardValues.has(`${i}/${n}`)) shardsWithoutRows.push(`${i}/${n}`);
  return { suite, version, rows: applyReferences([...inPlan, ...foreign]), missing, duplicates, shards: shardsSeen, shardsWithoutRows };
}

function compareShards(a: string, b: string): number {
  const [ai, an] = a.split('/').map(Number);
  const [bi, bn] = b.split('/').map(Number);
  if (a === 'whole' || b === 'whole') return a === b ? 0 : a === 'whole' ? -1 : 1;
  return an! - bn! || ai! - bi!;
}

/** The report's lines: what was merged, then what is missing or duplicated (at most `listed` run ids of each). */
export function describeMerge(outcome: MergeOutcome, plan: Plan, listed = 10): string[] {
  const lines = [`suite ${outcome.suite} (version ${outcome.version}): ${outcome.rows.length} rows from shards ${outcome.shards.join(', ')}; the plan has ${plan.runs.length} runs`];
  const list = (ids: readonly string[]) => ids.slice(0, listed).map((id) => `  ${id}`).concat(ids.length > listed ? [`  ... and ${ids.length - listed} more`] : []);
  if (outcome.missing.length === 0) lines.push('missing: none (every run of the plan has a row)');
  else lines.push(`missing: ${outcome.missing.length} runs of the plan have no row in any file:`, ...list(outcome.missing));
  if (outcome.shardsWithoutRows.length > 0) lines.push(`shards without any row: ${outcome.shardsWithoutRows.join(', ')} (a missing file, or a shard with no runs)`);
  if (outcome.duplicates.length === 0) lines.push('duplicated: none');
  else
    lines.push(
      `duplicated: ${outcome.duplicates.length} runs have more than one row (the first is kept):`,
      ...list(outcome.duplicates.map((d) => `${d.runId} in ${d.files.join(', ')}`)),
    );
  const foreign = outcome.rows.length - (plan.runs.length - outcome.missing.length);
  if (foreign > 0) lines.push(`${foreign} rows are not runs of the plan; they are kept at the end of the file`);
  return lines;
}
