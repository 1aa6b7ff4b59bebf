/**
 * Writes the bad-input corpus: test/bad-input/files/* and test/bad-input/cases.json. Run it with
 * `npx tsx test/bad-input/make-corpus.ts` after changing it; test/bad-input.test.ts runs every case and checks
 * that the file on disk is what this script writes (so the corpus and its generator cannot drift apart).
 *
 * Each case is one file that slotlab must refuse, the command that reads it (`{file}` stands for its path) and the
 * field the one-line error must name. Most cases mutate one field of a valid document (the three examples and a
 * cluster): a wrong type, a number out of range or beyond a 64-bit float, an empty id, a missing required field, an
 * unknown field. The rest are whole-file problems (syntax, nesting, encoding, special content) and rules across
 * fields (duplicates, dangling references, cycles, size limits).
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BadInputCase {
  /** File name under test/bad-input/files/. */
  readonly file: string;
  /** slotlab arguments; `{file}` is replaced by the file's path. */
  readonly args: readonly string[];
  /** Text the error line must contain: the field (JSON path without `$.`, or `line N`, or `the path`). */
  readonly field: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const here = dirname(fileURLToPath(import.meta.url));
export const CORPUS_DIR = join(here, 'files');
export const MANIFEST = join(here, 'cases.json');

const slotAllocation: Json = {
  format: 'slotlab/slot-allocation@1',
  name: 'sa',
  taskManagers: [
    { id: 'tm1', slotCount: 4 },
    { id: 'tm2', slotCount: 2, cpuCores: 4, memoryBytes: 1000 },
  ],
  jobs: [
    { id: 'etl', slotDemand: 3 },
    { id: 'reporting', minSlots: 1, maxSlots: 2, maxSlotsPerTaskManager: 1, slotProfile: { cpuCores: 1, memoryBytes: 100 } },
  ],
};
const loadBalancing: Json = {
  format: 'slotlab/load-balancing@1',
  name: 'lb',
  objective: 'max-utilization',
  taskManagers: [
    { id: 'tm1', slotCount: 2 },
    { id: 'tm2', slotCount: 2, speedFactor: 2, memoryBytes: 1000 },
  ],
  tasks: [
    { id: 'map#0', operator: 'map', load: 40, memoryBytes: 10, currentTaskManager: 'tm1' },
    { id: 'map#1', operator: 'map', load: 10 },
  ],
  migrationCostMs: 5,
};
const dagPlacement: Json = {
  format: 'slotlab/dag-placement@1',
  name: 'dp',
  variant: 'exclusive',
  job: {
    operators: [
      { id: 'A', parallelism: 2, workMs: 10, memoryBytes: 5 },
      { id: 'B', parallelism: 2, subtaskWorkMs: [20, 30], durationMsByTaskManager: { tm1: 5 } },
      { id: 'C', parallelism: 2, workMs: 5, slotSharingGroup: 'g' },
    ],
    edges: [
      { from: 'A', to: 'B', partitioning: 'hash', bytes: 400 },
      { from: 'B', to: 'C', partitioning: 'forward', bytes: 200 },
    ],
  },
  cluster: {
    taskManagers: [
      { id: 'tm1', slotCount: 3, cpuCores: 3, memoryBytes: 1000, speedFactor: 1 },
      { id: 'tm2', slotCount: 3 },
    ],
    defaultLink: { bandwidthBytesPerMs: 50, latencyMs: 1 },
  },
};
const clusterDocument: Json = {
  format: 'slotlab/cluster@1',
  taskManagers: [
    { id: 'tm1', slotCount: 2, rack: 'r1' },
    { id: 'tm2', slotCount: 2, speedFactor: 2, rack: 'r2' },
  ],
  defaultLink: { bandwidthBytesPerMs: 100, latencyMs: 1 },
  interRackLink: { bandwidthBytesPerMs: 10, latencyMs: 2 },
  links: [{ a: 'tm1', b: 'tm2', bandwidthBytesPerMs: 20 }],
};

const HEFT_PAPER = 'datasets/data/heft-fixtures/topcuoglu2002_fig2.json';
const BASES = [
  { prefix: 'sa', doc: slotAllocation, args: ['solve', '{file}', '--solver', 'first-fit'] },
  { prefix: 'lb', doc: loadBalancing, args: ['solve', '{file}', '--solver', 'lpt'] },
  { prefix: 'dp', doc: dagPlacement, args: ['solve', '{file}', '--solver', 'heft'] },
  { prefix: 'cl', doc: clusterDocument, args: ['solve', HEFT_PAPER, '--solver', 'heft', '--cluster', '{file}'] },
] as const;

