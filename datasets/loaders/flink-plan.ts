import { z } from 'zod';
import { CyclicGraphError, InstanceFormatError, InvalidInstanceError } from '../../models/errors.ts';
import type { ClusterSpec } from '../../models/graphs/cluster.ts';
import type { JobEdgeSpec, JobGraphSpec, OperatorSpec, Partitioning } from '../../models/graphs/job-graph.ts';
import type { DagPlacementSpec, PlacementVariant } from '../../models/dag-placement/instance.ts';
import { parseJsonText, readTextFile } from './files.ts';
import { int, list, nonEmptyString, nonNegative, object, parseWithSchema, text } from './schema.ts';

/**
 * Flink's JSON execution plans, read as a slotlab job graph (docs/formats.md, "Flink execution plans").
 *
 * Two shapes, told apart by their nodes:
 * - the **stream graph** plan of `StreamExecutionEnvironment#getExecutionPlan()` (also `bin/flink info` and the
 *   "Physical Execution Plan" of a Table API `EXPLAIN`): `{"nodes": [{id, type, pact, contents, parallelism,
 *   predecessors: [{id, ship_strategy, side}]}]}`, one node per operator before chaining;
 * - the **job graph** plan of the REST API (`GET /jobs/:jobid/plan` answers `{"plan": {...}}`; the job details
 *   `GET /jobs/:jobid` and `EXPLAIN JSON_EXECUTION_PLAN` carry the same object): `{jid, name, type?, nodes: [{id,
 *   parallelism, operator, operator_strategy, description, inputs: [{num, id, ship_strategy, exchange}],
 *   optimizer_properties}]}`, one node per job vertex (a chain of operators, the unit Flink schedules).
 *
 * Each node becomes an operator (its id, its name, its parallelism); each predecessor or input an edge whose
 * partitioning is the ship strategy mapped by FLINK_SHIP_STRATEGIES. The plan carries no costs: they come from a
 * costs file (`slotlab/flink-costs@1`, `parseFlinkCosts`) or from defaults that `flinkPlanJob` states in its
 * warnings. Operators are `kind: "synthetic"` (the runtime replays their work) with the Flink role in
 * `params.role`. The plan carries no cluster either: the caller gives one (`--cluster`).
 */

/**
 * Flink's ship strategy names and slotlab's partitioning for each. The names are those Flink's stream
 * partitioners print (`StreamPartitioner#toString`: FORWARD, HASH, REBALANCE, RESCALE, BROADCAST, GLOBAL, SHUFFLE,
 * CUSTOM; the Table planner's batch exchanges add a key list, `HASH[c]`) and the DataSet-era `ShipStrategyType`
 * names (PARTITION_HASH, ...). See Flink's "Operators / Physical Partitioning" page
 * (https://nightlies.apache.org/flink/flink-docs-release-1.20/docs/dev/datastream/operators/overview/#physical-partitioning).
 */
export const FLINK_SHIP_STRATEGIES: Readonly<Record<string, { readonly partitioning: Partitioning; readonly note: string }>> = {
  FORWARD: { partitioning: 'forward', note: 'subtask k to subtask k (equal parallelism)' },
  HASH: { partitioning: 'hash', note: 'keyBy: key groups hashed over the consumers (all-to-all)' },
  REBALANCE: { partitioning: 'rebalance', note: 'round-robin over all consumers' },
  RESCALE: { partitioning: 'rescale', note: "round-robin over a pointwise subset of the consumers (Flink's POINTWISE pattern)" },
  BROADCAST: { partitioning: 'broadcast', note: 'every record to every consumer' },
  SHUFFLE: { partitioning: 'rebalance', note: 'uniformly random consumer: the same expected load per consumer as round-robin' },
  GLOBAL: { partitioning: 'rebalance', note: 'everything to consumer subtask 0; exact when the consumer has parallelism 1 (as Flink plans it), otherwise the model spreads what Flink sends to subtask 0' },
  CUSTOM: { partitioning: 'hash', note: "a user Partitioner over a key: modelled as hash (all-to-all, even split)" },
  PARTITION_HASH: { partitioning: 'hash', note: 'DataSet hash partitioning' },
  PARTITION_CUSTOM: { partitioning: 'hash', note: 'DataSet custom partitioning: modelled as hash' },
  PARTITION_RANGE: { partitioning: 'hash', note: 'DataSet range partitioning: modelled as hash (all-to-all, even split)' },
  PARTITION_RANDOM: { partitioning: 'rebalance', note: 'DataSet random partitioning' },
  PARTITION_FORCED_REBALANCE: { partitioning: 'rebalance', note: 'DataSet rebalance()' },
};

