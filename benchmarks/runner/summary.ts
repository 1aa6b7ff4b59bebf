import Table from 'cli-table3';
import { instanceKey, summaryLabel, type ResultRow } from './columns.ts';
import { rankingLines, rankOnCommonInstances } from './ranking.ts';
import { isSolved, referenceIsProven } from './references.ts';

/** One line of the end-of-bench summary: a solver on one model. */
export interface SolverSummary {
  readonly model: string;
  readonly solver: string;
  readonly kind: string;
  readonly runs: number;
  /** Rows with a valid solution (status optimal or feasible). */
  readonly solved: number;
  /** Mean and worst `gap_to_best_known` over the rows that have one. */
  readonly meanGap: number | null;
  readonly worstGap: number | null;
  readonly gapRows: number;
  /** Mean gap over the rows whose reference is a proven optimum (`referenceIsProven`), and how many they are. */
  readonly meanGapToOptimum: number | null;
  readonly optimumGapRows: number;
  /** Mean gap over the rows whose reference is only the best found (no proof), and how many they are. */
  readonly meanGapToBestFound: number | null;
  readonly bestFoundGapRows: number;
  /** Solved rows whose objective is the best (ties included) of all solved rows of their instance key. */
  readonly wins: number;
  readonly optimal: number;
  readonly timeouts: number;
  readonly invalid: number;
  readonly infeasible: number;
  readonly errors: number;
  /** Mean `solve_ms` over the rows that have one. */
  readonly meanSolveMs: number | null;
  /** Rows that carry a measured completion time from the runtime. */
  readonly measured: number;
}

const TIE = 1e-9;

export function summarize(rows: readonly ResultRow[]): SolverSummary[] {
  const bestByKey = new Map<string, number>();
  for (const r of rows) {
    if (!isSolved(r)) continue;
    const key = instanceKey(r);
    const best = bestByKey.get(key);
    if (best === undefined || r.objective! < best) bestByKey.set(key, r.objective!);
  }
  const groups = new Map<string, ResultRow[]>();
  for (const r of rows) {
    const key = `${r.model}\u0000${summaryLabel(r)}`;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(r);
  }
  const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((t, x) => t + x, 0) / xs.length);
  const out: SolverSummary[] = [];
  for (const list of groups.values()) {
    const first = list[0]!;
    const gaps = list.map((r) => r.gap_to_best_known).filter((g): g is number => g !== null);
    const withGap = list.filter((r) => r.gap_to_best_known !== null);
    const toOptimum = withGap.filter((r) => referenceIsProven(r)).map((r) => r.gap_to_best_known!);
    const toBestFound = withGap.filter((r) => !referenceIsProven(r)).map((r) => r.gap_to_best_known!);
    const times = list.map((r) => r.solve_ms).filter((t): t is number => t !== null);
    let wins = 0;
    for (const r of list) {
      if (!isSolved(r)) continue;
      const best = bestByKey.get(instanceKey(r))!;
      if (r.objective! <= best + TIE * Math.max(1, Math.abs(best))) wins++;
    }
    out.push({
      model: first.model,
      solver: summaryLabel(first),
      kind: first.solver_kind,
      runs: list.length,
      solved: list.filter(isSolved).length,
      meanGap: mean(gaps),
      worstGap: gaps.length === 0 ? null : Math.max(...gaps),
      gapRows: gaps.length,
      meanGapToOptimum: mean(toOptimum),
      optimumGapRows: toOptimum.length,
      meanGapToBestFound: mean(toBestFound),
      bestFoundGapRows: toBestFound.length,
      wins,
      optimal: list.filter((r) => r.status === 'optimal' && r.valid === true).length,
      timeouts: list.filter((r) => r.status === 'timeout').length,
      invalid: list.filter((r) => r.status === 'invalid').length,
      infeasible: list.filter((r) => r.status === 'infeasible').length,
      errors: list.filter((r) => r.status === 'error').length,
      meanSolveMs: mean(times),
      measured: list.filter((r) => r.measured_completion !== null).length,
    });
  }
  const modelOrder = ['slot-allocation', 'load-balancing', 'dag-placement'];
  return out.sort((a, b) => modelOrder.indexOf(a.model) - modelOrder.indexOf(b.model) || a.model.localeCompare(b.model) || (a.kind === b.kind ? 0 : a.kind === 'exact' ? -1 : 1) || a.solver.localeCompare(b.solver));
}

