/**
 * Speed of the heuristics for growing sizes, instance building timed apart from the heuristic itself.
 *
 *   npx tsx benchmarks/heuristics-speed.ts            # all sizes (about a minute on 2 cores)
 *   npx tsx benchmarks/heuristics-speed.ts --quick    # the small sizes only
 *
 * Goals (issue 4, this 2-core machine): HEFT on a 10,000-subtask random DAG with 64 TaskManagers under 1 s;
 * Flink's strategies on 100,000 subtasks under 1 s; LPT on 1,000,000 tasks under 2 s. Every answer is run
 * through the model's validator after timing (not counted), so a fast wrong answer cannot pass.
 * Each heuristic is timed once per size after a warm-up on the smallest size (JIT); `build` is the time of
 * createDagPlacementInstance / createLoadBalancingInstance / createSlotAllocationInstance (graphology graphs,
 * topological order, indexed arrays), which every solver pays once per instance.
 */
import { createDagPlacementInstance, type DagPlacementInstance, type DagPlacementSpec } from '../models/dag-placement/instance.ts';
import { createLoadBalancingInstance, type LoadBalancingInstance, type LoadBalancingSpec } from '../models/load-balancing/instance.ts';
import { createSlotAllocationInstance, type SlotAllocationInstance } from '../models/slot-allocation/instance.ts';
import type { JobGraphSpec } from '../models/graphs/job-graph.ts';
import { validateSolution } from '../models/validate.ts';
import type { AnyInstance } from '../models/model-kind.ts';
import { seededRng } from '../models/rng.ts';
import { randomLayeredDag } from '../datasets/generators/layered-dag.ts';
import { heterogeneousCluster } from '../datasets/generators/heterogeneous-cluster.ts';
import { HEURISTICS } from '../solver/heuristics/index.ts';
import { readdirSync } from 'node:fs';
import { dataPath } from '../datasets/paths.ts';
import { readStg, stgDagPlacementSpec, stgGraphKey } from '../datasets/loaders/stg.ts';
import { readStgOptima, stgOptimum } from '../datasets/loaders/stg-reference.ts';
import { makespanLowerBounds } from '../models/dag-placement/bounds.ts';
import { parseClusterShorthand } from '../models/graphs/cluster.ts';
import type { AnySolver } from '../solver/types.ts';
import { solveWith } from '../solver/registry.ts';

const quick = process.argv.includes('--quick');
const named = (model: string, names: readonly string[]) => names.map((n) => HEURISTICS.find((s) => s.model === model && s.name === n)!);

interface Row {
  readonly section: string;
  readonly size: string;
  readonly solver: string;
  readonly ms: number;
  readonly objective: string;
  readonly valid: string;
}
const rows: Row[] = [];

function time<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const value = f();
  return [value, performance.now() - t0];
}

async function measure(section: string, size: string, instance: AnyInstance, solvers: readonly AnySolver[], options: { variant?: 'shared' | 'sequenced' | 'exclusive' } = {}) {
  for (const solver of solvers) {
    const result = await solveWith(solver.name, instance, { rng: seededRng(1), ...options });
    let valid: string = result.status;
    if (result.solution) {
      const violations = validateSolution(instance, result.solution, options.variant);
      valid = violations.length === 0 ? 'valid' : `INVALID: ${violations[0]!.message}`;
    }
    const objective = result.objective === undefined ? '-' : Number(result.objective.toPrecision(6)).toString();
    rows.push({ section, size, solver: solver.name, ms: result.timeMs, objective, valid });
    process.stdout.write(`  ${section.padEnd(14)} ${size.padEnd(34)} ${solver.name.padEnd(20)} ${result.timeMs.toFixed(1).padStart(9)} ms   objective ${objective.padEnd(10)} ${valid}\n`);
  }
}

function build(section: string, size: string, f: () => AnyInstance): AnyInstance {
  const [instance, ms] = time(f);
  rows.push({ section, size, solver: '(build instance)', ms, objective: '-', valid: '-' });
  process.stdout.write(`  ${section.padEnd(14)} ${size.padEnd(34)} ${'(build instance)'.padEnd(20)} ${ms.toFixed(1).padStart(9)} ms\n`);
  return instance;
}

