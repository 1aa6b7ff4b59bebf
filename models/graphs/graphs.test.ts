import { describe, expect, it } from 'vitest';
import { DirectedGraph } from 'graphology';
import { findCycle, topologicalOrder } from './dag.ts';
import { createCluster, areAdjacent, linkBetween, parseClusterShorthand, transferMs } from './cluster.ts';
import { createJobGraph } from './job-graph.ts';
import { expandJobGraph } from './execution-graph.ts';
import { seededRng } from '../rng.ts';

describe('DAG helpers', () => {
  it('finds a cycle and names its nodes in order', () => {
    const g = new DirectedGraph();
    for (const n of ['s', 'a', 'b', 'c', 't']) g.addNode(n);
    g.addEdge('s', 'a'); g.addEdge('a', 'b'); g.addEdge('b', 'c'); g.addEdge('c', 'a'); g.addEdge('c', 't');
    expect(findCycle(g)).toEqual(['a', 'b', 'c']);
    expect(() => topologicalOrder(g, 'g.json')).toThrow('g.json: the graph must be acyclic, but it has the cycle a -> b -> c -> a');
    g.dropEdge('c', 'a');
    expect(findCycle(g)).toBeNull();
    expect(topologicalOrder(g, 'g')).toEqual(['s', 'a', 'b', 'c', 't']);
  });
});

describe('execution graph expansion', () => {
  it('broadcast sends each producer subtask its full output to every consumer', () => {
    const job = createJobGraph({
      operators: [{ id: 'src', parallelism: 2 }, { id: 'map', parallelism: 3 }, { id: 'sink', parallelism: 3 }],
      edges: [{ from: 'src', to: 'map', partitioning: 'broadcast', bytes: 600 }, { from: 'map', to: 'sink', partitioning: 'rebalance', bytes: 900 }],
    });
    const exec = expandJobGraph(job);
    expect(exec.order).toBe(8);
    expect(exec.size).toBe(6 + 9);
    expect(exec.getEdgeAttribute(exec.edge('src#1', 'map#2')!, 'bytes')).toBe(300);
    expect(exec.getEdgeAttribute(exec.edge('map#0', 'sink#2')!, 'bytes')).toBe(100);
  });

  it('key skew: per-subtask work', () => {
    const job = createJobGraph({ operators: [{ id: 'agg', parallelism: 3, subtaskWorkMs: [10, 1, 1] }], edges: [] });
    expect(expandJobGraph(job).getNodeAttribute('agg#0', 'workMs')).toBe(10);
    expect(() => createJobGraph({ operators: [{ id: 'agg', parallelism: 3, subtaskWorkMs: [1] }], edges: [] }, 'skew.json')).toThrow('skew.json: job.operators[0].subtaskWorkMs: should have one entry per subtask (3), got 1');
  });
});

describe('cluster graph', () => {
  const cluster = createCluster({
    taskManagers: [{ id: 'a', slotCount: 2, rack: 'r1' }, { id: 'b', slotCount: 2, rack: 'r1' }, { id: 'c', slotCount: 2, rack: 'r2' }, { id: 'd', slotCount: 1, rack: 'r3' }],
    defaultLink: { bandwidthBytesPerMs: 100, latencyMs: 0.5 },
    interRackLink: { bandwidthBytesPerMs: 10, latencyMs: 2 },
    links: [{ a: 'c', b: 'd', bandwidthBytesPerMs: 1000, latencyMs: 0.1 }],
  });
  it('uses the rack, the direct link or the inter-rack link', () => {
    expect(transferMs(linkBetween(cluster, 'a', 'b'), 100)).toBeCloseTo(1.5, 12);
    expect(transferMs(linkBetween(cluster, 'a', 'c'), 100)).toBeCloseTo(12, 12);
    expect(transferMs(linkBetween(cluster, 'd', 'c'), 100)).toBeCloseTo(0.2, 12);
    expect(areAdjacent(cluster, 'a', 'b')).toBe(true);
    expect(areAdjacent(cluster, 'a', 'c')).toBe(false);
    expect(areAdjacent(cluster, 'c', 'd')).toBe(true);
  });
  it('parses the --cluster shorthand', () => {
    expect(parseClusterShorthand('4x1').taskManagers).toHaveLength(4);
    expect(parseClusterShorthand('3x2@1,1.5,2').taskManagers.map((t) => t.speedFactor)).toEqual([1, 1.5, 2]);
    expect(() => parseClusterShorthand('3x2@1,2')).toThrow(/should give 3 positive speed factors/);
    expect(() => parseClusterShorthand('four')).toThrow(/should look like 4x1/);
  });
});

describe('seeded rng', () => {
  it('is deterministic and in range', () => {
    const a = seededRng(7);
    const b = seededRng(7);
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(xs).toEqual(Array.from({ length: 100 }, () => b.next()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(Array.from({ length: 200 }, () => a.int(1, 6)))).toEqual(new Set([1, 2, 3, 4, 5, 6]));
  });
});
