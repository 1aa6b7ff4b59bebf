import { existsSync } from 'node:fs';
import { InstanceFormatError, OptionError } from '../../models/errors.ts';
import type { ResultRow } from './columns.ts';
import { readResultsFile } from './csv.ts';
import type { RunSpec } from './plan.ts';
import { softTimeLimitMs } from './time-limits.ts';

/**
 * Sharding a suite: `slotlab bench <suite> --shard i/N` runs shard i of N, a deterministic part of the suite's runs,
 * so that N machines (a Slurm job array, a Kubernetes Indexed Job) or N processes share a campaign and
 * `slotlab merge` (merge.ts) puts the N result files back together.
 *
 * The shards are balanced by **predicted run time**, not by count: one exact run at its time limit weighs as much as
 * thousands of heuristic runs. The partition is LPT (longest processing time first; Graham, "Bounds on
 * multiprocessing timing anomalies", SIAM J. Appl. Math. 17(2), 1969): the runs, longest predicted first (ties by
 * run id), each go to the shard with the least predicted time so far (ties: fewer runs, then the lower index).
 * Its largest shard is at most 4/3 of the optimum, and at most the mean plus the longest single run. Every shard
 * computes the whole partition from the same plan and the same predictions and takes its own part, so the N
 * processes agree without talking to each other; each shard runs its runs in the order of `shardRunOrder`.
 *
 * Predictions come from `predictRunMs` (the solver's time limit, the instance's size and the runtime execution
 * the suite asks for), or from the measured `run_ms` of an earlier result file of the same suite
 * (`--shard-times previous.csv`); all N shards must be given the same file.
 */

/** Shard `index` (1-based) of `count`. */
export interface ShardSpec {
  readonly index: number;
  readonly count: number;
}

/** `2/4`: the CSV's `shard` column and what `--shard` takes. */
export function formatShard(spec: ShardSpec): string {
  return `${spec.index}/${spec.count}`;
}

/** The most shards `--shard` takes (Slurm's default MaxArraySize is 1001). */
export const MAX_SHARDS = 100_000;

/** Parses `i/N` (1 ≤ i ≤ N); anything else is one OptionError naming the flag. */
export function parseShardSpec(text: string, flag = '--shard'): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw OptionError.flag(flag, text, 'should be i/N, shard i of N shards with whole numbers 1 <= i <= N (for example 2/4)');
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) throw OptionError.flag(flag, text, 'should have at least 1 shard (N >= 1 in i/N)');
  if (count > MAX_SHARDS) throw OptionError.flag(flag, text, `should have at most ${MAX_SHARDS} shards`);
  if (index < 1 || index > count) throw OptionError.flag(flag, text, `should name a shard from 1/${count} to ${count}/${count} (shards are numbered from 1)`);
  return { index, count };
}

/** Every run's fixed cost in a warm worker: dispatch, validation, evaluation, the row's way back. */
export const RUN_OVERHEAD_MS = 5;
/** A heuristic's predicted solve time per (subtask × slot) of its instance. */
export const HEURISTIC_MS_PER_CELL = 0.002;
/** The size (subtasks × slots) at which an exact solver is predicted to use half of its time limit. */
export const EXACT_HALF_LIMIT_CELLS = 200;
/** Starting the runtime's worker threads for an executed placement. */
export const EXECUTE_STARTUP_MS = 300;
/** Executed placements run this much longer than the model's lower bound on the makespan, scaled to wall time. */
export const EXECUTE_SLOWDOWN = 1.3;

/** A run's predicted wall time split into the time on a core and the time spent waiting. */
export interface PredictedParts {
  /** Solving, loading, validating, starting the runtime's worker threads: ms on one core. */
  readonly cpuMs: number;
  /** The executed placement's emulated work, which the runtime sleeps (runtime/worker/cpu.ts): ms on no core. */
  readonly waitMs: number;
}

