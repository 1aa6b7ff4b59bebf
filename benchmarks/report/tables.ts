import { instanceKey, type ResultRow } from '../runner/columns.ts';
import { isSolved } from '../runner/references.ts';
import { groupBy, mean, median, sortByScore } from './data.ts';

/**
 * Tables of benchmark results for the notebooks: gaps per solver against published figures, and whether the
 * placement the model predicts to finish first also finishes first when the runtime executes it.
 */

/** A gap at or below this counts as reaching the reference. */
const AT_BEST = 1e-9;

/** The publication a row's reference comes from, by dataset (catalog names stg-*, bpplib, heft-*), or null. */
export type PublishedFamily = 'STG' | 'BPPLIB' | 'HEFT paper';

export function publishedFamily(row: Pick<ResultRow, 'dataset' | 'published_best_known' | 'published_lower_bound'>): PublishedFamily | null {
  if (row.published_best_known === null && row.published_lower_bound === null) return null;
  if (row.dataset.startsWith('stg')) return 'STG';
  if (row.dataset.startsWith('bpplib')) return 'BPPLIB';
  if (row.dataset.startsWith('heft')) return 'HEFT paper';
  return null;
}

export interface GapStats {
  readonly group: string;
  readonly solver: string;
  readonly kind: string;
  readonly runs: number;
  readonly solved: number;
  /** Solved rows with a gap_to_best_known. */
  readonly withGap: number;
  /** Rows whose gap is 0 (they reached the reference). */
  readonly atBest: number;
  readonly meanGap: number | null;
  readonly medianGap: number | null;
  readonly worstGap: number | null;
}

/**
 * Gap statistics per (group, solver), for the rows `groupOf` puts in a group (null leaves a row out). Groups in
 * first-seen order; solvers within a group by mean gap, best first, solvers without gaps last.
 */
export function gapStats(rows: readonly ResultRow[], groupOf: (row: ResultRow) => string | null): GapStats[] {
  const kept = rows.flatMap((r) => {
    const group = groupOf(r);
    return group === null ? [] : [{ group, row: r }];
  });
  const out: GapStats[] = [];
  for (const [group, members] of groupBy(kept, (k) => k.group)) {
    const bySolver = groupBy(members.map((m) => m.row), (r) => r.solver);
    const stats = new Map<string, GapStats>();
    for (const [solver, list] of bySolver) {
      const gaps = list.filter((r) => isSolved(r) && r.gap_to_best_known !== null).map((r) => r.gap_to_best_known!);
      stats.set(solver, {
        group,
        solver,
        kind: list[0]!.solver_kind,
        runs: list.length,
        solved: list.filter(isSolved).length,
        withGap: gaps.length,
        atBest: gaps.filter((g) => g <= AT_BEST).length,
        meanGap: mean(gaps),
        medianGap: median(gaps),
        worstGap: gaps.length === 0 ? null : Math.max(...gaps),
      });
    }
    for (const solver of sortByScore(stats.keys(), (s) => stats.get(s)!.meanGap)) out.push(stats.get(solver)!);
  }
  return out;
}

/** One instance configuration with a published reference: the publication's figures beside what the suite reached. */
export interface PublishedComparison {
  readonly family: PublishedFamily;
  readonly instance: string;
  readonly cluster: string | null;
  readonly publishedLowerBound: number | null;
  readonly publishedBestKnown: number | null;
  /** The published lower bound equals the published best value. */
  readonly provenOptimal: boolean;
  /** The best objective any solver of the suite reached, and the solvers that reached it. */
  readonly suiteBest: number | null;
  readonly suiteBestSolvers: readonly string[];
  /** (suite best - published best) / published best; negative when the suite beat a published (non-optimal) value. */
  readonly gap: number | null;
  readonly runs: number;
}

