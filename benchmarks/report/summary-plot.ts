import type { TopLevelSpec } from 'vega-lite';
import type { ResultRow } from '../runner/columns.ts';
import { rankOnCommonInstances } from '../runner/ranking.ts';
import { summarize, type SolverSummary } from '../runner/summary.ts';
import { modelInfo, modelsOf, powersOfTen, slug, sortByScore } from './data.ts';
import { PLOT_CONFIG } from './theme.ts';
import type { PlotBuilder, PlotSpec, SkippedPlot } from './types.ts';

/** How a run ended, for the outcome panel; colours are fixed so that every summary reads the same. */
const OUTCOMES = [
  { key: 'best', label: 'best of its instance', color: '#2e7d32' },
  { key: 'solved', label: 'solved, not best', color: '#9ccc65' },
  { key: 'timeout', label: 'timeout', color: '#fb8c00' },
  { key: 'infeasible', label: 'infeasible', color: '#8e24aa' },
  { key: 'invalid', label: 'invalid (validator)', color: '#e53935' },
  { key: 'error', label: 'error', color: '#757575' },
  { key: 'other', label: 'no solution', color: '#bdbdbd' },
] as const;

function outcomeCounts(s: SolverSummary): Record<(typeof OUTCOMES)[number]['key'], number> {
  const known = s.solved + s.timeouts + s.infeasible + s.invalid + s.errors;
  return { best: s.wins, solved: s.solved - s.wins, timeout: s.timeouts, infeasible: s.infeasible, invalid: s.invalid, error: s.errors, other: Math.max(0, s.runs - known) };
}

/**
 * Per-model summary, the runner's end-of-bench table (benchmarks/runner/summary.ts) drawn as three panels sharing
 * one row per solver: mean gap to best known with the worst gap as a tick; how the runs ended (best of their
 * instance, solved, timeout, infeasible, invalid, error); mean solve time on a log axis.
 */
export function summaryPlot(rows: readonly ResultRow[], model: string): PlotSpec | SkippedPlot {
  const name = `summary-${slug(model)}`;
  const summaries = summarize(rows.filter((r) => r.model === model));

  if (summaries.length === 0) return { name, reason: `no ${model} rows` };
  // Ranked only over common instances: the solvers of the largest common instance set in their ranking order, then
  // those of the next sets, then any solver that shares no instance set with another (by its own mean gap).
  const modelRows = rows.filter((r) => r.model === model);
  const groups = rankOnCommonInstances(modelRows);
  const ranked = [...new Set(groups.flatMap((g) => g.solvers.map((s) => s.solver)))];
  const order = [
    ...ranked,
    ...sortByScore(
      summaries.map((s) => s.solver).filter((s) => !ranked.includes(s)),
      (solver) => summaries.find((s) => s.solver === solver)!.meanGap,
    ),
  ];
  const firstGroup = groups[0];
  const rankedOn = firstGroup ? `ranked by mean gap over the ${firstGroup.instanceKeys.length} instances ${firstGroup.solvers.length} of them all ran, then over smaller common sets` : 'no two solvers ran the same instances: sorted by their own mean gap';
  const present = OUTCOMES.filter((o) => summaries.some((s) => outcomeCounts(s)[o.key] > 0));
  const gapValues = summaries.filter((s) => s.meanGap !== null).map((s) => ({ solver: s.solver, meanGapPct: s.meanGap! * 100, worstGapPct: s.worstGap! * 100, gapRows: s.gapRows }));
  const outcomeValues = summaries.flatMap((s) => {
    const counts = outcomeCounts(s);
    return OUTCOMES.map((o, i) => ({ solver: s.solver, outcome: o.label, order: i, runs: counts[o.key] })).filter((v) => v.runs > 0);
  });
  const timeValues = summaries.filter((s) => s.meanSolveMs !== null && s.meanSolveMs > 0).map((s) => ({ solver: s.solver, kind: s.kind, meanSolveMs: s.meanSolveMs! }));
  const runs = summaries.reduce((t, s) => t + s.runs, 0);
  const timeTicks = powersOfTen(timeValues.map((v) => v.meanSolveMs));
  const y = { field: 'solver', type: 'nominal' as const, sort: order, title: null };
  const yNoLabels = { ...y, axis: { labels: false, ticks: false, title: null } };
  const title = `${modelInfo(model).title}: summary per solver`;
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle: `${runs} runs of ${summaries.length} solvers, ${rankedOn}; gaps are each solver's own mean over its rows; solve time: squares = exact solvers, circles = heuristics` },
    config: PLOT_CONFIG,
    spacing: 12,
    resolve: { scale: { y: 'shared', color: 'independent' } },
    hconcat: [
      {
        width: 220,
        height: { step: 24 },
        data: { values: gapValues.length > 0 ? gapValues : [{ solver: order[0]!, meanGapPct: 0, worstGapPct: 0, gapRows: 0 }] },
        encoding: { y },
        layer: [
          { mark: { type: 'bar', color: '#4c78a8', height: { band: 0.6 } }, encoding: { x: { field: 'meanGapPct', type: 'quantitative', title: 'mean gap, tick = worst (%)' } } },
          { mark: { type: 'tick', color: '#d62728', thickness: 2, bandSize: 18 }, encoding: { x: { field: 'worstGapPct', type: 'quantitative' } } },
        ],
      },
      {
        width: 170,
        height: { step: 24 },
        data: { values: timeValues },
        mark: { type: 'point', filled: true, size: 60, color: '#4c78a8' },
        encoding: {
          y: yNoLabels,
          x: {
            field: 'meanSolveMs',
            type: 'quantitative',
            scale: { type: 'log', domain: [timeTicks[0]!, timeTicks[timeTicks.length - 1]!] },
            axis: { values: timeTicks, format: '~g' },
            title: 'mean solve time (ms, log)',
          },
          shape: { field: 'kind', type: 'nominal', scale: { domain: ['exact', 'heuristic'], range: ['square', 'circle'] }, legend: null },
        },
      },
      {
        width: 200,
        height: { step: 24 },
        data: { values: outcomeValues },
        mark: { type: 'bar', height: { band: 0.6 } },
        encoding: {
          y: yNoLabels,
          x: { field: 'runs', type: 'quantitative', stack: 'zero', title: 'runs by outcome', axis: { tickMinStep: 1, format: 'd' } },
          color: {
            field: 'outcome',
            type: 'nominal',
            title: 'outcome',
            scale: { domain: present.map((o) => o.label), range: present.map((o) => o.color) },
            legend: { orient: 'right', symbolType: 'square' },
          },
          order: { field: 'order', type: 'quantitative' },
        },
      },
    ],
  };
  return {
    name,
    title,
    description: `Per solver: mean (bar) and worst (tick) gap to best known, runs by outcome, mean solve time; ${runs} runs.`,
    spec,
    rows: runs,
  };
}

export const summaryPlots: PlotBuilder = (rows) => {
  const plots: PlotSpec[] = [];
  const skipped: SkippedPlot[] = [];
  for (const model of modelsOf(rows)) {
    const plot = summaryPlot(rows, model);
    if ('spec' in plot) plots.push(plot);
    else skipped.push(plot);
  }
  return { plots, skipped };
};
