import { UndirectedGraph } from 'graphology';
import { describeValue, InvalidInstanceError } from '../errors.ts';
import { INSTANCE_LIMITS, overLimitReason } from '../limits.ts';
import { checkResourceProfile, SLOT_CUTTINGS, type ResourceProfile, type SlotCutting } from '../resources/profile.ts';

/**
 * The cluster graph: TaskManagers (vertices) offering slots, and network links (edges).
 * Transfer time of `bytes` over a link = latencyMs + bytes / bandwidthBytesPerMs. Subtasks on the same
 * TaskManager exchange data in memory at no cost. A pair of TaskManagers without an explicit link uses
 * `defaultLink` when they share a rack (or no racks are given) and `interRackLink` otherwise.
 * Two TaskManagers are adjacent when they share a rack or have a direct link.
 */
export interface LinkSpec {
  /** Bytes per millisecond. Omitted: unlimited (transfers cost only the latency). */
  readonly bandwidthBytesPerMs?: number;
  /** Default 0. */
  readonly latencyMs?: number;
}

export interface TaskManagerSpec {
  readonly id: string;
  readonly slotCount: number;
  /** Default: slotCount. */
  readonly cpuCores?: number;
  /** Default: unlimited. */
  readonly memoryBytes?: number;
  /** Work of w ms at speed 1 takes w / speedFactor ms here. Default 1. */
  readonly speedFactor?: number;
  readonly rack?: string;
  /** Fine-grained: total resources slots are cut from (models/resources); default none (no profile check). */
  readonly resources?: ResourceProfile;
  /** `fixed` (default): slotCount equal slots; `dynamic`: slots cut to each slot sharing group's profile. */
  readonly slotCutting?: SlotCutting;
}

export interface ClusterSpec {
  readonly taskManagers: readonly TaskManagerSpec[];
  readonly defaultLink?: LinkSpec;
  readonly interRackLink?: LinkSpec;
  readonly links?: ReadonlyArray<LinkSpec & { readonly a: string; readonly b: string }>;
}

export interface Link {
  readonly bandwidthBytesPerMs: number;
  readonly latencyMs: number;
}

export interface TaskManagerAttributes {
  readonly id: string;
  readonly slotCount: number;
  readonly cpuCores: number;
  readonly memoryBytes: number;
  readonly speedFactor: number;
  readonly rack: string | undefined;
  /** Fine-grained resources (models/resources), when given. */
  readonly resources?: ResourceProfile;
  readonly slotCutting?: SlotCutting;
}

export type ClusterGraph = UndirectedGraph<TaskManagerAttributes, Link>;

export interface Cluster {
  readonly graph: ClusterGraph;
  /** In input order; position = TaskManager index used by solvers. */
  readonly taskManagers: readonly TaskManagerAttributes[];
  readonly defaultLink: Link;
  readonly interRackLink: Link;
}

export const FREE_LINK: Link = Object.freeze({ bandwidthBytesPerMs: Number.POSITIVE_INFINITY, latencyMs: 0 });

function toLink(source: string, field: string, spec: LinkSpec | undefined, fallback: Link): Link {
  if (spec === undefined) return fallback;
  const bandwidth = spec.bandwidthBytesPerMs ?? Number.POSITIVE_INFINITY;
  const latency = spec.latencyMs ?? 0;
  if (!(bandwidth > 0)) throw new InvalidInstanceError(source, `${field}.bandwidthBytesPerMs`, `should be > 0, got ${JSON.stringify(spec.bandwidthBytesPerMs)}`);
  if (!(latency >= 0) || !Number.isFinite(latency)) throw new InvalidInstanceError(source, `${field}.latencyMs`, `should be a finite number >= 0, got ${JSON.stringify(spec.latencyMs)}`);
  return { bandwidthBytesPerMs: bandwidth, latencyMs: latency };
}

