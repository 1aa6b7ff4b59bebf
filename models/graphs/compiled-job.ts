import { DirectedGraph } from 'graphology';
import { describeValue, InvalidInstanceError } from '../errors.ts';
import { checkResourceProfile, type ResourceProfile } from '../resources/profile.ts';
import { INSTANCE_LIMITS, overLimitReason } from '../limits.ts';
import { topologicalOrder } from './dag.ts';
import { subtaskEdgeCountOfJobEdge } from './execution-graph.ts';
import {
  PARTITIONINGS,
  SLOT_SHARING_GROUP_PROFILES,
  slotSharingGroupProfilesOf,
  type JobEdgeAttributes,
  type JobGraph,
  type JobGraphSpec,
  type OperatorAttributes,
  type Partitioning,
} from './job-graph.ts';

/**
 * The job graph as flat arrays: what the DAG placement instance is compiled from (models/dag-placement/instance.ts).
 * A job of a million parallelism-1 operators (the scaling benchmark's layered DAGs) is a million graphology nodes and
 * three million edges, whose keys, attribute objects and adjacency objects cost seconds and hundreds of megabytes
 * before a subtask exists; here the same job is a few typed arrays, and the graphology graph (`jobGraphOf`) is built
 * only when something asks for it (the instance's `jobGraph`, built on first access, as its execution graph is).
 *
 * `compileJobSpec` is the one place the job graph's rules are checked (`createJobGraph` builds its graph from it), in
 * the order and with the messages they always had. `compiledJobOf` reads a graphology job graph (the runtime's and
 * the cluster simulator's jobs are graphs) into the same arrays, so that every instance goes through one compiler.
 */
export interface CompiledJob {
  /** Operator ids, in the spec's order (the job graph's node order). */
  readonly ids: readonly string[];
  readonly names: readonly string[];
  readonly parallelism: Int32Array;
  /** Subtask work of operator i is `subtaskWorkMs[workOffset[i] .. workOffset[i] + parallelism[i])`. */
  readonly workOffset: Float64Array;
  readonly subtaskWorkMs: Float64Array;
  readonly memoryBytes: Float64Array;
  readonly slotSharingGroups: readonly string[];
  /** The fields few operators have, by operator position (absent: undefined). */
  readonly durationMsByTaskManager: ReadonlyMap<number, Readonly<Record<string, number>>>;
  readonly kinds: ReadonlyMap<number, string>;
  readonly params: ReadonlyMap<number, Readonly<Record<string, unknown>>>;
  /** Job edges in the spec's order (the job graph's edge order): operator positions, partitioning, bytes. */
  readonly edgeFrom: Int32Array;
  readonly edgeTo: Int32Array;
  readonly edgePartitioning: readonly Partitioning[];
  readonly edgeBytes: Float64Array;
  /** Operator positions in the topological order `topologicalOrder` (graphs/dag.ts) gives the job graph. */
  readonly topologicalOrder: Int32Array;
  /** The declared slot sharing group profiles (fine-grained resources), or undefined when the spec gave none. */
  readonly slotSharingGroupProfiles: ReadonlyMap<string, ResourceProfile> | undefined;
}

/** A plain quantity: a number >= 0 within the limit (what `nonNegative` accepts), tested without naming the field. */
function isPlainQuantity(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= INSTANCE_LIMITS.quantity;
}

function nonNegative(source: string, field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new InvalidInstanceError(source, field, `should be a finite number >= 0, got ${describeValue(value)}`);
  if (value > INSTANCE_LIMITS.quantity)
    throw new InvalidInstanceError(source, field, `${value} exceeds the limit of ${INSTANCE_LIMITS.quantity} (docs/formats.md, "Limits")`);
  return value;
}

/**
 * Refuses a job graph whose expansion would exceed the subtask or subtask-edge limit, before anything is expanded.
 * Returns, for later checks, the position of each operator id (the last operator of that id) and each edge's
 * endpoints as positions (-1 for an unknown id).
 */
