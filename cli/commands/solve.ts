import { existsSync } from 'node:fs';
import { writeOutputFile } from '../output-file.ts';
import type { Command } from 'commander';
import type { ClusterSpec } from '../../models/graphs/cluster.ts';
import { PLACEMENT_VARIANTS, type PlacementVariant } from '../../models/dag-placement/instance.ts';
import { OptionError } from '../../models/errors.ts';
import { seededRng } from '../../models/rng.ts';
import type { Placement } from '../../models/solution.ts';
import type { AnyInstance } from '../../models/model-kind.ts';
import type { Solver } from '../../solver/types.ts';
import { parseDurationMs, parseInteger, parseNonNegativeNumber } from '../options.ts';
import { createSolveProgress } from '../solve-progress.ts';

export interface InstanceInputOptions {
  cluster?: string;
  variant?: string;
  taskManagers?: string;
  costs?: string;
}

/** Loads any instance file slotlab reads, with the --cluster / --variant / --task-managers overrides. */
export async function loadInstanceFromCli(path: string, options: InstanceInputOptions): Promise<AnyInstance> {
  if (options.variant !== undefined && !PLACEMENT_VARIANTS.includes(options.variant as PlacementVariant))
    throw OptionError.flag('--variant', options.variant, `should be one of ${PLACEMENT_VARIANTS.join(', ')}`);
  if (options.cluster !== undefined && options.taskManagers !== undefined)
    throw OptionError.flag('--task-managers', options.taskManagers, 'cannot be given with --cluster: --cluster replaces the whole cluster, --task-managers only sizes a bin-packing instance\'s');
  const { loadInstance } = await import('../../datasets/loaders/index.ts'); // loaded in the action: --help stays fast
  return loadInstance(path, {
    checkFeasibility: false, // solve reports infeasible as a result (exit 2), with the reason
    ...(options.cluster !== undefined ? { cluster: await clusterFromCli(options.cluster) } : {}),
    ...(options.variant !== undefined ? { variant: options.variant as PlacementVariant } : {}),
    ...(options.taskManagers !== undefined ? { taskManagers: parseInteger(options.taskManagers, '--task-managers') } : {}),
    ...(options.costs !== undefined ? { costs: options.costs } : {}),
    warn: (message) => process.stderr.write(`warning: ${message}\n`),
  });
}

/** `--cluster`: a cluster file (`slotlab/cluster@1`, from `slotlab generate`) when the text names a file or ends in .json, else a shorthand. */
export async function clusterFromCli(text: string): Promise<ClusterSpec> {
  if (existsSync(text) || text.toLowerCase().endsWith('.json')) return (await import('../../datasets/loaders/index.ts')).loadClusterFile(text);
  return (await import('../../models/graphs/cluster.ts')).parseClusterShorthand(text);
}

export function addInstanceOptions(command: Command): Command {
  return command
    .option('--cluster <spec|file>', 'cluster to place on (replaces the file\'s own): NxS (N TaskManagers with S slots), NxS@f1,f2,... (speed factors), or a cluster file from slotlab generate')
    .option('--variant <variant>', `DAG placement variant: ${PLACEMENT_VARIANTS.join(' | ')}`)
    .option('--task-managers <n>', 'N identical TaskManagers with one slot each, for formats that carry no cluster (STG processors, BPPLIB machines); not with --cluster')
    .option('--costs <file>', 'Flink execution plans: per-operator figures (busyTimeMsPerSecond, ...; slotlab/flink-costs@1, docs/formats.md); without it the loader uses stated defaults');
}

function fmtNumber(x: number | undefined, digits = 6): string {
  if (x === undefined || Number.isNaN(x)) return '-';
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(digits)));
}

