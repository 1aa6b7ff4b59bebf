import type { DagPlacementSpec } from '../../models/dag-placement/instance.ts';
import type { Rng } from '../../models/rng.ts';

/**
 * The search space of the adversarial search (search.ts): DAG placement instances of n tasks (operators of
 * parallelism 1, so one subtask each) on K TaskManagers of one slot, `sequenced` (P|prec,c_ij|Cmax, the model of
 * HEFT and of saga's PISA). A genome is plain data; `toSpec` turns it into the model's spec, which the loader,
 * `slotlab solve` and every solver read.
 *
 * Every quantity sits on a grid that keeps every duration and transfer a whole number of ms, so that the exact
 * solvers round their bounds up (models/dag-placement/derived.ts `integralTimes`) and prove optima fast:
 * work = 4·u ms (u in 1..25) and speed factors in {1, 2, 4}, so durations are integral; bytes = 4·v (v in 0..25)
 * and bandwidths in {1, 2, 4} bytes/ms, latencies in 0..10 ms, so transfers are integral.
 *
 * Tasks are numbered in one fixed topological order and every edge goes from a lower to a higher number, so adding
 * an edge can never close a cycle; every DAG is reachable up to a renumbering, which changes nothing a scheduler
 * sees but tie-breaks.
 */
export interface Genome {
  readonly taskCount: number;
  readonly taskManagerCount: number;
  /** Work of task i at speed 1, ms. */
  readonly workMs: number[];
  /** Edges i → j (i < j) with their data, bytes. Key `i>j`. */
  readonly edges: Map<string, number>;
  readonly speedFactors: number[];
  /** One link per unordered pair of TaskManagers a < b, in the order (0,1), (0,2), ..., (1,2), ... */
  readonly links: { bandwidthBytesPerMs: number; latencyMs: number }[];
}

export const SHAPES = ['layered', 'random', 'chain', 'fork-join'] as const;
export type Shape = (typeof SHAPES)[number];

const WORK_STEP_MS = 4;
const WORK_STEPS = 25;
const BYTES_STEP = 4;
const BYTES_STEPS = 25;
const SPEEDS = [1, 2, 4] as const;
const BANDWIDTHS = [1, 2, 4] as const;
const MAX_LATENCY_MS = 10;

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng.next() * items.length)]!;
const drawWork = (rng: Rng) => WORK_STEP_MS * rng.int(1, WORK_STEPS);
const drawBytes = (rng: Rng) => BYTES_STEP * rng.int(0, BYTES_STEPS);
const drawLink = (rng: Rng) => ({ bandwidthBytesPerMs: pick(rng, BANDWIDTHS), latencyMs: rng.int(0, MAX_LATENCY_MS) });
export const edgeKey = (from: number, to: number) => `${from}>${to}`;
const parseKey = (key: string): [number, number] => key.split('>').map(Number) as [number, number];

/** A random starting instance of the given shape: costs, data, speeds and links drawn from their grids. */
export function randomGenome(rng: Rng, taskCount: number, taskManagerCount: number, shape: Shape): Genome {
  const workMs = Array.from({ length: taskCount }, () => drawWork(rng));
  const edges = new Map<string, number>();
  const connect = (a: number, b: number) => edges.set(edgeKey(a, b), drawBytes(rng));
  switch (shape) {
    case 'chain':
      for (let i = 1; i < taskCount; i++) connect(i - 1, i);
      break;
    case 'fork-join':
      // one source, a middle layer, one sink (a diamond for 3 tasks or more)
      for (let i = 1; i < taskCount - 1; i++) {
        connect(0, i);
        connect(i, taskCount - 1);
      }
      if (taskCount === 2) connect(0, 1);
      break;
    case 'random':
      // Erdős–Rényi over the fixed order, edge probability 2/n (about one in and one out per task)
      for (let i = 0; i < taskCount; i++) for (let j = i + 1; j < taskCount; j++) if (rng.next() < 2 / taskCount) connect(i, j);
      break;
    case 'layered': {
      // layers of about √n tasks; each task below the first gets one to three predecessors in the layer above
      const width = Math.max(1, Math.round(Math.sqrt(taskCount)));
      for (let i = width; i < taskCount; i++) {
        const layerStart = Math.floor(i / width) * width;
        const above = Array.from({ length: width }, (_, k) => layerStart - width + k);
        const count = rng.int(1, Math.min(3, above.length));
        for (let c = 0; c < count; c++) connect(pick(rng, above), i);
      }
      break;
    }
  }
  const speedFactors = Array.from({ length: taskManagerCount }, () => pick(rng, SPEEDS));
  const links = Array.from({ length: (taskManagerCount * (taskManagerCount - 1)) / 2 }, () => drawLink(rng));
  return { taskCount, taskManagerCount, workMs, edges, speedFactors, links };
}

