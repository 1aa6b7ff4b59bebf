import { defineFeatureModel } from './feature-fit.ts';

/**
 * The schedule, calibrated: t = c0 + c1·T_sched(m), c ≥ 0 by NNLS, where T_sched(m) is slotlab's own prediction for
 * the placement on m TaskManagers (the evaluator's makespan × time scale: `predicted_ms` of a sweep). Ernest and
 * Amdahl see only m; this model also sees the job's structure: where the DAG's critical path stops the speed-up
 * (no placement on more TaskManagers beats it), T_sched(m) flattens, and so does the prediction. T_sched is computed
 * by placing the job, without running it, so it is known at the counts to predict. c1 absorbs the runtime's
 * per-subtask and messaging overhead in proportion to the schedule, c0 the fixed part (deployment, the last
 * transfer). Two parameters: it needs two runs.
 */
export const calibratedModel = defineFeatureModel({
  name: 'calibrated',
  formula: 't = c0 + c1·T_sched(m)',
  parameterNames: ['c0', 'c1'],
  features: (_m, _scale, modelMs) => [1, modelMs ?? Number.NaN],
  solve: 'nnls',
  needsModelMs: true,
});
