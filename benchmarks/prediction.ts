/**
 * Performance prediction on real runs: does a model trained only on runs with ≤ 4 TaskManagers predict the measured
 * completion time at 8 and 16 TaskManagers? Goal (issue "Performance prediction and elastic scaling"): MAPE ≤ 20 %
 * for Ernest's model on three kinds of job, with the linear baseline's error beside it.
 *
 *   npx tsx benchmarks/prediction.ts                    # 3 repeats per count (~4 min on 2 busy cores)
 *   npx tsx benchmarks/prediction.ts --repeats 1 --out results/prediction.csv
 *
 * Jobs (each swept over 1, 2, 3, 4, 6, 8, 16 TaskManagers, blocking mode, placed by HEFT at every count):
 * - a Flink-style streaming topology: `flink-pipeline` (source 16 → map 16 → window 16 → sink 4, 100,000 records,
 *   seed 1) under `sequenced` (Flink's BATCH execution: blocking exchanges, a slot runs one subtask at a time), one
 *   slot per TaskManager, 1 Gbit/s links, 10 ms per model unit;
 * - an STG DAG: Standard Task Graph Set `50/rand0000.stg` (Tobita & Kasahara 2002), one slot per TaskManager, no
 *   communication, 10 ms per model unit;
 * - the word count over Alice in Wonderland (runtime/data/word-count.json): real operators, real records, `shared`
 *   with 3 slots per TaskManager (its widest operator), 1 Gbit/s links, at least 5 runs per count; its time is the
 *   code's, not the model's.
 * Measured time at a count = the median of its runs. Training: every run at 1..4 TaskManagers. Experiment design: the
 * A-optimal subset of {1, 2, 3, 4, 6} within 13 TaskManager-runs (models/predict/experiment-design.ts), trained the same.
 */
import { dirname, resolve } from 'node:path';
import { loadInstance } from '../datasets/loaders/index.ts';
import { generateInstance } from '../datasets/generators/index.ts';
import { dataPath } from '../datasets/paths.ts';
import type { DagPlacementInstance } from '../models/dag-placement/instance.ts';
import type { ClusterSpec } from '../models/graphs/cluster.ts';
import { seededRng } from '../models/rng.ts';
import { PERFORMANCE_MODELS, chooseExperiments, ernestModel } from '../models/predict/index.ts';
import { RUNTIME_DATA_DIR } from '../runtime/index.ts';
import { sweep, sweepPoints, type SweepRow } from './prediction/sweep.ts';
import { writeSweepCsv } from './prediction/csv.ts';
import { medianMs, predictionReport } from './prediction/report.ts';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
};
const REPEATS = Number(flag('--repeats') ?? 3);
if (!(Number.isInteger(REPEATS) && REPEATS >= 1)) throw new Error(`--repeats should be an integer >= 1, got ${flag('--repeats')}`);
const OUT = flag('--out');
const ONLY = flag('--jobs'); // a substring of the job kinds to run (default: all)
const COUNTS = [1, 2, 3, 4, 6, 8, 16];
const TRAIN = [1, 2, 3, 4];
const AT = [8, 16];
const CANDIDATES = [1, 2, 3, 4, 6];
const BUDGET = 13;

interface Job {
  readonly kind: string;
  readonly instanceAt: (cluster: ClusterSpec) => DagPlacementInstance;
  readonly slots: number;
  readonly timeScaleMsPerUnit: number;
  readonly dataDirs?: readonly string[];
  /** At least this many runs per count (the word count's ~0.1 s runs are the noisiest, and cheap). */
  readonly minRepeats?: number;
}

const asDag = (i: ReturnType<typeof loadInstance>): DagPlacementInstance => {
  if (i.kind !== 'dag-placement') throw new Error(`expected a DAG placement instance, got ${i.kind}`);
  return i;
};
const GIGABIT = { bandwidthBytesPerMs: 125_000, latencyMs: 0.2 };
const wordCount = resolve(RUNTIME_DATA_DIR, 'word-count.json');
const wordCountCosted = resolve(RUNTIME_DATA_DIR, 'word-count-costed.json');
const JOBS: Job[] = [
  {
    kind: 'streaming topology (flink-pipeline, sequenced)',
    instanceAt: (cluster) =>
      asDag(
        generateInstance(
          'flink-pipeline',
          { sourceParallelism: 16, windowParallelism: 16, sinkParallelism: 4, records: 100_000 },
          seededRng(1),
          { cluster: { ...cluster, defaultLink: GIGABIT }, variant: 'sequenced' },
        ),
      ),
    slots: 1,
    timeScaleMsPerUnit: 40,
  },
  {
    kind: 'STG DAG (50/rand0000.stg)',
    instanceAt: (cluster) => asDag(loadInstance(dataPath('stg/graphs/50/rand0000.stg'), { cluster })),
    slots: 1,
    timeScaleMsPerUnit: 10,
  },
  {
    kind: 'word count (real operators, shared)',
    instanceAt: (cluster) => asDag(loadInstance(wordCount, { cluster: { ...cluster, defaultLink: GIGABIT } })),
    slots: 3,
    timeScaleMsPerUnit: 1,
    dataDirs: [dirname(wordCount), RUNTIME_DATA_DIR],
    minRepeats: 5,
  },
  {
    kind: 'word count (real operators, emulated cost per record)',
    instanceAt: (cluster) =>
      asDag(loadInstance(wordCountCosted, { cluster: { ...cluster, defaultLink: GIGABIT, taskManagers: cluster.taskManagers.map((tm) => ({ ...tm, cpuCores: 1 })) } })),
    slots: 3,
    timeScaleMsPerUnit: 1,
    dataDirs: [dirname(wordCount), RUNTIME_DATA_DIR],
    minRepeats: 5,
  },
];

