import type { FittedModel, PerformanceModel, PerformancePoint } from '../../models/predict/types.ts';

/**
 * Fit every model on the training points and predict the targets; where a target was measured, the error.
 * Measured time at a TaskManager count = the median of its runs.
 */
export interface TargetPrediction {
  readonly taskManagers: number;
  readonly predictedMs: number;
  readonly intervalMs: readonly [number, number];
  /** Median of the runs at this count, when measured. */
  readonly measuredMs: number | undefined;
  /** (predicted − measured) / measured, %. */
  readonly errorPct: number | undefined;
}

export interface ModelReport {
  readonly model: string;
  readonly formula: string;
  readonly fitted: FittedModel;
  readonly targets: readonly TargetPrediction[];
  /** Mean absolute percentage error over the measured targets (%); undefined when none was measured. */
  readonly mapePct: number | undefined;
}

export interface PredictionReport {
  readonly trainTaskManagers: readonly number[];
  readonly trainingRuns: number;
  readonly models: readonly ModelReport[];
}

export function medianMs(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function predictionReport(
  models: readonly PerformanceModel[],
  points: readonly PerformancePoint[],
  train: readonly number[],
  at: readonly number[],
  source: string,
  /** The schedule's predicted time at each count (for `calibrated`), beside what the points carry. */
  modelMsAt: ReadonlyMap<number, number> = new Map(),
): PredictionReport {
  const training = points.filter((p) => train.includes(p.taskManagers));
  const reports = models.map((model): ModelReport => {
    const fitted = model.fit(training, source);
    const targets = at.map((m): TargetPrediction => {
      const modelMs = modelMsAt.get(m) ?? points.find((q) => q.taskManagers === m && q.modelMs !== undefined)?.modelMs;
      const p = fitted.predict(m, modelMs === undefined ? {} : { modelMs });
      const runs = points.filter((q) => q.taskManagers === m).map((q) => q.measuredMs);
      const measuredMs = runs.length > 0 ? medianMs(runs) : undefined;
      const errorPct = measuredMs === undefined || measuredMs === 0 ? undefined : (100 * (p.valueMs - measuredMs)) / measuredMs;
      return { taskManagers: m, predictedMs: p.valueMs, intervalMs: p.intervalMs, measuredMs, errorPct };
    });
    const errors = targets.flatMap((t) => (t.errorPct === undefined ? [] : [Math.abs(t.errorPct)]));
    return { model: model.name, formula: model.formula, fitted, targets, mapePct: errors.length > 0 ? errors.reduce((s, e) => s + e, 0) / errors.length : undefined };
  });
  return { trainTaskManagers: train, trainingRuns: training.length, models: reports };
}
