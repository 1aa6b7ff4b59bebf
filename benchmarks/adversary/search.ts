import { createDagPlacementInstance, type DagPlacementInstance, type DagPlacementSpec } from '../../models/dag-placement/instance.ts';
import { validateDagPlacement } from '../../models/dag-placement/validator.ts';
import { OptionError } from '../../models/errors.ts';
import { seededRng, type Rng } from '../../models/rng.ts';
import type { Schedule } from '../../models/solution.ts';
import { findSolver, solveWith } from '../../solver/registry.ts';
import { genomeKey, perturb, randomGenome, toSpec, type Genome, type Move, type Shape } from './genome.ts';

/**
 * The adversarial search: which instances of a given size and shape make a target scheduler furthest from a
 * reference? Simulated annealing over instances, after PISA (J. Coleman, B. Krishnamachari, "PISA: An Adversarial
 * Approach To Comparing Task Graph Scheduling Algorithms", IPDPS 2025; arXiv:2403.07120; its code is in saga,
 * github.com/ANRGUSC/saga, `saga.pisa`).
 *
 * As in PISA: the energy of an instance is target makespan / reference makespan, to be maximised; a neighbour
 * changes one thing (a task's cost, an edge's data, a TaskManager's speed, a link, or adds or removes an edge,
 * genome.ts), the new value drawn uniformly from its range; a better neighbour is always accepted; the temperature
 * falls geometrically from `maxTemperature` to `minTemperature` (PISA: 10 → 0.1, factor 0.99, at most 1,000
 * iterations per run), and then a new run starts from a fresh random instance until the budget is spent.
 * Where this differs from PISA:
 * - the reference can be the **proven optimum** (`against: 'optimum'`: the exact `bnb` solver within
 *   `proofLimitMs` per instance), which PISA, comparing two heuristics, does not have. When the optimum is not
 *   proven in time, the reference is the best of the exact solver's incumbent and `FALLBACK_HEURISTICS`, and the
 *   instance says `proof: 'not proven'`: its ratio is then a lower bound of the true ratio to the optimum;
 * - a worse neighbour is accepted with the Metropolis probability exp(−(1 − E'/E) / T) of its relative loss
 *   (PISA's code uses exp(−(E'/E) / T), which accepts an equal neighbour with probability below one); the
 *   temperature scale is set for relative losses (default 0.1 → 0.001, factor 0.99: 459 iterations per run);
 * - every kept instance is built and solved through the registry as `slotlab solve` does, and both schedules go
 *   through the model's validator: a ratio is never taken from a solver's claim.
 * Deterministic given `seed` and an iteration budget (`iterations`): the only randomness is `seededRng(seed)`, and
 * an optimum, once proven, does not depend on the clock. A time budget (`budgetMs`) makes the number of iterations
 * depend on the machine.
 */
export interface AdversaryOptions {
  /** Registry name of the DAG placement solver under test (e.g. `heft`). */
  readonly target: string;
  /** `optimum` (the exact `bnb`), or the registry name of a DAG placement solver. */
  readonly against: string;
  readonly taskCount: number;
  readonly taskManagerCount: number;
  readonly shape: Shape;
  readonly seed: number;
  /** Wall-clock budget, ms (default: none; give this or `iterations`). */
  readonly budgetMs?: number;
  /** Iteration budget (evaluated neighbours, over all runs); default: none. */
  readonly iterations?: number;
  /** How many of the worst instances to keep (default 5). */
  readonly keep?: number;
  /** Time limit of the exact solver per instance, ms (default 5,000). */
  readonly proofLimitMs?: number;
  readonly maxTemperature?: number;
  readonly minTemperature?: number;
  readonly coolingFactor?: number;
  /** Called after every iteration (progress lines). */
  readonly onIteration?: (state: IterationState) => void;
  /** Called when the kept list changes (to write the files as the search goes). */
  readonly onKept?: (kept: readonly KeptInstance[]) => void;
}

/** What the exact solver proved about the reference makespan. */
export type ProofStatus = 'optimal' | 'not proven' | 'heuristic';

export interface Evaluation {
  readonly spec: DagPlacementSpec;
  readonly targetMakespanMs: number;
  readonly referenceMakespanMs: number;
  /** Which solver gave the reference (`bnb`, or the heuristic whose schedule was better when not proven). */
  readonly referenceSolver: string;
  readonly proof: ProofStatus;
  readonly ratio: number;
  readonly targetSchedule: Schedule;
  readonly referenceSchedule: Schedule;
}

