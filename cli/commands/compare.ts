import type { Command } from 'commander';
import { PLACEMENT_VARIANTS, type PlacementVariant } from '../../models/dag-placement/instance.ts';
import { OptionError } from '../../models/errors.ts';
import type { RunCluster, RunSpec } from '../../benchmarks/runner/plan.ts';
import { parseDurationMs, parseInteger, parseNonNegativeNumber } from '../options.ts';
import { clusterFromCli } from './solve.ts';

/**
 * `slotlab compare <instance> [--solvers a,b,c] [--cluster SPEC]`: heuristics against exact solvers on one
 * instance, side by side. Each solver runs in a worker process with the same hard limit as in `slotlab bench`;
 * the table's gap is the benchmark's gap to the best known value (published, else the best exact result here,
 * else the best result here), so a `compare` line reads exactly like a CSV row of a suite.
 */
interface CompareOptions {
  solvers?: string;
  cluster?: string;
  variant?: string;
  taskManagers?: string;
  timeLimit: string;
  gap?: string;
  seed: string;
  jobs: string;
  csv?: string;
  progress: boolean;
}

function num(x: number | null, digits = 8): string {
  if (x === null) return '-';
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(digits)));
}

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('run several solvers (heuristic and exact) on one instance and show them side by side')
    .argument('<instance>', 'an instance file: slotlab JSON, .stg, WfFormat JSON, BPPLIB .txt, the HEFT paper JSON')
    .option('--solvers <names>', 'comma-separated solver names (default: every solver for the instance\'s model)')
    .option('--cluster <spec|file>', 'cluster to place on: NxS (N TaskManagers with S slots), NxS@f1,f2,... (speed factors), or a cluster file from slotlab generate')
    .option('--variant <variant>', `DAG placement variant: ${PLACEMENT_VARIANTS.join(' | ')}`)
    .option('--task-managers <n>', 'number of TaskManagers (STG: identical processors; BPPLIB: machines)')
    .option('--time-limit <duration>', 'time limit each exact solver gets, e.g. 10s; the run is killed 25 % + 2 s later', '10s')
    .option('--gap <relative>', 'relative MIP gap at which exact solvers may stop')
    .option('--seed <n>', 'seed for randomised solvers', '1')
    .option('--jobs <n>', 'solvers running at once (1 keeps the times comparable)', '1')
    .option('--csv <file>', 'also write the rows as benchmark CSV')
    .option('--no-progress', 'no progress line per finished solver on stderr')
    .action(async (path: string, opts: CompareOptions) => {
      if (opts.variant !== undefined && !PLACEMENT_VARIANTS.includes(opts.variant as PlacementVariant))
        throw OptionError.flag('--variant', opts.variant, `should be one of ${PLACEMENT_VARIANTS.join(', ')}`);
      if (opts.cluster !== undefined && opts.taskManagers !== undefined) throw OptionError.flag('--cluster', opts.cluster, 'give either --cluster or --task-managers, not both');
      // loaded in the action, so that --help stays fast
      const [
        { default: Table },
        { describeInstance, objectiveLabel },
        { findSolver, solversFor },
        { executeRuns },
        { loadRunInstance },
        { instanceRefForFile },
        { applyReferences },
        { formatMs, formatPercent },
        { writeResultsFile },
        { createProgress },
      ] = await Promise.all([
        import('cli-table3'),
        import('../../models/validate.ts'),
        import('../../solver/registry.ts'),
        import('../../benchmarks/runner/bench.ts'),
        import('../../benchmarks/runner/instances.ts'),
        import('../../benchmarks/runner/plan.ts'),
        import('../../benchmarks/runner/references.ts'),
        import('../../benchmarks/runner/summary.ts'),
        import('../../benchmarks/runner/csv.ts'),
        import('../../benchmarks/runner/progress.ts'),
      ]);
      const cluster: RunCluster | undefined =
        opts.cluster !== undefined
          ? { label: opts.cluster, spec: await clusterFromCli(opts.cluster), taskManagers: undefined }
          : opts.taskManagers !== undefined
            ? { label: `taskManagers=${opts.taskManagers}`, spec: undefined, taskManagers: parseInteger(opts.taskManagers, '--task-managers') }
            : undefined;
      const variant = opts.variant as PlacementVariant | undefined;
      const ref = instanceRefForFile(path);
      const instance = loadRunInstance(ref, cluster, variant);
      const names = opts.solvers === undefined ? solversFor(instance.kind).map((s) => s.name) : opts.solvers.split(',').map((s) => s.trim()).filter((s) => s !== '');
      if (names.length === 0) throw OptionError.flag('--solvers', opts.solvers ?? '', `should name at least one solver for ${instance.kind}`);
      const solvers = names.map((name) => findSolver(name, instance.kind));
      const timeLimitMs = parseDurationMs(opts.timeLimit);
      const relativeGap = opts.gap === undefined ? undefined : parseNonNegativeNumber(opts.gap, '--gap');
      const seed = parseInteger(opts.seed, '--seed');
      const jobs = parseInteger(opts.jobs, '--jobs');
      if (jobs < 1) throw OptionError.flag('--jobs', opts.jobs, 'should be at least 1');
      const specs: RunSpec[] = solvers.map((s) => ({
        runId: ['compare', ref.label, cluster?.label ?? '', variant ?? '', s.name, `seed=${seed}`].join('|'),
        suite: 'compare',
        group: 'compare',
        instance: ref,
        cluster,
        variant,
        solver: { name: s.name, label: s.name, kind: s.kind, timeLimitMs, relativeGap, params: undefined },
        seed,
        hardLimitMs: timeLimitMs * 1.25 + 2000,
        execute: undefined,
      }));
      process.stderr.write(`${describeInstance(instance)}\nobjective: ${objectiveLabel(instance)}; ${specs.length} solvers, ${opts.timeLimit} each\n`);
      const order = new Map(specs.map((s, i) => [s.runId, i]));
      const rows = applyReferences(await executeRuns(specs, { jobs, ...(opts.progress ? { progress: createProgress(specs.length) } : {}) })).sort((a, b) => order.get(a.run_id)! - order.get(b.run_id)!);

      const table = new Table({
        head: ['solver', 'kind', 'status', 'objective', 'bound', 'gap', 'time ms', 'valid'],
        colAligns: ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'left'],
        style: { head: process.stdout.isTTY ? ['cyan'] : [], border: process.stdout.isTTY ? ['grey'] : [], compact: true },
      });
      for (const r of rows)
        table.push([r.solver, r.solver_kind, r.status, num(r.objective), num(r.best_bound), formatPercent(r.gap_to_best_known), formatMs(r.solve_ms ?? r.run_ms), r.valid === null ? '-' : r.valid ? 'yes' : `NO (${r.violations})`]);
      process.stdout.write(`${table.toString()}\n`);
      const first = rows[0];
      if (first) {
        process.stdout.write(`gap = (objective - best known) / best known; best known ${num(first.best_known)} (${first.best_known_source ?? 'none'}), lower bound ${num(first.lower_bound)} (${first.lower_bound_source ?? 'none'})\n`);
        const published = rows.find((r) => r.published_best_known !== null || r.published_lower_bound !== null);
        if (published?.note) process.stdout.write(`published: ${published.note.split('; ')[0]}\n`);
      }
      for (const r of rows) {
        if (r.status === 'invalid') process.stdout.write(`${r.solver}: invalid: ${r.violation}\n`);
        else if (r.status === 'timeout' || r.status === 'error' || r.status === 'infeasible') process.stdout.write(`${r.solver}: ${r.status}: ${r.note ?? ''}\n`);
      }
      if (opts.csv !== undefined) {
        writeResultsFile(opts.csv, rows);
        process.stdout.write(`wrote ${rows.length} rows to ${opts.csv}\n`);
      }
    });
}
