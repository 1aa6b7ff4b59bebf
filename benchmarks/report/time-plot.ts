import type { TopLevelSpec } from 'vega-lite';
import type { ResultRow } from '../runner/columns.ts';
import { modelInfo, modelsOf, powersOfTen, slug } from './data.ts';
import { PLOT_CONFIG } from './theme.ts';
import type { PlotBuilder, PlotSpec, SkippedPlot } from './types.ts';

/** Rows whose solve time says something: the solver returned (a solution, a proof of infeasibility, or hit its limit). */
const TIMED_STATUSES: ReadonlySet<string> = new Set(['optimal', 'feasible', 'infeasible', 'timeout']);

/**
 * Solve time against instance size per solver, both axes logarithmic: one dot per run (filled for exact solvers,
 * hollow for heuristics) and a line through each solver's median time at each size. Size is the model's size
 * column (subtasks, tasks, or slots; see data.ts). Rows with a zero or missing solve_ms cannot sit on a log axis and
 * are left out; the subtitle counts them.
 */
export function solveTimePlot(rows: readonly ResultRow[], model: string): PlotSpec | SkippedPlot {
  const info = modelInfo(model);
  const name = `solve-time-${slug(model)}`;
  const candidates = rows.filter((r) => r.model === model && TIMED_STATUSES.has(r.status));
  const drawn = candidates.filter((r) => r.solve_ms !== null && r.solve_ms > 0 && (r[info.sizeColumn] ?? 0) > 0);
  if (drawn.length === 0) return { name, reason: `no ${model} row has both a solve_ms and a ${info.sizeColumn} above 0` };
  const left = candidates.length - drawn.length;
  const timeouts = drawn.filter((r) => r.status === 'timeout').length;
  const values = drawn.map((r) => ({ solver: r.solver, kind: r.solver_kind, size: r[info.sizeColumn]!, solveMs: r.solve_ms!, status: r.status }));
  const title = `${info.title}: solve time vs instance size`;
  const sizes = [...new Set(values.map((v) => v.size))].sort((a, b) => a - b);
  const kinds = [...new Set(values.map((v) => v.kind))].sort();
  const timeTicks = powersOfTen(values.map((v) => v.solveMs));
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: title,
      subtitle:
        `${drawn.length} runs (log-log; dots: runs, filled = exact solver; lines: median per solver and size)` +
        (timeouts > 0 ? `; ${timeouts} timeouts (drawn at the time limit they hit)` : '') +
        (left > 0 ? `; ${left} runs without a positive time left out` : ''),
    },
    config: PLOT_CONFIG,
    data: { values },
    width: 520,
    height: 340,
    encoding: {
      x: { field: 'size', type: 'quantitative', scale: { type: 'log', nice: false, padding: 12 }, title: info.sizeLabel, axis: sizes.length <= 10 ? { values: sizes, format: '~g' } : { format: '~g' } },
      color: { field: 'solver', type: 'nominal', title: 'solver' },
    },
    layer: [
      {
        mark: { type: 'point', size: 45, strokeWidth: 1.5, opacity: 0.8 },
        encoding: {
          y: {
            field: 'solveMs',
            type: 'quantitative',
            scale: { type: 'log', domain: [timeTicks[0]!, timeTicks[timeTicks.length - 1]!] },
            axis: { values: timeTicks, format: '~g' },
            title: 'solve time (ms, log scale)',
          },
          fill: { condition: { test: "datum.kind === 'exact'", field: 'solver', type: 'nominal', legend: null }, value: 'transparent' },
          shape: { field: 'kind', type: 'nominal', title: 'kind', scale: { domain: kinds, range: kinds.map((k) => (k === 'exact' ? 'square' : 'circle')) } },
        },
      },
      {
        mark: { type: 'line', strokeWidth: 1, opacity: 0.5 },
        encoding: { y: { aggregate: 'median', field: 'solveMs', type: 'quantitative' } },
      },
    ],
  };
  return {
    name,
    title,
    description: `Solve time against ${info.sizeLabel}, log-log, one dot per run, a line through each solver's median; ${drawn.length} runs.`,
    spec,
    rows: drawn.length,
  };
}

export const solveTimePlots: PlotBuilder = (rows) => {
  const plots: PlotSpec[] = [];
  const skipped: SkippedPlot[] = [];
  for (const model of modelsOf(rows)) {
    const plot = solveTimePlot(rows, model);
    if ('spec' in plot) plots.push(plot);
    else skipped.push(plot);
  }
  return { plots, skipped };
};