function checkExpansionSize(spec: JobGraphSpec, source: string): { position: Map<string, number>; edgeFrom: Int32Array; edgeTo: Int32Array } {
  let subtasks = 0;
  const position = new Map<string, number>();
  const operators = spec.operators;
  for (let i = 0; i < operators.length; i++) {
    const op = operators[i]!;
    position.set(op.id, i);
    if (typeof op.parallelism !== 'number') continue; // the per-operator checks name it
    if (op.parallelism > INSTANCE_LIMITS.subtasks)
      throw new InvalidInstanceError(source, `job.operators[${i}].parallelism`, overLimitReason(op.parallelism, 'subtasks', INSTANCE_LIMITS.subtasks));
    subtasks += op.parallelism;
    if (subtasks > INSTANCE_LIMITS.subtasks)
      throw new InvalidInstanceError(source, `job.operators[${i}].parallelism`, overLimitReason(subtasks, 'subtasks up to this operator', INSTANCE_LIMITS.subtasks));
  }
  const parallelismAt = (i: number) => {
    const p = i === -1 ? undefined : operators[i]!.parallelism;
    return typeof p === 'number' ? p : 0;
  };
  let edges = 0;
  const m = spec.edges.length;
  const edgeFrom = new Int32Array(m);
  const edgeTo = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    const e = spec.edges[i]!;
    const from = position.get(e.from) ?? -1;
    const to = position.get(e.to) ?? -1;
    edgeFrom[i] = from;
    edgeTo[i] = to;
    const pFrom = parallelismAt(from);
    const pTo = parallelismAt(to);
    edges += subtaskEdgeCountOfJobEdge(e.partitioning, pFrom, pTo);
    if (edges > INSTANCE_LIMITS.subtaskEdges)
      throw new InvalidInstanceError(source, `job.edges[${i}]`, overLimitReason(edges, 'subtask edges up to this edge', INSTANCE_LIMITS.subtaskEdges));
  }
  return { position, edgeFrom, edgeTo };
}

/**
 * Open-addressing set of (from, to) operator pairs: the duplicate-edge check of a job of millions of edges without a
 * string or boxed-number key per edge.
 */
class OperatorPairSet {
  private readonly from: Int32Array;
  private readonly to: Int32Array;
  private readonly mask: number;

  constructor(capacity: number) {
    let size = 16;
    while (size < 2 * capacity) size *= 2;
    this.from = new Int32Array(size).fill(-1);
    this.to = new Int32Array(size);
    this.mask = size - 1;
  }

  /** Adds the pair; false when it was there already. */
  add(a: number, b: number): boolean {
    let h = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77)) & this.mask;
    for (;;) {
      const f = this.from[h]!;
      if (f === -1) {
        this.from[h] = a;
        this.to[h] = b;
        return true;
      }
      if (f === a && this.to[h] === b) return false;
      h = (h + 1) & this.mask;
    }
  }
}

/** A JavaScript array index ("0", "17"): such keys come first, ascending, when an object's keys are listed. */
function arrayIndexOf(key: string): number {
  const n = key.length > 0 && key.length <= 10 && /^(?:0|[1-9]\d*)$/.test(key) ? Number(key) : -1;
  return n >= 0 && n <= 4294967294 ? n : -1;
}

/**
 * Checks a job graph spec and compiles it: unique operator ids, positive integer parallelism, non-negative work,
 * memory and bytes, known edge endpoints, equal parallelism on `forward` edges, no cycle, slot sharing group
 * profiles naming groups of the job. `source` names the file (or spec) in error messages.
 */
