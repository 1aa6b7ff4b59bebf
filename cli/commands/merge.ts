import type { Command } from 'commander';
import { OptionError } from '../../models/errors.ts';

/**
 * `slotlab merge a.csv b.csv ... --out all.csv [--suite NAME|FILE]`: puts the result files of the shards of one suite
 * (`slotlab bench <suite> --shard i/N`) together into one file, as one bench of the whole suite would have written
 * it, and reports runs that are missing or duplicated. docs/benchmarks.md, "Sharded suites".
 */
export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('merge the result CSVs of the shards of one suite (bench --shard i/N) into one, and report missing or duplicated runs')
    .argument('<csv...>', 'the shards\' result files')
    .requiredOption('--out <file>', 'the merged result CSV (it may not be one of the inputs)')
    .option('--suite <suite>', 'the suite the shards ran (a shipped name or a file); default: the shipped suite the rows name')
    .option('--no-summary', 'print the merge report only, not the summary table')
    .addHelpText('after', '\nExit status: 0 when every run of the suite has exactly one row, 2 when runs are missing or duplicated (the merged file is written all the same), 1 on bad input (files of different suites or versions, a missing file).')
    .action(async (files: string[], opts: { out: string; suite?: string; summary: boolean }) => {
      const { resolve } = await import('node:path');
      if (files.some((f) => resolve(f) === resolve(opts.out))) throw OptionError.flag('--out', opts.out, 'should not be one of the files to merge (write the merged rows to a new file)');
      const [{ readShardFiles, planOfShards, mergeShards, describeMerge }, { writeResultsFile }, { lockOutputFile }, { summarize, summaryNotes, summaryTable }] = await Promise.all([
        import('../../benchmarks/runner/merge.ts'),
        import('../../benchmarks/runner/csv.ts'),
        import('../../benchmarks/runner/lock.ts'),
        import('../../benchmarks/runner/summary.ts'),
      ]);
      const shards = readShardFiles(files);
      const { plan } = planOfShards(shards, opts.suite);
      const outcome = mergeShards(shards, plan);
      const release = lockOutputFile(opts.out);
      try {
        writeResultsFile(opts.out, outcome.rows);
      } finally {
        release();
      }
      if (opts.summary) {
        process.stdout.write(`${summaryTable(summarize(outcome.rows), { color: Boolean(process.stdout.isTTY) })}\n`);
        for (const note of summaryNotes(outcome.rows)) process.stdout.write(`${note}\n`);
      }
      for (const line of describeMerge(outcome, plan)) process.stdout.write(`${line}\n`);
      process.stdout.write(`wrote ${outcome.rows.length} rows to ${opts.out}\n`);
      if (outcome.missing.length > 0 || outcome.duplicates.length > 0) {
        process.stderr.write(`slotlab: the merge is incomplete: ${outcome.missing.length} runs missing, ${outcome.duplicates.length} duplicated (${opts.out} holds what the files have)\n`);
        process.exitCode = 2;
      }
    });
}
