import { z } from 'zod';
import type { Rng } from '../../models/rng.ts';
import type { Partitioning } from '../../models/graphs/job-graph.ts';

/**
 * Shared pieces of the generators: ranges (a fixed value or [min, max], sampled uniformly), Zipf key skew,
 * and the zod schemas of their parameters (so that a suite's generator parameters are checked with the same
 * path-and-expectation errors as instance files).
 */
export type IntRange = number | readonly [number, number];
export type RealRange = number | readonly [number, number];

export function sampleInt(rng: Rng, range: IntRange): number {
  return typeof range === 'number' ? range : rng.int(range[0], range[1]);
}

export function sampleReal(rng: Rng, range: RealRange): number {
  return typeof range === 'number' ? range : range[0] + rng.next() * (range[1] - range[0]);
}

/** Rounds to 1 µs so that generated files stay readable and sums stay exact enough. */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/**
 * Key skew: `keys` keys with Zipf(exponent) frequencies (frequency of the r-th key ∝ 1 / r^exponent) are hashed
 * to `parts` partitions at random (as Flink's key groups are); returns each partition's share of the records
 * (sums to 1). Exponent 0 gives equal keys (shares still vary with few keys, as real hashing does).
 */
export function zipfShares(rng: Rng, parts: number, keys: number, exponent: number): number[] {
  const shares = new Array<number>(parts).fill(0);
  let total = 0;
  for (let r = 1; r <= keys; r++) {
    const f = 1 / r ** exponent;
    shares[Math.floor(rng.next() * parts)]! += f;
    total += f;
  }
  return shares.map((s) => s / total);
}

/** Splits `total` into `parts` positive integers with random proportions (each at least 1; total >= parts). */
export function randomComposition(rng: Rng, total: number, parts: number): number[] {
  const out = new Array<number>(parts).fill(1);
  for (let left = total - parts; left > 0; left--) out[Math.floor(rng.next() * parts)]! += 1;
  return out;
}

/** `forward` when the parallelisms match and a coin says so, else `hash` (all-to-all). */
export function pickPartitioning(rng: Rng, pFrom: number, pTo: number, forwardProbability: number): Partitioning {
  return pFrom === pTo && rng.next() < forwardProbability ? 'forward' : 'hash';
}

// ---- parameter schemas -------------------------------------------------------------------------------------

export function intRange(min: number): z.ZodType<IntRange> {
  const text = `an integer >= ${min} or a range [min, max] of such integers with min <= max`;
  const n = z.number({ error: text }).int({ error: text }).min(min, { error: text });
  return z
    .union([n, z.tuple([n, n], { error: text })], { error: text })
    .refine((v) => typeof v === 'number' || v[0] <= v[1], { error: text }) as unknown as z.ZodType<IntRange>;
}

export function realRange(min: number, exclusive = false): z.ZodType<RealRange> {
  const text = `a number ${exclusive ? '>' : '>='} ${min} or a range [min, max] of such numbers with min <= max`;
  const base = z.number({ error: text });
  const n = exclusive ? base.gt(min, { error: text }) : base.min(min, { error: text });
  return z
    .union([n, z.tuple([n, n], { error: text })], { error: text })
    .refine((v) => typeof v === 'number' || v[0] <= v[1], { error: text }) as unknown as z.ZodType<RealRange>;
}

export function probability(): z.ZodNumber {
  const text = 'a probability between 0 and 1';
  return z.number({ error: text }).min(0, { error: text }).max(1, { error: text });
}
