import { SlotlabError } from '../../models/errors.ts';
import type { ResultRow } from '../runner/columns.ts';
import { clusterPolicyPlots } from './cluster-plot.ts';
import { completionPlots } from './completion-plot.ts';
import { gapPlots } from './gap-plot.ts';
import { summaryPlots } from './summary-plot.ts';
import { solveTimePlots } from './time-plot.ts';
import { PLOT_KIND_NAMES, type PlotBuild, type PlotBuilder, type PlotKind } from './types.ts';

/** Every kind of plot `slotlab plot` draws, by name, in the order of the plots index. */
const BUILDERS: Readonly<Record<PlotKind, PlotBuilder>> = {
  summary: summaryPlots,
  gap: gapPlots,
  'solve-time': solveTimePlots,
  'predicted-vs-measured': completionPlots,
  'cluster-policies': clusterPolicyPlots,
};
export const PLOT_KINDS: Readonly<Record<string, PlotBuilder>> = Object.freeze(Object.fromEntries(PLOT_KIND_NAMES.map((kind) => [kind, BUILDERS[kind]])));

/** All plots of a results file (or the kinds named), with a reason for each plot that has no data. */
export function buildPlots(rows: readonly ResultRow[], kinds: readonly string[] = Object.keys(PLOT_KINDS)): PlotBuild {
  const out: PlotBuild = { plots: [], skipped: [] };
  for (const kind of kinds) {
    const build = PLOT_KINDS[kind];
    if (!build) throw new SlotlabError(`plots: unknown plot kind "${kind}"; the kinds are ${Object.keys(PLOT_KINDS).join(', ')}`);
    const { plots, skipped } = build(rows);
    out.plots.push(...plots);
    out.skipped.push(...skipped);
  }
  return out;
}
