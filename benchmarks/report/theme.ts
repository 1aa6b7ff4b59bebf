import type { Config } from 'vega-lite';
import { PLOT_FONT_FAMILY } from './fonts.ts';

/** One look for every plot: the bundled font, a white background (PNG viewers show transparency as black or checks), tableau20 for many solvers. */
export const PLOT_CONFIG: Config = {
  font: PLOT_FONT_FAMILY,
  background: 'white',
  padding: 12,
  view: { stroke: '#ccc' },
  title: { fontSize: 14, anchor: 'start', subtitleFontSize: 11, subtitleColor: '#555' },
  axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 260 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 260 },
  header: { labelFontSize: 12, titleFontSize: 12 },
  range: { category: { scheme: 'tableau20' } },
};