/**
 * A run's predicted wall time in ms, from what the plan knows before anything runs:
 * - a heuristic: `RUN_OVERHEAD_MS + HEURISTIC_MS_PER_CELL × cells`, cells = subtasks × slots (TaskManagers when
 *   the instance has no slot limit);
 * - an exact solver: `RUN_OVERHEAD_MS + limit × cells / (cells + EXACT_HALF_LIMIT_CELLS)`, where limit is the
 *   solver's soft time limit (the suite's, or the default derived from the hard limit): small instances are
 *   solved quickly, large ones use most of the limit;
 * - plus, when the suite executes the placement on the runtime and the model's lower bound on the makespan
 *   (scaled to wall time) fits in `maxWallMs`: `EXECUTE_STARTUP_MS` on a core and `EXECUTE_SLOWDOWN × bound ×
 *   timeScale` waiting;
 * never more than the hard per-run limit (`predictRunMs`). A run made without the planner's facts counts as one cell.
 */
export function predictRunParts(run: RunSpec): PredictedParts {
  const subtasks = run.size?.subtasks ?? 1;
  const units = run.size?.slots ?? run.size?.taskManagers ?? 1;
  const cells = Math.max(1, subtasks * units);
  let cpuMs = RUN_OVERHEAD_MS;
  let waitMs = 0;
  if (run.solver.kind === 'exact') {
    const limitMs = Math.min(run.solver.timeLimitMs ?? softTimeLimitMs(run.hardLimitMs), run.hardLimitMs);
    cpuMs += (limitMs * cells) / (cells + EXACT_HALF_LIMIT_CELLS);
  } else cpuMs += HEURISTIC_MS_PER_CELL * cells;
  const execute = run.execute;
  if (execute !== undefined && run.model === 'dag-placement' && subtasks <= execute.maxSubtasks && run.lowerBound != null) {
    const wallMs = run.lowerBound * execute.timeScaleMsPerUnit;
    if (wallMs <= execute.maxWallMs) {
      cpuMs += EXECUTE_STARTUP_MS;
      waitMs += EXECUTE_SLOWDOWN * wallMs;
    }
  }
  return { cpuMs, waitMs };
}

/** `predictRunParts` as one figure: on a core plus waiting, at most the hard per-run limit. */
export function predictRunMs(run: RunSpec): number {
  const { cpuMs, waitMs } = predictRunParts(run);
  return Math.min(cpuMs + waitMs, run.hardLimitMs);
}

/**
 * The order shard `index` runs its runs in (given in plan order): odd shards start with the runs that wait most
 * (the largest share of waiting in their predicted time: executed placements), even shards with those that wait
 * least (solves), ties in plan order. Two shards started together on one machine (1 and 2, then 3 and 4, as
 * `xargs -P 2` or a Slurm array on one node starts them) so pair one's solving with the other's waiting instead of
 * solving side by side: two solves on the two cores here each ran about 30 % slower than one alone (the STG exact
 * runs of the default suite: 7.7 s at `--jobs 2` against 5.9 s at `--jobs 1`). On separate machines the order
 * changes nothing; the rows are written in plan order all the same.
 */
export function shardRunOrder(runs: readonly RunSpec[], index: number): RunSpec[] {
  const waitShare = (run: RunSpec): number => {
    const { cpuMs, waitMs } = predictRunParts(run);
    return cpuMs + waitMs > 0 ? waitMs / (cpuMs + waitMs) : 0;
  };
  const direction = index % 2 === 1 ? -1 : 1;
  return runs
    .map((run, position) => ({ run, position, share: waitShare(run) }))
    .sort((a, b) => direction * (a.share - b.share) || a.position - b.position)
    .map((x) => x.run);
}

function readTimesFile(file: string): ResultRow[] {
  if (!existsSync(file)) throw new InstanceFormatError(file, 'the path', 'an existing result CSV of an earlier bench (--shard-times)', 'no such file');
  return readResultsFile(file);
}

/** Where each run's predicted time came from. */
export interface RunTimes {
  /** Predicted wall ms of a run. */
  readonly ofRun: (run: RunSpec) => number;
  /** `predicted`, or the file whose measured times were used. */
  readonly source: string;
  /** Runs that had a measured time (the others were predicted). */
  readonly measured: number;
}

/** The predictor alone. */
export function predictedTimes(): RunTimes {
  return { ofRun: predictRunMs, source: 'predicted', measured: 0 };
}

