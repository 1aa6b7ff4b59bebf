import { z } from 'zod';
import { InstanceFormatError } from '../../models/errors.ts';
import { PARTITIONINGS, type JobGraphSpec, type OperatorSpec, type JobEdgeSpec } from '../../models/graphs/job-graph.ts';
import type { ClusterSpec, LinkSpec, TaskManagerSpec } from '../../models/graphs/cluster.ts';
import { PLACEMENT_VARIANTS, type DagPlacementSpec } from '../../models/dag-placement/instance.ts';
import type { SlotAllocationSpec } from '../../models/slot-allocation/instance.ts';
import { LOAD_BALANCING_OBJECTIVES, type LoadBalancingSpec } from '../../models/load-balancing/instance.ts';
import { INSTANCE_LIMITS } from '../../models/limits.ts';
import { int, list, nonEmptyString, nonNegative, object, oneOf, parseWithSchema, positive, text } from './schema.ts';
import { SLOT_CUTTINGS, taskManagerResources, type ResourceProfile, type SlotCutting } from '../../models/resources/profile.ts';
import { deriveTaskManagerMemoryFromConfig } from '../../models/memory/task-manager-memory.ts';

// ---- fine-grained resources (models/resources) ----------------------------------------------------------------

const bytes = () => int(0);
/** A slot or TaskManager resource profile; every field optional (default 0). */
export const resourceProfileSchema = object(
  { cpuCores: nonNegative().default(0), taskHeapBytes: bytes().default(0), taskOffHeapBytes: bytes().default(0), managedBytes: bytes().default(0), networkBytes: bytes().default(0) },
  'a resource profile { cpuCores?, taskHeapBytes?, taskOffHeapBytes?, managedBytes?, networkBytes? }',
);
/** Flink's memory options of a TaskManager (`taskmanager.memory.process.size`, ...), as in `slotlab memory --set`. */
export const flinkMemorySchema = z.record(z.string(), z.union([z.string(), z.number()]), { error: 'an object of Flink memory options { "taskmanager.memory.process.size": "4g", ... }' });
const resourceFields = {
  resources: resourceProfileSchema.optional(),
  flinkMemory: flinkMemorySchema.optional(),
  slotCutting: oneOf(SLOT_CUTTINGS as readonly string[] as ['fixed', 'dynamic']).optional(),
};


/**
 * A TaskManager's fine-grained fields as the models take them: `flinkMemory` (Flink's keys) is derived as Flink does
 * (models/memory; a bad or conflicting option is refused naming the file, the TaskManager and the key) into
 * `resources` = task heap, task off-heap, managed and network memory, with the TaskManager's `cpuCores` (default its
 * slot count, Flink's default `taskmanager.cpu.cores`). Giving both `resources` and `flinkMemory` is refused.
 */
export function resolveTaskManagerResources<T extends { slotCount?: number; cpuCores?: number; resources?: z.output<typeof resourceProfileSchema>; flinkMemory?: Record<string, string | number>; slotCutting?: SlotCutting }>(
  tm: T,
  file: string,
  path: string,
): Omit<T, 'resources' | 'flinkMemory'> & { resources?: ResourceProfile } {
  const { resources, flinkMemory, ...rest } = tm;
  if (resources !== undefined && flinkMemory !== undefined) throw new InstanceFormatError(file, `${path}.flinkMemory`, 'absent when resources is given (give one of them)', flinkMemory);
  if (flinkMemory !== undefined) {
    const entries = Object.entries(flinkMemory).map(([key, value]) => ({ key, value: String(value), source: `${file} ${path}.flinkMemory` }));
    const memory = deriveTaskManagerMemoryFromConfig(entries);
    return { ...rest, resources: taskManagerResources(memory, tm.cpuCores ?? tm.slotCount ?? 1) };
  }
  return resources === undefined ? rest : { ...rest, resources };
}

