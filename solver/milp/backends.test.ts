import { afterAll, describe, expect, it } from 'vitest';
import { LinearModel, checkSolution, equalTo, greaterEq, lessEq, sum, times } from '../../models/milp/index.ts';
import { finishAnswer } from './backend.ts';
import { createMilpBackend, milpBackendNames } from './backends.ts';
import { createHighsBackend } from './highs.ts';
import { highsLoader } from './interop.ts';

/** The highs-js README example (chairs and tables): optimum 1100 at (20, 10). */
function workshop(): { m: LinearModel; chairs: number; tables: number } {
  const m = new LinearModel('workshop');
  const chairs = m.intVar('chairs');
  const tables = m.intVar('tables');
  m.constrain('carpentry', sum([chairs, times(2, tables)]), lessEq(40));
  m.constrain('finishing', sum([times(2, chairs), tables]), lessEq(50));
  m.maximize(sum([times(30, chairs), times(50, tables)]));
  return { m, chairs: chairs.index, tables: tables.index };
}

/** 0-1 knapsack, weights 12 2 1 1 4, values 4 2 1 2 10, capacity 15: optimum 15 (items 2..5). */
function knapsack(): LinearModel {
  const m = new LinearModel('knapsack');
  const items = [
    { id: 'a', w: 12, v: 4 },
    { id: 'b', w: 2, v: 2 },
    { id: 'c', w: 1, v: 1 },
    { id: 'd', w: 1, v: 2 },
    { id: 'e', w: 4, v: 10 },
  ];
  const x = m.binaryVars('take', items);
  m.constrain('capacity', sum(items.map((i) => times(i.w, x(i)))), lessEq(15));
  m.maximize(sum(items.map((i) => times(i.v, x(i)))));
  return m;
}

/** P||Cmax as an assignment MILP (hard for generic B&B when n and m grow). */
function pcmax(durations: readonly number[], machines: number): LinearModel {
  const m = new LinearModel('pcmax');
  const jobs = durations.map((_, j) => j);
  const ms = Array.from({ length: machines }, (_, i) => i);
  const x = m.binaryVars('x', jobs, ms);
  const cmax = m.intVar('Cmax');
  for (const j of jobs) m.constrain(`assign[${j}]`, sum(ms.map((i) => x(j, i))), equalTo(1));
  for (const i of ms) m.constrain(`load[${i}]`, sum(jobs.map((j) => times(durations[j]!, x(j, i)))), lessEq(cmax));
  m.minimize(cmax);
  return m;
}

const backends = milpBackendNames.map((name) => createMilpBackend(name));
afterAll(() => backends.forEach((b) => b.dispose()));

describe.each(backends)('backend $name', (backend) => {
  it('solves the workshop MIP to 1100', async () => {
    const { m, chairs, tables } = workshop();
    const r = await backend.solve(m, { timeLimitMs: 10_000 });
    expect(r.status).toBe('optimal');
    expect(r.objective).toBe(1100);
    expect([r.values![chairs], r.values![tables]]).toEqual([20, 10]);
    expect(checkSolution(m, r.values!).feasible).toBe(true);
  });

  it('solves a 0-1 knapsack to 15', async () => {
    const r = await backend.solve(knapsack(), { timeLimitMs: 10_000 });
    expect(r).toMatchObject({ status: 'optimal', objective: 15 });
  });

  it('solves an LP with negative lower bounds and equality rows', async () => {
    const m = new LinearModel('lp');
    const x = m.continuousVar('x', { min: -5, max: 5 });
    const y = m.continuousVar('y', { min: -Infinity });
    m.constrain('sum', sum([x, y]), equalTo(1));
    m.constrain('ylow', y, greaterEq(-2));
    m.minimize(sum([x, times(2, y)]));
    const r = await backend.solve(m, { timeLimitMs: 10_000 });
    expect(r.status).toBe('optimal');
    expect(r.objective).toBeCloseTo(-1, 6); // y = -2, x = 3
  });

  it('reports infeasible', async () => {
    const m = new LinearModel('infeasible');
    const x = m.intVars('x', [1, 2], { max: 1 });
    m.constrain('demand', sum([x(1), x(2)]), greaterEq(3));
    m.minimize(sum([x(1), x(2)]));
    const r = await backend.solve(m, { timeLimitMs: 10_000 });
    expect(r.status).toBe('infeasible');
    expect(r.values).toBeUndefined();
  });

  it('reports unbounded', async () => {
    const m = new LinearModel('unbounded');
    const x = m.continuousVar('x');
    m.constrain('low', x, greaterEq(1));
    m.maximize(x);
    const r = await backend.solve(m, { timeLimitMs: 10_000 });
    expect(r.status).toBe('unbounded');
  });
});

