import type { SlotAllocationHeuristic } from '../types.ts';
import { heuristicSolver } from '../types.ts';
import { allocateGreedily, type SlotLedger } from './common/slot-allocation.ts';
import { defaultSlotProfile, memoryBytesOf } from '../../models/resources/profile.ts';

/**
 * Best fit (slot allocation, fine-grained resources): each slot of a job, one at a time, goes to the TaskManager with
 * room on which it leaves the least behind: the smallest share of the cluster's CPU plus share of its memory left on
 * that TaskManager after the slot is cut (dynamic slots: what is left of its total; fixed slots: its free slots ×
 * the default slot profile; a TaskManager without resources counts its free slots as a share of its slots). The
 * classic best-fit rule of bin packing, in several dimensions by normalised sum; ties go to the first listed.
 * Then, as every slot allocation greedy, jobs that accept more get more (solver/heuristics/common/slot-allocation.ts).
 * Deterministic: ignores the rng.
 */
export const bestFitSlotAllocationHeuristic: SlotAllocationHeuristic = (instance) => {
  const withResources = instance.taskManagers.filter((tm) => tm.resources !== undefined);
  const allCpu = withResources.reduce((t, tm) => t + tm.resources!.cpuCores, 0) || 1;
  const allMemory = withResources.reduce((t, tm) => t + memoryBytesOf(tm.resources!), 0) || 1;
  const leftAfter = (ledger: SlotLedger, j: number, i: number): number => {
    const tm = instance.taskManagers[i]!;
    const freeAfter = tm.slotCount - ledger.used[i]! - 1;
    if (tm.resources === undefined) return tm.slotCount === 0 ? 0 : freeAfter / tm.slotCount;
    const left = ledger.left[i];
    if (left === undefined) {
      const slot = defaultSlotProfile(tm.resources, tm.slotCount);
      return (freeAfter * slot.cpuCores) / allCpu + (freeAfter * memoryBytesOf(slot)) / allMemory;
    }
    const p = ledger.profileOf(j, i)!;
    return (left.cpuCores - p.cpuCores) / allCpu + (memoryBytesOf(left) - memoryBytesOf(p)) / allMemory;
  };
  return allocateGreedily(
    'best-fit',
    instance,
    (ledger, j) => {
      let best = -1;
      let bestLeft = Number.POSITIVE_INFINITY;
      for (let i = 0; i < instance.taskManagers.length; i++) {
        if (ledger.room(j, i) <= 0) continue;
        const left = leftAfter(ledger, j, i);
        if (left < bestLeft - 1e-12) {
          best = i;
          bestLeft = left;
        }
      }
      return best;
    },
    false,
  );
};

export const bestFitSlotAllocation = heuristicSolver(
  'best-fit',
  'slot-allocation',
  'Best fit: each slot goes to the TaskManager it leaves with the least CPU and memory (fine-grained resources)',
  bestFitSlotAllocationHeuristic,
);
