/** The adversarial search (search.ts): simulated annealing over DAG placement instances, and its files (save.ts). */
export { adversarialSearch, evaluate, checkAdversaryOptions, OPTIMUM_SOLVER, FALLBACK_HEURISTICS, type AdversaryOptions, type AdversaryResult, type KeptInstance, type IterationState, type ProofStatus, type Evaluation } from './search.ts';
export { SHAPES, MOVES, randomGenome, perturb, toSpec, type Genome, type Shape, type Move } from './genome.ts';
export { writeKept, readSidecar, reproduceCommand, describeKept, SIDECAR_FORMAT, SUMMARY_FORMAT, type SearchSettings } from './save.ts';
