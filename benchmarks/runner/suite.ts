import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { z } from 'zod';
import { InstanceFormatError } from '../../models/errors.ts';
import { PLACEMENT_VARIANTS, type PlacementVariant } from '../../models/dag-placement/instance.ts';
import type { ClusterSpec } from '../../models/graphs/cluster.ts';
import { parseJsonText, readTextFile } from '../../datasets/loaders/files.ts';
import { solversNamed } from '../../solver/registry.ts';
import { checkSolverParams, type ParamIssue } from '../../solver/params.ts';
import { solverLabel, type Solver } from '../../solver/types.ts';
import { SUITES_DIR, shippedSuiteNames } from './shipped-suites.ts';
import { QUEUE_POLICIES } from '../../solver/cluster/queue/index.ts';
import { ALLOCATION_POLICIES } from '../../solver/cluster/allocation/index.ts';

/**
 * Suite files: JSON that names instances (bundled data globs, files, generator parameters), clusters, solvers with
 * their options, seeds, a per-run time limit and whether placements are executed on the runtime.
 * docs/benchmarks.md describes the format field by field; `parseSuite` checks it and says what is wrong where.
 */

export { SUITES_DIR, shippedSuiteNames } from './shipped-suites.ts';

/** Default hard per-run limit when a suite gives none: 60 s. */
export const DEFAULT_RUN_TIME_LIMIT_MS = 60_000;

const name = z.string({ error: 'a non-empty string' }).min(1, { error: 'a non-empty string' });
const seed = z.number({ error: 'an integer seed' }).int({ error: 'an integer seed' });
const positiveMs = z.number({ error: 'a number of milliseconds > 0' }).positive({ error: 'a number of milliseconds > 0' });

const instanceEntry = z.union(
  [
    z.strictObject({ data: name, name: name.optional() }),
    z.strictObject({ file: name, name: name.optional() }),
    z.strictObject({ generate: name, params: z.record(z.string(), z.unknown()).optional(), seed: seed.optional(), name: name.optional() }),
  ],
  { error: 'an instance entry: {"data": "<glob under datasets/data>"}, {"file": "<path or glob relative to the suite>"} or {"generate": "<generator>", "params"?: {...}, "seed"?: n}' },
);

const clusterEntry = z.union(
  [
    z.string({ error: 'a cluster' }).min(1),
    z.looseObject({ name, taskManagers: z.array(z.unknown()).min(1) }),
  ],
  { error: 'a cluster: shorthand like "4x1" or "3x2@1,1.5,2", or an object {"name": ..., "taskManagers": [...], ...} (a ClusterSpec with a name)' },
);

const solverEntry = z.union(
  [
    name,
    z.strictObject({
      name,
      label: name.optional(),
      timeLimitMs: positiveMs.optional(),
      gap: z.number().min(0).optional(),
      params: z.record(z.string(), z.unknown()).optional(),
    }),
  ],
  { error: 'a solver: its registry name, or {"name": ..., "label"?: ..., "timeLimitMs"?: ms, "gap"?: relative gap, "params"?: {...}}' },
);

const executeEntry = z.union(
  [
    z.boolean(),
    z.strictObject({
      mode: z.enum(['blocking', 'pipelined'], { error: '"blocking" or "pipelined"' }).optional(),
      timeScaleMsPerUnit: z.number().positive({ error: 'a number > 0 (ms of real time per ms of modelled work)' }).optional(),
      maxSubtasks: z.number().int().positive().optional(),
      maxWallMs: z.number().positive({ error: 'a number of milliseconds > 0' }).optional(),
    }),
  ],
  { error: 'true, false, or {"mode"?: "blocking"|"pipelined", "timeScaleMsPerUnit"?: number, "maxSubtasks"?: integer, "maxWallMs"?: ms}' },
);

