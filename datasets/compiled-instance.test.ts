import { describe, expect, it } from 'vitest';
import { CATALOG, datasetFiles } from './catalog.ts';
import { loadInstanceFile } from './loaders/index.ts';
import { compileDagPlacementInstance, createDagPlacementInstance, type DagPlacementInstance, type DagPlacementSpec } from '../models/dag-placement/instance.ts';
import { compiledJobOf, compileJobSpec } from '../models/graphs/compiled-job.ts';
import { createJobGraph } from '../models/graphs/job-graph.ts';
import { expandJobGraph } from '../models/graphs/execution-graph.ts';
import { validateDagPlacement } from '../models/dag-placement/validator.ts';
import { heft } from '../solver/heuristics/heft.ts';
import { seededRng } from '../models/rng.ts';
import type { Schedule } from '../models/solution.ts';

/**
 * DAG placement instances are compiled from flat arrays (models/graphs/compiled-job.ts) without a graphology job
 * graph; a job given as a graph (the runtime's and the cluster simulator's) is read into the same arrays, with the
 * graph's own topological order (graphs/dag.ts) and edge order. Both must give the same instance, array for array.
 */
function arraysOf(instance: DagPlacementInstance) {
  const K = instance.taskManagers.length;
  return {
    operators: instance.operators.map((o) => [o.index, o.id, o.name, o.parallelism, o.slotSharingGroup, o.subtasks]),
    subtasks: instance.subtasks.map((s) => [s.index, s.id, s.operatorId, s.operatorIndex, s.subtaskIndex, s.workMs, s.memoryBytes, s.slotSharingGroup, s.durationMsByTaskManager]),
    edges: instance.edges.map((e) => [e.index, e.from, e.to, e.bytes]),
    inEdges: instance.inEdges,
    outEdges: instance.outEdges,
    durationsMs: instance.subtasks.map((s) => Array.from({ length: K }, (_, k) => instance.durationMs(s.index, k))),
    transfersMs: instance.edges.map((e) => instance.transferMs(e.index, 0, K - 1)),
    job: { ...instance.job },
  };
}

/** The instance compiled from the arrays, against the one compiled from its graph (the graph path). */
function expectSameAsGraphPath(instance: DagPlacementInstance): void {
  const viaGraph = compileDagPlacementInstance(instance.name, instance.variant, instance.jobGraph, instance.cluster);
  expect(arraysOf(viaGraph)).toEqual(arraysOf(instance));
  const graphOf = (i: DagPlacementInstance) => ({ nodes: i.jobGraph.export().nodes, edges: i.jobGraph.mapEdges((_key, a, from, to) => [from, to, a]) });
  expect(graphOf(instance)).toEqual(graphOf(viaGraph));
}

describe('compiled jobs: the arrays path and the graph path give the same instance', () => {
  it('on every bundled DAG placement instance (STG, WfInstances, the HEFT paper example, the exact-comm cases, Flink plans)', () => {
    let checked = 0;
    for (const entry of CATALOG)
      for (const file of datasetFiles(entry)) {
        const { instance } = loadInstanceFile(file, entry.needs ? { taskManagers: 4, checkFeasibility: false } : { checkFeasibility: false });
        if (instance.kind !== 'dag-placement') continue;
        expectSameAsGraphPath(instance);
        checked++;
      }
    expect(checked).toBeGreaterThan(50);
  });

  it("keeps graphology's successor order: array-index ids (\"17\", \"3\") first, ascending, then the others as added", () => {
    const spec: DagPlacementSpec = {
      name: 'index-ids',
      variant: 'sequenced',
      job: {
        operators: [
          { id: 'src', parallelism: 2, workMs: 5 },
          { id: 'v9', parallelism: 2, workMs: 7 },
          { id: '17', parallelism: 3, subtaskWorkMs: [1, 2, 3] },
          { id: '3', parallelism: 2, workMs: 4, memoryBytes: 10 },
          { id: 'a', parallelism: 1, workMs: 2, slotSharingGroup: 'g2' },
          { id: '0', parallelism: 2, workMs: 1 },
          { id: 'sink', parallelism: 1, workMs: 1 },
        ],
        edges: [
          { from: 'src', to: 'v9', partitioning: 'forward', bytes: 100 },
          { from: 'src', to: '17', partitioning: 'rescale', bytes: 60 },
          { from: 'src', to: '3', partitioning: 'hash', bytes: 40 },
          { from: 'src', to: 'a', partitioning: 'broadcast', bytes: 8 },
          { from: 'src', to: '0', partitioning: 'rebalance' },
          { from: '17', to: 'sink', partitioning: 'hash', bytes: 9 },
          { from: '3', to: 'sink', partitioning: 'hash' },
          { from: 'v9', to: 'sink', partitioning: 'hash' },
          { from: 'a', to: 'sink', partitioning: 'forward' },
          { from: '0', to: 'sink', partitioning: 'hash' },
        ],
      },
      cluster: { taskManagers: [{ id: 'tm1', slotCount: 2, speedFactor: 2 }, { id: 'tm2', slotCount: 1 }], defaultLink: { bandwidthBytesPerMs: 10, latencyMs: 1 } },
    };
    const instance = createDagPlacementInstance(spec);
    // graphology lists the successors of `src` as 0, 3, 17 (index keys, ascending), then v9, a (as added)
    expect(instance.operators.map((o) => o.id)).toEqual(['src', '0', '3', '17', 'v9', 'a', 'sink']);
    expectSameAsGraphPath(instance);
    expect(compileJobSpec(spec.job).topologicalOrder).toEqual(compiledJobOf(createJobGraph(spec.job)).topologicalOrder);
    // the lazily built execution graph is the expansion of the job graph
    expect(instance.executionGraph.order).toBe(instance.subtasks.length);
    expect(instance.executionGraph.size).toBe(instance.edges.length);
    const withoutKeys = (g: ReturnType<typeof expandJobGraph>) => ({ nodes: g.export().nodes, edges: g.mapEdges((_key, a, from, to) => [from, to, a]) });
    expect(withoutKeys(instance.executionGraph)).toEqual(withoutKeys(expandJobGraph(createJobGraph(spec.job))));
    // and HEFT's schedule on it passes the validator
    const result = heft.solve(instance, { rng: seededRng(1) });
    return result.then((r) => expect(validateDagPlacement(instance, r.solution as Schedule)).toEqual([]));
  });
});
