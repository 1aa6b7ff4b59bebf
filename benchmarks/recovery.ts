/**
 * Failures and recovery (issue #11): exactly-once under seeded TaskManager kills, recovery time measured against the
 * model (models/recovery/recovery-time.ts), and what checkpoints cost.
 *
 *   npx tsx benchmarks/recovery.ts            # 200 kill runs, checkpoint cost over 30M records x 3 repeats
 *   npx tsx benchmarks/recovery.ts --quick    # 24 kill runs, 3M records x 2 repeats
 *   options: --runs N  --records N  --repeats R  --skip-cost (kill runs only)  --skip-kills (checkpoint cost only)
 *            --rows (one line per restart: the kill, the terms measured and predicted)
 *
 * 1. Kill runs: run i (seed i) cycles over the word count over the bundled text and a keyed window sum (the jobs of
 *    runtime/recovery.test.ts, same output, same references), pipelined (checkpoints every 100 ms) and blocking, full
 *    and region failover; one TaskManager is killed, its subtasks re-placed on the others (solver/recovery), restart
 *    strategy fixed-delay (3 attempts, 20 ms). The committed output is compared with the single-threaded reference:
 *    the count of runs with any difference must be 0. Per restart: measured recovery (failure to the restarted
 *    sources running again and back at their pre-failure offsets) / the model's (detection + delay + redeploy +
 *    replay, each predicted from what the run knew before the failure: models/recovery/recovery-time.ts), and each
 *    term measured / predicted. The choices, so that a restart is a recovery worth modelling and each term has a size
 *    that can be measured (docs/runtime.md "Measured: npx tsx benchmarks/recovery.ts"):
 *    - the sources are rate-limited (`ratePerSecond`: the text at 10,000 lines/s, the numbers at 75,000 records/s,
 *      as Flink's DataGeneratorSource with a RateLimiterStrategy), so that the jobs run 350-450 ms and a source has
 *      a steady rate, the one it replays at (the pipeline keeps up with it: batches of 16 and 32 records, 8 credits
 *      a channel, measured without back-pressure on the sources); a source held back by back-pressure replays
 *      faster at first (the emptied channels take what they held at once), which the model does not count;
 *    - the kill lands after a seeded record count between 25 % and 85 % of what its (seeded) TaskManager processes in
 *      a run without failure (measured first, per job and mode): after the sources' start-up, before the job's end;
 *    - checkpoints every 100 ms (3-4 in a job) so that the replay since the last one is tens of ms, the restart delay
 *      20 ms (Flink's fixed-delay, scaled), and the redeploy what it is (2-30 ms: plan, messages, builds).
 * 2. Checkpoint cost: generator (N records, 1000 keys, time = value) -> keyed tumbling window sum (size 10,000)
 *    -> sink, pipelined on two TaskManagers, without checkpoints and with checkpoints every 1 s and 100 ms,
 *    interleaved in the same run: throughput, checkpoints completed, their durations and state sizes. N is large
 *    enough (30M: about 4 s at 8 M records/s on a quiet machine) that both intervals fire several times.
 */
import { createDagPlacementInstance } from '../models/dag-placement/instance.ts';
import type { Placement } from '../models/solution.ts';
import { seededRng } from '../models/rng.ts';
import type { FaultSpec } from '../models/recovery/fault-injection.ts';
import { runPlacement, type ExecutionMode, type RunOptions, type RunReport } from '../runtime/index.ts';
import { sortRows, windowPlacement, windowReference, windowSum, wordCount, wordPlacement, wordReference, type Row } from '../runtime/test/recovery-jobs.ts';
import { replaceLostTaskManagers } from '../solver/recovery/replace-lost-task-managers.ts';

