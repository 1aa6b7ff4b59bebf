import type { DagPlacementHeuristic } from '../types.ts';
import { heuristicSolver } from '../types.ts';
import type { DagPlacementInstance } from '../../models/dag-placement/instance.ts';
import { averageCosts, upwardRankMs } from './common/ranks.ts';
import { variantOf } from './common/results.ts';
import { noSlotFor } from './common/list-scheduling.ts';
import { readySetSchedule, type KeyedOrder, type PairRule } from './common/ready-set.ts';
import type { ScheduleBuilder } from './common/schedule-builder.ts';

/**
 * FLB, Fast Load Balancing (A. Rădulescu, A. J. C. van Gemund, "FLB: Fast load balancing for distributed-memory
 * machines", ICPP 1999, doi:10.1109/ICPP.1999.797442; its heterogeneous use in "Fast and effective task
 * scheduling in heterogeneous systems", HCW 2000).
 *
 * Paper → slotlab: task = subtask; processor = TaskManager (its slot with the earliest start, append-only as in
 * the paper); bottom level = rank_u with average costs (common/ranks.ts); LMT(t), the last message arrival time,
 * = max over predecessors of (end + c̄(e)), c̄ the average transfer time; the enabling processor EP(t) = the
 * TaskManager of the predecessor that attains LMT (ties: the later-placed one); EST(t, p) = the append-only
 * earliest start on p (inputs there and p free).
 * A ready task is an **EP task** when it can start on its enabling TaskManager no later than its last message
 * could arrive anywhere else (EST(t, EP(t)) ≤ LMT(t): the paper's LMT ≥ PRT(EP) once the free local message is
 * counted); entry tasks and the others are **non-EP tasks**. Each step compares two candidates and schedules the
 * one that starts earlier (ties: the EP task):
 * 1. the EP task with the earliest start on its enabling TaskManager;
 * 2. the non-EP task with the earliest start on the TaskManager where it starts first (the paper's "smallest
 *    LMT on the processor that becomes idle first", which is the same on homogeneous systems; on heterogeneous
 *    ones this keeps its intent, the earliest start).
 * Ties within a candidate list: the smaller LMT, then the higher bottom level, then the lower subtask index.
 * On homogeneous systems every step therefore starts a task as early as any ready task could start (the paper's
 * claim that FLB matches ETF's choice at lower cost); the test checks that step by step. saga's FLBScheduler
 * differs: it averages communication for every message time and keeps the paper's queues, sending a non-EP task
 * to the processor idle first. Valid under all three variants. Deterministic: ignores the rng.
 */
export function flbRule(instance: DagPlacementInstance, bottomLevel: Float64Array, meanTransferMs: Float64Array): PairRule {
  /** LMT(s) and EP(s): fixed once s is released (its predecessors are placed). */
  const lmt = (b: ScheduleBuilder, s: number): { timeMs: number; ep: number } => {
    let timeMs = 0;
    let ep = -1;
    for (const e of instance.inEdges[s]!) {
      const p = instance.edges[e]!.from;
      const t = b.endMs[p]! + meanTransferMs[e]!;
      if (t >= timeMs) {
        timeMs = t;
        ep = b.taskManagerOfSlot(b.slotOfSubtask[p]!);
      }
    }
    return { timeMs, ep };
  };
  // The engine serves this scan's choice from a heap (common/ready-set.ts, a keyed order with `enabling`): an EP
  // task's start on its enabling TaskManager changes only when that TaskManager takes a subtask, a non-EP task's
  // earliest start only when its earliest-start TaskManager does.
  const keyed: KeyedOrder = {
    level: bottomLevel,
    enabling: (s, b) => {
      const m = lmt(b, s);
      return { taskManager: m.ep, lmtMs: m.timeMs };
    },
  };
  const better = (start: number, l: number, s: number, best: { start: number; lmt: number; s: number } | undefined) =>
    best === undefined || start < best.start || (start === best.start && (l < best.lmt || (l === best.lmt && bottomLevel[s]! > bottomLevel[best.s]!)));
  const scan: PairRule = (candidates, view) => {
    let ep: { start: number; lmt: number; s: number; k: number } | undefined;
    let nonEp: { start: number; lmt: number; s: number; k: number } | undefined;
    for (const s of candidates) {
      const m = lmt(view.builder, s);
      if (m.ep !== -1) {
        const start = view.startMs(s, m.ep);
        if (start <= m.timeMs) {
          if (better(start, m.timeMs, s, ep)) ep = { start, lmt: m.timeMs, s, k: m.ep };
          continue;
        }
      }
      const k = view.earliestStartTaskManager(s);
      if (k === -1) continue;
      const start = view.startMs(s, k);
      if (better(start, m.timeMs, s, nonEp)) nonEp = { start, lmt: m.timeMs, s, k };
    }
    const pick = ep !== undefined && (nonEp === undefined || ep.start <= nonEp.start) ? ep : nonEp;
    return pick === undefined ? undefined : { s: pick.s, k: pick.k };
  };
  return Object.assign(scan, { keyed });
}

export const flbHeuristic: DagPlacementHeuristic = (instance, options) => {
  const variant = variantOf(instance, options);
  const costs = averageCosts(instance);
  const run = readySetSchedule(instance, variant, 'append', flbRule(instance, upwardRankMs(instance, costs), costs.meanTransferMs), false);
  if (run.stuck !== -1) return noSlotFor('flb', instance, variant, run.stuck);
  return run.builder.result();
};

export const flb = heuristicSolver('flb', 'dag-placement', 'FLB, Fast Load Balancing (Radulescu & van Gemund, ICPP 1999): the earlier of the best enabling-processor task and the best other ready task', flbHeuristic);