/**
 * Measured times from an earlier result file (`run_ms` by `run_id`; a killed run counts with the time until its
 * kill); runs the file does not have are predicted. A file with no run of `runs` is refused: it is from another
 * suite, and every shard would be balanced on guesses while the user thinks otherwise.
 */
export function measuredTimes(file: string, runs: readonly RunSpec[], rows: readonly ResultRow[] = readTimesFile(file)): RunTimes {
  const byId = new Map<string, number>();
  for (const row of rows) if (row.run_ms !== null && row.run_ms >= 0) byId.set(row.run_id, row.run_ms);
  const measured = runs.filter((r) => byId.has(r.runId)).length;
  if (runs.length > 0 && measured === 0)
    throw new InstanceFormatError(file, 'column run_id', `the id of a run of suite "${runs[0]!.suite}" (--shard-times takes the result CSV of an earlier bench of the same suite)`, rows[0]?.run_id ?? 'no rows at all');
  return { ofRun: (run) => byId.get(run.runId) ?? predictRunMs(run), source: file, measured };
}

export interface Shard {
  /** 1-based. */
  readonly index: number;
  /** The shard's runs, in the order it runs them (`shardRunOrder`). */
  readonly runs: readonly RunSpec[];
  /** Sum of the runs' predicted times, ms. */
  readonly predictedMs: number;
}

export interface ShardPlan {
  readonly count: number;
  readonly shards: readonly Shard[];
  readonly totalPredictedMs: number;
  /** The largest shard's predicted time over the mean shard's (1 = perfectly balanced). */
  readonly maxOverMean: number;
}

/** LPT partition of `runs` into `count` shards by `timeOf` (see the file's comment). Deterministic. */
export function planShards(runs: readonly RunSpec[], count: number, timeOf: (run: RunSpec) => number): ShardPlan {
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`planShards: count should be an integer >= 1, got ${count}`);
  const items = runs.map((run, position) => {
    const ms = timeOf(run);
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`planShards: the predicted time of ${run.runId} should be a finite number >= 0, got ${ms}`);
    return { run, position, ms };
  });
  items.sort((a, b) => b.ms - a.ms || (a.run.runId < b.run.runId ? -1 : a.run.runId > b.run.runId ? 1 : a.position - b.position));
  // A binary min-heap of shard numbers by (predicted load, runs, index): O(runs × log count).
  const loads = new Array<number>(count).fill(0);
  const members: Array<Array<(typeof items)[number]>> = Array.from({ length: count }, () => []);
  const before = (a: number, b: number): boolean => loads[a]! < loads[b]! || (loads[a] === loads[b] && (members[a]!.length < members[b]!.length || (members[a]!.length === members[b]!.length && a < b)));
  const heap = Array.from({ length: count }, (_, i) => i);
  for (const item of items) {
    const best = heap[0]!;
    loads[best]! += item.ms;
    members[best]!.push(item);
    // sift the root down: its load only grew
    for (let at = 0; ; ) {
      const l = 2 * at + 1;
      const r = l + 1;
      let next = at;
      if (l < count && before(heap[l]!, heap[next]!)) next = l;
      if (r < count && before(heap[r]!, heap[next]!)) next = r;
      if (next === at) break;
      [heap[at], heap[next]] = [heap[next]!, heap[at]!];
      at = next;
    }
  }
  const shards = members.map((m, i): Shard => ({ index: i + 1, runs: shardRunOrder([...m].sort((a, b) => a.position - b.position).map((x) => x.run), i + 1), predictedMs: loads[i]! }));
  const totalPredictedMs = loads.reduce((t, x) => t + x, 0);
  const mean = totalPredictedMs / count;
  return { count, shards, totalPredictedMs, maxOverMean: mean > 0 ? loads.reduce((m, x) => Math.max(m, x), 0) / mean : 1 };
}

/** The runs of shard `spec.index` of `spec.count`. */
export function shardOf(runs: readonly RunSpec[], spec: ShardSpec, timeOf: (run: RunSpec) => number): { readonly plan: ShardPlan; readonly shard: Shard } {
  const plan = planShards(runs, spec.count, timeOf);
  return { plan, shard: plan.shards[spec.index - 1]! };
}