export function compileJobSpec(spec: JobGraphSpec, source = 'job graph'): CompiledJob {
  const { position, edgeFrom, edgeTo } = checkExpansionSize(spec, source);
  // the field names of the messages, built only for a value that is not plainly valid (a million operators)
  const operatorAt = (i: number) => `job.operators[${i}]`;
  const edgeAt = (i: number) => `job.edges[${i}]`;
  const n = spec.operators.length;
  // with every id distinct (the usual case) `position` is the id index; otherwise duplicates are found in order
  const seen = position.size === n ? undefined : new Set<string>();
  const ids: string[] = new Array(n);
  const names: string[] = new Array(n);
  const parallelism = new Int32Array(n);
  const workOffset = new Float64Array(n + 1);
  const memoryBytes = new Float64Array(n);
  const slotSharingGroups: string[] = new Array(n);
  const durationMsByTaskManager = new Map<number, Readonly<Record<string, number>>>();
  const kinds = new Map<number, string>();
  const params = new Map<number, Readonly<Record<string, unknown>>>();
  let subtaskCount = 0;
  for (const op of spec.operators) if (Number.isInteger(op.parallelism) && op.parallelism > 0) subtaskCount += op.parallelism;
  const subtaskWorkMs = new Float64Array(subtaskCount);
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const op = spec.operators[i]!;
    if (typeof op.id !== 'string' || op.id === '') throw new InvalidInstanceError(source, `${operatorAt(i)}.id`, 'should be a non-empty string');
    if (seen !== undefined) {
      if (seen.has(op.id)) throw new InvalidInstanceError(source, `${operatorAt(i)}.id`, `duplicate operator id "${op.id}"`);
      seen.add(op.id);
    }
    if (!Number.isInteger(op.parallelism) || op.parallelism < 1)
      throw new InvalidInstanceError(source, `${operatorAt(i)}.parallelism`, `should be an integer >= 1, got ${JSON.stringify(op.parallelism)}`);
    const p = op.parallelism;
    const workMs = isPlainQuantity(op.workMs) ? op.workMs : nonNegative(source, `${operatorAt(i)}.workMs`, op.workMs, 0);
    workOffset[i] = offset;
    if (op.subtaskWorkMs !== undefined) {
      if (op.subtaskWorkMs.length !== p)
        throw new InvalidInstanceError(source, `${operatorAt(i)}.subtaskWorkMs`, `should have one entry per subtask (${p}), got ${op.subtaskWorkMs.length}`);
      for (let k = 0; k < p; k++) subtaskWorkMs[offset + k] = nonNegative(source, `${operatorAt(i)}.subtaskWorkMs[${k}]`, op.subtaskWorkMs[k], 0);
    } else subtaskWorkMs.fill(workMs, offset, offset + p);
    offset += p;
    if (op.durationMsByTaskManager !== undefined) {
      for (const [tm, d] of Object.entries(op.durationMsByTaskManager)) nonNegative(source, `${operatorAt(i)}.durationMsByTaskManager.${tm}`, d, 0);
      durationMsByTaskManager.set(i, op.durationMsByTaskManager);
    }
    memoryBytes[i] = isPlainQuantity(op.memoryBytes) ? op.memoryBytes : nonNegative(source, `${operatorAt(i)}.memoryBytes`, op.memoryBytes, 0);
    ids[i] = op.id;
    names[i] = op.name ?? op.id;
    parallelism[i] = p;
    slotSharingGroups[i] = op.slotSharingGroup ?? 'default';
    if (op.kind !== undefined) kinds.set(i, op.kind);
    if (op.params !== undefined) params.set(i, op.params);
  }
  workOffset[n] = offset;

  const m = spec.edges.length;
  const edgePartitioning: Partitioning[] = new Array(m);
  const edgeBytes = new Float64Array(m);
  const pairs = new OperatorPairSet(m);
  for (let i = 0; i < m; i++) {
    const e = spec.edges[i]!;
    const from = edgeFrom[i]!;
    if (from === -1) throw new InvalidInstanceError(source, `${edgeAt(i)}.from`, `names no operator ("${e.from}")`);
    const to = edgeTo[i]!;
    if (to === -1) throw new InvalidInstanceError(source, `${edgeAt(i)}.to`, `names no operator ("${e.to}")`);
    if (!(PARTITIONINGS as readonly string[]).includes(e.partitioning))
      throw new InvalidInstanceError(source, `${edgeAt(i)}.partitioning`, `should be one of ${PARTITIONINGS.join(', ')}, got ${JSON.stringify(e.partitioning)}`);
    if (from === to) throw new InvalidInstanceError(source, edgeAt(i), `an operator cannot feed itself ("${e.from}")`);
    if (!pairs.add(from, to)) throw new InvalidInstanceError(source, edgeAt(i), `duplicate edge ${e.from} -> ${e.to}`);
    const pFrom = parallelism[from]!;
    const pTo = parallelism[to]!;
    if (e.partitioning === 'forward' && pFrom !== pTo)
      throw new InvalidInstanceError(
        source,
        `${edgeAt(i)}.partitioning`,
        `a forward edge needs equal parallelism on both ends, but ${e.from} has ${pFrom} and ${e.to} has ${pTo} (use hash or rebalance)`,
      );
    edgeBytes[i] = isPlainQuantity(e.bytes) ? e.bytes : nonNegative(source, `${edgeAt(i)}.bytes`, e.bytes, 0);
    edgePartitioning[i] = e.partitioning;
  }

  const compiled: CompiledJob = {
    ids, names, parallelism, workOffset, subtaskWorkMs, memoryBytes, slotSharingGroups, durationMsByTaskManager, kinds, params,
    edgeFrom, edgeTo, edgePartitioning, edgeBytes, topologicalOrder: new Int32Array(0), slotSharingGroupProfiles: undefined,
  };
  const order = topologicalOrderOf(compiled);
  if (order === undefined) topologicalOrder(jobGraphOf(compiled), source); // throws CyclicGraphError naming a cycle
  return { ...compiled, topologicalOrder: order!, slotSharingGroupProfiles: slotSharingGroupProfilesFrom(spec.slotSharingGroups, slotSharingGroups, source) };
}

