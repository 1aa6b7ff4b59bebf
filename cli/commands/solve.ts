import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { PLACEMENT_VARIANTS, type PlacementVariant } from '../../models/dag-placement/instance.ts';
import { InvalidInstanceError } from '../../models/errors.ts';
import { seededRng } from '../../models/rng.ts';
import type { ModelInstance } from '../../models/validate.ts';
import type { SolveResult } from '../../solver/types.ts';
import { parseDurationMs, parseInteger, parseNonNegativeNumber } from '../options.ts';

export interface InstanceInputOptions {
  cluster?: string;
  variant?: string;
  taskManagers?: string;
}

/** Loads any instance file slotlab reads, with the --cluster / --variant / --task-managers overrides. */
export async function loadInstanceFromCli(path: string, options: InstanceInputOptions): Promise<ModelInstance> {
  if (options.variant !== undefined && !PLACEMENT_VARIANTS.includes(options.variant as PlacementVariant))
    throw new InvalidInstanceError('--variant', options.variant, `should be one of ${PLACEMENT_VARIANTS.join(', ')}`);
  const [{ loadInstance }, { parseClusterShorthand }] = await Promise.all([import('../../datasets/loaders/index.ts'), import('../../models/graphs/cluster.ts')]);
  return loadInstance(path, {
    checkFeasibility: false, // solve reports infeasible as a result (exit 2), with the reason
    ...(options.cluster !== undefined ? { cluster: parseClusterShorthand(options.cluster) } : {}),
    ...(options.variant !== undefined ? { variant: options.variant as PlacementVariant } : {}),
    ...(options.taskManagers !== undefined ? { taskManagers: parseInteger(options.taskManagers, '--task-managers') } : {}),
  });
}

export function addInstanceOptions(command: Command): Command {
  return command
    .option('--cluster <spec>', 'cluster for formats that carry none: NxS (N TaskManagers with S slots) or NxS@f1,f2,... (speed factors)')
    .option('--variant <variant>', `DAG placement variant: ${PLACEMENT_VARIANTS.join(' | ')}`)
    .option('--task-managers <n>', 'number of TaskManagers for bin-packing (BPPLIB) instances');
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
      .argument('<instance>', 'an instance file: slotlab JSON, .stg, WfFormat JSON, BPPLIB .txt, the HEFT paper JSON')
      .requiredOption('-s, --solver <name>', 'solver name (see `slotlab solvers`)'),
  )
    .option('--time-limit <duration>', 'wall-clock limit for exact solvers, e.g. 30s', '30s')
    .option('--gap <relative>', 'relative MIP gap at which exact solvers may stop', '0')
    .option('--seed <n>', 'seed for randomised solvers', '1')
    .option('--out <file>', 'write the solution (placement/schedule, grants or assignment) as JSON')
    .option('--json', 'print one JSON object on stdout')
    .action(async (path: string, opts: InstanceInputOptions & { solver: string; timeLimit: string; gap: string; seed: string; out?: string; json?: boolean }) => {
      const instance = await loadInstanceFromCli(path, opts);
      const [{ findSolver, solveWith }, { describeInstance, objectiveLabel, validateSolution }] = await Promise.all([
        import('../../solver/registry.ts'),
        import('../../models/validate.ts'),
      ]);
      const solver = findSolver(opts.solver, instance.kind);
      const result: SolveResult<unknown> = await solveWith(solver.name, instance, {
        rng: seededRng(parseInteger(opts.seed, '--seed')),
        timeLimitMs: parseDurationMs(opts.timeLimit),
        relativeGap: parseNonNegativeNumber(opts.gap, '--gap'),
      });
      const violations = result.solution === undefined ? [] : validateSolution(instance, result.solution as never);
      if (opts.out !== undefined && result.solution !== undefined) writeFileSync(opts.out, `${JSON.stringify(result.solution, null, 2)}\n`);
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
          ...(result.solution !== undefined ? [['valid', violations.length === 0 ? 'yes (independent validator)' : `NO: ${violations.length} violations, first: ${violations[0]!.message}`]] : []),
          ...(opts.out !== undefined && result.solution !== undefined ? [['written', opts.out]] : []),
        ];
        for (const [k, v] of lines) process.stdout.write(`${k!.padEnd(10)} ${v}\n`);
      }
      if (result.status === 'infeasible') process.exitCode = 2;
      else if (result.status === 'error' || violations.length > 0) process.exitCode = 3;
    });

  program
    .command('solvers')
    .description('list the registered solvers by model')
    .action(async () => {
      const { SOLVERS } = await import('../../solver/registry.ts');
      for (const s of [...SOLVERS].sort((a, b) => a.model.localeCompare(b.model) || a.name.localeCompare(b.name)))
        process.stdout.write(`${s.model.padEnd(16)} ${s.name.padEnd(20)} ${s.kind.padEnd(9)} ${s.description}\n`);
    });
}
