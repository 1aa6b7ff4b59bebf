import { describe, expect, it } from 'vitest';
import { createDagPlacementInstance, type DagPlacementSpec } from '../../models/dag-placement/instance.ts';
import { validateDagPlacement } from '../../models/dag-placement/validator.ts';
import { seededRng } from '../../models/rng.ts';
import { criticalPath } from './critical-path.ts';

/** A complete binary in-tree of unit tasks (leaves feed their parent, up to one root), `depth` levels. */
function inTree(depth: number, processors: number): DagPlacementSpec {
  const operators: Array<{ id: string; parallelism: number; workMs: number }> = [];
  const edges: Array<{ from: string; to: string; partitioning: 'forward' }> = [];
  for (let level = 0; level < depth; level++)
    for (let i = 0; i < 2 ** level; i++) {
      operators.push({ id: `n${level}_${i}`, parallelism: 1, workMs: 1 });
      if (level > 0) edges.push({ from: `n${level}_${i}`, to: `n${level - 1}_${i >> 1}`, partitioning: 'forward' });
    }
  return { name: `in-tree-${depth}`, variant: 'sequenced', job: { operators, edges }, cluster: { taskManagers: Array.from({ length: processors }, (_, k) => ({ id: `p${k}`, slotCount: 1 })) } };
}

describe('critical-path list scheduling', () => {
  // T. C. Hu, "Parallel sequencing and assembly line problems", Operations Research 9(6):841-848, 1961:
  // highest-level-first is optimal for unit tasks forming an in-tree. Complete binary in-tree of 15 tasks:
  // m = 2: 8 = ⌈15/2⌉; m = 3: 6, since the last step runs only the root and the one before at most the two
  // nodes below it, so 5 steps hold at most 3·3 + 2 + 1 = 12 < 15 tasks.
  it("is optimal on an in-tree of unit tasks (Hu 1961): 15 tasks on 2 processors in 8, on 3 in 6", async () => {
    for (const [m, optimum] of [[2, 8], [3, 6]] as const) {
      const instance = createDagPlacementInstance(inTree(4, m));
      const result = await criticalPath.solve(instance, { rng: seededRng(1) });
      expect(validateDagPlacement(instance, result.solution!)).toEqual([]);
      expect(result.objective).toBe(optimum);
    }
  });

  it('never leaves a processor idle while a task is ready (Graham): the leaves start before any inner node', async () => {
    const instance = createDagPlacementInstance(inTree(3, 2));
    const result = await criticalPath.solve(instance, { rng: seededRng(1) });
    const start = new Map(result.solution!.assignments.map((a) => [a.subtask, a.startMs]));
    const leaves = [0, 1, 2, 3].map((i) => start.get(`n2_${i}#0`)!);
    expect(leaves.sort()).toEqual([0, 0, 1, 1]);
  });
});
