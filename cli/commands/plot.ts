import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative } from 'node:path';
import { PLOT_KIND_NAMES } from '../../benchmarks/report/types.ts';
import { InstanceFormatError, InvalidInstanceError, OptionError } from '../../models/errors.ts';
import { parseNonNegativeNumber } from '../options.ts';
import { addInstanceOptions, loadInstanceFromCli, type InstanceInputOptions } from './solve.ts';

/** Where plots go when --out-dir is not given: beside the CSV, `results/default.csv` -> `results/default-plots/`. */
export function defaultPlotDir(csv: string): string {
  return join(dirname(csv), `${basename(csv, extname(csv))}-plots`);
}

/** Where the pictures of an instance go when neither --out nor --out-dir is given (results/ is ignored by git). */
export const DEFAULT_INSTANCE_PLOT_DIR = join('results', 'plots');

/** A path relative to the working directory when it lies below it, absolute otherwise. */
function shown(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel === '' || rel.startsWith('..') ? file : rel;
}

interface PlotCliOptions extends InstanceInputOptions {
  outDir?: string;
  png: boolean;
  scale?: string;
  only?: string;
  schedule?: string;
  out?: string;
  seed: string;
  timeLimit: string;
}

/** A results CSV (from `slotlab bench`) is plotted as results; every other file is read as an instance. */
export function isResultsCsv(file: string): boolean {
  return extname(file).toLowerCase() === '.csv';
}

function parseScale(opts: PlotCliOptions): number | undefined {
  const scale = opts.scale === undefined ? undefined : parseNonNegativeNumber(opts.scale, '--scale');
  if (scale !== undefined && (scale <= 0 || scale > 10)) throw OptionError.flag('--scale', opts.scale!, 'should be above 0 and at most 10');
  return scale;
}

async function plotResults(csv: string, opts: PlotCliOptions): Promise<void> {
  for (const [flag, value] of [['--schedule', opts.schedule], ['--out', opts.out]] as const)
    if (value !== undefined) throw OptionError.flag(flag, value, `draws the schedule of an instance, but ${csv} is a results CSV (use --out-dir for its plots)`);
  if (!existsSync(csv) || !statSync(csv).isFile())
    throw new InstanceFormatError(csv, 'file', 'an existing results CSV (write one with: slotlab bench default --out results/default.csv)');
  const scale = parseScale(opts);
  const kinds = opts.only === undefined ? undefined : opts.only.split(',').map((k) => k.trim()).filter((k) => k !== '');
  for (const kind of kinds ?? [])
    if (!(PLOT_KIND_NAMES as readonly string[]).includes(kind)) throw OptionError.flag('--only', kind, `is not a plot kind; the kinds are ${PLOT_KIND_NAMES.join(', ')}`);
  // loaded here, so that --help stays fast
  const [{ readResultsFile }, { writePlots }] = await Promise.all([import('../../benchmarks/runner/csv.ts'), import('../../benchmarks/report/index.ts')]);
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
}

