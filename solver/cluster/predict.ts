import type { JobDurationPredictor, JobPlacer } from '../../models/cluster/policies.ts';
import { compileDagPlacementInstance } from '../../models/dag-placement/instance.ts';
import { createCluster } from '../../models/graphs/cluster.ts';
import type { Rng } from '../../models/rng.ts';
import { SlotlabError } from '../../models/errors.ts';
import { objectiveOf, validateSolution } from '../../models/validate.ts';
import { findSolver, solveWith } from '../registry.ts';

/**
 * The JobMaster's placement: place the job with the registered DAG placement solver `solver` on the cluster made of
 * its granted slots (models/cluster `grantedSubCluster`), under the job's own variant, check the answer with the
 * model's validator (a job that cannot be placed there is a failure, with the reason), and return the placement with
 * the makespan the model's evaluator computes. An unknown solver name throws now, before any run starts. The
 * runtime deploys the placement; the simulator uses the makespan (`placementPredictor`).
 */
export function jobPlacer(solver: string, options: { readonly rng: Rng; readonly timeLimitMs?: number }): JobPlacer {
  const name = findSolver(solver, 'dag-placement').name;
  return async (job, subCluster) => {
    let instance;
    try {
      instance = compileDagPlacementInstance(job.name, job.variant, job.jobGraph, createCluster(subCluster, job.id));
    } catch (error) {
      if (error instanceof SlotlabError) return { failure: error.message }; // e.g. durations given only for other TaskManagers
      throw error;
    }
    const result = await solveWith(name, instance, options);
    if (result.solution === undefined) return { failure: `${name} gave no placement (${result.status}${result.message ? `: ${result.message}` : ''})` };
    const violations = validateSolution(instance, result.solution);
    if (violations.length > 0) return { failure: `${name}'s placement breaks the model: ${violations[0]!.message}` };
    return { instance, placement: result.solution, makespanMs: objectiveOf(instance, result.solution) };
  };
}

/** The simulator's run time prediction: `jobPlacer`'s makespan. */
export function placementPredictor(solver: string, options: { readonly rng: Rng; readonly timeLimitMs?: number }): JobDurationPredictor {
  const place = jobPlacer(solver, options);
  return async (job, subCluster) => {
    const placed = await place(job, subCluster);
    return 'failure' in placed ? placed : { makespanMs: placed.makespanMs };
  };
}
