import type { TopLevelSpec } from 'vega-lite';
import type { ResultRow } from '../runner/columns.ts';
import { logTicks, modelInfo, modelsOf, slug } from './data.ts';
import { PLOT_CONFIG } from './theme.ts';
import type { PlotBuilder, PlotSpec, SkippedPlot } from './types.ts';

/** Above this ratio between the largest and the smallest value, the axes are logarithmic. */
const LOG_SPAN = 10;

/**
 * Predicted against measured completion time: one dot per executed placement (predicted_completion from the model,
 * measured_completion from the runtime), coloured by solver, with the line y = x. Dots above the line finished later
 * than the model said. Only rows with both columns filled are drawn.
 */
export function completionPlot(rows: readonly ResultRow[], model: string): PlotSpec | SkippedPlot {
  const name = `predicted-vs-measured-${slug(model)}`;
  const drawn = rows.filter((r) => r.model === model && r.predicted_completion !== null && r.measured_completion !== null);
  if (drawn.length === 0)
    return { name, reason: `no ${model} row has both predicted_completion and measured_completion (no placement was executed on the runtime)` };
  const all = drawn.flatMap((r) => [r.predicted_completion!, r.measured_completion!]);
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const log = lo > 0 && hi / lo > LOG_SPAN;
  // both axes on one domain, so that the diagonal is the diagonal
  const domain = log ? [lo / 1.25, hi * 1.25] : [Math.max(0, lo - (hi - lo) * 0.05), hi + (hi - lo) * 0.05];
  const scale = log ? { type: 'log' as const, domain, nice: false } : { domain, zero: false, nice: false };
  const axis = log ? { values: logTicks(domain[0]!, domain[1]!), format: '~s' } : {};
  const instanceNames = [...new Set(drawn.map((r) => r.instance))];
  const shapeByInstance = instanceNames.length <= 8;
  const instances = new Set(drawn.map((r) => `${r.instance}|${r.cluster ?? ''}`)).size;
  const title = `${modelInfo(model).title}: predicted vs measured completion`;
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: title,
      subtitle: `${drawn.length} executed placements of ${instances} instances; dashed line: measured = predicted${log ? '; log scales' : ''}; above the line: slower than predicted`,
    },
    config: PLOT_CONFIG,
    width: 420,
    height: 420,
    layer: [
      {
        data: { values: [{ v: lo }, { v: hi }] },
        mark: { type: 'line', color: '#888', strokeDash: [6, 4], strokeWidth: 1.5 },
        encoding: {
          x: { field: 'v', type: 'quantitative', scale, axis, title: 'predicted completion (ms)' },
          y: { field: 'v', type: 'quantitative', scale, axis, title: 'measured completion (ms)' },
        },
      },
      {
        data: { values: drawn.map((r) => ({ solver: r.solver, instance: r.instance, predicted: r.predicted_completion!, measured: r.measured_completion! })) },
        mark: { type: 'point', filled: true, size: 60, opacity: 0.8 },
        encoding: {
          x: { field: 'predicted', type: 'quantitative', scale },
          y: { field: 'measured', type: 'quantitative', scale },
          color: { field: 'solver', type: 'nominal', title: 'solver' },
          ...(shapeByInstance ? { shape: { field: 'instance', type: 'nominal' as const, title: 'instance', legend: { labelLimit: 320 } } } : {}),
        },
      },
    ],
  };
  return {
    name,
    title,
    description: `Model-predicted against runtime-measured completion time, one dot per executed placement (${drawn.length}), with the line measured = predicted.`,
    spec,
    rows: drawn.length,
  };
}

/** One plot per model with executed placements (the runtime executes DAG placements only), or one reason for none. */
export const completionPlots: PlotBuilder = (rows) => {
  const plots: PlotSpec[] = [];
  const skipped: SkippedPlot[] = [];
  const models = modelsOf(rows).filter((m) => rows.some((r) => r.model === m && r.predicted_completion !== null && r.measured_completion !== null));
  for (const model of models) {
    const plot = completionPlot(rows, model);
    if ('spec' in plot) plots.push(plot);
    else skipped.push(plot);
  }
  if (models.length === 0)
    skipped.push({
      name: 'predicted-vs-measured',
      reason: 'no row has both predicted_completion and measured_completion (no placement was executed on the runtime; a suite executes the DAG placements of its groups with "execute")',
    });
  return { plots, skipped };
};
