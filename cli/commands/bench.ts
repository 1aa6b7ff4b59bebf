import type { Command } from 'commander';
import { defaultJobs } from '../../benchmarks/runner/pool.ts';
import { shippedSuiteNames } from '../../benchmarks/runner/shipped-suites.ts';
import { parseInteger } from '../options.ts';
import { OptionError } from '../../models/errors.ts';

/**
 * `slotlab bench <suite> [--out results.csv] [--jobs N] [--resume]`: the main job. Runs a benchmark suite
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
    .action(async (suite: string, opts: { out?: string; jobs?: string; resume?: boolean; progress: boolean }) => {
      const asked = opts.jobs === undefined ? undefined : parseInteger(opts.jobs, '--jobs');
      if (asked !== undefined && asked < 1) throw OptionError.flag('--jobs', opts.jobs!, 'should be at least 1');
      // More workers than cores only make the runs slower and their times worse: capped at the available parallelism.
      const jobs = asked === undefined ? undefined : Math.min(asked, defaultJobs());
      if (asked !== undefined && jobs! < asked) process.stderr.write(`note: --jobs ${asked} capped at ${jobs}, the cores available to this process\n`);
      const [{ runBench }, { createProgress }, { summaryTable }] = await Promise.all([
        import('../../benchmarks/runner/bench.ts'),
        import('../../benchmarks/runner/progress.ts'),
        import('../../benchmarks/runner/summary.ts'),
      ]);
      const result = await runBench({
        suite,
        ...(opts.out !== undefined ? { out: opts.out } : {}),
        ...(jobs !== undefined ? { jobs } : {}),
        resume: opts.resume === true,
        onPlan: (plan, toRun, skipped) => {
          const solvers = new Set(plan.runs.map((r) => r.solver.label)).size;
          process.stderr.write(
            `suite ${plan.suite.name}: ${plan.runs.length} runs (${plan.instanceCount} instance configurations, ${solvers} solvers) on ${jobs ?? defaultJobs()} workers` +
              (skipped > 0 ? `; ${skipped} already in the output file, ${toRun} to run` : '') +
              '\n',
          );
        },
        ...(opts.progress ? { progress: (total: number) => createProgress(total) } : {}),
      });
      process.stdout.write(`\n${summaryTable(result.summaries, { color: Boolean(process.stdout.isTTY) })}\n`);
      for (const note of result.notes) process.stdout.write(`${note}\n`);
      process.stdout.write(`wrote ${result.rows.length} rows to ${result.out} (${result.ran} run now, ${result.skipped} kept) in ${(result.elapsedMs / 1000).toFixed(1)} s\n`);
    });
}
