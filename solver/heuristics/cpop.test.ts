import { describe, expect, it } from 'vitest';
import { createDagPlacementInstance } from '../../models/dag-placement/instance.ts';
import { validateDagPlacement } from '../../models/dag-placement/validator.ts';
import { seededRng } from '../../models/rng.ts';
import { heftFixtureDagPlacementSpec, heftPaperExpected, readHeftFixture } from '../../datasets/loaders/heft-paper.ts';
import { cpop, criticalPath } from './cpop.ts';
import { averageCosts, downwardRankMs, upwardRankMs } from './common/ranks.ts';

// CPOP on the HEFT paper example (Topcuoglu, Hariri, Wu, IEEE TPDS 2002, Fig. 4b: makespan 86).
const fixture = readHeftFixture();
const instance = createDagPlacementInstance(heftFixtureDagPlacementSpec(fixture));
const cpopExpected = fixture.expected!['cpop']! as { makespan: number; rank_d: Record<string, number>; critical_path: string[]; critical_path_processor: string };

describe('CPOP on the HEFT paper example', () => {
  it('downward ranks and the critical path n1-n2-n9-n10 (|CP| = 108)', () => {
    const costs = averageCosts(instance);
    const up = upwardRankMs(instance, costs);
    const down = downwardRankMs(instance, costs);
    for (const [task, value] of Object.entries(cpopExpected.rank_d)) expect(down[instance.subtaskById.get(`${task}#0`)!.index]).toBeCloseTo(value, 2);
    const priority = up.map((u, s) => u + down[s]!);
    const onPath = criticalPath(instance, priority);
    const path = instance.subtasks.filter((s) => onPath[s.index] === 1).map((s) => s.operatorId);
    expect(path).toEqual(cpopExpected.critical_path);
    expect(priority[instance.subtaskById.get('n1#0')!.index]).toBeCloseTo(108, 6);
  });

  it('makespan 86 (the published figure), critical path on P2, valid', async () => {
    const result = await cpop.solve(instance, { rng: seededRng(1) });
    expect(result.status).toBe('feasible');
    expect(validateDagPlacement(instance, result.solution!)).toEqual([]);
    expect(result.objective).toBe(heftPaperExpected().cpopMakespanMs);
    expect(result.objective).toBe(86);
    for (const task of cpopExpected.critical_path)
      expect(result.solution!.assignments.find((a) => a.subtask === `${task}#0`)!.taskManager).toBe(cpopExpected.critical_path_processor);
  });
});
