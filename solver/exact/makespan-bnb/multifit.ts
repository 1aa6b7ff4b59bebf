/**
 * MULTIFIT (Coffman, Garey & Johnson, SIAM J. Comput. 7(1), 1978): the least capacity
 * (binary search over integers) at which first-fit decreasing packs the loads into m
 * TaskManagers. Identical TaskManagers without capacities, integer loads.
 */
export function multifit(w: Float64Array, m: number, lo: number, hi: number): Int32Array | undefined {
  const ffd = (C: number): Int32Array | undefined => {
    const fill = new Float64Array(m);
    const machine = new Int32Array(w.length);
    for (let i = 0; i < w.length; i++) {
      let k = 0;
      while (k < m && fill[k]! + w[i]! > C) k++;
      if (k === m) return undefined;
      fill[k] = fill[k]! + w[i]!;
      machine[i] = k;
    }
    return machine;
  };
  let best = ffd(hi);
  let a = lo;
  let b = hi;
  while (a < b) {
    const mid = Math.floor((a + b) / 2);
    const r = ffd(mid);
    if (r) {
      best = r;
      b = mid;
    } else a = mid + 1;
  }
  return best;
}
