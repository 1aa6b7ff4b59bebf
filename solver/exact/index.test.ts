import { describe, expect, it } from 'vitest';
import { findSolver } from '../registry.ts';
import { EXACT_SOLVERS } from './index.ts';

describe('exact solvers in the registry', () => {
  it('lists the MILP backends for every model, water-filling and both bnb', () => {
    const names = EXACT_SOLVERS.map((s) => `${s.model}/${s.name}`).sort();
    expect(names).toEqual(
      [
        'dag-placement/allocation-ordering',
        'dag-placement/bnb',
        'dag-placement/cp',
        'dag-placement/milp',
        'dag-placement/milp:highs',
        'dag-placement/milp:lp-solver',
        'load-balancing/bnb',
        'load-balancing/milp',
        'load-balancing/milp:highs',
        'load-balancing/milp:lp-solver',
        'slot-allocation/milp',
        'slot-allocation/milp:highs',
        'slot-allocation/milp:lp-solver',
        'slot-allocation/water-filling',
        'slot-allocation/min-stranded',
      ].sort(),
    );
    expect(EXACT_SOLVERS.every((s) => s.kind === 'exact' && Object.isFrozen(s))).toBe(true);
    expect(findSolver('bnb', 'load-balancing').description).toMatch(/Cmax/);
  });
});
