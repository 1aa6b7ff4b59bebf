/**
 * The exact `bnb` for load balancing (P||Cmax / Q||Cmax with capacities), one algorithm per file:
 * - problem.ts: the tasks by decreasing load, capacities, the shared budget and deadline;
 * - capacitated-search.ts: the decision search with slot and memory capacities (iterative deepening);
 * - decide-packing.ts: "do the loads fit into m TaskManagers of capacity C?" (bin packing), composing the methods:
 *   - bin-completion.ts: Korf's bin completion for identical TaskManagers without capacities;
 *   - column-generation.ts: the certified Gilmore–Gomory LP bound (covering-master.ts: its simplex;
 *     knapsack.ts: its pricing);
 *   - gap-enumeration.ts: when the LP sits at m, every pattern whose reduced cost fits in the gap, and a branch and
 *     bound over those alone (decides either way);
 *   - pattern-ip.ts: the integer program over those patterns by the MILP backend (HiGHS): a packing;
 *   - cg-diving.ts: diving on that LP for a packing, first-fit decreasing;
 * - multifit.ts: MULTIFIT's upper bound;
 * - solve.ts: the driver (bounds from models/load-balancing/bounds.ts, LPT start, the two target loops);
 * - solver.ts: the registry entry.
 */
export { solveMakespanBnb, type MakespanBnbOptions, type MakespanBnbResult, type MakespanBnbStats } from './solve.ts';
export { makespanBnbSolver } from './solver.ts';
