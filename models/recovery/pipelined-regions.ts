/**
 * Pipelined regions (Flink's `PipelinedRegionComputeUtil`, "Task Failure Recovery", failover strategy `region`):
 * subtasks connected by pipelined data exchanges must restart together, because a restarted consumer cannot ask a
 * pipelined producer for its output again, nor can a restarted producer's consumers drop what they already got.
 * A region is a connected component of the execution graph over its pipelined edges; a blocking edge (a result
 * partition kept whole before it is consumed) separates regions. In `pipelined` mode every edge is pipelined, so a
 * connected job is one region (an all-to-all streaming job restarts whole, as in Flink); in `blocking` mode every
 * subtask is its own region.
 */
export interface RegionGraph {
  readonly subtaskCount: number;
  /** Subtask edges [producer, consumer] that are pipelined. */
  readonly pipelinedEdges: ReadonlyArray<readonly [number, number]>;
}

/** Region index per subtask (regions numbered by their first subtask). */
export function pipelinedRegions(graph: RegionGraph): number[] {
  const parent = Array.from({ length: graph.subtaskCount }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!;
    return x;
  };
  for (const [a, b] of graph.pipelinedEdges) {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
  return parent.map((_, i) => find(i));
}

/** The subtasks to restart after `failed` subtasks failed: every subtask of their regions. */
export function subtasksToRestart(regions: readonly number[], failed: Iterable<number>): number[] {
  const hit = new Set<number>();
  for (const s of failed) hit.add(regions[s]!);
  return regions.flatMap((r, s) => (hit.has(r) ? [s] : []));
}
