import { describe, expect, it } from 'vitest';
import type { DagPlacementInstance } from '../models/dag-placement/instance.ts';
import type { Placement } from '../models/solution.ts';
// Test-only: the runtime itself imports models/ alone; the test takes the paper's instance and schedule from datasets/.
import { loadInstance } from '../datasets/loaders/index.ts';
import { heftPaperExpected, HEFT_PAPER_FILE } from '../datasets/loaders/heft-paper.ts';
import { dataPath } from '../datasets/paths.ts';
import { runPlacement, type RunReport } from './index.ts';

/**
 * The HEFT paper example (Topcuoglu, Hariri, Wu, IEEE TPDS 13(3), 2002, Fig. 2) replayed with emulated time in
 * blocking mode: per-processor costs as durations on TaskManagers P1..P3, communication costs as link time.
 * Timing agreement is a benchmark (benchmarks/runtime-agreement.ts); here: order and blocking semantics.
 */
const SCALE = 3; // ms per model unit: the HEFT schedule (80 units) takes about 240 ms

function allOn(instance: DagPlacementInstance, tm: string): Placement {
  return { assignments: instance.subtasks.map((s) => ({ subtask: s.id, taskManager: tm, slot: 0 })) };
}

/** start >= end of every predecessor, plus the link time (comm x scale) when they sit on different TaskManagers. */
function expectBlockingSemantics(instance: DagPlacementInstance, report: RunReport): void {
  const byId = new Map(report.subtasks.map((s) => [s.id, s]));
  for (const e of instance.edges) {
    const from = byId.get(instance.subtasks[e.from]!.id)!;
    const to = byId.get(instance.subtasks[e.to]!.id)!;
    const transferMs = from.taskManager === to.taskManager ? 0 : e.bytes * SCALE; // links of 1 byte/ms, latency 0
    expect(to.startMs).toBeGreaterThanOrEqual(from.endMs + transferMs - 0.05);
  }
  // A slot runs one subtask at a time.
  const bySlot = new Map<string, typeof report.subtasks>();
  for (const s of report.subtasks) bySlot.set(s.slot, [...(bySlot.get(s.slot) ?? []), s]);
  for (const list of bySlot.values()) {
    const sorted = [...list].sort((a, b) => a.startMs - b.startMs);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.startMs).toBeGreaterThanOrEqual(sorted[i - 1]!.endMs - 0.05);
  }
}

describe('HEFT paper example replayed with emulated time (blocking)', () => {
  const instance = loadInstance(dataPath(HEFT_PAPER_FILE)) as DagPlacementInstance;
  const heftSchedule = heftPaperExpected().heftSchedule;

  it('a placement the model predicts at least 1.5x slower is measured slower than the HEFT schedule', async () => {
    const heft = await runPlacement(instance, heftSchedule, { timeScaleMsPerUnit: SCALE });
    const slow = await runPlacement(instance, allOn(instance, 'P1'), { timeScaleMsPerUnit: SCALE });
    expect(heft.predictedMs).toBe(80 * SCALE); // the published HEFT makespan
    expect(slow.predictedMs).toBe(127 * SCALE); // sum of the P1 column of the cost table
    expect(slow.predictedMs / heft.predictedMs).toBeGreaterThanOrEqual(1.5);
    expect(slow.measuredMs).toBeGreaterThan(heft.measuredMs);
    expectBlockingSemantics(instance, heft);
    expectBlockingSemantics(instance, slow);
    // Each replayed subtask is busy for its cost on its processor.
    const n1 = heft.subtasks.find((s) => s.id === 'n1#0')!;
    expect(n1.taskManager).toBe('P3');
    expect(n1.busyMs).toBeGreaterThanOrEqual(9 * SCALE - 0.05);
  });
});
