import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDagPlacementInstance, type DagPlacementInstance, type DagPlacementSpec } from '../../models/dag-placement/instance.ts';
import type { Placement } from '../../models/solution.ts';
import { words } from '../operators/functions.ts';
import { splitLines, DEFAULT_TEXT_FILE } from '../operators/text-source.ts';
import { RUNTIME_DATA_DIR } from '../plan.ts';

/**
 * The recovery tests' and benchmark's jobs (issue #11), each with its single-threaded reference output as sink rows
 * [key, value, time]: the word count over the bundled text (runtime/data/word-count.json, sink keeping its output)
 * and a keyed tumbling-window sum over a generator.
 */

export type Row = readonly [string | number | null, number, number];
export const sortRows = (rows: readonly Row[]) => [...rows].map((r) => JSON.stringify(r)).sort();

// --- word count over the bundled text: reference = a plain loop over lines and their words
const text = readFileSync(join(RUNTIME_DATA_DIR, DEFAULT_TEXT_FILE), 'utf8');
export const wordReference: Row[] = (() => {
  const counts = new Map<string, number>();
  for (const line of splitLines(text)) for (const w of words(line)) counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts].map(([w, n]) => [w, n, 0] as const);
})();

/**
 * The word count; with `linesPerSecond`, its text source is rate-limited (same output), and the source's `workMs` is
 * what the limit makes it (every subtask reads its share of the lines at its share of the rate: lines / rate), so that
 * the model's schedule (blocking `shared`: the TaskManagers' cores run whole subtasks in its order) knows its length.
 */
export function wordCount(linesPerSecond?: number): DagPlacementInstance {
  const doc = JSON.parse(readFileSync(join(RUNTIME_DATA_DIR, 'word-count.json'), 'utf8')) as DagPlacementSpec & { format: string; description: string };
  const { format: _f, description: _d, ...spec } = doc;
  const lineCount = splitLines(text).length;
  const paced = (op: (typeof spec.job.operators)[number]) =>
    op.id === 'lines' && linesPerSecond !== undefined ? { ...op, workMs: (1000 * lineCount) / linesPerSecond, params: { ...op.params, ratePerSecond: linesPerSecond } } : op;
  return createDagPlacementInstance({ ...spec, job: { ...spec.job, operators: spec.job.operators.map((op) => (op.id === 'out' ? { ...op, params: { keep: true } } : paced(op))) } });
}
export const wordPlacement = JSON.parse(readFileSync(join(RUNTIME_DATA_DIR, 'word-count.placement-three-tms.json'), 'utf8')) as Placement;

// --- keyed tumbling-window sum over a generator: key = value mod 37, time = value, windows of 1000 (a reference loop)
export const N = 30_000;
export const KEYS = 37;
export const SIZE = 1000;
export const windowReference: Row[] = windowSumReference(N, KEYS, SIZE);

/** The single-threaded reference of a keyed tumbling-window sum over the values 0..n-1: key = value mod `keys`, time = value. */
export function windowSumReference(n: number, keys: number, size: number): Row[] {
  const sums = new Map<string, number>();
  for (let v = 0; v < n; v++) {
    const k = `${v % keys}|${Math.floor(v / size) * size}`;
    sums.set(k, (sums.get(k) ?? 0) + v);
  }
  return [...sums].map(([k, sum]) => {
    const [key, start] = k.split('|').map(Number) as [number, number];
    return [key, sum, start] as const;
  });
}

/**
 * The window sum's operators (numbers -> sum -> out) at given parallelisms, and its edges. With `recordsPerSecond` the
 * numbers are rate-limited, their `workMs` what the limit makes it (N / rate), as the paced word count's source.
 */
const windowSumOperators = (sum: number, out: number, recordsPerSecond?: number) => [
  {
    id: 'numbers',
    parallelism: 2,
    kind: 'generator',
    ...(recordsPerSecond === undefined ? {} : { workMs: (1000 * N) / recordsPerSecond }),
    params: { count: N, keys: KEYS, timestamps: true, ...(recordsPerSecond === undefined ? {} : { ratePerSecond: recordsPerSecond }) },
  },
  { id: 'sum', parallelism: sum, kind: 'window', params: { size: SIZE, aggregate: 'sum' } },
  { id: 'out', parallelism: out, kind: 'sink', params: { keep: true } },
];
const windowSumEdges = [
  { from: 'numbers', to: 'sum', partitioning: 'hash' },
  { from: 'sum', to: 'out', partitioning: 'rebalance' },
] as const;
const threeTaskManagers = { taskManagers: [{ id: 'tm1', slotCount: 3 }, { id: 'tm2', slotCount: 3 }, { id: 'tm3', slotCount: 3 }] };

/** The keyed window sum on three TaskManagers; with `recordsPerSecond`, its numbers are rate-limited (same output). */
export function windowSum(recordsPerSecond?: number): DagPlacementInstance {
  return createDagPlacementInstance({
    name: 'window-sum',
    variant: 'shared',
    job: { operators: windowSumOperators(3, 2, recordsPerSecond), edges: [...windowSumEdges] },
    cluster: threeTaskManagers,
  });
}
export const windowJob = windowSum();
export const windowPlacement: Placement = {
  assignments: [
    { subtask: 'numbers#0', taskManager: 'tm1', slot: 0 },
    { subtask: 'numbers#1', taskManager: 'tm2', slot: 0 },
    { subtask: 'sum#0', taskManager: 'tm3', slot: 0 },
    { subtask: 'sum#1', taskManager: 'tm1', slot: 1 },
    { subtask: 'sum#2', taskManager: 'tm2', slot: 1 },
    { subtask: 'out#0', taskManager: 'tm3', slot: 1 },
    { subtask: 'out#1', taskManager: 'tm1', slot: 2 },
  ],
};


// --- two pipelines in one job, apart (two pipelined regions): the window sum above (numbers -> sum -> out) on tm1 and
// tm2, and a generator (20,000 values, 5 keys) straight into a sink on tm3, whose reference is every value once
export const PLAIN_N = 20_000;
export const plainReference: Row[] = Array.from({ length: PLAIN_N }, (_, v) => [v % 5, v, v] as const);
export const twoPipelines = createDagPlacementInstance({
  name: 'two-pipelines',
  variant: 'shared',
  job: {
    operators: [
      ...windowSumOperators(2, 1),
      { id: 'plain', parallelism: 1, kind: 'generator', params: { count: PLAIN_N, keys: 5, timestamps: true } },
      { id: 'plain-out', parallelism: 1, kind: 'sink', params: { keep: true } },
    ],
    edges: [...windowSumEdges, { from: 'plain', to: 'plain-out', partitioning: 'forward' }],
  },
  cluster: threeTaskManagers,
});
export const twoPipelinesPlacement: Placement = {
  assignments: [
    { subtask: 'numbers#0', taskManager: 'tm1', slot: 0 },
    { subtask: 'numbers#1', taskManager: 'tm2', slot: 0 },
    { subtask: 'sum#0', taskManager: 'tm1', slot: 1 },
    { subtask: 'sum#1', taskManager: 'tm2', slot: 1 },
    { subtask: 'out#0', taskManager: 'tm1', slot: 2 },
    { subtask: 'plain#0', taskManager: 'tm3', slot: 0 },
    { subtask: 'plain-out#0', taskManager: 'tm3', slot: 1 },
  ],
};