export function formatPercent(gap: number | null): string {
  if (gap === null) return '-';
  const pct = gap * 100;
  return `${Math.abs(pct) < 0.005 ? '0.00' : pct.toFixed(2)}%`;
}

export function formatMs(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 10) return ms.toFixed(2);
  if (ms < 1000) return ms.toFixed(1);
  return ms.toFixed(0);
}

/** A mean gap with the number of rows it is taken over: `1.40% (2)`. */
function gapCell(gap: number | null, rows: number): string {
  return gap === null ? '-' : `${formatPercent(gap)} (${rows})`;
}

/**
 * The summary as a text table (cli-table3), one line per (model, solver). Gaps are split by what they are measured
 * against: a proven optimum (published, or met by a proven bound) or only the best value found; each with the number
 * of rows it averages. The table does not rank solvers (they ran different instances): `summaryNotes` does, over
 * common instance sets.
 */
export function summaryTable(summaries: readonly SolverSummary[], options: { color?: boolean } = {}): string {
  const table = new Table({
    head: ['model', 'solver', 'kind', 'runs', 'solved', 'gap to opt. (rows)', 'gap to best found (rows)', 'worst gap', 'wins', 'optimal', 'timeouts', 'invalid', 'errors', 'mean ms'],
    style: { head: options.color ? ['cyan'] : [], border: options.color ? ['grey'] : [], compact: true },
    colAligns: ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  });
  for (const s of summaries)
    table.push([
      s.model,
      s.solver,
      s.kind,
      s.runs,
      s.solved,
      gapCell(s.meanGapToOptimum, s.optimumGapRows),
      gapCell(s.meanGapToBestFound, s.bestFoundGapRows),
      formatPercent(s.worstGap),
      s.wins,
      s.optimal,
      s.timeouts,
      s.invalid,
      s.errors,
      formatMs(s.meanSolveMs),
    ]);
  return table.toString();
}

/** Sentences under the table: totals, invalid rows, and why rows have no measured completion time. */
export function summaryNotes(rows: readonly ResultRow[]): string[] {
  const notes: string[] = [];
  const invalid = rows.filter((r) => r.status === 'invalid');
  const infeasible = rows.filter((r) => r.status === 'infeasible').length;
  notes.push(`${rows.length} rows; ${rows.filter(isSolved).length} with a valid solution; ${invalid.length} invalid; ${rows.filter((r) => r.status === 'timeout').length} timeouts${infeasible > 0 ? `; ${infeasible} infeasible` : ''}.`);
  for (const r of invalid.slice(0, 5)) notes.push(`invalid: ${r.solver} on ${r.instance} (${r.cluster ?? '-'}): ${r.violation ?? 'no violation recorded'}`);
  if (invalid.length > 5) notes.push(`... and ${invalid.length - 5} more invalid rows (column violation).`);
  const measured = rows.filter((r) => r.measured_completion !== null).length;
  if (measured > 0) notes.push(`${measured} placements executed on the runtime (column measured_completion).`);
  const runtimeNotes = new Map<string, number>();
  for (const r of rows) {
    const m = /runtime: ([^;]+)/.exec(r.note ?? '');
    if (m && r.measured_completion === null) runtimeNotes.set(m[1]!, (runtimeNotes.get(m[1]!) ?? 0) + 1);
  }
  const reasons = [...runtimeNotes].sort((a, b) => b[1] - a[1]);
  for (const [why, count] of reasons.slice(0, 3)) notes.push(`not executed on the runtime (${count} rows): ${why}`);
  if (reasons.length > 3) notes.push(`... and ${reasons.slice(3).reduce((t, [, c]) => t + c, 0)} more rows not executed, for ${reasons.length - 3} other reasons (column note).`);
  const gaps = rows.filter((r) => r.best_known_source !== null);
  const sources = new Map<string, number>();
  for (const r of gaps) sources.set(r.best_known_source!, (sources.get(r.best_known_source!) ?? 0) + 1);
  if (sources.size > 0) notes.push(`gap references: ${[...sources].map(([s, n]) => `${s} ${n} rows`).join(', ')} (docs/benchmarks.md, "How gaps are computed").`);
  notes.push(...rankingLines(rankOnCommonInstances(rows), formatPercent));
  return notes;
}
