import { Resvg } from '@resvg/resvg-js';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLOT_FONT_FAMILY, plotFontFiles } from './fonts.ts';
import { readFontMetrics } from './text-width.ts';

describe('text widths from the bundled font', () => {
  const [regularFile, boldFile] = plotFontFiles();
  const regular = readFontMetrics(regularFile!);
  const bold = readFontMetrics(boldFile!);

  it('DejaVu Sans advance widths as the font defines them (2048 units per em)', () => {
    // DejaVu Sans: "m" advances 1995/2048 em, "i" 569/2048 em, the space 651/2048 em (hmtx of DejaVuSans.ttf 2.37)
    expect(regular.width('m', 2048)).toBe(1995);
    expect(regular.width('i', 2048)).toBe(569);
    expect(regular.width(' ', 2048)).toBe(651);
    expect(regular.width('mi', 10)).toBeCloseTo((10 * (1995 + 569)) / 2048, 12);
    expect(bold.width('m', 10)).toBeGreaterThan(regular.width('m', 10));
  });

  it('agrees with the width resvg draws within a few per cent', () => {
    for (const [text, size] of [['flink-task-balanced', 11], ['DAG placement: gap to best known per solver', 14], ['0.1 1 10 100', 10]] as const) {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="40"><text x="0" y="30" font-family="${PLOT_FONT_FAMILY}" font-size="${size}">${text}</text></svg>`;
      const box = new Resvg(svg, { font: { fontFiles: [regularFile!], loadSystemFonts: false, defaultFontFamily: PLOT_FONT_FAMILY } }).getBBox();
      const measured = regular.width(text, size);
      expect(Math.abs(box!.width - measured) / measured).toBeLessThan(0.05);
    }
  });

  it('refuses a file that is not a TrueType font, naming it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'slotlab-font-')), 'not-a-font.ttf');
    writeFileSync(file, 'hello, this is text and not a font at all');
    expect(() => readFontMetrics(file)).toThrow(/not-a-font\.ttf: .*expected a TrueType font/);
  });
});
