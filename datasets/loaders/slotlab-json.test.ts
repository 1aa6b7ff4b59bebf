import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { loadInstance, loadInstanceFile } from './index.ts';
import { dagPlacementSchema, parseDagPlacementDocument, parseSlotlabDocument, toSlotlabDocument } from './slotlab-json.ts';
import { parseWithSchema } from './schema.ts';
import { parseJsonText } from './files.ts';
import { CyclicGraphError, InstanceFormatError, InvalidInstanceError } from '../../models/errors.ts';
import { documentExampleSpec, documentPlacement } from '../../models/test/document-example.ts';
import { validateDagPlacement } from '../../models/dag-placement/validator.ts';
import { evaluateDagPlacement } from '../../models/dag-placement/evaluate.ts';
import { parseClusterShorthand } from '../../models/graphs/cluster.ts';
import { evaluateLoadBalancing } from '../../models/load-balancing/instance.ts';
import { slotAllocationObjective } from '../../models/slot-allocation/instance.ts';
import { validateSlotAllocation } from '../../models/slot-allocation/validator.ts';

const examples = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples');
const example = (name: string) => join(examples, name);

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error, got none');
}

describe('slotlab/dag-placement@1', () => {
  it("design-example.json is the document's example (same spec as models/test/document-example.ts)", () => {
    const doc = parseSlotlabDocument(JSON.parse(readFileSync(example('design-example.json'), 'utf8')), 'design-example.json');
    expect(doc.kind).toBe('dag-placement');
    expect(doc.spec).toEqual(documentExampleSpec('exclusive'));
  });

  it("builds 6 subtasks and 6 subtask edges; the document's placement is valid and predicts 38 ms (hand computed)", () => {
    const instance = loadInstance(example('design-example.json'));
    if (instance.kind !== 'dag-placement') throw new Error(instance.kind);
    expect(instance.subtasks).toHaveLength(6);
    expect(instance.edges).toHaveLength(6);
    expect(validateDagPlacement(instance, documentPlacement)).toEqual([]);
    // A 0-10 on tm1; B#0 tm1 10-30; B#1 tm2 waits 3 ms for A's data: 13-33; C#0 on tm2 gets B#0's data at 33: 33-38.
    expect(evaluateDagPlacement(instance, documentPlacement).makespanMs).toBeCloseTo(38, 9);
  });

  it('the streaming example expands by parallelism (2 + 2 + 4 + 1 subtasks, forward pointwise, hash all-to-all)', () => {
    const instance = loadInstance(example('flink-wordcount-streaming.json'));
    if (instance.kind !== 'dag-placement') throw new Error(instance.kind);
    expect(instance.variant).toBe('shared');
    expect(instance.subtasks).toHaveLength(9);
    expect(instance.edges).toHaveLength(2 + 2 * 4 + 4 * 1);
    expect(instance.subtaskById.get('count#0')!.workMs).toBe(90);
    // rack1 <-> rack2 uses the inter-rack link
    expect(instance.link(0, 2)).toEqual({ bandwidthBytesPerMs: 12500, latencyMs: 1 });
    expect(instance.link(0, 1)).toEqual({ bandwidthBytesPerMs: 125000, latencyMs: 0.2 });
  });

  it('options replace the cluster and the variant', () => {
    const instance = loadInstance(example('design-example.json'), { cluster: parseClusterShorthand('3x1'), variant: 'sequenced' });
    if (instance.kind !== 'dag-placement') throw new Error(instance.kind);
    expect(instance.variant).toBe('sequenced');
    expect(instance.slots.map((s) => s.id)).toEqual(['tm1/0', 'tm2/0', 'tm3/0']);
  });

  it('a JSON → spec → JSON round trip keeps every field', () => {
    for (const name of ['design-example.json', 'flink-wordcount-streaming.json', 'slot-allocation.json', 'load-balancing.json']) {
      const raw = JSON.parse(readFileSync(example(name), 'utf8')) as Record<string, unknown>;
      const doc = parseSlotlabDocument(raw, name);
      const again = toSlotlabDocument(doc, raw['description'] as string);
      expect(again).toEqual(raw);
      expect(loadInstanceFile(example(name)).instance.name).toBe(raw['name']);
    }
  });
});

