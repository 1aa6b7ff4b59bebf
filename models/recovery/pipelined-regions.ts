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

export interface RestartSetInput {
  /** Region index per subtask (`pipelinedRegions`). */
  readonly regions: readonly number[];
  /** Every subtask edge [producer, consumer], pipelined or blocking. */
  readonly edges: ReadonlyArray<readonly [number, number]>;
  /** The subtasks that failed (a subtask that threw; every unfinished subtask of a lost TaskManager). */
  readonly failed: Iterable<number>;
  /** Whether the result a finished producer made is gone (it was kept on a lost TaskManager). */
  readonly resultLost: (producer: number) => boolean;
}

/**
 * The subtasks region failover restarts, as Flink's RestartPipelinedRegionFailoverStrategy chooses them
 * (`getRegionsToRestart`): the regions of the failed subtasks; then, until nothing changes, (a) every region that
 * produces a result a restarting region consumes but which is no longer available (its producer's TaskManager was
 * lost: the blocking partition went with it), and (b) every region that consumes a result of a restarting region
 * (it would read that result again). Every other region keeps running, or keeps what it finished. In `pipelined`
 * mode a region's edges stay inside it, so only (a)'s lost producers can add regions; in `blocking` mode (every
 * subtask its own region) (b) restarts everything downstream of the failed subtasks.
 */
export function regionsToRestart(input: RestartSetInput): number[] {
  const { regions, edges } = input;
  const members = new Map<number, number[]>();
  regions.forEach((r, s) => {
    let list = members.get(r);
    if (list === undefined) members.set(r, (list = []));
    list.push(s);
  });
  const producers: number[][] = regions.map(() => []);
  const consumers: number[][] = regions.map(() => []);
  for (const [p, c] of edges) {
    producers[c]!.push(p);
    consumers[p]!.push(c);
  }
  const restart = new Set<number>();
  const queue: number[] = [];
  const add = (region: number): void => {
    if (restart.has(region)) return;
    restart.add(region);
    queue.push(region);
  };
  for (const s of input.failed) add(regions[s]!);
  while (queue.length > 0) {
    for (const s of members.get(queue.pop()!)!) {
      for (const p of producers[s]!) if (input.resultLost(p)) add(regions[p]!);
      for (const c of consumers[s]!) add(regions[c]!);
    }
  }
  return regions.flatMap((r, s) => (restart.has(r) ? [s] : []));
}
