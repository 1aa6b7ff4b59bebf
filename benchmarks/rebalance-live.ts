/**
 * Rebalancing a running job (issue #13, "Load rebalancing at run time"): the `rebalance` heuristic's moves executed
 * on the runtime by moving subtasks with their state, the measured gain beside the predicted one.
 *
 *   npx tsx benchmarks/rebalance-live.ts [--records 24000] [--per-record-ms 0.5] [--window-share 0.25] [--repeats 3]
 *
 * The job: a generator (1 subtask, key = value mod 37, time = value) → a keyed tumbling-window sum (8 subtasks,
 * hash-partitioned, an emulated cost per record: `perRecordMs`, the existing option of every stream operator) →
 * a sink; pipelined, checkpointed every 20 ms, variant `shared` (slot sharing), on 4 TaskManagers of 3 slots and one
 * emulated core each (a TaskManager's subtasks share its core: its load is the sum of theirs), tm1 at half speed (a
 * slow TaskManager; the 37 keys also spread unevenly over the 8 subtasks' key groups: key skew).
 * 1. Start on Flink's default spread: window subtask k on TaskManager k mod 4 (slot ⌊k / 4⌋), the source and the
 *    sink in tm1's slot 0.
 * 2. Stop with a checkpoint once the source emitted `windowShare` of the input (`runWithRescales`).
 * 3. The load-balancing model (models/load-balancing) gets each window subtask's measured work at unit speed
 *    (busy ms × its TaskManager's speed, Flink's busyTimeMsPerSecond), projected over the rest of the input; the
 *    migration cost per move is 5 % of the mean subtask's projected work (as benchmarks/rebalance.ts), and the
 *    `rebalance` heuristic moves subtasks from the most to the least utilised TaskManager while the gain exceeds it.
 *    The measured stop→restart time (stop checkpoint done to the restored job running: cancel, decision, state
 *    redistribution, worker start-up; paid once for all moves) is reported beside the model's cost.
 * 4. Restart from the checkpoint with the moved subtasks on their new TaskManagers (each keeps its key groups'
 *    state: same parallelism), and run the rest. Before: the same stop and restart, on the old placement.
 * Both runs' committed output over their segments must equal the single-threaded reference.
 */
import { pathToFileURL } from 'node:url';
import { createDagPlacementInstance, type DagPlacementInstance } from '../models/dag-placement/instance.ts';
import { validateDagPlacement } from '../models/dag-placement/validator.ts';
import { createLoadBalancingInstance, evaluateLoadBalancing, type LoadBalancingInstance } from '../models/load-balancing/instance.ts';
import { validateLoadBalancing } from '../models/load-balancing/validator.ts';
import { seededRng } from '../models/rng.ts';
import type { Placement } from '../models/solution.ts';
import { solveWith } from '../solver/registry.ts';
import { runWithRescales, type RunOptions, type RunReport } from '../runtime/index.ts';
import { sortRows, windowSumReference, type Row } from '../runtime/test/recovery-jobs.ts';
import { medianMs } from './prediction/report.ts';
import { positiveNumberFlag } from './flags.ts';

export const KEYS = 37;
export const WINDOW_SIZE = 1000;
const WINDOWED = 'sum';
const TASK_MANAGERS = ['tm1', 'tm2', 'tm3', 'tm4'] as const;

export interface LiveJobOptions {
  readonly records: number;
  readonly perRecordMs: number;
  /** Window subtasks (default 8). */
  readonly parallelism?: number;
}

/** The keyed job on 4 TaskManagers of 3 slots and one core each, tm1 at half speed. */
export function liveRebalanceJob(o: LiveJobOptions): DagPlacementInstance {
  return createDagPlacementInstance({
    name: 'skewed-window-sum',
    variant: 'shared',
    job: {
      operators: [
        { id: 'numbers', parallelism: 1, kind: 'generator', params: { count: o.records, keys: KEYS, timestamps: true } },
        { id: WINDOWED, parallelism: o.parallelism ?? 8, kind: 'window', params: { size: WINDOW_SIZE, aggregate: 'sum', perRecordMs: o.perRecordMs } },
        { id: 'out', parallelism: 1, kind: 'sink', params: { keep: true } },
      ],
      edges: [
        { from: 'numbers', to: WINDOWED, partitioning: 'hash' },
        { from: WINDOWED, to: 'out', partitioning: 'rebalance' },
      ],
    },
    cluster: { taskManagers: TASK_MANAGERS.map((id) => ({ id, slotCount: 3, cpuCores: 1, ...(id === 'tm1' ? { speedFactor: 0.5 } : {}) })) },
  });
}

/**
 * The placement with each window subtask on the TaskManager `taskManagerOf` names (slots numbered in subtask order
 * on each TaskManager), the source and the sink in tm1's slot 0; checked by the validator.
 */
