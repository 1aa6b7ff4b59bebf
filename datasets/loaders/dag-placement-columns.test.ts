import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packagePath } from '../../models/package-files.ts';
import { dagPlacementFromColumns, loadInstanceFile, loadInstanceText } from './index.ts';
import { readDagPlacementColumns } from './dag-placement-columns.ts';
import { readFileBytes, readTextFile } from './files.ts';
import type { DagPlacementInstance } from '../../models/dag-placement/instance.ts';
import { validateDagPlacement } from '../../models/dag-placement/validator.ts';
import { heft } from '../../solver/heuristics/heft.ts';
import { seededRng } from '../../models/rng.ts';
import type { Schedule } from '../../models/solution.ts';

/**
 * The byte-level reader (dag-placement-columns.ts) against the full path (decode, JSON.parse, schema, compileJobSpec):
 * on valid documents both give the same instance, array for array; on spoilt ones the reader declines (undefined) and
 * `loadInstanceFile` gives exactly the full path's message.
 */
const work = mkdtempSync(join(tmpdir(), 'slotlab-columns-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The full path (decode, JSON.parse, schema, compileJobSpec): what loadInstanceFile does with a file the reader declines. */
function fullPath(file: string): DagPlacementInstance {
  const { instance } = loadInstanceText(file, readTextFile(file), { checkFeasibility: false });
  if (instance.kind !== 'dag-placement') throw new Error(`${file}: not a DAG placement document`);
  return instance;
}

/** The reader's path, or undefined when it declines the document. */
function columnsPath(file: string): DagPlacementInstance | undefined {
  const columns = readDagPlacementColumns(readFileBytes(file));
  return columns === undefined ? undefined : dagPlacementFromColumns(columns, file, { checkFeasibility: false });
}

function arraysOf(instance: DagPlacementInstance) {
  const K = instance.taskManagers.length;
  return {
    name: instance.name,
    variant: instance.variant,
    job: { ...instance.job },
    taskManagers: instance.taskManagers,
    slots: instance.slots,
    operators: instance.operators,
    subtasks: instance.subtasks,
    edgeArrays: instance.edgeArrays,
    durationsMs: instance.subtasks.map((s) => Array.from({ length: K }, (_, k) => instance.durationMs(s.index, k))),
    transfersMs: Array.from(instance.edgeArrays.bytes, (_, e) => instance.transferMs(e, 0, K - 1)),
  };
}

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

function write(name: string, text: string | Buffer): string {
  const file = join(work, name);
  writeFileSync(file, text);
  return file;
}

/** A job with every plain field somewhere, fan-in and fan-out, all five partitionings. */
function documentOf(n: number): Record<string, unknown> {
  const operators = Array.from({ length: n }, (_, i) => ({
    id: `v${i}`,
    parallelism: i % 7 === 3 ? 2 : 1 + (i % 3 === 1 ? 2 : 0),
    workMs: (i * 37) % 101,
    ...(i % 5 === 0 ? { memoryBytes: 1024 * i, name: `op ${i}`, kind: 'map', slotSharingGroup: i % 10 === 0 ? 'g' : 'default' } : {}),
  }));
  const edges: Record<string, unknown>[] = [];
  const partitionings = ['hash', 'rebalance', 'broadcast', 'rescale'];
  for (let i = 1; i < n; i++) {
    edges.push({ from: `v${i - 1}`, to: `v${i}`, partitioning: partitionings[i % 4], ...(i % 3 === 0 ? { bytes: i * 1000 } : {}) });
    if (i >= 5 && i % 2 === 0) edges.push({ from: `v${i - 5}`, to: `v${i}`, partitioning: operators[i - 5]!.parallelism === operators[i]!.parallelism ? 'forward' : 'hash', bytes: 7 });
  }
  return {
    format: 'slotlab/dag-placement@1',
    name: `generated-${n}`,
    description: 'reader test × (non-ASCII outside the lists is read by JSON.parse)',
    variant: 'sequenced',
    job: { operators, edges },
    cluster: { taskManagers: [{ id: 'tm1', slotCount: 2, speedFactor: 1.5 }, { id: 'tm2', slotCount: 1, speedFactor: 0.75 }], defaultLink: { bandwidthBytesPerMs: 1000, latencyMs: 0.5 } },
  };
}

/** JSON text with each number written by `number(value, path)` and each object's keys in `order(keys)`. */
function serialize(value: unknown, number: (x: number, key: string) => string, order: (keys: string[]) => string[], space = '', path = ''): string {
  if (typeof value === 'number') return number(value, path);
  if (Array.isArray(value)) return `[${space}${value.map((v) => serialize(v, number, order, space, path)).join(`,${space}`)}${space}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = order(Object.keys(value)).map((k) => `${JSON.stringify(k)}${space}:${space}${serialize((value as Record<string, unknown>)[k], number, order, space, k)}`);
    return `{${space}${entries.join(`,${space}`)}${space}}`;
  }
  return JSON.stringify(value);
}

/** The document text with operator ids v0 .. v{n-1} renamed by `id`. */
function renamed(text: string, n: number, id: (i: number) => string): string {
  return text.replace(/"v(\d+)"/g, (match, i: string) => (Number(i) < n ? JSON.stringify(id(Number(i))) : match));
}

const plainNumber = (x: number) => JSON.stringify(x);
const sameOrder = (keys: string[]) => keys;

describe('the byte-level reader of slotlab/dag-placement@1 gives the instance of the full path', () => {
  it('on every bundled slotlab DAG placement file (the reader takes the valid ones, declines the bad examples)', () => {
    const jsonFiles = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? jsonFiles(join(dir, d.name)) : d.name.endsWith('.json') ? [join(dir, d.name)] : []));
    let valid = 0;
    let read = 0;
    let bad = 0;
    for (const file of [...jsonFiles(packagePath('datasets')), ...jsonFiles(packagePath('test', 'bad-input'))]) {
      if (!readFileSync(file, 'latin1').includes('"slotlab/dag-placement@1"')) continue;
      let expected: DagPlacementInstance | Error;
      try {
        expected = fullPath(file);
      } catch (error) {
        expected = error as Error;
      }
      if (expected instanceof Error) {
        expect(columnsPath(file), file).toBeUndefined();
        expect(errorOf(() => loadInstanceFile(file, { checkFeasibility: false })).message, file).toBe(expected.message);
        bad++;
      } else {
        // a valid file with fields the reader does not read (per-TaskManager durations, ...) is declined
        const fast = columnsPath(file);
        expect(arraysOf(fast ?? (loadInstanceFile(file, { checkFeasibility: false }).instance as DagPlacementInstance)), file).toEqual(arraysOf(expected));
        if (fast !== undefined) read++;
        valid++;
      }
    }
    expect(read).toBeGreaterThanOrEqual(3);
    expect(valid - read).toBeGreaterThanOrEqual(1);
    expect(bad).toBeGreaterThanOrEqual(10);
  });

  it('on generated documents in unusual but valid forms: whitespace, key order, number forms, a byte-order mark', () => {
    const doc = documentOf(400);
    const numberForms = (x: number, key: string): string => {
      if (!['parallelism', 'workMs', 'memoryBytes', 'bytes'].includes(key)) return String(x); // the cluster's numbers: JSON.parse reads them
      const forms =
        key === 'parallelism'
          ? [String(x), `${x}.0`, `${x}e0`, `${x * 10}E-1`, `${x}.000000000000000000000`]
          : [String(x), `${x}.0`, `${x / 100}e2`, `${x * 1000}E-3`, `${x}e+0`, `0.${'0'.repeat(20)}1e21`, '123456789012345.678', '900719925474.0993', '0.1', '3.14159265358979323846264', '1e-7', '-0', '0e5', '9.99999999999999999e14', '0.000000000000000000000000000123e27'];
      return forms[(x * 7 + key.length) % forms.length]!;
    };
    const reversed = (keys: string[]) => [...keys].reverse();
    const variants: Array<[string, string | Buffer]> = [
      ['compact', JSON.stringify(doc)],
      ['pretty, CRLF and tabs', JSON.stringify(doc, null, '\t').replace(/\n/g, '\r\n')],
      ['spaces around every token', serialize(doc, plainNumber, sameOrder, ' ')],
      ['keys reversed (edges before operators, cluster first)', serialize(doc, plainNumber, reversed)],
      ['number forms', serialize(doc, numberForms, sameOrder)],
      ['number forms, keys reversed, whitespace', serialize(doc, numberForms, reversed, '\n ')],
      ['a byte-order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(doc))])],
      ['ids of every kind: numeric ("17"), leading zeros, no number, numbers not their position', renamed(JSON.stringify(doc), 400, (i) => `${['', 'op', 'v0', 'x-', 'y'][i % 5]}${(i * 7) % 400}${i % 5 === 4 ? '-z' : ''}`)],
      ['ids numbered from 1', renamed(JSON.stringify(doc), 400, (i) => `op${i + 1}`)],
      ['empty lists', JSON.stringify({ ...doc, job: { operators: [{ id: 'a', parallelism: 1 }], edges: [] } })],
    ];
    for (const [what, text] of variants) {
      const file = write(`valid-${variants.findIndex((v) => v[0] === what)}.json`, text);
      const fast = columnsPath(file);
      expect(fast, what).toBeDefined();
      expect(arraysOf(fast!), what).toEqual(arraysOf(fullPath(file)));
    }
  });

  it('declines what it does not read plainly (escapes, non-ASCII ids), and loadInstanceFile still gives the full path\'s instance', () => {
    const doc = documentOf(40);
    const text = JSON.stringify(doc);
    const cases: Array<[string, string]> = [
      ['an escape in an id', text.replace(/"v7"/g, '"v\\u0037"')],
      ['an escaped quote in a name', text.replace('"op 5"', '"op \\"5\\""')],
      ['a non-ASCII id', text.replace(/"v8"/g, '"v8é"')],
      ['a repeated operator field (JSON.parse keeps the last)', text.replace('{"id":"v1","parallelism":3,', '{"id":"v1","parallelism":3,"parallelism":1,')],
      ['a repeated document field', text.replace('"variant":"sequenced"', '"variant":"sequenced","variant":"shared"')],
      ['per-subtask work', text.replace('{"id":"v2","parallelism":1,', '{"id":"v2","parallelism":1,"subtaskWorkMs":[4],')],
    ];
    for (const [what, spoilt] of cases) {
      expect(spoilt, what).not.toBe(text);
      const file = write(`declined-${cases.findIndex((c) => c[0] === what)}.json`, spoilt);
      expect(readDagPlacementColumns(readFileBytes(file)), what).toBeUndefined();
      expect(arraysOf(loadInstanceFile(file, { checkFeasibility: false }).instance as DagPlacementInstance), what).toEqual(arraysOf(fullPath(file)));
    }
  });

  it('HEFT gives the same schedule on both, and it passes the validator', async () => {
    const file = write('heft.json', JSON.stringify(documentOf(300)));
    const results = [];
    for (const instance of [columnsPath(file)!, fullPath(file)]) {
      const result = await heft.solve(instance, { rng: seededRng(1) });
      expect(validateDagPlacement(instance, result.solution as Schedule)).toEqual([]);
      results.push(result);
    }
    expect(results[0]!.objective).toBe(results[1]!.objective);
    expect(results[0]!.solution).toEqual(results[1]!.solution);
  });
});

describe('on a spoilt document the reader declines and the message is the full path\'s', () => {
  const text = JSON.stringify(documentOf(60));
  const replace = (from: string | RegExp, to: string) => (t: string) => {
    const out = t.replace(from, to);
    if (out === t) throw new Error(`the spoil ${String(from)} changed nothing`);
    return out;
  };
  const spoils: Array<[string, (t: string) => string]> = [
    ['an unknown operator field', replace('{"id":"v1",', '{"id":"v1","paralelism":2,')],
    ['an unknown edge field', replace('"partitioning":"hash"', '"partitioning":"hash","weight":1')],
    ['an unknown document field', replace('"variant":', '"extra":1,"variant":')],
    ['an unknown job field', replace('"edges":', '"notes":[],"edges":')],
    ['parallelism 0', replace('{"id":"v1","parallelism":3', '{"id":"v1","parallelism":0')],
    ['parallelism 1.5', replace('{"id":"v1","parallelism":3', '{"id":"v1","parallelism":1.5')],
    ['parallelism as a string', replace('{"id":"v1","parallelism":3', '{"id":"v1","parallelism":"3"')],
    ['parallelism over the subtask limit', replace('{"id":"v1","parallelism":3', '{"id":"v1","parallelism":2000001')],
    ['work null', replace('"workMs":37', '"workMs":null')],
    ['negative work', replace('"workMs":37', '"workMs":-37')],
    ['work over the quantity limit', replace('"workMs":37', '"workMs":1e16')],
    ['work 1e400 (Infinity)', replace('"workMs":37', '"workMs":1e400')],
    ['a leading zero', replace('"workMs":37', '"workMs":037')],
    ['a bare decimal point', replace('"workMs":37', '"workMs":37.')],
    ['a plus sign', replace('"workMs":37', '"workMs":+37')],
    ['negative bytes', replace('"bytes":3000', '"bytes":-3000')],
    ['an empty id', replace('"id":"v0"', '"id":""')],
    ['a duplicate id', replace('"id":"v2"', '"id":"v1"')],
    ['an id used again later by the operator its number names', replace('"id":"v5"', '"id":"v9"')],
    ['an id used again, ids not numbered by position', (t) => renamed(t, 60, (i) => `n${(i * 7) % 60}`).replace('"id":"n14"', '"id":"n0"')],
    ['an unknown endpoint', replace('"from":"v3"', '"from":"v300"')],
    ['a self edge', replace('"from":"v3","to":"v4"', '"from":"v4","to":"v4"')],
    ['a duplicate edge', replace('{"from":"v3","to":"v4"', '{"from":"v2","to":"v3","partitioning":"hash"},{"from":"v3","to":"v4"')],
    ['a forward edge between different parallelisms', replace('"from":"v3","to":"v4","partitioning":"hash"', '"from":"v3","to":"v4","partitioning":"forward"')],
    ['an unknown partitioning', replace('"partitioning":"rebalance"', '"partitioning":"shuffle"')],
    ['a missing edge target', replace(',"to":"v4"', '')],
    ['a cycle', replace('{"from":"v3","to":"v4"', '{"from":"v9","to":"v2","partitioning":"hash"},{"from":"v3","to":"v4"')],
    ['a control character in an id', replace('"id":"v2"', '"id":"v\u00012"')],
    ['a trailing comma', replace('}],"edges"', '},],"edges"')],
    ['garbage after the document', (t) => `${t} x`],
    ['a truncated file', (t) => t.slice(0, Math.floor(t.length / 2))],
    ['an empty file', () => ''],
    ['nesting 70 deep in the description', replace('"description":"', `"description":${'['.repeat(70)}1${']'.repeat(70)},"x":"`)],
    ['a bad variant', replace('"variant":"sequenced"', '"variant":"batch"')],
    ['a bad cluster', replace('"slotCount":2', '"slotCount":0')],
    ['another format', replace('slotlab/dag-placement@1', 'slotlab/load-balancing@1')],
    ['a document that is a list', (t) => `[${t}]`],
    ['a job that is a list', (t) => replace('},"cluster"', '}],"cluster"')(replace('"job":{', '"job":[{')(t))],
  ];
  it.each(spoils)('%s', (what, spoil) => {
    const file = write(`spoilt-${spoils.findIndex((s) => s[0] === what)}.json`, spoil(text));
    expect(columnsPath(file)).toBeUndefined();
    const expected = errorOf(() => fullPath(file));
    expect(errorOf(() => loadInstanceFile(file, { checkFeasibility: false })).message).toBe(expected.message);
  });
});