type RestartTerms = RunReport['restarts'][number]['predicted'];

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(args[i + 1]);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} should be a whole number > 0, got ${args[i + 1]}`);
  return v;
};
const RUNS = args.includes('--skip-kills') ? 0 : option('--runs', quick ? 24 : 200);
const RECORDS = option('--records', quick ? 3_000_000 : 30_000_000);
const REPEATS = option('--repeats', quick ? 2 : 3);

const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const f1 = (x: number) => x.toFixed(1);

// ---- 1. kill runs
const LINES_PER_SECOND = 10_000;
const NUMBERS_PER_SECOND = 75_000;
const CHECKPOINT_INTERVAL_MS = 100;
const RESTART_DELAY_MS = 20;
/** A kill lands after this share of the records its TaskManager processes in a run without failure (from, to). */
const KILL_SHARE = [0.25, 0.85] as const;
const jobs = [
  { name: 'word count', instance: wordCount(LINES_PER_SECOND), placement: wordPlacement, reference: sortRows(wordReference), batchRecords: 16 },
  { name: 'window sum', instance: windowSum(NUMBERS_PER_SECOND), placement: windowPlacement, reference: sortRows(windowReference), batchRecords: 32 },
];
const showRows = args.includes('--rows');
const optionsOf = (job: (typeof jobs)[number], mode: ExecutionMode): RunOptions => ({
  mode,
  batchRecords: job.batchRecords,
  creditsPerChannel: 8,
  ...(mode === 'pipelined' ? { checkpointIntervalMs: CHECKPOINT_INTERVAL_MS } : {}),
});
/** Per job and mode: the records each TaskManager processes in a run without failure (sources: out; others: in). */
const recordsPerTaskManager = new Map<string, Map<string, number>>();
for (const job of RUNS > 0 ? jobs : [])
  for (const mode of ['pipelined', 'blocking'] as const) {
    const report = await runPlacement(job.instance, job.placement, optionsOf(job, mode));
    const perTm = new Map<string, number>();
    for (const sub of report.subtasks) perTm.set(sub.taskManager, (perTm.get(sub.taskManager) ?? 0) + (sub.kind === 'generator' || sub.kind === 'text-source' ? sub.recordsOut : sub.recordsIn));
    recordsPerTaskManager.set(`${job.name} ${mode}`, perTm);
  }
/** Run i's kill: a TaskManager and a record count within KILL_SHARE of what it processes, both from seed i. */
function killOf(seed: number, perTm: ReadonlyMap<string, number>): Extract<FaultSpec, { kind: 'kill'; afterRecords: number }> {
  const rng = seededRng(seed);
  const tms = [...perTm].filter(([, n]) => n > 0).sort(([a], [b]) => a.localeCompare(b));
  const [taskManager, records] = tms[rng.int(0, tms.length - 1)]!;
  return { kind: 'kill', taskManager, afterRecords: rng.int(Math.ceil(KILL_SHARE[0] * records), Math.floor(KILL_SHARE[1] * records)) };
}
let differing = 0;
let kills = 0;
let failedRuns = 0;
const ratios: number[] = [];
/** Per term: measured and predicted ms of every restart that got back. */
const TERMS = ['detectionMs', 'delayMs', 'redeployMs', 'replayMs'] as const;
const terms = new Map<(typeof TERMS)[number], Array<{ measured: number; predicted: number }>>(TERMS.map((t) => [t, []]));
const rows: string[] = [];
/** Per mode and failover: subtasks restarted and subtasks in the job, summed over restarts. */
const restartedShare = new Map<string, { restarted: number; of: number; restarts: number }>();
const started = Date.now();
for (let i = 1; i <= RUNS; i++) {
  const job = jobs[i % 2]!;
  const mode = (i >> 1) % 2 === 0 ? 'pipelined' : 'blocking';
  const failover = (i >> 2) % 2 === 0 ? 'full' : 'region';
  const kill = killOf(i, recordsPerTaskManager.get(`${job.name} ${mode}`)!);
  let report: RunReport;
  try {
    report = await runPlacement(job.instance, job.placement, {
      ...optionsOf(job, mode),
      failover,
      faults: [kill],
      restartStrategy: { type: 'fixed-delay', attempts: 3, delayMs: RESTART_DELAY_MS },
      replacePlacement: (lost, current) => replaceLostTaskManagers(job.instance, current, lost),
    });
  } catch (error) {
    failedRuns++;
    differing++;
    rows.push(`  run ${i} (${job.name}, ${mode}, ${failover}) FAILED: ${error instanceof Error ? error.message : String(error)}`);
    continue;
  }
  if (showRows)
    for (const r of report.restarts) {
      const t = (x: RestartTerms | null) => (x === null ? 'n/a' : TERMS.map((k) => x[k].toFixed(1)).join(' + '));
      process.stdout.write(
        `  run ${i} ${job.name}, ${mode}, ${failover}, ${kill.taskManager}@${kill.afterRecords}rec, checkpoint ${r.restoredCheckpoint ?? '-'}, replay ${r.replayRecords} records: ` +
          `measured ${r.recoveryMs?.toFixed(1) ?? 'n/a'} = ${t(r.measured)}; predicted ${r.predictedRecoveryMs?.toFixed(1) ?? 'n/a'} = ${t(r.predicted)}; ratio ${r.recoveryMs === null || r.predictedRecoveryMs === null ? 'n/a' : (r.recoveryMs / r.predictedRecoveryMs).toFixed(2)}\n`,
      );
    }
  const out = report.sinks[0]?.output as Row[] | undefined;
  const same = out !== undefined && JSON.stringify(sortRows(out)) === JSON.stringify(job.reference);
  if (!same) {
    differing++;
    rows.push(`  run ${i} (${job.name}, ${mode}, ${failover}) output differs: ${out?.length ?? 0} rows, reference ${job.reference.length}`);
  }
  kills += report.failures.length;
  const share = restartedShare.get(`${mode} ${failover}`) ?? { restarted: 0, of: 0, restarts: 0 };
  for (const r of report.restarts) {
    share.restarted += r.restartedSubtasks;
    share.of += job.instance.subtasks.length;
    share.restarts++;
  }
  restartedShare.set(`${mode} ${failover}`, share);
  for (const r of report.restarts) {
    if (r.recoveryMs !== null && r.predictedRecoveryMs !== null && r.predictedRecoveryMs > 0) ratios.push(r.recoveryMs / r.predictedRecoveryMs);
    if (r.measured !== null) for (const t of TERMS) terms.get(t)!.push({ measured: r.measured[t], predicted: r.predicted[t] });
  }
  if (i % 20 === 0) process.stderr.write(`  ${i}/${RUNS} runs, ${kills} kills, ${differing} differing, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}
