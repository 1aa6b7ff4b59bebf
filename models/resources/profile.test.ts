import { describe, expect, it } from 'vitest';
import { deriveTaskManagerMemoryFromConfig } from '../memory/task-manager-memory.ts';
import { seededRng } from '../rng.ts';
import { canCutSlot, cutSlotsReason, defaultSlotProfile, fitsWithin, memoryBytesOf, strandedOn, subtractProfiles, addProfiles, taskManagerResources, ZERO_PROFILE, type ResourceProfile } from './profile.ts';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
const mem = (cpuCores: number, heapBytes: number): ResourceProfile => ({ ...ZERO_PROFILE, cpuCores, taskHeapBytes: heapBytes });

describe('resource profiles (Flink 1.20, "Fine-Grained Resource Management", How it works)', () => {
  // The page's example: a TaskManager of 1 core and 4 GB with numberOfTaskSlots 2; a request of 0.25 core and 1 GB
  // gets slot 1 cut exactly; a request without a profile gets the default slot (0.5 core, 2 GB); 0.25 core and 1 GB
  // stay available for further requests.
  const tm = { id: 'tm', slotCount: 2, resources: mem(1, 4 * GIB), slotCutting: 'dynamic' as const };
  it('default slot profile = total / numberOfTaskSlots', () => {
    expect(defaultSlotProfile(tm.resources, 2)).toEqual(mem(0.5, 2 * GIB));
  });
  it('cuts slot 1 (0.25 core, 1 GB) and slot 2 (the default profile), leaving 0.25 core and 1 GB', () => {
    const slots = [mem(0.25, GIB), defaultSlotProfile(tm.resources, 2)];
    expect(cutSlotsReason(tm, slots)).toBeUndefined();
    expect(subtractProfiles(tm.resources, slots.reduce(addProfiles, ZERO_PROFILE))).toEqual(mem(0.25, GIB));
    // a third slot needs a third slot number: with numberOfTaskSlots 2 the rest is stranded for slotlab (docs/memory.md)
    expect(cutSlotsReason(tm, [...slots, mem(0.25, GIB)])).toMatch(/3 slots but has 2/);
    expect(cutSlotsReason({ ...tm, slotCount: 3 }, [...slots, mem(0.5, GIB)])).toMatch(/short in cpuCores/);
  });
  it('stranded: what is left that no request profile fits', () => {
    const big = { ...tm, slotCount: 4 };
    const held = [mem(0.25, GIB), mem(0.5, 2 * GIB)];
    expect(strandedOn(big, held, [mem(0.25, GIB)])).toEqual(ZERO_PROFILE);
    expect(strandedOn(big, held, [mem(0.5, 512 * MIB)])).toEqual(mem(0.25, GIB));
    // fixed slots: the unused part of each occupied slot is stranded
    const fixed = { ...tm, slotCutting: 'fixed' as const };
    expect(strandedOn(fixed, [mem(0.25, GIB)], [mem(0.25, GIB)])).toEqual(mem(0.25, GIB));
    expect(fitsWithin(mem(0.75, GIB), defaultSlotProfile(fixed.resources, 2))).toBe(false);
  });
  it("a TaskManager's total resources are task heap, task off-heap, managed and network of its derived memory", () => {
    // Flink's shipped default (process 1728m): task heap 402653174, managed 536870920, network 134217730 bytes
    const m = deriveTaskManagerMemoryFromConfig([{ key: 'taskmanager.memory.process.size', value: '1728m', source: 'test' }]);
    const total = taskManagerResources(m, 1);
    expect(total).toEqual({ cpuCores: 1, taskHeapBytes: 402653174, taskOffHeapBytes: 0, managedBytes: 536870920, networkBytes: 134217730 });
    expect(memoryBytesOf(total)).toBe(402653174 + 536870920 + 134217730);
  });
});

describe('canCutSlot: the fits rule one slot at a time', () => {
  it("the page's example: after slot 1 (0.25 core, 1 GB) a default slot can be cut, then 0.5 core no more", () => {
    const tm = { id: 'tm', slotCount: 4, resources: mem(1, 4 * GIB), slotCutting: 'dynamic' as const };
    expect(canCutSlot(tm, mem(0.25, GIB), mem(0.5, 2 * GIB))).toBe(true);
    expect(canCutSlot(tm, mem(0.75, 3 * GIB), mem(0.5, GIB))).toBe(false);
    expect(canCutSlot(tm, mem(0.75, 3 * GIB), mem(0.25, GIB))).toBe(true);
  });

  it('agrees with cutSlotsReason on every prefix of random slot sequences, fixed and dynamic', () => {
    const rng = seededRng(12);
    for (let trial = 0; trial < 200; trial++) {
      const tm = { id: 'tm', slotCount: 64, resources: mem(rng.int(1, 8), rng.int(1, 16) * GIB), slotCutting: rng.next() < 0.5 ? ('fixed' as const) : ('dynamic' as const) };
      const cut: ResourceProfile[] = [];
      for (let i = 0; i < 12; i++) {
        const request = mem(rng.int(1, 8) * 0.25, rng.int(1, 16) * 256 * MIB);
        const incremental = canCutSlot(tm, cut.reduce(addProfiles, ZERO_PROFILE), request);
        expect(incremental).toBe(cutSlotsReason(tm, [...cut, request]) === undefined);
        if (incremental) cut.push(request);
      }
    }
  });
});