describe('slotlab/slot-allocation@1 and slotlab/load-balancing@1', () => {
  it('slot-allocation.json: 4 TaskManagers with 16 slots, fixed and elastic demands', () => {
    const instance = loadInstance(example('slot-allocation.json'));
    if (instance.kind !== 'slot-allocation') throw new Error(instance.kind);
    expect(instance.taskManagers.map((tm) => tm.slotCount)).toEqual([4, 4, 2, 6]);
    expect(instance.jobs.map((j) => [j.minSlots, j.maxSlots])).toEqual([[5, 5], [3, 3], [2, 4]]);
    // a hand-made allocation: used 3, 3, 2, 2 → free slots 1, 1, 0, 4 → objective 1 + 1 + 0 + 16 = 18
    const allocation = {
      grants: [
        { taskManager: 'tm1', job: 'etl', slots: 3 },
        { taskManager: 'tm2', job: 'etl', slots: 2 },
        { taskManager: 'tm2', job: 'fraud-detection', slots: 1 },
        { taskManager: 'tm3', job: 'fraud-detection', slots: 2 },
        { taskManager: 'tm4', job: 'reporting', slots: 2 },
      ],
    };
    expect(validateSlotAllocation(instance, allocation)).toEqual([]);
    expect(slotAllocationObjective(instance, allocation)).toBe(18);
  });

  it('load-balancing.json: skewed loads, a fast TaskManager, the current placement evaluates by hand', () => {
    const instance = loadInstance(example('load-balancing.json'));
    if (instance.kind !== 'load-balancing') throw new Error(instance.kind);
    expect(instance.tasks).toHaveLength(7);
    expect(instance.taskManagers.map((tm) => tm.speedFactor)).toEqual([1, 1, 2]);
    const current = { assignments: instance.tasks.map((t) => ({ task: t.id, taskManager: t.currentTaskManager! })) };
    // tm1: 40 + 20 + 60 = 120; tm2: 10 + 30 = 40; tm3: (10 + 30) / 2 = 20
    const evaluation = evaluateLoadBalancing(instance, current);
    expect(evaluation.utilizationMs).toEqual([120, 40, 20]);
    expect(evaluation.migrations).toBe(0);
  });

  it('load balancing with `taskManagers: 4` gets 4 identical TaskManagers without a slot limit', () => {
    const instance = loadInstance(example('load-balancing.json'), { taskManagers: 4 });
    if (instance.kind !== 'load-balancing') throw new Error(instance.kind);
    expect(instance.taskManagers.map((tm) => [tm.id, tm.slotCount, tm.speedFactor])).toEqual([
      ['tm1', Infinity, 1],
      ['tm2', Infinity, 1],
      ['tm3', Infinity, 1],
      ['tm4', Infinity, 1],
    ]);
  });
});

