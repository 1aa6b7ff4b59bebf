/** Plots and tables of benchmark results (a results CSV written by `slotlab bench`), for `slotlab plot` and the notebooks. */
export { PLOT_FONT_FAMILY, PlotFontError, plotFontFiles } from './fonts.ts';
export { PLOT_CONFIG } from './theme.ts';
export { PNG_SIGNATURE, renderSvg, svgToPng, type PngOptions } from './render.ts';
export type { PlotBuild, PlotBuilder, PlotSpec, SkippedPlot } from './types.ts';
export { gapPlot, gapPlots, type GapPlotOptions } from './gap-plot.ts';
export { solveTimePlot, solveTimePlots } from './time-plot.ts';
export { completionPlot, completionPlots } from './completion-plot.ts';
export { summaryPlot, summaryPlots } from './summary-plot.ts';
export { PLOT_KINDS, buildPlots } from './plots.ts';
export { GANTT_LANE_PX, GANTT_WIDTH_PX, ganttChart, ganttData, laneLabel, type GanttBar, type GanttData, type GanttOptions, type GanttTransfer } from './gantt.ts';
export { JOB_LAYER_PX, JOB_ROW_PX, clusterPlot, jobGraphLayout, jobGraphPlot, type OperatorPosition } from './instance-plots.ts';
export { writePlot, writePlots, type WritePlotsOptions, type WrittenPlots } from './write.ts';
export { modelInfo, modelsOf, type ModelInfo } from './data.ts';
export {
  completionAgreement,
  decimal,
  gapStats,
  kendallTauB,
  markdownTable,
  percent,
  publishedComparisons,
  publishedFamily,
  type CompletionAgreement,
  type GapStats,
  type InstanceAgreement,
  type PublishedComparison,
  type PublishedFamily,
} from './tables.ts';
