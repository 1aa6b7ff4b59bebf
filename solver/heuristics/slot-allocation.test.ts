import { describe, expect, it } from 'vitest';
import { createSlotAllocationInstance, slotAllocationObjective, type SlotAllocationInstance } from '../../models/slot-allocation/instance.ts';
import { validateSlotAllocation } from '../../models/slot-allocation/validator.ts';
import { seededRng, type Rng } from '../../models/rng.ts';
import type { Solver } from '../types.ts';
import { firstFitSlotAllocation } from './first-fit.ts';
import { leastUtilizationSlotAllocation } from './least-utilization.ts';
import { waterFillingSolver } from '../exact/water-filling.ts';

async function run(solver: Solver<'slot-allocation'>, instance: SlotAllocationInstance) {
  const result = await solver.solve(instance, { rng: seededRng(1) });
  if (result.solution) {
    expect(validateSlotAllocation(instance, result.solution)).toEqual([]);
    expect(result.objective).toBe(slotAllocationObjective(instance, result.solution));
  }
  return result;
}

describe('slot allocation heuristics', () => {
  // Three TaskManagers with 4 slots, jobs asking 3 and 2. First fit packs: used 4, 1, 0, free 0, 3, 4 → 25.
  // Least utilisation spreads slot by slot: used 2, 2, 1, free 2, 2, 3 → 17, which is water-filling's optimum.
  const instance = createSlotAllocationInstance({
    name: 'three-tms',
    taskManagers: [{ id: 'tm1', slotCount: 4 }, { id: 'tm2', slotCount: 4 }, { id: 'tm3', slotCount: 4 }],
    jobs: [{ id: 'a', slotDemand: 3 }, { id: 'b', slotDemand: 2 }],
  });
  it('first-fit packs the first TaskManagers: Σ free² = 25', async () => {
    expect((await run(firstFitSlotAllocation, instance)).objective).toBe(25);
  });
  it('least-utilization spreads like water-filling: Σ free² = 17, the optimum', async () => {
    expect((await run(leastUtilizationSlotAllocation, instance)).objective).toBe(17);
    expect((await waterFillingSolver.solve(instance, { rng: seededRng(1) })).objective).toBe(17);
  });

  it('never beats water-filling on 100 seeded instances without caps or profiles (it is optimal there)', async () => {
    const rng = seededRng(2026);
    for (let i = 0; i < 100; i++) {
      const inst = randomInstance(rng, i);
      const optimum = (await waterFillingSolver.solve(inst, { rng })).objective!;
      for (const solver of [firstFitSlotAllocation, leastUtilizationSlotAllocation]) {
        const result = await run(solver, inst);
        expect(result.status).toBe('feasible');
        expect(result.objective!).toBeGreaterThanOrEqual(optimum);
      }
    }
  });

  it('respects maxSlotsPerTaskManager, min/max and slot profiles', async () => {
    const capped = createSlotAllocationInstance({
      name: 'caps',
      taskManagers: [{ id: 'tm1', slotCount: 4, cpuCores: 4 }, { id: 'tm2', slotCount: 4, cpuCores: 2 }],
      jobs: [
        { id: 'a', slotDemand: 3, maxSlotsPerTaskManager: 2 },
        { id: 'b', minSlots: 1, maxSlots: 3, slotProfile: { cpuCores: 1, memoryBytes: 0 } },
      ],
    });
    for (const solver of [firstFitSlotAllocation, leastUtilizationSlotAllocation]) {
      const result = await run(solver, capped);
      expect(result.status).toBe('feasible');
      expect(result.solution!.grants.filter((g) => g.job === 'b').reduce((t, g) => t + g.slots, 0)).toBe(3);
    }
  });

  it('says infeasible when the jobs need more slots than there are', async () => {
    const over = createSlotAllocationInstance({ name: 'over', taskManagers: [{ id: 'tm1', slotCount: 2 }], jobs: [{ id: 'a', slotDemand: 3 }] });
    for (const solver of [firstFitSlotAllocation, leastUtilizationSlotAllocation]) {
      const result = await run(solver, over);
      expect(result.status).toBe('infeasible');
      expect(result.message).toMatch(/need at least 3 slots in all but the TaskManagers offer 2/);
    }
  });

  it('says when it got stuck on an instance that may still be feasible (profiles), without claiming infeasibility', async () => {
    // a (1 core per slot) first fits on tm1 and leaves it 1 core; b needs 2 cores per slot and finds none.
    // Feasible the other way round: a on tm2, b on tm1.
    const stuck = createSlotAllocationInstance({
      name: 'stuck',
      taskManagers: [{ id: 'tm1', slotCount: 2, cpuCores: 2 }, { id: 'tm2', slotCount: 1, cpuCores: 1 }],
      jobs: [
        { id: 'a', slotDemand: 1, slotProfile: { cpuCores: 1, memoryBytes: 0 } },
        { id: 'b', slotDemand: 1, slotProfile: { cpuCores: 2, memoryBytes: 0 } },
      ],
    });
    const result = await run(firstFitSlotAllocation, stuck);
    expect(result.status).toBe('error');
    expect(result.message).toMatch(/could give job b only 0 of the 1 slots.*does not prove the instance infeasible/);
  });
});

function randomInstance(rng: Rng, i: number): SlotAllocationInstance {
  const taskManagers = Array.from({ length: rng.int(1, 6) }, (_, k) => ({ id: `tm${k}`, slotCount: rng.int(1, 8) }));
  const total = taskManagers.reduce((t, tm) => t + tm.slotCount, 0);
  let left = rng.int(0, total);
  const jobs = Array.from({ length: rng.int(1, 4) }, (_, j) => {
    const d = rng.int(0, left);
    left -= d;
    return rng.next() < 0.3 ? { id: `j${j}`, minSlots: d, maxSlots: d + rng.int(0, 3) } : { id: `j${j}`, slotDemand: d };
  });
  return createSlotAllocationInstance({ name: `random-${i}`, taskManagers, jobs });
}
