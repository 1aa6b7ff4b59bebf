import { basename, extname } from 'node:path';
import { InstanceFormatError, InvalidInstanceError } from '../../models/errors.ts';
import { createCluster, type ClusterSpec } from '../../models/graphs/cluster.ts';
import { compileDagPlacementInstance, createDagPlacementInstance, type DagPlacementInstance, type DagPlacementSpec, type PlacementVariant } from '../../models/dag-placement/instance.ts';
import { compileJobColumns } from '../../models/graphs/compiled-job.ts';
import { dagPlacementInfeasibility } from '../../models/dag-placement/feasibility.ts';
import { createSlotAllocationInstance, type SlotAllocationInstance, type SlotAllocationSpec } from '../../models/slot-allocation/instance.ts';
import { createLoadBalancingInstance, type LoadBalancingInstance, type LoadBalancingSpec } from '../../models/load-balancing/instance.ts';
import { decodeText, parseJsonText, readFileBytes, readTextFile } from './files.ts';
import { readDagPlacementColumns, type DagPlacementColumns } from './dag-placement-columns.ts';
import { looksLikeSlotlabJson, parseClusterDocument, parseSlotlabDocument } from './slotlab-json.ts';
import { parseStg, stgDagPlacementSpec } from './stg.ts';
import { parseWfFormat, looksLikeWfFormat, wfDagPlacementSpec } from './wfformat.ts';
import { bppLoadBalancingSpec, parseBpp } from './bpplib.ts';
import { heftFixtureDagPlacementSpec, looksLikeHeftFixture, parseHeftFixture } from './heft-paper.ts';
import { flinkPlanDagPlacementSpec, looksLikeFlinkPlan, parseFlinkPlan, readFlinkCostsFile } from './flink-plan.ts';

/**
 * One entry point for every instance file slotlab reads: `loadInstance(path, options)`.
 * The format is detected from the extension and the content (see `detectInstanceFormat`); every loader refuses
 * bad input with an InstanceFormatError / InvalidInstanceError / CyclicGraphError naming the file and the
 * line or JSON path.
 */
export type LoadedInstance = SlotAllocationInstance | LoadBalancingInstance | DagPlacementInstance;

export type InstanceFileFormat = 'slotlab-json' | 'stg' | 'wfformat' | 'bpplib' | 'heft-paper' | 'flink-plan';
export const INSTANCE_FILE_FORMATS: readonly InstanceFileFormat[] = ['slotlab-json', 'stg', 'wfformat', 'bpplib', 'heft-paper', 'flink-plan'];

/** What each format holds and how it is recognised (for help texts and docs). */
export const INSTANCE_FILE_FORMAT_NOTES: Readonly<Record<InstanceFileFormat, string>> = {
  'slotlab-json': '.json with "format": "slotlab/<model>@1" (docs/formats.md): any of the three models',
  stg: '.stg: Standard Task Graph Set, DAG placement (sequenced); needs a cluster',
  wfformat: '.json with "schemaVersion" and "workflow": WfCommons WfFormat 1.5, DAG placement (sequenced); cluster from its machines',
  bpplib: '.txt / .bpp in BPP format (n, capacity, n weights): BPPLIB, load balancing; needs taskManagers or a cluster',
  'heft-paper': '.json with "processors", "tasks" (cost per processor) and "edges" (comm): the HEFT paper fixture, DAG placement',
  'flink-plan': '.json with "nodes" (or "plan": { "nodes" }): a Flink execution plan (getExecutionPlan() or REST /jobs/:jobid/plan), DAG placement (shared); needs a cluster, costs from --costs',
};

export interface LoadOptions {
  /**
   * The cluster to place on. Replaces the file's own cluster (slotlab JSON, WfFormat machines) and supplies one
   * to formats that have none. For slot allocation and load balancing, its TaskManagers (id, slotCount, speed,
   * memory) replace the instance's. Build one from a shorthand with `parseClusterShorthand('4x1')`.
   */
  readonly cluster?: ClusterSpec;
  /**
   * Shortcut when no `cluster` is given: N identical TaskManagers `tm1..tmN`, speed 1. DAG placement: one slot
   * each (P identical processors, as the STG table assumes). Load balancing: no slot limit (P||Cmax).
   * Not accepted for slot allocation (give a cluster).
   */
  readonly taskManagers?: number;
  /** DAG placement: the variant to solve under; replaces the file's own. Ignored by the other models. */
  readonly variant?: PlacementVariant;
  /**
   * DAG placement: refuse an instance that cannot be placed at all (more subtasks than slots under
   * `exclusive`, an operator wider than the cluster, memory) with an InvalidInstanceError. Default true;
   * set false to get the instance and let solvers report `status: 'infeasible'`.
   */
  readonly checkFeasibility?: boolean;
  /** Flink plans: a costs file (`slotlab/flink-costs@1`, docs/formats.md) with per-operator figures. Other formats refuse it. */
  readonly costs?: string;
  /** Called with each warning a loader has (a Flink plan's default costs); default: none are reported. */
  readonly warn?: (message: string) => void;
}

