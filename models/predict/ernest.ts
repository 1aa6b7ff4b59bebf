import { defineFeatureModel } from './feature-fit.ts';

/**
 * Ernest's model (Venkataraman, Yang, Franklin, Recht, Stoica, "Ernest: Efficient Performance Prediction for
 * Large-Scale Advanced Analytics", NSDI 2016, §3.1): t = θ0 + θ1·(scale/m) + θ2·log(m) + θ3·m, θ ≥ 0 by
 * non-negative least squares. θ0: serial time; θ1: parallel work spread over m machines; θ2: tree-shaped
 * aggregation (log m rounds); θ3: all-to-one or per-machine overhead growing with m. Paper "machines" = TaskManagers
 * here; "scale" = the fraction of the input (1 for a sweep of the whole job). Natural logarithm.
 */
export const ernestModel = defineFeatureModel({
  name: 'ernest',
  formula: 't = θ0 + θ1·(scale/m) + θ2·log(m) + θ3·m',
  parameterNames: ['theta0', 'theta1', 'theta2', 'theta3'],
  features: (m, scale) => [1, scale / m, Math.log(m), m],
  solve: 'nnls',
});
