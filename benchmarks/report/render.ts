import { Resvg } from '@resvg/resvg-js';
import { View, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { PLOT_FONT_FAMILY, plotFontFiles } from './fonts.ts';

/**
 * Plots without a browser: a vega-lite spec is compiled to vega, rendered headless to an SVG string (vega's
 * `renderer: 'none'` view; text widths are vega's estimate, there is no canvas), and the SVG is rasterised to PNG by
 * resvg (Rust, prebuilt per platform, no native build) with the bundled font.
 */

/** The SVG text of a vega-lite spec. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
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
