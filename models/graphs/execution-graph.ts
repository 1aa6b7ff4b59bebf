import { DirectedGraph } from 'graphology';
import type { JobGraph, Partitioning } from './job-graph.ts';
import { topologicalOrder } from './dag.ts';

/**
 * The execution graph: every operator expanded into its subtasks.
 * `forward` edges connect subtask k to subtask k (pointwise); `rescale` edges connect each producer subtask to a
 * contiguous range of consumer subtasks (Flink's POINTWISE pattern, `pointwiseConsumerRange`); `hash`, `rebalance`
 * and `broadcast` connect every producer subtask to every consumer subtask. The edge's data volume is split across its subtask edges:
 * forward and hash/rebalance split it evenly over the subtask edges; broadcast sends each producer subtask's
 * full output (bytes / p_producer) to every consumer.
 */
export interface SubtaskAttributes {
  readonly id: string;
  readonly operatorId: string;
  /** 0-based, as Flink's `getIndexOfThisSubtask()`. */
  readonly subtaskIndex: number;
  readonly workMs: number;
  readonly memoryBytes: number;
  readonly slotSharingGroup: string;
}

export interface SubtaskEdgeAttributes {
  readonly bytes: number;
}

export type ExecutionGraph = DirectedGraph<SubtaskAttributes, SubtaskEdgeAttributes>;

export function subtaskId(operatorId: string, subtaskIndex: number): string {
  return `${operatorId}#${subtaskIndex}`;
}

export function expandJobGraph(job: JobGraph, source = 'job graph'): ExecutionGraph {
  const graph: ExecutionGraph = new DirectedGraph<SubtaskAttributes, SubtaskEdgeAttributes>();
  for (const opId of topologicalOrder(job, source)) {
    const op = job.getNodeAttributes(opId);
    for (let k = 0; k < op.parallelism; k++)
      graph.addNode(subtaskId(opId, k), {
        id: subtaskId(opId, k),
        operatorId: opId,
        subtaskIndex: k,
        workMs: op.subtaskWorkMs[k]!,
        memoryBytes: op.memoryBytes,
        slotSharingGroup: op.slotSharingGroup,
      });
  }
  forEachSubtaskEdge(job, (from, a, to, b, bytes) => {
    graph.addDirectedEdge(subtaskId(from, a), subtaskId(to, b), { bytes });
  });
  return graph;
}

/**
 * Flink's POINTWISE distribution pattern (the `rescale` partitioning): which consumer subtasks producer subtask
 * `producerIndex` feeds, as the half-open range [start, end), when `producerCount` producers feed `consumerCount`
 * consumers. With at least as many producers as consumers, consumer i reads producers
 * [⌊i·P/C⌋, ⌊(i+1)·P/C⌋), so each producer feeds exactly one consumer; with fewer, producer p feeds consumers
 * [⌈p·C/P⌉, ⌈(p+1)·C/P⌉). This is the rule of Flink's `VertexInputInfoComputationUtils.computeVertexInputInfoForPointwise`
 * (Flink 1.20; its test: 2 producers, 3 consumers give producer 0 → consumers 0 and 1, producer 1 → consumer 2).
 */
export function pointwiseConsumerRange(producerCount: number, consumerCount: number, producerIndex: number): { start: number; end: number } {
  if (producerCount >= consumerCount) {
    // the consumer i with ⌊i·P/C⌋ <= p < ⌊(i+1)·P/C⌋
    let i = Math.floor((producerIndex * consumerCount) / producerCount);
    while (i + 1 < consumerCount && Math.floor(((i + 1) * producerCount) / consumerCount) <= producerIndex) i++;
    while (i > 0 && Math.floor((i * producerCount) / consumerCount) > producerIndex) i--;
    return { start: i, end: i + 1 };
  }
  const start = Math.floor((producerIndex * consumerCount + producerCount - 1) / producerCount);
  const end = Math.floor(((producerIndex + 1) * consumerCount + producerCount - 1) / producerCount);
  return { start, end };
}

/** The producer subtasks consumer subtask `consumerIndex` reads under the POINTWISE pattern (inverse of `pointwiseConsumerRange`). */
export function pointwiseProducerRange(producerCount: number, consumerCount: number, consumerIndex: number): { start: number; end: number } {
  if (producerCount >= consumerCount)
    return { start: Math.floor((consumerIndex * producerCount) / consumerCount), end: Math.floor(((consumerIndex + 1) * producerCount) / consumerCount) };
  const p = pointwiseProducerOf(producerCount, consumerCount, consumerIndex);
  return { start: p, end: p + 1 };
}