const groupSchema = z.strictObject({
  name,
  instances: z.array(instanceEntry, { error: 'a list of instance entries' }).min(1, { error: 'a list with at least one instance entry' }).optional(),
  workloads: z.array(instanceEntry, { error: 'a list of workload entries' }).min(1, { error: 'a list with at least one workload entry' }).optional(),
  queues: z.array(name, { error: 'a list of queue policy names' }).min(1, { error: 'a list with at least one queue policy' }).optional(),
  allocations: z.array(name, { error: 'a list of allocation policy names' }).min(1, { error: 'a list with at least one allocation policy' }).optional(),
  placement: name.optional(),
  clusters: z.array(clusterEntry, { error: 'a list of clusters' }).min(1, { error: 'a list with at least one cluster' }).optional(),
  taskManagers: z.array(z.number().int().positive(), { error: 'a list of TaskManager counts (integers > 0)' }).min(1).optional(),
  variant: z.enum(PLACEMENT_VARIANTS as [PlacementVariant, ...PlacementVariant[]], { error: `one of ${PLACEMENT_VARIANTS.join(', ')}` }).optional(),
  solvers: z.array(solverEntry, { error: 'a list of solvers' }).min(1, { error: 'a list with at least one solver' }).optional(),
  seeds: z.array(seed, { error: 'a list of integer seeds' }).min(1, { error: 'a list with at least one seed' }).optional(),
  timeLimitMs: positiveMs.optional(),
  execute: executeEntry.optional(),
});

/** The JobMasters' placement solver of a workload group when the suite names none (as `slotlab cluster`). */
export const DEFAULT_WORKLOAD_PLACEMENT = 'flink-default';

const suiteSchema = z.strictObject({
  $schema: z.string().optional(),
  name: name.optional(),
  description: z.string().optional(),
  seeds: z.array(seed, { error: 'a list of integer seeds' }).min(1, { error: 'a list with at least one seed' }).optional(),
  timeLimitMs: positiveMs.optional(),
  execute: executeEntry.optional(),
  groups: z.array(groupSchema, { error: 'a list of groups' }).min(1, { error: 'a list with at least one group' }),
});

export type InstanceEntry = { readonly data: string; readonly name?: string } | { readonly file: string; readonly name?: string } | { readonly generate: string; readonly params?: Readonly<Record<string, unknown>>; readonly seed?: number; readonly name?: string };

/** A cluster as the suite names it: `label` goes into the CSV's `cluster` column. */
export interface SuiteCluster {
  readonly label: string;
  /** The shorthand text, or the spec object as written. */
  readonly value: string | ClusterSpec;
}

export interface SuiteSolver {
  /** Registry name. */
  readonly name: string;
  /** What the CSV's `solver` column and the summary call it: the registry name unless the suite gives a label. */
  readonly label: string;
  /** Soft limit handed to the solver (it stops and reports what it proved). */
  readonly timeLimitMs: number | undefined;
  readonly relativeGap: number | undefined;
  readonly params: Readonly<Record<string, unknown>> | undefined;
}

export interface ExecuteOptions {
  readonly mode: 'blocking' | 'pipelined';
  /** Real milliseconds per modelled millisecond of work when the runtime replays a placement. */
  readonly timeScaleMsPerUnit: number;
  /** Placements of instances with more subtasks than this are not executed (the note says so). */
  readonly maxSubtasks: number;
  /** Placements whose predicted run (makespan × time scale) is longer than this, in wall ms, are not executed. */
  readonly maxWallMs: number;
}

export const DEFAULT_EXECUTE: ExecuteOptions = Object.freeze({ mode: 'blocking', timeScaleMsPerUnit: 1, maxSubtasks: 64, maxWallMs: 2000 });

/**
 * A workload group: each workload (a `slotlab/workload@1` file, or `{"generate": "workload", "params", "seed"}`) is run
 * under every queue policy × allocation policy × seed on the cluster simulator (and, with `execute`, on the cluster
 * runtime); one row each.
 */
export interface SuiteWorkloads {
  readonly entries: readonly InstanceEntry[];
  readonly queues: readonly string[];
  readonly allocations: readonly string[];
  /** The DAG placement solver every JobMaster runs on its granted slots. */
  readonly placement: string;
}

export interface SuiteGroup {
  readonly name: string;
  /** Empty in a workload group. */
  readonly instances: readonly InstanceEntry[];
  readonly workloads?: SuiteWorkloads;
  readonly clusters: readonly SuiteCluster[] | undefined;
  readonly taskManagers: readonly number[] | undefined;
  readonly variant: PlacementVariant | undefined;
  readonly solvers: readonly SuiteSolver[];
  readonly seeds: readonly number[];
  /** Hard per-run limit: a run still going after this long is killed and recorded as `timeout`. */
  readonly timeLimitMs: number;
  readonly execute: ExecuteOptions | undefined;
}

export interface Suite {
  readonly name: string;
  readonly description: string;
  /** The suite file, absolute; `file` instance paths are relative to its folder. */
  readonly file: string;
  readonly groups: readonly SuiteGroup[];
}

