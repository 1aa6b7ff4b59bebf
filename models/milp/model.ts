/**
 * A backend-neutral mixed-integer linear model:
 *
 *   min / max  c·x + c0
 *   s.t.       rowLower_r ≤ Σ_j A_rj x_j ≤ rowUpper_r      for every named row r
 *              lower_j ≤ x_j ≤ upper_j,   x_j ∈ ℤ for integer and binary j
 *
 * Variables are created one at a time or as indexed families over domains
 * (`m.binaryVars('x', subtasks, slots)` → accessor `x(s, l)`), and each carries
 * its index tuple so that a formulation's `decode` reads solutions through the
 * family (`x.selected(values)`) and never parses names. Rows are stored in
 * compressed sparse row form as they are added; `toSparse()` hands the arrays
 * to a backend without copying term by term.
 */
import { LinearExpr, type Term, type Var } from './expression.ts';
import { FormulationError } from '../errors.ts';

export type VarKind = 'continuous' | 'integer' | 'binary';
export type Sense = 'minimize' | 'maximize';

export interface VarOptions {
  /** Lower bound; default 0 (−Infinity allowed). */
  readonly min?: number;
  /** Upper bound; default +Infinity (1 for binaries). */
  readonly max?: number;
}

export interface FamilyOptions<K extends readonly unknown[]> extends VarOptions {
  /** Create the variable only where this returns true (sparse family). */
  readonly where?: (...key: K) => boolean;
  /** Per-variable bounds, overriding `min`/`max`. */
  readonly bounds?: (...key: K) => VarOptions;
  /** Label of one domain element inside names; default: `id` property, the value itself, or its position. */
  readonly label?: (element: unknown, dimension: number) => string;
}

/** A row relation: `lower ≤ expr ≤ upper`, either side possibly infinite, or against an expression. */
export interface Relation {
  readonly lower: number;
  readonly upper: number;
  /** Right-hand side expression subtracted from the left before the bounds apply. */
  readonly rhs?: LinearExpr;
}

function rhsRelation(rhs: Term, lower: boolean, upper: boolean): Relation {
  if (typeof rhs === 'number') {
    return { lower: lower ? rhs : -Infinity, upper: upper ? rhs : Infinity };
  }
  return { lower: lower ? 0 : -Infinity, upper: upper ? 0 : Infinity, rhs: new LinearExpr().add(rhs) };
}
/** `expr ≤ rhs` */
export const lessEq = (rhs: Term): Relation => rhsRelation(rhs, false, true);
/** `expr ≥ rhs` */
export const greaterEq = (rhs: Term): Relation => rhsRelation(rhs, true, false);
/** `expr = rhs` */
export const equalTo = (rhs: Term): Relation => rhsRelation(rhs, true, true);
/** `lower ≤ expr ≤ upper` */
export const inRange = (lower: number, upper: number): Relation => ({ lower, upper });

/** An indexed family of variables: call it with an index tuple to get the variable. */
export interface VarFamily<K extends readonly unknown[]> {
  (...key: K): Var;
  readonly familyName: string;
  /** The variable at `key`, or undefined when the family is sparse there. */
  get(...key: K): Var | undefined;
  has(...key: K): boolean;
  /** Every variable of the family, in creation order. */
  vars(): readonly Var[];
  /** `[...key, value]` for every variable of the family, in creation order. */
  entries(values: ArrayLike<number>): Array<[...K, number]>;
  /** Keys whose value exceeds `threshold` (default 0.5: the chosen binaries). */
  selected(values: ArrayLike<number>, threshold?: number): K[];
}

/** A named row as stored in the model. */
export interface RowView {
  readonly index: number;
  readonly name: string;
  readonly lower: number;
  readonly upper: number;
}

/** The model as flat arrays, what backends and `checkSolution` read. */
export interface SparseModel {
  readonly name: string;
  readonly sense: Sense;
  readonly numVars: number;
  readonly numRows: number;
  readonly colLower: Float64Array;
  readonly colUpper: Float64Array;
  /** 0 continuous, 1 integer (binaries are integers with bounds [0,1]). */
  readonly integer: Uint8Array;
  readonly objective: Float64Array;
  readonly objectiveOffset: number;
  /** CSR: row r has entries rowStart[r] .. rowStart[r+1]-1. */
  readonly rowStart: Int32Array;
  readonly colIndex: Int32Array;
  readonly coef: Float64Array;
  readonly rowLower: Float64Array;
  readonly rowUpper: Float64Array;
  readonly colNames: readonly string[];
  readonly rowNames: readonly string[];
}

