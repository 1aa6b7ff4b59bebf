import type { Command } from 'commander';
import { OptionError } from '../../models/errors.ts';
import { parseDurationMs, parseInteger } from '../options.ts';

/**
 * `slotlab adversary --target heft --against optimum|SOLVER --budget 10m`: the adversarial search
 * (benchmarks/adversary/: simulated annealing after PISA, Coleman & Krishnamachari, IPDPS 2025) for the instances
 * on which a DAG placement solver is furthest from the proven optimum or from another solver. The worst instances
 * are written to --out-dir as slotlab JSON (`slotlab solve` reads them) with a sidecar giving the ratio, the proof
 * status and the seeds. Progress (current and best ratio) on stderr. The search loads in the action.
 */
interface AdversaryCliOptions {
  target: string;
  against: string;
  budget: string;
  iterations?: string;
  tasks: string;
  taskManagers: string;
  shape: string;
  seed: string;
  keep: string;
  proofLimit: string;
  outDir: string;
  progress: boolean;
}

const SHAPE_NAMES = ['layered', 'random', 'chain', 'fork-join'];
/** A progress line at most this often (plus one per new best). */
const PROGRESS_EVERY_MS = 2_000;

export function registerAdversary(program: Command): void {
  program
    .command('adversary')
    .description('search for DAG placement instances on which a scheduler is furthest from the proven optimum (or another solver): simulated annealing after PISA')
    .option('--target <solver>', 'the DAG placement solver under test', 'heft')
    .option('--against <optimum|solver>', 'the reference: optimum (proven by the exact bnb solver per instance) or a solver name', 'optimum')
    .option('--budget <duration>', 'wall-clock budget, e.g. 10m, 30s', '10m')
    .option('--iterations <n>', 'iteration budget instead (deterministic: same seed, same instances)')
    .option('--tasks <n>', 'tasks (subtasks) per instance', '10')
    .option('--task-managers <n>', 'TaskManagers (one slot each) per instance', '3')
    .option('--shape <shape>', `shape of the starting instances: ${SHAPE_NAMES.join(' | ')}`, 'layered')
    .option('--seed <n>', 'seed of the search', '1')
    .option('--keep <n>', 'how many of the worst instances to keep', '5')
    .option('--proof-limit <duration>', 'time limit of the exact solver per instance', '5s')
    .option('--out-dir <dir>', 'folder for the kept instances and their sidecars', 'results/adversary')
    .option('--no-progress', 'no progress lines on stderr')
    .action(async (opts: AdversaryCliOptions) => {
      if (!SHAPE_NAMES.includes(opts.shape)) throw OptionError.flag('--shape', opts.shape, `should be one of ${SHAPE_NAMES.join(', ')}`);
      const settings = {
        target: opts.target,
        against: opts.against,
        taskCount: parseInteger(opts.tasks, '--tasks'),
        taskManagerCount: parseInteger(opts.taskManagers, '--task-managers'),
        shape: opts.shape as 'layered',
        seed: parseInteger(opts.seed, '--seed'),
        keep: parseInteger(opts.keep, '--keep'),
        proofLimitMs: parseDurationMs(opts.proofLimit, '--proof-limit'),
        ...(opts.iterations !== undefined ? { iterations: parseInteger(opts.iterations, '--iterations') } : { budgetMs: parseDurationMs(opts.budget, '--budget') }),
      };
      const { adversarialSearch, checkAdversaryOptions, writeKept } = await import('../../benchmarks/adversary/index.ts');
      checkAdversaryOptions(settings);
      let written = new Set<string>();
      let lastLine = 0;
      let lastBest = 0;
      const result = await adversarialSearch({
        ...settings,
        onKept: (kept) => {
          written = writeKept(opts.outDir, settings, kept, written);
        },
        onIteration: (s) => {
          if (!opts.progress) return;
          const now = performance.now();
          if (s.bestRatio <= lastBest && now - lastLine < PROGRESS_EVERY_MS) return;
          lastLine = now;
          lastBest = s.bestRatio;
          process.stderr.write(
            `adversary: ${(s.elapsedMs / 1000).toFixed(1)} s, iteration ${s.iteration}, run ${s.run}, T ${s.temperature.toFixed(4)}: current ratio ${s.currentRatio.toFixed(4)}, best ${s.bestRatio.toFixed(4)} (${s.bestProof})\n`,
          );
        },
      });
      const lines = [
        `${settings.target} against ${settings.against}: ${result.iterations} instances evaluated in ${result.runs} run(s), ${(result.elapsedMs / 1000).toFixed(1)} s; seed ${settings.seed}`,
        ...(result.notProven > 0 ? [`${result.notProven} reference(s) not proven optimal within --proof-limit: those ratios are lower bounds, and a rerun with the same seed may differ from there on`] : []),
        'rank  ratio   target ms  reference ms  reference        proof        file',
        ...result.kept.map(
          (k, i) =>
            `${String(i + 1).padEnd(6)}${k.ratio.toFixed(4).padEnd(8)}${String(k.targetMakespanMs).padEnd(11)}${String(k.referenceMakespanMs).padEnd(14)}${k.referenceSolver.padEnd(17)}${k.proof.padEnd(13)}${opts.outDir}/${k.spec.name}.json`,
        ),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