// --- DAG list schedulers: random layered DAGs (parallelism 1), 64 heterogeneous TaskManagers x 2 slots ---
function randomDag(subtasks: number): DagPlacementInstance {
  const rng = seededRng(subtasks);
  const width = Math.round(Math.sqrt(subtasks));
  const job = randomLayeredDag(rng, { layers: Math.round(subtasks / width), width, edgeProbability: 3 / width, workMs: [10, 100], bytes: [0, 5_000_000], forwardProbability: 1 });
  const cluster = heterogeneousCluster(rng, { taskManagers: 64, slotsPerTaskManager: 2, speedFactor: [0.5, 2] });
  return createDagPlacementInstance({ name: `layered-${subtasks}`, variant: 'sequenced', job, cluster });
}

// --- Flink strategies: streaming jobs of growing size under `shared` ---
/** `operators` operators of equal parallelism chained by forward edges, every 5th edge a rebalance into a smaller stage. */
function streamingJob(subtasks: number): DagPlacementSpec {
  // Stages of 5 forward-connected operators; stage k has parallelism p (wide) and the stages alternate between
  // two slot sharing groups; between stages a hash edge of a narrow stage keeps the all-to-all edges bounded.
  const wide = Math.max(10, Math.round(subtasks / 21));
  const narrow = 4;
  const operators: JobGraphSpec['operators'][number][] = [];
  const edges: JobGraphSpec['edges'][number][] = [];
  let total = 0;
  let stage = 0;
  while (total < subtasks) {
    const group = stage % 2 === 0 ? 'default' : 'heavy';
    for (let i = 0; i < 5 && total < subtasks; i++) {
      const p = Math.min(wide, subtasks - total);
      const id = `s${stage}o${i}`;
      operators.push({ id, parallelism: p, workMs: 1 + ((stage * 5 + i) % 7), slotSharingGroup: group });
      if (i > 0) {
        const prev = operators[operators.length - 2]!;
        edges.push({ from: prev.id, to: id, partitioning: prev.parallelism === p ? 'forward' : 'rebalance', bytes: 1000 * p });
      }
      total += p;
    }
    if (total < subtasks) {
      const id = `s${stage}agg`;
      operators.push({ id, parallelism: narrow, workMs: 5, slotSharingGroup: group });
      edges.push({ from: operators[operators.length - 2]!.id, to: id, partitioning: 'hash', bytes: 10_000 });
      total += narrow;
    }
    stage++;
  }
  const taskManagers = Math.ceil((2 * wide) / 4) + 1;
  return {
    name: `streaming-${subtasks}`,
    variant: 'shared',
    job: { operators, edges },
    cluster: { taskManagers: Array.from({ length: taskManagers }, (_, k) => ({ id: `tm${k + 1}`, slotCount: 4, speedFactor: 1 + (k % 3) * 0.5 })), defaultLink: { latencyMs: 1, bandwidthBytesPerMs: 125_000 } },
  };
}

// --- Balancers: tasks with skewed loads on 64 TaskManagers ---
function balancing(tasks: number): LoadBalancingInstance {
  const rng = seededRng(tasks);
  const spec: LoadBalancingSpec = {
    name: `balancing-${tasks}`,
    taskManagers: Array.from({ length: 64 }, (_, k) => ({ id: `tm${k + 1}` })),
    tasks: Array.from({ length: tasks }, (_, i) => ({ id: `t${i}`, operator: `op${i % 100}`, load: Math.round(1000 / (1 + rng.int(0, 99))) })),
  };
  return createLoadBalancingInstance(spec);
}

function slotAllocation(taskManagers: number): SlotAllocationInstance {
  const rng = seededRng(taskManagers);
  const tms = Array.from({ length: taskManagers }, (_, k) => ({ id: `tm${k + 1}`, slotCount: rng.int(1, 16) }));
  const total = tms.reduce((t, tm) => t + tm.slotCount, 0);
  const jobs = Array.from({ length: 100 }, (_, j) => ({ id: `job${j}`, slotDemand: Math.floor((0.8 * total) / 100) }));
  return createSlotAllocationInstance({ name: `slots-${taskManagers}`, taskManagers: tms, jobs });
}

