import { det, inv, matrix, multiply, trace, transpose, type Matrix } from 'mathjs';
import { InvalidInstanceError } from '../errors.ts';

/**
 * Experiment design: which small configurations to run for training, within a budget.
 *
 * Ernest (Venkataraman et al., NSDI 2016, §3.2; amplab/ernest `expt_design/expt_design.py`) picks training runs by
 * A-optimal design: with candidate runs i (machines m_i, data scale s_i), feature rows f_i and cost c_i ∝ m_i·s_i,
 * minimise trace((Σ λ_i f_i f_iᵀ)⁻¹), the summed variance of the coefficient estimates, subject to Σ λ_i c_i ≤ budget,
 * 0 ≤ λ_i ≤ 1, solved as a convex relaxation and then rounded (runs with λ_i above a threshold are kept).
 *
 * slotlab's candidate sets are small (TaskManager counts 1..8, say), so it solves the same integer problem exactly:
 * every subset S of the candidates with at least as many runs as the model has parameters and cost
 * Σ_{i∈S} c_i ≤ budget is scored by the A-criterion trace((F_Sᵀ F_S)⁻¹), and the lowest score wins (ties: the cheaper
 * subset, then the one listed first). The cost of a run is the TaskManagers it occupies, m (× scale when the input is
 * scaled): a run on m TaskManagers holds m of them for about the job's time, so a budget in "TaskManager-runs" bounds
 * the cluster time the training takes. What it saved is reported against running every candidate (the full sweep).
 */
export interface ExperimentDesign {
  readonly chosen: readonly number[];
  /** Σ m over the chosen runs (TaskManager-runs). */
  readonly cost: number;
  /** Σ m over every candidate: the cost of the full sweep it replaces. */
  readonly fullCost: number;
  /** 100 · (1 − cost / fullCost). */
  readonly savedPct: number;
  /** trace((FᵀF)⁻¹) of the chosen design (lower is better); and of the full sweep, for comparison. */
  readonly aCriterion: number;
  readonly fullACriterion: number;
  /** Subsets inside the budget that were scored. */
  readonly designsScored: number;
}

const MAX_CANDIDATES = 16;

export function chooseExperiments(
  candidates: readonly number[],
  budgetTaskManagerRuns: number,
  features: (taskManagers: number) => number[],
  parameterCount: number,
  source = '--budget',
): ExperimentDesign {
  if (candidates.length === 0 || candidates.length > MAX_CANDIDATES)
    throw new InvalidInstanceError(source, 'candidates', `should list 1 to ${MAX_CANDIDATES} TaskManager counts, got ${candidates.length}`);
  if (candidates.some((m) => !(Number.isFinite(m) && m > 0))) throw new InvalidInstanceError(source, 'candidates', `TaskManager counts should be > 0, got ${candidates.join(', ')}`);
  const score = (ms: readonly number[]): number => {
    const F = matrix(ms.map((m) => features(m)));
    const info = multiply(transpose(F), F) as Matrix;
    // a singular information matrix (e.g. two runs for four parameters, or repeated rows) cannot identify θ
    if (Math.abs(det(info)) < 1e-12) return Number.POSITIVE_INFINITY;
    return trace(inv(info)) as number;
  };
  const fullCost = candidates.reduce((s, m) => s + m, 0);
  let best: { chosen: number[]; cost: number; a: number } | undefined;
  let scored = 0;
  for (let mask = 1; mask < 1 << candidates.length; mask++) {
    const chosen = candidates.filter((_, i) => mask & (1 << i));
    if (chosen.length < parameterCount) continue;
    const cost = chosen.reduce((s, m) => s + m, 0);
    if (cost > budgetTaskManagerRuns) continue;
    scored++;
    const a = score(chosen);
    if (!Number.isFinite(a)) continue;
    if (best === undefined || a < best.a * (1 - 1e-9) || (Math.abs(a - best.a) <= 1e-9 * best.a && cost < best.cost)) best = { chosen, cost, a };
  }
  if (best === undefined)
    throw new InvalidInstanceError(
      source,
      'budget',
      `${budgetTaskManagerRuns} TaskManager-runs buys no design that identifies ${parameterCount} parameters from the candidates ${candidates.join(', ')} (the cheapest needs ${[...candidates].sort((p, q) => p - q).slice(0, parameterCount).reduce((s, m) => s + m, 0)})`,
    );
  return {
    chosen: best.chosen,
    cost: best.cost,
    fullCost,
    savedPct: 100 * (1 - best.cost / fullCost),
    aCriterion: best.a,
    fullACriterion: score(candidates),
    designsScored: scored,
  };
}