/** The declared slot sharing group profiles, checked: each names a group of the job's operators and is a resource profile. */
function slotSharingGroupProfilesFrom(declared: JobGraphSpec['slotSharingGroups'], slotSharingGroups: readonly string[], source: string): Map<string, ResourceProfile> | undefined {
  if (declared === undefined) return undefined;
  const groups = new Set(slotSharingGroups);
  const profiles = new Map<string, ResourceProfile>();
  for (const [group, p] of Object.entries(declared)) {
    if (!groups.has(group)) throw new InvalidInstanceError(source, `job.slotSharingGroups.${group}`, `names no slot sharing group of the job's operators (${[...groups].join(', ')})`);
    profiles.set(group, checkResourceProfile(source, `job.slotSharingGroups.${group}`, p));
  }
  return profiles;
}

/**
 * A job read straight into columns (datasets/loaders/dag-placement-columns.ts reads the `slotlab/dag-placement@1`
 * format's operators and edges from the file's bytes, without a JSON object per operator): the plain fields of
 * `OperatorSpec` and `JobEdgeSpec`, absent fields already given their defaults.
 */
export interface JobColumns {
  /** Operator ids in the document's order, all distinct (the reader looked each one up by its bytes). */
  readonly ids: readonly string[];
  /** The operator's `name`, or its id when it has none. */
  readonly names: readonly string[];
  /** As read (any number: the rules are checked here). */
  readonly parallelism: Float64Array;
  /** `workMs` and `memoryBytes`, 0 when absent. */
  readonly workMs: Float64Array;
  readonly memoryBytes: Float64Array;
  /** The operator's `slotSharingGroup`, or 'default'. */
  readonly slotSharingGroups: readonly string[];
  readonly kinds: ReadonlyMap<number, string>;
  /** Edge endpoints as operator positions, -1 for an id no operator has. */
  readonly edgeFrom: Int32Array;
  readonly edgeTo: Int32Array;
  readonly edgePartitioning: readonly Partitioning[];
  /** `bytes`, 0 when absent. */
  readonly edgeBytes: Float64Array;
  readonly slotSharingGroupProfiles: JobGraphSpec['slotSharingGroups'];
}

/**
 * `compileJobSpec` for a job read into columns, when every rule plainly holds: the same CompiledJob as
 * `compileJobSpec` gives the same job as a spec, or undefined when any of its rules (or the schema's ranges for these
 * fields) does not hold, so that the caller reads the file the full way and reports what `compileJobSpec` (or the
 * schema) says. datasets/loaders/dag-placement-columns.test.ts compares the two on valid and spoilt documents.
 */
export function compileJobColumns(columns: JobColumns, source = 'job graph'): CompiledJob | undefined {
  const { ids, parallelism: read, workMs, memoryBytes, slotSharingGroups, edgeFrom, edgeTo, edgePartitioning, edgeBytes } = columns;
  const n = ids.length;
  const parallelism = new Int32Array(n);
  const workOffset = new Float64Array(n + 1);
  let subtaskCount = 0;
  for (let i = 0; i < n; i++) {
    const p = read[i]!;
    if (!Number.isInteger(p) || p < 1 || p > INSTANCE_LIMITS.subtasks || ids[i] === '' || slotSharingGroups[i] === '') return undefined;
    if (!isPlainQuantity(workMs[i]) || !isPlainQuantity(memoryBytes[i])) return undefined;
    parallelism[i] = p;
    workOffset[i] = subtaskCount;
    subtaskCount += p;
    if (subtaskCount > INSTANCE_LIMITS.subtasks) return undefined;
  }
  workOffset[n] = subtaskCount;
  const subtaskWorkMs = new Float64Array(subtaskCount);
  for (let i = 0; i < n; i++) for (let k = workOffset[i]!, end = k + parallelism[i]!; k < end; k++) subtaskWorkMs[k] = workMs[i]!;
  const m = edgeFrom.length;
  let subtaskEdges = 0;
  for (let e = 0; e < m; e++) {
    const from = edgeFrom[e]!;
    const to = edgeTo[e]!;
    if (from === -1 || to === -1 || from === to || !isPlainQuantity(edgeBytes[e])) return undefined;
    const partitioning = edgePartitioning[e]!;
    if (partitioning === 'forward' && parallelism[from] !== parallelism[to]) return undefined;
    subtaskEdges += subtaskEdgeCountOfJobEdge(partitioning, parallelism[from]!, parallelism[to]!);
    if (subtaskEdges > INSTANCE_LIMITS.subtaskEdges) return undefined;
  }
  if (hasDuplicateEdge(n, edgeFrom, edgeTo)) return undefined;
  const compiled: CompiledJob = {
    ids, names: columns.names, parallelism, workOffset, subtaskWorkMs, memoryBytes, slotSharingGroups,
    durationMsByTaskManager: new Map(), kinds: columns.kinds, params: new Map(),
    edgeFrom, edgeTo, edgePartitioning, edgeBytes, topologicalOrder: new Int32Array(0), slotSharingGroupProfiles: undefined,
  };
  const order = topologicalOrderOf(compiled);
  if (order === undefined) return undefined;
  return { ...compiled, topologicalOrder: order, slotSharingGroupProfiles: slotSharingGroupProfilesFrom(columns.slotSharingGroupProfiles, slotSharingGroups, source) };
}