/**
 * slotlab's own JSON instance formats, one per model (documented with full examples in docs/formats.md).
 * Field names are exactly those of the spec types in models/ (`DagPlacementSpec`, `JobGraphSpec`, `ClusterSpec`,
 * `SlotAllocationSpec`, `LoadBalancingSpec`), plus `format` (which model, which version) and an optional
 * free-text `description`. Unknown fields are refused (a misspelt optional field would otherwise be ignored
 * silently). The schema checks shapes, types and ranges; the model's constructor then checks the rules across
 * fields (unique ids, known edge endpoints, forward edges between equal parallelisms, no cycle).
 */
export const SLOTLAB_FORMATS = {
  'dag-placement': 'slotlab/dag-placement@1',
  'slot-allocation': 'slotlab/slot-allocation@1',
  'load-balancing': 'slotlab/load-balancing@1',
} as const;
export type SlotlabFormat = (typeof SLOTLAB_FORMATS)[keyof typeof SLOTLAB_FORMATS];
const FORMAT_VALUES = Object.values(SLOTLAB_FORMATS);

/** A cluster's TaskManagers with `flinkMemory` derived into `resources` (resolveTaskManagerResources). */
function resolveClusterResources(cluster: ClusterSpec, file: string, path: string): ClusterSpec {
  if (!cluster.taskManagers.some((tm) => (tm as { flinkMemory?: unknown }).flinkMemory !== undefined)) return cluster;
  return { ...cluster, taskManagers: cluster.taskManagers.map((tm, i) => resolveTaskManagerResources(tm, file, `${path}.taskManagers[${i}]`)) };
}

// ---- cluster -----------------------------------------------------------------------------------------------

const linkFields = {
  bandwidthBytesPerMs: positive().optional(),
  latencyMs: nonNegative().optional(),
};
const linkSchema = object(linkFields, 'a link { bandwidthBytesPerMs?, latencyMs? }') satisfies z.ZodType<LinkSpec>;

const taskManagerSchema = object(
  {
    id: nonEmptyString(),
    slotCount: int(1),
    cpuCores: positive().optional(),
    memoryBytes: positive().optional(),
    speedFactor: positive().optional(),
    rack: nonEmptyString().optional(),
    ...resourceFields,
  },
  'a TaskManager { id, slotCount, cpuCores?, memoryBytes?, speedFactor?, rack?, resources? | flinkMemory?, slotCutting? }',
);

const clusterFields = {
  taskManagers: list(taskManagerSchema, 'TaskManagers'),
  defaultLink: linkSchema.optional(),
  interRackLink: linkSchema.optional(),
  links: list(object({ a: nonEmptyString(), b: nonEmptyString(), ...linkFields }, 'a link { a, b, bandwidthBytesPerMs?, latencyMs? }'), 'links').optional(),
};

export const clusterSchema = object(clusterFields, 'a cluster { taskManagers, defaultLink?, interRackLink?, links? }') satisfies z.ZodType<ClusterSpec>;

/**
 * A cluster on its own (`slotlab generate rack-cluster --out cluster.json`; read by `--cluster cluster.json`): the
 * fields of `ClusterSpec` beside `format` and an optional `description`.
 */
export const SLOTLAB_CLUSTER_FORMAT = 'slotlab/cluster@1';
const clusterDocumentSchema = object(
  { format: z.literal(SLOTLAB_CLUSTER_FORMAT), description: text().optional(), ...clusterFields },
  'a cluster { format, taskManagers, defaultLink?, interRackLink?, links? }',
);

/** Checks a parsed `slotlab/cluster@1` document and returns its ClusterSpec. */
export function parseClusterDocument(data: unknown, file: string): ClusterSpec {
  const format = (data as { format?: unknown } | null)?.format;
  if (format !== SLOTLAB_CLUSTER_FORMAT) throw new InstanceFormatError(file, '$.format', JSON.stringify(SLOTLAB_CLUSTER_FORMAT), format);
  const { format: _format, description: _description, ...spec } = parseWithSchema(clusterDocumentSchema, data, file);
  return resolveClusterResources(spec as ClusterSpec, file, '$');
}

