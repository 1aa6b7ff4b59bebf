/**
 * The restricted master LP of the Gilmore–Gomory column generation for bin packing (Gilmore & Gomory, Operations
 * Research 9(6), 1961; in the form of Vance, Barnhart, Johnson & Nemhauser, Computational Optimization and
 * Applications 3, 1994): min Σ_p x_p subject to Σ_p a_tp x_p ≥ d_t for every item type t, x ≥ 0, over the patterns
 * p (bins) generated so far. Solved by the revised primal simplex with a dense basis inverse (Dantzig, "Linear
 * programming and extensions", 1963): item types are few (at most a few hundred rows), so an explicit inverse
 * updated by one elimination per pivot is simple and fast; it is refactorised every 100 pivots against drift.
 * Degenerate pivots (the covering LP of bin packing has many) switch to Bland's rule until the objective moves,
 * which excludes cycling.
 *
 * The start basis is the singleton patterns (one item of type t), feasible with x_t = d_t; columns are added
 * between solves and the basis is kept (warm start). The simplex's duals need not be exact: the column
 * generation certifies its bound from integer duals (column-generation.ts), so drift here can only weaken a
 * bound, never make it wrong.
 */
const EPS = 1e-9;
const REFACTOR_EVERY = 100;

export class CoveringMaster {
  readonly rows: number;
  /** Pattern columns: copies per item type (sparse: type indices and counts). */
  readonly columnTypes: Int32Array[] = [];
  readonly columnCounts: Int32Array[] = [];
  /** basis[r] ≥ 0: a pattern column; basis[r] = −1 − t: the surplus of row t. */
  private readonly basis: Int32Array;
  private readonly binv: Float64Array;
  private readonly xB: Float64Array;
  private readonly demand: Float64Array;
  private readonly inBasis = new Set<number>();
  /** The duals c_B B⁻¹, updated per pivot (O(rows)) and recomputed at each refactorisation. */
  private readonly pi: Float64Array;
  private pivots = 0;
  /** Counters for measurement: pivots, degenerate pivots (step 0), pivots under Bland's rule. */
  readonly stats = { pivots: 0, degenerate: 0, bland: 0 };

  constructor(demand: ArrayLike<number>) {
    this.rows = demand.length;
    this.demand = Float64Array.from(demand);
    const T = this.rows;
    this.basis = new Int32Array(T);
    this.binv = new Float64Array(T * T);
    this.xB = Float64Array.from(demand);
    for (let t = 0; t < T; t++) {
      this.columnTypes.push(Int32Array.of(t));
      this.columnCounts.push(Int32Array.of(1));
      this.basis[t] = t;
      this.inBasis.add(t);
      this.binv[t * T + t] = 1;
    }
    this.pi = new Float64Array(T).fill(1); // c_B B⁻¹ with B = I and every basic cost 1
  }

  /** Adds a pattern (copies per item type, dense) and returns its column index. */
  addColumn(counts: Int32Array): number {
    const types: number[] = [];
    const copies: number[] = [];
    for (let t = 0; t < counts.length; t++)
      if (counts[t]! > 0) {
        types.push(t);
        copies.push(counts[t]!);
      }
    this.columnTypes.push(Int32Array.from(types));
    this.columnCounts.push(Int32Array.from(copies));
    return this.columnTypes.length - 1;
  }

  /** Every column (the start singletons first), dense: copies per item type. */
  denseColumns(): Int32Array[] {
    return this.columnTypes.map((ts, j) => {
      const d = new Int32Array(this.rows);
      ts.forEach((t, k) => (d[t] = this.columnCounts[j]![k]!));
      return d;
    });
  }

  /** The objective Σ x of the current basis. */
  objective(): number {
    let z = 0;
    for (let r = 0; r < this.rows; r++) if (this.basis[r]! >= 0) z += this.xB[r]!;
    return z;
  }

  /** Duals π = c_B B⁻¹ (one per item type; a copy). */
  duals(): Float64Array {
    return Float64Array.from(this.pi);
  }

  /** π = c_B B⁻¹ from the inverse (after a refactorisation). */
  private recomputeDuals(): void {
    const T = this.rows;
    const pi = this.pi;
    pi.fill(0);
    for (let r = 0; r < T; r++) {
      if (this.basis[r]! < 0) continue;
      const row = r * T;
      for (let t = 0; t < T; t++) pi[t] = pi[t]! + this.binv[row + t]!;
    }
  }

  /** The value of every pattern column (0 outside the basis). */
  values(): Float64Array {
    const x = new Float64Array(this.columnTypes.length);
    for (let r = 0; r < this.rows; r++) if (this.basis[r]! >= 0) x[this.basis[r]!] = Math.max(0, this.xB[r]!);
    return x;
  }

