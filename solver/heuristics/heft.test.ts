import { describe, expect, it } from 'vitest';
import { createDagPlacementInstance, type DagPlacementSpec } from '../../models/dag-placement/instance.ts';
import { validateDagPlacement } from '../../models/dag-placement/validator.ts';
import { seededRng } from '../../models/rng.ts';
import { heftFixtureDagPlacementSpec, heftPaperExpected, readHeftFixture } from '../../datasets/loaders/heft-paper.ts';
import { heft } from './heft.ts';
import { averageCosts, upwardRankMs } from './common/ranks.ts';

// The running example of H. Topcuoglu, S. Hariri, M.-Y. Wu, IEEE TPDS 13(3):260-274, 2002 (Fig. 2 DAG and
// cost table, Fig. 4a HEFT schedule, makespan 80), from datasets/data/heft-fixtures/.
const fixture = readHeftFixture();
const expected = heftPaperExpected();
const spec = heftFixtureDagPlacementSpec(fixture);
const instance = createDagPlacementInstance(spec);

describe('HEFT on the HEFT paper example (Topcuoglu et al. 2002)', () => {
  it('upward ranks are the paper\'s (n3 and n4 tie at 80)', () => {
    const rank = upwardRankMs(instance, averageCosts(instance));
    for (const [task, value] of Object.entries(fixture.expected!['heft']!['rank_u'] as Record<string, number>))
      expect(rank[instance.subtaskById.get(`${task}#0`)!.index]).toBeCloseTo(value, 2);
  });

  it('makespan 80 with the published schedule (Fig. 4a), and the validator agrees', async () => {
    const result = await heft.solve(instance, { rng: seededRng(1) });
    expect(result.status).toBe('feasible');
    expect(validateDagPlacement(instance, result.solution!)).toEqual([]);
    expect(result.objective).toBe(expected.heftMakespanMs);
    expect(result.objective).toBe(80);
    const got = new Map(result.solution!.assignments.map((a) => [a.subtask, a]));
    for (const want of expected.heftSchedule.assignments) {
      const a = got.get(want.subtask)!;
      expect([a.subtask, a.taskManager, a.startMs, a.endMs]).toEqual([want.subtask, want.taskManager, want.startMs, want.endMs]);
    }
  });

  it('does not depend on the order of the n3/n4 tie: listing n4 before n3 gives the same schedule', async () => {
    const ops = spec.job.operators;
    const swapped: DagPlacementSpec = {
      ...spec,
      job: { ...spec.job, operators: [ops[0]!, ops[1]!, ops[3]!, ops[2]!, ...ops.slice(4)], edges: [...spec.job.edges].reverse() },
    };
    const other = createDagPlacementInstance(swapped);
    const n3 = other.subtaskById.get('n3#0')!.index;
    const n4 = other.subtaskById.get('n4#0')!.index;
    expect(n4).toBeLessThan(n3); // the tie is now broken the other way
    const result = await heft.solve(other, { rng: seededRng(1) });
    expect(validateDagPlacement(other, result.solution!)).toEqual([]);
    expect(result.objective).toBe(80);
    const got = new Map(result.solution!.assignments.map((a) => [a.subtask, `${a.taskManager} ${a.startMs}-${a.endMs}`]));
    for (const want of expected.heftSchedule.assignments) expect(got.get(want.subtask)).toBe(`${want.taskManager} ${want.startMs}-${want.endMs}`);
  });

  it('also places the example under shared and exclusive (valid schedules), and says infeasible when slots run out', async () => {
    const shared = await heft.solve(instance, { rng: seededRng(1), variant: 'shared' });
    expect(validateDagPlacement(instance, shared.solution!, 'shared')).toEqual([]);
    const wide = createDagPlacementInstance({ ...spec, cluster: { ...spec.cluster, taskManagers: spec.cluster.taskManagers.map((tm) => ({ ...tm, slotCount: 4 })) } });
    const exclusive = await heft.solve(wide, { rng: seededRng(1), variant: 'exclusive' });
    expect(validateDagPlacement(wide, exclusive.solution!, 'exclusive')).toEqual([]);
    const tooSmall = await heft.solve(instance, { rng: seededRng(1), variant: 'exclusive' });
    expect(tooSmall.status).toBe('infeasible');
    expect(tooSmall.message).toMatch(/10 subtasks but the cluster has 3 slots/);
  });
});