/** A ship strategy's key in FLINK_SHIP_STRATEGIES: upper case, without a key list (`HASH[c]` is HASH). */
export function shipStrategyKey(name: string): string {
  return name.trim().replace(/\[.*$/, '').trim().toUpperCase();
}

/** Work of a subtask (ms at speed 1) when neither the plan nor a costs file gives one. */
export const DEFAULT_FLINK_WORK_MS = 10;

const nodeId = z.union([int(0), nonEmptyString()], { error: 'an integer or a non-empty string (the node id)' });

const streamGraphSchema = z.looseObject(
  {
    nodes: list(
      z.looseObject(
        {
          id: nodeId,
          type: text().optional(),
          pact: text().optional(),
          contents: text().optional(),
          parallelism: int(1),
          predecessors: list(
            z.looseObject({ id: nodeId, ship_strategy: text(), side: text().optional() }, { error: 'a predecessor { id, ship_strategy, side } (a JSON object)' }),
            'predecessors',
          ).optional(),
        },
        { error: 'a node { id, type, pact, contents, parallelism, predecessors } (a JSON object)' },
      ),
      'nodes',
    ),
  },
  { error: 'a Flink execution plan { nodes } (a JSON object)' },
);

const jobGraphPlanSchema = z.looseObject(
  {
    jid: text().optional(),
    name: text().optional(),
    type: text().optional(),
    nodes: list(
      z.looseObject(
        {
          id: nonEmptyString(),
          parallelism: int(1),
          operator: text().optional(),
          operator_strategy: text().optional(),
          description: text().optional(),
          inputs: list(
            z.looseObject(
              { num: int(0).optional(), id: nonEmptyString(), ship_strategy: text(), exchange: text().optional() },
              { error: 'an input { num, id, ship_strategy, exchange } (a JSON object)' },
            ),
            'inputs',
          ).optional(),
        },
        { error: 'a job vertex { id, parallelism, operator, operator_strategy, description, inputs, optimizer_properties } (a JSON object)' },
      ),
      'nodes',
    ),
  },
  { error: 'a Flink job plan { jid, name, nodes } (a JSON object)' },
);

export type FlinkPlanShape = 'stream-graph' | 'job-graph';

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The plan object inside a document: the document itself, or its `plan` (REST answers). */
function planObject(data: unknown): { plan: Record<string, unknown>; at: string } | undefined {
  if (!isObject(data)) return undefined;
  if (Array.isArray(data['nodes'])) return { plan: data, at: '$' };
  if (isObject(data['plan']) && Array.isArray(data['plan']['nodes'])) return { plan: data['plan'], at: '$.plan' };
  return undefined;
}

/** A JSON document that is a Flink execution plan (either shape): `nodes` at the top or under `plan`, and no slotlab `format`. */
export function looksLikeFlinkPlan(data: unknown): boolean {
  return isObject(data) && !('format' in data) && planObject(data) !== undefined;
}

/** A Flink plan read into a job graph whose operators carry no costs yet. */
export interface FlinkPlan {
  readonly file: string;
  readonly shape: FlinkPlanShape;
  /** The plan's job name (REST `name`), else the file name. */
  readonly name: string;
  /** Operators in the plan's node order (work not set) and edges (bytes not set). */
  readonly job: JobGraphSpec;
  /** Ship strategy as written, per edge (same order as `job.edges`). */
  readonly shipStrategies: readonly string[];
}

function decodeHtml(textIn: string): string {
  return textIn.replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** A job vertex's name: the first line of its description (`<br/>` separates the chained operators), unescaped. */
function vertexName(description: string | undefined, operator: string | undefined, id: string): string {
  const first = decodeHtml((description ?? '').split('<br/>')[0] ?? '').trim();
  if (first !== '') return first;
  return operator !== undefined && operator.trim() !== '' ? operator.trim() : id;
}

/** The Flink role of a stream graph node (`pact`: Data Source, Operator, Data Sink) or of a job vertex (sources have no input). */
function roleOf(pact: string | undefined, hasInputs: boolean): string {
  const p = (pact ?? '').toLowerCase();
  if (p.includes('source')) return 'source';
  if (p.includes('sink')) return 'sink';
  return hasInputs ? 'operator' : 'source';
}

/** Reads a parsed JSON document as a Flink plan (either shape) and maps it onto a job graph. */
export function parseFlinkPlan(data: unknown, file: string, fallbackName: string): FlinkPlan {
  const found = planObject(data);
  if (found === undefined) throw new InstanceFormatError(file, '$.nodes', 'a list of plan nodes (a Flink execution plan has "nodes", or "plan": { "nodes" })', isObject(data) ? undefined : data);
  const base = found.at === '$' ? [] : ['plan'];
  const nodes = found.plan['nodes'] as unknown[];
  // The REST job plan's vertices have `inputs` or `description`; the stream graph's nodes have `pact` / `predecessors`.
  const restShaped = nodes.some((n) => isObject(n) && ('inputs' in n || 'description' in n || 'operator_strategy' in n));
  const at = (path: string) => `${found.at}${path}`;

  interface Link { readonly id: string; readonly strategy: string; readonly path: string }
  const raw: Array<{ id: string; name: string; parallelism: number; role: string; links: Link[]; path: string }> = [];
  let name = fallbackName;
  let shape: FlinkPlanShape;
  if (restShaped) {
    shape = 'job-graph';
    const plan = parseWithSchema(jobGraphPlanSchema, found.plan, file, base);
    if (plan.name !== undefined && plan.name.trim() !== '') name = plan.name.trim();
    plan.nodes.forEach((n, i) => {
      const links = (n.inputs ?? []).map((input, j) => ({ id: input.id, strategy: input.ship_strategy, path: at(`.nodes[${i}].inputs[${j}]`) }));
      raw.push({ id: n.id, name: vertexName(n.description, n.operator, n.id), parallelism: n.parallelism, role: roleOf(undefined, links.length > 0), links, path: at(`.nodes[${i}]`) });
    });
  } else {
    shape = 'stream-graph';
    const plan = parseWithSchema(streamGraphSchema, found.plan, file, base);
    plan.nodes.forEach((n, i) => {
      const id = String(n.id);
      const links = (n.predecessors ?? []).map((p, j) => ({ id: String(p.id), strategy: p.ship_strategy, path: at(`.nodes[${i}].predecessors[${j}]`) }));
      const label = (n.type ?? n.contents ?? '').trim();
      raw.push({ id, name: label === '' ? id : label, parallelism: n.parallelism, role: roleOf(n.pact, links.length > 0), links, path: at(`.nodes[${i}]`) });
    });
  }

  const byId = new Map<string, (typeof raw)[number]>();
  for (const node of raw) {
    if (byId.has(node.id)) throw new InstanceFormatError(file, `${node.path}.id`, `a node id not used before (node "${node.id}" appears twice)`, node.id);
    byId.set(node.id, node);
  }
  const operators: OperatorSpec[] = raw.map((n) => ({ id: n.id, name: n.name, parallelism: n.parallelism, kind: 'synthetic', params: { role: n.role } }));
  const edges: JobEdgeSpec[] = [];
  const shipStrategies: string[] = [];
  const edgeIndex = new Map<string, number>();
  for (const node of raw)
    for (const link of node.links) {
      const what = shape === 'job-graph' ? 'input' : 'predecessor';
      const producer = byId.get(link.id);
      if (producer === undefined)
        throw new InstanceFormatError(file, `${link.path}.id`, `the id of a node of this plan (node "${node.id}" names a ${what} that does not exist)`, link.id);
      if (producer.id === node.id) throw new CyclicGraphError(file, [node.id]);
      const strategy = FLINK_SHIP_STRATEGIES[shipStrategyKey(link.strategy)];
      if (strategy === undefined)
        throw new InstanceFormatError(file, `${link.path}.ship_strategy`, `one of Flink's ship strategies ${Object.keys(FLINK_SHIP_STRATEGIES).join(', ')} (docs/formats.md, "Flink execution plans")`, link.strategy);
      if (strategy.partitioning === 'forward' && producer.parallelism !== node.parallelism)
        throw new InstanceFormatError(
          file,
          `${link.path}.ship_strategy`,
          `FORWARD only between equal parallelisms (Flink refuses it too), but "${producer.id}" has ${producer.parallelism} and "${node.id}" has ${node.parallelism}`,
          link.strategy,
        );
      const key = `${producer.id}>${node.id}`;
      const seen = edgeIndex.get(key);
      if (seen !== undefined) {
        // two inputs from the same producer (a stream unioned with itself, a two-input operator fed twice): one edge
        if (edges[seen]!.partitioning !== strategy.partitioning)
          throw new InstanceFormatError(file, `${link.path}.ship_strategy`, `the same strategy as the earlier ${what} from "${producer.id}" (${shipStrategies[seen]}): slotlab has one edge per pair of operators`, link.strategy);
        continue;
      }
      edgeIndex.set(key, edges.length);
      edges.push({ from: producer.id, to: node.id, partitioning: strategy.partitioning });
      shipStrategies.push(link.strategy);
    }
  return { file, shape, name, job: { operators, edges }, shipStrategies };
}

// ---------------------------------------------------------------------------------------------------------------
// Costs

/**
 * `slotlab/flink-costs@1`: per-operator figures for a Flink plan, as Flink's REST metrics give them
 * (`GET /jobs/:jobid/vertices/:vertexid/subtasks/metrics?get=busyTimeMsPerSecond,...` answers min/max/avg/sum over
 * the subtasks; take `avg`, or list every subtask's value for skew). Keys of `operators` are node ids or names.
 */
const operatorCostsSchema = object(
  {
    busyTimeMsPerSecond: nonNegative().max(1000, { error: 'a number of ms per second between 0 and 1000' }).optional(),
    subtaskBusyTimeMsPerSecond: list(nonNegative().max(1000, { error: 'a number of ms per second between 0 and 1000' }), 'numbers between 0 and 1000, one per subtask').optional(),
    workMs: nonNegative().optional(),
    numRecordsInPerSecond: nonNegative().optional(),
    numRecordsOutPerSecond: nonNegative().optional(),
    numBytesOutPerSecond: nonNegative().optional(),
  },
  'the figures of one operator { busyTimeMsPerSecond, subtaskBusyTimeMsPerSecond, workMs, numRecordsInPerSecond, numRecordsOutPerSecond, numBytesOutPerSecond }',
);

const flinkCostsSchema = object(
  {
    format: z.literal('slotlab/flink-costs@1', { error: '"slotlab/flink-costs@1"' }),
    description: text().optional(),
    periodSeconds: nonNegative().refine((x) => x > 0, { error: 'a finite number > 0' }).optional(),
    operators: z.record(z.string(), operatorCostsSchema, { error: 'an object from operator id or name to its figures' }),
  },
  'a costs file { format, description, periodSeconds, operators }',
);

export type OperatorCosts = z.output<typeof operatorCostsSchema>;
export interface FlinkCosts {
  readonly file: string;
  /** Seconds of the stream one run of the job stands for. Default 1. */
  readonly periodSeconds: number;
  readonly operators: Readonly<Record<string, OperatorCosts>>;
}

export function parseFlinkCosts(data: unknown, file: string): FlinkCosts {
  const doc = parseWithSchema(flinkCostsSchema, data, file);
  return { file, periodSeconds: doc.periodSeconds ?? 1, operators: doc.operators };
}

export function readFlinkCostsFile(file: string): FlinkCosts {
  return parseFlinkCosts(parseJsonText(readTextFile(file), file), file);
}

/**
 * The plan's job graph with costs: from `costs` where it names an operator (by id, else by name), else the
 * defaults (DEFAULT_FLINK_WORK_MS per subtask, 0 bytes). `warnings` says which operators got defaults.
 *
 * - work of each subtask (ms at speed 1) = busyTimeMsPerSecond × periodSeconds: a subtask busy b ms in every second
 *   of the stream needs b · T ms of work for T seconds of it (`subtaskBusyTimeMsPerSecond`: per subtask, key skew;
 *   `workMs`: given directly);
 * - bytes of each outgoing edge = numBytesOutPerSecond × parallelism × periodSeconds, split evenly over the
 *   operator's outgoing edges;
 * - `params.records` (records each subtask sends per consumer operator, for the runtime's replay) =
 *   numRecordsOutPerSecond × periodSeconds / outgoing edges, rounded; numRecordsInPerSecond is kept in `params`.
 */
export function flinkPlanJob(plan: FlinkPlan, costs: FlinkCosts | undefined): { job: JobGraphSpec; warnings: string[] } {
  const warnings: string[] = [];
  const ids = new Set(plan.job.operators.map((o) => o.id));
  const names = new Map<string, string[]>();
  for (const o of plan.job.operators) names.set(o.name ?? o.id, [...(names.get(o.name ?? o.id) ?? []), o.id]);
  const costOf = new Map<string, OperatorCosts>();
  if (costs !== undefined)
    for (const [key, figures] of Object.entries(costs.operators)) {
      const at = `$.operators[${JSON.stringify(key)}]`;
      const matched = ids.has(key) ? [key] : (names.get(key) ?? []);
      if (matched.length === 0)
        throw new InstanceFormatError(costs.file, at, `the id or name of an operator of ${plan.file} (${plan.job.operators.slice(0, 5).map((o) => o.id).join(', ')}${plan.job.operators.length > 5 ? ', ...' : ''})`, key);
      if (matched.length > 1) throw new InstanceFormatError(costs.file, at, `a name that one operator has, but ${matched.length} have it: use their ids (${matched.join(', ')})`, key);
      if (costOf.has(matched[0]!)) throw new InstanceFormatError(costs.file, at, `one entry per operator, but operator "${matched[0]}" has one already (by id or by name)`, key);
      const op = plan.job.operators.find((o) => o.id === matched[0])!;
      if (figures.subtaskBusyTimeMsPerSecond !== undefined && figures.subtaskBusyTimeMsPerSecond.length !== op.parallelism)
        throw new InstanceFormatError(costs.file, `${at}.subtaskBusyTimeMsPerSecond`, `one value per subtask (${op.parallelism})`, figures.subtaskBusyTimeMsPerSecond.length);
      costOf.set(matched[0]!, figures);
    }
  const period = costs?.periodSeconds ?? 1;
  const outDegree = new Map<string, number>();
  for (const e of plan.job.edges) outDegree.set(e.from, (outDegree.get(e.from) ?? 0) + 1);
  const defaulted: string[] = [];
  const operators = plan.job.operators.map((op): OperatorSpec => {
    const c = costOf.get(op.id);
    const params: Record<string, unknown> = { ...(op.params ?? {}) };
    const out = outDegree.get(op.id) ?? 0;
    if (c?.numRecordsOutPerSecond !== undefined && out > 0) params['records'] = Math.round((c.numRecordsOutPerSecond * period) / out);
    if (c?.numRecordsInPerSecond !== undefined) params['numRecordsInPerSecond'] = c.numRecordsInPerSecond;
    const base = { ...op, params };
    if (c?.subtaskBusyTimeMsPerSecond !== undefined) return { ...base, subtaskWorkMs: c.subtaskBusyTimeMsPerSecond.map((b) => b * period) };
    if (c?.workMs !== undefined) return { ...base, workMs: c.workMs };
    if (c?.busyTimeMsPerSecond !== undefined) return { ...base, workMs: c.busyTimeMsPerSecond * period };
    defaulted.push(op.id);
    return { ...base, workMs: DEFAULT_FLINK_WORK_MS };
  });
  const bytesOut = new Map<string, number>();
  for (const op of plan.job.operators) {
    const c = costOf.get(op.id);
    const out = outDegree.get(op.id) ?? 0;
    if (c?.numBytesOutPerSecond !== undefined && out > 0) bytesOut.set(op.id, (c.numBytesOutPerSecond * op.parallelism * period) / out);
  }
  const edges = plan.job.edges.map((e) => ({ ...e, bytes: bytesOut.get(e.from) ?? 0 }));
  if (costs === undefined)
    warnings.push(
      `${plan.file}: a Flink plan carries no costs: every subtask gets workMs ${DEFAULT_FLINK_WORK_MS} and every edge 0 bytes (defaults); give per-operator figures with --costs <file> (docs/formats.md, "Flink execution plans")`,
    );
  else if (defaulted.length > 0)
    warnings.push(
      `${costs.file}: no busy time or work for ${defaulted.length} operator${defaulted.length === 1 ? '' : 's'} of ${plan.file} (${defaulted.slice(0, 5).join(', ')}${defaulted.length > 5 ? ', ...' : ''}): workMs ${DEFAULT_FLINK_WORK_MS} per subtask (default)`,
    );
  return { job: { operators, edges }, warnings };
}

/**
 * The DAG placement spec of a Flink plan on `cluster` (required: a plan names no TaskManagers), `shared` by default
 * (Flink's slot sharing: every operator in the `default` slot sharing group, as a plan without
 * `slotSharingGroup(...)` calls runs).
 */
export function flinkPlanDagPlacementSpec(
  plan: FlinkPlan,
  cluster: ClusterSpec | undefined,
  costs: FlinkCosts | undefined,
  variant: PlacementVariant = 'shared',
): { spec: DagPlacementSpec; warnings: string[] } {
  if (cluster === undefined)
    throw new InvalidInstanceError(plan.file, 'cluster', 'a Flink execution plan names no TaskManagers: give a cluster (e.g. --cluster 4x2, or a cluster file)');
  const { job, warnings } = flinkPlanJob(plan, costs);
  return { spec: { name: plan.name, variant, job, cluster }, warnings };
}
