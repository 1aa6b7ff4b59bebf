import { describe, expect, it } from 'vitest';
import { defaultMaxParallelism, flinkMurmurHash, keyGroupOf, keyGroupRange, operatorIndexOf, subtaskOfKey } from './key-groups.ts';

/**
 * Key groups as Flink defines them (KeyGroupRangeAssignment; Flink docs "Working with State", "Scaling"): the default
 * max parallelism is p + p/2 rounded up to a power of two within [128, 32768]; subtask i of p owns the key groups
 * ⌈i·max/p⌉ .. ⌈(i+1)·max/p⌉ − 1; a key group's owner is ⌊group·p/max⌋.
 */
describe('key groups (Flink KeyGroupRangeAssignment)', () => {
  it("Flink's default max parallelism: 128 up to p = 85, then powers of two, at most 32768", () => {
    expect([1, 2, 85, 86, 100, 171, 172, 1000, 30000].map(defaultMaxParallelism)).toEqual([128, 128, 128, 256, 256, 256, 512, 2048, 32768]);
  });

  it('128 key groups over 3 subtasks: [0, 42], [43, 85], [86, 127]; every group is owned by the subtask whose range holds it', () => {
    expect([0, 1, 2].map((i) => keyGroupRange(i, 128, 3))).toEqual([[0, 42], [43, 85], [86, 127]]);
    for (const p of [1, 2, 3, 4, 5, 7, 12])
      for (let g = 0; g < 128; g++) {
        const owner = operatorIndexOf(g, 128, p);
        const [first, last] = keyGroupRange(owner, 128, p);
        expect(g >= first && g <= last, `group ${g} of p ${p}`).toBe(true);
      }
  });

  it('murmur is non-negative and spreads consecutive hash codes over the key groups (10,000 codes, 128 groups: each 55..105)', () => {
    const counts = new Array<number>(128).fill(0);
    for (let code = -5000; code < 5000; code++) {
      expect(flinkMurmurHash(code)).toBeGreaterThanOrEqual(0);
      counts[keyGroupOf(code, 128)]!++;
    }
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(55);
    expect(Math.max(...counts)).toBeLessThanOrEqual(105);
    expect(flinkMurmurHash(-0x80000000)).toBeGreaterThanOrEqual(0);
  });

  it('a rescale moves whole key groups: from 2 to 3 subtasks, a key stays put or moves with its whole group', () => {
    const moved = new Map<number, string>();
    for (let code = 0; code < 2000; code++) {
      const g = keyGroupOf(code, 128);
      const move = `${subtaskOfKey(code, 128, 2)}->${subtaskOfKey(code, 128, 3)}`;
      if (moved.has(g)) expect(moved.get(g)).toBe(move);
      moved.set(g, move);
    }
    expect(moved.size).toBe(128);
  });
});
