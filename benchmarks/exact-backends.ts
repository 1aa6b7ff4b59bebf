/**
 * Exact solving on growing sizes of each model: both MILP backends (HiGHS,
 * javascript-lp-solver) on the same formulation, beside the problem-specific
 * exact methods (water-filling, bnb). Prints one markdown table: status,
 * objective, proven bound, gap and wall time per solver, and checks every
 * answer with the model's validator (not timed).
 *
 *   npx tsx benchmarks/exact-backends.ts                    # every size, 30 s per run
 *   npx tsx benchmarks/exact-backends.ts --time-limit 10000 # ms per run
 *   npx tsx benchmarks/exact-backends.ts --only dag-placement
 *
 * Goals of issue 3 (2-core machine): P||Cmax 40×10 and the HEFT paper example
 * each proven optimal in under 2 s (by bnb; a generic MILP needs 12–16 s for
 * such P||Cmax instances, see ../shared/NOTES.md). Timing goals live here, never
 * in unit tests.
 */
import { readHeftFixture, heftFixtureDagPlacementSpec } from '../datasets/loaders/heft-paper.ts';
import { readStgOptima } from '../datasets/loaders/stg-reference.ts';
import { readStg, stgDagPlacementSpec } from '../datasets/loaders/stg.ts';
import { dataPath } from '../datasets/paths.ts';
import { randomLayeredDag } from '../datasets/generators/layered-dag.ts';
import { randomSlotAllocation } from '../datasets/generators/slot-allocation.ts';
import { createDagPlacementInstance, type DagPlacementInstance } from '../models/dag-placement/instance.ts';
import { createLoadBalancingInstance } from '../models/load-balancing/instance.ts';
import { createSlotAllocationInstance } from '../models/slot-allocation/instance.ts';
import { seededRng } from '../models/rng.ts';
import { validateSolution } from '../models/validate.ts';
import type { AnyInstance } from '../models/model-kind.ts';
import { EXACT_SOLVERS } from '../solver/exact/index.ts';
import type { AnySolver } from '../solver/types.ts';
import { solveWith } from '../solver/registry.ts';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const timeLimitMs = Number(arg('--time-limit') ?? 30_000);
const only = arg('--only');

interface Case {
  readonly model: AnyInstance['kind'];
  readonly label: string;
  readonly instance: AnyInstance;
  readonly solvers: readonly string[];
  /** A published or otherwise known optimum, for the table. */
  readonly known?: string;
}

const solver = (model: string, name: string): AnySolver => {
  const s = EXACT_SOLVERS.find((x) => x.model === model && x.name === name);
  if (!s) throw new Error(`no exact solver ${name} for ${model}`);
  return s;
};

