import { describe, expect, it } from 'vitest';
import { checkSolution, describeViolations, roundIntegers } from './check.ts';
import { LinearExpr, diff, evaluate, sum, times } from './expression.ts';
import { LinearModel, equalTo, greaterEq, inRange, lessEq } from './model.ts';

describe('LinearModel', () => {
  it('indexed families carry their key tuple and decode without parsing names', () => {
    const m = new LinearModel('t');
    const tms = [{ id: 'tm1' }, { id: 'tm2' }];
    const jobs = ['a', 'b', 'c'];
    const x = m.intVars('x', tms, jobs, { min: 0, max: 4 });
    expect(x.vars()).toHaveLength(6);
    expect(x(tms[1]!, 'c').name).toBe('x[tm2,c]');
    expect(x(tms[1]!, 'c').key).toEqual([tms[1], 'c']);
    const values = new Float64Array(m.variableCount);
    values[x(tms[0]!, 'b').index] = 3;
    const nonZero = x.entries(values).filter(([, , v]) => v > 0);
    expect(nonZero).toEqual([[tms[0], 'b', 3]]);
    expect(x.selected(values)).toEqual([[tms[0], 'b']]);
    expect(() => x({ id: 'tm9' }, 'a')).toThrow(/no variable/);
  });

  it('sparse families via where, per-variable bounds', () => {
    const m = new LinearModel('t');
    const y = m.binaryVars('y', [1, 2, 3], [1, 2, 3], { where: (i, j) => i < j });
    expect(y.vars()).toHaveLength(3);
    expect(y.has(2, 1)).toBe(false);
    expect(y.get(1, 3)?.name).toBe('y[1,3]');
    const z = m.continuousVars('z', ['p', 'q'], { bounds: (k) => ({ min: -1, max: k === 'p' ? 2 : 5 }) });
    expect(m.lowerOf(z('q'))).toBe(-1);
    expect(m.upperOf(z('q'))).toBe(5);
    expect(m.upperOf(y(1, 2))).toBe(1);
  });

  it('rows merge duplicates, move constants to the bounds and accept expression right-hand sides', () => {
    const m = new LinearModel('t');
    const a = m.continuousVar('a');
    const b = m.continuousVar('b');
    const r = m.constrain('r[1]', sum([a, times(2, b), a, 3]), lessEq(10));
    expect(r).toMatchObject({ name: 'r[1]', lower: -Infinity, upper: 7 });
    m.constrain('prec[a,b]', b, greaterEq(sum([a, 4])));
    const sm = m.toSparse();
    expect(Array.from(sm.colIndex.slice(0, 2))).toEqual([a.index, b.index]);
    expect(Array.from(sm.coef.slice(0, 2))).toEqual([2, 2]);
    expect(Array.from(sm.coef.slice(2))).toEqual([1, -1]);
    expect(sm.rowLower[1]).toBe(4);
    expect(m.nonzeroCount).toBe(4);
  });

  it('evaluates expressions and checks solutions (bounds, integrality, rows, objective)', () => {
    const m = new LinearModel('t');
    const x = m.intVar('x', { max: 5 });
    const y = m.continuousVar('y', { min: -2 });
    m.constrain('c1', sum([x, y]), inRange(1, 4));
    m.constrain('c2', diff(x, y), equalTo(1));
    m.minimize(sum([times(3, x), y, 7]));
    expect(evaluate(m.objective, [1, 0])).toBe(10);
    const ok = checkSolution(m, [1, 0]);
    expect(ok).toMatchObject({ feasible: true, objective: 10, violations: [] });
    const bad = checkSolution(m, [6.5, -3]);
    expect(bad.feasible).toBe(false);
    const kinds = bad.violations.map((v) => `${v.kind}:${v.name}`);
    expect(kinds).toEqual(['bound:x', 'integrality:x', 'bound:y', 'row:c2']);
    expect(describeViolations(bad)).toMatch(/row c2 = 9.5 not in \[1, 1\]/);
    expect(Array.from(roundIntegers(m.toSparse(), [0.9999999, 0.5]))).toEqual([1, 0.5]);
    expect(Array.from(roundIntegers(m.toSparse(), [2.4, 0.5]))).toEqual([2.4, 0.5]);
    expect(checkSolution(m, [1]).feasible).toBe(false);
  });

  it('knows when the objective is integral', () => {
    const m = new LinearModel('t');
    const x = m.intVar('x');
    const y = m.continuousVar('y');
    m.minimize(times(2, x));
    expect(m.objectiveIsIntegral()).toBe(true);
    m.minimize(sum([x, y]));
    expect(m.objectiveIsIntegral()).toBe(false);
  });

  it('builds a 100k-nonzero model and checks a solution quickly', () => {
    const m = new LinearModel('big');
    const n = 400;
    const k = 250;
    const rows = Array.from({ length: n }, (_, i) => i);
    const cols = Array.from({ length: k }, (_, j) => j);
    const x = m.binaryVars('x', rows, cols);
    const t0 = performance.now();
    for (const i of rows) {
      const e = new LinearExpr();
      for (const j of cols) e.add(x(i, j), 1 + ((i + j) % 7));
      m.constrain(`row[${i}]`, e, lessEq(1000));
    }
    m.minimize(sum(x.vars()));
    const values = new Float64Array(m.variableCount);
    const check = checkSolution(m, values);
    const elapsedMs = performance.now() - t0;
    expect(m.nonzeroCount).toBe(100_000);
    expect(check.feasible).toBe(true);
    // generous: only guards against accidental quadratic behaviour
    expect(elapsedMs).toBeLessThan(5_000);
  });

  it('records a MIP start', () => {
    const m = new LinearModel('t');
    const x = m.binaryVars('x', ['a', 'b']);
    m.setStart(x('b'), 1);
    expect([...m.start]).toEqual([[x('b').index, 1]]);
  });
});