/**
 * True when two edges join the same pair of operators: the edges grouped by producer (a counting sort), then each
 * consumer marked with the producer that last reached it. (OperatorPairSet finds the first duplicate in edge order,
 * for compileJobSpec's message; this only says whether there is one, without a hash table's cache misses.)
 */
function hasDuplicateEdge(n: number, edgeFrom: Int32Array, edgeTo: Int32Array): boolean {
  const m = edgeFrom.length;
  const first = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) first[edgeFrom[e]! + 1]! += 1;
  for (let i = 0; i < n; i++) first[i + 1]! += first[i]!;
  const next = first.slice(0, n);
  const consumers = new Int32Array(m);
  for (let e = 0; e < m; e++) consumers[next[edgeFrom[e]!]!++] = edgeTo[e]!;
  const reachedBy = new Int32Array(n).fill(-1);
  for (let v = 0; v < n; v++)
    for (let j = first[v]!; j < first[v + 1]!; j++) {
      const t = consumers[j]!;
      if (reachedBy[t] === v) return true;
      reachedBy[t] = v;
    }
  return false;
}

/**
 * Kahn's algorithm over the arrays, giving exactly the order `topologicalOrder` (graphs/dag.ts) gives the job graph
 * built from them: sources in node order, and each operator's successors in graphology's neighbour order, which is
 * the order of an object's keys (array-index ids such as "17" first, ascending, then the others as their edges were
 * added). Undefined when there is a cycle.
 */
function topologicalOrderOf(job: Pick<CompiledJob, 'ids' | 'edgeFrom' | 'edgeTo'>): Int32Array | undefined {
  const n = job.ids.length;
  const m = job.edgeFrom.length;
  // successors grouped by operator, in edge order (a counting sort)
  const first = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) first[job.edgeFrom[e]! + 1]! += 1;
  for (let i = 0; i < n; i++) first[i + 1]! += first[i]!;
  const next = first.slice(0, n);
  const successors = new Int32Array(m);
  const indegree = new Int32Array(n);
  for (let e = 0; e < m; e++) {
    successors[next[job.edgeFrom[e]!]!++] = job.edgeTo[e]!;
    indegree[job.edgeTo[e]!]! += 1;
  }
  const index = new Float64Array(n);
  let anyIndexKey = false;
  for (let i = 0; i < n; i++) {
    index[i] = arrayIndexOf(job.ids[i]!);
    if (index[i]! >= 0) anyIndexKey = true;
  }
  if (anyIndexKey)
    for (let i = 0; i < n; i++) {
      const list = Array.from(successors.subarray(first[i]!, first[i + 1]!));
      if (!list.some((t) => index[t]! >= 0)) continue;
      const keyed = list.filter((t) => index[t]! >= 0).sort((a, b) => index[a]! - index[b]!);
      successors.set([...keyed, ...list.filter((t) => index[t]! < 0)], first[i]!);
    }
  const order = new Int32Array(n);
  let tail = 0;
  for (let i = 0; i < n; i++) if (indegree[i] === 0) order[tail++] = i;
  for (let head = 0; head < tail; head++) {
    const v = order[head]!;
    for (let j = first[v]!; j < first[v + 1]!; j++) {
      const t = successors[j]!;
      indegree[t]! -= 1;
      if (indegree[t] === 0) order[tail++] = t;
    }
  }
  return tail === n ? order : undefined;
}