/** Integer fields (a fraction is wrong), and fields that must be > 0 (0 is wrong). */
const INTEGER_FIELDS = new Set(['slotCount', 'parallelism', 'slotDemand', 'minSlots', 'maxSlots', 'maxSlotsPerTaskManager']);
const POSITIVE_FIELDS = new Set(['speedFactor', 'bandwidthBytesPerMs', 'maxSlotsPerTaskManager', 'parallelism']);
/** Strings that may not be empty, and enumerations. */
const ID_FIELDS = new Set(['id', 'name', 'from', 'to', 'a', 'b', 'rack', 'slotSharingGroup', 'currentTaskManager']);
const ENUM_FIELDS = new Set(['variant', 'objective', 'partitioning']);
/** Fields whose absence is an error, per object kind (the key set that identifies it). */
const REQUIRED = new Set(['format', 'name', 'taskManagers', 'jobs', 'tasks', 'job', 'cluster', 'operators', 'edges', 'variant', 'id', 'slotCount', 'parallelism', 'from', 'to', 'partitioning', 'load', 'a', 'b']);
const OPTIONAL_IN = (path: readonly (string | number)[], key: string) =>
  // slotCount is optional for load balancing TaskManagers; the slot-allocation job needs one of its demand fields
  (key === 'slotCount' && path[0] === 'taskManagers' && BASES_KIND.current === 'lb') || (key === 'name' && BASES_KIND.current === 'cl');
const BASES_KIND = { current: '' };

function fieldName(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `["${p}"]`)).join('');
}

function clone<T extends Json>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

function setAt(doc: Json, path: readonly (string | number)[], value: Json | undefined): Json {
  const out = clone(doc);
  let cur = out as Record<string | number, Json>;
  for (const p of path.slice(0, -1)) cur = cur[p] as Record<string | number, Json>;
  const last = path.at(-1)!;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
  return out;
}

/** Every (path, value) of a document, depth first. */
function leaves(doc: Json, path: (string | number)[] = []): Array<{ path: (string | number)[]; value: Json }> {
  const out: Array<{ path: (string | number)[]; value: Json }> = [];
  if (doc !== null && typeof doc === 'object') {
    out.push({ path, value: doc });
    for (const [k, v] of Array.isArray(doc) ? doc.map((v, i) => [i, v] as const) : Object.entries(doc)) out.push(...leaves(v, [...path, k]));
  } else out.push({ path, value: doc });
  return out;
}

const RAW = '"__raw__"';
const files = new Map<string, string>();
const cases: BadInputCase[] = [];

function add(file: string, content: string, args: readonly string[], field: string): void {
  if (files.has(file)) throw new Error(`duplicate corpus file ${file}`);
  files.set(file, content);
  cases.push({ file, args, field });
}

/** A document with one value replaced by raw JSON text (a number literal JSON.stringify cannot write). */
function withRaw(doc: Json, path: readonly (string | number)[], raw: string): string {
  return JSON.stringify(setAt(doc, path, '__raw__'), null, 1).replace(RAW, raw);
}