function defaultLabel(element: unknown, position: number): string {
  if (typeof element === 'string' || typeof element === 'number' || typeof element === 'bigint') return String(element);
  if (typeof element === 'object' && element !== null) {
    const id = (element as { id?: unknown }).id;
    if (typeof id === 'string' || typeof id === 'number') return String(id);
  }
  return String(position);
}

const DENSE_FAMILY_LIMIT = 4_000_000;

/** The signature of `continuousVars`, `intVars` and `binaryVars`: a named family over one, two or three index sets. */
export interface FamilyFactory {
  <A>(name: string, a: readonly A[], opts?: FamilyOptions<[A]>): VarFamily<[A]>;
  <A, B>(name: string, a: readonly A[], b: readonly B[], opts?: FamilyOptions<[A, B]>): VarFamily<[A, B]>;
  <A, B, C>(name: string, a: readonly A[], b: readonly B[], c: readonly C[], opts?: FamilyOptions<[A, B, C]>): VarFamily<[A, B, C]>;
}

export class LinearModel {
  readonly name: string;
  private senseValue: Sense;

  private readonly varList: Var[] = [];
  private readonly lowers: number[] = [];
  private readonly uppers: number[] = [];
  private readonly kinds: VarKind[] = [];

  private readonly rowStarts: number[] = [0];
  private readonly rowCols: number[] = [];
  private readonly rowCoefs: number[] = [];
  private readonly rowLowers: number[] = [];
  private readonly rowUppers: number[] = [];
  private readonly rowNameList: string[] = [];

  private objectiveExpr = new LinearExpr();
  private readonly startValues = new Map<number, number>();

  /** Scratch for merging duplicate terms of one row (sized to the variable count). */
  private mergeAcc = new Float64Array(64);
  private mergeStamp = new Int32Array(64);
  private mergeEpoch = 0;

  constructor(name: string, sense: Sense = 'minimize') {
    this.name = name;
    this.senseValue = sense;
  }

  get sense(): Sense {
    return this.senseValue;
  }
  get variableCount(): number {
    return this.varList.length;
  }
  get constraintCount(): number {
    return this.rowNameList.length;
  }
  get nonzeroCount(): number {
    return this.rowCols.length;
  }
  get variables(): readonly Var[] {
    return this.varList;
  }

  // ── variables ────────────────────────────────────────────────────────────

  private addVar(name: string, family: string, key: readonly unknown[], kind: VarKind, opts: VarOptions): Var {
    const lower = opts.min ?? 0;
    const upper = opts.max ?? (kind === 'binary' ? 1 : Infinity);
    if (Number.isNaN(lower) || Number.isNaN(upper)) throw new FormulationError('milp', `bounds of ${name} are NaN`);
    const v: Var = { index: this.varList.length, name, family, key };
    this.varList.push(v);
    this.lowers.push(kind === 'binary' ? Math.max(0, lower) : lower);
    this.uppers.push(kind === 'binary' ? Math.min(1, upper) : upper);
    this.kinds.push(kind);
    return v;
  }

  continuousVar(name: string, opts: VarOptions = {}): Var {
    return this.addVar(name, name, [], 'continuous', opts);
  }
  intVar(name: string, opts: VarOptions = {}): Var {
    return this.addVar(name, name, [], 'integer', opts);
  }
  binaryVar(name: string, opts: VarOptions = {}): Var {
    return this.addVar(name, name, [], 'binary', opts);
  }

  /** Families of continuous, integer and binary variables over one to three index sets: `x(a, b)` is the variable at (a, b). */
  readonly continuousVars: FamilyFactory = (name: string, ...args: unknown[]) => this.family(name, 'continuous', args) as never;
  readonly intVars: FamilyFactory = (name: string, ...args: unknown[]) => this.family(name, 'integer', args) as never;
  readonly binaryVars: FamilyFactory = (name: string, ...args: unknown[]) => this.family(name, 'binary', args) as never;

