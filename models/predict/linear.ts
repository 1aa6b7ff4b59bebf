import { defineFeatureModel } from './feature-fit.ts';

/**
 * The source documents' linear model, Performance = a × Resources + b: completion time linear in the number of
 * TaskManagers, t = a·m + b, ordinary least squares (a and b may be negative). The baseline the other models beat:
 * a straight line cannot bend, so extrapolating a speed-up from m ≤ 4 to 8 and 16 overshoots (often below 0 ms).
 */
export const linearModel = defineFeatureModel({
  name: 'linear',
  formula: 't = a·m + b',
  parameterNames: ['a', 'b'],
  features: (m) => [m, 1],
  solve: 'ols',
});
