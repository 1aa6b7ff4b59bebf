/**
 * Independent check of a candidate MILP solution: recomputes the objective and
 * lists every violated bound, integrality requirement and row. Backends run it
 * on every answer before reporting it; tests run it too.
 */
import { LinearModel, type SparseModel } from './model.ts';

export interface MilpViolation {
  readonly kind: 'bound' | 'integrality' | 'row' | 'value';
  /** Variable or row name, e.g. `x[s3,l1]` or `capacity[tm1]`. */
  readonly name: string;
  /** The variable value or the row activity. */
  readonly value: number;
  readonly lower?: number;
  readonly upper?: number;
  /** By how much the requirement is missed (absolute). */
  readonly amount: number;
}

export interface SolutionCheck {
  /** Objective recomputed from the values. */
  readonly objective: number;
  /** True when no violation exceeds the tolerances. */
  readonly feasible: boolean;
  readonly violations: readonly MilpViolation[];
  /** Largest violation amount (0 when feasible with exact arithmetic). */
  readonly maxViolation: number;
}

export interface CheckTolerances {
  /** Absolute feasibility tolerance on bounds and rows, scaled by max(1, |bound|); default 1e-6. */
  readonly feasibility?: number;
  /** Distance to the nearest integer accepted for integer variables; default 1e-6. */
  readonly integrality?: number;
  /** Stop listing after this many violations (all are still counted in `feasible`); default 100. */
  readonly maxListed?: number;
}

/** Checks `values` (indexed by variable index) against the model. */
export function checkSolution(
  model: LinearModel | SparseModel,
  values: ArrayLike<number>,
  tolerances: CheckTolerances = {},
): SolutionCheck {
  const sm = model instanceof LinearModel ? model.toSparse() : model;
  const feasTol = tolerances.feasibility ?? 1e-6;
  const intTol = tolerances.integrality ?? 1e-6;
  const maxListed = tolerances.maxListed ?? 100;
  const violations: MilpViolation[] = [];
  let feasible = true;
  let maxViolation = 0;
  const report = (v: MilpViolation): void => {
    feasible = false;
    if (v.amount > maxViolation) maxViolation = v.amount;
    if (violations.length < maxListed) violations.push(v);
  };
  if (values.length !== sm.numVars) {
    report({ kind: 'value', name: `values (expected ${sm.numVars})`, value: values.length, amount: Infinity });
    return { objective: NaN, feasible, violations, maxViolation };
  }
  let objective = sm.objectiveOffset;
  for (let j = 0; j < sm.numVars; j++) {
    const x = values[j]!;
    const name = sm.colNames[j]!;
    if (!Number.isFinite(x)) {
      report({ kind: 'value', name, value: x, amount: Infinity });
      continue;
    }
    objective += sm.objective[j]! * x;
    const lo = sm.colLower[j]!;
    const hi = sm.colUpper[j]!;
    if (x < lo - feasTol * Math.max(1, Math.abs(lo))) report({ kind: 'bound', name, value: x, lower: lo, upper: hi, amount: lo - x });
    else if (x > hi + feasTol * Math.max(1, Math.abs(hi)))
      report({ kind: 'bound', name, value: x, lower: lo, upper: hi, amount: x - hi });
    if (sm.integer[j] === 1) {
      const d = Math.abs(x - Math.round(x));
      if (d > intTol) report({ kind: 'integrality', name, value: x, amount: d });
    }
  }
  for (let r = 0; r < sm.numRows; r++) {
    let activity = 0;
    let magnitude = 0;
    for (let k = sm.rowStart[r]!; k < sm.rowStart[r + 1]!; k++) {
      const t = sm.coef[k]! * values[sm.colIndex[k]!]!;
      activity += t;
      magnitude = Math.max(magnitude, Math.abs(t));
    }
    const lo = sm.rowLower[r]!;
    const hi = sm.rowUpper[r]!;
    if (activity < lo - feasTol * Math.max(1, Math.abs(lo), magnitude))
      report({ kind: 'row', name: sm.rowNames[r]!, value: activity, lower: lo, upper: hi, amount: lo - activity });
    else if (activity > hi + feasTol * Math.max(1, Math.abs(hi), magnitude))
      report({ kind: 'row', name: sm.rowNames[r]!, value: activity, lower: lo, upper: hi, amount: activity - hi });
  }
  return { objective, feasible, violations, maxViolation };
}

/**
 * Copies `values` with integer variables snapped to the nearest integer when
 * they are within `tolerance` of it (a solver's integrality tolerance);
 * values further away stay as they are, so that the check still sees them.
 */
export function roundIntegers(model: SparseModel, values: ArrayLike<number>, tolerance = 1e-5): Float64Array {
  const out = Float64Array.from(values);
  for (let j = 0; j < model.numVars && j < out.length; j++) {
    if (model.integer[j] !== 1) continue;
    const r = Math.round(out[j]!);
    if (Math.abs(out[j]! - r) <= tolerance) out[j] = r;
  }
  return out;
}

/** One line per violation, for messages. */
export function describeViolations(check: SolutionCheck, limit = 5): string {
  const parts = check.violations.slice(0, limit).map((v) => {
    const range = v.lower !== undefined || v.upper !== undefined ? ` not in [${v.lower ?? '-inf'}, ${v.upper ?? 'inf'}]` : '';
    return `${v.kind} ${v.name} = ${v.value}${range} (by ${v.amount})`;
  });
  const more = check.violations.length > limit ? `, and ${check.violations.length - limit} more` : '';
  return parts.join('; ') + more;
}