  /** Optimises over the current columns; returns false when `deadline` (performance.now() ms) passed first. */
  solve(deadline: number): boolean {
    let degenerate = 0;
    let blandFrom = Infinity; // the objective when Bland's rule took over; it stays until the objective drops
    for (let iter = 0; ; iter++) {
      if ((iter & 63) === 63 && performance.now() > deadline) return false;
      const pi = this.pi;
      if (degenerate > 30 && blandFrom === Infinity) blandFrom = this.objective();
      const bland = blandFrom !== Infinity;
      // entering column: most negative reduced cost (Dantzig), or the first one (Bland)
      let enter = 0;
      let enterCost = -EPS;
      let found = false;
      for (let t = 0; t < this.rows && !(bland && found); t++) {
        // surplus of row t: reduced cost π_t
        if (!this.inBasis.has(-1 - t) && pi[t]! < enterCost) {
          enter = -1 - t;
          enterCost = pi[t]!;
          found = true;
        }
      }
      for (let j = 0; j < this.columnTypes.length && !(bland && found); j++) {
        if (this.inBasis.has(j)) continue;
        const types = this.columnTypes[j]!;
        const counts = this.columnCounts[j]!;
        let rc = 1;
        for (let k = 0; k < types.length; k++) rc -= pi[types[k]!]! * counts[k]!;
        if (rc < enterCost) {
          enter = j;
          enterCost = rc;
          found = true;
        }
      }
      if (!found) return true;
      const u = this.column(enter);
      let leave = -1;
      let ratio = Infinity;
      for (let r = 0; r < this.rows; r++) {
        if (u[r]! <= EPS) continue;
        const q = Math.max(0, this.xB[r]!) / u[r]!;
        if (q < ratio - 1e-12 || (bland && Math.abs(q - ratio) <= 1e-12 && this.order(this.basis[r]!) < this.order(this.basis[leave]!))) {
          ratio = q;
          leave = r;
        }
      }
      if (leave < 0) return true; // unbounded cannot happen with costs ≥ 0; stop rather than loop
      degenerate = ratio <= 1e-12 ? degenerate + 1 : 0;
      this.stats.pivots++;
      if (ratio <= 1e-12) this.stats.degenerate++;
      if (bland) this.stats.bland++;
      this.pivot(enter, leave, u, enterCost);
      if (bland && this.objective() < blandFrom - 1e-9) {
        blandFrom = Infinity;
        degenerate = 0;
      }
    }
  }

  /** Bland's order of the columns: the surpluses by row, then the patterns by index (the entering scan's order). */
  private order(j: number): number {
    return j < 0 ? -1 - j : this.rows + j;
  }

  /** B⁻¹ a for a column (pattern j ≥ 0, or the surplus −1 − t). */
  private column(j: number): Float64Array {
    const T = this.rows;
    const u = new Float64Array(T);
    if (j < 0) {
      const t = -1 - j;
      for (let r = 0; r < T; r++) u[r] = -this.binv[r * T + t]!;
      return u;
    }
    const types = this.columnTypes[j]!;
    const counts = this.columnCounts[j]!;
    for (let r = 0; r < T; r++) {
      let s = 0;
      const row = r * T;
      for (let k = 0; k < types.length; k++) s += this.binv[row + types[k]!]! * counts[k]!;
      u[r] = s;
    }
    return u;
  }

  /** Basis change; `reducedCost` is the entering column's: π += reducedCost / u_r · (row r of the old B⁻¹). */
  private pivot(enter: number, leave: number, u: Float64Array, reducedCost: number): void {
    const T = this.rows;
    const b = this.binv;
    const ur = u[leave]!;
    const step = reducedCost / ur;
    for (let t = 0, lrow = leave * T; t < T; t++) this.pi[t] = this.pi[t]! + step * b[lrow + t]!;
    const theta = this.xB[leave]! / ur;
    for (let r = 0; r < T; r++) if (r !== leave) this.xB[r] = this.xB[r]! - theta * u[r]!;
    this.xB[leave] = theta;
    const lrow = leave * T;
    for (let t = 0; t < T; t++) b[lrow + t] = b[lrow + t]! / ur;
    for (let r = 0; r < T; r++) {
      if (r === leave || u[r] === 0) continue;
      const f = u[r]!;
      const row = r * T;
      for (let t = 0; t < T; t++) b[row + t] = b[row + t]! - f * b[lrow + t]!;
    }
    this.inBasis.delete(this.basis[leave]!);
    this.basis[leave] = enter;
    this.inBasis.add(enter);
    if (++this.pivots % REFACTOR_EVERY === 0) this.refactor();
  }

  /** Recomputes B⁻¹ by Gauss–Jordan elimination with partial pivoting, and x_B = B⁻¹ d. */
  private refactor(): void {
    const T = this.rows;
    const a = new Float64Array(T * T); // B, column r = basis column r
    for (let r = 0; r < T; r++) {
      const j = this.basis[r]!;
      if (j < 0) a[(-1 - j) * T + r] = -1;
      else {
        const types = this.columnTypes[j]!;
        const counts = this.columnCounts[j]!;
        for (let k = 0; k < types.length; k++) a[types[k]! * T + r] = counts[k]!;
      }
    }
    const inv = new Float64Array(T * T);
    for (let i = 0; i < T; i++) inv[i * T + i] = 1;
    for (let col = 0; col < T; col++) {
      let p = col;
      for (let i = col + 1; i < T; i++) if (Math.abs(a[i * T + col]!) > Math.abs(a[p * T + col]!)) p = i;
      if (Math.abs(a[p * T + col]!) < 1e-12) return; // singular (should not happen): keep the updated inverse
      if (p !== col)
        for (let k = 0; k < T; k++) {
          [a[p * T + k], a[col * T + k]] = [a[col * T + k]!, a[p * T + k]!];
          [inv[p * T + k], inv[col * T + k]] = [inv[col * T + k]!, inv[p * T + k]!];
        }
      const d = a[col * T + col]!;
      for (let k = 0; k < T; k++) {
        a[col * T + k] = a[col * T + k]! / d;
        inv[col * T + k] = inv[col * T + k]! / d;
      }
      for (let i = 0; i < T; i++) {
        if (i === col) continue;
        const f = a[i * T + col]!;
        if (f === 0) continue;
        for (let k = 0; k < T; k++) {
          a[i * T + k] = a[i * T + k]! - f * a[col * T + k]!;
          inv[i * T + k] = inv[i * T + k]! - f * inv[col * T + k]!;
        }
      }
    }
    this.binv.set(inv);
    this.recomputeDuals();
    for (let r = 0; r < T; r++) {
      let s = 0;
      for (let t = 0; t < T; t++) s += inv[r * T + t]! * this.demand[t]!;
      this.xB[r] = s;
    }
  }
}
