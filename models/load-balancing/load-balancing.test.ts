import { describe, expect, it } from 'vitest';
import { createLoadBalancingInstance, evaluateLoadBalancing } from './instance.ts';
import { validateLoadBalancing } from './validator.ts';
import { balanceMetrics } from '../metrics.ts';

describe('load balancing model', () => {
  const instance = createLoadBalancingInstance({
    name: 'two-speeds',
    taskManagers: [{ id: 'slow', slotCount: 3 }, { id: 'fast', speedFactor: 2, memoryBytes: 100 }],
    tasks: [
      { id: 'a', load: 4, currentTaskManager: 'slow' },
      { id: 'b', load: 6, memoryBytes: 60, currentTaskManager: 'slow' },
      { id: 'c', load: 8, memoryBytes: 60 },
    ],
    migrationCostMs: 1,
  });

  it('utilisation = load / speed; squared deviation against the ideal', () => {
    const e = evaluateLoadBalancing(instance, { assignments: [{ task: 'a', taskManager: 'slow' }, { task: 'b', taskManager: 'fast' }, { task: 'c', taskManager: 'slow' }] });
    expect(e.utilizationMs).toEqual([12, 3]);
    expect(e.maxUtilizationMs).toBe(12);
    // ideal = 18 / 3 = 6: (12-6)^2 + (3-6)^2 = 45
    expect(e.squaredDeviation).toBe(45);
    expect(e.migrations).toBe(1);
    expect(e.objective).toBe(12);
  });

  it('the validator checks slots and memory and that every task is placed once', () => {
    const v = validateLoadBalancing(instance, { assignments: [{ task: 'b', taskManager: 'fast' }, { task: 'c', taskManager: 'fast' }, { task: 'c', taskManager: 'slow' }] });
    expect(v.map((x) => x.message)).toEqual([
      'c is assigned more than once',
      'a is not assigned to any TaskManager',
      'fast holds tasks needing 120 bytes of memory but has 100',
    ]);
  });
});

describe('balance metrics', () => {
  it("Jain's index, max/mean and coefficient of variation on known values", () => {
    const m = balanceMetrics([1, 2, 3, 4]);
    expect(m.mean).toBe(2.5);
    expect(m.maxOverMean).toBeCloseTo(1.6, 12);
    expect(m.jainIndex).toBeCloseTo(100 / (4 * 30), 12); // (Σx)² / (n Σx²)
    expect(m.coefficientOfVariation).toBeCloseTo(Math.sqrt(1.25) / 2.5, 12);
    expect(balanceMetrics([5, 5, 5]).jainIndex).toBe(1);
    expect(balanceMetrics([1, 0, 0, 0]).jainIndex).toBe(0.25);
  });
});
