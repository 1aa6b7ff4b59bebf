import { describe, expect, it } from 'vitest';
import { createSlotAllocationInstance, slotAllocationObjective } from './instance.ts';
import { validateSlotAllocation } from './validator.ts';
import { InvalidInstanceError } from '../errors.ts';

describe('slot allocation model', () => {
  const instance = createSlotAllocationInstance({
    name: 'three-tms',
    taskManagers: [
      { id: 'tm1', slotCount: 4 },
      { id: 'tm2', slotCount: 4 },
      { id: 'tm3', slotCount: 2 },
    ],
    jobs: [
      { id: 'j1', slotDemand: 3 },
      { id: 'j2', minSlots: 2, maxSlots: 4, maxSlotsPerTaskManager: 2 },
    ],
  });

  it('objective = sum of squared free slots', () => {
    // tm1: 2+1 used -> 1 free, tm2: 1+1 -> 2 free, tm3: 0 -> 2 free: 1 + 4 + 4 = 9
    const allocation = { grants: [
      { taskManager: 'tm1', job: 'j1', slots: 2 }, { taskManager: 'tm2', job: 'j1', slots: 1 },
      { taskManager: 'tm1', job: 'j2', slots: 1 }, { taskManager: 'tm2', job: 'j2', slots: 1 },
    ] };
    expect(validateSlotAllocation(instance, allocation)).toEqual([]);
    expect(slotAllocationObjective(instance, allocation)).toBe(9);
  });

  it('reports capacity, demand, per-TaskManager and integrality violations', () => {
    const bad = { grants: [
      { taskManager: 'tm3', job: 'j1', slots: 3 },
      { taskManager: 'tm1', job: 'j2', slots: 3 },
      { taskManager: 'tm2', job: 'j2', slots: 1.5 },
      { taskManager: 'tm9', job: 'j2', slots: 1 },
    ] };
    const v = validateSlotAllocation(instance, bad);
    expect(v.map((x) => x.constraint).sort()).toEqual(['capacity', 'grant', 'integrality', 'per-taskmanager']);
    expect(v.find((x) => x.constraint === 'capacity')!.message).toBe('tm3 grants 3 slots but has 2');
    const short = validateSlotAllocation(instance, { grants: [{ taskManager: 'tm1', job: 'j1', slots: 1 }] });
    expect(short.map((x) => x.message)).toEqual(['job j1 gets 1 slots but needs exactly 3', 'job j2 gets 0 slots but needs between 2 and 4']);
  });

  it('slot profiles cap CPU and memory', () => {
    const profiled = createSlotAllocationInstance({
      name: 'profiles',
      taskManagers: [{ id: 'tm1', slotCount: 4, cpuCores: 2, memoryBytes: 1000 }],
      jobs: [{ id: 'j1', slotDemand: 3, slotProfile: { cpuCores: 1, memoryBytes: 300 } }],
    });
    const v = validateSlotAllocation(profiled, { grants: [{ taskManager: 'tm1', job: 'j1', slots: 3 }] });
    expect(v.map((x) => x.constraint)).toEqual(['cpu']);
  });

  it('refuses a negative demand naming the field', () => {
    expect(() => createSlotAllocationInstance({ name: 'x.json', taskManagers: [{ id: 'a', slotCount: 1 }], jobs: [{ id: 'j', slotDemand: -1 }] })).toThrow(InvalidInstanceError);
    expect(() => createSlotAllocationInstance({ name: 'x.json', taskManagers: [{ id: 'a', slotCount: 1 }], jobs: [{ id: 'j', slotDemand: -1 }] })).toThrow('x.json: jobs[0].slotDemand: should be an integer >= 0, got -1');
  });
});