export interface LoadedFile {
  readonly file: string;
  readonly format: InstanceFileFormat;
  readonly instance: LoadedInstance;
}

/** Which loader reads `file`: by extension, then by content. */
export function detectInstanceFormat(file: string, content: string): InstanceFileFormat {
  return detect(file, content).format;
}

/** The format, and for JSON the parsed document (so that it is parsed once). */
function detect(file: string, content: string): { format: InstanceFileFormat; data?: unknown } {
  const ext = extname(file).toLowerCase();
  if (ext === '.stg') return { format: 'stg' };
  if (ext === '.json') {
    const data = parseJsonText(content, file);
    if (looksLikeSlotlabJson(data)) return { format: 'slotlab-json', data };
    if (looksLikeWfFormat(data)) return { format: 'wfformat', data };
    if (looksLikeHeftFixture(data)) return { format: 'heft-paper', data };
    if (looksLikeFlinkPlan(data)) return { format: 'flink-plan', data };
    throw new InstanceFormatError(
      file,
      '$',
      'a slotlab instance ("format": "slotlab/..."), a WfFormat workflow ("schemaVersion", "workflow"), a HEFT fixture ("processors", "tasks", "edges") or a Flink execution plan ("nodes")',
      data,
    );
  }
  if (ext === '.txt' || ext === '.bpp') return { format: 'bpplib' };
  throw new InstanceFormatError(
    file,
    'the file name',
    `one of the known instance formats: ${Object.values(INSTANCE_FILE_FORMAT_NOTES).join('; ')}`,
    ext === '' ? file : ext,
  );
}

/** Reads and checks a cluster file (`slotlab/cluster@1`, written by `slotlab generate <cluster generator>`). */
export function loadClusterFile(file: string): ClusterSpec {
  const spec = parseClusterDocument(parseJsonText(readTextFile(file), file), file);
  createCluster(spec, file); // the model's own checks (unique ids, links between known TaskManagers), naming the file
  return spec;
}

/** Reads, checks and builds the instance in `file`. */
export function loadInstance(file: string, options: LoadOptions = {}): LoadedInstance {
  return loadInstanceFile(file, options).instance;
}

/** As `loadInstance`, also saying which format the file was in. */
export function loadInstanceFile(file: string, options: LoadOptions = {}): LoadedFile {
  const bytes = readFileBytes(file);
  if (extname(file).toLowerCase() === '.json' && options.costs === undefined) {
    // a plainly valid slotlab DAG placement file is read straight into columns; anything else the full way below
    const columns = readDagPlacementColumns(bytes);
    const instance = columns === undefined ? undefined : dagPlacementFromColumns(columns, file, options);
    if (instance !== undefined) return { file, format: 'slotlab-json', instance: checkedDagPlacement(instance, file, options) };
  }
  return loadInstanceText(file, decodeText(bytes), options);
}

/** As `loadInstanceFile`, from the file's text, the full way (every format; what a file the column reader declines gets). */
export function loadInstanceText(file: string, content: string, options: LoadOptions = {}): LoadedFile {
  const { format, data } = detect(file, content);
  if (options.costs !== undefined && format !== 'flink-plan')
    throw new InvalidInstanceError(file, 'costs option', `a costs file is for Flink execution plans, but this file is ${format} (its costs are in the file)`);
  switch (format) {
    case 'slotlab-json': {
      const doc = parseSlotlabDocument(data, file);
      if (doc.kind === 'dag-placement') return { file, format, instance: buildDagPlacement(doc.spec, file, options) };
      if (doc.kind === 'slot-allocation') return { file, format, instance: buildSlotAllocation(doc.spec, file, options) };
      return { file, format, instance: buildLoadBalancing(doc.spec, file, options) };
    }
    case 'stg': {
      const spec = stgDagPlacementSpec(parseStg(content, file), clusterFromOptions(options, file));
      return { file, format, instance: buildDagPlacement(spec, file, options) };
    }
    case 'wfformat': {
      const spec = wfDagPlacementSpec(parseWfFormat(data, file), clusterFromOptions(options, file));
      return { file, format, instance: buildDagPlacement(spec, file, options) };
    }
    case 'heft-paper': {
      const spec = heftFixtureDagPlacementSpec(parseHeftFixture(data, file));
      return { file, format, instance: buildDagPlacement(spec, file, options) };
    }
    case 'flink-plan': {
      const plan = parseFlinkPlan(data, file, basename(file, extname(file)));
      const costs = options.costs === undefined ? undefined : readFlinkCostsFile(options.costs);
      const { spec, warnings } = flinkPlanDagPlacementSpec(plan, clusterFromOptions(options, file), costs);
      const instance = buildDagPlacement(spec, file, options); // a cycle or an unplaceable job is refused before any warning
      for (const w of warnings) options.warn?.(w);
      return { file, format, instance };
    }
    case 'bpplib': {
      const spec = bppLoadBalancingSpec(parseBpp(content, file), loadBalancingTaskManagers(options, file));
      return { file, format, instance: createLoadBalancingInstance(spec, file) };
    }
  }
}

