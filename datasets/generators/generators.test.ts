import { describe, expect, it } from 'vitest';
import { seededRng } from '../../models/rng.ts';
import { createDagPlacementInstance } from '../../models/dag-placement/instance.ts';
import { createSlotAllocationInstance } from '../../models/slot-allocation/instance.ts';
import { createLoadBalancingInstance } from '../../models/load-balancing/instance.ts';
import { createCluster } from '../../models/graphs/cluster.ts';
import { findCycle } from '../../models/graphs/dag.ts';
import { dagPlacementInfeasibility } from '../../models/dag-placement/feasibility.ts';
import { InstanceFormatError } from '../../models/errors.ts';
import { parseSlotlabDocument, toSlotlabDocument } from '../loaders/slotlab-json.ts';
import {
  GENERATORS,
  flinkJoin,
  flinkPipeline,
  forkJoin,
  generateInstance,
  generateSpec,
  heterogeneousCluster,
  homogeneousCluster,
  inTree,
  outTree,
  rackCluster,
  randomLayeredDag,
  randomLoadBalancing,
  randomSlotAllocation,
  seriesParallel,
  zipfShares,
} from './index.ts';
import type { JobGraphSpec } from '../../models/graphs/job-graph.ts';

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

function sources(job: JobGraphSpec): string[] {
  const withIn = new Set(job.edges.map((e) => e.to));
  return job.operators.map((o) => o.id).filter((id) => !withIn.has(id));
}
function sinks(job: JobGraphSpec): string[] {
  const withOut = new Set(job.edges.map((e) => e.from));
  return job.operators.map((o) => o.id).filter((id) => !withOut.has(id));
}

describe('every registered generator', () => {
  it.each(GENERATORS.map((g) => [g.name]))('%s: deterministic under a seed, different across seeds, valid, and round-trips through slotlab JSON', (name) => {
    const specs = SEEDS.map((seed) => generateSpec(name, {}, seededRng(seed)));
    expect(SEEDS.map((seed) => generateSpec(name, {}, seededRng(seed)))).toEqual(specs);
    expect(new Set(specs.map((s) => JSON.stringify(s.spec))).size).toBeGreaterThan(1);
    for (const generated of specs) {
      // the same checks as a file: schema (via the JSON round trip) and the model's constructor
      const doc = toSlotlabDocument(generated);
      expect(parseSlotlabDocument(JSON.parse(JSON.stringify(doc)), 'generated.json')).toEqual(generated);
      if (generated.kind === 'dag-placement') {
        const instance = createDagPlacementInstance(generated.spec);
        expect(findCycle(instance.jobGraph)).toBeNull();
        expect(dagPlacementInfeasibility(instance)).toBeUndefined();
      } else if (generated.kind === 'slot-allocation') createSlotAllocationInstance(generated.spec);
      else createLoadBalancingInstance(generated.spec);
    }
  });
});

describe('DAG shapes', () => {
  it('layered DAG: every operator below the first layer has a predecessor; sizes within the ranges', () => {
    for (const seed of SEEDS) {
      const job = randomLayeredDag(seededRng(seed), { layers: 4, width: [2, 3], parallelism: [1, 3], skipProbability: 0.3 });
      expect(job.operators.length).toBeGreaterThanOrEqual(8);
      expect(job.operators.length).toBeLessThanOrEqual(12);
      expect(sources(job).length).toBeLessThanOrEqual(3);
      for (const e of job.edges) if (e.partitioning === 'forward') expect(job.operators.find((o) => o.id === e.from)!.parallelism).toBe(job.operators.find((o) => o.id === e.to)!.parallelism);
    }
  });

  it('fork-join: one source, one sink, 2 edges per branch', () => {
    const job = forkJoin(seededRng(3), { stages: 3, branches: 4 });
    expect(job.operators).toHaveLength(1 + 3 * 5);
    expect(job.edges).toHaveLength(3 * 4 * 2);
    expect(sources(job)).toEqual(['fork']);
    expect(sinks(job)).toEqual(['join3']);
  });

  it('out-tree and in-tree: n - 1 edges, one root; full binary tree of depth 3 has 15 operators', () => {
    const out = outTree(seededRng(1), { depth: 3, fanout: 2 });
    const into = inTree(seededRng(1), { depth: 3, fanout: 2 });
    expect(out.operators).toHaveLength(15);
    expect(out.edges).toHaveLength(14);
    expect(sources(out)).toEqual(['n0']);
    expect(sinks(into)).toEqual(['n0']);
    expect(sinks(out)).toHaveLength(8);
    expect(outTree(seededRng(1), { depth: 10, fanout: 3, maxOperators: 50 }).operators).toHaveLength(50);
  });

  it('series-parallel: operations + 2 operators, source s and sink t', () => {
    for (const seed of SEEDS) {
      const job = seriesParallel(seededRng(seed), { operations: 12 });
      expect(job.operators).toHaveLength(14);
      expect(sources(job)).toEqual(['s']);
      expect(sinks(job)).toEqual(['t']);
    }
  });
});

