/**
 * slotlab's public surface: `import { loadInstance, solve, validateSolution, runPlacement, runBench } from 'slotlab'`.
 * One entry re-exporting each layer's index by name (models, datasets, solver, runtime, benchmarks); each index says
 * what it keeps internal. The CLI (cli/) is not part of it: run it as `slotlab` (bin/slotlab.js).
 *
 * The package is compiled to dist/ by `npm run build` (`prepare`, so `npm ci` builds); package.json `exports` maps
 * 'slotlab' to dist/index.js and its declarations, and 'slotlab/models', 'slotlab/solver', ... to the layer indexes.
 */
export * from './models/index.ts';
export * from './datasets/index.ts';
export * from './solver/index.ts';
export * from './runtime/index.ts';
export * from './benchmarks/index.ts';
