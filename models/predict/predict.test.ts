import { describe, expect, it } from 'vitest';
import { seededRng } from '../rng.ts';
import { amdahlModel, calibratedModel, chooseExperiments, ernestModel, linearModel, nnls, tQuantile } from './index.ts';

/** Independent reference: unconstrained least squares on the columns `cols` by Gaussian elimination on the normal
 *  equations with partial pivoting, plain arrays (no mathjs, no code shared with nnls.ts). */
function referenceLeastSquares(a: number[][], b: number[], cols: number[]): number[] | undefined {
  const k = cols.length;
  const M = cols.map((i) => [...cols.map((j) => a.reduce((s, row) => s + row[i]! * row[j]!, 0)), a.reduce((s, row, r) => s + row[i]! * b[r]!, 0)]);
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    if (Math.abs(M[p]![c]!) < 1e-12) return undefined; // singular
    [M[c], M[p]] = [M[p]!, M[c]!];
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = M[r]![c]! / M[c]![c]!;
      for (let j = c; j <= k; j++) M[r]![j]! -= f * M[c]![j]!;
    }
  }
  return cols.map((_, i) => M[i]![k]! / M[i]![i]!);
}

const residualNorm = (a: number[][], b: number[], x: readonly number[]) => Math.hypot(...a.map((row, r) => row.reduce((s, v, j) => s + v * x[j]!, 0) - b[r]!));

/** Brute force over all 2ⁿ supports: the NNLS optimum is the unconstrained LS solution on some support that is ≥ 0;
 *  every such solution is feasible, so the best of them is the optimum. */
function bruteForceNnls(a: number[][], b: number[]): { x: number[]; norm: number } {
  const n = a[0]!.length;
  let best = { x: new Array<number>(n).fill(0), norm: residualNorm(a, b, new Array<number>(n).fill(0)) };
  for (let mask = 1; mask < 1 << n; mask++) {
    const cols = [...Array(n).keys()].filter((j) => mask & (1 << j));
    const s = referenceLeastSquares(a, b, cols);
    if (!s || s.some((v) => v < 0)) continue;
    const x = new Array<number>(n).fill(0);
    cols.forEach((c, i) => (x[c] = s[i]!));
    const norm = residualNorm(a, b, x);
    if (norm < best.norm - 1e-12) best = { x, norm };
  }
  return best;
}

describe('nnls (Lawson–Hanson)', () => {
  it('textbook case: b outside the cone; one coefficient clamped at 0', () => {
    // min ‖[1 0; 0 1; 1 1] x − (2, −1, 1)‖, x ≥ 0: unconstrained gives x = (7/3, −2/3); NNLS x = (1.5, 0)
    const r = nnls([[1, 0], [0, 1], [1, 1]], [2, -1, 1]);
    expect(r.x[0]).toBeCloseTo(1.5, 10);
    expect(r.x[1]).toBe(0);
    expect(r.passive).toEqual([0]);
  });

  it('equals the brute force over all active sets and satisfies KKT on 300 random small cases; never negative', () => {
    const random = seededRng(7);
    const rng = () => random.next();
    for (let t = 0; t < 300; t++) {
      const n = 1 + Math.floor(rng() * 4);
      const m = n + Math.floor(rng() * 5);
      const a = Array.from({ length: m }, () => Array.from({ length: n }, () => rng() * 10 - (t % 3 === 0 ? 5 : 0)));
      const b = Array.from({ length: m }, () => rng() * 20 - 8);
      const r = nnls(a, b);
      const ref = bruteForceNnls(a, b);
      expect(r.x.every((v) => v >= 0)).toBe(true);
      expect(r.residualNorm).toBeCloseTo(ref.norm, 6);
      r.x.forEach((v, j) => expect(v).toBeCloseTo(ref.x[j]!, 5));
      // KKT: w = Aᵀ(b − Ax) ≤ 0 where x = 0, = 0 where x > 0
      const res = a.map((row, i) => b[i]! - row.reduce((s, v, j) => s + v * r.x[j]!, 0));
      for (let j = 0; j < n; j++) {
        const w = a.reduce((s, row, i) => s + row[j]! * res[i]!, 0);
        if (r.x[j]! > 0) expect(Math.abs(w)).toBeLessThan(1e-6);
        else expect(w).toBeLessThan(1e-6);
      }
    }
  });

  it('ill-scaled Ernest features (1/m beside m up to 64): still the brute-force optimum', () => {
    const ms = [1, 2, 4, 8, 16, 32, 64];
    const a = ms.map((m) => [1, 1000 / m, Math.log(m), m]);
    const b = ms.map((m) => 50 + 9000 / m + 3 * m + (m % 3) * 5);
    const r = nnls(a, b);
    expect(r.residualNorm).toBeCloseTo(bruteForceNnls(a, b).norm, 6);
  });
});

