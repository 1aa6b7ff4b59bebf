import type { TopLevelSpec } from 'vega-lite';
import type { ResultRow } from '../runner/columns.ts';

/** A plot ready to render: a file name (no extension), what it shows, and its vega-lite spec with the data inlined. */
export interface PlotSpec {
  readonly name: string;
  readonly title: string;
  /** One sentence for the plots index: what is drawn and how to read it. */
  readonly description: string;
  readonly spec: TopLevelSpec;
  /** How many result rows it draws. */
  readonly rows: number;
}

/** A plot that was not drawn, and why (no rows with the columns it needs). */
export interface SkippedPlot {
  readonly name: string;
  readonly reason: string;
}

export interface PlotBuild {
  readonly plots: PlotSpec[];
  readonly skipped: SkippedPlot[];
}

/** The kinds of plot `slotlab plot` draws, in the order of the plots index (plots.ts maps each to its builder).
 *  Here, apart from the builders, so that the CLI's help can list them without loading the plotting code. */
export const PLOT_KIND_NAMES = ['summary', 'gap', 'solve-time', 'predicted-vs-measured', 'cluster-policies'] as const;
export type PlotKind = (typeof PLOT_KIND_NAMES)[number];

/** Every kind of plot has this signature: result rows in, plots (or reasons for none) out. */
export type PlotBuilder = (rows: readonly ResultRow[]) => PlotBuild;
