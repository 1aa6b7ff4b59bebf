/**
 * MILP backends by name. The registry holds factories (frozen, no state): each
 * call creates a backend object the caller owns and disposes.
 *
 * - `highs`: HiGHS (wasm) — honours its time limit, proves bounds, takes MIP
 *   starts. The default exact backend.
 * - `lp-solver`: javascript-lp-solver in a worker — fine for LPs and tiny MILPs,
 *   reports no bound (see lp-solver.ts for the traps it works around).
 */
import type { MilpBackend } from './backend.ts';
import { createHighsBackend } from './highs.ts';
import { createLpSolverBackend } from './lp-solver.ts';

export const milpBackendFactories = Object.freeze({
  highs: (): MilpBackend => createHighsBackend(),
  'lp-solver': (): MilpBackend => createLpSolverBackend(),
});

export type MilpBackendName = keyof typeof milpBackendFactories;

/** The backend `milp` means: the one that works on the sizes slotlab solves. */
export const DEFAULT_MILP_BACKEND: MilpBackendName = 'highs';

export const milpBackendNames: readonly MilpBackendName[] = Object.freeze(
  Object.keys(milpBackendFactories) as MilpBackendName[],
);

export function isMilpBackendName(name: string): name is MilpBackendName {
  return Object.hasOwn(milpBackendFactories, name);
}

/** Creates a backend by name; throws a RangeError listing the known names. */
export function createMilpBackend(name: string = DEFAULT_MILP_BACKEND): MilpBackend {
  if (!isMilpBackendName(name)) {
    throw new RangeError(`unknown MILP backend "${name}"; expected one of ${milpBackendNames.join(', ')}`);
  }
  return milpBackendFactories[name]();
}
