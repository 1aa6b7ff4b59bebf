/**
 * Throughput and back-pressure of slotlab's runtime, next to the raw limits of this machine measured in the same run.
 *
 *   npx tsx benchmarks/runtime-throughput.ts            # full run: 20M records x 5 repeats, 10M back-pressure (~1.5 min)
 *   npx tsx benchmarks/runtime-throughput.ts --quick    # 4M records x 3 repeats, 2M back-pressure
 *   options: --records N  --repeats R  --bp-records N  --batch B (records per buffer, default 4096)  --json
 *
 * 1. Raw limits:
 *    - tight loop: one thread fills a Float64Array buffer with 0, 1, 2, ... and sums each full buffer;
 *    - posted batches: one worker fills Float64Arrays the same way and transfers each one to a second worker,
 *      which sums it (no flow control, so this is an upper bound).
 * 2. The runtime: `generator` (0 .. N-1) -> `sink` (counts and sums, digest off), forward edge, pipelined,
 *    credit-based channels, within one TaskManager (one worker, in-memory channel) and across two (two workers,
 *    batches transferred over a MessagePort). Median of the repeats; every run's sum is checked (N(N-1)/2).
 *    Goal (issue 5): across TaskManagers at least 1/3 of the raw posted-batches figure.
 * 3. Back-pressure: 10M records from a source to a sink that is 10x slower per record, both doing real CPU
 *    work (synthetic operators with `cost: cpu`), on two TaskManagers. The source spends 0.1 µs per record; the
 *    run with a fast sink measures what a record really costs it (with the runtime's own overhead), and the
 *    sink is then given 10x that per record. Each scenario runs in a fresh child process so that its peak RSS is
 *    its own: the source alone (fast sink), bounded (8 credits per channel, the default), and unbounded
 *    (infinite credits, no flow control) for contrast.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker, MessageChannel } from 'node:worker_threads';
import { createDagPlacementInstance, type DagPlacementInstance } from '../models/dag-placement/instance.ts';
import type { Placement } from '../models/solution.ts';
import { runPlacement, type RunReport } from '../runtime/index.ts';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(args[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} should be a positive number, got ${args[i + 1]}`);
  return v;
};
const quick = flag('--quick');
const RECORDS = option('--records', quick ? 4_000_000 : 20_000_000);
const REPEATS = option('--repeats', quick ? 3 : 5);
const BP_RECORDS = option('--bp-records', quick ? 2_000_000 : 10_000_000);
const BATCH = option('--batch', 4096);
const SOURCE_MS_PER_RECORD = 0.0001; // 0.1 µs of CPU per record
const BP_CREDITS = 8;

const mps = (records: number, ms: number) => records / ms / 1000; // million records per second
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (bytes: number) => bytes / 1e6;

// ---------------------------------------------------------------------------------------------- raw limits

function tightLoop(n: number, batch: number): number {
  const buf = new Float64Array(batch);
  let sum = 0;
  let j = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    buf[j++] = i;
    if (j === batch) {
      for (let k = 0; k < batch; k++) sum += buf[k]!;
      j = 0;
    }
  }
  for (let k = 0; k < j; k++) sum += buf[k]!;
  const ms = performance.now() - t0;
  if (sum !== (n * (n - 1)) / 2) throw new Error(`tight loop: wrong sum ${sum}`);
  return ms;
}

const PRODUCER = `
const { parentPort } = require('node:worker_threads');
parentPort.once('message', ({ port, n, batch }) => {
  const t0 = performance.timeOrigin + performance.now();
  let i = 0;
  while (i < n) {
    const len = Math.min(batch, n - i);
    const buf = new Float64Array(len);
    for (let k = 0; k < len; k++) buf[k] = i++;
    port.postMessage(buf, [buf.buffer]);
  }
  parentPort.postMessage({ t0 });
});`;
const CONSUMER = `
const { parentPort } = require('node:worker_threads');
parentPort.once('message', ({ port, n }) => {
  let seen = 0, sum = 0;
  port.on('message', (buf) => {
    for (let k = 0; k < buf.length; k++) sum += buf[k];
    seen += buf.length;
    if (seen === n) { parentPort.postMessage({ t1: performance.timeOrigin + performance.now(), sum }); port.close(); }
  });
});`;

async function postedBatches(n: number, batch: number): Promise<number> {
  const producer = new Worker(PRODUCER, { eval: true });
  const consumer = new Worker(CONSUMER, { eval: true });
  const { port1, port2 } = new MessageChannel();
  const done = new Promise<{ t1: number; sum: number }>((resolve) => consumer.once('message', resolve));
  const started = new Promise<{ t0: number }>((resolve) => producer.once('message', resolve));
  consumer.postMessage({ port: port2, n }, [port2]);
  await new Promise((resolve) => setTimeout(resolve, 100)); // both threads up
  producer.postMessage({ port: port1, n, batch }, [port1]);
  const [{ t0 }, { t1, sum }] = await Promise.all([started, done]);
  await Promise.all([producer.terminate(), consumer.terminate()]);
  if (sum !== (n * (n - 1)) / 2) throw new Error(`posted batches: wrong sum ${sum}`);
  return t1 - t0;
}

// ---------------------------------------------------------------------------------------------- runtime

function pipeline(name: string, source: object, sink: object): DagPlacementInstance {
  return createDagPlacementInstance({
    name,
    variant: 'exclusive',
    job: {
      operators: [
        { id: 'source', parallelism: 1, ...source },
        { id: 'sink', parallelism: 1, ...sink },
      ],
      edges: [{ from: 'source', to: 'sink', partitioning: 'forward' }],
    },
    cluster: { taskManagers: [{ id: 'tm1', slotCount: 2 }, { id: 'tm2', slotCount: 1 }] },
  });
}
const oneTm: Placement = { assignments: [{ subtask: 'source#0', taskManager: 'tm1', slot: 0 }, { subtask: 'sink#0', taskManager: 'tm1', slot: 1 }] };
const twoTms: Placement = { assignments: [{ subtask: 'source#0', taskManager: 'tm1', slot: 0 }, { subtask: 'sink#0', taskManager: 'tm2', slot: 0 }] };

async function runtimeRate(n: number, placement: Placement): Promise<number> {
  const instance = pipeline('throughput', { kind: 'generator', params: { count: n } }, { kind: 'sink', params: { digest: false } });
  const report = await runPlacement(instance, placement, { mode: 'pipelined', batchRecords: BATCH });
  if (report.sinks[0]!.valueSum !== (n * (n - 1)) / 2) throw new Error(`runtime: wrong sum ${report.sinks[0]!.valueSum}`);
  return report.measuredMs;
}

// ---------------------------------------------------------------------------------------------- back-pressure

type Scenario = 'source-alone' | 'bounded' | 'unbounded';

interface ScenarioResult {
  readonly scenario: Scenario;
  readonly measuredMs: number;
  readonly sourceActiveMs: number;
  readonly sourceBusyMs: number;
  readonly sourceBackPressuredMs: number;
  readonly sinkActiveMs: number;
  readonly sinkRecords: number;
  readonly peakRssBytes: number;
  readonly baselineRssBytes: number;
}

async function runScenario(scenario: Scenario, n: number, sinkMsPerRecord: number): Promise<ScenarioResult> {
  const source = { kind: 'synthetic', params: { records: n, perRecordMs: SOURCE_MS_PER_RECORD, cost: 'cpu' } };
  const sink = scenario === 'source-alone' ? { kind: 'sink', params: { digest: false } } : { kind: 'synthetic', params: { perRecordMs: sinkMsPerRecord, cost: 'cpu' } };
  const report: RunReport = await runPlacement(pipeline(`back-pressure-${scenario}`, source, sink), twoTms, {
    mode: 'pipelined',
    batchRecords: BATCH,
    creditsPerChannel: scenario === 'unbounded' ? Number.POSITIVE_INFINITY : BP_CREDITS,
  });
  const [src, snk] = report.subtasks;
  return {
    scenario,
    measuredMs: report.measuredMs,
    sourceActiveMs: src!.endMs - src!.startMs,
    sourceBusyMs: src!.busyMs,
    sourceBackPressuredMs: src!.backPressuredMs,
    sinkActiveMs: snk!.endMs - snk!.startMs,
    sinkRecords: snk!.recordsIn,
    peakRssBytes: report.peakRssBytes,
    baselineRssBytes: report.baselineRssBytes,
  };
}

function scenarioInChild(scenario: Scenario, n: number, sinkMsPerRecord: number): ScenarioResult {
  const self = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, ['--import', 'tsx', self, '--scenario', scenario, '--bp-records', String(n), '--batch', String(BATCH), ...(sinkMsPerRecord > 0 ? ['--sink-ms', String(sinkMsPerRecord)] : [])], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (child.status !== 0) throw new Error(`scenario ${scenario} failed (exit ${child.status}): ${child.stderr}`);
  const last = child.stdout.trim().split('\n').pop()!;
  return JSON.parse(last) as ScenarioResult;
}

// ---------------------------------------------------------------------------------------------- main

async function main(): Promise<void> {
  const scenarioIndex = args.indexOf('--scenario');
  if (scenarioIndex >= 0) {
    process.stdout.write(`${JSON.stringify(await runScenario(args[scenarioIndex + 1] as Scenario, BP_RECORDS, option('--sink-ms', 0.001)))}\n`);
    return;
  }
  const json = flag('--json');
  const log = (line: string) => {
    if (!json) process.stdout.write(`${line}\n`);
  };
  log(`runtime throughput: ${RECORDS.toLocaleString('en')} records, ${BATCH} records per buffer, median of ${REPEATS} (min-max)`);
  const measure = async (f: () => number | Promise<number>) => {
    const rates: number[] = [];
    for (let r = 0; r < REPEATS; r++) rates.push(mps(RECORDS, await f()));
    return { median: median(rates), min: Math.min(...rates), max: Math.max(...rates) };
  };
  tightLoop(RECORDS, BATCH); // JIT warm-up
  const tight = await measure(() => tightLoop(RECORDS, BATCH));
  const posted = await measure(() => postedBatches(RECORDS, BATCH));
  const within = await measure(() => runtimeRate(RECORDS, oneTm));
  const across = await measure(() => runtimeRate(RECORDS, twoTms));
  const row = (label: string, r: { median: number; min: number; max: number }, note = '') =>
    log(`  ${label.padEnd(52)} ${r.median.toFixed(1).padStart(6)} M records/s  (${r.min.toFixed(1)}-${r.max.toFixed(1)})${note}`);
  row('raw: tight loop, one thread', tight);
  row('raw: batches posted between two workers', posted);
  row('runtime: generator -> sink within one TaskManager', within, `  = ${(within.median / tight.median).toFixed(2)} x tight loop`);
  row('runtime: generator -> sink across two TaskManagers', across, `  = ${(across.median / posted.median).toFixed(2)} x posted batches (goal >= 0.33)`);

  const alone = scenarioInChild('source-alone', BP_RECORDS, 0);
  const sourceFreeRate = mps(BP_RECORDS, alone.sourceActiveMs);
  const sinkMsPerRecord = (10 * alone.sourceActiveMs) / BP_RECORDS;
  log(
    `\nback-pressure: ${BP_RECORDS.toLocaleString('en')} records, two TaskManagers, ${BATCH} records per buffer; source: ${SOURCE_MS_PER_RECORD * 1000} µs of CPU per record, ` +
      `${((1000 * alone.sourceActiveMs) / BP_RECORDS).toFixed(3)} µs measured; sink: 10 x that = ${(sinkMsPerRecord * 1000).toFixed(3)} µs of CPU per record`,
  );
  const scenarios = [alone, ...(['bounded', 'unbounded'] as const).map((s) => scenarioInChild(s, BP_RECORDS, sinkMsPerRecord))];
  log(`  ${'scenario'.padEnd(24)} ${'total ms'.padStart(9)} ${'source ms'.padStart(10)} ${'source M/s'.padStart(11)} ${'back-pressured'.padStart(15)} ${'sink M/s'.padStart(9)} ${'peak RSS MB'.padStart(12)} ${'(+ over start)'.padStart(15)}`);
  for (const s of scenarios) {
    const label = s.scenario === 'source-alone' ? 'source alone (fast sink)' : s.scenario === 'bounded' ? `sink 10x slower, ${BP_CREDITS} credits` : 'sink 10x slower, no limit';
    log(
      `  ${label.padEnd(24)} ${s.measuredMs.toFixed(0).padStart(9)} ${s.sourceActiveMs.toFixed(0).padStart(10)} ${mps(BP_RECORDS, s.sourceActiveMs).toFixed(2).padStart(11)} ${`${((100 * s.sourceBackPressuredMs) / s.sourceActiveMs).toFixed(0)} %`.padStart(15)} ${mps(s.sinkRecords, s.sinkActiveMs).toFixed(2).padStart(9)} ${mb(s.peakRssBytes).toFixed(0).padStart(12)} ${`+${mb(s.peakRssBytes - s.baselineRssBytes).toFixed(0)}`.padStart(15)}`,
    );
  }
  const bounded = scenarios[1]!;
  const unbounded = scenarios[2]!;
  log(
    `  bounded: the source ran at ${(mps(BP_RECORDS, bounded.sourceActiveMs) / sourceFreeRate).toFixed(3)} x its free rate and was back-pressured ${((100 * bounded.sourceBackPressuredMs) / bounded.sourceActiveMs).toFixed(0)} % of its time; ` +
      `measured sink/source speed ratio ${(sourceFreeRate / mps(BP_RECORDS, bounded.sinkActiveMs)).toFixed(1)}; at most ${BP_CREDITS} credits x ${BATCH} = ${BP_CREDITS * BATCH} records (${((BP_CREDITS * BATCH * 8) / 1024).toFixed(0)} KiB of values) in flight; ` +
      `peak RSS ${mb(bounded.peakRssBytes).toFixed(0)} MB vs ${mb(alone.peakRssBytes).toFixed(0)} MB with a fast sink`,
  );
  log(
    `  unbounded: the source finished after ${unbounded.sourceActiveMs.toFixed(0)} ms, the sink after ${unbounded.sinkActiveMs.toFixed(0)} ms; up to ${((BP_RECORDS * 8) / 1e6).toFixed(0)} MB of values queued at the sink; ` +
      `peak RSS ${mb(unbounded.peakRssBytes).toFixed(0)} MB`,
  );
  if (json)
    process.stdout.write(
      `${JSON.stringify({ records: RECORDS, batchRecords: BATCH, repeats: REPEATS, rawTightLoop: tight, rawPostedBatches: posted, runtimeWithinOneTm: within, runtimeAcrossTwoTms: across, acrossOverPosted: across.median / posted.median, backPressure: { records: BP_RECORDS, sourceMsPerRecord: SOURCE_MS_PER_RECORD, sinkMsPerRecord, scenarios } })}\n`,
    );
}

await main();
