import { describe, expect, it } from 'vitest';
import type { DagPlacementInstance } from '../models/dag-placement/instance.ts';
import { seededRng } from '../models/rng.ts';
import type { Placement } from '../models/solution.ts';
// Test-only: the runtime itself imports models/ alone; the test takes a generated Flink topology from datasets/.
import { generateInstance } from '../datasets/generators/index.ts';
import { buildJobPlan, resolveRunOptions, runPlacement } from './index.ts';

/**
 * A generated Flink topology replayed in blocking mode agrees with the model. The instance is the default suite's
 * `flink-join` (seed 1, 3 TaskManagers x 2 slots, `shared`: 21 subtasks in 4 stages, 1.2-16 model ms each, two
 * emulated cores per TaskManager). At 10 ms per model unit a run takes about 250 ms; each hop costs about 1 ms
 * (docs/runtime.md), so the measured time lies a few per cent above the prediction. Emulated work never ends
 * early and every wait of the run is one the model has too, so the measured time cannot be below the prediction.
 * How far above is a wall-time figure (other processes stretch it), so it is a benchmark's:
 * benchmarks/flink-replay-agreement.ts (goal: at most 25 % above; 3-6 % measured quiet).
 */
const SCALE = 10;

function flinkJoin(): DagPlacementInstance {
  const instance = generateInstance('flink-join', { cluster: '3x2' }, seededRng(1));
  if (instance.kind !== 'dag-placement') throw new Error(`expected a DAG placement instance, got ${instance.kind}`);
  return instance;
}

/** Subtask k of operator i in the cluster's slot (k + offset_i) mod 6: offset 0 packs every operator's first
 *  subtasks onto tm1 (Flink's default slot sharing); offsets by operator spread them. */
function slotsFrom(instance: DagPlacementInstance, offsetOf: (operatorIndex: number) => number): Placement {
  const slots = instance.slots.length;
  return {
    assignments: instance.subtasks.map((s) => {
      const slot = instance.slots[(s.subtaskIndex + offsetOf(s.operatorIndex)) % slots]!;
      return { subtask: s.id, taskManager: instance.taskManagers[slot.taskManager]!.id, slot: slot.index - instance.taskManagers[slot.taskManager]!.firstSlot };
    }),
  };
}

describe('generated Flink topology replayed in blocking mode', () => {
  const instance = flinkJoin();

  it('every operator is replayed (synthetic), with no warning', () => {
    const plan = buildJobPlan(instance, slotsFrom(instance, () => 0), resolveRunOptions(instance, { timeScaleMsPerUnit: SCALE }));
    expect(new Set(plan.subtasks.map((s) => s.kind))).toEqual(new Set(['synthetic']));
    expect(plan.warnings).toEqual([]);
    // shared + blocking: each TaskManager's two emulated cores run whole subtasks in the model's order
    for (const tm of plan.taskManagers) {
      expect(tm.coreSequences.length).toBeLessThanOrEqual(Math.floor(tm.cpuCores));
      expect(tm.coreSequences.flat().sort((a, b) => a - b)).toEqual(tm.subtasks);
    }
  });

  // What holds at any load: the lower bound and the per-subtask start order (the upper band: the benchmark).
  it('measured is never below predicted under two placements, and no subtask starts before its predicted start', async () => {
    let offset = 0;
    const offsets = instance.operators.map((op) => ((offset += op.parallelism), offset - op.parallelism));
    const placements = { packed: slotsFrom(instance, () => 0), spread: slotsFrom(instance, (i) => offsets[i]!) };
    for (const [name, placement] of Object.entries(placements)) {
      const report = await runPlacement(instance, placement, { mode: 'blocking', timeScaleMsPerUnit: SCALE });
      const figures = `${name}: predicted ${report.predictedMs.toFixed(1)} ms, measured ${report.measuredMs.toFixed(1)} ms`;
      expect(report.predictedMs, figures).toBeGreaterThan(200);
      expect(report.measuredMs, figures).toBeGreaterThanOrEqual(report.predictedMs - 0.5);
      // Blocking semantics per subtask: no subtask starts before the model says it may (its inputs and its core).
      for (const s of report.subtasks) expect(s.startMs, `${name}: ${s.id}`).toBeGreaterThanOrEqual(s.predictedStartMs - 0.5);
    }
  });
});