async function plotInstance(path: string, opts: PlotCliOptions): Promise<void> {
  if (opts.only !== undefined) throw OptionError.flag('--only', opts.only, `chooses plots of a results CSV, but ${path} is an instance (its plots: job graph, cluster, and the Gantt chart with --schedule)`);
  if (opts.out !== undefined && extname(opts.out).toLowerCase() !== '.svg')
    throw OptionError.flag('--out', opts.out, 'should be an .svg file (the PNG is written beside it with the same name)');
  const scale = parseScale(opts);
  const instance = await loadInstanceFromCli(path, opts);
  const [{ clusterPlot, ganttChart, jobGraphPlot, writePlot }, { slug }, { evaluateDagPlacement }, { validateDagPlacement }, { resolvePlacement }] = await Promise.all([
    import('../../benchmarks/report/index.ts'),
    import('../../benchmarks/report/data.ts'),
    import('../../models/dag-placement/evaluate.ts'),
    import('../../models/dag-placement/validator.ts'),
    import('../placement-input.ts'),
  ]);
  if (instance.kind !== 'dag-placement')
    throw new InvalidInstanceError(path, 'the instance', `slotlab plot draws DAG placement instances (job graph, cluster, schedule), but this is a ${instance.kind} instance`);
  const outDir = opts.out !== undefined ? dirname(opts.out) : (opts.outDir ?? DEFAULT_INSTANCE_PLOT_DIR);
  const render = { png: opts.png, ...(scale !== undefined ? { scale } : {}) };
  const files: string[] = [];
  let summary: string | undefined;
  if (opts.schedule !== undefined) {
    const resolved = await resolvePlacement(instance, opts.schedule, '--schedule', opts);
    const violations = validateDagPlacement(instance, resolved.placement);
    if (violations.length > 0)
      throw new InvalidInstanceError(
        resolved.label,
        '--schedule',
        `is not a valid ${instance.variant} schedule of ${instance.name}: ${violations.length} violation${violations.length === 1 ? '' : 's'}, first: ${violations[0]!.message}`,
      );
    // a placement without times is drawn with the model's earliest schedule (the evaluator's prediction)
    const schedule = evaluateDagPlacement(instance, resolved.placement).schedule;
    const gantt = ganttChart(instance, schedule, { scheduleSource: resolved.label });
    files.push(...(await writePlot(gantt, opts.out ?? join(outDir, `${gantt.name}-${slug(basename(resolved.label, '.json'))}.svg`), render)));
    summary = `${gantt.title}; schedule from ${resolved.source}`;
  }
  for (const plot of [jobGraphPlot(instance), clusterPlot(instance)]) files.push(...(await writePlot(plot, join(outDir, `${plot.name}.svg`), render)));
  for (const file of files) process.stdout.write(`wrote ${shown(file)}\n`);
  if (summary !== undefined) process.stdout.write(`${summary}\n`);
}

/**
 * `slotlab plot <results.csv | instance> ...`: a results CSV written by `slotlab bench` gets its plots (summary, gap,
 * solve-time, predicted-vs-measured per model) with an index.md; a DAG placement instance gets drawings of its job
 * graph and its cluster, and with `--schedule <file|solver>` the Gantt chart of that schedule. SVG and PNG, through
 * benchmarks/report/. docs/plots-and-notebooks.md.
 */
export function registerPlot(program: Command): void {
  addInstanceOptions(
    program
      .command('plot')
      .description(`draw the plots of a results CSV (kinds: ${PLOT_KIND_NAMES.join(', ')}), or an instance's job graph, cluster and (--schedule) Gantt chart, as SVG and PNG`)
      .argument('<input>', 'a results CSV written by slotlab bench (e.g. results/default.csv), or a DAG placement instance file'),
  )
    .option('--schedule <file|solver>', 'instance: the schedule to draw, a file written by `slotlab solve --out` or a DAG placement solver name (e.g. heft)')
    .option('--out <file.svg>', 'instance: the Gantt chart SVG (PNG beside it; job graph and cluster in the same folder); default results/plots/gantt-<instance>-<schedule>.svg')
    .option('--out-dir <dir>', 'where to write the plots (results CSV default: beside it, results/default.csv -> results/default-plots/; instance default: results/plots/)')
    .option('--no-png', 'write SVG only')
    .option('--scale <n>', 'PNG pixels per SVG unit (default 2)')
    .option('--only <kinds>', 'results CSV: comma-separated plot kinds to draw')
    .option('--seed <n>', 'instance: seed for a randomised solver given to --schedule', '1')
    .option('--time-limit <duration>', 'instance: time limit for an exact solver given to --schedule', '30s')
    .action(async (input: string, opts: PlotCliOptions) => {
      if (isResultsCsv(input)) await plotResults(input, opts);
      else await plotInstance(input, opts);
    });
}