describe('Flink topologies', () => {
  it('pipeline: Flink partitioning, work and bytes follow the record counts', () => {
    const job = flinkPipeline(seededRng(4), { sourceParallelism: 2, windowParallelism: 4, records: 10_000, bytesPerRecord: 50, keySkew: 0 });
    expect(job.operators.map((o) => [o.id, o.parallelism])).toEqual([
      ['source', 2],
      ['map', 2],
      ['window', 4],
      ['sink', 1],
    ]);
    expect(job.edges.map((e) => e.partitioning)).toEqual(['forward', 'hash', 'rebalance']);
    expect(job.edges.map((e) => e.bytes)).toEqual([500_000, 500_000, 50_000]);
    // default costs: source 0.5, map 1, window 2 ms per 1000 records
    expect(job.operators[0]!.workMs).toBe(2.5);
    expect(job.operators[1]!.workMs).toBe(5);
    expect(job.operators[2]!.subtaskWorkMs!.reduce((a, b) => a + b, 0)).toBeCloseTo(20, 2);
  });

  it('key skew makes the hottest window subtask carry more', () => {
    const hottest = (keySkew: number) => {
      let sum = 0;
      for (const seed of SEEDS) {
        const w = flinkPipeline(seededRng(seed), { windowParallelism: 8, keys: 1000, keySkew }).operators[2]!.subtaskWorkMs!;
        sum += Math.max(...w) / (w.reduce((a, b) => a + b, 0) / w.length);
      }
      return sum / SEEDS.length;
    };
    expect(hottest(0)).toBeLessThan(1.2);
    expect(hottest(1.2)).toBeGreaterThan(2);
  });

  it('two-stream join: both sides hash into the join', () => {
    const job = flinkJoin(seededRng(2), { sourceParallelism: 2, joinParallelism: 3 });
    expect(sources(job).sort()).toEqual(['sourceA', 'sourceB']);
    expect(job.edges.filter((e) => e.to === 'join').map((e) => [e.from, e.partitioning])).toEqual([
      ['mapA', 'hash'],
      ['mapB', 'hash'],
    ]);
    expect(sinks(job)).toEqual(['sink']);
  });

  it('every operator is a model operator the runtime replays (kind synthetic), its Flink role a label', () => {
    // A runtime kind (source, map, window, join, sink) would run real code whose cost has nothing to do with workMs.
    const pipeline = flinkPipeline(seededRng(1));
    const join = flinkJoin(seededRng(1));
    for (const op of [...pipeline.operators, ...join.operators]) expect(op.kind, op.id).toBe('synthetic');
    expect(pipeline.operators.map((o) => o.params)).toEqual([{ role: 'source' }, { role: 'map' }, { role: 'window' }, { role: 'sink' }]);
    expect(join.operators.map((o) => [o.id, o.params?.['role']])).toEqual([
      ['sourceA', 'source'],
      ['mapA', 'map'],
      ['sourceB', 'source'],
      ['mapB', 'map'],
      ['join', 'join'],
      ['sink', 'sink'],
    ]);
  });

  it('Zipf shares sum to 1 and uniform keys share evenly', () => {
    const shares = zipfShares(seededRng(1), 5, 10_000, 0);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (const s of shares) expect(s).toBeCloseTo(0.2, 1);
  });
});

