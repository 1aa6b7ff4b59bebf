import { existsSync, statSync } from 'node:fs';
import { parseRestartStrategySpec } from '../../models/recovery/restart-strategy.ts';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { InstanceFormatError } from '../../models/errors.ts';
import { createJobGraph, type JobGraph, type JobGraphSpec } from '../../models/graphs/job-graph.ts';
import type { ClusterSpec } from '../../models/graphs/cluster.ts';
import type { SlotProfile } from '../../models/slot-allocation/instance.ts';
import { PLACEMENT_VARIANTS, type PlacementVariant } from '../../models/dag-placement/instance.ts';
import { createWorkload, type ElasticSpec, type Workload, type WorkloadSpec } from '../../models/cluster/workload.ts';
import type { ClusterJobSpec } from '../../models/cluster/job.ts';
import { CLUSTER_TIMER_NAMES, type ClusterTimers } from '../../models/cluster/timers.ts';
import { int, list, nonEmptyString, nonNegative, object, oneOf, parseWithSchema, positive, text } from './schema.ts';
import { clusterSchema, jobGraphSchema } from './slotlab-json.ts';
import { parseJsonText, readTextFile } from './files.ts';
import { loadInstanceFile } from './index.ts';

/**
 * `slotlab/workload@1`: a cluster, its timers and jobs with arrival times (docs/formats.md). A job's graph is
 * inline (`job`, a slotlab job graph) or a path (`file`) to any file the instance loaders read (slotlab DAG
 * placement JSON, STG, WfFormat, the HEFT fixture), resolved against the workload file's folder; only the file's
 * job graph and variant are used, not its cluster. Errors name the workload file and the JSON path.
 */
export const WORKLOAD_FORMAT = 'slotlab/workload@1';

const variantSchema = oneOf(PLACEMENT_VARIANTS as readonly string[] as ['exclusive', 'shared', 'sequenced']);

const timersSchema = object(
  Object.fromEntries(CLUSTER_TIMER_NAMES.map((name) => [name, nonNegative().optional()])) as Record<(typeof CLUSTER_TIMER_NAMES)[number], z.ZodOptional<z.ZodNumber>>,
  `timers { ${CLUSTER_TIMER_NAMES.map((n) => `${n}?`).join(', ')} } in ms`,
);

const workloadJobSchema = object(
  {
    id: nonEmptyString(),
    name: text().optional(),
    arrivalMs: nonNegative(),
    priority: z.number({ error: 'a finite number' }).optional(),
    user: nonEmptyString().optional(),
    job: jobGraphSchema.optional(),
    file: nonEmptyString().optional(),
    variant: variantSchema.optional(),
    slotProfile: object({ cpuCores: nonNegative(), memoryBytes: nonNegative() }, 'a slot profile { cpuCores, memoryBytes }').optional(),
    workScale: positive().optional(),
    restartStrategy: nonEmptyString().optional(),
  },
  'a job { id, arrivalMs, job | file, name?, priority?, user?, variant?, slotProfile?, workScale?, restartStrategy? }',
);

export const workloadSchema = object(
  {
    format: z.literal(WORKLOAD_FORMAT),
    name: nonEmptyString(),
    description: text().optional(),
    timeScaleMsPerUnit: positive().optional(),
    timerScale: positive().optional(),
    timers: timersSchema.optional(),
    cluster: clusterSchema,
    elastic: object(
      {
        maxTaskManagers: int(1),
        taskManager: object(
          { slotCount: int(1), cpuCores: positive().optional(), memoryBytes: positive().optional(), speedFactor: positive().optional(), rack: nonEmptyString().optional() },
          'a TaskManager template { slotCount, cpuCores?, memoryBytes?, speedFactor?, rack? }',
        ),
        idPrefix: nonEmptyString().optional(),
      },
      'elastic scaling { maxTaskManagers, taskManager, idPrefix? }',
    ).optional(),
    jobs: list(workloadJobSchema, 'jobs'),
  },
  'a workload',
);

/** A job entry of the file. */
export interface WorkloadJobEntry {
  readonly id: string;
  readonly name?: string;
  readonly arrivalMs: number;
  readonly priority?: number;
  readonly user?: string;
  readonly job?: JobGraphSpec;
  readonly file?: string;
  readonly variant?: PlacementVariant;
  readonly slotProfile?: SlotProfile;
  readonly workScale?: number;
  /** `slotlab cluster --restart-strategy` syntax: `fixed-delay:attempts=3,delay=10ms`. */
  readonly restartStrategy?: string;
}

