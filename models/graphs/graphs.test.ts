import { describe, expect, it } from 'vitest';
import { DirectedGraph } from 'graphology';
import { findCycle, topologicalOrder } from './dag.ts';
import { createCluster, areAdjacent, linkBetween, parseClusterShorthand, transferMs } from './cluster.ts';
import { createJobGraph } from './job-graph.ts';
import { consumerSubtaskIndices, expandJobGraph, pointwiseConsumerRange, producerSubtaskIndices } from './execution-graph.ts';
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

describe('rescale: Flink\'s POINTWISE distribution pattern', () => {
  // Flink's VertexInputInfoComputationUtilsTest#testComputeVertexInputInfoForPointwiseWithNonDynamicGraph:
  // 2 producers, 3 consumers: consumer 0 and 1 read producer 0, consumer 2 reads producer 1.
  it('2 producers -> 3 consumers as in Flink\'s test; 4 -> 2 pairs the producers', () => {
    expect([0, 1].map((p) => pointwiseConsumerRange(2, 3, p))).toEqual([{ start: 0, end: 2 }, { start: 2, end: 3 }]);
    expect([0, 1, 2].map((c) => producerSubtaskIndices('rescale', 2, 3, c))).toEqual([[0], [0], [1]]);
    expect([0, 1, 2, 3].map((p) => consumerSubtaskIndices('rescale', 4, 2, p))).toEqual([[0], [0], [1], [1]]);
    expect([0, 1].map((c) => producerSubtaskIndices('rescale', 4, 2, c))).toEqual([[0, 1], [2, 3]]);
  });

  it('every producer feeds >= 1 consumer, every consumer reads >= 1 producer, and the two directions agree', () => {
    for (let p = 1; p <= 9; p++)
      for (let c = 1; c <= 9; c++) {
        const edges = new Set<string>();
        for (let a = 0; a < p; a++) {
          const to = consumerSubtaskIndices('rescale', p, c, a);
          expect(to.length).toBeGreaterThan(0);
          for (const b of to) edges.add(`${a}>${b}`);
        }
        expect(edges.size).toBe(Math.max(p, c));
        for (let b = 0; b < c; b++) {
          const from = producerSubtaskIndices('rescale', p, c, b);
          expect(from.length).toBeGreaterThan(0);
          for (const a of from) expect(edges.has(`${a}>${b}`)).toBe(true);
        }
      }
  });

  it('expands a rescale edge pointwise, splitting each producer subtask\'s bytes over its consumers', () => {
    const job = createJobGraph({
      operators: [{ id: 'src', parallelism: 2 }, { id: 'map', parallelism: 4 }],
      edges: [{ from: 'src', to: 'map', partitioning: 'rescale', bytes: 800 }],
    });
    const exec = expandJobGraph(job);
    expect(exec.edges().map((e) => `${exec.source(e)}>${exec.target(e)}:${exec.getEdgeAttribute(e, 'bytes')}`)).toEqual([
      'src#0>map#0:200', 'src#0>map#1:200', 'src#1>map#2:200', 'src#1>map#3:200',
    ]);
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