function cases(): Case[] {
  const out: Case[] = [];
  // Slot allocation: the design's quadratic objective, linearised exactly.
  for (const [tms, jobs, seed] of [
    [8, 5, 1],
    [32, 15, 2],
    [64, 30, 3],
  ] as const) {
    const spec = randomSlotAllocation(seededRng(seed), { taskManagers: tms, slotsPerTaskManager: [2, 8], jobs, load: 0.7, elasticShare: 0 }, 'bench', `slots-${tms}x${jobs}`);
    out.push({ model: 'slot-allocation', label: `${tms} TMs × ${jobs} jobs`, instance: createSlotAllocationInstance(spec), solvers: ['milp:highs', 'milp:lp-solver', 'water-filling'] });
  }
  // P||Cmax: loads uniform in 10..100 (seeded), identical TaskManagers.
  for (const [n, m, seed] of [
    [10, 3, 10],
    [20, 5, 20],
    [40, 10, 40],
  ] as const) {
    const rng = seededRng(seed);
    const instance = createLoadBalancingInstance({
      name: `pcmax-${n}x${m}`,
      taskManagers: Array.from({ length: m }, (_, k) => ({ id: `tm${k + 1}` })),
      tasks: Array.from({ length: n }, (_, i) => ({ id: `t${i + 1}`, load: rng.int(10, 100) })),
    });
    out.push({ model: 'load-balancing', label: `P||Cmax ${n}×${m}`, instance, solvers: ['milp:highs', 'milp:lp-solver', 'bnb'] });
  }
  // DAG placement, sequenced: the HEFT paper example, seeded layered DAGs with transfers on
  // TaskManagers of speed 1 and 2, and the hardest proven STG 50-task row at P = 2.
  const dag = (instance: DagPlacementInstance, label: string, known?: string): Case => ({
    model: 'dag-placement',
    label,
    instance,
    solvers: ['milp:highs', 'milp:lp-solver', 'bnb'],
    ...(known ? { known } : {}),
  });
  out.push(dag(createDagPlacementInstance(heftFixtureDagPlacementSpec(readHeftFixture())), 'HEFT paper (10 subtasks, 3 TMs)', 'HEFT 80'));
  // Seeded layered DAGs (5 operators per layer, parallelism 1, work 2..20 ms, 0..8 bytes per edge over
  // 1 byte/ms links): identical TaskManagers with one slot each, and one case with speed factors 1, 1, 2.
  for (const [n, tms, fast, seed] of [
    [20, 3, false, 20],
    [30, 4, false, 30],
    [50, 4, false, 50],
    [20, 3, true, 20],
  ] as const) {
    const job = randomLayeredDag(seededRng(seed), { layers: n / 5, width: 5, edgeProbability: 0.3, workMs: [2, 20], bytes: [0, 8] });
    const instance = createDagPlacementInstance({
      name: `layered-${n}${fast ? '-speeds' : ''}`,
      variant: 'sequenced',
      job,
      cluster: {
        taskManagers: Array.from({ length: tms }, (_, k) => ({ id: `tm${k + 1}`, slotCount: 1, speedFactor: fast && k >= tms / 2 ? 2 : 1 })),
        defaultLink: { bandwidthBytesPerMs: 1, latencyMs: 0 },
      },
    });
    out.push(dag(instance, `layered DAG ${n} subtasks, ${tms} TMs${fast ? ' (speeds 1, 1, 2)' : ''}`));
  }
  const stg = createDagPlacementInstance(
    stgDagPlacementSpec(readStg(dataPath('stg/graphs/50/rand0075.stg')), { taskManagers: [{ id: 'p1', slotCount: 1 }, { id: 'p2', slotCount: 1 }] }),
  );
  const row = readStgOptima().get('50/rand0075.stg|2');
  out.push(dag(stg, 'STG 50/rand0075, P = 2 (52 subtasks)', row ? `table ${row.bestKnown}, trivial bound 297` : undefined));
  return out.filter((c) => !only || c.model === only);
}

const fmt = (v: number | undefined, digits = 2): string => (v === undefined ? '–' : Number.isInteger(v) ? String(v) : v.toFixed(digits));

async function main(): Promise<void> {
  console.log(`Exact solvers, time limit ${timeLimitMs} ms per run, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
  console.log('| model | instance | solver | status | objective | bound | gap | time (ms) | valid |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const c of cases()) {
    for (const name of c.solvers) {
      const s = solver(c.model, name);
      const t0 = performance.now();
      const r = await solveWith(s.name, c.instance, { rng: seededRng(1), timeLimitMs, relativeGap: 0 });
      const ms = performance.now() - t0;
      const valid = r.solution ? (validateSolution(c.instance, r.solution).length === 0 ? 'yes' : 'NO') : '–';
      const label = (c.known ? `${c.label} [${c.known}]` : c.label).replaceAll('|', '\\|');
      console.log(`| ${c.model} | ${label} | ${name} | ${r.status} | ${fmt(r.objective)} | ${fmt(r.bestBound)} | ${r.gap === undefined ? '–' : `${(r.gap * 100).toFixed(1)}%`} | ${ms.toFixed(0)} | ${valid} |`);
    }
  }
}

await main();
