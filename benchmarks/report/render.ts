import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { PLOT_FONT_FAMILY, plotFontFiles } from './fonts.ts';
import { readFontMetrics } from './text-width.ts';

/**
 * Plots without a browser: a vega-lite spec is compiled to vega, rendered headless to an SVG string (vega's
 * `renderer: 'none'` view; text widths are vega's estimate, there is no canvas), and the SVG is rasterised to PNG by
 * resvg (Rust, prebuilt per platform, no native build) with the bundled font. Text is measured with the bundled
 * font's metrics (text-width.ts) through vega's hook for canvas-less measurement, `textMetrics.width`.
 */

/** The text properties of a vega scenegraph item that decide its width. */
interface TextItem {
  readonly fontSize?: number | string;
  readonly fontWeight?: number | string;
  readonly limit?: number;
}

/** vega's text measurement hook (vega-scenegraph's `textMetrics`; untyped in vega's d.ts). */
interface VegaTextMetrics {
  width: (item: TextItem, text: unknown) => number;
}

/**
 * Points vega's text measurement at the bundled font. vega documents `textMetrics.width` as replaceable for exactly
 * this (vl-convert does the same); every call installs an equivalent function, so concurrent renders agree.
 */
function measureTextWithBundledFont(): void {
  const [regularFile, boldFile] = plotFontFiles();
  const regular = readFontMetrics(regularFile!);
  const bold = readFontMetrics(boldFile!);
  const metrics = (vega as unknown as { textMetrics: VegaTextMetrics }).textMetrics;
  metrics.width = (item, text) => {
    const size = item.fontSize === undefined ? 11 : Number(item.fontSize) || 0;
    const weight = item.fontWeight;
    const isBold = weight === 'bold' || weight === 'bolder' || (typeof weight === 'number' && weight >= 600) || (typeof weight === 'string' && Number(weight) >= 600);
    const width = (isBold ? bold : regular).width(String(text ?? '').trim(), size);
    // a label longer than its limit is drawn cut to the limit
    return item.limit !== undefined && item.limit > 0 ? Math.min(width, item.limit) : width;
  };
}

/** The SVG text of a vega-lite spec. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  measureTextWithBundledFont();
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export interface PngOptions {
  /** Pixels per SVG unit (default 2: sharp on high-density screens, still small files). */
  readonly scale?: number;
}

/** PNG bytes of an SVG, drawn with the bundled font only (no system fonts, so every machine gives the same image). */
export function svgToPng(svg: string, options: PngOptions = {}): Uint8Array {
  const resvg = new Resvg(svg, {
    font: { fontFiles: plotFontFiles(), loadSystemFonts: false, defaultFontFamily: PLOT_FONT_FAMILY, sansSerifFamily: PLOT_FONT_FAMILY },
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
  });
  return resvg.render().asPng();
}

/** The eight bytes every PNG file starts with. */
export const PNG_SIGNATURE: readonly number[] = Object.freeze([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