export function publishedComparisons(rows: readonly ResultRow[]): PublishedComparison[] {
  const out: PublishedComparison[] = [];
  for (const list of groupBy(rows.filter((r) => publishedFamily(r) !== null), instanceKey).values()) {
    const first = list[0]!;
    const solved = list.filter(isSolved);
    const best = solved.length === 0 ? null : Math.min(...solved.map((r) => r.objective!));
    const tol = (v: number) => AT_BEST * Math.max(1, Math.abs(v));
    const bestSolvers = best === null ? [] : solved.filter((r) => r.objective! <= best + tol(best)).map((r) => r.solver);
    const pub = first.published_best_known;
    out.push({
      family: publishedFamily(first)!,
      instance: first.instance,
      cluster: first.cluster,
      publishedLowerBound: first.published_lower_bound,
      publishedBestKnown: pub,
      provenOptimal: pub !== null && first.published_lower_bound !== null && Math.abs(pub - first.published_lower_bound) <= tol(pub),
      suiteBest: best,
      suiteBestSolvers: [...new Set(bestSolvers)].sort(),
      gap: best === null || pub === null || pub === 0 ? null : (best - pub) / Math.abs(pub),
      runs: list.length,
    });
  }
  return out;
}

/** One instance configuration whose placements were executed: does the predicted order hold when they run? */
export interface InstanceAgreement {
  readonly instance: string;
  readonly cluster: string | null;
  readonly variant: string | null;
  readonly placements: number;
  /** Pairs whose predicted completion differs by more than the threshold, and how many the runtime ordered the same way. */
  readonly clearPairs: number;
  readonly agreeingPairs: number;
  /** Kendall's tau-b between predicted and measured completion over all placements (null below 2 placements or with all ties). */
  readonly kendallTau: number | null;
  /** The solvers whose placements the model predicts to finish first (ties within the threshold included). */
  readonly predictedBest: readonly string[];
  readonly measuredBest: string;
  /**
   * How much later than the fastest placement the predicted-best placement finished, relative to the fastest:
   * (measured of the predicted best - best measured) / best measured; with several predicted best (a tie for the
   * model), the mean over them (what picking one of them blindly costs on average).
   */
  readonly regret: number;
}

export interface CompletionAgreement {
  /** Predicted-completion differences at or below this relative size are ignored (the model calls them a tie). */
  readonly minRelativeDifference: number;
  readonly instances: readonly InstanceAgreement[];
  readonly clearPairs: number;
  readonly agreeingPairs: number;
  /** Instances where the model predicts a single best placement, and how many of those finished first. */
  readonly decided: number;
  readonly predictedBestWasBest: number;
  /** measured / predicted per solver: mean and extremes over its executed placements. */
  readonly ratioBySolver: ReadonlyArray<{ readonly solver: string; readonly placements: number; readonly meanRatio: number; readonly minRatio: number; readonly maxRatio: number }>;
}

/** Kendall's tau-b rank correlation of paired values: 1 same order, -1 reversed, null when one side is all ties or fewer than 2 pairs. */
export function kendallTauB(pairs: ReadonlyArray<readonly [number, number]>): number | null {
  let concordant = 0;
  let discordant = 0;
  let tiesX = 0;
  let tiesY = 0;
  for (let i = 0; i < pairs.length; i++)
    for (let j = i + 1; j < pairs.length; j++) {
      const dx = Math.sign(pairs[i]![0] - pairs[j]![0]);
      const dy = Math.sign(pairs[i]![1] - pairs[j]![1]);
      if (dx === 0 && dy === 0) continue;
      if (dx === 0) tiesX++;
      else if (dy === 0) tiesY++;
      else if (dx === dy) concordant++;
      else discordant++;
    }
  const denominator = Math.sqrt((concordant + discordant + tiesX) * (concordant + discordant + tiesY));
  return denominator === 0 ? null : (concordant - discordant) / denominator;
}

