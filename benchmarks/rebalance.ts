/**
 * Rebalancing a skewed job (issue #13, "What must show"): measured completion time before and after rebalancing, and
 * the model's prediction of both.
 *
 *   npx tsx benchmarks/rebalance.ts [--repeats 3] [--time-scale 10]
 *
 * The job: one keyed stage of 12 subtasks whose work follows a Zipf law over its keys (s = 1: subtask k carries
 * ∝ 1/(k+1) of 6,000 model ms; key skew), replayed with emulated time, on 4 TaskManagers of one slot each
 * (`sequenced`: a TaskManager runs its subtasks one after another), one of them at half speed (speedFactor 0.5: a slow
 * TaskManager). Before: Flink's default spread, subtask k on TaskManager k mod 4 (even counts, uneven work). After:
 * the `rebalance` heuristic (solver/heuristics/rebalance.ts, load-balancing model) starts from that placement and moves
 * subtasks from the most to the least utilised TaskManager while the gain exceeds the migration cost (5 % of the mean
 * subtask's work). Both placements are checked by the DAG placement validator, run in blocking mode, and reported
 * with the evaluator's prediction (makespan × time scale) and the load-balancing model's maximum utilisation.
 * Rebalancing here redeploys the job at the new placement; benchmarks/rebalance-live.ts moves the subtasks of a
 * running job with their state (stop-with-checkpoint and restore).
 */
import { createDagPlacementInstance } from '../models/dag-placement/instance.ts';
import { validateDagPlacement } from '../models/dag-placement/validator.ts';
import { createLoadBalancingInstance, evaluateLoadBalancing } from '../models/load-balancing/instance.ts';
import { validateLoadBalancing } from '../models/load-balancing/validator.ts';
import { seededRng } from '../models/rng.ts';
import type { Placement } from '../models/solution.ts';
import { solveWith } from '../solver/registry.ts';
import { runPlacement } from '../runtime/index.ts';
import { medianMs } from './prediction/report.ts';
import { positiveNumberFlag } from './flags.ts';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => positiveNumberFlag(args, name, fallback);
const REPEATS = flag('--repeats', 3);
const SCALE = flag('--time-scale', 10);
const SUBTASKS = 12;
const TOTAL_MS = 6000 / SCALE; // model ms: 6,000 wall ms of work in all at the default scale
const harmonic = Array.from({ length: SUBTASKS }, (_, k) => 1 / (k + 1)).reduce((s, x) => s + x, 0);
const subtaskWorkMs = Array.from({ length: SUBTASKS }, (_, k) => Number(((TOTAL_MS / harmonic) * (1 / (k + 1))).toFixed(3)));
const taskManagers = [
  { id: 'tm1', slotCount: 1, speedFactor: 0.5 },
  { id: 'tm2', slotCount: 1 },
  { id: 'tm3', slotCount: 1 },
  { id: 'tm4', slotCount: 1 },
];
const instance = createDagPlacementInstance({
  name: 'zipf-keyed-stage',
  variant: 'sequenced',
  job: { operators: [{ id: 'keyed', parallelism: SUBTASKS, subtaskWorkMs, kind: 'synthetic' }], edges: [] },
  cluster: { taskManagers },
});
const before: Placement = { assignments: instance.subtasks.map((s) => ({ subtask: s.id, taskManager: taskManagers[s.subtaskIndex % 4]!.id, slot: 0 })) };

const lb = createLoadBalancingInstance({
  name: 'zipf-keyed-stage',
  objective: 'max-utilization',
  taskManagers: taskManagers.map((t) => ({ id: t.id, speedFactor: t.speedFactor ?? 1 })),
  tasks: instance.subtasks.map((s, i) => ({ id: s.id, operator: s.operatorId, load: s.workMs, currentTaskManager: before.assignments[i]!.taskManager })),
  migrationCostMs: (0.05 * TOTAL_MS) / SUBTASKS,
});
const result = await solveWith('rebalance', lb, { rng: seededRng(1) });
if (!result.solution) throw new Error(`rebalance gave no assignment: ${result.status} ${result.message ?? ''}`);
const lbViolations = validateLoadBalancing(lb, result.solution);
if (lbViolations.length > 0) throw new Error(`the load-balancing validator rejected rebalance: ${JSON.stringify(lbViolations[0])}`);
const tmOf = new Map(result.solution.assignments.map((a) => [a.task, a.taskManager]));
const after: Placement = { assignments: instance.subtasks.map((s) => ({ subtask: s.id, taskManager: tmOf.get(s.id)!, slot: 0 })) };
const lbBefore = evaluateLoadBalancing(lb, { assignments: before.assignments.map((a) => ({ task: a.subtask, taskManager: a.taskManager })) });
const lbAfter = evaluateLoadBalancing(lb, result.solution);

const rows: string[] = [];
const measured: Record<string, number> = {};
const predicted: Record<string, number> = {};
for (const [label, placement] of [['before (subtask k on TM k mod 4)', before], ['after rebalance', after]] as const) {
  const violations = validateDagPlacement(instance, placement);
  if (violations.length > 0) throw new Error(`${label}: the validator rejected the placement: ${JSON.stringify(violations[0])}`);
  const runs: number[] = [];
  let predictedMs = 0;
  for (let r = 0; r < REPEATS; r++) {
    const report = await runPlacement(instance, placement, { mode: 'blocking', timeScaleMsPerUnit: SCALE });
    runs.push(report.measuredMs);
    predictedMs = report.predictedMs;
  }
  measured[label] = medianMs(runs);
  predicted[label] = predictedMs;
  const perTm = taskManagers.map((t) => placement.assignments.filter((a) => a.taskManager === t.id).length).join('/');
  rows.push(`| ${label} | ${perTm} | ${predictedMs.toFixed(0)} | ${medianMs(runs).toFixed(0)} (${runs.map((x) => x.toFixed(0)).join(', ')}) | ${(((medianMs(runs) - predictedMs) / predictedMs) * 100).toFixed(1)} % |`);
}
const [b, a] = Object.keys(measured) as [string, string];
process.stdout.write(`Rebalancing a skewed job: ${SUBTASKS} subtasks, Zipf(1) work over keys, 4 TaskManagers (tm1 at half speed), sequenced, blocking, ${SCALE} ms per model unit, ${REPEATS} runs each (median)\n\n`);
process.stdout.write('| placement | subtasks per TM (tm1/tm2/tm3/tm4) | predicted ms | measured ms, median (runs) | measured vs predicted |\n|---|---|---|---|---|\n');
process.stdout.write(`${rows.join('\n')}\n\n`);
process.stdout.write(`rebalance: ${result.message ?? ''}; load-balancing model max utilisation ${lbBefore.maxUtilizationMs.toFixed(1)} → ${lbAfter.maxUtilizationMs.toFixed(1)} model ms (× ${SCALE} = ${(lbBefore.maxUtilizationMs * SCALE).toFixed(0)} → ${(lbAfter.maxUtilizationMs * SCALE).toFixed(0)} ms)\n`);
process.stdout.write(`gain: predicted ${(predicted[b]! / predicted[a]!).toFixed(2)}x (${predicted[b]!.toFixed(0)} → ${predicted[a]!.toFixed(0)} ms), measured ${(measured[b]! / measured[a]!).toFixed(2)}x (${measured[b]!.toFixed(0)} → ${measured[a]!.toFixed(0)} ms)\n`);