export interface KeptInstance extends Evaluation {
  /** 0-based run (restart) and iteration (over all runs) at which it was found. */
  readonly run: number;
  readonly iteration: number;
  readonly key: string;
}

export interface IterationState {
  readonly iteration: number;
  readonly run: number;
  readonly temperature: number;
  readonly move: Move | 'start';
  readonly accepted: boolean;
  readonly currentRatio: number;
  readonly bestRatio: number;
  readonly bestProof: ProofStatus | undefined;
  readonly elapsedMs: number;
}

export interface AdversaryResult {
  readonly options: Omit<AdversaryOptions, 'onIteration' | 'onKept'>;
  /** The worst instances found, worst first. */
  readonly kept: readonly KeptInstance[];
  readonly iterations: number;
  readonly runs: number;
  /** Evaluations whose optimum was not proven within the proof limit: their ratios (and the search after them) depend on the clock. */
  readonly notProven: number;
  /** Best ratio after each iteration (never decreases). */
  readonly bestRatioTrace: readonly number[];
  readonly elapsedMs: number;
}

/** The exact solver behind `--against optimum`. */
export const OPTIMUM_SOLVER = 'bnb';
/** The reference when the optimum is not proven in time: the best of these and of the exact solver's incumbent. */
export const FALLBACK_HEURISTICS = ['heft', 'cpop', 'peft', 'etf', 'dls', 'min-min', 'sufferage'] as const;

const DEFAULTS = { keep: 5, proofLimitMs: 5_000, maxTemperature: 0.1, minTemperature: 0.001, coolingFactor: 0.99 };

/** Checks the options (OptionError naming the flag). */
export function checkAdversaryOptions(options: AdversaryOptions): void {
  const solver = (flag: string, name: string) => {
    try {
      findSolver(name, 'dag-placement');
    } catch (error) {
      throw OptionError.flag(flag, name, error instanceof Error ? error.message : String(error));
    }
  };
  solver('--target', options.target);
  if (options.against !== 'optimum') solver('--against', options.against);
  if (!(Number.isInteger(options.taskCount) && options.taskCount >= 2 && options.taskCount <= 40))
    throw OptionError.flag('--tasks', String(options.taskCount), 'should be an integer from 2 to 40 (the reference is proven optimal per instance)');
  if (!(Number.isInteger(options.taskManagerCount) && options.taskManagerCount >= 1 && options.taskManagerCount <= 16))
    throw OptionError.flag('--task-managers', String(options.taskManagerCount), 'should be an integer from 1 to 16');
  if (options.budgetMs === undefined && options.iterations === undefined) throw OptionError.flag('--budget', '', 'give a time budget or an iteration budget (--iterations)');
  if (options.iterations !== undefined && !(Number.isInteger(options.iterations) && options.iterations >= 1))
    throw OptionError.flag('--iterations', String(options.iterations), 'should be an integer >= 1');
  if (options.keep !== undefined && !(Number.isInteger(options.keep) && options.keep >= 1)) throw OptionError.flag('--keep', String(options.keep), 'should be an integer >= 1');
}

/** Solves one instance with the target and the reference; both schedules are validated. */
export async function evaluate(spec: DagPlacementSpec, target: string, against: string, proofLimitMs: number, seed: number): Promise<Evaluation> {
  const instance = createDagPlacementInstance(spec);
  const rng = () => seededRng(seed);
  const targetResult = await solveWith(target, instance, { rng: rng() });
  const targetSchedule = checkedSchedule(instance, targetResult, target);
  let reference: { schedule: Schedule; makespanMs: number; solver: string };
  let proof: ProofStatus;
  if (against === 'optimum' || findSolver(against, 'dag-placement').kind === 'exact') {
    const solver = against === 'optimum' ? OPTIMUM_SOLVER : against;
    const exact = await solveWith(solver, instance, { rng: rng(), timeLimitMs: proofLimitMs });
    proof = exact.status === 'optimal' ? 'optimal' : 'not proven';
    reference = exact.solution ? { schedule: checkedSchedule(instance, exact, solver), makespanMs: exact.objective!, solver } : { schedule: targetSchedule, makespanMs: Infinity, solver };
    // (no schedule from the exact solver: the fallback heuristics below give one)
    if (proof !== 'optimal')
      for (const name of FALLBACK_HEURISTICS) {
        const r = await solveWith(name, instance, { rng: rng() });
        if (r.solution && r.objective! < reference.makespanMs) reference = { schedule: checkedSchedule(instance, r, name), makespanMs: r.objective!, solver: name };
      }
  } else {
    const r = await solveWith(against, instance, { rng: rng() });
    reference = { schedule: checkedSchedule(instance, r, against), makespanMs: r.objective!, solver: against };
    proof = 'heuristic';
  }
  if (!Number.isFinite(reference.makespanMs)) throw new Error(`adversary: no reference schedule for ${instance.name}`);
  return {
    spec,
    targetMakespanMs: targetResult.objective!,
    referenceMakespanMs: reference.makespanMs,
    referenceSolver: reference.solver,
    proof,
    ratio: targetResult.objective! / reference.makespanMs,
    targetSchedule,
    referenceSchedule: reference.schedule,
  };
}