/**
 * Compares predicted_completion with measured_completion over the executed placements of each instance key with
 * at least two of them. A pair of placements is "clear" when their predicted completions differ by more than
 * `minRelativeDifference` of the smaller; it agrees when the one predicted to finish sooner was measured sooner.
 * Placements within `minRelativeDifference` of the lowest prediction all count as the model's best.
 */
export function completionAgreement(rows: readonly ResultRow[], minRelativeDifference = 0.02): CompletionAgreement {
  const executed = rows.filter((r) => r.predicted_completion !== null && r.measured_completion !== null && r.predicted_completion > 0 && r.measured_completion > 0);
  const instances: InstanceAgreement[] = [];
  for (const list of groupBy(executed, instanceKey).values()) {
    if (list.length < 2) continue;
    let clearPairs = 0;
    let agreeingPairs = 0;
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i]!;
        const b = list[j]!;
        const pa = a.predicted_completion!;
        const pb = b.predicted_completion!;
        if (Math.abs(pa - pb) <= minRelativeDifference * Math.min(pa, pb)) continue;
        clearPairs++;
        if (Math.sign(pa - pb) === Math.sign(a.measured_completion! - b.measured_completion!)) agreeingPairs++;
      }
    const lowestPredicted = Math.min(...list.map((r) => r.predicted_completion!));
    const predictedBest = list.filter((r) => r.predicted_completion! - lowestPredicted <= minRelativeDifference * lowestPredicted);
    const byMeasured = [...list].sort((x, y) => x.measured_completion! - y.measured_completion! || x.solver.localeCompare(y.solver));
    const bestMeasured = byMeasured[0]!.measured_completion!;
    const first = list[0]!;
    instances.push({
      instance: first.instance,
      cluster: first.cluster,
      variant: first.variant,
      placements: list.length,
      clearPairs,
      agreeingPairs,
      kendallTau: kendallTauB(list.map((r) => [r.predicted_completion!, r.measured_completion!] as const)),
      predictedBest: predictedBest.map((r) => r.solver).sort(),
      measuredBest: byMeasured[0]!.solver,
      regret: mean(predictedBest.map((r) => (r.measured_completion! - bestMeasured) / bestMeasured))!,
    });
  }
  const ratioBySolver = [...groupBy(executed, (r) => r.solver)].map(([solver, list]) => {
    const ratios = list.map((r) => r.measured_completion! / r.predicted_completion!);
    return { solver, placements: list.length, meanRatio: mean(ratios)!, minRatio: Math.min(...ratios), maxRatio: Math.max(...ratios) };
  });
  return {
    minRelativeDifference,
    instances,
    clearPairs: instances.reduce((t, i) => t + i.clearPairs, 0),
    agreeingPairs: instances.reduce((t, i) => t + i.agreeingPairs, 0),
    decided: instances.filter((i) => i.predictedBest.length === 1).length,
    predictedBestWasBest: instances.filter((i) => i.predictedBest.length === 1 && i.regret <= AT_BEST).length,
    ratioBySolver: ratioBySolver.sort((a, b) => a.solver.localeCompare(b.solver)),
  };
}

/** A GitHub-flavoured Markdown table; null cells print as "-", `|` in cells is escaped. */
export function markdownTable(header: readonly string[], body: ReadonlyArray<ReadonlyArray<string | number | null>>, align?: readonly ('left' | 'right')[]): string {
  const cell = (v: string | number | null) => (v === null ? '-' : String(v).replace(/\|/g, '\\|'));
  const rule = header.map((_, i) => (align?.[i] === 'right' ? '---:' : '---'));
  return [header, rule, ...body.map((r) => r.map(cell))].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** 0.0534 -> "5.34%"; null -> null. */
export function percent(value: number | null, digits = 2): string | null {
  return value === null ? null : `${(value * 100).toFixed(digits)}%`;
}

/** A number with at most `digits` decimals and no trailing zeros; null -> null. */
export function decimal(value: number | null, digits = 3): string | null {
  return value === null ? null : String(Number(value.toFixed(digits)));
}