  private family(name: string, kind: VarKind, args: unknown[]): VarFamily<unknown[]> {
    const last = args[args.length - 1];
    const hasOpts = args.length > 0 && !Array.isArray(last);
    const opts = (hasOpts ? last : {}) as FamilyOptions<unknown[]>;
    const domains = (hasOpts ? args.slice(0, -1) : args) as unknown[][];
    if (domains.length === 0) throw new TypeError(`milp: family ${name} needs at least one domain`);
    const positions = domains.map((d) => {
      const m = new Map<unknown, number>();
      d.forEach((e, i) => {
        if (!m.has(e)) m.set(e, i);
      });
      return m;
    });
    const sizes = domains.map((d) => d.length);
    const total = sizes.reduce((p, s) => p * s, 1);
    const dense = total <= DENSE_FAMILY_LIMIT;
    const table = dense ? new Int32Array(total).fill(-1) : undefined;
    const sparse = dense ? undefined : new Map<number, number>();
    const members: Var[] = [];
    const varList = this.varList;

    const flat = (key: readonly unknown[]): number => {
      if (key.length !== domains.length) return -1;
      let f = 0;
      for (let d = 0; d < domains.length; d++) {
        const p = positions[d]!.get(key[d]);
        if (p === undefined) return -1;
        f = f * sizes[d]! + p;
      }
      return f;
    };

    // Create in lexicographic order of the domains.
    const key: unknown[] = new Array<unknown>(domains.length);
    const idx: number[] = new Array<number>(domains.length).fill(0);
    const labelOf = (e: unknown, d: number, pos: number): string =>
      opts.label ? opts.label(e, d) : defaultLabel(e, pos);
    if (total > 0) {
      for (let f = 0; f < total; f++) {
        for (let d = 0; d < domains.length; d++) key[d] = domains[d]![idx[d]!];
        if (!opts.where || opts.where(...key)) {
          const b = opts.bounds ? opts.bounds(...key) : opts;
          const vname = `${name}[${key.map((e, d) => labelOf(e, d, idx[d]!)).join(',')}]`;
          const v = this.addVar(vname, name, key.slice(), kind, { min: b.min ?? opts.min, max: b.max ?? opts.max });
          members.push(v);
          if (table) table[f] = v.index;
          else sparse!.set(f, v.index);
        }
        for (let d = domains.length - 1; d >= 0; d--) {
          idx[d] = idx[d]! + 1;
          if (idx[d]! < sizes[d]!) break;
          idx[d] = 0;
        }
      }
    }

    const lookup = (k: readonly unknown[]): Var | undefined => {
      const f = flat(k);
      if (f < 0) return undefined;
      const vi = table ? table[f]! : (sparse!.get(f) ?? -1);
      return vi < 0 ? undefined : varList[vi];
    };
    const accessor = ((...k: unknown[]): Var => {
      const v = lookup(k);
      if (!v) {
        throw new FormulationError(
          'milp',
          `family ${name} has no variable at [${k.map((e, d) => labelOf(e, d, positions[d]?.get(e) ?? -1)).join(',')}]`,
        );
      }
      return v;
    }) as VarFamily<unknown[]>;
    Object.defineProperty(accessor, 'familyName', { value: name });
    return Object.assign(accessor, {
      get: (...k: unknown[]) => lookup(k),
      has: (...k: unknown[]) => lookup(k) !== undefined,
      vars: () => members,
      entries: (values: ArrayLike<number>) => members.map((v) => [...v.key, values[v.index] ?? 0] as [...unknown[], number]),
      selected: (values: ArrayLike<number>, threshold = 0.5) =>
        members.filter((v) => (values[v.index] ?? 0) > threshold).map((v) => v.key.slice()),
    });
  }

  /** Changes the bounds of a variable. */
  setBounds(v: Var, lower: number, upper: number): void {
    this.lowers[v.index] = lower;
    this.uppers[v.index] = upper;
  }
  /** Fixes a variable to one value. */
  fix(v: Var, value: number): void {
    this.setBounds(v, value, value);
  }
  lowerOf(v: Var): number {
    return this.lowers[v.index]!;
  }
  upperOf(v: Var): number {
    return this.uppers[v.index]!;
  }
  kindOf(v: Var): VarKind {
    return this.kinds[v.index]!;
  }

  // ── constraints ──────────────────────────────────────────────────────────

