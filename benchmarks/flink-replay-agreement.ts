/**
 * Model vs run on a generated Flink topology: the default suite's `flink-join` (seed 1, 3 TaskManagers x 2 slots,
 * `shared`, 21 subtasks in 4 stages) replayed in blocking mode at 10 ms per model unit under two placements (every
 * operator's subtask k in slot k: "packed"; offsets by operator: "spread"), `--repeats` runs each.
 *
 *   npx tsx benchmarks/flink-replay-agreement.ts [--repeats 5] [--time-scale 10]
 *
 * Goal (a wall-time figure, so a benchmark and not a test): measured never below the prediction, and at most 25 %
 * above it on a machine that is not overloaded. runtime/flink-replay.test.ts asserts what holds at any load (never
 * below the prediction, no subtask before its predicted start).
 */
import { loadavg } from 'node:os';
import type { DagPlacementInstance } from '../models/dag-placement/instance.ts';
import { seededRng } from '../models/rng.ts';
import type { Placement } from '../models/solution.ts';
import { generateInstance } from '../datasets/generators/index.ts';
import { runPlacement } from '../runtime/index.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(args[i + 1]);
  if (!Number.isFinite(v) || v <= 0) {
    process.stderr.write(`flink-replay-agreement: ${name} should be a positive number, got ${args[i + 1]}\n`);
    process.exit(1);
  }
  return v;
};
const REPEATS = option('--repeats', 5);
const SCALE = option('--time-scale', 10);
const UPPER_TOLERANCE = 0.25;

const instance = generateInstance('flink-join', { cluster: '3x2' }, seededRng(1)) as DagPlacementInstance;
function slotsFrom(offsetOf: (operatorIndex: number) => number): Placement {
  const slots = instance.slots.length;
  return {
    assignments: instance.subtasks.map((s) => {
      const slot = instance.slots[(s.subtaskIndex + offsetOf(s.operatorIndex)) % slots]!;
      return { subtask: s.id, taskManager: instance.taskManagers[slot.taskManager]!.id, slot: slot.index - instance.taskManagers[slot.taskManager]!.firstSlot };
    }),
  };
}
let offset = 0;
const offsets = instance.operators.map((op) => ((offset += op.parallelism), offset - op.parallelism));
const placements: Record<string, Placement> = { packed: slotsFrom(() => 0), spread: slotsFrom((i) => offsets[i]!) };

const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
console.log(`flink-join (seed 1, 3x2, shared) in blocking mode at ${SCALE} ms per model unit, ${REPEATS} runs per placement; load average ${load()}`);
console.log('placement   predicted ms   measured ms (median, min-max)                median vs predicted');
let inBand = 0;
let runs = 0;
for (const [name, placement] of Object.entries(placements)) {
  const measured: number[] = [];
  let predicted = 0;
  for (let r = 0; r < REPEATS; r++) {
    const report = await runPlacement(instance, placement, { mode: 'blocking', timeScaleMsPerUnit: SCALE });
    predicted = report.predictedMs;
    measured.push(report.measuredMs);
    runs++;
    if (report.measuredMs >= report.predictedMs - 0.5 && report.measuredMs <= report.predictedMs * (1 + UPPER_TOLERANCE)) inBand++;
  }
  measured.sort((a, b) => a - b);
  const median = measured[Math.floor(measured.length / 2)]!;
  console.log(
    `${name.padEnd(10)}  ${predicted.toFixed(1).padStart(12)}   ${median.toFixed(1).padStart(8)} (${measured[0]!.toFixed(1)}-${measured.at(-1)!.toFixed(1)})`.padEnd(62) +
      `   ${(((median - predicted) / predicted) * 100).toFixed(1).padStart(6)} %`,
  );
}
console.log(`runs within [predicted, predicted + 25 %]: ${inBand} of ${runs}; load average after ${load()}`);