/** `$.groups[0].solvers[1]` */
export function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  return '$' + path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
}

function expectedOf(issue: z.core.$ZodIssue): string {
  const msg = issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return msg.startsWith('Invalid input') ? `of type ${issue.expected}` : msg;
    case 'too_small':
      return msg.startsWith('Too small') ? msg.replace(/^Too small: expected /, '') : msg;
    case 'too_big':
      return msg.startsWith('Too big') ? msg.replace(/^Too big: expected /, '') : msg;
    case 'invalid_value':
      return msg.startsWith('Invalid option') ? `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` : msg;
    default:
      return msg;
  }
}

/** Turns a parsed JSON value into a Suite, or throws an InstanceFormatError naming the file, the JSON path and what was expected. */
export function parseSuite(value: unknown, file: string): Suite {
  const parsed = suiteSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0]!;
      throw new InstanceFormatError(file, jsonPath([...issue.path, key]), 'absent: it is not a known field here (docs/benchmarks.md lists the suite fields)', (issue.input as Record<string, unknown> | undefined)?.[key]);
    }
    throw new InstanceFormatError(file, jsonPath(issue.path), expectedOf(issue), issue.input);
  }
  const s = parsed.data;
  const suiteName = s.name ?? basename(file, extname(file));
  const groupNames = new Set<string>();
  const groups = s.groups.map((g, gi): SuiteGroup => {
    if (groupNames.has(g.name)) throw new InstanceFormatError(file, `$.groups[${gi}].name`, 'unique within the suite', g.name);
    groupNames.add(g.name);
    const clusterLabels = new Set<string>();
    const clusters = g.clusters?.map((c, ci): SuiteCluster => {
      const label = typeof c === 'string' ? c.trim() : c.name;
      if (clusterLabels.has(label)) throw new InstanceFormatError(file, `$.groups[${gi}].clusters[${ci}]`, 'a cluster not listed twice in the group', label);
      clusterLabels.add(label);
      return { label, value: typeof c === 'string' ? c.trim() : (c as unknown as ClusterSpec) };
    });
    const at = `$.groups[${gi}]`;
    if ((g.instances === undefined) === (g.workloads === undefined))
      throw new InstanceFormatError(file, at, 'a group with exactly one of "instances" (model instances solved by "solvers") and "workloads" (cluster workloads run under "queues" × "allocations")', g.instances === undefined ? 'neither' : 'both');
    let workloads: SuiteWorkloads | undefined;
    if (g.workloads !== undefined) {
      for (const key of ['solvers', 'clusters', 'taskManagers', 'variant'] as const)
        if (g[key] !== undefined) throw new InstanceFormatError(file, `${at}.${key}`, 'absent in a workload group (the workload names its cluster; "placement" names the JobMasters\' solver)', g[key]);
      const queues = g.queues ?? ['fifo'];
      const allocations = g.allocations ?? ['first-fit'];
      queues.forEach((q, qi) => {
        if (!QUEUE_POLICIES.some((p) => p.name === q)) throw new InstanceFormatError(file, `${at}.queues[${qi}]`, `a queue policy (${QUEUE_POLICIES.map((p) => p.name).join(', ')})`, q);
      });
      allocations.forEach((a, ai) => {
        if (!ALLOCATION_POLICIES.some((p) => p.name === a)) throw new InstanceFormatError(file, `${at}.allocations[${ai}]`, `an allocation policy (${ALLOCATION_POLICIES.map((p) => p.name).join(', ')})`, a);
      });
      workloads = { entries: g.workloads, queues, allocations, placement: g.placement ?? DEFAULT_WORKLOAD_PLACEMENT };
    } else
      for (const key of ['queues', 'allocations', 'placement'] as const)
        if (g[key] !== undefined) throw new InstanceFormatError(file, `${at}.${key}`, 'absent in an instance group (it belongs to a group with "workloads")', g[key]);
    if (g.workloads === undefined && g.solvers === undefined) throw new InstanceFormatError(file, `${at}.solvers`, 'a list with at least one solver');
    const solverEntries = g.solvers ?? [workloads!.placement];
    const labels = new Set<string>();
    const solvers = solverEntries.map((entry, si): SuiteSolver => {
      const solver: SuiteSolver =
        typeof entry === 'string'
          ? { name: entry, label: entry, timeLimitMs: undefined, relativeGap: undefined, params: undefined }
          : { name: entry.name, label: entry.label ?? entry.name, timeLimitMs: entry.timeLimitMs, relativeGap: entry.gap, params: entry.params };
      if (labels.has(solver.label))
        throw new InstanceFormatError(file, `$.groups[${gi}].solvers[${si}]`, `a solver label not used twice in the group (give the second "${solver.name}" a "label")`, solver.label);
      labels.add(solver.label);
      checkSuiteSolverParams(file, `$.groups[${gi}].solvers[${si}]`, solver.params, solversNamed(solver.name));
      return solver;
    });
    const execute = g.execute ?? s.execute ?? false;
    const timeLimitMs = g.timeLimitMs ?? s.timeLimitMs ?? DEFAULT_RUN_TIME_LIMIT_MS;
    solvers.forEach((solver, si) => {
      if (solver.timeLimitMs !== undefined && solver.timeLimitMs >= timeLimitMs)
        throw new InstanceFormatError(file, `$.groups[${gi}].solvers[${si}].timeLimitMs`, `below the group's hard per-run limit of ${timeLimitMs} ms (the solver must stop and report before its run is killed)`, solver.timeLimitMs);
    });
    return {
      name: g.name,
      instances: g.instances ?? [],
      ...(workloads === undefined ? {} : { workloads }),
      clusters,
      taskManagers: g.taskManagers,
      variant: g.variant,
      solvers,
      seeds: g.seeds ?? s.seeds ?? [1],
      timeLimitMs,
      execute: execute === false ? undefined : execute === true ? DEFAULT_EXECUTE : { ...DEFAULT_EXECUTE, ...execute },
    };
  });
  return { name: suiteName, description: s.description ?? '', file, groups };
}

