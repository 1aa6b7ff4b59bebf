import type { TopLevelSpec } from 'vega-lite';
import type { ResultRow } from '../runner/columns.ts';
import { isSolved } from '../runner/references.ts';
import { groupBy, jitter, mean, median, modelInfo, modelsOf, slug, sortByScore } from './data.ts';
import { PLOT_CONFIG } from './theme.ts';
import type { PlotBuild, PlotBuilder, PlotSpec, SkippedPlot } from './types.ts';

export interface GapPlotOptions {
  readonly name: string;
  readonly title: string;
}

/**
 * Gap to best known per solver: a box (min to max, median line) per solver behind one dot per run, dots jittered
 * vertically (deterministically, by run id) and coloured by dataset. Solvers are sorted by median gap, best on top.
 * Only solved rows with a gap are drawn (column gap_to_best_known; docs/benchmarks.md says how it is computed).
 */
export function gapPlot(rows: readonly ResultRow[], options: GapPlotOptions): PlotSpec | SkippedPlot {
  const drawn = rows.filter((r) => isSolved(r) && r.gap_to_best_known !== null);
  if (drawn.length === 0) return { name: options.name, reason: 'no solved row has a gap_to_best_known' };
  const bySolver = groupBy(drawn, (r) => r.solver);
  // best median on top, ties broken by the mean (many solvers have median 0 on easy instances)
  const score = (s: string) => {
    const gaps = bySolver.get(s)!.map((r) => r.gap_to_best_known!);
    return [median(gaps)!, mean(gaps)!];
  };
  const order = sortByScore(bySolver.keys(), score);
  const sources = groupBy(drawn, (r) => r.best_known_source ?? 'none');
  const sourceText = [...sources].map(([s, list]) => `${s} ${list.length}`).join(', ');
  const keys = new Set(drawn.map((r) => `${r.dataset}|${r.instance}|${r.variant ?? ''}|${r.cluster ?? ''}`)).size;
  const values = drawn.map((r) => ({
    solver: r.solver,
    dataset: r.dataset,
    gapPct: r.gap_to_best_known! * 100,
    jitter: jitter(r.run_id),
  }));
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: options.title,
      subtitle: [
        `${drawn.length} solved runs on ${keys} instance configurations; gap = (objective - best known) / best known`,
        `best known from: ${sourceText}; solvers sorted by median gap, lowest on top`,
      ],
    },
    config: PLOT_CONFIG,
    data: { values },
    width: 520,
    height: { step: 30 },
    encoding: {
      y: { field: 'solver', type: 'nominal', sort: order, title: null },
      x: { field: 'gapPct', type: 'quantitative', title: 'gap to best known (%)' },
    },
    layer: [
      {
        mark: { type: 'boxplot', extent: 'min-max', size: 20, color: '#c8c8c8', opacity: 0.7, median: { color: '#333', strokeWidth: 2 }, ticks: false },
      },
      {
        mark: { type: 'circle', size: 40, opacity: 0.85, stroke: 'white', strokeWidth: 0.5 },
        encoding: {
          yOffset: { field: 'jitter', type: 'quantitative', scale: { domain: [-1.6, 1.6] } },
          color: { field: 'dataset', type: 'nominal', title: 'dataset', scale: { scheme: 'tableau10' } },
        },
      },
    ],
  };
  return {
    name: options.name,
    title: options.title,
    description: `Gap to the best known objective for each run (dots, coloured by dataset) and its spread per solver (boxes: min to max, line at the median); ${drawn.length} runs.`,
    spec,
    rows: drawn.length,
  };
}

/** One gap plot per model (solvers of different models answer different questions). */
export const gapPlots: PlotBuilder = (rows) => {
  const out: { plots: PlotSpec[]; skipped: SkippedPlot[] } = { plots: [], skipped: [] };
  for (const model of modelsOf(rows)) {
    const plot = gapPlot(
      rows.filter((r) => r.model === model),
      { name: `gap-${slug(model)}`, title: `${modelInfo(model).title}: gap to best known per solver` },
    );
    if ('spec' in plot) out.plots.push(plot);
    else out.skipped.push(plot);
  }
  return out satisfies PlotBuild;
};
