import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { InstanceFormatError, InvalidInstanceError, SlotlabError, SolverNotApplicableError } from '../../models/errors.ts';
import { PACKAGE_ROOT } from '../../models/package-files.ts';
import { parseClusterShorthand, type ClusterSpec } from '../../models/graphs/cluster.ts';
import type { PlacementVariant } from '../../models/dag-placement/instance.ts';
import { DATA_ROOT } from '../../datasets/paths.ts';
import { CATALOG, datasetFiles } from '../../datasets/catalog.ts';
import { findSolver, solverNames } from '../../solver/registry.ts';
import { modelLowerBound } from './bounds.ts';
import { expandGlob, hasGlobMagic } from './glob.ts';
import { instanceSize, loadRunInstance, loadRunWorkload, type InstanceRef, type InstanceSize } from './instances.ts';
import { checkSuiteSolverParams, type ExecuteOptions, type Suite, type SuiteSolver, type SuiteWorkloads } from './suite.ts';
import type { ModelKind } from '../../models/model-kind.ts';

/**
 * Run planning: a suite becomes the list of runs (one per instance × cluster × solver × seed of each group), after
 * the whole suite has been checked: every instance entry matches files, every file loads on every cluster of its
 * group, every solver exists and solves the instances' model. Any problem throws one error naming the suite file
 * and the JSON path (or the instance file and its line/field) before a single run starts.
 */

/** Repository root: paths inside it are written relative to it in the CSV. */
export const REPO_ROOT = PACKAGE_ROOT;

export interface RunCluster {
  /** The CSV's `cluster` column: the shorthand (`4x1`), the spec's name, or `taskManagers=N`. */
  readonly label: string;
  readonly spec: ClusterSpec | undefined;
  readonly taskManagers: number | undefined;
}

export interface RunSolver extends SuiteSolver {
  readonly kind: 'heuristic' | 'exact';
}

/** Everything a worker needs for one run; plain data (it crosses the process boundary). */
export interface RunSpec {
  readonly runId: string;
  readonly suite: string;
  readonly group: string;
  readonly instance: InstanceRef;
  readonly cluster: RunCluster | undefined;
  readonly variant: PlacementVariant | undefined;
  readonly solver: RunSolver;
  readonly seed: number;
  /** Hard limit: the worker is killed after this long and the row says `timeout`. */
  readonly hardLimitMs: number;
  readonly execute: ExecuteOptions | undefined;
  /** The instance's model and size as the planner loaded it (what shard.ts predicts run times from); absent for runs not made by planSuite. */
  readonly model?: ModelKind;
  readonly size?: InstanceSize;
  /** The model's own lower bound on the objective (bounds.ts; DAG placement: the makespan in ms), null where there is none. */
  readonly lowerBound?: number | null;
  /** A workload run (the instance is the workload; the solver is the JobMasters' placement solver). */
  readonly workload?: WorkloadRun;
}

/** The policies of one workload run. */
export interface WorkloadRun {
  readonly queue: string;
  readonly allocation: string;
}

/**
 * The CSV's `dataset` column for an instance file: the name of the catalog entry (datasets/catalog.ts) whose
 * files include it (`stg-random-50`, `wfinstances`, `heft-paper`, `bpplib`, `slotlab-examples`), else `file`.
 */
export function datasetOfFile(file: string): string {
  return catalogFileIndex().get(file) ?? 'file';
}

let catalogIndex: ReadonlyMap<string, string> | undefined;

/**
 * Every bundled file of the catalog → its entry's name (the first entry that lists it), listed once per process:
 * the catalog's globs walk the data folders, and a suite names a file per instance entry (a shard planned the
 * default suite's 13 files by walking them 13 times over).
 */
function catalogFileIndex(): ReadonlyMap<string, string> {
  if (catalogIndex === undefined) {
    const index = new Map<string, string>();
    for (const entry of CATALOG) for (const f of datasetFiles(entry)) if (!index.has(f)) index.set(f, entry.name);
    catalogIndex = index;
  }
  return catalogIndex;
}

function displayPath(absolute: string): string {
  const rel = relative(REPO_ROOT, absolute);
  return rel.startsWith('..') || isAbsolute(rel) ? absolute : rel.split(sep).join('/');
}

