import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidInstanceError, OptionError } from '../../models/errors.ts';
import { parseInteger, parseNonNegativeNumber } from '../options.ts';

interface AutoscaleCliOptions {
  sourceRate: string;
  policy: string;
  window: string;
  maxDecisions: string;
  start?: string;
  slots: string;
  placement: string;
  sweep?: boolean;
  seed: string;
  targetUtilization?: string;
  json?: boolean;
}

/** `map=1,count=2` → { map: 1, count: 2 }. */
function parseStart(text: string, operators: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(',').map((s) => s.trim())) {
    const [id, value] = part.split('=');
    const p = Number(value);
    if (id === undefined || !operators.includes(id) || !Number.isInteger(p) || p < 1)
      throw OptionError.flag('--start', text, `should list operator=parallelism pairs (integers >= 1) of the job's operators (${operators.join(', ')}); "${part}" is not one`);
    out[id] = p;
  }
  return out;
}

export function registerAutoscale(program: Command): void {
  program
    .command('autoscale')
    .description('closed-loop autoscaling on the runtime: run the job with a rate-limited source, stop it with a checkpoint after each window, let DS2 or the threshold baseline set every parallelism from each subtask\'s busy and back-pressured time, restart from the checkpoint at the new parallelism, until no back-pressure')
    .argument('<job.json>', 'a slotlab DAG placement JSON file whose sources are generators (they get the rate and rate x window records)')
    .requiredOption('--source-rate <records/s>', 'records per second the sources emit together')
    .option('--policy <name>', 'scaling policy: ds2 | threshold', 'ds2')
    .option('--window <ms>', 'measurement window: the job stops with a checkpoint once the sources emitted rate x window records', '2000')
    .option('--max-decisions <n>', 'most scaling decisions', '3')
    .option('--start <op=p,...>', 'starting parallelism per operator (default: the file\'s)')
    .option('--slots <n>', 'slots per TaskManager: a configuration runs on ceil(slots / n) TaskManagers', '4')
    .option('-p, --placement <solver>', 'DAG placement solver for every configuration', 'flink-default')
    .option('--sweep', 'also find the smallest back-pressure-free configuration by adding one instance at a time to the bottleneck')
    .option('--target-utilization <u>', 'busy share the policy sizes an operator for, in (0, 1] (default: ds2 1, the paper; threshold 0.7, Flink autoscaler\'s job.autoscaler.target.utilization)')
    .option('--seed <n>', 'seed for a randomised placement solver', '1')
    .option('--json', 'print one JSON object')
    .action(async (path: string, opts: AutoscaleCliOptions) => {
      const rate = parseNonNegativeNumber(opts.sourceRate, '--source-rate');
      if (!(rate > 0)) throw OptionError.flag('--source-rate', opts.sourceRate, 'should be a number of records per second > 0');
      const windowMs = parseNonNegativeNumber(opts.window, '--window');
      if (!(windowMs > 0)) throw OptionError.flag('--window', opts.window, 'should be a number of ms > 0');
      const maxDecisions = parseInteger(opts.maxDecisions, '--max-decisions');
      if (maxDecisions < 0) throw OptionError.flag('--max-decisions', opts.maxDecisions, 'should be an integer >= 0');
      const slots = parseInteger(opts.slots, '--slots');
      if (slots < 1) throw OptionError.flag('--slots', opts.slots, 'should be an integer >= 1');
      const seed = parseInteger(opts.seed, '--seed');
      const targetUtilization = opts.targetUtilization === undefined ? undefined : parseNonNegativeNumber(opts.targetUtilization, '--target-utilization');
      if (targetUtilization !== undefined && !(targetUtilization > 0 && targetUtilization <= 1))
        throw OptionError.flag('--target-utilization', opts.targetUtilization!, 'should be a number in (0, 1]');
      if (!existsSync(path)) throw OptionError.flag('<job.json>', path, 'no such file');
      let spec: import('../../models/dag-placement/instance.ts').DagPlacementSpec;
      try {
        spec = JSON.parse(readFileSync(path, 'utf8'));
      } catch (error) {
        throw new InvalidInstanceError(path, '(file)', `should be JSON (${error instanceof Error ? error.message : String(error)})`);
      }
      if (!spec || typeof spec !== 'object' || !spec.job || !Array.isArray(spec.job.operators) || !Array.isArray(spec.job.edges))
        throw new InvalidInstanceError(path, 'job', 'should be a slotlab DAG placement file with job.operators and job.edges');
      spec = { ...spec, name: spec.name ?? path, cluster: spec.cluster ?? { taskManagers: [{ id: 'tm1', slotCount: 1 }] } };
      // loaded here, so that --help stays fast
      const [{ SCALING_POLICIES }, loop, { findSolver }] = await Promise.all([
        import('../../models/scaling/index.ts'),
        import('../../benchmarks/scaling/closed-loop.ts'),
        import('../../solver/registry.ts'),
      ]);
      const policy = SCALING_POLICIES[opts.policy];
      if (!policy) throw OptionError.flag('--policy', opts.policy, `should be one of ${Object.keys(SCALING_POLICIES).join(', ')}`);
      findSolver(opts.placement, 'dag-placement');
      for (const id of loop.sourceIds(spec)) {
        const op = spec.job.operators.find((o) => o.id === id)!;
        if (!/^(generator|sequence)$/i.test(op.kind ?? ''))
          throw new InvalidInstanceError(path, `job.operators[${id}].kind`, `should be "generator" (autoscale drives a bounded, rate-limited source), got ${JSON.stringify(op.kind ?? null)}`);
      }
      const start = opts.start === undefined ? {} : parseStart(opts.start, spec.job.operators.map((o) => o.id));
      const json = opts.json === true;
      const fmt = (p: Readonly<Record<string, number>>) => Object.entries(p).map(([k, v]) => `${k} ${v}`).join(', ');
      const onWindow = (w: import('../../benchmarks/scaling/closed-loop.ts').ScalingWindow) => {
        if (!json)
          process.stdout.write(
            `window ${w.step}: ${fmt(w.parallelism)}; ${w.slots} slots on ${w.taskManagers} TaskManagers; ${w.measuredMs.toFixed(0)} ms, ${w.throughputPerSecond.toFixed(0)} records/s; back-pressured up to ${(100 * w.maxBackPressuredRatio).toFixed(0)} % (${w.backPressured ? 'back-pressure' : 'OK'})${w.outputMatchesReference === undefined ? (w.step > 0 ? `; restarted from a checkpoint in ${w.restartMs.toFixed(0)} ms` : '') : `; output ${w.outputMatchesReference ? '= reference' : 'DIFFERS from the reference'}`}\n`,
          );
      };
      const options = { sourceRatePerSecond: rate, policy, policyName: opts.policy, windowMs, maxDecisions, slotsPerTaskManager: slots, placement: opts.placement, seed, onWindow, ...(targetUtilization === undefined ? {} : { targetUtilization }) };
      if (!json) process.stdout.write(`autoscale ${spec.name}: policy ${opts.policy}, source ${rate} records/s, ${windowMs} ms windows, ${slots} slots per TaskManager, placement ${opts.placement}\n`);
      const result = await loop.autoscale(spec, start, options);
      const sweep = opts.sweep ? await loop.smallestFreeConfiguration(spec, { ...options, onWindow: (w) => (json ? undefined : process.stdout.write(`sweep  `) && onWindow(w)) }, await loop.referenceSinks(spec, options)) : undefined;
      if (json) {
        process.stdout.write(
          `${JSON.stringify({ job: spec.name, policy: opts.policy, sourceRatePerSecond: rate, windowMs, windows: result.windows, decisionsToNoBackPressure: result.decisionsToNoBackPressure ?? null, segments: result.segments, outputMatchesReference: result.outputMatchesReference, sweep: sweep ? { windows: sweep.windows, smallest: sweep.final ?? null } : undefined })}\n`,
        );
        return;
      }
      process.stdout.write(`rest of the input at the last parallelism; committed output over ${result.segments} segments ${result.outputMatchesReference ? '= reference' : 'DIFFERS from the reference'}\n`);
      process.stdout.write(
        result.decisionsToNoBackPressure === undefined
          ? `result: still back-pressured after ${result.windows.length - 1} decision(s)\n`
          : `result: no back-pressure after ${result.decisionsToNoBackPressure} decision(s): ${fmt(result.final.parallelism)}, ${result.final.slots} slots\n`,
      );
      if (sweep) process.stdout.write(sweep.final ? `sweep: smallest back-pressure-free configuration ${fmt(sweep.final.parallelism)}, ${sweep.final.slots} slots (${sweep.windows.length} windows)\n` : `sweep: found none within ${sweep.windows.length} windows\n`);
    });
}
