/**
 * Linear expressions over MILP variables: `Σ_k c_k · x_k + constant`.
 *
 * An expression is a flat pair of arrays (variable index, coefficient) plus a
 * constant; duplicate variables are allowed while building and are merged when
 * the expression becomes a constraint row or an objective. Hot loops should
 * build one `LinearExpr` and call `add` on it rather than allocate one
 * expression per term.
 */

/** One decision variable of a `LinearModel`, carrying its family and index tuple. */
export interface Var {
  /** Position of the variable in its model (column index of the backends). */
  readonly index: number;
  /** Display name, e.g. `x[s3,l1]`; never parsed back. */
  readonly name: string;
  /** Name of the family this variable belongs to (`x`), or its own name if scalar. */
  readonly family: string;
  /** The index tuple the variable was created for (domain elements, not labels). */
  readonly key: readonly unknown[];
}

/** Anything that can appear in a sum: a variable, an expression or a constant. */
export type Term = Var | LinearExpr | number;

export function isVar(term: unknown): term is Var {
  return (
    typeof term === 'object' &&
    term !== null &&
    !(term instanceof LinearExpr) &&
    typeof (term as { index?: unknown }).index === 'number' &&
    typeof (term as { family?: unknown }).family === 'string'
  );
}

/** A mutable linear expression. Methods that change it return `this`. */
export class LinearExpr {
  /** Variable indices, parallel to `coefs`; may contain duplicates. */
  readonly vars: number[] = [];
  readonly coefs: number[] = [];
  constant = 0;

  /** Adds `coef · term`. */
  add(term: Term, coef = 1): this {
    if (coef === 0) return this;
    if (typeof term === 'number') {
      this.constant += coef * term;
    } else if (term instanceof LinearExpr) {
      const { vars, coefs } = term;
      for (let k = 0; k < vars.length; k++) {
        this.vars.push(vars[k]!);
        this.coefs.push(coefs[k]! * coef);
      }
      this.constant += coef * term.constant;
    } else {
      this.vars.push(term.index);
      this.coefs.push(coef);
    }
    return this;
  }

  /** Adds `coef · x_index` by column index (fastest path, for generated rows). */
  addIndex(index: number, coef: number): this {
    if (coef !== 0) {
      this.vars.push(index);
      this.coefs.push(coef);
    }
    return this;
  }

  /** Subtracts `coef · term`. */
  sub(term: Term, coef = 1): this {
    return this.add(term, -coef);
  }

  /** Multiplies the whole expression by `factor` in place. */
  scale(factor: number): this {
    for (let k = 0; k < this.coefs.length; k++) this.coefs[k] = this.coefs[k]! * factor;
    this.constant *= factor;
    return this;
  }

  clone(): LinearExpr {
    return new LinearExpr().add(this);
  }

  /** Number of (possibly duplicate) terms. */
  get termCount(): number {
    return this.vars.length;
  }
}

/** `Σ terms` as a new expression. */
export function sum(terms: Iterable<Term>): LinearExpr {
  const e = new LinearExpr();
  for (const t of terms) e.add(t);
  return e;
}

/** `coef · term` as a new expression. */
export function times(coef: number, term: Term): LinearExpr {
  return new LinearExpr().add(term, coef);
}

/** `a − b` as a new expression. */
export function diff(a: Term, b: Term): LinearExpr {
  return new LinearExpr().add(a).sub(b);
}

/** `Σ_k coefs[k] · terms[k]` as a new expression. */
export function weightedSum(pairs: Iterable<readonly [number, Term]>): LinearExpr {
  const e = new LinearExpr();
  for (const [c, t] of pairs) e.add(t, c);
  return e;
}

/** Converts any term to an expression (a fresh copy). */
export function toExpr(term: Term): LinearExpr {
  return new LinearExpr().add(term);
}

/** Value of `term` under `values` (indexed by variable index). */
export function evaluate(term: Term, values: ArrayLike<number>): number {
  if (typeof term === 'number') return term;
  if (term instanceof LinearExpr) {
    let v = term.constant;
    const { vars, coefs } = term;
    for (let k = 0; k < vars.length; k++) v += coefs[k]! * (values[vars[k]!] ?? 0);
    return v;
  }
  return values[term.index] ?? 0;
}