if (RUNS > 0) {
  console.log(
    `recovery: ${RUNS} seeded kill runs (word count at ${LINES_PER_SECOND.toLocaleString('en')} lines/s / window sum at ${NUMBERS_PER_SECOND.toLocaleString('en')} records/s x pipelined with checkpoints every ${CHECKPOINT_INTERVAL_MS} ms / blocking x full / region failover; ` +
      `fixed-delay ${RESTART_DELAY_MS} ms; kills after ${KILL_SHARE.map((x) => `${100 * x} %`).join('-')} of a TaskManager's records)`,
  );
  console.log(`  TaskManagers killed: ${kills}; runs that failed: ${failedRuns}; runs whose committed output differs from the reference: ${differing}`);
  for (const r of rows.slice(0, 10)) console.log(r);
  console.log(
    `  subtasks restarted per restart: ${[...restartedShare].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k} ${((100 * v.restarted) / Math.max(1, v.of)).toFixed(0)} % (${v.restarts} restarts)`).join(', ')}`,
  );
  ratios.sort((a, b) => a - b);
  if (ratios.length > 0) {
    const within = ratios.filter((r) => r >= 0.85 && r <= 1.15).length;
    console.log(
      `  recovery measured / predicted over ${ratios.length} restarts: min ${ratios[0]!.toFixed(2)}, p10 ${quantile(ratios, 0.1).toFixed(2)}, median ${quantile(ratios, 0.5).toFixed(2)}, ` +
        `p90 ${quantile(ratios, 0.9).toFixed(2)}, max ${ratios.at(-1)!.toFixed(2)}; within +-15 %: ${within} (${((100 * within) / ratios.length).toFixed(0)} %)`,
    );
  }

  // which term is off: each term's measured and predicted ms, and measured / predicted where the model predicts > 0
  const spread = (xs: readonly number[]) => {
    const x = [...xs].sort((a, b) => a - b);
    return x.length === 0 ? '-' : `${x[0]!.toFixed(2)} / ${quantile(x, 0.1).toFixed(2)} / ${quantile(x, 0.5).toFixed(2)} / ${quantile(x, 0.9).toFixed(2)} / ${x.at(-1)!.toFixed(2)}`;
  };
  console.log('  per term over the restarts that got back (min / p10 / median / p90 / max):');
  for (const t of TERMS) {
    const xs = terms.get(t)!;
    const rated = xs.filter((x) => x.predicted > 0);
    const within = rated.filter((x) => Math.abs(x.measured / x.predicted - 1) <= 0.15).length;
    console.log(
      `    ${t.replace('Ms', '').padEnd(9)}  measured ms ${spread(xs.map((x) => x.measured))};  predicted ms ${spread(xs.map((x) => x.predicted))}` +
        (rated.length === 0 ? '' : `;  measured / predicted ${spread(rated.map((x) => x.measured / x.predicted))}, within +-15 %: ${within} of ${rated.length}`),
    );
  }
}

if (args.includes('--skip-cost')) process.exit(0);

// ---- 2. checkpoint cost
const costJob = createDagPlacementInstance({
  name: 'window-sum-throughput',
  variant: 'shared',
  job: {
    operators: [
      { id: 'numbers', parallelism: 1, kind: 'generator', params: { count: RECORDS, keys: 1000, timestamps: true } },
      { id: 'sum', parallelism: 1, kind: 'window', params: { size: 10_000, aggregate: 'sum' } },
      { id: 'out', parallelism: 1, kind: 'sink' },
    ],
    edges: [
      { from: 'numbers', to: 'sum', partitioning: 'hash' },
      { from: 'sum', to: 'out', partitioning: 'forward' },
    ],
  },
  cluster: { taskManagers: [{ id: 'tm1', slotCount: 2 }, { id: 'tm2', slotCount: 2 }] },
});
const costPlacement: Placement = {
  assignments: [
    { subtask: 'numbers#0', taskManager: 'tm1', slot: 0 },
    { subtask: 'sum#0', taskManager: 'tm2', slot: 0 },
    { subtask: 'out#0', taskManager: 'tm2', slot: 1 },
  ],
};
const intervals: Array<number | undefined> = [undefined, 1000, 100];
const cost = new Map<string, { throughput: number[]; completed: number[]; durations: number[]; bytes: number[]; digest: Set<number> }>();
for (let rep = 0; rep < REPEATS; rep++)
  for (const interval of intervals) {
    const report = await runPlacement(costJob, costPlacement, { mode: 'pipelined', ...(interval === undefined ? {} : { checkpointIntervalMs: interval }) });
    const key = interval === undefined ? 'none' : `every ${interval} ms`;
    let c = cost.get(key);
    if (c === undefined) cost.set(key, (c = { throughput: [], completed: [], durations: [], bytes: [], digest: new Set() }));
    c.throughput.push(RECORDS / report.measuredMs / 1000);
    c.completed.push(report.checkpoints.completed);
    for (const x of report.checkpoints.list) {
      c.durations.push(x.durationMs);
      c.bytes.push(x.stateBytes);
    }
    c.digest.add(report.sinks[0]!.digest);
  }
console.log(`checkpoint cost: generator (${RECORDS.toLocaleString('en')} records, 1000 keys) -> window sum (size 10,000) -> sink, pipelined, two TaskManagers, ${REPEATS} repeats interleaved`);
console.log('  checkpoints       M records/s (median, min-max)   completed per run   duration ms (median, max)   state bytes (median, max)   same output');
const none = cost.get('none')!;
const noneMedian = quantile([...none.throughput].sort((a, b) => a - b), 0.5);
for (const [key, c] of cost) {
  const t = [...c.throughput].sort((a, b) => a - b);
  const d = [...c.durations].sort((a, b) => a - b);
  const b = [...c.bytes].sort((x, y) => x - y);
  const median = quantile(t, 0.5);
  console.log(
    `  ${key.padEnd(16)}  ${median.toFixed(2).padStart(6)} (${t[0]!.toFixed(2)}-${t.at(-1)!.toFixed(2)}) = ${(median / noneMedian).toFixed(2)} x none   ` +
      `${c.completed.join('/').padStart(10)}   ${d.length === 0 ? '-' : `${f1(quantile(d, 0.5))}, ${f1(d.at(-1)!)}`}   ${b.length === 0 ? '-' : `${quantile(b, 0.5).toLocaleString('en')}, ${b.at(-1)!.toLocaleString('en')}`}   ${c.digest.size === 1 ? 'yes' : 'NO'}`,
  );
}
