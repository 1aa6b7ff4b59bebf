export { LinearExpr, sum, times, diff, weightedSum, toExpr, evaluate, isVar, type Var, type Term } from './expression.ts';
export {
  LinearModel,
  lessEq,
  greaterEq,
  equalTo,
  inRange,
  type VarKind,
  type Sense,
  type VarOptions,
  type FamilyOptions,
  type Relation,
  type VarFamily,
  type RowView,
  type SparseModel,
} from './model.ts';
export {
  checkSolution,
  roundIntegers,
  describeViolations,
  type MilpViolation,
  type SolutionCheck,
  type CheckTolerances,
} from './check.ts';
export { relativeGap, type MilpStatus, type MilpResult } from './result.ts';
export type { Formulation } from './formulation.ts';
