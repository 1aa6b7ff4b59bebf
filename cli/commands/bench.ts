import type { Command } from 'commander';
import { defaultJobs, prestartWorkers } from '../../benchmarks/runner/pool.ts';
import { WORKER_FILE } from '../../benchmarks/runner/worker-file.ts';
import { shippedSuiteNames } from '../../benchmarks/runner/shipped-suites.ts';
import { parseInteger } from '../options.ts';
import { OptionError } from '../../models/errors.ts';

/**
 * `slotlab bench <suite> [--out results.csv] [--jobs N] [--resume] [--shard i/N [--shard-times previous.csv]] [--dry-run]`: the main job. Runs a benchmark suite
 * (benchmarks/suites/NAME.json, or a path) on a pool of worker processes, writes one CSV row per run and prints
 * a summary per solver. docs/benchmarks.md describes suites, columns and gaps.
 */
export function registerBench(program: Command): void {
  program
    .command('bench')
    .description(`run a benchmark suite and write one CSV row per (instance, solver, seed); shipped suites: ${shippedSuiteNames().join(', ')}`)
    .argument('<suite>', 'a shipped suite name (benchmarks/suites/NAME.json) or the path of a suite file')
    .option('--out <file>', 'result CSV (default results/<suite>.csv)')
    .option('--jobs <n>', `worker processes running at once (default ${defaultJobs()})`)
    .option('--resume', 'keep the rows already in the output file and run only the missing ones')
    .option('--no-progress', 'print neither the progress bar nor progress lines')
    .option('--shard <i/N>', 'run shard i of N: a deterministic part of the runs, balanced by predicted run time (merge the N files with slotlab merge)')
    .option('--shard-times <csv>', 'with --shard: balance on the measured run_ms of an earlier result file of the suite (every shard must get the same file)')
    .option('--dry-run', 'plan only: print the runs (with --shard, every shard\'s runs and predicted seconds) and run nothing')
    .action(async (suite: string, opts: { out?: string; jobs?: string; resume?: boolean; progress: boolean; shard?: string; shardTimes?: string; dryRun?: boolean }) => {
      const asked = opts.jobs === undefined ? undefined : parseInteger(opts.jobs, '--jobs');
      if (asked !== undefined && asked < 1) throw OptionError.flag('--jobs', opts.jobs!, 'should be at least 1');
      // More workers than cores only make the runs slower and their times worse: capped at the available parallelism.
      const jobs = asked === undefined ? undefined : Math.min(asked, defaultJobs());
      if (asked !== undefined && jobs! < asked) process.stderr.write(`note: --jobs ${asked} capped at ${jobs}, the cores available to this process\n`);
      if (opts.shardTimes !== undefined && opts.shard === undefined) throw new OptionError('--shard-times', 'balances shards: give it with --shard i/N');
      // The pool's workers start first: their start-up (Node, every solver, the runtime) overlaps this process's
      // loading and planning of the suite. runBench closes them when it ends; the finally below when it is not reached.
      const prestarted = opts.dryRun ? undefined : prestartWorkers(WORKER_FILE, jobs ?? defaultJobs());
      try {
        const [{ runBench, planBench }, { parseShardSpec, formatShard }, { createProgress }, { summaryTable }] = await Promise.all([
          import('../../benchmarks/runner/bench.ts'),
          import('../../benchmarks/runner/shard.ts'),
          import('../../benchmarks/runner/progress.ts'),
          import('../../benchmarks/runner/summary.ts'),
        ]);
        const shard = opts.shard === undefined ? undefined : parseShardSpec(opts.shard);
        const sharded = { ...(shard !== undefined ? { shard } : {}), ...(opts.shardTimes !== undefined ? { shardTimes: opts.shardTimes } : {}) };
        const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
        const describeSharding = (s: import('../../benchmarks/runner/bench.ts').Sharding, total: number) =>
          `shard ${formatShard(s.spec)}: ${s.plan.shards[s.spec.index - 1]!.runs.length} of ${total} runs, predicted ${seconds(s.plan.shards[s.spec.index - 1]!.predictedMs)} of ${seconds(s.plan.totalPredictedMs)} ` +
          `(largest shard ${s.plan.maxOverMean.toFixed(3)} x the mean; ${s.times.source === 'predicted' ? 'times predicted from time limits and instance sizes' : `measured times of ${s.times.measured} runs in ${s.times.source}, the others predicted`})`;
        if (opts.dryRun) {
          const planned = planBench({ suite, ...sharded });
          const { plan, sharding } = planned;
          process.stdout.write(`suite ${plan.suite.name} (version ${planned.version}): ${plan.runs.length} runs (${plan.instanceCount} instance configurations)\n`);
          if (sharding) {
            process.stdout.write(`${describeSharding(sharding, plan.runs.length)}\n`);
            for (const sh of sharding.plan.shards)
              process.stdout.write(`${sh.index === sharding.spec.index ? '*' : ' '} shard ${sh.index}/${sharding.plan.count}: ${String(sh.runs.length).padStart(5)} runs, predicted ${seconds(sh.predictedMs).padStart(9)}\n`);
          }
          return;
        }
        const result = await runBench({
          suite,
          ...(opts.out !== undefined ? { out: opts.out } : {}),
          ...(jobs !== undefined ? { jobs } : {}),
          ...sharded,
          resume: opts.resume === true,
          onPlan: (plan, toRun, skipped, sharding) => {
            const solvers = new Set(plan.runs.map((r) => r.solver.label)).size;
            process.stderr.write(
              `suite ${plan.suite.name}: ${plan.runs.length} runs (${plan.instanceCount} instance configurations, ${solvers} solvers) on ${jobs ?? defaultJobs()} workers` +
                (skipped > 0 ? `; ${skipped} already in the output file, ${toRun} to run` : '') +
                '\n' +
                (sharding ? `${describeSharding(sharding, plan.runs.length)}\n` : ''),
            );
          },
          ...(opts.progress ? { progress: (total: number) => createProgress(total) } : {}),
          ...(prestarted !== undefined ? { prestarted } : {}),
        });
        process.stdout.write(`\n${summaryTable(result.summaries, { color: Boolean(process.stdout.isTTY) })}\n`);
        for (const note of result.notes) process.stdout.write(`${note}\n`);
        process.stdout.write(`wrote ${result.rows.length} rows to ${result.out} (${result.ran} run now, ${result.skipped} kept) in ${(result.elapsedMs / 1000).toFixed(1)} s\n`);
      } finally {
        await prestarted?.close();
      }
    });
}