/** The instance references one suite entry stands for (a glob may stand for many files). */
export function expandInstanceEntry(entry: Suite['groups'][number]['instances'][number], suiteFile: string, at: string): InstanceRef[] {
  if ('generate' in entry) {
    const seed = entry.seed ?? 1;
    return [{ kind: 'generate', generator: entry.generate, params: entry.params ?? {}, seed, label: entry.name ?? `${entry.generate}-seed${seed}`, dataset: 'generated' }];
  }
  const pattern = 'data' in entry ? entry.data : entry.file;
  const base = 'data' in entry ? DATA_ROOT : dirname(suiteFile);
  const files = expandGlob(pattern, base);
  if (files.length === 0)
    throw new InstanceFormatError(suiteFile, `${at}.${'data' in entry ? 'data' : 'file'}`, hasGlobMagic(pattern) ? `a pattern matching at least one file under ${displayPath(base)}` : `an existing file (relative to ${displayPath(base)})`, pattern);
  if (entry.name !== undefined && files.length > 1) throw new InstanceFormatError(suiteFile, `${at}.name`, 'absent for a pattern matching several files (each file is named by its path)', entry.name);
  return files.map((file) => instanceRefForFile(file, entry.name));
}

/** The reference of one instance file: bundled data is named by its path under datasets/data. */
export function instanceRefForFile(path: string, name?: string): InstanceRef {
  const file = resolve(path);
  const inData = relative(DATA_ROOT, file);
  const label = !inData.startsWith('..') && !isAbsolute(inData) ? inData.split(sep).join('/') : displayPath(file);
  return { kind: 'file', path: file, label: name ?? label, dataset: datasetOfFile(file) };
}

function clustersOf(group: Suite['groups'][number], suiteFile: string, gi: number): Array<RunCluster | undefined> {
  const out: Array<RunCluster | undefined> = [];
  group.clusters?.forEach((c, ci) => {
    const at = `${suiteFile}: $.groups[${gi}].clusters[${ci}]`;
    const spec = typeof c.value === 'string' ? parseClusterShorthand(c.value, at) : c.value;
    out.push({ label: c.label, spec, taskManagers: undefined });
  });
  group.taskManagers?.forEach((n) => out.push({ label: `taskManagers=${n}`, spec: undefined, taskManagers: n }));
  return out.length > 0 ? out : [undefined];
}

export interface PlanOptions {
  /** Checks that each instance loads (default true); tests of the planning alone may skip it. */
  readonly load?: boolean;
}

export interface Plan {
  readonly suite: Suite;
  readonly runs: readonly RunSpec[];
  /** Instances × clusters that were loaded and checked. */
  readonly instanceCount: number;
}

/** Checks the whole suite and lists its runs. Throws before anything runs. */
export function planSuite(suite: Suite, options: PlanOptions = {}): Plan {
  const known = new Set(solverNames());
  suite.groups.forEach((g, gi) =>
    g.solvers.forEach((s, si) => {
      if (!known.has(s.name))
        throw new InstanceFormatError(suite.file, `$.groups[${gi}].solvers[${si}]`, `the name of a registered solver (${[...known].join(', ') || 'none registered'})`, s.name);
    }),
  );
  const runs: RunSpec[] = [];
  const ids = new Set<string>();
  let instanceCount = 0;
  suite.groups.forEach((group, gi) => {
    if (group.workloads !== undefined) {
      instanceCount += planWorkloadGroup(suite, group, gi, group.workloads, runs, ids, options);
      return;
    }
    const refs = group.instances.flatMap((entry, ii) => expandInstanceEntry(entry, suite.file, `$.groups[${gi}].instances[${ii}]`));
    const clusters = clustersOf(group, suite.file, gi);
    for (const ref of refs)
      for (const cluster of clusters) {
        let model: ModelKind;
        let size: InstanceSize;
        let lowerBound: number | null;
        try {
          const loaded = loadRunInstance(ref, cluster, group.variant, { check: options.load !== false });
          model = loaded.kind;
          size = instanceSize(loaded);
          lowerBound = modelLowerBound(loaded)?.value ?? null;
        } catch (error) {
          if (error instanceof SlotlabError && !(error instanceof SolverNotApplicableError)) {
            const where = `group "${group.name}"${cluster ? `, cluster ${cluster.label}` : ''}`;
            throw Object.assign(error, { message: `${error.message} (suite ${displayPath(suite.file)}, ${where})` });
          }
          throw error;
        }
        instanceCount++;
        const solvers = group.solvers.map((s, si): RunSolver => {
          try {
            const found = findSolver(s.name, model);
            checkSuiteSolverParams(suite.file, `$.groups[${gi}].solvers[${si}]`, s.params, [found]);
            return { ...s, kind: found.kind };
          } catch (error) {
            if (error instanceof SolverNotApplicableError)
              throw new InvalidInstanceError(suite.file, `$.groups[${gi}].solvers[${si}]`, `${error.message} (instance ${ref.label})`);
            throw error;
          }
        });
        for (const solver of solvers)
          for (const seed of group.seeds) {
            const runId = [suite.name, group.name, ref.label, cluster?.label ?? '', group.variant ?? '', solver.label, `seed=${seed}`].join('|');
            if (ids.has(runId)) throw new InstanceFormatError(suite.file, `$.groups[${gi}]`, 'runs that are not repeated (the same instance, cluster, solver and seed appear twice)', runId);
            ids.add(runId);
            runs.push({ runId, suite: suite.name, group: group.name, instance: ref, cluster, variant: group.variant, solver, seed, hardLimitMs: group.timeLimitMs, execute: group.execute, model, size, lowerBound });
          }
      }
  });
  return { suite, runs, instanceCount };
}

