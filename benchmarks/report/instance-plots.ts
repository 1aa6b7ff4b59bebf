import type { TopLevelSpec } from 'vega-lite';
import type { DagPlacementInstance } from '../../models/dag-placement/instance.ts';
import type { Partitioning } from '../../models/graphs/job-graph.ts';
import { PARTITIONINGS } from '../../models/graphs/job-graph.ts';
import { slug } from './data.ts';
import { formatMs } from './gantt.ts';
import { PLOT_CONFIG } from './theme.ts';
import type { PlotSpec } from './types.ts';

/** Horizontal distance between two layers of the job graph drawing, px. */
export const JOB_LAYER_PX = 150;
/** Vertical distance between two operators of one layer, px. */
export const JOB_ROW_PX = 70;

/** Where the job graph drawing puts each operator: layer = longest chain of edges from a source; row within the layer. */
export interface OperatorPosition {
  readonly operator: string;
  readonly layer: number;
  readonly row: number;
}

/**
 * A layered layout of the job graph (Sugiyama's first steps): each operator's layer is the longest chain of edges
 * from a source, so every edge points right; within a layer operators are ordered by the mean row of their
 * predecessors (one barycentre sweep, ties by topological order), which keeps chains straight.
 */
export function jobGraphLayout(instance: DagPlacementInstance): OperatorPosition[] {
  const g = instance.jobGraph;
  const layer = new Map<string, number>();
  for (const op of instance.operators) {
    let l = 0;
    g.forEachInNeighbor(op.id, (pred) => {
      l = Math.max(l, layer.get(pred)! + 1);
    });
    layer.set(op.id, l);
  }
  const rows = new Map<string, number>();
  const layers: string[][] = [];
  for (const op of instance.operators) (layers[layer.get(op.id)!] ??= []).push(op.id);
  const topo = new Map(instance.operators.map((o) => [o.id, o.index]));
  for (const ids of layers) {
    const key = (id: string) => {
      const preds = g.inNeighbors(id).map((p) => rows.get(p)!);
      return preds.length === 0 ? topo.get(id)! : preds.reduce((t, r) => t + r, 0) / preds.length;
    };
    const keys = new Map(ids.map((id) => [id, key(id)]));
    ids.sort((a, b) => keys.get(a)! - keys.get(b)! || topo.get(a)! - topo.get(b)!);
    ids.forEach((id, i) => rows.set(id, i - (ids.length - 1) / 2));
  }
  return instance.operators.map((o) => ({ operator: o.id, layer: layer.get(o.id)!, row: rows.get(o.id)! }));
}

/** Colours of the partitionings, the same in every drawing. */
const PARTITIONING_COLOURS: Readonly<Record<Partitioning, string>> = { forward: '#4c78a8', hash: '#e45756', rebalance: '#f58518', broadcast: '#54a24b', rescale: '#b279a2' };

/**
 * The job graph: one node per operator (its id above, `×parallelism` and the work per subtask below), laid out in
 * layers from the sources on the left (jobGraphLayout); one line per edge, coloured by partitioning, with an arrow
 * head before the consumer. Edge bytes are in the tooltip and the subtitle totals them.
 */