export function placementWith(instance: DagPlacementInstance, taskManagerOf: (subtaskId: string) => string): Placement {
  const nextSlot = new Map<string, number>();
  const placement: Placement = {
    assignments: instance.subtasks.map((s) => {
      if (s.operatorId !== WINDOWED) return { subtask: s.id, taskManager: 'tm1', slot: 0 };
      const tm = taskManagerOf(s.id);
      const slot = nextSlot.get(tm) ?? 0;
      nextSlot.set(tm, slot + 1);
      return { subtask: s.id, taskManager: tm, slot };
    }),
  };
  const violations = validateDagPlacement(instance, placement);
  if (violations.length > 0) throw new Error(`${instance.name}: the validator rejected the placement: ${JSON.stringify(violations[0])}`);
  return placement;
}

/** Flink's default spread: window subtask k on TaskManager k mod 4. */
export function defaultSpread(instance: DagPlacementInstance): Placement {
  const index = new Map(instance.subtasks.map((s) => [s.id, s.subtaskIndex]));
  return placementWith(instance, (id) => TASK_MANAGERS[index.get(id)! % TASK_MANAGERS.length]!);
}

/** Runs with a stop-with-checkpoint after `windowRecords` and a restart at `restartAt(window)`; output checked. */
export async function stopAndRestart(
  instance: DagPlacementInstance,
  records: number,
  start: Placement,
  windowRecords: number,
  restartAt: (window: RunReport) => Placement | Promise<Placement>,
): Promise<{ window: RunReport; rest: RunReport; restartMs: number; outputMatchesReference: boolean; output: Row[] }> {
  const runOptions: RunOptions = { mode: 'pipelined', checkpointIntervalMs: 20, batchRecords: 32, creditsPerChannel: 2 };
  const run = await runWithRescales({ instance, placement: start }, {
    runOptions,
    windowRecords,
    next: async ({ report }) => ({ finish: { instance, placement: await restartAt(report) } }),
  });
  if (run.segments.length !== 2) throw new Error(`${instance.name}: expected a stopped window and the rest, got ${run.segments.length} segment(s)`);
  const output = run.committed[0]!.output as Row[];
  const reference = windowSumReference(records, KEYS, WINDOW_SIZE);
  const outputMatchesReference = JSON.stringify(sortRows(output)) === JSON.stringify(sortRows(reference));
  return { window: run.segments[0]!.report, rest: run.segments[1]!.report, restartMs: run.segments[1]!.restartMs, outputMatchesReference, output };
}

/**
 * The load-balancing model of the rest of the job from a stopped window: each window subtask's work at unit speed
 * (busy × speed), scaled by the records left over the records the window subtasks processed; migration cost given.
 */
export function restModel(instance: DagPlacementInstance, records: number, placement: Placement, window: RunReport, migrationCostMs: number): LoadBalancingInstance {
  const windowed = window.subtasks.filter((s) => s.operatorId === WINDOWED);
  const processed = windowed.reduce((n, s) => n + s.recordsIn, 0);
  if (processed === 0) throw new Error(`${instance.name}: the window subtasks processed nothing before the stop`);
  const restFactor = Math.max(0, records - processed) / processed;
  const tmOf = new Map(placement.assignments.map((a) => [a.subtask, a.taskManager]));
  const speed = new Map(instance.taskManagers.map((t) => [t.id, t.speedFactor]));
  return createLoadBalancingInstance({
    name: `${instance.name}-rest`,
    objective: 'max-utilization',
    taskManagers: instance.taskManagers.map((t) => ({ id: t.id, slotCount: t.slotCount, speedFactor: t.speedFactor })),
    tasks: windowed.map((s) => ({ id: s.id, operator: WINDOWED, load: s.busyMs * speed.get(tmOf.get(s.id)!)! * restFactor, currentTaskManager: tmOf.get(s.id)! })),
    migrationCostMs,
  });
}

export interface LiveRebalanceResult {
  readonly label: string;
  readonly perTaskManager: string;
  readonly predictedRestMs: number;
  readonly measuredRestMs: number;
  readonly restartMs: number;
  readonly modelMigrationCostMs: number;
  readonly moves: string;
  readonly outputMatchesReference: boolean;
}

