import { inv, matrix, multiply, transpose, type Matrix } from 'mathjs';
import { InvalidInstanceError } from '../errors.ts';
import { nnls } from './nnls.ts';
import { tQuantile } from './student-t.ts';
import type { FittedModel, PerformanceModel, PerformancePoint, Prediction } from './types.ts';

/**
 * The one fitting rule every model here shares: completion time is linear in features of (m, scale),
 * t = Σ θ_k f_k(m, scale), fitted by least squares on mathjs matrices, unconstrained (`ols`) or with θ ≥ 0
 * (`nnls`, Lawson–Hanson). Also the one home of the input checks, the training error and the prediction interval
 * (see `Prediction.intervalMs`).
 */
export interface FeatureModelDefinition {
  readonly name: string;
  readonly formula: string;
  readonly parameterNames: readonly string[];
  /** The feature vector f(m, scale), one entry per parameter. */
  features(taskManagers: number, scale: number, modelMs?: number): number[];
  readonly solve: 'ols' | 'nnls';
  /** The features read `modelMs`; default false. */
  readonly needsModelMs?: boolean;
}

export function checkPoints(points: readonly PerformancePoint[], source: string, parameterCount: number, model: string, needsModelMs = false): void {
  points.forEach((p, i) => {
    if (needsModelMs && !(Number.isFinite(p.modelMs) && p.modelMs! >= 0))
      throw new InvalidInstanceError(source, `point ${i + 1} predicted_ms`, `model ${model} needs the schedule's predicted time of every run (a predicted_ms column), got ${p.modelMs}`);
    if (!(Number.isFinite(p.taskManagers) && p.taskManagers > 0))
      throw new InvalidInstanceError(source, `point ${i + 1} task_managers`, `should be a number of TaskManagers > 0, got ${p.taskManagers}`);
    if (p.scale !== undefined && !(Number.isFinite(p.scale) && p.scale > 0))
      throw new InvalidInstanceError(source, `point ${i + 1} scale`, `should be > 0, got ${p.scale}`);
    if (!(Number.isFinite(p.measuredMs) && p.measuredMs >= 0))
      throw new InvalidInstanceError(source, `point ${i + 1} measured_ms`, `should be a time >= 0 ms, got ${p.measuredMs}`);
  });
  if (points.length < parameterCount)
    throw new InvalidInstanceError(
      source,
      'training points',
      `model ${model} has ${parameterCount} parameters but only ${points.length} training point${points.length === 1 ? '' : 's'} were given (task_managers ${points.map((p) => p.taskManagers).join(', ') || 'none'}); give at least ${parameterCount}`,
    );
}

const column = (m: Matrix): number[] => (m.toArray() as unknown as (number | number[])[]).map((v) => (Array.isArray(v) ? v[0]! : v));

export function defineFeatureModel(def: FeatureModelDefinition): PerformanceModel {
  return {
    name: def.name,
    formula: def.formula,
    parameterNames: def.parameterNames,
    features: def.features,
    needsModelMs: def.needsModelMs ?? false,
    fit(points, source): FittedModel {
      checkPoints(points, source, def.parameterNames.length, def.name, def.needsModelMs ?? false);
      const X = points.map((p) => def.features(p.taskManagers, p.scale ?? 1, p.modelMs));
      const y = points.map((p) => p.measuredMs);
      let theta: number[];
      let free: number[];
      if (def.solve === 'nnls') {
        const r = nnls(X, y);
        theta = [...r.x];
        free = [...r.passive];
      } else {
        free = def.parameterNames.map((_, k) => k);
        const Xm = matrix(X);
        const Xt = transpose(Xm);
        theta = column(multiply(inv(multiply(Xt, Xm) as Matrix), multiply(Xt, matrix(y))) as Matrix);
      }
      const fitted = X.map((f) => f.reduce((s, v, k) => s + v * theta[k]!, 0));
      const residuals = y.map((v, i) => v - fitted[i]!);
      const rss = residuals.reduce((s, r) => s + r * r, 0);
      const dof = points.length - free.length;
      const s = dof > 0 ? Math.sqrt(rss / dof) : Number.NaN;
      const tCrit = dof > 0 ? tQuantile(0.975, dof) : Number.NaN;
      // (X_Fᵀ X_F)⁻¹ over the free coefficients F, for the interval
      const Xf = matrix(X.map((f) => free.map((k) => f[k]!)));
      const covariance = free.length > 0 ? (inv(multiply(transpose(Xf), Xf) as Matrix).toArray() as number[][]) : [];
      const trainingErrorPct = (100 / points.length) * y.reduce((sum, v, i) => sum + (v === 0 ? 0 : Math.abs(residuals[i]! / v)), 0);
      const coefficients = Object.fromEntries(def.parameterNames.map((name, k) => [name, theta[k]!]));
      return {
        model: def.name,
        coefficients,
        trainingErrorPct,
        residualStdErrorMs: s,
        degreesOfFreedom: dof,
        trainingPoints: points.length,
        predict(taskManagers, at = {}): Prediction {
          if (!(Number.isFinite(taskManagers) && taskManagers > 0))
            throw new InvalidInstanceError(source, 'task_managers to predict', `should be > 0, got ${taskManagers}`);
          if (def.needsModelMs && !(Number.isFinite(at.modelMs) && at.modelMs! >= 0))
            throw new InvalidInstanceError(source, `predicted_ms at ${taskManagers} TaskManagers`, `model ${def.name} needs the schedule's predicted time there (sweep or place the job at that count)`);
          const f = def.features(taskManagers, at.scale ?? 1, at.modelMs);
          const valueMs = f.reduce((sum, v, k) => sum + v * theta[k]!, 0);
          if (!(dof > 0)) return { taskManagers, valueMs, intervalMs: [0, Number.POSITIVE_INFINITY] };
          const ff = free.map((k) => f[k]!);
          let leverage = 0;
          for (let i = 0; i < ff.length; i++) for (let j = 0; j < ff.length; j++) leverage += ff[i]! * covariance[i]![j]! * ff[j]!;
          const half = tCrit * s * Math.sqrt(1 + leverage);
          return { taskManagers, valueMs, intervalMs: [Math.max(0, valueMs - half), Math.max(0, valueMs + half)] };
        },
      };
    },
  };
}