/** The JSON document of a cluster: what `slotlab generate` writes for cluster generators. */
export function toClusterDocument(spec: ClusterSpec, description?: string): Record<string, unknown> {
  return { format: SLOTLAB_CLUSTER_FORMAT, ...(description === undefined ? {} : { description }), ...spec };
}

// ---- job graph ---------------------------------------------------------------------------------------------

const operatorSchema = object(
  {
    id: nonEmptyString(),
    name: text().optional(),
    parallelism: int(1),
    workMs: nonNegative().optional(),
    subtaskWorkMs: list(nonNegative(), 'finite numbers >= 0 (one per subtask)').optional(),
    durationMsByTaskManager: z.record(z.string(), nonNegative(), { error: 'an object mapping TaskManager ids to durations in ms' }).optional(),
    memoryBytes: nonNegative().optional(),
    slotSharingGroup: nonEmptyString().optional(),
    kind: text().optional(),
    params: z.record(z.string(), z.unknown(), { error: 'a JSON object of runtime parameters' }).optional(),
  },
  'an operator { id, parallelism, name?, workMs?, subtaskWorkMs?, durationMsByTaskManager?, memoryBytes?, slotSharingGroup?, kind?, params? }',
) satisfies z.ZodType<OperatorSpec>;

const edgeSchema = object(
  {
    from: nonEmptyString(),
    to: nonEmptyString(),
    partitioning: oneOf(PARTITIONINGS as readonly string[] as ['forward', 'hash', 'rebalance', 'broadcast', 'rescale']),
    bytes: nonNegative().optional(),
  },
  'an edge { from, to, partitioning, bytes? }',
) satisfies z.ZodType<JobEdgeSpec>;

export const jobGraphSchema = object(
  { operators: list(operatorSchema, 'operators'), edges: list(edgeSchema, 'edges'), slotSharingGroups: z.record(z.string(), resourceProfileSchema, { error: 'an object of slot sharing group name -> resource profile' }).optional() },
  'a job graph { operators, edges, slotSharingGroups? }',
) satisfies z.ZodType<JobGraphSpec>;

// ---- the three documents -----------------------------------------------------------------------------------

const header = { name: nonEmptyString(), description: text().optional() };

export const dagPlacementSchema = object(
  {
    format: z.literal(SLOTLAB_FORMATS['dag-placement']),
    ...header,
    variant: oneOf(PLACEMENT_VARIANTS as readonly string[] as ['exclusive', 'shared', 'sequenced']),
    job: jobGraphSchema,
    cluster: clusterSchema,
  },
  'a DAG placement instance',
);

export const slotAllocationSchema = object(
  {
    format: z.literal(SLOTLAB_FORMATS['slot-allocation']),
    ...header,
    taskManagers: list(
      object(
        { id: nonEmptyString(), slotCount: int(0), cpuCores: nonNegative().optional(), memoryBytes: nonNegative().optional(), ...resourceFields },
        'a TaskManager { id, slotCount, cpuCores?, memoryBytes?, resources? | flinkMemory?, slotCutting? }',
      ),
      'TaskManagers',
    ),
    jobs: list(
      object(
        {
          id: nonEmptyString(),
          slotDemand: int(0).optional(),
          minSlots: int(0).optional(),
          maxSlots: int(0).optional(),
          maxSlotsPerTaskManager: int(1).optional(),
          slotProfile: object({ cpuCores: nonNegative(), memoryBytes: nonNegative() }, 'a slot profile { cpuCores, memoryBytes }').optional(),
          resourceProfile: resourceProfileSchema.optional(),
        },
        'a job { id, slotDemand | minSlots/maxSlots, maxSlotsPerTaskManager?, slotProfile?, resourceProfile? }',
      ),
      'jobs',
    ),
  },
  'a slot allocation instance',
);

