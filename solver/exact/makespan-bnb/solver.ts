import type { LoadBalancingInstance, TaskAssignment } from '../../../models/load-balancing/instance.ts';
import { evaluateLoadBalancing, taskManagerOfTask } from '../../../models/load-balancing/instance.ts';
import { relativeGap } from '../../../models/milp/index.ts';
import { z } from 'zod';
import { solverParams } from '../../params.ts';
import { defineSolver, solveDeadlineMs, type SolveResult, type Solver, type SolverOptions } from '../../types.ts';
import { bestHeuristicSolution, heuristicBudgetMs } from '../heuristic-start.ts';
import { withMilpBackend } from '../milp-glue.ts';
import { solveMakespanBnb } from './solve.ts';

/** The registry entry `bnb` for load balancing: reads the options, runs solve.ts, reports in the model's vocabulary. */
/** `bnb`'s params (`slotlab solvers --params bnb`). */
export const MAKESPAN_BNB_PARAMS = solverParams({
  targetMs: {
    schema: z.number().positive().finite().optional(),
    type: 'number > 0',
    unit: 'ms',
    default: 'none (minimise)',
    description: 'decision mode (the bin-packing dual): stop as soon as an assignment with max utilisation <= targetMs is found, or the proven bound exceeds it; the status is then feasible unless optimality is proven as well',
  },
});

export const makespanBnbSolver: Solver<'load-balancing'> = defineSolver({
  name: 'bnb',
  model: 'load-balancing',
  kind: 'exact',
  description: 'Branch and bound for P||Cmax / Q||Cmax with capacities: bisection on the bin-packing dual (Martello–Toth L2, certified Gilmore–Gomory LP bound, reduced-cost gap enumeration with HiGHS over its columns, LP diving, bin completion), iterative deepening with area bounds under capacities',
  params: MAKESPAN_BNB_PARAMS,
  run: async (instance: LoadBalancingInstance, options: SolverOptions<{ readonly targetMs?: number | undefined }>): Promise<SolveResult<TaskAssignment>> => {
    const t0 = performance.now();
    if (instance.objective !== 'max-utilization') {
      return { solver: 'bnb', status: 'error', timeMs: performance.now() - t0, message: `bnb minimises max utilisation; this instance asks for ${instance.objective} (use milp)` };
    }
    const targetMs = options.params.targetMs;
    // the best validated assignment of the registered heuristics: the upper bound when it beats LPT
    const deadline = solveDeadlineMs(options, t0);
    const start = await bestHeuristicSolution('load-balancing', instance, { budgetMs: heuristicBudgetMs(options.timeLimitMs, deadline), deadlineMs: deadline });
    // HiGHS for the integer program over enumerated patterns (decide-packing.ts, step 5): the caller's backend when it
    // is HiGHS, else one owned here (its worker starts only if that step runs) and disposed at the end
    const r = await withMilpBackend('highs', options, (withBackend) =>
      solveMakespanBnb(instance, {
        timeLimitMs: Math.max(1, deadline - performance.now()),
        ...(targetMs !== undefined ? { targetMs } : {}),
        ...(start ? { start: taskManagerOfTask(instance, start.solution) } : {}),
        ...(withBackend.backend ? { backend: withBackend.backend } : {}),
      }),
    );
    const solution: TaskAssignment | undefined = r.machineOfTask
      ? { assignments: instance.tasks.map((t, i) => ({ task: t.id, taskManager: instance.taskManagers[r.machineOfTask![i]!]!.id })) }
      : undefined;
    const objective = solution ? evaluateLoadBalancing(instance, solution).objective : undefined;
    const gap = objective !== undefined && Number.isFinite(r.bestBound) ? relativeGap(objective, r.bestBound) : undefined;
    return {
      solver: 'bnb',
      status: r.status,
      ...(solution ? { solution } : {}),
      ...(objective !== undefined ? { objective } : {}),
      ...(Number.isFinite(r.bestBound) ? { bestBound: r.bestBound } : {}),
      ...(gap !== undefined ? { gap } : {}),
      nodes: r.stats.nodes,
      timeMs: performance.now() - t0,
      message: r.message,
    };
  },
});