function positive(source: string, field: string, value: number | undefined, fallback: number, integer = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value) || (integer && !Number.isInteger(value)))
    throw new InvalidInstanceError(source, field, `should be ${integer ? 'an integer' : 'a finite number'} > 0, got ${describeValue(value)}`);
  if (value > INSTANCE_LIMITS.quantity)
    throw new InvalidInstanceError(source, field, `${value} exceeds the limit of ${INSTANCE_LIMITS.quantity} (docs/formats.md, "Limits")`);
  return value;
}

/**
 * A TaskManager's attributes with the documented defaults filled in (cpuCores: its slot count; memory: unlimited;
 * speed factor 1), every value checked: the one place those defaults live (the cluster graph, the cluster state
 * machine and the cluster runtime's registrations all use it). Errors name `source` and the field under `at`.
 */
export function taskManagerAttributes(tm: TaskManagerSpec, source = 'cluster', at = 'taskManager'): TaskManagerAttributes {
  const slotCount = positive(source, `${at}.slotCount`, tm.slotCount, Number.NaN, true);
  if (Number.isNaN(slotCount)) throw new InvalidInstanceError(source, `${at}.slotCount`, 'should be an integer > 0, got nothing');
  const given = (field: 'cpuCores' | 'memoryBytes' | 'speedFactor') => (tm[field] === undefined ? undefined : positive(source, `${at}.${field}`, tm[field], Number.NaN));
  if (tm.slotCutting !== undefined && !SLOT_CUTTINGS.includes(tm.slotCutting))
    throw new InvalidInstanceError(source, `${at}.slotCutting`, `should be one of ${SLOT_CUTTINGS.join(', ')}, got ${describeValue(tm.slotCutting)}`);
  const resources = tm.resources === undefined ? undefined : checkResourceProfile(source, `${at}.resources`, tm.resources);
  return withTaskManagerDefaults({
    id: tm.id, slotCount, cpuCores: given('cpuCores'), memoryBytes: given('memoryBytes'), speedFactor: given('speedFactor'), rack: tm.rack,
    ...(resources === undefined ? {} : { resources }), ...(tm.slotCutting === undefined ? {} : { slotCutting: tm.slotCutting }),
  });
}

/** The defaults alone, for specs already checked (a cluster state's or runtime's TaskManagers). */
export function withTaskManagerDefaults(tm: TaskManagerSpec): TaskManagerAttributes {
  return {
    id: tm.id,
    slotCount: tm.slotCount,
    cpuCores: tm.cpuCores ?? tm.slotCount,
    memoryBytes: tm.memoryBytes ?? Number.POSITIVE_INFINITY,
    speedFactor: tm.speedFactor ?? 1,
    rack: tm.rack,
    ...(tm.resources === undefined ? {} : { resources: tm.resources, slotCutting: tm.slotCutting ?? 'fixed' }),
  };
}

export function createCluster(spec: ClusterSpec, source = 'cluster'): Cluster {
  if (spec.taskManagers.length === 0) throw new InvalidInstanceError(source, 'cluster.taskManagers', 'should list at least one TaskManager');
  checkClusterSize(spec.taskManagers.length, spec.taskManagers.map((tm) => tm.slotCount), source, 'cluster.taskManagers');
  const graph: ClusterGraph = new UndirectedGraph<TaskManagerAttributes, Link>();
  spec.taskManagers.forEach((tm, i) => {
    const at = `cluster.taskManagers[${i}]`;
    if (typeof tm.id !== 'string' || tm.id === '') throw new InvalidInstanceError(source, `${at}.id`, 'should be a non-empty string');
    if (graph.hasNode(tm.id)) throw new InvalidInstanceError(source, `${at}.id`, `duplicate TaskManager id "${tm.id}"`);
    graph.addNode(tm.id, taskManagerAttributes(tm, source, at));
  });
  const defaultLink = toLink(source, 'cluster.defaultLink', spec.defaultLink, FREE_LINK);
  const interRackLink = toLink(source, 'cluster.interRackLink', spec.interRackLink, defaultLink);
  (spec.links ?? []).forEach((l, i) => {
    const at = `cluster.links[${i}]`;
    for (const end of ['a', 'b'] as const)
      if (!graph.hasNode(l[end])) throw new InvalidInstanceError(source, `${at}.${end}`, `names no TaskManager ("${l[end]}")`);
    if (l.a === l.b) throw new InvalidInstanceError(source, at, 'a link needs two different TaskManagers');
    if (graph.hasEdge(l.a, l.b)) throw new InvalidInstanceError(source, at, `duplicate link ${l.a} - ${l.b}`);
    graph.addUndirectedEdge(l.a, l.b, toLink(source, at, l, defaultLink));
  });
  return { graph, taskManagers: graph.mapNodes((_n, attr) => attr), defaultLink, interRackLink };
}

