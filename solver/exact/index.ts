import type { AnySolver } from '../types.ts';

/** Every exact solver (MILP backends per model, problem-specific exact methods). */
export const EXACT_SOLVERS: readonly AnySolver[] = Object.freeze([]);
