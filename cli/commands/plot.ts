import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative } from 'node:path';
import { PLOT_KIND_NAMES } from '../../benchmarks/report/types.ts';
import { InstanceFormatError, InvalidInstanceError } from '../../models/errors.ts';
import { parseNonNegativeNumber } from '../options.ts';

/** Where plots go when --out-dir is not given: beside the CSV, `results/default.csv` -> `results/default-plots/`. */
export function defaultPlotDir(csv: string): string {
  return join(dirname(csv), `${basename(csv, extname(csv))}-plots`);
}

/** A path relative to the working directory when it lies below it, absolute otherwise. */
function shown(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel === '' || rel.startsWith('..') ? file : rel;
}

/**
 * `slotlab plot <results.csv> [--out-dir DIR] [--no-png] [--scale N] [--only KIND,...]`: draws the plots of a
 * results CSV written by `slotlab bench` (summary, gap, solve-time, predicted-vs-measured per model) as SVG and
 * PNG, with an index.md saying what each plot shows and which plots had no data. docs/plots-and-notebooks.md.
 */
export function registerPlot(program: Command): void {
  program
    .command('plot')
    .description(`draw the plots of a results CSV (from slotlab bench) as SVG and PNG; kinds: ${PLOT_KIND_NAMES.join(', ')}`)
    .argument('<results.csv>', 'a results CSV written by slotlab bench (e.g. results/default.csv)')
    .option('--out-dir <dir>', 'where to write the plots (default: beside the CSV, results/default.csv -> results/default-plots/)')
    .option('--no-png', 'write SVG only')
    .option('--scale <n>', 'PNG pixels per SVG unit (default 2)')
    .option('--only <kinds>', 'comma-separated plot kinds to draw')
    .action(async (csv: string, opts: { outDir?: string; png: boolean; scale?: string; only?: string }) => {
      if (!existsSync(csv) || !statSync(csv).isFile())
        throw new InstanceFormatError(csv, 'file', 'an existing results CSV (write one with: slotlab bench default --out results/default.csv)');
      const scale = opts.scale === undefined ? undefined : parseNonNegativeNumber(opts.scale, '--scale');
      if (scale !== undefined && (scale <= 0 || scale > 10)) throw new InvalidInstanceError('--scale', opts.scale!, 'should be above 0 and at most 10');
      const kinds = opts.only === undefined ? undefined : opts.only.split(',').map((k) => k.trim()).filter((k) => k !== '');
      for (const kind of kinds ?? [])
        if (!(PLOT_KIND_NAMES as readonly string[]).includes(kind)) throw new InvalidInstanceError('--only', kind, `is not a plot kind; the kinds are ${PLOT_KIND_NAMES.join(', ')}`);
      const [{ readResultsFile }, { writePlots }] = await Promise.all([import('../../benchmarks/runner/csv.ts'), import('../../benchmarks/report/write.ts')]);
      const rows = readResultsFile(csv);
      if (rows.length === 0) throw new InstanceFormatError(csv, 'line 2', 'at least one result row (the file has only its header)');
      const outDir = opts.outDir ?? defaultPlotDir(csv);
      const written = await writePlots(rows, {
        outDir,
        png: opts.png,
        source: csv,
        ...(scale !== undefined ? { scale } : {}),
        ...(kinds !== undefined ? { kinds } : {}),
      });
      for (const file of written.files) process.stdout.write(`wrote ${shown(file)}\n`);
      for (const s of written.skipped) process.stdout.write(`not drawn: ${s.name}: ${s.reason}\n`);
    });
}