describe('slot allocation, load balancing and clusters', () => {
  it('slot allocation: minimum demands fit the slots', () => {
    for (const seed of SEEDS) {
      const spec = randomSlotAllocation(seededRng(seed), { maxSlotsPerTaskManager: [1, 2], elasticShare: 0.5 });
      const instance = createSlotAllocationInstance(spec);
      const slots = instance.taskManagers.reduce((t, tm) => t + tm.slotCount, 0);
      expect(instance.jobs.reduce((t, j) => t + j.minSlots, 0)).toBeLessThanOrEqual(slots);
      for (const j of instance.jobs) expect(instance.taskManagers.reduce((t, tm) => t + Math.min(tm.slotCount, j.maxSlotsPerTaskManager), 0)).toBeGreaterThanOrEqual(j.minSlots);
    }
  });

  it('load balancing: every task has a slot, the current placement respects them', () => {
    for (const seed of SEEDS) {
      const spec = randomLoadBalancing(seededRng(seed), { slotsPerTaskManager: 1, currentPlacement: 'round-robin', migrationCostMs: 5, speedFactor: [0.5, 2] });
      const instance = createLoadBalancingInstance(spec);
      expect(instance.taskManagers.reduce((t, tm) => t + tm.slotCount, 0)).toBeGreaterThanOrEqual(instance.tasks.length);
      for (const tm of instance.taskManagers) expect(instance.tasks.filter((t) => t.currentTaskManager === tm.id).length).toBeLessThanOrEqual(tm.slotCount);
      expect(instance.migrationCostMs).toBe(5);
    }
  });

  it('clusters: homogeneous, heterogeneous speeds, racks with adjacency', () => {
    expect(createCluster(homogeneousCluster({ taskManagers: 3, slotsPerTaskManager: 4 })).taskManagers.map((t) => t.slotCount)).toEqual([4, 4, 4]);
    const het = heterogeneousCluster(seededRng(1), { taskManagers: 5, speedFactor: [0.5, 2] });
    expect(het.taskManagers.every((t) => t.speedFactor! >= 0.5 && t.speedFactor! <= 2)).toBe(true);
    expect(new Set(het.taskManagers.map((t) => t.speedFactor)).size).toBeGreaterThan(1);
    const racks = createCluster(rackCluster({ racks: 2, taskManagersPerRack: 3 }));
    expect(racks.taskManagers.map((t) => t.rack)).toEqual(['rack1', 'rack1', 'rack1', 'rack2', 'rack2', 'rack2']);
    expect(racks.interRackLink.bandwidthBytesPerMs).toBeLessThan(racks.defaultLink.bandwidthBytesPerMs);
  });

  it('generateInstance: params choose the cluster and variant; load options win', () => {
    const a = generateInstance('flink-pipeline', { cluster: { generator: 'rack-cluster', racks: 2 }, variant: 'exclusive', windowParallelism: 2, sourceParallelism: 1 }, seededRng(1));
    if (a.kind !== 'dag-placement') throw new Error(a.kind);
    expect(a.variant).toBe('exclusive');
    expect(a.taskManagers.map((t) => t.id)).toEqual(['r1tm1', 'r1tm2', 'r2tm1', 'r2tm2']);
    const b = generateInstance('layered-dag', { cluster: '2x1' }, seededRng(1), { taskManagers: 3, variant: 'shared' });
    if (b.kind !== 'dag-placement') throw new Error(b.kind);
    expect(b.slots).toHaveLength(3);
    expect(b.variant).toBe('shared');
  });
});

describe('bad generator parameters are refused with their path', () => {
  it('a value out of range, an unknown parameter, an unknown generator, an unknown cluster generator', () => {
    expect(() => generateSpec('layered-dag', { layers: 0 }, seededRng(1), 'suite.json')).toThrow(InstanceFormatError);
    expect(() => generateSpec('layered-dag', { layers: 0 }, seededRng(1), 'suite.json')).toThrow(
      'suite.json: $.params.layers should be an integer >= 1 or a range [min, max] of such integers with min <= max, got 0',
    );
    expect(() => generateSpec('fork-join', { branches: [5, 2] }, seededRng(1), 's')).toThrow(/\$\.params\.branches should be an integer >= 1 or a range/);
    expect(() => generateSpec('fork-join', { brnaches: 3 }, seededRng(1), 's')).toThrow(/^s: \$\.params\.brnaches should be absent: .*branches/);
    expect(() => generateSpec('nope', {}, seededRng(1), 's')).toThrow(/should be the name of a generator: layered-dag, fork-join/);
    expect(() => generateSpec('fork-join', { cluster: { generator: 'mesh' } }, seededRng(1), 's')).toThrow('s: $.params.cluster.generator should be one of homogeneous-cluster, heterogeneous-cluster, rack-cluster, got "mesh"');
    expect(() => generateSpec('fork-join', { variant: 'batch' }, seededRng(1), 's')).toThrow('s: $.params.variant should be one of exclusive, shared, sequenced, got "batch"');
  });
});
