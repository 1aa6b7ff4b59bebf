import type { Command } from 'commander';
import { InvalidInstanceError, OptionError } from '../../models/errors.ts';
import { writeOutputFile } from '../output-file.ts';
import { parseInteger } from '../options.ts';
import { addInstanceOptions, loadInstanceFromCli, type InstanceInputOptions } from './solve.ts';

const FORMATS = ['yaml', 'json'] as const;
const VERSIONS = ['1.20', '2.2'] as const;

interface ExportFlinkCliOptions extends InstanceInputOptions {
  placement?: string;
  out?: string;
  format: string;
  flinkVersion: string;
  seed: string;
  timeLimit: string;
}

/**
 * `slotlab export-flink <instance> --placement <file|solver>`: the Flink settings of a placement (slot sharing
 * groups, parallelisms, taskmanager.numberOfTaskSlots, taskmanager.load-balance.mode) and the model's prediction
 * for the placement Flink makes from them, beside the optimised one (docs/flink.md).
 */
export function registerExportFlink(program: Command): void {
  addInstanceOptions(
    program
      .command('export-flink')
      .description("write what Flink can express of a placement (slot sharing groups, parallelism, slots per TaskManager, load-balance mode) and how close Flink's own placement from those settings comes")
      .argument('<instance>', 'a DAG placement instance (a Flink execution plan JSON, slotlab JSON, ...)')
      .option('-p, --placement <file|solver>', 'required: a placement file (slotlab solve --out) or a DAG placement solver name, e.g. heft'),
  )
    .option('--out <file>', 'write the settings here (default: standard output)')
    .option('--format <format>', `${FORMATS.join(' | ')}`, 'yaml')
    .option('--flink-version <version>', `${VERSIONS.join(' | ')}: the load-balance modes to consider (TASKS needs 2.2)`, '1.20')
    .option('--seed <n>', 'seed for a randomised placement solver', '1')
    .option('--time-limit <duration>', 'time limit for an exact placement solver', '30s')
    .action(async (path: string, opts: ExportFlinkCliOptions) => {
      if (opts.placement === undefined) throw new OptionError('--placement', 'is required: a placement file or a DAG placement solver name, e.g. heft');
      if (!(FORMATS as readonly string[]).includes(opts.format)) throw OptionError.flag('--format', opts.format, `should be one of ${FORMATS.join(', ')}`);
      if (!(VERSIONS as readonly string[]).includes(opts.flinkVersion)) throw OptionError.flag('--flink-version', opts.flinkVersion, `should be one of ${VERSIONS.join(', ')}`);
      const seed = parseInteger(opts.seed, '--seed');
      const instance = await loadInstanceFromCli(path, opts);
      if (instance.kind !== 'dag-placement') throw new InvalidInstanceError(path, 'the instance', `export-flink exports DAG placements, but this is a ${instance.kind} instance`);
      // loaded in the action, so that --help stays fast
      const [{ resolvePlacement }, { exportFlinkSettings, flinkExportDocument }, { stringify }] = await Promise.all([
        import('../placement-input.ts'),
        import('../../benchmarks/flink/export.ts'),
        import('yaml'),
      ]);
      const { placement, source } = await resolvePlacement(instance, opts.placement, '--placement', opts);
      const exported = await exportFlinkSettings(instance, placement, source, { flinkVersion: opts.flinkVersion as (typeof VERSIONS)[number], seed });
      const doc = flinkExportDocument(exported);
      const text =
        opts.format === 'json'
          ? `${JSON.stringify(doc, null, 2)}\n`
          : `# slotlab export-flink ${path} --placement ${opts.placement}: Flink settings (docs/flink.md)\n${stringify(doc, { lineWidth: 0 })}`;
      if (opts.out === undefined) {
        process.stdout.write(text);
        return;
      }
      writeOutputFile(opts.out, text, { makeFolder: true });
      const best = exported.modes.find((m) => m.mode === exported.settings.config['taskmanager.load-balance.mode']);
      const ms = (x: number | undefined) => (x === undefined ? '-' : `${Number(x.toPrecision(6))} ms`);
      process.stdout.write(`written    ${opts.out}\n`);
      process.stdout.write(`groups     ${exported.settings.slotSharingGroups.map((g) => `${g.name} (${g.operators.length} operator${g.operators.length === 1 ? '' : 's'}, ${g.slots} slot${g.slots === 1 ? '' : 's'})`).join(', ')}\n`);
      process.stdout.write(`optimised  ${ms(exported.optimisedMakespanMs)} (${source})\n`);
      for (const m of exported.modes) process.stdout.write(`flink ${m.mode.padEnd(5)} ${ms(m.makespanMs)} (${m.strategy}${m === best ? ', exported' : ''})\n`);
      if (exported.ratio !== undefined) process.stdout.write(`ratio      ${exported.ratio.toFixed(3)} (Flink's placement from these settings / the optimised one, model's prediction)\n`);
    });
}
