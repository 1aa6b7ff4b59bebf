import type { Command } from 'commander';

/**
 * `slotlab generate <generator> [--param k=v ...] [--seed n] --out file` and `--list`: the definition only; the
 * generators, loaders and writers load in the action (cli/commands/generate-run.ts), so that --help stays fast.
 */
export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('write an instance or a cluster from a registered generator as slotlab JSON (--list: the generators and their parameters)')
    .argument('[generator]', 'a generator name: an instance generator (layered-dag, flink-pipeline, ...) or a cluster generator (--list names them all)')
    .option('-p, --param <key=value>', 'a generator parameter (repeatable); see --list', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--seed <n>', 'seed of the generator (a suite entry with the same seed builds the same instance)', '1')
    .option('-o, --out <file>', 'the JSON file to write')
    .option('--list', 'list every generator with its parameters and defaults')
    .action(async (generator: string | undefined, opts: { param: string[]; seed: string; out?: string; list?: boolean }) => {
      const { runGenerate } = await import('./generate-run.ts');
      runGenerate(generator, opts);
    });
}
