import type { JobDurationPredictor } from '../../models/cluster/policies.ts';
import { compileDagPlacementInstance } from '../../models/dag-placement/instance.ts';
import { createCluster } from '../../models/graphs/cluster.ts';
import type { Rng } from '../../models/rng.ts';
import { SlotlabError } from '../../models/errors.ts';
import { objectiveOf, validateSolution } from '../../models/validate.ts';
import { findSolver, solveWith } from '../registry.ts';

/**
 * The JobMaster's prediction for the simulator: place the job with the registered DAG placement solver `solver`
 * on the cluster made of its granted slots (models/cluster `grantedSubCluster`), under the job's own variant,
 * check the answer with the model's validator (a job that cannot be placed there is a failure, with the reason), and return the makespan the model's evaluator computes. An
 * unknown solver name throws now, before any simulation starts.
 */
export function placementPredictor(solver: string, options: { readonly rng: Rng; readonly timeLimitMs?: number }): JobDurationPredictor {
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
    return { makespanMs: objectiveOf(instance, result.solution) };
  };
}
