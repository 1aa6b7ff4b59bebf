import { readFileSync } from 'node:fs';
import { PlotFontError } from './fonts.ts';

/**
 * Text widths from the font's own metrics. Without a canvas, vega estimates a text's width as 0.8 em per character,
 * about 1.4 times DejaVu Sans's real width; every title, legend and axis label then gets too much room, and labels
 * are cut ("…") earlier than needed. Reading the advance widths from the TrueType file (tables cmap format 4, hmtx,
 * hhea, head) gives the widths resvg will draw (without kerning, a few per cent at most).
 */
export interface FontMetrics {
  /** Width in px of `text` at `fontSize` px. */
  width(text: string, fontSize: number): number;
}

/** Reads the horizontal metrics of a TrueType font file. */
export function readFontMetrics(file: string): FontMetrics {
  const bytes = readFileSync(file);
  const data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (what: string): never => {
    throw new PlotFontError(`${file}: ${what} (expected a TrueType font)`);
  };
  if (bytes.byteLength < 12) fail('the file is too short');
  const tables = new Map<string, number>();
  const numTables = data.getUint16(4);
  for (let i = 0; i < numTables; i++) {
    const at = 12 + 16 * i;
    if (at + 16 > bytes.byteLength) fail('the table directory is truncated');
    tables.set(bytes.toString('latin1', at, at + 4), data.getUint32(at + 8));
  }
  const table = (tag: string) => tables.get(tag) ?? fail(`no ${tag} table`);
  const unitsPerEm = data.getUint16(table('head') + 18);
  const numberOfHMetrics = data.getUint16(table('hhea') + 34);
  const hmtx = table('hmtx');
  const advance = (glyph: number) => data.getUint16(hmtx + 4 * Math.min(glyph, numberOfHMetrics - 1));

  const cmap = table('cmap');
  let format4 = -1;
  for (let i = 0; i < data.getUint16(cmap + 2); i++) {
    const rec = cmap + 4 + 8 * i;
    const platform = data.getUint16(rec);
    const encoding = data.getUint16(rec + 2);
    const sub = cmap + data.getUint32(rec + 4);
    if (data.getUint16(sub) === 4 && ((platform === 3 && encoding === 1) || platform === 0)) {
      format4 = sub;
      break;
    }
  }
  if (format4 < 0) fail('no Unicode BMP character map (cmap format 4)');
  const segCount = data.getUint16(format4 + 6) / 2;
  const ends = format4 + 14;
  const starts = ends + 2 * segCount + 2;
  const deltas = starts + 2 * segCount;
  const rangeOffsets = deltas + 2 * segCount;
  const glyphOf = (code: number): number => {
    for (let i = 0; i < segCount; i++) {
      if (code > data.getUint16(ends + 2 * i)) continue;
      const start = data.getUint16(starts + 2 * i);
      if (code < start) return 0;
      const delta = data.getInt16(deltas + 2 * i);
      const rangeOffset = data.getUint16(rangeOffsets + 2 * i);
      if (rangeOffset === 0) return (code + delta) & 0xffff;
      const glyph = data.getUint16(rangeOffsets + 2 * i + rangeOffset + 2 * (code - start));
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };
  const advanceByCode = new Map<number, number>();
  return {
    width(text, fontSize) {
      let units = 0;
      for (const ch of text) {
        const code = ch.codePointAt(0)!;
        let a = advanceByCode.get(code);
        if (a === undefined) advanceByCode.set(code, (a = advance(code > 0xffff ? 0 : glyphOf(code))));
        units += a;
      }
      return (units / unitsPerEm) * fontSize;
    },
  };
}
