/**
 * How much two shards started together solve side by side, replayed from the times one bench measured: for each
 * pair of shards (1 with 2, 3 with 4, ... as `benchmarks/shard-speedup.sh` starts them with `xargs -P 2`), both
 * start at 0 and run their runs back to back, each run taking its measured `run_ms`, of which the executed
 * placement's measured completion × the suite's time scale is waiting (the runtime sleeps its emulated work) and the
 * rest is on a core. The figure is the expected time both shards are on a core at once, ∫ cpuA(t) × cpuB(t) dt
 * (cpu(t) = the share of the running run's time on a core), once with every shard in plan order (before
 * `shardRunOrder`) and once in `shardRunOrder`. Two solves side by side each run about 30 % slower on this 2-core
 * machine (docs/benchmarks.md, "Sharded suites"), so less overlap is less of that slowdown. A replay, not a
 * measurement: it shows what the order changes, the wall time of `shard-speedup.sh` on a quiet machine decides.
 *
 *   npx tsx benchmarks/shard-pairing.ts results/shard-speedup/one-j1.csv [--suite default] [--shards 4]
 */
import { readResultsFile } from './runner/csv.ts';
import { planBench } from './runner/bench.ts';
import type { RunSpec } from './runner/plan.ts';
import { shardRunOrder } from './runner/shard.ts';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const file = process.argv[2];
if (file === undefined || file.startsWith('--')) {
  process.stderr.write('shard-pairing.ts: give the result CSV of one bench of the suite (run_ms and measured_completion per run)\n');
  process.exit(1);
}
const suite = arg('--suite') ?? 'default';
const count = Number(arg('--shards') ?? 4);

const rows = new Map(readResultsFile(file).map((r) => [r.run_id, r]));

/** A run as measured: its duration and the share of it on a core. */
function measured(run: RunSpec): { readonly ms: number; readonly cpuShare: number } {
  const row = rows.get(run.runId);
  if (row === undefined || row.run_ms === null) throw new Error(`${file}: no run_ms for run ${run.runId}`);
  const waitMs = row.measured_completion !== null && run.execute !== undefined ? row.measured_completion * run.execute.timeScaleMsPerUnit : 0;
  return { ms: row.run_ms, cpuShare: row.run_ms > 0 ? Math.max(0, row.run_ms - waitMs) / row.run_ms : 1 };
}

/** Segments [start, end) with their CPU share, runs back to back from 0. */
function timeline(runs: readonly RunSpec[]): Array<{ start: number; end: number; cpu: number }> {
  let t = 0;
  return runs.map((run) => {
    const m = measured(run);
    const seg = { start: t, end: t + m.ms, cpu: m.cpuShare };
    t += m.ms;
    return seg;
  });
}

/** ∫ cpuA × cpuB over the time both run, ms. */
function overlapMs(a: ReturnType<typeof timeline>, b: ReturnType<typeof timeline>): number {
  let total = 0;
  let j = 0;
  for (const x of a)
    for (j = Math.max(0, j - 1); j < b.length && b[j]!.start < x.end; j++) {
      const y = b[j]!;
      const both = Math.min(x.end, y.end) - Math.max(x.start, y.start);
      if (both > 0) total += both * x.cpu * y.cpu;
    }
  return total;
}

const planned = planBench({ suite, shard: { index: 1, count } });
const shards = planned.sharding!.plan.shards;
const position = new Map(planned.plan.runs.map((r, i) => [r.runId, i]));
const inPlanOrder = (runs: readonly RunSpec[]) => [...runs].sort((x, y) => position.get(x.runId)! - position.get(y.runId)!);
const s = (ms: number) => (ms / 1000).toFixed(1);
let before = 0;
let after = 0;
process.stdout.write(`suite ${suite} (version ${planned.version}), ${count} shards, times of ${file}\n`);
for (let i = 0; i + 1 < shards.length; i += 2) {
  const [a, b] = [shards[i]!, shards[i + 1]!];
  const planA = timeline(inPlanOrder(a.runs));
  const planB = timeline(inPlanOrder(b.runs));
  const orderA = timeline(shardRunOrder(inPlanOrder(a.runs), a.index));
  const orderB = timeline(shardRunOrder(inPlanOrder(b.runs), b.index));
  const o1 = overlapMs(planA, planB);
  const o2 = overlapMs(orderA, orderB);
  before += o1;
  after += o2;
  const cpu = (tl: ReturnType<typeof timeline>) => tl.reduce((t, x) => t + (x.end - x.start) * x.cpu, 0);
  process.stdout.write(
    `shards ${a.index} and ${b.index}: ${s(planA.at(-1)?.end ?? 0)} s and ${s(planB.at(-1)?.end ?? 0)} s of runs (${s(cpu(planA))} s and ${s(cpu(planB))} s on a core); ` +
      `both on a core at once: ${s(o1)} s in plan order, ${s(o2)} s in shardRunOrder\n`,
  );
}
process.stdout.write(`both on a core at once, all pairs: ${s(before)} s in plan order, ${s(after)} s in shardRunOrder\n`);
