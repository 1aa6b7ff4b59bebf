import { slotAllocationDesignExampleSpec, slotAllocationOverDemandSpec } from '../../models/test/document-example.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRng, type Rng } from '../../models/rng.ts';
import {
  createSlotAllocationInstance,
  slotAllocationObjective,
  type SlotAllocationInstance,
  type SlotAllocationSpec,
} from '../../models/slot-allocation/instance.ts';
import { validateSlotAllocation } from '../../models/slot-allocation/validator.ts';
import { createHighsBackend } from '../milp/highs.ts';
import { solveSlotAllocationMilp } from './slot-allocation.ts';
import { findSolver } from '../registry.ts';

/** The registered `milp` entry: it runs the model's infeasibility check before the MILP. */
const slotAllocationMilp = findSolver('milp', 'slot-allocation');
import { waterFill, waterFillingSolver } from './water-filling.ts';

function randomInstance(rng: Rng, name: string, opts: { minMax?: boolean } = {}): SlotAllocationInstance {
  const tmCount = rng.int(1, 8);
  const taskManagers = Array.from({ length: tmCount }, (_, i) => ({ id: `tm${i}`, slotCount: rng.int(0, 8) }));
  const offered = taskManagers.reduce((t, tm) => t + tm.slotCount, 0);
  const jobCount = rng.int(1, 5);
  let budget = Math.max(0, offered - rng.int(0, Math.max(0, Math.floor(offered / 2))));
  const jobs: Array<SlotAllocationSpec['jobs'][number]> = [];
  for (let j = 0; j < jobCount; j++) {
    const d = j === jobCount - 1 ? budget : rng.int(0, budget);
    budget -= d;
    if (opts.minMax && rng.next() < 0.5) jobs.push({ id: `job${j}`, minSlots: Math.floor(d / 2), maxSlots: d + rng.int(0, 4) });
    else jobs.push({ id: `job${j}`, slotDemand: d });
  }
  return createSlotAllocationInstance({ name, taskManagers, jobs });
}

const highs = createHighsBackend();
afterAll(() => highs.dispose());
const opts = (seed: number) => ({ rng: seededRng(seed), timeLimitMs: 10_000, backend: highs });

describe('water-filling', () => {
  it('levels free slots', () => {
    expect(waterFill([5, 5, 5], 6)).toEqual([2, 2, 2]);
    expect(waterFill([1, 5, 5], 7)).toEqual([1, 3, 3]);
    expect(waterFill([4, 4], 3)).toEqual([2, 1]);
    expect(waterFill([0, 3], 5)).toEqual([0, 3]);
  });

  it('the design example: 3 TaskManagers × 4 slots, demand 3 + 4 → free slots 2, 2, 1 (objective 9)', async () => {
    const inst = createSlotAllocationInstance(slotAllocationDesignExampleSpec('design'));
    const wf = await waterFillingSolver.solve(inst, { rng: seededRng(1) });
    expect(wf.status).toBe('optimal');
    expect(wf.objective).toBe(9);
    expect(validateSlotAllocation(inst, wf.solution!)).toEqual([]);
    const milp = await solveSlotAllocationMilp(inst, opts(1));
    expect(milp).toMatchObject({ status: 'optimal', objective: 9, bestBound: 9, gap: 0 });
    expect(validateSlotAllocation(inst, milp.solution!)).toEqual([]);
  });
});

describe('slot allocation: MILP optimum equals water-filling', () => {
  it('on 220 seeded random instances (HiGHS), both validated', async () => {
    const rng = seededRng(20260101);
    let infeasible = 0;
    for (let k = 0; k < 220; k++) {
      const inst = randomInstance(rng, `random-${k}`, { minMax: k % 2 === 1 });
      const wf = await waterFillingSolver.solve(inst, { rng });
      const milp = await solveSlotAllocationMilp(inst, opts(k));
      expect(milp.status, inst.name).toBe(wf.status);
      if (wf.status === 'infeasible') {
        infeasible++;
        continue;
      }
      expect(validateSlotAllocation(inst, wf.solution!), inst.name).toEqual([]);
      expect(validateSlotAllocation(inst, milp.solution!), inst.name).toEqual([]);
      expect(milp.objective, inst.name).toBe(wf.objective);
      expect(slotAllocationObjective(inst, milp.solution!)).toBe(milp.objective);
    }
    expect(infeasible).toBe(0); // the generator never asks for more than is offered
  });

  it('on 25 instances with javascript-lp-solver too', async () => {
    const rng = seededRng(7);
    for (let k = 0; k < 25; k++) {
      const inst = randomInstance(rng, `lp-${k}`);
      const wf = await waterFillingSolver.solve(inst, { rng });
      const lp = await solveSlotAllocationMilp(inst, { rng, timeLimitMs: 10_000 }, 'lp-solver');
      expect(lp.status, inst.name).toBe('optimal');
      expect(validateSlotAllocation(inst, lp.solution!)).toEqual([]);
      expect(lp.objective, inst.name).toBe(wf.objective);
    }
  });
});