export const loadBalancingSchema = object(
  {
    format: z.literal(SLOTLAB_FORMATS['load-balancing']),
    ...header,
    objective: oneOf(LOAD_BALANCING_OBJECTIVES as readonly string[] as ['max-utilization', 'squared-deviation']).optional(),
    taskManagers: list(
      object(
        { id: nonEmptyString(), slotCount: int(0).optional(), speedFactor: positive().optional(), memoryBytes: nonNegative().optional() },
        'a TaskManager { id, slotCount?, speedFactor?, memoryBytes? }',
      ),
      'TaskManagers',
    ),
    tasks: list(
      object(
        { id: nonEmptyString(), operator: text().optional(), load: nonNegative(), memoryBytes: nonNegative().optional(), currentTaskManager: nonEmptyString().optional() },
        'a task { id, load, operator?, memoryBytes?, currentTaskManager? }',
      ),
      'tasks',
    ),
    migrationCostMs: nonNegative().optional(),
  },
  'a load balancing instance',
);

// ---- large jobs: the operator and edge lists checked without a zod pass per element ---------------------------

/** The fields of an operator and of an edge in the plain shape of large generated jobs (also what dag-placement-columns.ts reads). */
export const PLAIN_OPERATOR_FIELDS = ['id', 'name', 'parallelism', 'workMs', 'memoryBytes', 'slotSharingGroup', 'kind'] as const;
export const PLAIN_EDGE_FIELDS = ['from', 'to', 'partitioning', 'bytes'] as const;
const OPERATOR_FIELDS = new Set<string>(PLAIN_OPERATOR_FIELDS);
const EDGE_FIELDS = new Set<string>(PLAIN_EDGE_FIELDS);
const PARTITIONING_NAMES = new Set<unknown>(PARTITIONINGS);
const QUANTITY_LIMIT = INSTANCE_LIMITS.quantity;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isQuantity = (v: unknown): boolean => typeof v === 'number' && v >= 0 && v <= QUANTITY_LIMIT;
const isOptionalQuantity = (v: unknown): boolean => v === undefined || isQuantity(v);
const hasOnly = (v: Record<string, unknown>, fields: ReadonlySet<string>): boolean => {
  for (const key in v) if (!fields.has(key)) return false;
  return true;
};

/**
 * An operator the schema certainly accepts, in the plain shape large generated jobs have (no per-subtask work,
 * per-TaskManager durations or runtime params); false says only "let the schema look".
 */
function isPlainOperator(v: unknown): boolean {
  if (!isRecord(v) || !hasOnly(v, OPERATOR_FIELDS)) return false;
  const { id, name, parallelism, workMs, memoryBytes, slotSharingGroup, kind } = v;
  return (
    typeof id === 'string' && id !== '' &&
    typeof parallelism === 'number' && Number.isInteger(parallelism) && parallelism >= 1 && parallelism <= QUANTITY_LIMIT &&
    isOptionalQuantity(workMs) && isOptionalQuantity(memoryBytes) &&
    (name === undefined || typeof name === 'string') && (kind === undefined || typeof kind === 'string') &&
    (slotSharingGroup === undefined || (typeof slotSharingGroup === 'string' && slotSharingGroup !== ''))
  );
}

/** An edge the schema certainly accepts; false says only "let the schema look". */
function isPlainEdge(v: unknown): boolean {
  if (!isRecord(v) || !hasOnly(v, EDGE_FIELDS)) return false;
  return typeof v.from === 'string' && v.from !== '' && typeof v.to === 'string' && v.to !== '' && PARTITIONING_NAMES.has(v.partitioning) && isOptionalQuantity(v.bytes);
}

/** Above this many operators and edges, the lists are checked by `isPlainOperator` / `isPlainEdge` first. */
const LARGE_JOB_ELEMENTS = 10_000;

/**
 * `parseWithSchema(dagPlacementSchema, ...)`, with the same result and the same first error, at a fraction of the
 * time for a job of millions of operators and edges: when every operator and edge passes the plain checks above
 * (which accept nothing the schema refuses; a test holds them to it), the schema checks the document with empty lists
 * and the lists are put back as they are. When any element does not pass, the schema checks everything, so that a bad
 * file gets exactly the message it always got.
 */
