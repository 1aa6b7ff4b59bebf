/**
 * A formulation: a model written with the MILP layer plus the mapping of its
 * variable values back to the domain's solution type. Solver glue solves
 * `model` with some backend and hands the values to `decode`; the domain
 * validator then checks the decoded solution independently.
 */
import type { LinearModel } from './model.ts';

export interface Formulation<S> {
  readonly model: LinearModel;
  /** Reads a solution from variable values (indexed by variable index) through the variable families. */
  decode(values: ArrayLike<number>): S;
  /** A valid bound on the optimum known before solving (e.g. critical path), if any. */
  readonly lowerBound?: number;
}
