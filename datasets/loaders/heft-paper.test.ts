import { describe, expect, it } from 'vitest';
import { dataPath } from '../paths.ts';
import { loadInstanceFile } from './index.ts';
import { HEFT_PAPER_FILE, heftPaperExpected, parseHeftFixture, readHeftFixture } from './heft-paper.ts';
import { validateDagPlacement } from '../../models/dag-placement/validator.ts';
import { evaluateDagPlacement } from '../../models/dag-placement/evaluate.ts';
import type { DagPlacementInstance } from '../../models/dag-placement/instance.ts';
import type { Schedule } from '../../models/solution.ts';

describe('the HEFT paper example (Topcuoglu, Hariri, Wu 2002, Fig. 2 and Fig. 4a)', () => {
  const loaded = loadInstanceFile(dataPath(HEFT_PAPER_FILE));
  const instance = loaded.instance as DagPlacementInstance;

  it('is recognised by content and has 10 tasks, 15 edges, 3 processors with one slot each, sequenced', () => {
    expect(loaded.format).toBe('heft-paper');
    expect(instance.kind).toBe('dag-placement');
    expect(instance.subtasks).toHaveLength(10);
    expect(instance.edges).toHaveLength(15);
    expect(instance.taskManagers.map((tm) => [tm.id, tm.slotCount])).toEqual([
      ['P1', 1],
      ['P2', 1],
      ['P3', 1],
    ]);
    expect(instance.variant).toBe('sequenced');
  });

  it('durations come from the cost table and transfers equal the comm costs (1 byte/ms, no latency)', () => {
    const n1 = instance.subtaskById.get('n1#0')!.index;
    expect([0, 1, 2].map((k) => instance.durationMs(n1, k))).toEqual([14, 16, 9]);
    const e = instance.edges.find((x) => instance.subtasks[x.from]!.id === 'n1#0' && instance.subtasks[x.to]!.id === 'n2#0')!;
    expect(instance.transferMs(e.index, 0, 1)).toBe(18);
    expect(instance.transferMs(e.index, 2, 2)).toBe(0);
  });

  it("the paper's HEFT schedule passes the validator and has makespan 80", () => {
    const expected = heftPaperExpected();
    expect(expected.heftMakespanMs).toBe(80);
    expect(expected.cpopMakespanMs).toBe(86);
    expect(validateDagPlacement(instance, expected.heftSchedule)).toEqual([]);
    expect(evaluateDagPlacement(instance, expected.heftSchedule).makespanMs).toBe(80);
  });

  it('starting n10 one ms early breaks precedence: it waits for n8 on P1 (ends 62) + comm 11 = 73', () => {
    const { heftSchedule } = heftPaperExpected();
    const early: Schedule = { assignments: heftSchedule.assignments.map((a) => (a.subtask === 'n10#0' ? { ...a, startMs: 72, endMs: 79 } : a)) };
    const violations = validateDagPlacement(instance, early);
    expect(violations.map((v) => v.constraint)).toContain('precedence');
    expect(violations.some((v) => v.message.includes('n8#0') && v.message.includes('n10#0'))).toBe(true);
  });

  it('a cost list of the wrong length is refused with its path', () => {
    const fixture = structuredClone(readHeftFixture()) as { tasks: Array<{ cost: number[] }> };
    fixture.tasks[3]!.cost = [1, 2];
    expect(() => parseHeftFixture(fixture, 'h.json')).toThrow('h.json: $.tasks[3].cost should be 3 costs, one per processor (P1, P2, P3), got [1,2]');
  });
});
