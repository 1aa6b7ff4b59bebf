import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { SlotlabError } from '../../models/errors.ts';

/**
 * The font every plot is drawn with. resvg draws no text at all when it finds no font, and a fresh machine (a CI
 * container) may have no system fonts, so slotlab brings its own: DejaVu Sans from the npm package
 * `dejavu-fonts-ttf` (a regular dependency; Bitstream Vera licence, redistribution allowed), loaded by file with
 * system fonts switched off. The PNGs are then the same on every machine.
 */
export const PLOT_FONT_FAMILY = 'DejaVu Sans';

const FONT_FILES = ['dejavu-fonts-ttf/ttf/DejaVuSans.ttf', 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'] as const;

/** A font file is missing: the installation is incomplete. */
export class PlotFontError extends SlotlabError {
  override name = 'PlotFontError';
}

/** Absolute paths of the font files (regular and bold) that resvg loads. */
export function plotFontFiles(): string[] {
  const require = createRequire(import.meta.url);
  return FONT_FILES.map((id) => {
    let file: string;
    try {
      file = require.resolve(id);
    } catch {
      throw new PlotFontError(`plots: the font file ${id} is missing (package dejavu-fonts-ttf): run npm ci to install slotlab's dependencies`);
    }
    if (!existsSync(file)) throw new PlotFontError(`plots: the font file ${file} is missing: run npm ci to install slotlab's dependencies`);
    return file;
  });
}
