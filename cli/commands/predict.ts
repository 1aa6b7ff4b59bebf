import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { OptionError } from '../../models/errors.ts';
import type { PerformancePoint } from '../../models/predict/types.ts';
import type { PredictionReport } from '../../benchmarks/prediction/report.ts';
import { addJobSweepOptions, parseTaskManagerList, sweepJobFromCli, type JobSweepCliOptions } from './sweep.ts';
import { parseNonNegativeNumber } from '../options.ts';

const DEFAULT_MODELS = 'linear,ernest,amdahl,calibrated';

interface PredictCliOptions extends JobSweepCliOptions {
  train?: string;
  at: string;
  model: string;
  budget?: string;
  candidates: string;
  measure?: boolean;
  instance?: string;
  out?: string;
  json?: boolean;
}

const fmt = (x: number | undefined, digits = 1) => (x === undefined || Number.isNaN(x) ? '-' : Number.isFinite(x) ? x.toFixed(digits) : '∞');
const signed = (x: number | undefined) => (x === undefined ? '-' : `${x >= 0 ? '+' : ''}${x.toFixed(1)} %`);

export async function printPredictionReport(report: PredictionReport, lines: string[]): Promise<void> {
  const { default: Table } = await import('cli-table3');
  const style = { head: [], border: [], compact: true };
  for (const m of report.models) {
    const coeffs = Object.entries(m.fitted.coefficients).map(([k, v]) => `${k} = ${Number(v.toPrecision(5))}`).join(', ');
    lines.push(`${m.model.padEnd(10)} ${m.formula}: ${coeffs}; training error ${m.fitted.trainingErrorPct.toFixed(1)} % (MAPE), residual s.e. ${fmt(m.fitted.residualStdErrorMs)} ms, ${m.fitted.degreesOfFreedom} dof`);
  }
  const table = new Table({ head: ['model', 'TaskManagers', 'predicted ms', '95 % interval ms', 'measured ms', 'error'], style });
  for (const m of report.models)
    for (const t of m.targets) table.push([m.model, String(t.taskManagers), fmt(t.predictedMs), `${fmt(t.intervalMs[0])} – ${fmt(t.intervalMs[1])}`, fmt(t.measuredMs), signed(t.errorPct)]);
  lines.push(table.toString());
  const measured = report.models.filter((m) => m.mapePct !== undefined);
  if (measured.length > 0) lines.push(`MAPE at the measured targets: ${measured.map((m) => `${m.model} ${m.mapePct!.toFixed(1)} %`).join(', ')}`);
}

