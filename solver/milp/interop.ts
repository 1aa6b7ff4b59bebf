/**
 * Interop with the two solver packages, in one place.
 *
 * - `highs`: its `types.d.ts` sits in a CommonJS package, so under NodeNext the
 *   default import is typed as the module object while at run time (ESM entry)
 *   it is the loader function. `highsLoader` resolves both shapes.
 * - `javascript-lp-solver`: `Solve()` returns `unknown`-ish loosely typed data;
 *   the JSON model and result types below are ours, and `readLpSolverResult`
 *   checks the shape before anything trusts it. The package runs in a worker
 *   (see `lp-solver.ts`), so only its resolved path is needed here.
 */
import { createRequire } from 'node:module';
import highsDefault from 'highs';
import type { Highs, InitOptions } from 'highs';

export type HighsLoader = (options?: InitOptions) => Promise<Highs>;

function resolveLoader(candidate: unknown): HighsLoader {
  if (typeof candidate === 'function') return candidate as HighsLoader;
  const inner = (candidate as { default?: unknown } | null)?.default;
  if (typeof inner === 'function') return inner as HighsLoader;
  throw new TypeError('highs: the package does not export a loader function');
}

/** The `highs` package's loader, whatever shape the module system gave it. */
export const highsLoader: HighsLoader = resolveLoader(highsDefault);

/** Absolute path of javascript-lp-solver's CommonJS entry (for `require` inside a worker). */
export function lpSolverEntryPath(): string {
  return createRequire(import.meta.url).resolve('javascript-lp-solver');
}

/** javascript-lp-solver's JSON model, restricted to what slotlab writes. */
export interface LpSolverModel {
  readonly optimize: string;
  readonly opType: 'min' | 'max';
  readonly constraints: Record<string, { min?: number; max?: number; equal?: number }>;
  readonly variables: Record<string, Record<string, number>>;
  readonly ints: Record<string, 1>;
  readonly unrestricted: Record<string, 1>;
  readonly options: { timeout?: number; tolerance?: number };
}

/** What `Solve()` returns, checked. `values` holds the listed (non-zero) variables only. */
export interface LpSolverResult {
  readonly feasible: boolean;
  readonly result: number;
  readonly bounded: boolean;
  readonly isIntegral: boolean;
  readonly values: ReadonlyMap<string, number>;
}

const RESERVED = new Set(['feasible', 'result', 'bounded', 'isIntegral']);

/** Validates the shape of a `Solve()` result; throws a TypeError naming the bad field. */
export function readLpSolverResult(raw: unknown): LpSolverResult {
  if (typeof raw !== 'object' || raw === null) throw new TypeError('javascript-lp-solver: result is not an object');
  const r = raw as Record<string, unknown>;
  if (typeof r.feasible !== 'boolean') throw new TypeError('javascript-lp-solver: result.feasible is not a boolean');
  if (typeof r.result !== 'number') throw new TypeError('javascript-lp-solver: result.result is not a number');
  const values = new Map<string, number>();
  for (const [k, v] of Object.entries(r)) {
    if (RESERVED.has(k)) continue;
    if (typeof v !== 'number') throw new TypeError(`javascript-lp-solver: result.${k} is not a number`);
    values.set(k, v);
  }
  return {
    feasible: r.feasible,
    result: r.result,
    bounded: r.bounded !== false,
    isIntegral: r.isIntegral === true,
    values,
  };
}
