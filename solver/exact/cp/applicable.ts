/** When the constraint model of dag-model.ts applies to a DAG placement instance. */
import type { DagPlacementInstance, PlacementVariant } from '../../../models/dag-placement/instance.ts';
import { allocationOrderingNotApplicable } from '../allocation-ordering/problem.ts';
import { cpTimeScale } from './dag-model.ts';

/** Why the constraint model (cp) does not apply to (instance, variant), or null: the allocation–ordering model's conditions and integral times. */
export function cpNotApplicable(instance: DagPlacementInstance, variant: PlacementVariant): string | null {
  const ao = allocationOrderingNotApplicable(instance, variant);
  if (ao) return ao.replace('the allocation–ordering search', 'the constraint model');
  const scale = cpTimeScale(instance);
  return 'problem' in scale ? `the constraint model does not apply: ${scale.problem}` : null;
}