function pointwiseProducerOf(producerCount: number, consumerCount: number, consumerIndex: number): number {
  let p = Math.floor((consumerIndex * producerCount) / consumerCount);
  while (p + 1 < producerCount && pointwiseConsumerRange(producerCount, consumerCount, p + 1).start <= consumerIndex) p++;
  while (p > 0 && pointwiseConsumerRange(producerCount, consumerCount, p).start > consumerIndex) p--;
  return p;
}

/**
 * The consumer subtask indices producer subtask `fromIndex` sends to along an edge of this partitioning: `forward`
 * its own index, `rescale` its pointwise range, the others every consumer subtask. Used by the expansion below and
 * by the runtime's plan, so that both list the same channels.
 */
export function consumerSubtaskIndices(partitioning: Partitioning, producerCount: number, consumerCount: number, fromIndex: number): number[] {
  if (partitioning === 'forward') return [fromIndex];
  if (partitioning === 'rescale') {
    const { start, end } = pointwiseConsumerRange(producerCount, consumerCount, fromIndex);
    return Array.from({ length: end - start }, (_, i) => start + i);
  }
  return Array.from({ length: consumerCount }, (_, i) => i);
}

/** The producer subtask indices consumer subtask `toIndex` reads along an edge of this partitioning (inverse of `consumerSubtaskIndices`). */
export function producerSubtaskIndices(partitioning: Partitioning, producerCount: number, consumerCount: number, toIndex: number): number[] {
  if (partitioning === 'forward') return [toIndex];
  if (partitioning === 'rescale') {
    const { start, end } = pointwiseProducerRange(producerCount, consumerCount, toIndex);
    return Array.from({ length: end - start }, (_, i) => start + i);
  }
  return Array.from({ length: producerCount }, (_, i) => i);
}

/**
 * Calls `visit` for every subtask edge of the expansion, in job-edge order: forward edges pointwise (k to k), rescale
 * edges by Flink's POINTWISE pattern, the others all-to-all, with the data volume split as described above (rescale:
 * each producer subtask's share, bytes / p_from, split evenly over the consumers it feeds). The rule itself is
 * `forEachSubtaskEdgeOfJobEdge`.
 */
export function forEachSubtaskEdge(
  job: JobGraph,
  visit: (fromOperator: string, fromIndex: number, toOperator: string, toIndex: number, bytes: number) => void,
): void {
  job.forEachEdge((_e, attr, from, to, fromAttr, toAttr) => {
    forEachSubtaskEdgeOfJobEdge(attr.partitioning, fromAttr.parallelism, toAttr.parallelism, attr.bytes, (a, b, bytes) => visit(from, a, to, b, bytes));
  });
}

/**
 * How many subtask edges one job edge expands into (what `forEachSubtaskEdgeOfJobEdge` visits): p_from for
 * `forward`, max(p_from, p_to) for `rescale`, p_from × p_to otherwise. The instance limits count with it.
 */
export function subtaskEdgeCountOfJobEdge(partitioning: Partitioning, pFrom: number, pTo: number): number {
  return partitioning === 'forward' ? pFrom : partitioning === 'rescale' ? Math.max(pFrom, pTo) : pFrom * pTo;
}

/**
 * The subtask edges of one job edge (`pFrom` producer subtasks, `pTo` consumer subtasks, `bytes` in total): the one
 * place the expansion rule lives (the execution graph, the DAG placement instance's arrays and the runtime's plan
 * all list these).
 */
export function forEachSubtaskEdgeOfJobEdge(
  partitioning: Partitioning,
  pFrom: number,
  pTo: number,
  bytes: number,
  visit: (fromIndex: number, toIndex: number, bytes: number) => void,
): void {
  if (partitioning === 'forward') {
    for (let k = 0; k < pFrom; k++) visit(k, k, bytes / pFrom);
    return;
  }
  if (partitioning === 'rescale') {
    for (let a = 0; a < pFrom; a++) {
      const { start, end } = pointwiseConsumerRange(pFrom, pTo, a);
      for (let b = start; b < end; b++) visit(a, b, bytes / pFrom / (end - start));
    }
    return;
  }
  const share = partitioning === 'broadcast' ? bytes / pFrom : bytes / (pFrom * pTo);
  for (let a = 0; a < pFrom; a++) for (let b = 0; b < pTo; b++) visit(a, b, share);
}
