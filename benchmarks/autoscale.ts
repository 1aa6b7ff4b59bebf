/**
 * Closed-loop autoscaling on the runtime (issue #13, "What must show"): from an under-provisioned start at a source
 * rate the runtime can sustain, does DS2 reach a configuration without back-pressure within ≤ 3 decisions in ≥ 90 %
 * of seeded runs, using at most 20 % more slots than the smallest back-pressure-free configuration a sweep finds?
 * The threshold baseline beside it. The policies' job keeps running: each window stops it with a checkpoint, and it
 * restarts from the checkpoint at the decided parallelism (keyed state by key group); its committed output over all
 * segments is checked against the single-threaded reference. The sweep's windows are bounded runs, each checked.
 *
 *   npx tsx benchmarks/autoscale.ts [--seeds 10] [--first-seed 1] [--rate 1000] [--window 2000] [--target-utilization 0.7] [--policy ds2]
 *
 * Jobs: benchmarks/scaling/jobs.ts (seeded: generator → 1–2 stages → count per key → sink, emulated cost per record,
 * each stage needing 1–4 instances at the rate). Loop: benchmarks/scaling/closed-loop.ts (pipelined, exclusive slots,
 * 32-record buffers, 2 credits, 4 slots per TaskManager, placement flink-default). A policy gets at most 3 decisions.
 */
import { seededRng } from '../models/rng.ts';
import { SCALING_POLICIES } from '../models/scaling/index.ts';
import { autoscale, loopInputWindows, referenceSinks, smallestFreeConfiguration, type AutoscaleOptions, type AutoscaleResult } from './scaling/closed-loop.ts';
import { seededScalingJob } from './scaling/jobs.ts';
import { positiveNumberFlag } from './flags.ts';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => positiveNumberFlag(args, name, fallback);
const SEEDS = flag('--seeds', 10);
const FIRST_SEED = flag('--first-seed', 1); // seeds FIRST_SEED .. FIRST_SEED + SEEDS - 1
const RATE = flag('--rate', 1000);
const WINDOW_MS = flag('--window', 2000);
// the busy share both policies size for; default: each policy's own (DS2 1, the paper; threshold 0.7)
const TARGET = args.includes('--target-utilization') ? flag('--target-utilization', 1) : undefined;
const ONLY = args.includes('--policy') ? args[args.indexOf('--policy') + 1] : undefined; // one policy only
const POLICIES = Object.entries(SCALING_POLICIES).filter(([name]) => ONLY === undefined || name === ONLY);
if (POLICIES.length === 0) throw new Error(`--policy should be one of ${Object.keys(SCALING_POLICIES).join(', ')}, got ${ONLY}`);
const started = Date.now();
const fmt = (p: Readonly<Record<string, number>>) => Object.values(p).join('/');
const rows: string[] = [];
const tally: Record<string, { reached: number; slotsOk: number; extraPct: number[]; outputOk: number; decisions: number[]; restartMs: number[] }> = {};
for (const [name] of POLICIES) tally[name] = { reached: 0, slotsOk: 0, extraPct: [], outputOk: 0, decisions: [], restartMs: [] };
for (let seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
  const job = seededScalingJob(seededRng(seed), RATE);
  const base: Omit<AutoscaleOptions, 'policy' | 'policyName'> = {
    sourceRatePerSecond: RATE,
    windowMs: WINDOW_MS,
    maxDecisions: 3,
    ...(TARGET === undefined ? {} : { targetUtilization: TARGET }),
    seed,
    onWindow: (w) => process.stderr.write(`seed ${seed} step ${w.step}: ${fmt(w.parallelism)} slots ${w.slots} back-pressured ${(100 * w.maxBackPressuredRatio).toFixed(0)} % ${w.outputMatchesReference === undefined ? `restart ${w.restartMs.toFixed(0)} ms` : `output ${w.outputMatchesReference ? 'ok' : 'DIFFERS'}`}\n`),
  };
  // the sweep's windows are bounded runs of one window's input; the policies' job runs on, rescaled with its state
  const sweep = await smallestFreeConfiguration(job.spec, { ...base, policy: SCALING_POLICIES['ds2']!, policyName: 'sweep' }, await referenceSinks(job.spec, base as AutoscaleOptions));
  const loopReference = await referenceSinks(job.spec, base as AutoscaleOptions, loopInputWindows(3));
  const results: AutoscaleResult[] = [];
  for (const [name, policy] of POLICIES) results.push(await autoscale(job.spec, job.start, { ...base, policy, policyName: name }, loopReference));
  const smallest = sweep.final?.slots;
  for (const r of results) {
    const t = tally[r.policy]!;
    const reached = r.decisionsToNoBackPressure !== undefined;
    const extra = smallest === undefined || !reached ? undefined : (100 * (r.final.slots - smallest)) / smallest;
    if (reached) t.reached++;
    if (reached) t.decisions.push(r.decisionsToNoBackPressure!);
    if (extra !== undefined) t.extraPct.push(extra);
    if (extra !== undefined && extra <= 20) t.slotsOk++;
    if (r.outputMatchesReference) t.outputOk++;
    t.restartMs.push(...r.windows.slice(1).map((w) => w.restartMs));
    rows.push(
      `| ${seed} | ${fmt(job.needed)} | ${fmt(job.start)} | ${r.policy} | ${r.windows.map((w) => `${fmt(w.parallelism)} (${(100 * w.maxBackPressuredRatio).toFixed(0)} %)`).join(' → ')} | ${reached ? r.decisionsToNoBackPressure : '> 3'} | ${r.final.slots} | ${smallest ?? '-'} (${sweep.windows.length} windows) | ${extra === undefined ? '-' : `${extra >= 0 ? '+' : ''}${extra.toFixed(0)} %`} | ${r.outputMatchesReference ? `yes (${r.segments} segments)` : 'NO'} |`,
    );
  }
}
process.stdout.write(`Autoscaling on the runtime: ${SEEDS} seeded jobs (seeds ${FIRST_SEED}-${FIRST_SEED + SEEDS - 1}), source ${RATE} records/s, ${WINDOW_MS} ms windows, target utilisation ${TARGET ?? 'per policy (ds2 1, threshold 0.7)'}, at most 3 decisions; ${((Date.now() - started) / 1000).toFixed(0)} s\n\n`);
process.stdout.write('| seed | needed (by construction) | start | policy | windows: parallelism (max back-pressured) | decisions | slots | sweep smallest | extra slots | committed output = reference |\n|---|---|---|---|---|---|---|---|---|---|\n');
process.stdout.write(`${rows.join('\n')}\n\n`);
for (const [name, t] of Object.entries(tally)) {
  const mean = (xs: number[]) => (xs.length === 0 ? Number.NaN : xs.reduce((s, x) => s + x, 0) / xs.length);
  process.stdout.write(
    `${name}: no back-pressure within 3 decisions in ${t.reached}/${SEEDS} (${((100 * t.reached) / SEEDS).toFixed(0)} %), mean decisions ${mean(t.decisions).toFixed(2)}; slots within +20 % of the sweep's smallest in ${t.slotsOk}/${SEEDS}, mean extra ${mean(t.extraPct).toFixed(1)} %; committed output over the segments = reference: ${t.outputOk}/${SEEDS}; rescales with state ${t.restartMs.length}, stop-to-restart mean ${mean(t.restartMs).toFixed(0)} ms\n`,
  );
}
