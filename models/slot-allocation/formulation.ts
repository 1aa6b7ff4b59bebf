/**
 * The slot allocation model as a MILP, with the quadratic objective linearised exactly.
 *
 *   min Σ_i f_i²
 *   s.t. Σ_j x_ij + f_i = a_i                      ∀ TaskManager i     (free slots f_i ≥ 0)
 *        minSlots_j ≤ Σ_i x_ij ≤ maxSlots_j          ∀ job j
 *        x_ij ≤ maxSlotsPerTaskManager_j             (bound)
 *        Σ_j cpu_j x_ij ≤ cpu_i,  Σ_j mem_j x_ij ≤ mem_i   (slot profiles, when given)
 *        Σ_j r_ijd x_ij ≤ R_id  ∀ dimension d            (fine-grained, dynamic slot cutting: `resourceRows`)
 *        x_ij = 0 when r_ij does not fit a fixed slot     (fine-grained, fixed slots)
 *        x_ij ∈ ℤ≥0
 *
 * Exact unary linearisation of f_i²: f_i = Σ_{k=1..a_i} y_ik with y_ik ∈ {0,1} and
 * objective Σ_i Σ_k (2k − 1) y_ik. Because the weights 2k − 1 increase in k, an
 * optimal y fills the first f_i units, and Σ_{k≤f}(2k − 1) = f². The ordering rows
 * y_ik ≥ y_i,k+1 are added as well: they make every feasible point (not only the
 * optimal ones) read f² exactly, which helps the LP relaxation and the MIP start.
 */
import { LinearExpr, LinearModel, equalTo, inRange, lessEq, sum, type Formulation } from '../milp/index.ts';
import { fixedSlotFits, requestProfileOn, type SlotAllocation, type SlotAllocationInstance, type SlotAllocationJob, type SlotAllocationTaskManager } from './instance.ts';
import { RESOURCE_DIMENSIONS } from '../resources/profile.ts';
import type { VarFamily } from '../milp/index.ts';

/** The x family of the slot allocation formulation, for formulations that extend it (formulation-stranded.ts). */
export interface SlotAllocationVariables {
  readonly x: VarFamily<[SlotAllocationTaskManager, SlotAllocationJob]>;
}

export function formulateSlotAllocation(instance: SlotAllocationInstance): Formulation<SlotAllocation> & SlotAllocationVariables {
  const m = new LinearModel(`slot-allocation:${instance.name}`, 'minimize');
  const tms = instance.taskManagers;
  const jobs = instance.jobs;
  // x(i, j): slots of TaskManager i granted to job j
  const x = m.intVars('x', tms, jobs, {
    bounds: (tm, job) => ({ min: 0, max: fixedSlotFits(tm, job) ? Math.min(tm.slotCount, job.maxSlotsPerTaskManager, job.maxSlots) : 0 }),
  });
  resourceRows(m, instance, x);
  // y(i, k) = 1 when TaskManager i has at least k free slots (k = 1..a_i)
  const units = (tm: SlotAllocationTaskManager): number[] => Array.from({ length: tm.slotCount }, (_, k) => k + 1);
  const allUnits = Array.from({ length: Math.max(0, ...tms.map((tm) => tm.slotCount)) }, (_, k) => k + 1);
  const y = m.binaryVars('free', tms, allUnits, { where: (tm, k) => k <= tm.slotCount });

  for (const tm of tms) {
    const used = sum(jobs.map((job) => x(tm, job)));
    const free = sum(units(tm).map((k) => y(tm, k)));
    m.constrain(`capacity[${tm.id}]`, used.add(free), equalTo(tm.slotCount));
    for (let k = 1; k < tm.slotCount; k++) m.constrain(`free-order[${tm.id},${k}]`, new LinearExpr().add(y(tm, k + 1)).sub(y(tm, k)), lessEq(0));
    const profiled = jobs.filter((j): j is SlotAllocationJob & { slotProfile: NonNullable<SlotAllocationJob['slotProfile']> } => j.slotProfile !== undefined);
    if (profiled.length > 0 && Number.isFinite(tm.cpuCores)) {
      const cpu = new LinearExpr();
      for (const j of profiled) cpu.add(x(tm, j), j.slotProfile.cpuCores);
      m.constrain(`cpu[${tm.id}]`, cpu, lessEq(tm.cpuCores));
    }
    if (profiled.length > 0 && Number.isFinite(tm.memoryBytes)) {
      const mem = new LinearExpr();
      for (const j of profiled) mem.add(x(tm, j), j.slotProfile.memoryBytes);
      m.constrain(`memory[${tm.id}]`, mem, lessEq(tm.memoryBytes));
    }
  }
  for (const job of jobs) {
    m.constrain(`demand[${job.id}]`, sum(tms.map((tm) => x(tm, job))), inRange(job.minSlots, job.maxSlots));
  }
  const objective = new LinearExpr();
  for (const v of y.vars()) objective.add(v, 2 * (v.key[1] as number) - 1);
  m.minimize(objective);

  return {
    model: m,
    x,
    decode: (values) => ({
      grants: x
        .entries(values)
        .filter(([, , slots]) => slots > 0.5)
        .map(([tm, job, slots]) => ({ taskManager: tm.id, job: job.id, slots: Math.round(slots) })),
    }),
  };
}

/** Fine-grained, dynamic slot cutting: Σ_j r_ijd x_ij ≤ R_id for every TaskManager with resources and dimension d. */
export function resourceRows(m: LinearModel, instance: SlotAllocationInstance, x: VarFamily<[SlotAllocationTaskManager, SlotAllocationJob]>): void {
  for (const tm of instance.taskManagers) {
    if (tm.resources === undefined || tm.slotCutting !== 'dynamic') continue;
    const total = tm.resources;
    for (const d of RESOURCE_DIMENSIONS) {
      // memory in MiB (bytes / 2^20): coefficients near the CPU rows' keep the backends' tolerances meaningful
      const unit = d === 'cpuCores' ? 1 : 1048576;
      const use = new LinearExpr();
      for (const job of instance.jobs) use.add(x(tm, job), requestProfileOn(job, { ...tm, resources: total })[d] / unit);
      m.constrain(`resources[${tm.id},${d}]`, use, lessEq(total[d] / unit));
    }
  }
}
