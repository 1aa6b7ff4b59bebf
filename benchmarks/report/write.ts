import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ResultRow } from '../runner/columns.ts';
import { buildPlots } from './plots.ts';
import { renderSvg, svgToPng } from './render.ts';
import type { PlotSpec, SkippedPlot } from './types.ts';

export interface WritePlotsOptions {
  readonly outDir: string;
  /** Also write a PNG beside each SVG (default true). */
  readonly png?: boolean;
  /** PNG pixels per SVG unit (default 2). */
  readonly scale?: number;
  /** Plot kinds to draw (default all, see PLOT_KINDS). */
  readonly kinds?: readonly string[];
  /** Where the rows came from, for the index. */
  readonly source?: string;
}

export interface WrittenPlots {
  /** Every file written, the index last. */
  readonly files: string[];
  readonly skipped: SkippedPlot[];
}

/**
 * Draws every plot of `rows` into `outDir`: NAME.svg always, NAME.png unless `png: false`, and index.md listing what
 * each plot shows and which plots were not drawn and why.
 */
export async function writePlots(rows: readonly ResultRow[], options: WritePlotsOptions): Promise<WrittenPlots> {
  const { plots, skipped } = buildPlots(rows, options.kinds);
  mkdirSync(options.outDir, { recursive: true });
  const files: string[] = [];
  const index: string[] = [`# Plots${options.source ? ` of ${options.source}` : ''}`, '', `${rows.length} result rows. Drawn by \`slotlab plot\` (benchmarks/report/).`, ''];
  for (const plot of plots) {
    files.push(...(await writePlot(plot, join(options.outDir, `${plot.name}.svg`), options)));
    index.push(`## ${plot.title}`, '', plot.description, '', `![${plot.title}](${plot.name}.${options.png !== false ? 'png' : 'svg'})`, '');
  }
  if (skipped.length > 0) {
    index.push('## Not drawn', '');
    for (const s of skipped) index.push(`- ${s.name}: ${s.reason}`);
    index.push('');
  }
  const indexFile = join(options.outDir, 'index.md');
  writeFileSync(indexFile, index.join('\n'));
  files.push(indexFile);
  return { files, skipped };
}

/**
 * Renders one plot to `svgFile` (its folder is created) and, unless `png: false`, to the PNG beside it (same name,
 * `.png`). Returns the files written. Every plot slotlab draws goes through here.
 */
export async function writePlot(plot: PlotSpec, svgFile: string, options: { readonly png?: boolean; readonly scale?: number } = {}): Promise<string[]> {
  mkdirSync(dirname(svgFile), { recursive: true });
  const svg = await renderSvg(plot.spec);
  writeFileSync(svgFile, svg);
  if (options.png === false) return [svgFile];
  const pngFile = svgFile.replace(/\.svg$/i, '') + '.png';
  writeFileSync(pngFile, svgToPng(svg, options.scale === undefined ? {} : { scale: options.scale }));
  return [svgFile, pngFile];
}
