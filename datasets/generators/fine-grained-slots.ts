import { z } from 'zod';
import type { Rng } from '../../models/rng.ts';
import type { SlotAllocationSpec } from '../../models/slot-allocation/instance.ts';
import { deriveTaskManagerMemoryFromConfig } from '../../models/memory/task-manager-memory.ts';
import { addProfiles, defaultSlotProfile, fitsWithin, subtractProfiles, scaleProfile, taskManagerResources, type ResourceProfile } from '../../models/resources/profile.ts';
import { parseWithSchema } from '../loaders/schema.ts';
import { intRange, probability, sampleInt } from './sampling.ts';

const MIB = 1048576;

/**
 * Multi-profile fine-grained workload (slot allocation with resource profiles, docs/memory.md "Fine-grained
 * resources"): `taskManagers` TaskManagers, each of a process size drawn from `processSizesMb` (its task heap,
 * task off-heap, managed and network memory derived as Flink derives them, models/memory) and CPU cores from
 * `cpuCores`, cutting slots dynamically (a share `fixedShare` offers fixed equal slots instead); `profiles` distinct
 * slot profiles (CPU from {0.25, 0.5, 1, 2} cores, task heap 64–768 MiB and managed 0–768 MiB in 64 MiB steps,
 * network 32 or 64 MiB); jobs (each one profile) ask for slots until about `load` of the cluster's CPU or memory
 * is asked for. Feasible by construction: every slot is placed, while generating, on a TaskManager chosen at
 * random among those it fits (a witness no solver sees), so neither first fit nor best fit is favoured.
 */
export const fineGrainedSlotsParams = z.strictObject({
  taskManagers: intRange(1).default([3, 6]),
  processSizesMb: z.array(z.number().int().min(1024), { error: 'a list of process sizes in MiB, each >= 1024' }).min(1).default([4096, 8192, 16384]),
  cpuCores: z.array(z.number().positive(), { error: 'a list of CPU core counts > 0' }).min(1).default([2, 4, 8]),
  slotsPerTaskManager: intRange(1).default(32),
  fixedShare: probability().default(0),
  profiles: intRange(1).default([2, 4]),
  jobs: intRange(1).default([3, 8]),
  load: probability().default(0.75),
});
export type FineGrainedSlotsParams = z.input<typeof fineGrainedSlotsParams>;

export function fineGrainedSlots(rng: Rng, params: FineGrainedSlotsParams = {}, source = 'fine-grained-slots', name = source): SlotAllocationSpec {
  const p = parseWithSchema(fineGrainedSlotsParams, params, source, ['params']);
  const pick = <T>(list: readonly T[]): T => list[rng.int(0, list.length - 1)]!;
  const taskManagers = Array.from({ length: sampleInt(rng, p.taskManagers) }, (_, i) => {
    const memory = deriveTaskManagerMemoryFromConfig([{ key: 'taskmanager.memory.process.size', value: `${pick(p.processSizesMb)}m`, source }]);
    return {
      id: `tm${i + 1}`,
      slotCount: sampleInt(rng, p.slotsPerTaskManager),
      resources: taskManagerResources(memory, pick(p.cpuCores)),
      slotCutting: rng.next() < p.fixedShare ? ('fixed' as const) : ('dynamic' as const),
    };
  });
  const steps = (lo: number, hi: number) => rng.int(lo, hi) * 64 * MIB;
  const profiles: ResourceProfile[] = Array.from({ length: sampleInt(rng, p.profiles) }, () => ({
    cpuCores: pick([0.25, 0.5, 1, 2]),
    taskHeapBytes: steps(1, 12),
    taskOffHeapBytes: 0,
    managedBytes: steps(0, 12),
    networkBytes: pick([32, 64]) * MIB,
  }));
  // the witness: what each TaskManager has left (fixed: free slots of its default profile)
  const left = taskManagers.map((tm) => tm.resources);
  const slotsLeft = taskManagers.map((tm) => tm.slotCount);
  const slotOf = (i: number) => defaultSlotProfile(taskManagers[i]!.resources, taskManagers[i]!.slotCount);
  const fits = (i: number, r: ResourceProfile) => slotsLeft[i]! > 0 && (taskManagers[i]!.slotCutting === 'fixed' ? fitsWithin(r, slotOf(i)) : fitsWithin(r, left[i]!));
  const total = taskManagers.reduce((t, tm) => addProfiles(t, tm.resources), scaleProfile(taskManagers[0]!.resources, 0));
  let asked = scaleProfile(total, 0);
  const jobCount = sampleInt(rng, p.jobs);
  const jobs: { id: string; slotDemand: number; resourceProfile: ResourceProfile }[] = [];
  const full = () => asked.cpuCores >= p.load * total.cpuCores || memory(asked) >= p.load * memory(total);
  for (let j = 0; !full() && jobs.length < jobCount * 4 && j < jobCount * 8; j++) {
    const profile = pick(profiles);
    const want = rng.int(1, 6);
    let got = 0;
    for (let k = 0; k < want && !full(); k++) {
      const candidates = taskManagers.map((_, i) => i).filter((i) => fits(i, profile));
      if (candidates.length === 0) break;
      const i = pick(candidates);
      slotsLeft[i] = slotsLeft[i]! - 1;
      left[i] = subtractProfiles(left[i]!, taskManagers[i]!.slotCutting === 'fixed' ? slotOf(i) : profile);
      asked = addProfiles(asked, profile);
      got++;
    }
    if (got > 0) jobs.push({ id: `job${jobs.length + 1}`, slotDemand: got, resourceProfile: profile });
  }
  return { name, taskManagers, jobs };
}

function memory(p: ResourceProfile): number {
  return p.taskHeapBytes + p.taskOffHeapBytes + p.managedBytes + p.networkBytes;
}

