import { DirectedGraph } from 'graphology';
import type { JobGraph } from './job-graph.ts';
import { topologicalOrder } from './dag.ts';

/**
 * The execution graph: every operator expanded into its subtasks.
 * `forward` edges connect subtask k to subtask k (pointwise); `hash`, `rebalance` and `broadcast` connect every
 * producer subtask to every consumer subtask. The edge's data volume is split across its subtask edges:
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
 * Calls `visit` for every subtask edge of the expansion, in job-edge order: forward edges pointwise, the others
 * all-to-all, with the data volume split as described above. The one place the expansion rule lives.
 */
export function forEachSubtaskEdge(
  job: JobGraph,
  visit: (fromOperator: string, fromIndex: number, toOperator: string, toIndex: number, bytes: number) => void,
): void {
  job.forEachEdge((_e, attr, from, to, fromAttr, toAttr) => {
    const pFrom = fromAttr.parallelism;
    const pTo = toAttr.parallelism;
    if (attr.partitioning === 'forward') {
      for (let k = 0; k < pFrom; k++) visit(from, k, to, k, attr.bytes / pFrom);
      return;
    }
    const bytes = attr.partitioning === 'broadcast' ? attr.bytes / pFrom : attr.bytes / (pFrom * pTo);
    for (let a = 0; a < pFrom; a++) for (let b = 0; b < pTo; b++) visit(from, a, to, b, bytes);
  });
}