/** The perturbations (after PISA's change types: task weight, dependency weight, node weight, link weight, add and delete a dependency). */
export const MOVES = ['task-work', 'edge-bytes', 'speed', 'link', 'add-edge', 'remove-edge'] as const;
export type Move = (typeof MOVES)[number];

function copy(g: Genome): Genome {
  return { ...g, workMs: g.workMs.slice(), edges: new Map(g.edges), speedFactors: g.speedFactors.slice(), links: g.links.map((l) => ({ ...l })) };
}

/**
 * A neighbour of `g`: one move drawn uniformly among those that apply (no edge to remove, no pair left to link,
 * a single TaskManager without links), its new value drawn uniformly from its grid, as PISA does.
 */
export function perturb(g: Genome, rng: Rng): { readonly genome: Genome; readonly move: Move } {
  const n = g.taskCount;
  const possible = MOVES.filter((m) => {
    if (m === 'edge-bytes' || m === 'remove-edge') return g.edges.size > 0;
    if (m === 'add-edge') return g.edges.size < (n * (n - 1)) / 2;
    if (m === 'link') return g.links.length > 0;
    return true;
  });
  const move = pick(rng, possible);
  const next = copy(g);
  switch (move) {
    case 'task-work':
      next.workMs[rng.int(0, n - 1)] = drawWork(rng);
      break;
    case 'edge-bytes':
      next.edges.set(pick(rng, [...next.edges.keys()]), drawBytes(rng));
      break;
    case 'speed':
      next.speedFactors[rng.int(0, g.taskManagerCount - 1)] = pick(rng, SPEEDS);
      break;
    case 'link': {
      const link = next.links[rng.int(0, next.links.length - 1)]!;
      if (rng.next() < 0.5) link.bandwidthBytesPerMs = pick(rng, BANDWIDTHS);
      else link.latencyMs = rng.int(0, MAX_LATENCY_MS);
      break;
    }
    case 'add-edge': {
      const absent: [number, number][] = [];
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (!next.edges.has(edgeKey(i, j))) absent.push([i, j]);
      const [a, b] = pick(rng, absent);
      next.edges.set(edgeKey(a, b), drawBytes(rng));
      break;
    }
    case 'remove-edge':
      next.edges.delete(pick(rng, [...next.edges.keys()]));
      break;
  }
  return { genome: next, move };
}

/** The model's spec of a genome: tasks `t0..`, TaskManagers `tm1..` with one slot, one explicit link per pair. */
export function toSpec(g: Genome, name: string): DagPlacementSpec {
  const tmId = (k: number) => `tm${k + 1}`;
  const links: { a: string; b: string; bandwidthBytesPerMs: number; latencyMs: number }[] = [];
  let p = 0;
  for (let a = 0; a < g.taskManagerCount; a++)
    for (let b = a + 1; b < g.taskManagerCount; b++) links.push({ a: tmId(a), b: tmId(b), ...g.links[p++]! });
  const edges = [...g.edges.entries()]
    .map(([key, bytes]) => ({ key: parseKey(key), bytes }))
    .sort((x, y) => x.key[0] - y.key[0] || x.key[1] - y.key[1])
    .map(({ key: [a, b], bytes }) => ({ from: `t${a}`, to: `t${b}`, partitioning: 'forward' as const, bytes }));
  return {
    name,
    variant: 'sequenced',
    job: { operators: g.workMs.map((workMs, i) => ({ id: `t${i}`, parallelism: 1, workMs })), edges },
    cluster: {
      taskManagers: g.speedFactors.map((speedFactor, k) => ({ id: tmId(k), slotCount: 1, speedFactor })),
      ...(links.length > 0 ? { links } : {}),
    },
  };
}

/** A key that identifies a genome (two kept instances are never the same). */
export function genomeKey(g: Genome): string {
  return JSON.stringify([g.workMs, [...g.edges.entries()].sort(), g.speedFactors, g.links]);
}