/** One pair of runs: the job continuing on the old placement (before), and on the rebalanced one (after). */
export async function liveRebalance(o: LiveJobOptions & { readonly windowShare: number }): Promise<LiveRebalanceResult[]> {
  const instance = liveRebalanceJob(o);
  const start = defaultSpread(instance);
  const windowRecords = Math.max(1, Math.round(o.records * o.windowShare));
  const results: LiveRebalanceResult[] = [];
  for (const label of ['before (stays on the default spread)', 'after rebalance (moved subtasks)'] as const) {
    let model: LoadBalancingInstance | undefined;
    let placement = start;
    let moves = '';
    const run = await stopAndRestart(instance, o.records, start, windowRecords, async (window) => {
      // the model's migration cost per move: 5 % of the mean window subtask's projected rest work (as benchmarks/rebalance.ts);
      // the measured stop→restart time (paid once for all moves) is reported beside it
      const unitModel = restModel(instance, o.records, start, window, 0);
      model = restModel(instance, o.records, start, window, (0.05 * unitModel.tasks.reduce((s, t) => s + t.load, 0)) / unitModel.tasks.length);
      if (label.startsWith('before')) return start;
      const result = await solveWith('rebalance', model, { rng: seededRng(1) });
      if (!result.solution) throw new Error(`rebalance gave no assignment: ${result.status} ${result.message ?? ''}`);
      const violations = validateLoadBalancing(model, result.solution);
      if (violations.length > 0) throw new Error(`the load-balancing validator rejected rebalance: ${JSON.stringify(violations[0])}`);
      const tmOf = new Map(result.solution.assignments.map((a) => [a.task, a.taskManager]));
      placement = placementWith(instance, (id) => tmOf.get(id)!);
      const moved = start.assignments.filter((a) => a.taskManager !== tmOf.get(a.subtask) && tmOf.has(a.subtask));
      moves = `${result.message ?? ''}: ${moved.map((a) => `${a.subtask} ${a.taskManager}→${tmOf.get(a.subtask)}`).join(', ')}`;
      return placement;
    });
    const at = placement.assignments.filter((a) => a.subtask.startsWith(`${WINDOWED}#`));
    const lbAssignment = { assignments: at.map((a) => ({ task: a.subtask, taskManager: a.taskManager })) };
    results.push({
      label,
      perTaskManager: TASK_MANAGERS.map((tm) => at.filter((a) => a.taskManager === tm).length).join('/'),
      predictedRestMs: evaluateLoadBalancing(model!, lbAssignment).maxUtilizationMs,
      measuredRestMs: run.rest.measuredMs,
      restartMs: run.restartMs,
      modelMigrationCostMs: model!.migrationCostMs,
      moves,
      outputMatchesReference: run.outputMatchesReference,
    });
  }
  return results;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const flag = (name: string, fallback: number): number => positiveNumberFlag(args, name, fallback);
  const options = { records: Math.round(flag('--records', 24000)), perRecordMs: flag('--per-record-ms', 0.5), windowShare: flag('--window-share', 0.25) };
  const repeats = Math.round(flag('--repeats', 3));
  const runs: LiveRebalanceResult[][] = [];
  for (let r = 0; r < repeats; r++) runs.push(await liveRebalance(options));
  process.stdout.write(
    `Rebalancing a running job: ${options.records} records, keyed window sum at 8 subtasks (${options.perRecordMs} ms per record), 4 TaskManagers of one core (tm1 at half speed), pipelined, stopped with a checkpoint after ${options.windowShare * 100} % of the input, ${repeats} runs each (median)\n\n`,
  );
  process.stdout.write('| rest of the job | window subtasks per TM (tm1/tm2/tm3/tm4) | predicted rest ms (model max utilisation) | measured rest ms, median (runs) | stop→restart ms, median (model migration cost per move) | output = reference |\n|---|---|---|---|---|---|\n');
  const med = (i: number, f: (x: LiveRebalanceResult) => number) => medianMs(runs.map((r) => f(r[i]!)));
  for (let i = 0; i < 2; i++) {
    const first = runs[0]![i]!;
    process.stdout.write(
      `| ${first.label} | ${first.perTaskManager} | ${med(i, (x) => x.predictedRestMs).toFixed(0)} | ${med(i, (x) => x.measuredRestMs).toFixed(0)} (${runs.map((r) => r[i]!.measuredRestMs.toFixed(0)).join(', ')}) | ${med(i, (x) => x.restartMs).toFixed(0)} (${med(i, (x) => x.modelMigrationCostMs).toFixed(0)}) | ${runs.every((r) => r[i]!.outputMatchesReference) ? 'yes' : 'NO'} |\n`,
    );
  }
  process.stdout.write(`\nmoves: ${runs.map((r) => r[1]!.moves).join(' | ')}\n`);
  const predicted = med(0, (x) => x.predictedRestMs) / med(1, (x) => x.predictedRestMs);
  const measured = med(0, (x) => x.measuredRestMs) / med(1, (x) => x.measuredRestMs);
  process.stdout.write(`gain on the rest: predicted ${predicted.toFixed(2)}x, measured ${measured.toFixed(2)}x\n`);
}