export function jobGraphPlot(instance: DagPlacementInstance): PlotSpec {
  const positions = jobGraphLayout(instance);
  const at = new Map(positions.map((p) => [p.operator, p]));
  const layers = Math.max(...positions.map((p) => p.layer)) + 1;
  const rows = Math.max(1, ...[...Array(layers).keys()].map((l) => positions.filter((p) => p.layer === l).length));
  const width = Math.max(240, JOB_LAYER_PX * layers);
  const height = Math.max(120, JOB_ROW_PX * rows);
  const xDomain = [-0.5, layers - 0.5];
  const yDomain = [-rows / 2, rows / 2];
  const xPx = (layer: number) => ((layer - xDomain[0]!) / (xDomain[1]! - xDomain[0]!)) * width;
  const yPx = (row: number) => ((row - yDomain[0]!) / (yDomain[1]! - yDomain[0]!)) * height; // rows grow downwards
  const nodes = instance.operators.map((o) => {
    // durations on every TaskManager (speed factors, unrelated machines), over the operator's subtasks
    const work = o.subtasks.flatMap((s) => instance.taskManagers.map((tm) => instance.durationMs(s, tm.index)));
    const lo = Math.min(...work);
    const hi = Math.max(...work);
    return {
      operator: o.id,
      layer: at.get(o.id)!.layer,
      row: at.get(o.id)!.row,
      name: o.name,
      parallelism: o.parallelism,
      detail: `×${o.parallelism}, ${lo === hi ? formatMs(lo) : `${formatMs(lo)}-${formatMs(hi)}`} ms`,
    };
  });
  let totalBytes = 0;
  const edges: { from: string; to: string; partitioning: Partitioning; bytes: number; x: number; y: number; x2: number; y2: number; headX: number; headY: number; angle: number }[] = [];
  instance.jobGraph.forEachEdge((_key, attrs, from, to) => {
    const a = at.get(from)!;
    const b = at.get(to)!;
    const dx = xPx(b.layer) - xPx(a.layer);
    const dy = yPx(b.row) - yPx(a.row);
    const length = Math.hypot(dx, dy);
    const back = length === 0 ? 0 : 20 / length; // the arrow head stops short of the node
    totalBytes += attrs.bytes;
    edges.push({
      from,
      to,
      partitioning: attrs.partitioning,
      bytes: attrs.bytes,
      x: a.layer,
      y: a.row,
      x2: b.layer,
      y2: b.row,
      headX: b.layer - (b.layer - a.layer) * back,
      headY: b.row - (b.row - a.row) * back,
      angle: (Math.atan2(dy, dx) * 180) / Math.PI,
    });
  });
  const used = PARTITIONINGS.filter((p) => edges.some((e) => e.partitioning === p));
  const x = { type: 'quantitative' as const, axis: null, scale: { domain: xDomain, nice: false, zero: false } };
  const y = { type: 'quantitative' as const, axis: null, scale: { domain: yDomain, nice: false, zero: false, reverse: true } };
  const colour = { field: 'partitioning', type: 'nominal' as const, title: 'partitioning', scale: { domain: used, range: used.map((p) => PARTITIONING_COLOURS[p]) } };
  const title = `Job graph of ${instance.name}`;
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: title,
      subtitle: `${instance.operators.length} operators, ${instance.subtasks.length} subtasks, ${edges.length} edges (${totalBytes.toLocaleString('en')} bytes); node: operator, ×parallelism, duration of a subtask (ms; range over subtasks and TaskManagers)`,
    },
    config: { ...PLOT_CONFIG, view: { stroke: null } },
    width,
    height,
    layer: [
      {
        name: 'edges',
        data: { values: edges },
        mark: { type: 'rule', strokeWidth: 2, opacity: 0.8 },
        encoding: { x: { field: 'x', ...x }, y: { field: 'y', ...y }, x2: { field: 'x2' }, y2: { field: 'y2' }, color: colour, tooltip: [{ field: 'from' }, { field: 'to' }, { field: 'partitioning' }, { field: 'bytes' }] },
      },
      {
        name: 'arrowheads',
        data: { values: edges },
        mark: { type: 'point', shape: 'triangle-right', filled: true, size: 90, opacity: 1 },
        encoding: { x: { field: 'headX', ...x }, y: { field: 'headY', ...y }, angle: { field: 'angle', type: 'quantitative', scale: null }, color: colour },
      },
      {
        name: 'operators',
        data: { values: nodes },
        mark: { type: 'point', shape: 'circle', filled: true, size: 500, color: '#d9d9d9', stroke: '#333', strokeWidth: 1.5, opacity: 1 },
        encoding: { x: { field: 'layer', ...x }, y: { field: 'row', ...y }, tooltip: [{ field: 'operator' }, { field: 'name' }, { field: 'parallelism' }, { field: 'detail' }] },
      },
      {
        name: 'names',
        data: { values: nodes },
        mark: { type: 'text', dy: -20, fontSize: 11, fontWeight: 'bold', baseline: 'bottom' },
        encoding: { x: { field: 'layer', ...x }, y: { field: 'row', ...y }, text: { field: 'operator' } },
      },
      {
        name: 'details',
        data: { values: nodes },
        mark: { type: 'text', dy: 20, fontSize: 10, baseline: 'top', color: '#444' },
        encoding: { x: { field: 'layer', ...x }, y: { field: 'row', ...y }, text: { field: 'detail' } },
      },
    ],
  };
  return {
    name: `job-${slug(instance.name)}`,
    title,
    description: `The job graph of ${instance.name}: operators in layers from the sources, edges coloured by partitioning.`,
    spec,
    rows: instance.operators.length,
  };
}