describe('slot allocation variants (MILP)', () => {
  /** Brute force over all grants of tiny instances: the reference optimum. */
  function bruteForce(inst: SlotAllocationInstance): number | undefined {
    const cells = inst.taskManagers.flatMap((tm) => inst.jobs.map((job) => ({ tm, job })));
    let best: number | undefined;
    const x = new Array<number>(cells.length).fill(0);
    const rec = (c: number): void => {
      if (c === cells.length) {
        const grants = cells.map((cell, i) => ({ taskManager: cell.tm.id, job: cell.job.id, slots: x[i]! }));
        if (validateSlotAllocation(inst, { grants }).length === 0) {
          const o = slotAllocationObjective(inst, { grants });
          if (best === undefined || o < best) best = o;
        }
        return;
      }
      const cell = cells[c]!;
      for (let v = 0; v <= Math.min(cell.tm.slotCount, cell.job.maxSlotsPerTaskManager, cell.job.maxSlots, 6); v++) {
        x[c] = v;
        rec(c + 1);
      }
    };
    rec(0);
    return best;
  }

  it('resource profiles and per-TaskManager caps agree with brute force on 30 tiny instances', async () => {
    const rng = seededRng(99);
    for (let k = 0; k < 30; k++) {
      const tms = Array.from({ length: rng.int(1, 3) }, (_, i) => ({
        id: `tm${i}`,
        slotCount: rng.int(1, 4),
        cpuCores: rng.int(1, 6),
        memoryBytes: rng.int(1, 6) * 1024,
      }));
      const jobs = Array.from({ length: rng.int(1, 2) }, (_, j) => ({
        id: `job${j}`,
        minSlots: rng.int(0, 2),
        maxSlots: rng.int(2, 5),
        ...(rng.next() < 0.5 ? { maxSlotsPerTaskManager: rng.int(1, 2) } : {}),
        slotProfile: { cpuCores: rng.int(0, 2), memoryBytes: rng.int(0, 2) * 1024 },
      }));
      const inst = createSlotAllocationInstance({ name: `profile-${k}`, taskManagers: tms, jobs });
      const expected = bruteForce(inst);
      const r = await solveSlotAllocationMilp(inst, opts(k));
      if (expected === undefined) {
        expect(r.status, inst.name).toBe('infeasible');
        expect(r.message).toMatch(/^Infeasible: /);
      } else {
        expect(r.status, inst.name).toBe('optimal');
        expect(validateSlotAllocation(inst, r.solution!)).toEqual([]);
        expect(r.objective, inst.name).toBe(expected);
      }
    }
    // water-filling refuses what it cannot prove
    const capped = createSlotAllocationInstance({
      name: 'capped',
      taskManagers: [{ id: 'tm', slotCount: 2 }],
      jobs: [{ id: 'j', slotDemand: 1, maxSlotsPerTaskManager: 1 }],
    });
    expect((await waterFillingSolver.solve(capped, { rng: seededRng(1) })).status).toBe('error');
  });

  it('more demand than slots is infeasible, with a sentence why', async () => {
    const inst = createSlotAllocationInstance(slotAllocationOverDemandSpec('too-much'));
    for (const r of [await slotAllocationMilp.solve(inst, opts(1)), await waterFillingSolver.solve(inst, { rng: seededRng(1) })]) {
      expect(r.status).toBe('infeasible');
      expect(r.message).toBe('Infeasible: the jobs need at least 5 slots in all but the TaskManagers offer 4.');
    }
  });
});
