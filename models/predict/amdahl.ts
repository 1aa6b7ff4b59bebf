import { defineFeatureModel } from './feature-fit.ts';

/**
 * Amdahl's law as a time model (G. M. Amdahl, AFIPS 1967): t = s + p/m, a serial part s and a parallel part p
 * spread over m TaskManagers, s, p ≥ 0 by NNLS. Two parameters: it needs only two runs, and it cannot predict a
 * slow-down with more TaskManagers (Ernest's θ2, θ3 can).
 */
export const amdahlModel = defineFeatureModel({
  name: 'amdahl',
  formula: 't = s + p/m',
  parameterNames: ['s', 'p'],
  features: (m, scale) => [1, scale / m],
  solve: 'nnls',
});