async function main() {
  const listSchedulers = named('dag-placement', ['heft', 'cpop', 'peft', 'critical-path', 'etf', 'mct', 'met', 'olb', 'min-min', 'max-min', 'sufferage', 'dls', 'round-robin', 'random']);
  const flink = named('dag-placement', ['flink-default', 'flink-task-balanced', 'first-fit', 'least-utilization', 'tasks-balanced', 'utilization-sorted']);
  const balancers = named('load-balancing', ['ls', 'lpt', 'round-robin', 'least-utilization', 'random', 'rebalance']);
  const allocators = [...named('slot-allocation', ['first-fit', 'least-utilization']), ...(await import('../solver/registry.ts')).SOLVERS.filter((s) => s.name === 'water-filling')];

  process.stdout.write(`node ${process.version}, ${(await import('node:os')).cpus().length} cores${quick ? ', --quick' : ''}\n`);
  // warm-up (JIT), not reported
  const warm = rows.length;
  await measure('warm-up', '', randomDag(500), listSchedulers);
  await measure('warm-up', '', createDagPlacementInstance(streamingJob(2000)), flink);
  await measure('warm-up', '', balancing(10_000), balancers);
  rows.splice(warm);
  process.stdout.write('\n');

  for (const n of quick ? [1000] : [1000, 10_000]) {
    const instance = build('list', `${n} subtasks, 64 TMs x 2 slots`, () => randomDag(n));
    await measure('list', `${n} subtasks, 64 TMs x 2 slots`, instance, listSchedulers);
  }
  for (const n of quick ? [1000, 10_000] : [1000, 10_000, 100_000]) {
    const spec = streamingJob(n);
    const size = `${n} subtasks, ${spec.cluster.taskManagers.length} TMs x 4 slots`;
    const instance = build('flink', size, () => createDagPlacementInstance(spec));
    await measure('flink', size, instance, flink);
  }
  for (const n of quick ? [10_000] : [10_000, 100_000, 1_000_000]) {
    const size = `${n} tasks, 64 TMs`;
    const instance = build('balancing', size, () => balancing(n));
    await measure('balancing', size, instance, balancers);
  }
  for (const k of quick ? [100] : [100, 1000]) {
    const size = `${k} TMs, 100 jobs`;
    const instance = build('slots', size, () => slotAllocation(k));
    await measure('slots', size, instance, allocators);
  }
  await stgQuality(listSchedulers);
  const invalid = rows.filter((r) => r.valid.startsWith('INVALID'));
  process.stdout.write(`\n${rows.length} rows, ${invalid.length} invalid\n`);
  if (invalid.length > 0) process.exitCode = 1;
}

/**
 * Quality, not speed: the list schedulers on the 40 bundled random STG graphs with a table row, P = 2, 4, 8, 16
 * (160 cases): mean makespan above Kasahara's best known schedule, how often they reach it, and how often they
 * exceed Graham's bound Σp/m + (1 − 1/m)·(longest chain).
 */
async function stgQuality(solvers: readonly AnySolver[]) {
  const optima = readStgOptima();
  const files = ['50', '100'].flatMap((d) => readdirSync(dataPath(`stg/graphs/${d}`)).filter((f) => f.endsWith('.stg')).map((f) => dataPath(`stg/graphs/${d}/${f}`)));
  const stats = new Map(solvers.map((s) => [s.name, { above: 0, reached: 0, graham: 0, cases: 0 }]));
  for (const file of files) {
    const graph = readStg(file);
    for (const m of [2, 4, 8, 16]) {
      const table = stgOptimum(stgGraphKey(file), m, optima);
      if (table === undefined) continue;
      const instance = createDagPlacementInstance(stgDagPlacementSpec(graph, parseClusterShorthand(`${m}x1`)));
      const work = instance.subtasks.reduce((t, x) => t + x.workMs, 0);
      const graham = work / m + (1 - 1 / m) * makespanLowerBounds(instance).criticalPathMs;
      for (const solver of solvers) {
        const result = await solveWith(solver.name, instance, { rng: seededRng(1) });
        const st = stats.get(solver.name)!;
        st.cases++;
        st.above += (result.objective! - table.bestKnown) / table.bestKnown;
        if (result.objective === table.bestKnown) st.reached++;
        if (result.objective! > graham + 1e-9) st.graham++;
      }
    }
  }
  process.stdout.write(`\n  STG quality (${files.length} random graphs x P = 2, 4, 8, 16 with a table row)\n`);
  for (const [name, st] of stats)
    process.stdout.write(`  ${name.padEnd(16)} mean ${((100 * st.above) / st.cases).toFixed(2).padStart(6)} % above best known, reaches it in ${String(st.reached).padStart(3)}/${st.cases}, above Graham's bound in ${st.graham}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
