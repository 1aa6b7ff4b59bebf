/**
 * Fine-grained slot allocation with the least stranded resources, as a MILP: every constraint of the slot
 * allocation model (formulateSlotAllocation, including the resource rows of dynamic slot cutting and the fixed-slot
 * bounds), with the objective replaced by the stranded share (models/resources, `strandedOn`):
 *
 *   min Σ_i sc_i / C + sm_i / M          (C, M: CPU cores and memory bytes of the TaskManagers with resources)
 *   dynamic TaskManager i, candidate profiles c (the jobs' slot profiles on i), u_ic, w_i ∈ {0, 1}:
 *     Σ_j r_ijd x_ij + c_d u_ic ≤ R_id  ∀d         (u_ic = 1 only if c still fits into what i has left)
 *     Σ_j x_ij + u_ic ≤ a_i                        (… and a slot number is left)
 *     w_i ≤ Σ_c u_ic                               (w_i = 1: what is left is usable)
 *     sc_i ≥ R_i,cpu − Σ_j r_ij,cpu x_ij − R_i,cpu w_i,   sm_i ≥ (same over the memory dimensions)
 *   fixed TaskManager i (slot profile s_i): sc_i, sm_i = Σ_j x_ij (s_i − r_ij) + [no candidate fits s_i] (a_i − Σ_j x_ij) s_i
 *
 * When w_i = 0 the stranded amount is everything left; when w_i = 1 it may be 0, which the minimisation chooses.
 * Memory rows are written in MiB (bytes / 2^20) so that the coefficients stay near the CPU rows'.
 */
import { LinearExpr, lessEq, greaterEq, equalTo, type Formulation } from '../milp/index.ts';
import { formulateSlotAllocation } from './formulation.ts';
import { requestProfileOn, type SlotAllocation, type SlotAllocationInstance, type SlotAllocationTaskManager } from './instance.ts';
import { defaultSlotProfile, fitsWithin, memoryBytesOf, RESOURCE_DIMENSIONS, type ResourceProfile } from '../resources/profile.ts';

const MIB = 1048576;

export function formulateMinStranded(instance: SlotAllocationInstance): Formulation<SlotAllocation> {
  const { model: m, decode, x } = formulateSlotAllocation(instance);
  const profiled = instance.taskManagers.filter((tm): tm is SlotAllocationTaskManager & { resources: ResourceProfile } => tm.resources !== undefined);
  const allCpu = profiled.reduce((t, tm) => t + tm.resources.cpuCores, 0);
  const allMemoryMib = profiled.reduce((t, tm) => t + memoryBytesOf(tm.resources), 0) / MIB;
  const scale = (d: (typeof RESOURCE_DIMENSIONS)[number]) => (d === 'cpuCores' ? 1 : 1 / MIB);
  const sc = m.continuousVars('strandedCpu', profiled, { min: 0 });
  const sm = m.continuousVars('strandedMemoryMib', profiled, { min: 0 });
  for (const tm of profiled) {
    const profileOf = (j: number) => requestProfileOn(instance.jobs[j]!, tm);
    const cpuUsed = new LinearExpr();
    const memUsedMib = new LinearExpr();
    const slotsUsed = new LinearExpr();
    instance.jobs.forEach((job, j) => {
      const v = x.get(tm, job);
      if (v === undefined) return;
      cpuUsed.add(v, profileOf(j).cpuCores);
      memUsedMib.add(v, memoryBytesOf(profileOf(j)) / MIB);
      slotsUsed.add(v);
    });
    const candidates = distinct(instance.jobs.map((_, j) => profileOf(j)));
    if (tm.slotCutting === 'fixed') {
      const slot = defaultSlotProfile(tm.resources, tm.slotCount);
      const freeStranded = !candidates.some((c) => fitsWithin(c, slot));
      // stranded = slots used × slot − what they hold (+ free slots × slot when nothing fits a slot)
      const cpu = new LinearExpr().add(slotsUsed, slot.cpuCores).sub(cpuUsed);
      const mem = new LinearExpr().add(slotsUsed, memoryBytesOf(slot) / MIB).sub(memUsedMib);
      if (freeStranded) {
        cpu.add(new LinearExpr().add(tm.slotCount).sub(slotsUsed), slot.cpuCores);
        mem.add(new LinearExpr().add(tm.slotCount).sub(slotsUsed), memoryBytesOf(slot) / MIB);
      }
      m.constrain(`stranded-cpu[${tm.id}]`, new LinearExpr().add(sc(tm)).sub(cpu), equalTo(0));
      m.constrain(`stranded-memory[${tm.id}]`, new LinearExpr().add(sm(tm)).sub(mem), equalTo(0));
      continue;
    }
    const u = m.binaryVars(`fits[${tm.id}]`, candidates.map((_, c) => c));
    const w = m.binaryVars(`usable[${tm.id}]`, [0]);
    candidates.forEach((c, k) => {
      for (const d of RESOURCE_DIMENSIONS) {
        if (c[d] <= 0) continue;
        const use = new LinearExpr();
        instance.jobs.forEach((job, j) => {
          const v = x.get(tm, job);
          if (v !== undefined) use.add(v, profileOf(j)[d] * scale(d));
        });
        m.constrain(`fits[${tm.id},${k},${d}]`, use.add(u(k), c[d] * scale(d)), lessEq(tm.resources[d] * scale(d)));
      }
      m.constrain(`fits-slot[${tm.id},${k}]`, new LinearExpr().add(slotsUsed).add(u(k)), lessEq(tm.slotCount));
    });
    const anyFits = new LinearExpr();
    candidates.forEach((_, k) => anyFits.add(u(k)));
    m.constrain(`usable[${tm.id}]`, new LinearExpr().add(w(0)).sub(anyFits), lessEq(0));
    const memTotalMib = memoryBytesOf(tm.resources) / MIB;
    m.constrain(`stranded-cpu[${tm.id}]`, new LinearExpr().add(sc(tm)).add(cpuUsed).add(w(0), tm.resources.cpuCores), greaterEq(tm.resources.cpuCores));
    m.constrain(`stranded-memory[${tm.id}]`, new LinearExpr().add(sm(tm)).add(memUsedMib).add(w(0), memTotalMib), greaterEq(memTotalMib));
  }
  const objective = new LinearExpr();
  for (const tm of profiled) {
    if (allCpu > 0) objective.add(sc(tm), 1 / allCpu);
    if (allMemoryMib > 0) objective.add(sm(tm), 1 / allMemoryMib);
  }
  m.minimize(objective);
  return { model: m, decode };
}

function distinct(profiles: readonly ResourceProfile[]): ResourceProfile[] {
  const seen = new Map<string, ResourceProfile>();
  for (const p of profiles) seen.set(RESOURCE_DIMENSIONS.map((d) => p[d]).join(','), p);
  return [...seen.values()];
}

