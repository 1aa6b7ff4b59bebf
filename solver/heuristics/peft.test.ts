import { describe, expect, it } from 'vitest';
import { createDagPlacementInstance } from '../../models/dag-placement/instance.ts';
import { validateDagPlacement } from '../../models/dag-placement/validator.ts';
import { makespanLowerBounds } from '../../models/dag-placement/bounds.ts';
import { seededRng } from '../../models/rng.ts';
import { heftFixtureDagPlacementSpec, readHeftFixture } from '../../datasets/loaders/heft-paper.ts';
import { peft, optimisticCostTable } from './peft.ts';
import { averageCosts } from './common/ranks.ts';

describe('PEFT (Arabnejad & Barbosa 2014)', () => {
  it('optimistic cost table by hand: a -> b -> c on two TaskManagers, transfer 10 ms', () => {
    // Durations (P1, P2): a (1, 1), b (2, 20), c (30, 3). c̄ = 10 ms (one slot each, uniform link).
    // OCT(c, ·) = 0. OCT(b, P1) = min(OCT(c,P1)+30, OCT(c,P2)+3+10) = 13; OCT(b, P2) = min(30 + 10, 3) = 3.
    // OCT(a, P1) = min(13 + 2, 3 + 20 + 10) = 15; OCT(a, P2) = min(13 + 2 + 10, 3 + 20) = 23.
    const instance = createDagPlacementInstance({
      name: 'oct-by-hand',
      variant: 'sequenced',
      job: {
        operators: [
          { id: 'a', parallelism: 1, durationMsByTaskManager: { P1: 1, P2: 1 } },
          { id: 'b', parallelism: 1, durationMsByTaskManager: { P1: 2, P2: 20 } },
          { id: 'c', parallelism: 1, durationMsByTaskManager: { P1: 30, P2: 3 } },
        ],
        edges: [
          { from: 'a', to: 'b', partitioning: 'forward', bytes: 10 },
          { from: 'b', to: 'c', partitioning: 'forward', bytes: 10 },
        ],
      },
      cluster: { taskManagers: [{ id: 'P1', slotCount: 1 }, { id: 'P2', slotCount: 1 }], defaultLink: { bandwidthBytesPerMs: 1 } },
    });
    const oct = optimisticCostTable(instance, averageCosts(instance));
    expect([...oct]).toEqual([15, 23, 13, 3, 0, 0]);
  });

  it('on the HEFT paper example: a valid schedule, at or above the lower bounds and no worse than the serial time on the fastest processor', async () => {
    const instance = createDagPlacementInstance(heftFixtureDagPlacementSpec(readHeftFixture()));
    const result = await peft.solve(instance, { rng: seededRng(1) });
    expect(result.status).toBe('feasible');
    expect(validateDagPlacement(instance, result.solution!)).toEqual([]);
    expect(result.objective!).toBeGreaterThanOrEqual(makespanLowerBounds(instance).lowerBoundMs);
    // all ten tasks on P1 would take Σ cost(P1) = 127 ms
    expect(result.objective!).toBeLessThan(127);
  });
});
