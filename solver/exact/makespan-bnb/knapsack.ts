/**
 * The bounded knapsack that prices bin patterns (the column generation's subproblem, Gilmore & Gomory,
 * Operations Research 9(6), 1961): item types t with integer weight `weight[t]`, value `value[t]` ≥ 0 and at most
 * `bound[t]` copies; maximise Σ value·a subject to Σ weight·a ≤ capacity. Dynamic programming over the capacity
 * (Martello & Toth, "Knapsack problems", 1990, ch. 3): the copies of a type are split into binary chunks
 * (1, 2, 4, …, rest), each chunk is a 0-1 item, and a table of taken chunks per capacity gives the pattern back.
 * Time O(capacity · Σ log bound), memory one byte per (chunk, capacity). The table holds the best value of each
 * exact weight, so that a minimum fill (the decision version's waste limit, see column-generation.ts) is read off
 * it, and each chunk's loop stops at the weight the chunks so far can reach (heaviest first: HARD0's first items).
 *
 * With integer values the answer is exact (every partial sum is an integer below 2^53), which the column
 * generation's certified bound relies on.
 */
export interface KnapsackAnswer {
  /** The best total value. */
  readonly value: number;
  /** Copies per item type in a best pattern. */
  readonly counts: Int32Array;
  /**
   * Up to `alternatives` further patterns read from the same table: the best pattern of each exact weight x < the
   * best one's where the value rises (best[x] > best[x − 1]), by decreasing value — distinct patterns, for
   * adding several columns per pricing round.
   */
  readonly others: readonly Int32Array[];
}

/** A reusable solver for one capacity and one set of item weights (the buffers are sized once). */
export class PatternKnapsack {
  private readonly best: Float64Array;
  private take: Uint8Array;

  constructor(
    private readonly weight: Int32Array,
    private readonly capacity: number,
  ) {
    this.best = new Float64Array(capacity + 1);
    this.take = new Uint8Array(0);
  }

  /**
   * Best pattern for `value` with at most `bound[t]` copies of type t and a total weight of at least `minFill`
   * (default 0); value −Infinity when no pattern reaches `minFill`.
   */
  solve(value: Float64Array, bound: Int32Array, minFill = 0, alternatives = 0): KnapsackAnswer {
    const c = this.capacity;
    const chunkType: number[] = [];
    const chunkCopies: number[] = [];
    for (let t = 0; t < this.weight.length; t++) {
      if (value[t]! <= 0 && minFill <= 0) continue;
      const w = this.weight[t]!;
      let left = Math.min(bound[t]!, Math.floor(c / w));
      for (let k = 1; left > 0; k *= 2) {
        const q = Math.min(k, left);
        chunkType.push(t);
        chunkCopies.push(q);
        left -= q;
      }
    }
    const chunks = chunkType.length;
    const stride = c + 1;
    if (this.take.length < chunks * stride) this.take = new Uint8Array(Math.max(chunks * stride, this.take.length * 2));
    const take = this.take;
    const best = this.best;
    // best[x]: the best value of weight exactly x (−Infinity: no pattern weighs x)
    best.fill(-Infinity);
    best[0] = 0;
    let reach = 0;
    for (let j = 0; j < chunks; j++) {
      const t = chunkType[j]!;
      const W = this.weight[t]! * chunkCopies[j]!;
      const V = value[t]! * chunkCopies[j]!;
      const row = j * stride;
      // only weights up to the chunks' total so far can be reached: the loop stops there (items come heaviest first)
      reach = Math.min(c, reach + W);
      take.fill(0, row, row + W);
      take.fill(0, row + reach + 1, row + stride);
      for (let x = reach; x >= W; x--) {
        const v = best[x - W]! + V;
        if (v > best[x]!) {
          best[x] = v;
          take[row + x] = 1;
        } else take[row + x] = 0;
      }
    }
    let x = c;
    for (let y = c - 1; y >= Math.max(0, minFill); y--) if (best[y]! > best[x]!) x = y;
    const bestValue = best[x]!;
    if (bestValue === -Infinity) return { value: -Infinity, counts: new Int32Array(this.weight.length), others: [] };
    const read = (from: number): Int32Array => {
      const counts = new Int32Array(this.weight.length);
      let y = from;
      for (let j = chunks - 1; j >= 0; j--) {
        if (take[j * stride + y]) {
          const t = chunkType[j]!;
          counts[t] = counts[t]! + chunkCopies[j]!;
          y -= this.weight[t]! * chunkCopies[j]!;
        }
      }
      return counts;
    };
    const counts = read(x);
    const others: Int32Array[] = [];
    if (alternatives > 0) {
      const rising: number[] = [];
      for (let y = Math.max(minFill, 1); y <= c; y++) if (y !== x && best[y]! > best[y - 1]! && best[y]! > -Infinity) rising.push(y);
      rising.sort((a, b) => best[b]! - best[a]! || b - a);
      for (const y of rising.slice(0, alternatives)) others.push(read(y));
    }
    return { value: bestValue, counts, others };
  }
}