/** The file's content, as generators write it. */
export interface WorkloadDocument {
  readonly format: typeof WORKLOAD_FORMAT;
  readonly name: string;
  readonly description?: string;
  readonly timeScaleMsPerUnit?: number;
  readonly timerScale?: number;
  readonly timers?: Partial<ClusterTimers>;
  readonly cluster: ClusterSpec;
  readonly elastic?: ElasticSpec;
  readonly jobs: readonly WorkloadJobEntry[];
}

export function looksLikeWorkload(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { format?: unknown }).format === WORKLOAD_FORMAT;
}

/** The job graph and variant of a job file, read once per path. */
type JobFileCache = Map<string, { jobGraph: JobGraph; variant: PlacementVariant }>;

function jobFromFile(workloadFile: string, at: string, relativePath: string, cache: JobFileCache): { jobGraph: JobGraph; variant: PlacementVariant } {
  const path = resolve(dirname(workloadFile), relativePath);
  const cached = cache.get(path);
  if (cached) return cached;
  if (!existsSync(path) || !statSync(path).isFile())
    throw new InstanceFormatError(workloadFile, `${at}.file`, `the path of an existing job file (resolved against the workload's folder: ${path})`, relativePath);
  const loaded = loadInstanceFile(path, { taskManagers: 1, checkFeasibility: false });
  if (loaded.instance.kind !== 'dag-placement')
    throw new InstanceFormatError(workloadFile, `${at}.file`, `a file with a job graph (a DAG placement instance), but ${relativePath} is a ${loaded.instance.kind} instance`, relativePath);
  const out = { jobGraph: loaded.instance.jobGraph, variant: loaded.instance.variant };
  cache.set(path, out);
  return out;
}

/** Checks a parsed workload document and builds the workload's spec (job files read, graphs built). */
export function parseWorkloadDocument(data: unknown, file: string): WorkloadSpec {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new InstanceFormatError(file, '$', `a JSON object with "format": "${WORKLOAD_FORMAT}"`, data);
  if ((data as { format?: unknown }).format === undefined) throw new InstanceFormatError(file, '$.format', `"${WORKLOAD_FORMAT}", but the field is missing`);
  const doc = parseWithSchema(workloadSchema, data, file);
  const cache: JobFileCache = new Map();
  const jobs = doc.jobs.map((j, i): ClusterJobSpec => {
    const at = `$.jobs[${i}]`;
    if ((j.job === undefined) === (j.file === undefined))
      throw new InstanceFormatError(file, at, 'a job with exactly one of "job" (an inline job graph) and "file" (a path to a job file)', j.job === undefined ? 'neither' : 'both');
    const source = j.file !== undefined ? jobFromFile(file, at, j.file, cache) : { jobGraph: createJobGraph(j.job!, `${file}: ${at}`), variant: 'shared' as PlacementVariant };
    return {
      id: j.id,
      ...(j.name === undefined ? {} : { name: j.name }),
      arrivalMs: j.arrivalMs,
      ...(j.priority === undefined ? {} : { priority: j.priority }),
      ...(j.user === undefined ? {} : { user: j.user }),
      jobGraph: source.jobGraph,
      variant: (j.variant as PlacementVariant | undefined) ?? source.variant,
      ...(j.slotProfile === undefined ? {} : { slotProfile: j.slotProfile }),
      ...(j.workScale === undefined ? {} : { workScale: j.workScale }),
      // the --restart-strategy syntax; a bad one is refused naming the file and the field
      ...(j.restartStrategy === undefined ? {} : { restartStrategy: parseRestartStrategySpec(j.restartStrategy, `${file}: ${at}.restartStrategy`) }),
    };
  });
  return {
    name: doc.name,
    cluster: doc.cluster,
    ...(doc.elastic === undefined ? {} : { elastic: doc.elastic }),
    ...(doc.timerScale === undefined ? {} : { timerScale: doc.timerScale }),
    ...(doc.timers === undefined ? {} : { timers: doc.timers }),
    ...(doc.timeScaleMsPerUnit === undefined ? {} : { timeScaleMsPerUnit: doc.timeScaleMsPerUnit }),
    jobs,
  };
}

/** Reads, checks and builds the workload in `file` (every job file it names is read and checked too). */
export function loadWorkload(file: string): Workload {
  const data = parseJsonText(readTextFile(file), file);
  if (!looksLikeWorkload(data)) {
    const format = typeof data === 'object' && data !== null ? (data as { format?: unknown }).format : undefined;
    throw new InstanceFormatError(file, '$.format', `"${WORKLOAD_FORMAT}" (a workload; docs/formats.md)`, format ?? data);
  }
  return createWorkload(parseWorkloadDocument(data, file), file);
}