const pct = (x: number | undefined) => (x === undefined ? '-' : `${x.toFixed(1)} %`);
const ms = (x: number | undefined) => (x === undefined ? '-' : x.toFixed(0));
const allRows: SweepRow[] = [];
const table: string[] = [];
table.push('| job | model | training error | 8 TMs predicted (95 % interval) | 8 TMs measured | error | 16 TMs predicted (95 % interval) | 16 TMs measured | error | MAPE |');
table.push('|---|---|---|---|---|---|---|---|---|---|');
const designLines: string[] = [];
const started = Date.now();
for (const job of JOBS.filter((j) => ONLY === undefined || j.kind.includes(ONLY))) {
  const rows = await sweep({
    instanceAt: job.instanceAt,
    taskManagerCounts: COUNTS,
    slotsPerTaskManager: job.slots,
    placement: 'heft',
    timeScaleMsPerUnit: job.timeScaleMsPerUnit,
    seed: 1,
    repeats: Math.max(REPEATS, job.minRepeats ?? 1),
    ...(job.dataDirs ? { dataDirs: job.dataDirs } : {}),
    onRun: (r) => process.stderr.write(`${job.kind}: ${r.task_managers} TMs run ${r.repeat + 1}: ${r.measured_ms?.toFixed(0)} ms\n`),
  });
  allRows.push(...rows);
  const { points, modelMsAt } = sweepPoints(rows);
  const report = predictionReport(PERFORMANCE_MODELS, points, TRAIN, AT, job.kind, modelMsAt);
  for (const m of report.models) {
    const [t8, t16] = m.targets;
    const cell = (t: typeof t8) => `${ms(t?.predictedMs)} (${ms(t?.intervalMs[0])}–${Number.isFinite(t?.intervalMs[1]) ? ms(t?.intervalMs[1]) : '∞'})`;
    const signed = (x: number | undefined) => (x === undefined ? '-' : `${x >= 0 ? '+' : ''}${x.toFixed(1)} %`);
    table.push(`| ${job.kind} | ${m.model} | ${pct(m.fitted.trainingErrorPct)} | ${cell(t8)} | ${ms(t8?.measuredMs)} | ${signed(t8?.errorPct)} | ${cell(t16)} | ${ms(t16?.measuredMs)} | ${signed(t16?.errorPct)} | ${pct(m.mapePct)} |`);
  }
  // experiment design: Ernest on the A-optimal subset of the candidates within the budget
  const design = chooseExperiments(CANDIDATES, BUDGET, (m) => ernestModel.features(m, 1), ernestModel.parameterNames.length, 'benchmark');
  const designed = predictionReport([ernestModel], points, design.chosen, AT, job.kind, modelMsAt).models[0]!;
  const tmMs = (ms_: readonly number[]) => ms_.reduce((s, m) => s + m * medianMs(rows.flatMap((r) => (r.task_managers === m && r.measured_ms !== null ? [r.measured_ms] : []))), 0);
  designLines.push(
    `| ${job.kind} | ${design.chosen.join(', ')} | ${design.cost} of ${design.fullCost} (saved ${design.savedPct.toFixed(0)} %) | ${(tmMs(design.chosen) / 1000).toFixed(1)} of ${(tmMs(CANDIDATES) / 1000).toFixed(1)} | ${(tmMs(AT) / 1000).toFixed(1)} | ${pct(designed.mapePct)} |`,
  );
}
process.stdout.write(`Prediction from runs at ${TRAIN.join(', ')} TaskManagers (${REPEATS} repeat${REPEATS === 1 ? '' : 's'} per count, median measured), placement HEFT, blocking mode; ${((Date.now() - started) / 1000).toFixed(0)} s\n\n`);
process.stdout.write(`${table.join('\n')}\n\n`);
process.stdout.write(`Experiment design: Ernest trained on the A-optimal subset of {${CANDIDATES.join(', ')}} within ${BUDGET} TaskManager-runs\n\n`);
process.stdout.write('| job | chosen TMs | cost (TaskManager-runs) | training cost, TaskManager-s measured (chosen of all candidates) | measuring 8 and 16 directly, TaskManager-s | Ernest MAPE at 8, 16 |\n|---|---|---|---|---|---|\n');
process.stdout.write(`${designLines.join('\n')}\n`);
if (OUT) {
  writeSweepCsv(OUT, allRows);
  process.stdout.write(`\nwrote ${allRows.length} runs to ${OUT}\n`);
}
