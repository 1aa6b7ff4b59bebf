import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidInstanceError, OptionError } from '../../models/errors.ts';
import { PLACEMENT_VARIANTS, type PlacementVariant } from '../../models/dag-placement/instance.ts';
import type { SweepRow } from '../../benchmarks/prediction/sweep.ts';
import { parseDurationMs, parseInteger, parseNonNegativeNumber } from '../options.ts';

/** Options shared by `slotlab sweep` and `slotlab predict` when they run a job. */
export interface JobSweepCliOptions {
  slots: string;
  placement: string;
  timeScale: string;
  repeats: string;
  seed: string;
  variant?: string;
  timeout: string;
}

/** `1,2,3,4` → [1, 2, 3, 4]: distinct integers ≥ 1, in the order given. */
export function parseTaskManagerList(text: string, flag: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  const values = parts.map((s) => Number(s));
  const bad = parts.find((s, i) => s === '' || !Number.isInteger(values[i]) || values[i]! < 1);
  if (bad !== undefined) throw OptionError.flag(flag, text, `should list TaskManager counts (integers >= 1) separated by commas, e.g. 1,2,3,4; "${bad}" is not one`);
  return [...new Set(values)];
}

export function addJobSweepOptions(command: Command): Command {
  return command
    .option('--slots <n>', 'slots per TaskManager (the cluster at N TaskManagers is NxS, as --cluster builds it)', '1')
    .option('-p, --placement <solver>', 'DAG placement solver that places the job at each TaskManager count', 'heft')
    .option('--variant <variant>', `DAG placement variant: ${PLACEMENT_VARIANTS.join(' | ')} (default: the file's)`)
    .option('--time-scale <ms>', 'wall-clock ms per model time unit', '1')
    .option('--repeats <n>', 'runs per TaskManager count (the fit uses every run; the measured figure is their median)', '1')
    .option('--seed <n>', 'seed for a randomised placement solver; written to every row', '1')
    .option('--timeout <duration>', 'fail a run that has not finished after this long', '10m');
}

/** Runs `path` on the runtime at each TaskManager count (blocking mode), printing one line per run to stderr. */
export async function sweepJobFromCli(path: string, counts: readonly number[], opts: JobSweepCliOptions, placeOnlyCounts: readonly number[] = []): Promise<SweepRow[]> {
  if (opts.variant !== undefined && !PLACEMENT_VARIANTS.includes(opts.variant as PlacementVariant))
    throw OptionError.flag('--variant', opts.variant, `should be one of ${PLACEMENT_VARIANTS.join(', ')}`);
  const slots = parseInteger(opts.slots, '--slots');
  if (slots < 1) throw OptionError.flag('--slots', opts.slots, 'should be an integer >= 1');
  const repeats = parseInteger(opts.repeats, '--repeats');
  if (repeats < 1) throw OptionError.flag('--repeats', opts.repeats, 'should be an integer >= 1');
  const timeScale = parseNonNegativeNumber(opts.timeScale, '--time-scale');
  if (!(timeScale > 0)) throw OptionError.flag('--time-scale', opts.timeScale, 'should be a number > 0 (ms per model unit)');
  const seed = parseInteger(opts.seed, '--seed');
  const timeoutMs = parseDurationMs(opts.timeout, '--timeout');
  // loaded here, so that --help stays fast
  const [{ loadInstance }, { sweep }, { RUNTIME_DATA_DIR }, { findSolver }] = await Promise.all([
    import('../../datasets/loaders/index.ts'),
    import('../../benchmarks/prediction/sweep.ts'),
    import('../../runtime/index.ts'),
    import('../../solver/registry.ts'),
  ]);
  const placement = findSolver(opts.placement, 'dag-placement').name;
  const load = (cluster?: import('../../models/graphs/cluster.ts').ClusterSpec) => {
    const instance = loadInstance(path, { checkFeasibility: false, ...(cluster ? { cluster } : {}), ...(opts.variant ? { variant: opts.variant as PlacementVariant } : {}) });
    if (instance.kind !== 'dag-placement') throw OptionError.flag('<job>', path, `should be a DAG placement instance (a job), but it is a ${instance.kind} instance`);
    return instance;
  };
  // the file's own link (bandwidth, latency) is kept at every count; formats without a cluster (STG) have none
  let link: import('../../models/graphs/cluster.ts').Link | undefined;
  try {
    link = load().cluster.defaultLink;
  } catch (error) {
    if (!(error instanceof InvalidInstanceError) || !/cluster/.test(error.message)) throw error;
    link = undefined;
  }
  return sweep({
    instanceAt: (cluster) => load(cluster),
    taskManagerCounts: counts,
    slotsPerTaskManager: slots,
    link,
    placement,
    timeScaleMsPerUnit: timeScale,
    seed,
    repeats,
    placeOnlyCounts,
    timeoutMs,
    dataDirs: [dirname(resolve(path)), RUNTIME_DATA_DIR],
    onRun: (r) => process.stderr.write(`sweep ${r.instance}: ${r.task_managers}x${r.slots} run ${r.repeat + 1}/${repeats}: measured ${r.measured_ms?.toFixed(1)} ms (model ${r.predicted_ms.toFixed(1)} ms)\n`),
  });
}

export function registerSweep(program: Command): void {
  addJobSweepOptions(
    program
      .command('sweep')
      .description('run a job on the runtime at several TaskManager counts and write the completion times as CSV (training data for slotlab predict)')
      .argument('<job>', 'a DAG placement instance: slotlab JSON, .stg, WfFormat JSON')
      .requiredOption('--task-managers <list>', 'TaskManager counts to run, e.g. 1,2,3,4'),
  )
    .option('-o, --out <file.csv>', 'write the CSV here (default: stdout)')
    .action(async (path: string, opts: JobSweepCliOptions & { taskManagers: string; out?: string }) => {
      const counts = parseTaskManagerList(opts.taskManagers, '--task-managers');
      const rows = await sweepJobFromCli(path, counts, opts);
      const { sweepToCsv, writeSweepCsv } = await import('../../benchmarks/prediction/csv.ts');
      if (opts.out) {
        writeSweepCsv(opts.out, rows);
        process.stderr.write(`wrote ${rows.length} rows to ${opts.out}\n`);
      } else process.stdout.write(sweepToCsv(rows));
    });
}