describe('tQuantile', () => {
  it('matches the published two-sided 95 % table (e.g. NIST/SEMATECH e-Handbook, Table 1.3.6.7.2)', () => {
    expect(tQuantile(0.975, 1)).toBeCloseTo(12.706, 3);
    expect(tQuantile(0.975, 2)).toBeCloseTo(4.303, 3);
    expect(tQuantile(0.975, 5)).toBeCloseTo(2.571, 3);
    expect(tQuantile(0.975, 10)).toBeCloseTo(2.228, 3);
    expect(tQuantile(0.975, 1e6)).toBeCloseTo(1.96, 2);
  });
});

describe('performance models', () => {
  const ms = [1, 2, 3, 4, 6];
  it('Ernest recovers non-negative θ from exact data and predicts beyond the training range', () => {
    const t = (m: number) => 40 + 800 / m + 10 * Math.log(m) + 2 * m;
    const fit = ernestModel.fit(ms.map((m) => ({ taskManagers: m, measuredMs: t(m) })), 'test');
    expect(fit.coefficients['theta1']).toBeCloseTo(800, 4);
    expect(fit.coefficients['theta3']).toBeCloseTo(2, 4);
    expect(fit.predict(16).valueMs).toBeCloseTo(t(16), 4);
    expect(fit.trainingErrorPct).toBeLessThan(1e-6);
  });

  it('Ernest never reports a negative coefficient, even where least squares would', () => {
    // a pure speed-up with noise: OLS on these 4 features gives a negative θ
    const y = [1000, 520, 330, 260, 170];
    const fit = ernestModel.fit(ms.map((m, i) => ({ taskManagers: m, measuredMs: y[i]! })), 'test');
    expect(Object.values(fit.coefficients).every((v) => v >= 0)).toBe(true);
  });

  it('linear baseline: OLS line through exact points; interval widens away from the data', () => {
    const fit = linearModel.fit([1, 2, 3, 4].map((m, i) => ({ taskManagers: m, measuredMs: 100 - 10 * m + [1, -1, -1, 1][i]! })), 'test');
    expect(fit.coefficients['a']).toBeCloseTo(-10, 8);
    expect(fit.coefficients['b']).toBeCloseTo(100, 8);
    // residuals ±1, RSS 4, n − k = 2: s = √2; at m = 16 the prediction is 100 − 160 = −60
    expect(fit.residualStdErrorMs).toBeCloseTo(Math.SQRT2, 10);
    const near = fit.predict(2.5);
    const far = fit.predict(16);
    expect(far.valueMs).toBeCloseTo(-60, 8);
    expect(near.intervalMs[1] - near.valueMs).toBeLessThan(far.intervalMs[1] - far.valueMs);
    // textbook formula: half width = t(0.975, 2)·s·√(1 + 1/n + (x0 − x̄)²/Sxx), x̄ = 2.5, Sxx = 5
    expect(near.intervalMs[1] - near.valueMs).toBeCloseTo(4.303 * Math.SQRT2 * Math.sqrt(1 + 1 / 4), 2);
  });

  it('Amdahl: s and p from two runs; no interval without residual degrees of freedom', () => {
    const fit = amdahlModel.fit([{ taskManagers: 1, measuredMs: 110 }, { taskManagers: 2, measuredMs: 60 }], 'test');
    expect(fit.coefficients).toEqual({ s: expect.closeTo(10, 8), p: expect.closeTo(100, 8) });
    expect(fit.predict(10).valueMs).toBeCloseTo(20, 8);
    expect(fit.predict(10).intervalMs).toEqual([0, Number.POSITIVE_INFINITY]);
  });

  it('calibrated: t = c0 + c1·T_sched; flattens where the schedule does; refuses points without the schedule time', () => {
    const sched = [1000, 500, 340, 260]; // the schedule's prediction at 1..4 TaskManagers
    const fit = calibratedModel.fit(sched.map((s, i) => ({ taskManagers: i + 1, modelMs: s, measuredMs: 30 + 1.2 * s })), 'test');
    expect(fit.coefficients['c0']).toBeCloseTo(30, 8);
    expect(fit.coefficients['c1']).toBeCloseTo(1.2, 10);
    expect(fit.predict(16, { modelMs: 250 }).valueMs).toBeCloseTo(330, 8);
    expect(() => fit.predict(16)).toThrow(/test: predicted_ms at 16 TaskManagers: model calibrated needs the schedule's predicted time there/);
    expect(() => calibratedModel.fit([{ taskManagers: 1, measuredMs: 5 }, { taskManagers: 2, measuredMs: 3 }], 'a.csv')).toThrow(/a\.csv: point 1 predicted_ms: model calibrated needs/);
  });

  it('bad input: fewer points than parameters, non-positive TaskManagers', () => {
    expect(() => ernestModel.fit([1, 2, 3].map((m) => ({ taskManagers: m, measuredMs: 10 })), 'sweep.csv')).toThrow(
      /sweep\.csv: training points: model ernest has 4 parameters but only 3 training points/,
    );
    expect(() => linearModel.fit([{ taskManagers: 0, measuredMs: 1 }, { taskManagers: 1, measuredMs: 1 }], 'x.csv')).toThrow(/x\.csv: point 1 task_managers: should be a number of TaskManagers > 0, got 0/);
  });
});

describe('chooseExperiments (exhaustive A-optimal design under a budget)', () => {
  it('Amdahl, candidates 1..4, budget 5 TaskManager-runs: {1, 4}, trace((FᵀF)⁻¹) = 3.0625 / 0.5625 by hand', () => {
    // feasible designs: {1,2} {1,3} {1,4} {2,3}; FᵀF for {1,4} = [[2, 1.25], [1.25, 1.0625]], det 0.5625
    const d = chooseExperiments([1, 2, 3, 4], 5, (m) => amdahlModel.features(m, 1), 2);
    expect(d.chosen).toEqual([1, 4]);
    expect(d.aCriterion).toBeCloseTo(3.0625 / 0.5625, 10);
    expect(d.designsScored).toBe(4);
    expect(d.cost).toBe(5);
    expect(d.savedPct).toBeCloseTo(50, 10); // the full sweep costs 1 + 2 + 3 + 4 = 10
  });

  it('Ernest needs four distinct runs: a budget below 1 + 2 + 3 + 4 buys nothing, one clear message', () => {
    expect(() => chooseExperiments([1, 2, 3, 4, 5, 6], 9, (m) => ernestModel.features(m, 1), 4)).toThrow(
      /--budget: budget: 9 TaskManager-runs buys no design that identifies 4 parameters .* \(the cheapest needs 10\)/,
    );
    const d = chooseExperiments([1, 2, 3, 4, 5, 6], 14, (m) => ernestModel.features(m, 1), 4);
    expect(d.cost).toBeLessThanOrEqual(14);
    expect(d.chosen.length).toBeGreaterThanOrEqual(4);
    expect(d.aCriterion).toBeGreaterThanOrEqual(d.fullACriterion); // more runs never hurt the A-criterion
  });
});