for (const base of BASES) {
  BASES_KIND.current = base.prefix;
  for (const { path, value } of leaves(base.doc)) {
    if (path.length === 0) continue;
    const key = String(path.filter((p) => typeof p === 'string').at(-1));
    const last = path.at(-1)!;
    const name = path.join('.').replace(/[^\w.#-]/g, '_');
    const field = fieldName(path);
    const addCase = (tag: string, content: string) => add(`${base.prefix}.${name}.${tag}.json`, content, base.args, field);
    if (typeof value === 'number') {
      addCase('negative', JSON.stringify(setAt(base.doc, path, -1)));
      addCase('string', JSON.stringify(setAt(base.doc, path, String(value))));
      addCase('null', JSON.stringify(setAt(base.doc, path, null)));
      addCase('boolean', JSON.stringify(setAt(base.doc, path, true)));
      addCase('list', JSON.stringify(setAt(base.doc, path, [value])));
      addCase('overflow-1e309', withRaw(base.doc, path, '1e309'));
      addCase('huge-1e308', withRaw(base.doc, path, '1e308'));
      if (INTEGER_FIELDS.has(String(last))) {
        addCase('fraction', JSON.stringify(setAt(base.doc, path, 1.5)));
        addCase('billion', JSON.stringify(setAt(base.doc, path, 1e9)));
      }
      if (POSITIVE_FIELDS.has(String(last)) || (last === 'slotCount' && (base.prefix === 'dp' || base.prefix === 'cl'))) addCase('zero', JSON.stringify(setAt(base.doc, path, 0)));
    } else if (typeof value === 'string') {
      if (ID_FIELDS.has(String(last)) || last === 'format') {
        addCase('empty', JSON.stringify(setAt(base.doc, path, '')));
        addCase('number', JSON.stringify(setAt(base.doc, path, 7)));
      }
      if (ENUM_FIELDS.has(String(last))) addCase('unknown-value', JSON.stringify(setAt(base.doc, path, 'shuffle')));
      if (last === 'format') addCase('other-version', JSON.stringify(setAt(base.doc, path, value.replace('@1', '@2'))));
    } else if (value !== null && typeof value === 'object') {
      if (!Array.isArray(value)) {
        addCase('unknown-field', JSON.stringify(setAt(base.doc, [...path, 'colour'], 'blue')));
        addCase('as-string', JSON.stringify(setAt(base.doc, path, 'x')));
      } else addCase('as-object', JSON.stringify(setAt(base.doc, path, {})));
    }
    if (typeof last === 'string' && REQUIRED.has(last) && !OPTIONAL_IN(path, key)) addCase('missing', JSON.stringify(setAt(base.doc, path, undefined)));
  }
  add(`${base.prefix}.root.unknown-field.json`, JSON.stringify({ ...(base.doc as Record<string, Json>), colour: 'blue' }), base.args, 'colour');
}

// ---- whole-file problems ----------------------------------------------------------------------------------
const sa = ['solve', '{file}', '--solver', 'first-fit'];
const dp = ['solve', '{file}', '--solver', 'heft'];
const lb = ['solve', '{file}', '--solver', 'lpt'];
const saText = JSON.stringify(slotAllocation, null, 2);
add('file.empty.json', '', sa, 'line 1 column 1');
add('file.blank.json', '  \n\n', sa, 'line 3');
add('file.truncated.json', saText.slice(0, 120), sa, 'line');
add('file.trailing-garbage.json', `${saText}\n}`, sa, 'line');
add('file.trailing-comma.json', saText.replace('"name": "sa",', '"name": "sa",,'), sa, 'line 3');
add('file.single-quotes.json', saText.replace('"name": "sa"', "'name': 'sa'"), sa, 'line 3');
add('file.comment.json', saText.replace('{', '{ // a comment'), sa, 'line 1');
add('file.nan-literal.json', saText.replace('"slotCount": 4', '"slotCount": NaN'), sa, 'line');
add('file.infinity-literal.json', saText.replace('"slotCount": 4', '"slotCount": Infinity'), sa, 'line');
add('file.hex-number.json', saText.replace('"slotCount": 4', '"slotCount": 0x4'), sa, 'line');
add('file.leading-zero.json', saText.replace('"slotCount": 4', '"slotCount": 04'), sa, 'line');
add('file.bom-then-error.json', `\uFEFF${saText.replace('"slotCount": 4', '"slotCount": "4"')}`, sa, 'taskManagers[0].slotCount');
add('file.utf16le.json', Buffer.from(`\uFEFF${saText}`, 'utf16le').toString('latin1'), sa, 'line 1');
add('file.control-char-in-string.json', saText.replace('"name": "sa"', '"name": "s\u0001a"'), sa, 'line 3');
add('file.bad-escape.json', saText.replace('"name": "sa"', '"name": "s\\qa"'), sa, 'line 3');
add('file.deep-lists.json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, sa, 'line 1 column 65');
add('file.deep-objects.json', `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`, sa, 'line 1 column');
add('file.deep-inside-params.json', JSON.stringify(setAt(dagPlacement, ['job', 'operators', 0, 'params'], { p: '__raw__' })).replace(RAW, `${'['.repeat(200)}${']'.repeat(200)}`), dp, 'line 1 column');
add('file.top-level-list.json', '[]', sa, '$');
add('file.top-level-string.json', '"slotlab"', sa, '$');
add('file.top-level-number.json', '42', sa, '$');
add('file.top-level-null.json', 'null', sa, '$');
add('file.format-unknown.json', JSON.stringify({ ...(slotAllocation as Record<string, Json>), format: 'slotlab/unknown@1' }), sa, 'format');
add('file.cluster-as-instance.json', JSON.stringify(clusterDocument), dp, 'format');
add('file.instance-as-cluster.json', saText, ['solve', HEFT_PAPER, '--solver', 'heft', '--cluster', '{file}'], 'format');

// ---- rules across fields -----------------------------------------------------------------------------------
const put = (doc: Json, path: (string | number)[], value: Json | undefined) => JSON.stringify(setAt(doc, path, value));
add('sa.rule.duplicate-task-manager.json', put(slotAllocation, ['taskManagers', 1, 'id'], 'tm1'), sa, 'taskManagers[1].id');
add('sa.rule.duplicate-job.json', put(slotAllocation, ['jobs', 1, 'id'], 'etl'), sa, 'jobs[1].id');
add('sa.rule.slot-demand-and-min-slots.json', put(slotAllocation, ['jobs', 0, 'minSlots'], 1), sa, 'jobs[0].minSlots');
add('sa.rule.slot-demand-and-max-slots.json', put(slotAllocation, ['jobs', 0, 'maxSlots'], 3), sa, 'jobs[0].maxSlots');
add('sa.rule.no-demand.json', put(slotAllocation, ['jobs', 0, 'slotDemand'], undefined), sa, 'jobs[0]');
add('sa.rule.max-below-min.json', put(slotAllocation, ['jobs', 1, 'maxSlots'], 0), sa, 'jobs[1].maxSlots');
add(
  'sa.rule.total-slots-over-limit.json',
  put(slotAllocation, ['taskManagers'], Array.from({ length: 3 }, (_, i) => ({ id: `tm${i}`, slotCount: 40_000 }))),
  sa,
  'taskManagers[2].slotCount',
);
add('sa.rule.too-many-task-managers.json', put(slotAllocation, ['taskManagers'], Array.from({ length: 10_001 }, (_, i) => ({ id: `t${i}`, slotCount: 0 }))), sa, 'taskManagers');
add('lb.rule.duplicate-task.json', put(loadBalancing, ['tasks', 1, 'id'], 'map#0'), lb, 'tasks[1].id');
add('lb.rule.duplicate-task-manager.json', put(loadBalancing, ['taskManagers', 1, 'id'], 'tm1'), lb, 'taskManagers[1].id');
add('lb.rule.unknown-current-task-manager.json', put(loadBalancing, ['tasks', 0, 'currentTaskManager'], 'tm9'), lb, 'tasks[0].currentTaskManager');
add('lb.rule.no-task-managers.json', put(loadBalancing, ['taskManagers'], []), lb, 'taskManagers');
add('lb.rule.load-1e308.json', put(loadBalancing, ['tasks', 0, 'load'], 1e308), lb, 'tasks[0].load');
add('lb.rule.every-load-1e308.json', put(loadBalancing, ['tasks'], [{ id: 'a', load: 1e308 }, { id: 'b', load: 1e308 }]), lb, 'tasks[0].load');
add('dp.rule.duplicate-operator.json', put(dagPlacement, ['job', 'operators', 1, 'id'], 'A'), dp, 'job.operators[1].id');
add('dp.rule.edge-to-unknown-operator.json', put(dagPlacement, ['job', 'edges', 0, 'to'], 'Z'), dp, 'job.edges[0].to');
add('dp.rule.edge-from-unknown-operator.json', put(dagPlacement, ['job', 'edges', 0, 'from'], 'Z'), dp, 'job.edges[0].from');
add('dp.rule.self-edge.json', put(dagPlacement, ['job', 'edges', 0, 'to'], 'A'), dp, 'job.edges[0]');
add('dp.rule.duplicate-edge.json', put(dagPlacement, ['job', 'edges', 1], { from: 'A', to: 'B', partitioning: 'hash' }), dp, 'job.edges[1]');
add('dp.rule.cycle.json', put(dagPlacement, ['job', 'edges', 2], { from: 'C', to: 'A', partitioning: 'hash' }), dp, 'acyclic');
add('dp.rule.forward-unequal-parallelism.json', put(dagPlacement, ['job', 'operators', 2, 'parallelism'], 3), dp, 'job.edges[1].partitioning');
add('dp.rule.subtask-work-length.json', put(dagPlacement, ['job', 'operators', 1, 'subtaskWorkMs'], [1, 2, 3]), dp, 'job.operators[1].subtaskWorkMs');
add('dp.rule.duplicate-task-manager.json', put(dagPlacement, ['cluster', 'taskManagers', 1, 'id'], 'tm1'), dp, 'cluster.taskManagers[1].id');
add('dp.rule.no-task-managers.json', put(dagPlacement, ['cluster', 'taskManagers'], []), dp, 'cluster.taskManagers');
add(
  'dp.rule.subtasks-over-limit.json',
  put(dagPlacement, ['job'], { operators: [{ id: 'A', parallelism: 1_200_000 }, { id: 'B', parallelism: 1_200_000 }], edges: [] }),
  dp,
  'job.operators[1].parallelism',
);
add(
  'dp.rule.subtask-edges-over-limit.json',
  put(dagPlacement, ['job'], { operators: [{ id: 'A', parallelism: 3000 }, { id: 'B', parallelism: 3000 }], edges: [{ from: 'A', to: 'B', partitioning: 'hash' }] }),
  dp,
  'job.edges[0]',
);
add(
  'dp.rule.broadcast-edges-over-limit.json',
  put(dagPlacement, ['job'], { operators: [{ id: 'A', parallelism: 2500 }, { id: 'B', parallelism: 2500 }, { id: 'C', parallelism: 2500 }], edges: [{ from: 'A', to: 'B', partitioning: 'broadcast' }, { from: 'B', to: 'C', partitioning: 'rebalance' }] }),
  dp,
  'job.edges[0]',
);
add('dp.rule.slots-over-limit.json', put(dagPlacement, ['cluster', 'taskManagers'], [{ id: 'tm1', slotCount: 60_000 }, { id: 'tm2', slotCount: 60_000 }]), dp, 'cluster.taskManagers');
add('cl.rule.link-to-unknown-task-manager.json', put(clusterDocument, ['links', 0, 'b'], 'tm9'), ['solve', HEFT_PAPER, '--solver', 'heft', '--cluster', '{file}'], 'links[0].b');
add('cl.rule.link-to-itself.json', put(clusterDocument, ['links', 0, 'b'], 'tm1'), ['solve', HEFT_PAPER, '--solver', 'heft', '--cluster', '{file}'], 'links[0]');
add('cl.rule.duplicate-link.json', put(clusterDocument, ['links', 1], { a: 'tm2', b: 'tm1' }), ['solve', HEFT_PAPER, '--solver', 'heft', '--cluster', '{file}'], 'links[1]');

// ---- other formats -----------------------------------------------------------------------------------------
const stg = ['solve', '{file}', '--solver', 'heft', '--cluster', '2x1'];
const stgOk = ['2', '0 0 0', '1 4 1 0', '2 5 1 1', '3 0 1 2', ''].join('\n');
add('stg.truncated.stg', stgOk.split('\n').slice(0, 3).join('\n'), stg, 'line');
add('stg.negative-cost.stg', stgOk.replace('1 4 1 0', '1 -4 1 0'), stg, 'line 3');
add('stg.word-cost.stg', stgOk.replace('1 4 1 0', '1 four 1 0'), stg, 'line 3');
add('stg.overflow-cost.stg', stgOk.replace('1 4 1 0', `1 1${'0'.repeat(400)} 1 0`), stg, 'line 3');
add('stg.unknown-predecessor.stg', stgOk.replace('2 5 1 1', '2 5 1 9'), stg, 'line 4');
add('stg.task-count-billion.stg', stgOk.replace(/^2/, '1000000000'), stg, 'line 1');
const bpp = ['solve', '{file}', '--solver', 'lpt', '--task-managers', '2'];
add('bpp.truncated.txt', '4\n10\n3\n4\n', bpp, 'line');
add('bpp.negative-weight.txt', '3\n10\n3\n-4\n5\n', bpp, 'line 4');
add('bpp.word-weight.txt', '3\n10\n3\nfour\n5\n', bpp, 'line 4');
add('bpp.overflow-weight.txt', `3\n10\n3\n1${'0'.repeat(400)}\n5\n`, bpp, 'line 4');
add('bpp.count-billion.txt', '1000000000\n10\n3\n4\n5\n', bpp, 'line 1');
// Flink execution plans (datasets/loaders/flink-plan.ts): a small stream graph plan (getExecutionPlan()) and a REST job plan
const fp = ['solve', '{file}', '--solver', 'heft', '--cluster', '2x2'];
const streamPlan: Json = {
  nodes: [
    { id: 1, type: 'Source: in', pact: 'Data Source', contents: 'Source: in', parallelism: 2 },
    { id: 2, type: 'Map', pact: 'Operator', contents: 'Map', parallelism: 2, predecessors: [{ id: 1, ship_strategy: 'FORWARD', side: 'second' }] },
    { id: 3, type: 'Sink: out', pact: 'Data Sink', contents: 'Sink: out', parallelism: 1, predecessors: [{ id: 2, ship_strategy: 'REBALANCE', side: 'second' }] },
  ],
};
const restPlan: Json = {
  plan: {
    jid: 'j',
    name: 'job',
    nodes: [
      { id: 'b', parallelism: 2, operator: '', operator_strategy: '', description: 'Map -&gt; Sink', inputs: [{ num: 0, id: 'a', ship_strategy: 'HASH', exchange: 'pipelined_bounded' }], optimizer_properties: {} },
      { id: 'a', parallelism: 2, operator: '', operator_strategy: '', description: 'Source: in', optimizer_properties: {} },
    ],
  },
};
add('fp.unknown-ship-strategy.json', put(streamPlan, ['nodes', 2, 'predecessors', 0, 'ship_strategy'], 'ZIGZAG'), fp, 'nodes[2].predecessors[0].ship_strategy');
add('fp.missing-id.json', put(streamPlan, ['nodes', 1, 'id'], undefined), fp, 'nodes[1].id');
add('fp.empty-id.json', put(streamPlan, ['nodes', 1, 'id'], ''), fp, 'nodes[1].id');
add('fp.duplicate-id.json', put(streamPlan, ['nodes', 2, 'id'], 1), fp, 'nodes[2].id');
add('fp.unknown-predecessor.json', put(streamPlan, ['nodes', 1, 'predecessors', 0, 'id'], 9), fp, 'nodes[1].predecessors[0].id');
add('fp.cycle.json', put(streamPlan, ['nodes', 0, 'predecessors'], [{ id: 3, ship_strategy: 'HASH', side: 'second' }]), fp, 'acyclic');
add('fp.self-loop.json', put(streamPlan, ['nodes', 1, 'predecessors', 0, 'id'], 2), fp, 'acyclic');
add('fp.parallelism-zero.json', put(streamPlan, ['nodes', 0, 'parallelism'], 0), fp, 'nodes[0].parallelism');
add('fp.forward-unequal-parallelism.json', put(streamPlan, ['nodes', 1, 'parallelism'], 3), fp, 'nodes[1].predecessors[0].ship_strategy');
add('fp.ship-strategy-number.json', put(streamPlan, ['nodes', 1, 'predecessors', 0, 'ship_strategy'], 7), fp, 'nodes[1].predecessors[0].ship_strategy');
add('fp.rest.unknown-ship-strategy.json', put(restPlan, ['plan', 'nodes', 0, 'inputs', 0, 'ship_strategy'], 'SPRAY'), fp, 'plan.nodes[0].inputs[0].ship_strategy');
add('fp.rest.missing-id.json', put(restPlan, ['plan', 'nodes', 1, 'id'], undefined), fp, 'plan.nodes[1].id');
add('fp.rest.unknown-input.json', put(restPlan, ['plan', 'nodes', 0, 'inputs', 0, 'id'], 'zz'), fp, 'plan.nodes[0].inputs[0].id');
add('fp.rest.cycle.json', put(restPlan, ['plan', 'nodes', 1, 'inputs'], [{ num: 0, id: 'b', ship_strategy: 'HASH' }]), fp, 'acyclic');
add('fp.no-cluster.json', JSON.stringify(streamPlan), ['solve', '{file}', '--solver', 'heft'], 'cluster');
add('fp.costs-unknown-operator.json', JSON.stringify({ format: 'slotlab/flink-costs@1', operators: { nope: { busyTimeMsPerSecond: 1 } } }), ['solve', 'datasets/examples/flink-plans/flink-docs-explain-union-aggregate.json', '--solver', 'heft', '--cluster', '2x2', '--costs', '{file}'], 'operators["nope"]');

export function corpus(): { files: ReadonlyMap<string, string>; cases: readonly BadInputCase[] } {
  return { files, cases };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  rmSync(CORPUS_DIR, { recursive: true, force: true });
  mkdirSync(CORPUS_DIR, { recursive: true });
  for (const [file, content] of files) writeFileSync(join(CORPUS_DIR, file), content, file.includes('utf16') ? 'latin1' : 'utf8');
  writeFileSync(MANIFEST, `${JSON.stringify(cases, null, 1)}\n`);
  process.stdout.write(`${cases.length} cases in ${readdirSync(CORPUS_DIR).length} files\n`);
}