/** `125000 bytes/ms, 0.1 ms` or `free` for a link with unlimited bandwidth and no latency. */
function linkText(link: { readonly bandwidthBytesPerMs: number; readonly latencyMs: number }): string {
  if (!Number.isFinite(link.bandwidthBytesPerMs) && link.latencyMs === 0) return 'free (in memory speed, no latency)';
  const bandwidth = Number.isFinite(link.bandwidthBytesPerMs) ? `${link.bandwidthBytesPerMs.toLocaleString('en')} bytes/ms` : 'unlimited bandwidth';
  return `${bandwidth}, ${formatMs(link.latencyMs)} ms latency`;
}

/**
 * The cluster: one column per TaskManager (in the instance's order, racks side by side), one square per slot
 * (slot 0 at the bottom), coloured by rack; above each column its speed factor and CPU cores. The subtitle gives
 * the links: inside a rack (or everywhere without racks), between racks, and how many explicit links there are.
 */
export function clusterPlot(instance: DagPlacementInstance): PlotSpec {
  const cluster = instance.cluster;
  const slots = instance.slots.map((s) => {
    const tm = instance.taskManagers[s.taskManager]!;
    return { taskManager: tm.id, slot: s.slotNumber, rack: tm.rack ?? 'no rack' };
  });
  const heads = instance.taskManagers.map((tm) => ({
    taskManager: tm.id,
    label: `×${tm.speedFactor}, ${tm.cpuCores} core${tm.cpuCores === 1 ? '' : 's'}`,
  }));
  const maxSlots = Math.max(...instance.taskManagers.map((t) => t.slotCount));
  const racks = [...new Set(slots.map((s) => s.rack))];
  const explicit = cluster.graph.size;
  const links = [
    `links: ${racks.length > 1 ? 'inside a rack ' : ''}${linkText(cluster.defaultLink)}`,
    ...(racks.length > 1 ? [`between racks ${linkText(cluster.interRackLink)}`] : []),
    ...(explicit > 0 ? [`${explicit} explicit link${explicit === 1 ? '' : 's'}`] : []),
  ].join('; ');
  const title = `Cluster of ${instance.name}`;
  const x = { field: 'taskManager', type: 'nominal' as const, title: 'TaskManager', sort: instance.taskManagers.map((t) => t.id), axis: { labelAngle: 0 }, scale: { paddingInner: 0.3 } };
  const y = { field: 'slot', type: 'ordinal' as const, title: 'slot', sort: 'descending' as const, scale: { domain: [...Array(maxSlots).keys()].reverse(), paddingInner: 0.15 } };
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle: [`${instance.taskManagers.length} TaskManagers, ${instance.slots.length} slots; above each: speed factor, CPU cores`, links] },
    config: { ...PLOT_CONFIG, view: { stroke: null } },
    width: Math.max(200, 84 * instance.taskManagers.length),
    height: Math.max(60, 34 * maxSlots),
    layer: [
      {
        name: 'slots',
        data: { values: slots },
        mark: { type: 'rect', stroke: '#333', strokeWidth: 1 },
        encoding: { x, y, color: { field: 'rack', type: 'nominal', title: 'rack', legend: racks.length > 1 ? {} : null } },
      },
      {
        name: 'heads',
        data: { values: heads },
        mark: { type: 'text', fontSize: 9, baseline: 'bottom', color: '#444' },
        encoding: { x, y: { value: -4 }, text: { field: 'label' } },
      },
    ],
  };
  return {
    name: `cluster-${slug(instance.name)}`,
    title,
    description: `The cluster of ${instance.name}: TaskManagers as columns of slots, coloured by rack, with their speed and cores; links in the subtitle.`,
    spec,
    rows: instance.slots.length,
  };
}