export function registerSolve(program: Command): void {
  addInstanceOptions(
    program
      .command('solve')
      .description('solve one instance with a named solver (heuristic or exact), validate the answer and print it')
      .argument('<instance>', 'an instance file: slotlab JSON, .stg, WfFormat JSON, BPPLIB .txt, the HEFT paper JSON, a Flink execution plan JSON')
      .option('-s, --solver <name>', 'solver name (required; see `slotlab solvers`)'),
  )
    .option('--time-limit <duration>', 'wall-clock limit for exact solvers, e.g. 30s', '30s')
    .option('--gap <relative>', 'relative MIP gap at which exact solvers may stop', '0')
    .option('--seed <n>', 'seed for randomised solvers', '1')
    .option('--out <file>', 'write the solution (placement/schedule, grants or assignment) as JSON')
    .option('--json', 'print one JSON object on stdout')
    .option('-q, --quiet', 'DAG placement: do not print the schedule (per slot, subtasks with start–end)')
    .option('--progress', 'progress on stderr even when it is not a terminal: a solve running over 1 s says so, then its incumbent and bound as they improve (default on a terminal)')
    .option('--no-progress', 'no progress on stderr, even on a terminal')
    .action(async (path: string, opts: InstanceInputOptions & { solver?: string; timeLimit: string; gap: string; seed: string; out?: string; json?: boolean; quiet?: boolean; progress?: boolean }) => {
      // checked here, after the instance argument, so that `slotlab solve` alone names the missing instance first
      if (opts.solver === undefined) throw new OptionError('--solver', 'is required: name a solver for the instance (`slotlab solvers` lists them)');
      const instance = await loadInstanceFromCli(path, opts);
      const [{ findSolver, solveWith }, { describeInstance, objectiveLabel, validateSolution }, { evaluateDagPlacement }, { scheduleText }] = await Promise.all([
        import('../../solver/registry.ts'),
        import('../../models/validate.ts'),
        import('../../models/dag-placement/evaluate.ts'),
        import('../../benchmarks/report/schedule-text.ts'),
      ]);
      const solver = findSolver(opts.solver, instance.kind);
      const timeLimitMs = parseDurationMs(opts.timeLimit);
      const progress = (opts.progress ?? process.stderr.isTTY === true)
        ? createSolveProgress(`${instance.name} with ${solver.name}${solver.kind === 'exact' ? ` (time limit ${fmtNumber(timeLimitMs / 1000, 4)} s)` : ''}`)
        : undefined;
      let result: Awaited<ReturnType<typeof solveWith>>;
      try {
        result = await solveWith(solver.name, instance, {
          rng: seededRng(parseInteger(opts.seed, '--seed')),
          timeLimitMs,
          relativeGap: parseNonNegativeNumber(opts.gap, '--gap'),
          ...(progress ? { onProgress: progress.onProgress } : {}),
        });
      } finally {
        progress?.stop();
      }
      const violations = result.solution === undefined ? [] : validateSolution(instance, result.solution);
      if (opts.out !== undefined && result.solution !== undefined) writeOutputFile(opts.out, `${JSON.stringify(result.solution, null, 2)}\n`);
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify({
            instance: instance.name,
            model: instance.kind,
            ...(instance.kind === 'dag-placement' ? { variant: instance.variant } : {}),
            solver: result.solver,
            kind: solver.kind,
            backend: result.backend ?? null,
            status: result.status,
            objective: result.objective ?? null,
            bound: result.bestBound ?? null,
            gap: result.gap ?? null,
            timeMs: result.timeMs,
            nodes: result.nodes ?? null,
            message: result.message ?? null,
            ...(result.metrics ? { metrics: result.metrics } : {}),
            valid: violations.length === 0,
            violations: violations.map((v) => v.message),
            solution: result.solution ?? null,
          })}\n`,
        );
      } else {
        const lines = [
          ['instance', describeInstance(instance)],
          ['solver', `${result.solver} (${solver.kind}${result.backend ? `, ${result.backend}` : ''})`],
          ['status', result.status],
          ['objective', `${fmtNumber(result.objective)}  ${objectiveLabel(instance)}`],
          ['bound', fmtNumber(result.bestBound)],
          ['gap', result.gap === undefined ? '-' : `${fmtNumber(result.gap * 100, 4)} %`],
          ['time', `${fmtNumber(result.timeMs, 4)} ms${result.nodes !== undefined ? `, ${result.nodes} nodes` : ''}`],
          ...(result.message ? [['note', result.message]] : []),
          ...(result.metrics ? [['metrics', Object.entries(result.metrics).map(([k, v]) => `${k} ${fmtNumber(v)}`).join(', ')]] : []),
          ...(result.solution !== undefined ? [['valid', violations.length === 0 ? 'yes (independent validator)' : `NO: ${violations.length} violations, first: ${violations[0]!.message}`]] : []),
          ...(opts.out !== undefined && result.solution !== undefined ? [['written', opts.out]] : []),
        ];
        for (const [k, v] of lines) process.stdout.write(`${k!.padEnd(10)} ${v}\n`);
        // the schedule of a valid DAG placement (a placement without times: the evaluator's earliest schedule)
        if (!opts.quiet && instance.kind === 'dag-placement' && result.solution !== undefined && violations.length === 0) {
          const schedule = evaluateDagPlacement(instance, result.solution as Placement).schedule;
          const [head, ...body] = scheduleText(instance, schedule);
          process.stdout.write(`${'schedule'.padEnd(10)} ${head}\n${body.map((l) => `  ${l}\n`).join('')}`);
        }
      }
      if (result.status === 'infeasible') process.exitCode = 2;
      else if (result.status === 'error' || violations.length > 0) process.exitCode = 3;
    });

  program
    .command('solvers')
    .description('list the registered solvers by model; --params NAME documents the params of solver NAME')
    .option('--params <name>', "the params a solver takes (a suite solver entry's \"params\"), with type, unit, default and description")
    .action(async (opts: { params?: string }) => {
      const { SOLVERS, solversNamed, solverNames } = await import('../../solver/registry.ts');
      if (opts.params === undefined) {
        for (const s of [...SOLVERS].sort((a, b) => a.model.localeCompare(b.model) || a.name.localeCompare(b.name)))
          process.stdout.write(`${s.model.padEnd(16)} ${s.name.padEnd(20)} ${s.kind.padEnd(9)} ${s.description}\n`);
        return;
      }
      const named = solversNamed(opts.params);
      if (named.length === 0) throw OptionError.flag('--params', opts.params, `should be the name of a registered solver (${solverNames().join(', ')})`);
      process.stdout.write(formatSolverParams(named));
    });
}

/** The params of each solver (one per model it serves): one block per solver, one line per param. */
export function formatSolverParams(solvers: readonly Pick<Solver, 'name' | 'model' | 'kind' | 'description' | 'params'>[]): string {
  const out: string[] = [];
  for (const s of solvers) {
    out.push(`${s.name} (${s.model}, ${s.kind}): ${s.description}`);
    if (s.params.docs.length === 0) out.push('  no params (timeLimitMs and gap are fields of the suite solver entry; --time-limit and --gap on the command line)');
    for (const d of s.params.docs) {
      out.push(`  ${d.key}: ${d.type}${d.unit ? `, in ${d.unit}` : ''}; default ${d.default}`);
      out.push(`      ${d.description}`);
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