/**
 * Checks a suite solver entry's params against the registered solvers `candidates` (those with its name; one per
 * model it serves). Accepted when one of them takes the params; otherwise throws an InstanceFormatError naming the
 * suite file and the JSON path of the key (`$.groups[0].solvers[2].params.targetMS`). `planSuite` checks again
 * against the one solver of each instance's model.
 */
export function checkSuiteSolverParams(file: string, at: string, params: Readonly<Record<string, unknown>> | undefined, candidates: readonly Pick<Solver, 'name' | 'model' | 'params'>[]): void {
  const issues: ParamIssue[] = [];
  for (const solver of candidates) {
    const checked = checkSolverParams(solver.params, params, solverLabel(solver));
    if (checked.ok) return;
    issues.push(checked.issue);
  }
  const first = issues[0];
  if (first === undefined) return;
  // A name serving several models: when none of them knows the key, say what each takes.
  const unknownEverywhere = candidates.length > 1 && issues.every((i) => i.key === first.key && i.actual === undefined && i.expected.startsWith('absent'));
  const expected = unknownEverywhere
    ? `absent: no solver named ${candidates[0]!.name} takes it (${candidates.map((c) => `${solverLabel(c)} takes ${c.params.docs.length === 0 ? 'no params' : c.params.docs.map((d) => d.key).join(', ')}`).join('; ')}; see \`slotlab solvers --params ${candidates[0]!.name}\`)`
    : first.expected;
  throw new InstanceFormatError(file, `${at}.params${first.key === undefined ? '' : `.${first.key}`}`, expected, first.actual);
}

/** Reads and checks a suite file (JSON syntax errors name the line and column). */
export function readSuiteFile(file: string): Suite {
  const path = resolve(file);
  return parseSuite(parseJsonText(readTextFile(path), path), path);
}

/**
 * `NAME` → `benchmarks/suites/NAME.json`; a path to an existing file is taken as it is.
 * Throws a one-line error listing the shipped suites when neither exists.
 */
export function resolveSuitePath(nameOrPath: string, dir = SUITES_DIR): string {
  if (existsSync(nameOrPath) && statSync(nameOrPath).isFile()) return resolve(nameOrPath);
  if (!nameOrPath.includes('/') && !nameOrPath.includes('\\')) {
    const candidates = existsSync(dir) ? readdirSync(dir).filter((f) => basename(f, extname(f)) === nameOrPath) : [];
    const json = candidates.find((f) => f.endsWith('.json'));
    if (json) return join(dir, json);
    if (candidates.length > 0) throw new InstanceFormatError(join(dir, candidates[0]!), 'file', 'a JSON suite (.json)', candidates[0]);
  }
  throw new InstanceFormatError(nameOrPath, 'suite', `the name of a shipped suite (${shippedSuiteNames(dir).join(', ') || 'none found'}) or the path of a suite file`);
}
