import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { loadInstanceFile } from './index.ts';
import { FLINK_SHIP_STRATEGIES, parseFlinkCosts, parseFlinkPlan, flinkPlanJob, shipStrategyKey } from './flink-plan.ts';
import { PARTITIONINGS } from '../../models/graphs/job-graph.ts';
import { parseClusterShorthand } from '../../models/graphs/cluster.ts';
import type { DagPlacementInstance } from '../../models/dag-placement/instance.ts';

const plans = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'flink-plans');
const DOCS = join(plans, 'flink-docs-explain-union-aggregate.json');
const REST = join(plans, 'flink-test-statement-set-job-plan.json');
const COSTS = join(plans, 'union-aggregate.costs.json');

function load(file: string, options: { cluster?: string; costs?: string } = {}): { instance: DagPlacementInstance; warnings: string[] } {
  const warnings: string[] = [];
  const loaded = loadInstanceFile(file, {
    cluster: parseClusterShorthand(options.cluster ?? '5x2'),
    ...(options.costs ? { costs: options.costs } : {}),
    warn: (w) => warnings.push(w),
  });
  expect(loaded.format).toBe('flink-plan');
  if (loaded.instance.kind !== 'dag-placement') throw new Error(loaded.instance.kind);
  return { instance: loaded.instance, warnings };
}

const edgesOf = (i: DagPlacementInstance) => i.jobGraph.mapEdges((_e, a, s, t) => `${s}->${t}:${a.partitioning}`);
const operatorsOf = (i: DagPlacementInstance) => i.jobGraph.mapNodes((id, a) => `${id}:${a.name}:${a.parallelism}`); // the plan's node order

/** Files with one bad field, written to a temp folder: the message names the file and the field. */
function badPlan(name: string, doc: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'slotlab-flink-plan-'));
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