describe('bad slotlab JSON is refused with the file and the field', () => {
  it('a cyclic job graph names the cycle', () => {
    const error = errorOf(() => loadInstance(example('bad/cyclic-job.json')));
    expect(error).toBeInstanceOf(CyclicGraphError);
    expect((error as CyclicGraphError).cycle).toEqual(['A', 'B', 'C']);
    expect(error.message).toContain('bad/cyclic-job.json');
    expect(error.message).toContain('A -> B -> C -> A');
  });

  it('a negative cost names the JSON path and the value', () => {
    const error = errorOf(() => loadInstance(example('bad/negative-cost.json')));
    expect(error).toBeInstanceOf(InstanceFormatError);
    expect(error.message).toContain('bad/negative-cost.json');
    expect((error as InstanceFormatError).field).toBe('$.job.operators[1].workMs');
    expect(error.message).toMatch(/>= 0, got -5/);
  });

  it('a forward edge between unequal parallelisms names the edge and both parallelisms', () => {
    const error = errorOf(() => loadInstance(example('bad/forward-unequal-parallelism.json')));
    expect(error).toBeInstanceOf(InvalidInstanceError);
    expect(error.message).toContain('bad/forward-unequal-parallelism.json');
    expect(error.message).toContain('job.edges[0].partitioning');
    expect(error.message).toContain('A has 2 and B has 3');
  });

  it('more subtasks than slots under exclusive is refused, and accepted when the check is off', () => {
    const error = errorOf(() => loadInstance(example('bad/exclusive-too-few-slots.json')));
    expect(error).toBeInstanceOf(InvalidInstanceError);
    expect(error.message).toContain('bad/exclusive-too-few-slots.json');
    expect(error.message).toContain('7 subtasks but the cluster has 6 slots');
    expect(loadInstance(example('bad/exclusive-too-few-slots.json'), { checkFeasibility: false }).kind).toBe('dag-placement');
    expect(loadInstance(example('bad/exclusive-too-few-slots.json'), { variant: 'shared' }).kind).toBe('dag-placement');
  });

  it('a missing field says it is missing', () => {
    const error = errorOf(() => loadInstance(example('bad/missing-field.json')));
    expect(error).toBeInstanceOf(InstanceFormatError);
    expect(error.message).toBe(`${example('bad/missing-field.json')}: $.job.operators[2].parallelism should be an integer >= 1, but the field is missing`);
  });

  it('an unknown field, a wrong format, broken JSON and a missing file are refused', () => {
    const doc = JSON.parse(readFileSync(example('design-example.json'), 'utf8')) as { job: { operators: Array<Record<string, unknown>> } };
    doc.job.operators[1]!['paralelism'] = 3;
    const unknown = errorOf(() => parseSlotlabDocument(doc, 'x.json'));
    expect(unknown.message).toMatch(/^x\.json: \$\.job\.operators\[1\]\.paralelism should be absent: .*\(its fields are id, name, parallelism, .*got 3$/);
    expect(errorOf(() => parseSlotlabDocument({ format: 'slotlab/nope@1' }, 'y.json')).message).toContain('y.json: $.format should be one of "slotlab/dag-placement@1"');
    expect(errorOf(() => parseSlotlabDocument({ ...doc, variant: 'batch' }, 'z.json')).message).toBe(
      'z.json: $.variant should be one of "exclusive", "shared", "sequenced", got "batch"',
    );
    expect(errorOf(() => loadInstance(example('no-such-file.json'))).message).toContain('no such file');
    expect(errorOf(() => parseJsonText('{\n  "format": "slotlab/load-balancing@1",\n  "name": x\n}', 'b.json')).message).toMatch(/^b\.json: line 3 column 11 should be valid JSON: a JSON value .*, got "x"$/);
  });
});

describe('large jobs: the operator and edge lists checked without a schema pass per element', () => {
  /** A chain of n operators with the fields large generated jobs have, and one hash edge per pair. */
  function largeDocument(n: number): { job: { operators: Array<Record<string, unknown>>; edges: Array<Record<string, unknown>> } } & Record<string, unknown> {
    const operators = Array.from({ length: n }, (_, i) => ({ id: `v${i}`, parallelism: 1 + (i % 3), workMs: i % 97, ...(i % 5 === 0 ? { memoryBytes: 1024, name: `op ${i}`, kind: 'map', slotSharingGroup: 'g' } : {}) }));
    const edges = Array.from({ length: n - 1 }, (_, i) => ({ from: `v${i}`, to: `v${i + 1}`, partitioning: i % 2 === 0 ? 'hash' : 'rebalance', ...(i % 4 === 0 ? { bytes: i * 10 } : {}) }));
    return { format: 'slotlab/dag-placement@1', name: 'large', variant: 'sequenced', job: { operators, edges }, cluster: { taskManagers: [{ id: 'tm1', slotCount: 2 }] } };
  }
  const schemaOnly = (data: unknown, file: string) => parseWithSchema(dagPlacementSchema, data, file);

  it('gives the same document as the schema on a job of 10,001 operators and edges', () => {
    const doc = largeDocument(5_001);
    expect(parseDagPlacementDocument(doc, 'large.json')).toEqual(schemaOnly(doc, 'large.json'));
    expect(parseSlotlabDocument(doc, 'large.json').kind).toBe('dag-placement');
  });

  it('gives the same first error as the schema, wherever the bad field sits (elements, header, cluster)', () => {
    const bad: Array<[string, (d: ReturnType<typeof largeDocument>) => void]> = [
      ['parallelism 0 late in the list', (d) => void (d.job.operators[4_900]!['parallelism'] = 0)],
      ['a misspelt field', (d) => void (d.job.operators[11]!['paralelism'] = 3)],
      ['a __proto__ field', (d) => void (d.job.operators[12] = JSON.parse('{"id":"v12","parallelism":1,"__proto__":{"x":1}}') as Record<string, unknown>)],
      ['an operator that is a list', (d) => void ((d.job.operators as unknown[])[14] = [1])],
      ['an unknown partitioning', (d) => void (d.job.edges[4_990]!['partitioning'] = 'shuffle')],
      ['an edge without its target', (d) => void delete d.job.edges[8]!['to']],
      ['a bad variant beside a bad operator', (d) => {
        d['variant'] = 'batch';
        d.job.operators[2]!['parallelism'] = 0;
      }],
      ['a bad cluster', (d) => void (d['cluster'] = { taskManagers: [{ id: 'tm1', slotCount: 0 }] })],
    ];
    for (const [what, spoil] of bad) {
      const doc = largeDocument(5_001);
      spoil(doc);
      const expected = errorOf(() => schemaOnly(doc, 'bad.json'));
      expect(expected, what).toBeInstanceOf(InstanceFormatError);
      expect(errorOf(() => parseDagPlacementDocument(doc, 'bad.json')).message, what).toBe(expected.message);
    }
  });
});