describe('honesty', () => {
  it('HiGHS reports bound and gap, and stops at the time limit on a hard model', async () => {
    const durations = Array.from({ length: 40 }, (_, j) => 10 + ((j * 37) % 41));
    const m = pcmax(durations, 10);
    const backend = createHighsBackend();
    const t0 = performance.now();
    const r = await backend.solve(m, { timeLimitMs: 400, relativeGap: 0 });
    backend.dispose();
    expect(performance.now() - t0).toBeLessThan(6_000); // the limit is honoured (generous: CI may be loaded)
    expect(['optimal', 'feasible', 'timeout']).toContain(r.status);
    if (r.status === 'feasible') {
      expect(r.bestBound).toBeLessThanOrEqual(r.objective!);
      expect(r.gap).toBeGreaterThan(0);
    }
  });

  it('javascript-lp-solver is terminated at the time limit and never passes off a fractional point', async () => {
    const durations = Array.from({ length: 40 }, (_, j) => 10 + ((j * 37) % 41));
    const m = pcmax(durations, 10);
    const backend = createMilpBackend('lp-solver');
    const t0 = performance.now();
    const r = await backend.solve(m, { timeLimitMs: 800 });
    backend.dispose();
    expect(performance.now() - t0).toBeLessThan(3_500); // terminated near the limit, not after its own overshoot
    expect(['feasible', 'timeout']).toContain(r.status);
    if (r.values) expect(checkSolution(m, r.values).feasible).toBe(true);
    expect(r.bestBound).toBeUndefined();
  });

  it('finishAnswer rejects values that violate the model', () => {
    const { m } = workshop();
    const sm = m.toSparse();
    const r = finishAnswer(
      sm,
      true,
      { claim: 'optimal', values: [30, 30], bound: 2400, message: 'fake.' },
      { backend: 'fake', startedAt: performance.now(), relativeGap: 0 },
    );
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/violate.*carpentry/);
    const frac = finishAnswer(
      sm,
      true,
      { claim: 'incumbent', values: [20.4, 9.8], message: 'fake.' },
      { backend: 'fake', startedAt: performance.now(), relativeGap: 0 },
    );
    expect(frac.status).toBe('timeout'); // an unproven fractional incumbent is no solution
  });

  it('finishAnswer refuses to call an unproven claim optimal', () => {
    const { m } = workshop();
    const r = finishAnswer(
      m.toSparse(),
      true,
      { claim: 'optimal', values: [18, 10], bound: 1100, message: 'fake.' },
      { backend: 'fake', startedAt: performance.now(), relativeGap: 1e-6 },
    );
    expect(r).toMatchObject({ status: 'feasible', objective: 1040, bestBound: 1100 });
  });

  it('HiGHS backend re-creates its runtime after a failure', async () => {
    let calls = 0;
    const backend = createHighsBackend({
      load: async () => {
        calls++;
        if (calls === 1) throw new Error('simulated crash');
        return highsLoader();
      },
    });
    const first = await backend.solve(knapsack());
    expect(first.status).toBe('error');
    expect(first.message).toMatch(/simulated crash/);
    const second = await backend.solve(knapsack());
    expect(second).toMatchObject({ status: 'optimal', objective: 15 });
    expect(calls).toBe(2);
    backend.dispose();
  });

  it('HiGHS takes a MIP start', async () => {
    const m = knapsack();
    const x = m.variables;
    [0, 1, 1, 1, 1].forEach((v, i) => m.setStart(x[i]!, v));
    const backend = createHighsBackend();
    const r = await backend.solve(m);
    backend.dispose();
    expect(r).toMatchObject({ status: 'optimal', objective: 15, gap: 0 });
  });
});
