/**
 * Performance models: completion time as a function of the number of TaskManagers (Ernest's m, "machines").
 * Every model has one signature, `fit(points, source) → FittedModel`; a fitted model reports its coefficients,
 * its training error and a prediction with an interval. See docs/prediction.md.
 */

/** One measured run: `taskManagers` TaskManagers (> 0), input `scale` (a fraction of the data, default 1), time. */
export interface PerformancePoint {
  readonly taskManagers: number;
  /** Fraction of the job's input (Ernest's "scale"); a sweep of one job runs the whole input: 1. */
  readonly scale?: number;
  readonly measuredMs: number;
  /**
   * The model's own completion time of the placement that ran (the evaluator's makespan × time scale, a sweep's
   * `predicted_ms`): known without running, so it is also known at the counts to predict. Read by `calibrated`.
   */
  readonly modelMs?: number;
}

export interface Prediction {
  readonly taskManagers: number;
  readonly valueMs: number;
  /**
   * 95 % prediction interval for one new run (not for the mean): ŷ ± t(0.975, n − k) · s · √(1 + f₀ᵀ (XₖᵀXₖ)⁻¹ f₀),
   * with s the residual standard error and Xₖ the design matrix of the k free coefficients (for NNLS, the ones
   * > 0). The lower end is clipped at 0 ms. With no residual degrees of freedom (n = k), [0, ∞].
   */
  readonly intervalMs: readonly [number, number];
}

export interface FittedModel {
  readonly model: string;
  /** Name → value, in the model's formula order (ms, ms per TaskManager, ...). */
  readonly coefficients: Readonly<Record<string, number>>;
  /** Mean absolute percentage error on the training points (%). */
  readonly trainingErrorPct: number;
  /** √(RSS / (n − k)), ms; NaN when n = k. */
  readonly residualStdErrorMs: number;
  /** n − k: training points minus free coefficients. */
  readonly degreesOfFreedom: number;
  readonly trainingPoints: number;
  predict(taskManagers: number, at?: { readonly scale?: number; readonly modelMs?: number }): Prediction;
}

export interface PerformanceModel {
  readonly name: string;
  /** `t = θ0 + θ1·(scale/m) + ...`, for tables and help. */
  readonly formula: string;
  readonly parameterNames: readonly string[];
  /** The regressors f(m, scale) the coefficients multiply (experiment design scores designs with them). */
  features(taskManagers: number, scale: number, modelMs?: number): number[];
  /** True when the features read `modelMs` (the schedule's predicted time): every point and target must carry it. */
  readonly needsModelMs: boolean;
  /** Refuses (InvalidInstanceError naming `source`) fewer points than parameters and non-positive TaskManager counts. */
  fit(points: readonly PerformancePoint[], source: string): FittedModel;
}