  /**
   * Adds the row `relation.lower ≤ lhs − relation.rhs ≤ relation.upper`, named
   * with its index (e.g. `capacity[tm1]`). Constants move to the bounds,
   * duplicate variables are merged, zero coefficients dropped. Returns the row.
   */
  constrain(name: string, lhs: Term, relation: Relation): RowView {
    let lower = relation.lower;
    let upper = relation.upper;
    if (Number.isNaN(lower) || Number.isNaN(upper)) throw new FormulationError('milp', `row ${name} has a NaN bound`);
    let constant = 0;
    const nVars = this.varList.length;
    if (this.mergeAcc.length < nVars) {
      const size = Math.max(nVars, this.mergeAcc.length * 2);
      this.mergeAcc = new Float64Array(size);
      this.mergeStamp = new Int32Array(size);
      this.mergeEpoch = 0;
    }
    const epoch = ++this.mergeEpoch;
    const acc = this.mergeAcc;
    const stamp = this.mergeStamp;
    const order: number[] = [];
    const put = (vi: number, c: number): void => {
      if (vi < 0 || vi >= nVars) throw new FormulationError('milp', `row ${name} refers to unknown variable ${vi}`);
      if (stamp[vi] !== epoch) {
        stamp[vi] = epoch;
        acc[vi] = c;
        order.push(vi);
      } else acc[vi] = acc[vi]! + c;
    };
    const addTerm = (t: Term, sign: number): void => {
      if (typeof t === 'number') constant += sign * t;
      else if (t instanceof LinearExpr) {
        for (let k = 0; k < t.vars.length; k++) put(t.vars[k]!, sign * t.coefs[k]!);
        constant += sign * t.constant;
      } else put(t.index, sign);
    };
    addTerm(lhs, 1);
    if (relation.rhs) addTerm(relation.rhs, -1);
    for (const vi of order) {
      const c = acc[vi]!;
      if (c !== 0) {
        this.rowCols.push(vi);
        this.rowCoefs.push(c);
      }
    }
    if (constant !== 0) {
      lower -= constant;
      upper -= constant;
    }
    this.rowStarts.push(this.rowCols.length);
    this.rowLowers.push(lower);
    this.rowUppers.push(upper);
    this.rowNameList.push(name);
    return { index: this.rowNameList.length - 1, name, lower, upper };
  }

  row(index: number): RowView {
    const name = this.rowNameList[index];
    if (name === undefined) throw new FormulationError('milp', `no row ${index}`);
    return { index, name, lower: this.rowLowers[index]!, upper: this.rowUppers[index]! };
  }

  // ── objective and start ──────────────────────────────────────────────────

  minimize(objective: Term): void {
    this.senseValue = 'minimize';
    this.objectiveExpr = new LinearExpr().add(objective);
  }
  maximize(objective: Term): void {
    this.senseValue = 'maximize';
    this.objectiveExpr = new LinearExpr().add(objective);
  }
  get objective(): LinearExpr {
    return this.objectiveExpr;
  }

  /** Records a MIP start value (an incumbent to begin from) for one variable. */
  setStart(v: Var, value: number): void {
    this.startValues.set(v.index, value);
  }
  /** Records a full MIP start (indexed by variable index). */
  setStartValues(values: ArrayLike<number>): void {
    for (let i = 0; i < values.length && i < this.varList.length; i++) this.startValues.set(i, values[i]!);
  }
  clearStart(): void {
    this.startValues.clear();
  }
  /** The MIP start given so far, as variable index → value. */
  get start(): ReadonlyMap<number, number> {
    return this.startValues;
  }

  /** True when every feasible point has an integral objective (integer coefficients on integer variables only). */
  objectiveIsIntegral(): boolean {
    const o = this.objectiveExpr;
    if (!Number.isInteger(o.constant)) return false;
    for (let k = 0; k < o.vars.length; k++) {
      const c = o.coefs[k]!;
      if (c === 0) continue;
      if (this.kinds[o.vars[k]!] === 'continuous' || !Number.isInteger(c)) return false;
    }
    return true;
  }

  /** The model as flat typed arrays (a snapshot; later changes are not reflected). */
  toSparse(): SparseModel {
    const n = this.varList.length;
    const objective = new Float64Array(n);
    const o = this.objectiveExpr;
    for (let k = 0; k < o.vars.length; k++) objective[o.vars[k]!] = objective[o.vars[k]!]! + o.coefs[k]!;
    const integer = new Uint8Array(n);
    for (let i = 0; i < n; i++) integer[i] = this.kinds[i] === 'continuous' ? 0 : 1;
    return {
      name: this.name,
      sense: this.senseValue,
      numVars: n,
      numRows: this.rowNameList.length,
      colLower: Float64Array.from(this.lowers),
      colUpper: Float64Array.from(this.uppers),
      integer,
      objective,
      objectiveOffset: o.constant,
      rowStart: Int32Array.from(this.rowStarts),
      colIndex: Int32Array.from(this.rowCols),
      coef: Float64Array.from(this.rowCoefs),
      rowLower: Float64Array.from(this.rowLowers),
      rowUpper: Float64Array.from(this.rowUppers),
      colNames: this.varList.map((v) => v.name),
      rowNames: this.rowNameList.slice(),
    };
  }

  /** Counts, for logs and benchmark tables. */
  size(): { variables: number; integers: number; constraints: number; nonzeros: number } {
    let integers = 0;
    for (const k of this.kinds) if (k !== 'continuous') integers++;
    return {
      variables: this.varList.length,
      integers,
      constraints: this.rowNameList.length,
      nonzeros: this.rowCols.length,
    };
  }
}
