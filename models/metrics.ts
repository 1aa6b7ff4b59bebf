/** Balance metrics over per-TaskManager values (utilisations or loads). */
export interface BalanceMetrics {
  readonly max: number;
  readonly min: number;
  readonly mean: number;
  /** max / mean (1 = perfectly balanced); 1 when all values are 0. */
  readonly maxOverMean: number;
  /** Coefficient of variation: population standard deviation / mean; 0 when the mean is 0. */
  readonly coefficientOfVariation: number;
  /** Jain's fairness index (Σx)² / (n Σx²), in [1/n, 1]; 1 when all values are 0. */
  readonly jainIndex: number;
}

export function balanceMetrics(values: ArrayLike<number>): BalanceMetrics {
  const n = values.length;
  if (n === 0) return { max: 0, min: 0, mean: 0, maxOverMean: 1, coefficientOfVariation: 0, jainIndex: 1 };
  let sum = 0;
  let sumSq = 0;
  let max = Number.NEGATIVE_INFINITY;
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    sum += v;
    sumSq += v * v;
    if (v > max) max = v;
    if (v < min) min = v;
  }
  const mean = sum / n;
  const variance = Math.max(0, sumSq / n - mean * mean);
  return {
    max,
    min,
    mean,
    maxOverMean: mean === 0 ? 1 : max / mean,
    coefficientOfVariation: mean === 0 ? 0 : Math.sqrt(variance) / mean,
    jainIndex: sumSq === 0 ? 1 : (sum * sum) / (n * sumSq),
  };
}

/** Relative tolerance used by validators when comparing times. */
export const TIME_TOLERANCE = 1e-6;

export function approxAtLeast(value: number, bound: number, tolerance = TIME_TOLERANCE): boolean {
  return value >= bound - tolerance * Math.max(1, Math.abs(bound));
}