export function registerPredict(program: Command): void {
  addJobSweepOptions(
    program
      .command('predict')
      .description('fit performance models (linear, Ernest, Amdahl) to runs at a few TaskManager counts and predict the completion time at others, with 95 % prediction intervals')
      .argument('<job|csv>', 'a DAG placement instance to sweep on the runtime, or a CSV (slotlab sweep, slotlab bench) with task_managers and measured_ms or measured_completion')
      .option('--train <list>', 'TaskManager counts to train on (default 1,2,3,4, or what --budget chooses)')
      .option('--at <list>', 'TaskManager counts to predict', '8,16'),
  )
    .option('--model <names>', 'performance models, comma-separated: linear, ernest, amdahl, calibrated (the schedule\'s time, fitted)', DEFAULT_MODELS)
    .option('--budget <TaskManager-runs>', 'choose the training runs by experiment design: the A-optimal subset of --candidates whose TaskManager counts sum to at most this (Ernest\'s criterion; for the largest model asked for)')
    .option('--candidates <list>', 'TaskManager counts --budget chooses from', '1,2,3,4,5,6')
    .option('--measure', 'job: also run the --at counts and report the prediction error')
    .option('--instance <name>', 'CSV: use the rows of this instance (a benchmark CSV holds several)')
    .option('-o, --out <file.csv>', 'job: write the sweep it ran as CSV')
    .option('--json', 'print one JSON object')
    .action(async (path: string, opts: PredictCliOptions) => {
      const at = parseTaskManagerList(opts.at, '--at');
      const { PERFORMANCE_MODELS, findPerformanceModel, chooseExperiments } = await import('../../models/predict/index.ts');
      const names = opts.model.split(',').map((s) => s.trim());
      const models = names.map((n) => {
        try {
          return findPerformanceModel(n);
        } catch {
          throw OptionError.flag('--model', opts.model, `should name models among ${PERFORMANCE_MODELS.map((m) => m.name).join(', ')}; "${n}" is not one`);
        }
      });
      const lines: string[] = [];
      let train: number[];
      let design: import('../../models/predict/experiment-design.ts').ExperimentDesign | undefined;
      if (opts.budget !== undefined) {
        if (opts.train !== undefined) throw OptionError.flag('--budget', opts.budget, 'chooses the training runs itself: give --budget or --train, not both');
        const budget = parseNonNegativeNumber(opts.budget, '--budget');
        const widest = models.reduce((a, b) => (b.parameterNames.length > a.parameterNames.length ? b : a));
        design = chooseExperiments(parseTaskManagerList(opts.candidates, '--candidates'), budget, (m) => widest.features(m, 1), widest.parameterNames.length, '--budget');
        train = [...design.chosen];
        lines.push(`design   A-optimal for ${widest.name} within ${budget} TaskManager-runs: train on ${train.join(', ')} (cost ${design.cost} of the full sweep's ${design.fullCost}: saved ${design.savedPct.toFixed(0)} %; trace((FᵀF)⁻¹) ${design.aCriterion.toPrecision(4)} vs ${design.fullACriterion.toPrecision(4)} for the full sweep; ${design.designsScored} designs scored)`);
      } else train = parseTaskManagerList(opts.train ?? '1,2,3,4', '--train');

      let points: PerformancePoint[];
      let modelMsAt: ReadonlyMap<number, number> = new Map();
      let source = path;
      const isCsv = path.toLowerCase().endsWith('.csv');
      if (isCsv) {
        if (!existsSync(path)) throw OptionError.flag('<job|csv>', path, 'no such file');
        const { readPerformanceCsv } = await import('../../benchmarks/prediction/csv.ts');
        const csv = readPerformanceCsv(path, opts.instance);
        points = [...csv.points];
        modelMsAt = csv.modelMsAt;
        lines.push(`data     ${path}: ${points.length} runs (time column ${csv.timeColumn}${csv.instances.length === 1 ? `, instance ${csv.instances[0]}` : ''})`);
      } else {
        const counts = opts.measure ? [...new Set([...train, ...at])] : train;
        const rows = await sweepJobFromCli(path, counts, opts, at); // --at counts are placed (schedule's time), run only with --measure
        const { sweepPoints } = await import('../../benchmarks/prediction/sweep.ts');
        ({ points, modelMsAt } = sweepPoints(rows));
        source = `${path} (sweep)`;
        if (opts.out) {
          const { writeSweepCsv } = await import('../../benchmarks/prediction/csv.ts');
          writeSweepCsv(opts.out, rows);
        }
        lines.push(`data     ${path}: ${rows.length} runs on the runtime at ${counts.join(', ')} TaskManagers (${opts.slots} slots each, placement ${opts.placement})${opts.out ? `, written to ${opts.out}` : ''}`);
        if (design) {
          const msAt = (m: number) => rows.filter((r) => r.task_managers === m).reduce((s, r) => s + (r.measured_ms ?? 0) * m, 0);
          lines.push(`cost     training ${(train.reduce((s, m) => s + msAt(m), 0) / 1000).toFixed(2)} TaskManager-s measured`);
        }
      }
      const { predictionReport } = await import('../../benchmarks/prediction/report.ts');
      // `calibrated` needs the schedule's time of every run: left out by default when the data has none
      const usable = opts.model === DEFAULT_MODELS ? models.filter((m) => !m.needsModelMs || (points.every((p) => p.modelMs !== undefined) && at.every((m2) => modelMsAt.has(m2)))) : models;
      if (usable.length < models.length) lines.push(`note     calibrated left out: the data has no predicted_ms (the schedule's time) for every run and target`);
      const report = predictionReport(usable, points, train, at, source, modelMsAt);
      lines.push(`train    on ${report.trainingRuns} runs at ${train.join(', ')} TaskManagers; predict ${at.join(', ')}`);
      if (opts.json) {
        const json = {
          source: path,
          train,
          at,
          design,
          models: report.models.map((m) => ({ model: m.model, formula: m.formula, coefficients: m.fitted.coefficients, trainingErrorPct: m.fitted.trainingErrorPct, residualStdErrorMs: m.fitted.residualStdErrorMs, degreesOfFreedom: m.fitted.degreesOfFreedom, targets: m.targets, mapePct: m.mapePct })),
        };
        process.stdout.write(`${JSON.stringify(json, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))}\n`);
        return;
      }
      await printPredictionReport(report, lines);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