function checkedSchedule(instance: DagPlacementInstance, result: { status: string; solution?: unknown; objective?: number; message?: string }, solver: string): Schedule {
  if (!result.solution || result.objective === undefined) throw new Error(`adversary: ${solver} gave no schedule on ${instance.name} (${result.status}: ${result.message ?? ''})`);
  const schedule = result.solution as Schedule;
  const violations = validateDagPlacement(instance, schedule);
  if (violations.length > 0) throw new Error(`adversary: ${solver}'s schedule of ${instance.name} fails the validator: ${violations[0]!.message}`);
  return schedule;
}

/** Runs the search (see the file comment). */
export async function adversarialSearch(options: AdversaryOptions): Promise<AdversaryResult> {
  checkAdversaryOptions(options);
  const o = { ...DEFAULTS, ...options };
  const rng: Rng = seededRng(o.seed);
  const t0 = performance.now();
  const deadline = o.budgetMs === undefined ? Infinity : t0 + o.budgetMs;
  const maxIterations = o.iterations ?? Infinity;
  const kept: KeptInstance[] = [];
  const trace: number[] = [];
  let iteration = 0;
  let run = 0;
  let notProven = 0;
  const name = (r: number, i: number) => `adversary-${o.target}-vs-${o.against}-seed${o.seed}-run${r}-it${i}`;
  const consider = (e: Evaluation, genome: Genome) => {
    if (e.proof === 'not proven') notProven++;
    const key = genomeKey(genome);
    if (kept.some((k) => k.key === key)) return;
    if (kept.length >= o.keep && e.ratio <= kept[kept.length - 1]!.ratio) return;
    kept.push({ ...e, run, iteration, key });
    kept.sort((a, b) => b.ratio - a.ratio || a.iteration - b.iteration);
    if (kept.length > o.keep) kept.pop();
    o.onKept?.(kept);
  };
  const best = () => kept[0];
  const stop = () => iteration >= maxIterations || performance.now() >= deadline;
  while (!stop()) {
    let genome = randomGenome(rng, o.taskCount, o.taskManagerCount, o.shape);
    let current = await evaluate(toSpec(genome, name(run, iteration)), o.target, o.against, o.proofLimitMs, o.seed);
    consider(current, genome);
    iteration++;
    trace.push(best()!.ratio);
    let temperature = o.maxTemperature;
    o.onIteration?.({ iteration, run, temperature, move: 'start', accepted: true, currentRatio: current.ratio, bestRatio: best()!.ratio, bestProof: best()!.proof, elapsedMs: performance.now() - t0 });
    while (temperature > o.minTemperature && !stop()) {
      const { genome: next, move } = perturb(genome, rng);
      const candidate = await evaluate(toSpec(next, name(run, iteration)), o.target, o.against, o.proofLimitMs, o.seed);
      const loss = 1 - candidate.ratio / current.ratio;
      const accepted = loss <= 0 || rng.next() < Math.exp(-loss / temperature);
      consider(candidate, next);
      if (accepted) {
        genome = next;
        current = candidate;
      }
      iteration++;
      trace.push(best()!.ratio);
      o.onIteration?.({ iteration, run, temperature, move, accepted, currentRatio: current.ratio, bestRatio: best()!.ratio, bestProof: best()!.proof, elapsedMs: performance.now() - t0 });
      temperature *= o.coolingFactor;
    }
    run++;
  }
  const { onIteration: _i, onKept: _k, ...plain } = options;
  return { options: plain, kept, iterations: iteration, runs: run, notProven, bestRatioTrace: trace, elapsedMs: performance.now() - t0 };
}
