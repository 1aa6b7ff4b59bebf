import { lusolve, matrix, multiply, subtract, transpose, type Matrix } from 'mathjs';

/**
 * Non-negative least squares, min ‖A x − b‖₂ subject to x ≥ 0, by the active-set algorithm of Lawson and Hanson
 * (Solving Least Squares Problems, Prentice-Hall 1974, ch. 23, algorithm NNLS), on mathjs matrices.
 *
 * Paper vocabulary: P = the passive set (coefficients free to move, > 0), Z = the active set (held at 0);
 * w = Aᵀ(b − Ax) = the negative gradient of ½‖Ax − b‖². The outer loop moves the index with the largest w from
 * Z to P; the inner loop solves the unconstrained least squares on P and, while that solution has a
 * non-positive entry, steps back to the boundary and moves the indices that hit 0 to Z. It ends when every
 * w_j (j ∈ Z) is ≤ tolerance: the KKT conditions x ≥ 0, w ≤ 0, x_j w_j = 0 then hold.
 *
 * Columns are scaled to unit norm before solving and the answer is scaled back (positive scaling keeps x ≥ 0 and
 * the optimum), so features of different magnitudes (1/m beside m) do not spoil the tolerance. The subproblem
 * on P is solved by the normal equations with mathjs's LU (`lusolve`); P stays small (the models here have at
 * most four coefficients).
 */
export interface NnlsResult {
  /** The solution, every entry ≥ 0 (exact zeros for the active set). */
  readonly x: readonly number[];
  /** Indices of the passive set at the end (the coefficients that are > 0). */
  readonly passive: readonly number[];
  /** ‖A x − b‖₂. */
  readonly residualNorm: number;
  readonly iterations: number;
}

const toArray = (m: Matrix): number[] => (m.toArray() as unknown as (number | number[])[]).map((v) => (Array.isArray(v) ? v[0]! : v));

/** Unconstrained least squares on the columns `cols` of `a` (normal equations, LU). */
function leastSquaresOn(a: readonly (readonly number[])[], b: readonly number[], cols: readonly number[]): number[] {
  const ap = matrix(a.map((row) => cols.map((j) => row[j]!)));
  const apt = transpose(ap);
  const s = lusolve(multiply(apt, ap) as Matrix, multiply(apt, matrix([...b])) as Matrix) as Matrix;
  return toArray(s);
}

/** min ‖A x − b‖ s.t. x ≥ 0. `a` has one row per observation; throws on a ragged matrix or a non-finite entry. */
export function nnls(a: readonly (readonly number[])[], b: readonly number[], options: { tolerance?: number; maxIterations?: number } = {}): NnlsResult {
  const m = a.length;
  const n = a[0]?.length ?? 0;
  if (m === 0 || n === 0) throw new RangeError('nnls: A must have at least one row and one column');
  if (b.length !== m) throw new RangeError(`nnls: b has ${b.length} entries, A has ${m} rows`);
  if (a.some((row) => row.length !== n || row.some((v) => !Number.isFinite(v))) || b.some((v) => !Number.isFinite(v)))
    throw new RangeError('nnls: A and b must be finite, A rectangular');
  // unit column norms (a zero column stays as is: it can never enter P, its w is 0)
  const norms = Array.from({ length: n }, (_, j) => Math.hypot(...a.map((row) => row[j]!)) || 1);
  const as = a.map((row) => row.map((v, j) => v / norms[j]!));
  const A = matrix(as.map((row) => [...row]));
  const At = transpose(A);
  const B = matrix([...b]);
  const bNorm = Math.hypot(...b) || 1;
  const tolerance = options.tolerance ?? 1e-10 * bNorm * Math.max(m, n);
  const maxIterations = options.maxIterations ?? 30 * n;

  let x = new Array<number>(n).fill(0);
  const passive = new Set<number>();
  const gradient = (xs: readonly number[]): number[] => toArray(multiply(At, subtract(B, multiply(A, matrix([...xs])))) as Matrix);
  let w = gradient(x);
  let iterations = 0;
  while (passive.size < n && iterations < maxIterations) {
    let j = -1;
    for (let k = 0; k < n; k++) if (!passive.has(k) && w[k]! > tolerance && (j < 0 || w[k]! > w[j]!)) j = k;
    if (j < 0) break; // KKT holds
    passive.add(j);
    for (;;) {
      iterations++;
      const cols = [...passive].sort((p, q) => p - q);
      const sp = leastSquaresOn(as, b, cols);
      const s = new Array<number>(n).fill(0);
      cols.forEach((c, i) => (s[c] = sp[i]!));
      if (cols.every((c) => s[c]! > 0)) {
        x = s;
        break;
      }
      // step from x towards s until the first passive coefficient reaches 0
      let alpha = 1;
      let hit = -1;
      for (const c of cols)
        if (s[c]! <= 0) {
          const a = x[c]! / (x[c]! - s[c]!);
          if (hit < 0 || a < alpha) [alpha, hit] = [a, c];
        }
      x = x.map((xi, k) => xi + alpha * (s[k]! - xi));
      for (const c of cols)
        if (c === hit || x[c]! <= 1e-12 * bNorm) {
          passive.delete(c);
          x[c] = 0;
        }
      if (passive.size === 0 || iterations >= maxIterations) break;
    }
    w = gradient(x);
  }
  const xOut = x.map((v, k) => (passive.has(k) && v > 0 ? v / norms[k]! : 0));
  const r = toArray(subtract(multiply(matrix(a.map((row) => [...row])), matrix(xOut)), B) as Matrix);
  return { x: xOut, passive: [...passive].filter((k) => xOut[k]! > 0).sort((p, q) => p - q), residualNorm: Math.hypot(...r), iterations };
}