export function parseDagPlacementDocument(data: unknown, file: string): z.output<typeof dagPlacementSchema> {
  const job = isRecord(data) ? data.job : undefined;
  if (!isRecord(job) || !Array.isArray(job.operators) || !Array.isArray(job.edges) || job.operators.length + job.edges.length < LARGE_JOB_ELEMENTS)
    return parseWithSchema(dagPlacementSchema, data, file);
  const operators: unknown[] = job.operators;
  const edges: unknown[] = job.edges;
  if (!operators.every(isPlainOperator) || !edges.every(isPlainEdge)) return parseWithSchema(dagPlacementSchema, data, file);
  const parsed = parseWithSchema(dagPlacementSchema, { ...(data as Record<string, unknown>), job: { ...job, operators: [], edges: [] } }, file);
  return { ...parsed, job: { ...parsed.job, operators: operators as typeof parsed.job.operators, edges: edges as typeof parsed.job.edges } };
}

export type SlotlabDocument =
  | { readonly kind: 'dag-placement'; readonly spec: DagPlacementSpec }
  | { readonly kind: 'slot-allocation'; readonly spec: SlotAllocationSpec }
  | { readonly kind: 'load-balancing'; readonly spec: LoadBalancingSpec };

function withoutHeader<T extends { format: string; description?: string | undefined }>(doc: T): Omit<T, 'format' | 'description'> {
  const { format: _format, description: _description, ...spec } = doc;
  return spec;
}

/** True when the parsed JSON names one of slotlab's formats (or any `slotlab/...` format). */
export function looksLikeSlotlabJson(data: unknown): boolean {
  return typeof data === 'object' && data !== null && typeof (data as { format?: unknown }).format === 'string' && (data as { format: string }).format.startsWith('slotlab/');
}

/**
 * Checks a parsed slotlab JSON document against its format's schema and returns the model's spec.
 * Throws InstanceFormatError(file, JSON path, expected, actual) on the first problem.
 */
export function parseSlotlabDocument(data: unknown, file: string): SlotlabDocument {
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new InstanceFormatError(file, '$', 'a JSON object with a "format" field', data);
  const format = (data as { format?: unknown }).format;
  switch (format) {
    case SLOTLAB_FORMATS['dag-placement']: {
      const spec = withoutHeader(parseDagPlacementDocument(data, file));
      return { kind: 'dag-placement', spec: { ...spec, cluster: resolveClusterResources(spec.cluster, file, '$.cluster') } };
    }
    case SLOTLAB_FORMATS['slot-allocation']: {
      const spec = withoutHeader(parseWithSchema(slotAllocationSchema, data, file));
      return {
        kind: 'slot-allocation',
        spec: {
          ...spec,
          taskManagers: spec.taskManagers.map((tm, i) => resolveTaskManagerResources(tm, file, `$.taskManagers[${i}]`)),
        },
      };
    }
    case SLOTLAB_FORMATS['load-balancing']:
      return { kind: 'load-balancing', spec: withoutHeader(parseWithSchema(loadBalancingSchema, data, file)) };
    case SLOTLAB_CLUSTER_FORMAT:
      throw new InstanceFormatError(file, '$.format', `an instance format (${FORMAT_VALUES.join(', ')}); this file is a cluster alone: give it with --cluster ${file}`, format);
    default:
      if (format === undefined) throw new InstanceFormatError(file, '$.format', `one of ${FORMAT_VALUES.map((f) => JSON.stringify(f)).join(', ')}, but the field is missing`);
      throw new InstanceFormatError(file, '$.format', `one of ${FORMAT_VALUES.map((f) => JSON.stringify(f)).join(', ')}`, format);
  }
}

/** The JSON document (with `format`) for a spec: what generators write and `parseSlotlabDocument` reads back. */
export function toSlotlabDocument(doc: SlotlabDocument, description?: string): Record<string, unknown> {
  return { format: SLOTLAB_FORMATS[doc.kind], ...(description === undefined ? {} : { description }), ...doc.spec };
}