/** The link data between two different TaskManagers travels over. */
export function linkBetween(cluster: Cluster, a: string, b: string): Link {
  if (cluster.graph.hasEdge(a, b)) return cluster.graph.getEdgeAttributes(cluster.graph.edge(a, b)!);
  const rackA = cluster.graph.getNodeAttribute(a, 'rack');
  const rackB = cluster.graph.getNodeAttribute(b, 'rack');
  return rackA === rackB ? cluster.defaultLink : cluster.interRackLink;
}

/** Same TaskManager, same rack, or a direct link: the design's "same or adjacent TM" locality. */
export function areAdjacent(cluster: Cluster, a: string, b: string): boolean {
  if (a === b || cluster.graph.hasEdge(a, b)) return true;
  const rackA = cluster.graph.getNodeAttribute(a, 'rack');
  return rackA !== undefined && rackA === cluster.graph.getNodeAttribute(b, 'rack');
}

export function transferMs(link: Link, bytes: number): number {
  return bytes === 0 ? 0 : link.latencyMs + bytes / link.bandwidthBytesPerMs;
}

/**
 * Refuses a cluster of more TaskManagers or slots than INSTANCE_LIMITS allows, before any is built. `slotCounts`
 * holds one entry per TaskManager, or one entry repeated `repeat` times (the `NxS` shorthand).
 */
export function checkClusterSize(taskManagers: number, slotCounts: readonly unknown[], source: string, field: string, repeat = 1): void {
  if (taskManagers > INSTANCE_LIMITS.taskManagers)
    throw new InvalidInstanceError(source, field, overLimitReason(taskManagers, 'TaskManagers', INSTANCE_LIMITS.taskManagers));
  let slots = 0;
  slotCounts.forEach((s, i) => {
    if (typeof s === 'number' && Number.isFinite(s)) slots += s * repeat;
    if (slots > INSTANCE_LIMITS.slots)
      throw new InvalidInstanceError(source, repeat === 1 ? `${field}[${i}].slotCount` : field, overLimitReason(slots, repeat === 1 ? 'slots up to this TaskManager' : 'slots', INSTANCE_LIMITS.slots));
  });
}

/** `NxS` or `NxS@f1,f2,...`: N identical TaskManagers tm1..tmN with S slots each, optional speed factors. */
export function parseClusterShorthand(text: string, source = '--cluster'): ClusterSpec {
  const m = /^(\d+)x(\d+)(?:@([\d.,\s]+))?$/.exec(text.trim());
  if (!m) throw new InvalidInstanceError(source, text, 'should look like 4x1 (4 TaskManagers with 1 slot) or 3x2@1,1.5,2 (with speed factors)');
  const count = Number(m[1]);
  const slots = Number(m[2]);
  if (count < 1 || slots < 1) throw new InvalidInstanceError(source, text, 'needs at least one TaskManager with at least one slot');
  checkClusterSize(count, [slots], source, text, count);
  const speeds = m[3]?.split(',').map((s) => Number(s.trim()));
  if (speeds && (speeds.length !== count || speeds.some((s) => !(s > 0))))
    throw new InvalidInstanceError(source, text, `should give ${count} positive speed factors after @, got "${m[3]}"`);
  return {
    taskManagers: Array.from({ length: count }, (_, i) => ({
      id: `tm${i + 1}`,
      slotCount: slots,
      ...(speeds ? { speedFactor: speeds[i]! } : {}),
    })),
  };
}