/** JSON with object keys sorted and undefined fields left out, so equal data always gives equal text. */
function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * The plan's identity, written in every row's `suite_version` column: the first 12 hex digits of a SHA-256 over
 * each run's id, instance (a file's label and the SHA-256 of its content; a generator with its params and seed),
 * cluster, variant, solver entry (name, label, time limit, gap, params), seed, hard limit and execute options. Two
 * plans have the same version exactly when they ask the same questions of the same data, wherever the repository
 * lies; `slotlab merge` refuses to merge rows of different versions.
 */
export function planVersion(plan: Plan): string {
  const hash = createHash('sha256');
  const fileHashes = new Map<string, string>();
  const contentHash = (path: string): string => {
    let h = fileHashes.get(path);
    if (h === undefined) fileHashes.set(path, (h = createHash('sha256').update(readFileSync(path)).digest('hex')));
    return h;
  };
  for (const run of plan.runs) {
    const instance = run.instance.kind === 'file' ? { label: run.instance.label, sha256: contentHash(run.instance.path) } : { ...run.instance };
    hash.update(canonicalJson({ runId: run.runId, instance, cluster: run.cluster ?? null, variant: run.variant ?? null, solver: run.solver, seed: run.seed, hardLimitMs: run.hardLimitMs, execute: run.execute ?? null }));
    hash.update('\n');
  }
  return hash.digest('hex').slice(0, 12);
}

/** The runs of a workload group: workload × queue × allocation × seed, after every workload has loaded. */
function planWorkloadGroup(suite: Suite, group: Suite['groups'][number], gi: number, w: SuiteWorkloads, runs: RunSpec[], ids: Set<string>, options: PlanOptions): number {
  const refs = w.entries.flatMap((entry, ii): InstanceRef[] => {
    const at = `$.groups[${gi}].workloads[${ii}]`;
    if ('generate' in entry) {
      if (entry.generate !== 'workload') throw new InstanceFormatError(suite.file, `${at}.generate`, '"workload" (the workload generator, datasets/generators/workload.ts)', entry.generate);
      return expandInstanceEntry(entry, suite.file, at).map((ref) => ({ ...ref, dataset: 'generated-workload' }));
    }
    return expandInstanceEntry(entry, suite.file, at).map((ref) => ({ ...ref, dataset: 'workload' }));
  });
  if (options.load !== false) for (const ref of refs) loadRunWorkload(ref);
  let kind: RunSolver['kind'];
  try {
    kind = findSolver(w.placement, 'dag-placement').kind;
  } catch (error) {
    if (error instanceof SlotlabError) throw new InstanceFormatError(suite.file, `$.groups[${gi}].placement`, `a DAG placement solver (${error.message})`, w.placement);
    throw error;
  }
  const solver: RunSolver = { ...group.solvers[0]!, kind };
  for (const ref of refs)
    for (const queue of w.queues)
      for (const allocation of w.allocations)
        for (const seed of group.seeds) {
          const runId = [suite.name, group.name, ref.label, queue, allocation, solver.label, `seed=${seed}`].join('|');
          if (ids.has(runId)) throw new InstanceFormatError(suite.file, `$.groups[${gi}]`, 'runs that are not repeated (the same workload, policies and seed appear twice)', runId);
          ids.add(runId);
          runs.push({ runId, suite: suite.name, group: group.name, instance: ref, cluster: undefined, variant: undefined, solver, seed, hardLimitMs: group.timeLimitMs, execute: group.execute, workload: { queue, allocation } });
        }
  return refs.length;
}