/** The cluster the options ask for, if any (`cluster` wins over `taskManagers`). */
export function clusterFromOptions(options: LoadOptions, file: string, slotsPerTaskManager = 1): ClusterSpec | undefined {
  if (options.cluster) return options.cluster;
  if (options.taskManagers === undefined) return undefined;
  if (!Number.isInteger(options.taskManagers) || options.taskManagers < 1)
    throw new InvalidInstanceError(file, 'taskManagers option', `should be an integer >= 1, got ${JSON.stringify(options.taskManagers)}`);
  return { taskManagers: Array.from({ length: options.taskManagers }, (_, i) => ({ id: `tm${i + 1}`, slotCount: slotsPerTaskManager })) };
}

/** Applies the options (cluster, variant) to a DAG placement spec, builds it and checks that it can be placed. */
export function buildDagPlacement(spec: DagPlacementSpec, file: string, options: LoadOptions = {}): DagPlacementInstance {
  const cluster = clusterFromOptions(options, file) ?? spec.cluster;
  return checkedDagPlacement(createDagPlacementInstance({ ...spec, cluster, variant: options.variant ?? spec.variant }, file), file, options);
}

/**
 * `buildDagPlacement` for a document read into columns (dag-placement-columns.ts): the rest of the document through
 * the format's schema, the job through `compileJobColumns`, the options applied. Undefined when anything is not
 * plainly valid: then the caller reads the file the full way, which reports it exactly as it always did. (Not
 * checked for feasibility: the caller does that, as `buildDagPlacement` does.)
 */
export function dagPlacementFromColumns(columns: DagPlacementColumns, file: string, options: LoadOptions = {}): DagPlacementInstance | undefined {
  try {
    const doc = parseSlotlabDocument(columns.rest, file);
    if (doc.kind !== 'dag-placement') return undefined;
    const spec = doc.spec;
    const job = compileJobColumns({ ...columns.job, slotSharingGroupProfiles: spec.job.slotSharingGroups }, file);
    if (job === undefined) return undefined;
    const cluster = createCluster(clusterFromOptions(options, file) ?? spec.cluster, file);
    return compileDagPlacementInstance(spec.name, options.variant ?? spec.variant, job, cluster, file);
  } catch {
    return undefined; // the full path names the problem
  }
}

/** The instance, refused when it cannot be placed at all (unless `checkFeasibility` is false). */
function checkedDagPlacement(instance: DagPlacementInstance, file: string, options: LoadOptions): DagPlacementInstance {
  if (options.checkFeasibility !== false) {
    const reason = dagPlacementInfeasibility(instance);
    if (reason !== undefined) throw new InvalidInstanceError(file, `variant ${instance.variant}`, `this instance cannot be placed: ${reason}`);
  }
  return instance;
}

export function buildSlotAllocation(spec: SlotAllocationSpec, file: string, options: LoadOptions = {}): SlotAllocationInstance {
  if (options.taskManagers !== undefined && !options.cluster)
    throw new InvalidInstanceError(file, 'taskManagers option', 'slot allocation needs TaskManagers with slot counts: give a cluster (e.g. --cluster 4x2) instead');
  const taskManagers = options.cluster
    ? options.cluster.taskManagers.map((tm) => ({ id: tm.id, slotCount: tm.slotCount, ...(tm.cpuCores === undefined ? {} : { cpuCores: tm.cpuCores }), ...(tm.memoryBytes === undefined ? {} : { memoryBytes: tm.memoryBytes }) }))
    : spec.taskManagers;
  return createSlotAllocationInstance({ ...spec, taskManagers }, file);
}

/** The load balancing TaskManagers the options ask for, if any (`cluster` wins over `taskManagers`). */
export function loadBalancingTaskManagers(options: LoadOptions, file: string): LoadBalancingSpec['taskManagers'] | undefined {
  if (options.cluster)
    return options.cluster.taskManagers.map((tm) => ({
      id: tm.id,
      slotCount: tm.slotCount,
      ...(tm.speedFactor === undefined ? {} : { speedFactor: tm.speedFactor }),
      ...(tm.memoryBytes === undefined ? {} : { memoryBytes: tm.memoryBytes }),
    }));
  if (options.taskManagers === undefined) return undefined;
  const n = options.taskManagers;
  if (!Number.isInteger(n) || n < 1) throw new InvalidInstanceError(file, 'taskManagers option', `should be an integer >= 1, got ${JSON.stringify(n)}`);
  return Array.from({ length: n }, (_, i) => ({ id: `tm${i + 1}` }));
}

export function buildLoadBalancing(spec: LoadBalancingSpec, file: string, options: LoadOptions = {}): LoadBalancingInstance {
  return createLoadBalancingInstance({ ...spec, taskManagers: loadBalancingTaskManagers(options, file) ?? spec.taskManagers }, file);
}
