import { amdahlModel } from './amdahl.ts';
import { calibratedModel } from './calibrated.ts';
import { ernestModel } from './ernest.ts';
import { linearModel } from './linear.ts';
import type { PerformanceModel } from './types.ts';
import { SolverNotApplicableError } from '../errors.ts';

export { nnls, type NnlsResult } from './nnls.ts';
export { tQuantile } from './student-t.ts';
export { checkPoints } from './feature-fit.ts';
export { linearModel, ernestModel, amdahlModel, calibratedModel };
export type { FittedModel, PerformanceModel, PerformancePoint, Prediction } from './types.ts';

/** Every performance model by name (frozen): the CLI and the benchmark pick them from here. */
export const PERFORMANCE_MODELS: readonly PerformanceModel[] = Object.freeze([linearModel, ernestModel, amdahlModel, calibratedModel]);

export function findPerformanceModel(name: string): PerformanceModel {
  const model = PERFORMANCE_MODELS.find((m) => m.name === name);
  if (!model) throw new SolverNotApplicableError(`unknown performance model "${name}"; known: ${PERFORMANCE_MODELS.map((m) => m.name).join(', ')}`);
  return model;
}
export { chooseExperiments, type ExperimentDesign } from './experiment-design.ts';