describe('Flink execution plans (the bundled fixtures, figures read off the plans)', () => {
  it("Flink's docs (EXPLAIN, stream graph): two scans, a filter, two HASH inputs into the aggregate; the union is virtual", () => {
    const { instance, warnings } = load(DOCS);
    expect(instance.name).toBe('flink-docs-explain-union-aggregate');
    expect(instance.variant).toBe('shared');
    expect(operatorsOf(instance)).toEqual(['17:Source: MyTable1[15]:1', '18:Calc[16]:1', '19:Source: MyTable2[17]:1', '22:GroupAggregate[20]:1']);
    expect(edgesOf(instance)).toEqual(['17->18:forward', '18->22:hash', '19->22:hash']);
    expect(instance.jobGraph.getNodeAttributes('17')).toMatchObject({ kind: 'synthetic', params: { role: 'source' }, subtaskWorkMs: [10] });
    expect(warnings).toEqual([expect.stringMatching(/flink-docs-explain-union-aggregate\.json: a Flink plan carries no costs: every subtask gets workMs 10 and every edge 0 bytes \(defaults\)/)]);
  });

  it("Flink's test resource (REST job graph plan): the job's name, 32-hex vertex ids, the first line of each description", () => {
    const { instance } = load(REST);
    expect(instance.name).toBe('Flink Exec Table Job');
    expect(operatorsOf(instance)).toEqual([
      '51397532e2d9c7a21097a30d590b3114:CsvTableSource(read fields: last):1',
      'bc764cd8ddf7a0cff126f51c16239658:Source: Custom File source:1',
      '8b9f3e513101bcc5d198aee685286d98:CsvTableSource(read fields: first):1',
      'feca28aff5a3958840bee985ee7de4d3:Source: Custom File source:1',
    ]);
    expect(edgesOf(instance)).toEqual(['bc764cd8ddf7a0cff126f51c16239658->51397532e2d9c7a21097a30d590b3114:forward', 'feca28aff5a3958840bee985ee7de4d3->8b9f3e513101bcc5d198aee685286d98:forward']);
  });

  it('the REST answer of GET /jobs/:jobid/plan wraps the plan in {"plan": ...}: read the same', () => {
    const wrapped = badPlan('plan-answer.json', { plan: JSON.parse(readFileSync(REST, 'utf8')) });
    try {
      expect(edgesOf(load(wrapped).instance)).toEqual(edgesOf(load(REST).instance));
    } finally {
      rmSync(dirname(wrapped), { recursive: true });
    }
  });

  it("the docs plan with the costs file: busy time x period is the work, per-subtask busy time, bytes from numBytesOutPerSecond, keys by name or id", () => {
    const { instance, warnings } = load(DOCS, { costs: COSTS });
    expect(warnings).toEqual([]);
    expect(instance.jobGraph.getNodeAttribute('17', 'subtaskWorkMs')).toEqual([120]);
    expect(instance.jobGraph.getNodeAttribute('18', 'subtaskWorkMs')).toEqual([180]);
    expect(instance.jobGraph.getNodeAttribute('19', 'subtaskWorkMs')).toEqual([90]);
    expect(instance.jobGraph.getNodeAttribute('22', 'subtaskWorkMs')).toEqual([640]);
    // 400,000 bytes/s per subtask x 1 subtask x 1 s over the one outgoing edge
    expect(instance.jobGraph.getEdgeAttribute('17', '18', 'bytes')).toBe(400_000);
    expect(instance.jobGraph.getEdgeAttribute('18', '22', 'bytes')).toBe(120_000);
    expect(instance.jobGraph.getEdgeAttribute('19', '22', 'bytes')).toBe(200_000);
    expect(instance.jobGraph.getNodeAttribute('17', 'params')).toEqual({ role: 'source', records: 5000 });
    expect(instance.jobGraph.getNodeAttribute('18', 'params')).toEqual({ role: 'operator', records: 1500, numRecordsInPerSecond: 5000 });
  });

  it('a plan needs a cluster; a costs file is refused for other formats', () => {
    expect(() => loadInstanceFile(DOCS)).toThrow(/flink-docs-explain-union-aggregate\.json: cluster: a Flink execution plan names no TaskManagers: give a cluster \(e\.g\. --cluster 4x2/);
    expect(() => loadInstanceFile(join(plans, '..', 'design-example.json'), { costs: COSTS })).toThrow(/design-example\.json: costs option: a costs file is for Flink execution plans, but this file is slotlab-json/);
  });
});

describe('ship strategies', () => {
  it('every mapped strategy lands on a slotlab partitioning; the key list of a batch exchange is dropped', () => {
    for (const [name, { partitioning }] of Object.entries(FLINK_SHIP_STRATEGIES)) expect(PARTITIONINGS, name).toContain(partitioning);
    expect(shipStrategyKey('HASH[c]')).toBe('HASH');
    expect(shipStrategyKey(' rescale ')).toBe('RESCALE');
  });

  it('REBALANCE, RESCALE, BROADCAST, SHUFFLE, GLOBAL, HASH[c] in one stream graph plan', () => {
    const node = (id: number, parallelism: number, predecessors: Array<[number, string]> = []) => ({
      id, type: `op${id}`, pact: predecessors.length === 0 ? 'Data Source' : 'Operator', contents: `op${id}`, parallelism,
      ...(predecessors.length ? { predecessors: predecessors.map(([p, s]) => ({ id: p, ship_strategy: s, side: 'second' })) } : {}),
    });
    const plan = parseFlinkPlan(
      { nodes: [node(1, 2), node(2, 4, [[1, 'RESCALE']]), node(3, 4, [[2, 'REBALANCE']]), node(4, 3, [[3, 'HASH[c]'], [1, 'BROADCAST']]), node(5, 2, [[4, 'SHUFFLE']]), node(6, 1, [[5, 'GLOBAL']])] },
      'mixed.json',
      'mixed',
    );
    expect(plan.job.edges.map((e) => `${e.from}->${e.to}:${e.partitioning}`)).toEqual(['1->2:rescale', '2->3:rebalance', '3->4:hash', '1->4:broadcast', '4->5:rebalance', '5->6:rebalance']);
    expect(plan.shipStrategies).toEqual(['RESCALE', 'REBALANCE', 'HASH[c]', 'BROADCAST', 'SHUFFLE', 'GLOBAL']);
  });
});

describe('costs side file', () => {
  const plan = parseFlinkPlan(JSON.parse(readFileSync(DOCS, 'utf8')), DOCS, 'docs');
  it('names the operators that got default work', () => {
    const costs = parseFlinkCosts({ format: 'slotlab/flink-costs@1', periodSeconds: 60, operators: { '17': { busyTimeMsPerSecond: 100 } } }, 'c.json');
    const { job, warnings } = flinkPlanJob(plan, costs);
    expect(job.operators.map((o) => o.workMs)).toEqual([6000, 10, 10, 10]);
    expect(warnings).toEqual([`c.json: no busy time or work for 3 operators of ${DOCS} (18, 19, 22): workMs 10 per subtask (default)`]);
  });

  it.each([
    [{ format: 'slotlab/flink-costs@1', operators: { nope: { workMs: 1 } } }, /c\.json: \$\.operators\["nope"\] should be the id or name of an operator of .*flink-docs-explain-union-aggregate\.json \(17, 18, 19, 22\), got "nope"/],
    [{ format: 'slotlab/flink-costs@1', operators: { '17': { busyTimeMsPerSecond: 1500 } } }, /c\.json: \$\.operators\["17"\]\.busyTimeMsPerSecond should be a number of ms per second between 0 and 1000, got 1500/],
    [{ format: 'slotlab/flink-costs@1', operators: { '22': { subtaskBusyTimeMsPerSecond: [1, 2] } } }, /c\.json: \$\.operators\["22"\]\.subtaskBusyTimeMsPerSecond should be one value per subtask \(1\), got 2/],
    [{ format: 'slotlab/flink-costs@1', operators: { '17': { busyTime: 3 } } }, /c\.json: \$\.operators\["17"\]\.busyTime should be absent/],
  ])('refuses a bad costs file with the file and field (%#)', (doc, message) => {
    expect(() => flinkPlanJob(plan, parseFlinkCosts(doc, 'c.json'))).toThrow(message);
  });
});

describe('bad plans: one line naming the file and the field', () => {
  const good = () => JSON.parse(readFileSync(DOCS, 'utf8')) as { nodes: Array<Record<string, unknown> & { predecessors?: Array<Record<string, unknown>> }> };
  const cases: Array<[string, (doc: ReturnType<typeof good>) => void, RegExp]> = [
    ['unknown ship strategy', (d) => (d.nodes[3]!.predecessors![1]!['ship_strategy'] = 'ZIGZAG'), /\$\.nodes\[3\]\.predecessors\[1\]\.ship_strategy should be one of Flink's ship strategies FORWARD, HASH, REBALANCE, RESCALE, BROADCAST, .*, got "ZIGZAG"/],
    ['missing id', (d) => delete d.nodes[1]!['id'], /\$\.nodes\[1\]\.id should be an integer or a non-empty string \(the node id\), but the field is missing/],
    ['a predecessor that does not exist', (d) => (d.nodes[1]!.predecessors![0]!['id'] = 99), /\$\.nodes\[1\]\.predecessors\[0\]\.id should be the id of a node of this plan \(node "18" names a predecessor that does not exist\), got "99"/],
    ['a cycle', (d) => (d.nodes[0]!.predecessors = [{ id: 22, ship_strategy: 'HASH', side: 'second' }]), /the graph must be acyclic, but it has the cycle 17 -> 18 -> 22 -> 17/],
    ['a duplicate id', (d) => (d.nodes[2]!['id'] = 17), /\$\.nodes\[2\]\.id should be a node id not used before \(node "17" appears twice\), got "17"/],
    ['FORWARD between unequal parallelisms', (d) => (d.nodes[1]!['parallelism'] = 2), /\$\.nodes\[1\]\.predecessors\[0\]\.ship_strategy should be FORWARD only between equal parallelisms/],
  ];
  it.each(cases)('%s', (name, mutate, message) => {
    const doc = good();
    mutate(doc);
    const file = badPlan(`${name.replace(/\W+/g, '-')}.json`, doc);
    try {
      expect(() => loadInstanceFile(file, { cluster: parseClusterShorthand('2x2') })).toThrow(message);
      expect(() => loadInstanceFile(file, { cluster: parseClusterShorthand('2x2') })).toThrow(file);
    } finally {
      rmSync(dirname(file), { recursive: true });
    }
  });
});