/** The attributes of operator i, as the job graph's node holds them. */
export function operatorAttributesAt(job: CompiledJob, i: number): OperatorAttributes {
  const start = job.workOffset[i]!;
  return {
    id: job.ids[i]!,
    name: job.names[i]!,
    parallelism: job.parallelism[i]!,
    subtaskWorkMs: Array.from(job.subtaskWorkMs.subarray(start, start + job.parallelism[i]!)),
    durationMsByTaskManager: job.durationMsByTaskManager.get(i),
    memoryBytes: job.memoryBytes[i]!,
    slotSharingGroup: job.slotSharingGroups[i]!,
    kind: job.kinds.get(i),
    params: job.params.get(i),
  };
}

/** The graphology job graph of a compiled job: same nodes, edges, attributes and orders. */
export function jobGraphOf(job: CompiledJob): JobGraph {
  const graph: JobGraph = new DirectedGraph<OperatorAttributes, JobEdgeAttributes>();
  for (let i = 0; i < job.ids.length; i++) graph.addNode(job.ids[i]!, operatorAttributesAt(job, i));
  for (let e = 0; e < job.edgeFrom.length; e++)
    graph.addDirectedEdge(job.ids[job.edgeFrom[e]!]!, job.ids[job.edgeTo[e]!]!, { partitioning: job.edgePartitioning[e]!, bytes: job.edgeBytes[e]! });
  if (job.slotSharingGroupProfiles !== undefined) graph.setAttribute(SLOT_SHARING_GROUP_PROFILES, job.slotSharingGroupProfiles);
  return graph;
}

/** A graphology job graph (checked when it was built) read into the arrays, with the graph's own topological order. */
export function compiledJobOf(graph: JobGraph, source = 'job graph'): CompiledJob {
  const ids = graph.nodes();
  const n = ids.length;
  const position = new Map<string, number>();
  ids.forEach((id, i) => position.set(id, i));
  const parallelism = new Int32Array(n);
  const workOffset = new Float64Array(n + 1);
  const memoryBytes = new Float64Array(n);
  const names: string[] = new Array(n);
  const slotSharingGroups: string[] = new Array(n);
  const durationMsByTaskManager = new Map<number, Readonly<Record<string, number>>>();
  const kinds = new Map<number, string>();
  const params = new Map<number, Readonly<Record<string, unknown>>>();
  let total = 0;
  ids.forEach((id, i) => {
    const a = graph.getNodeAttributes(id);
    workOffset[i] = total;
    total += a.parallelism;
    parallelism[i] = a.parallelism;
    names[i] = a.name;
    memoryBytes[i] = a.memoryBytes;
    slotSharingGroups[i] = a.slotSharingGroup;
    if (a.durationMsByTaskManager !== undefined) durationMsByTaskManager.set(i, a.durationMsByTaskManager);
    if (a.kind !== undefined) kinds.set(i, a.kind);
    if (a.params !== undefined) params.set(i, a.params);
  });
  workOffset[n] = total;
  const subtaskWorkMs = new Float64Array(total);
  ids.forEach((id, i) => subtaskWorkMs.set(graph.getNodeAttribute(id, 'subtaskWorkMs'), workOffset[i]!));
  const m = graph.size;
  const edgeFrom = new Int32Array(m);
  const edgeTo = new Int32Array(m);
  const edgePartitioning: Partitioning[] = new Array(m);
  const edgeBytes = new Float64Array(m);
  let e = 0;
  graph.forEachEdge((_key, attr, from, to) => {
    edgeFrom[e] = position.get(from)!;
    edgeTo[e] = position.get(to)!;
    edgePartitioning[e] = attr.partitioning;
    edgeBytes[e] = attr.bytes;
    e++;
  });
  const topological = Int32Array.from(topologicalOrder(graph, source), (id) => position.get(id)!);
  const profiles = graph.getAttribute(SLOT_SHARING_GROUP_PROFILES) === undefined ? undefined : slotSharingGroupProfilesOf(graph);
  return {
    ids, names, parallelism, workOffset, subtaskWorkMs, memoryBytes, slotSharingGroups, durationMsByTaskManager, kinds, params,
    edgeFrom, edgeTo, edgePartitioning, edgeBytes, topologicalOrder: topological, slotSharingGroupProfiles: profiles,
  };
}
