/**
 * The DAG placement problem (`sequenced`, one slot per TaskManager, transfers only across TaskManagers) as a
 * MiniZinc constraint model for a lazy clause generation solver (Chuffed; solver/exact/cp/index.ts runs it):
 *
 *   m[i] ∈ 1..K              the TaskManager of subtask i
 *   s[i] ∈ 0..UB, d[i] = dur[i, m[i]]                start and duration there (integral time units)
 *   s[j] ≥ s[i] + d[i] + transfer(e, m[i], m[j])      every edge e = (i, j); 0 when m[i] = m[j]
 *   m[a] ≠ m[b] ∨ s[a] + d[a] ≤ s[b] ∨ s[b] + d[b] ≤ s[a]      every pair with no path between them
 *   cumulative(s, dur[·, k], [m[i] = k], 1)           per TaskManager: timetabling and edge finding
 *   value_precede_chain(class, m)                     identical TaskManagers: the first use in subtask order follows
 *                                                     the TaskManagers' order (breaks their symmetry)
 *   LB ≤ mk ≤ UB,  s[i] + d[i] ≤ mk,   minimize mk
 *
 * Pairs joined by a path need no disjunction: precedence already orders them. Transfers with the same cost between
 * every two TaskManagers (one default link) are a per-edge constant times [m[i] ≠ m[j]]; otherwise an element of
 * the edge's K × K matrix. Search: TaskManagers first (first-fail), then starts (smallest first), alternated by
 * Chuffed's free search with activity-based (VSIDS) search and restarts.
 *
 * Times are made integral by one scale: the least q ≤ 1000 with every duration and transfer · q integral
 * (`commonTimeScale`, the time-indexed MILP's rule); instances without one are not modelled.
 */
import type { DagPlacementInstance } from '../../../models/dag-placement/instance.ts';
import { commonTimeScale } from '../../../models/dag-placement/formulation.ts';
import type { AoProblem } from '../allocation-ordering/problem.ts';

/** Chuffed's integers are 32-bit: every scaled time must stay well inside. */
const MAX_SCALED_TIME = 1e8;

export interface CpDagModel {
  /** The model in FlatZinc, Chuffed's input (no MiniZinc compilation needed). */
  readonly flatzinc: string;
  /** Time units per ms. */
  readonly scale: number;
}

const isNearInteger = (x: number): boolean => Math.abs(x - Math.round(x)) <= 1e-9 * Math.max(1, Math.abs(x));

/**
 * The time scale of the CP model of `instance`, or why it cannot be modelled with integral times: every duration
 * and transfer times q integral for some q ≤ 1000, and q times the longest possible makespan (every subtask at its
 * slowest, one after another, every transfer at its dearest) inside the model's 32-bit integers.
 */
export function cpTimeScale(instance: DagPlacementInstance): { scale: number } | { problem: string } {
  const values: number[] = [];
  let serialMs = 0;
  for (let s = 0; s < instance.subtasks.length; s++) {
    let slowest = 0;
    for (let k = 0; k < instance.taskManagers.length; k++) {
      const d = instance.durationMs(s, k);
      values.push(d);
      if (d > slowest) slowest = d;
    }
    serialMs += slowest;
  }
  for (const matrix of instance.derived.transferMatrices) {
    let dearest = 0;
    for (const v of matrix) {
      values.push(v);
      if (v > dearest) dearest = v;
    }
    serialMs += dearest;
  }
  const scale = commonTimeScale(values);
  if (scale === undefined) return { problem: 'its durations and transfer times have no common denominator up to 1000 (the constraint model needs integral times)' };
  if (serialMs * scale > MAX_SCALED_TIME) return { problem: `its times in units of 1/${scale} ms may exceed ${MAX_SCALED_TIME} (the constraint model's integers are 32-bit)` };
  return { scale };
}

/** Scaled integral time of `ms`. */
export function toUnits(ms: number, scale: number): number {
  return Math.round(ms * scale);
}

/**
 * The FlatZinc of the model for `p`, searching makespans in [lowerBoundMs, upperBoundMs] (both rounded into the
 * scaled integers: the upper bound down, the lower bound up). `strictlyBelow`: search only makespans below
 * `upperBoundMs` (an incumbent of that makespan is known).
 */
export function buildCpDagModel(p: AoProblem, scale: number, lowerBoundMs: number, upperBoundMs: number, strictlyBelow: boolean): CpDagModel {
  const { n, K } = p;
  const instance: DagPlacementInstance = p.instance;
  const unit = (ms: number) => toUnits(ms, scale);
  const upperScaled = upperBoundMs * scale;
  const ub = isNearInteger(upperScaled) ? Math.round(upperScaled) - (strictlyBelow ? 1 : 0) : Math.floor(upperScaled);
  const lowerScaled = lowerBoundMs * scale;
  const lb = Math.min(ub, Math.max(0, isNearInteger(lowerScaled) ? Math.round(lowerScaled) : Math.ceil(lowerScaled)));
  const out: string[] = [
    'predicate int_lin_le_imp(array [int] of int: as, array [int] of var int: bs, int: c, var bool: r);',
    'predicate chuffed_cumulative_vars(array [int] of var int: s, array [int] of var int: d, array [int] of var int: r, var int: b);',
  ];
  const dur = (i: number, k: number) => unit(p.dur[i * K + k]!);
  const m = (i: number) => `m${i}`;
  const st = (i: number) => `s${i}`;
  const d = (i: number) => `d${i}`;
  const on = (i: number, k: number) => `b${i}_${k}`;
  const use = (i: number, k: number) => `r${i}_${k}`;
  const list = (xs: readonly (string | number)[]) => `[${xs.join(',')}]`;
  const constraints: string[] = [];
  for (let i = 0; i < n; i++) {
    const durations = Array.from({ length: K }, (_, k) => dur(i, k));
    out.push(`var 1..${K}: ${m(i)};`, `var 0..${ub}: ${st(i)};`, `var ${list([...new Set(durations)].sort((x, y) => x - y)).replace('[', '{').replace(']', '}')}: ${d(i)};`);
    constraints.push(`array_int_element(${m(i)}, ${list(durations)}, ${d(i)})`);
    for (let k = 0; k < K; k++) {
      out.push(`var bool: ${on(i, k)};`, `var 0..1: ${use(i, k)};`);
      constraints.push(`int_eq_reif(${m(i)}, ${k + 1}, ${on(i, k)})`, `bool2int(${on(i, k)}, ${use(i, k)})`);
    }
  }
  out.push(`var ${lb}..${ub}: mk :: output_var;`);
  for (let i = 0; i < n; i++) constraints.push(`int_lin_le([1,1,-1], [${st(i)},${d(i)},mk], 0)`);
  // precedence with the transfer when the two ends are on different TaskManagers
  instance.edges.forEach((edge, e) => {
    const a = edge.from;
    const b = edge.to;
    const c = p.comm[e]!;
    let uniform = true;
    const across = K > 1 ? c[1]! : 0;
    for (let x = 0; x < K && uniform; x++) for (let y = 0; y < K; y++) if (x !== y && c[x * K + y] !== across) uniform = false;
    if (uniform) {
      constraints.push(`int_lin_le([1,1,-1], [${st(a)},${d(a)},${st(b)}], 0)`);
      if (unit(across) > 0) {
        out.push(`var bool: x${e};`);
        constraints.push(`int_ne_reif(${m(a)}, ${m(b)}, x${e})`, `int_lin_le_imp([1,1,-1], [${st(a)},${d(a)},${st(b)}], ${-unit(across)}, x${e})`);
      }
    } else {
      const table = Array.from({ length: K * K }, (_, i) => unit(c[i]!));
      out.push(`var 1..${K * K}: ix${e};`, `var ${list([...new Set(table)].sort((x, y) => x - y)).replace('[', '{').replace(']', '}')}: c${e};`);
      constraints.push(`int_lin_eq([${K},1,-1], [${m(a)},${m(b)},ix${e}], ${K})`, `array_int_element(ix${e}, ${list(table)}, c${e})`, `int_lin_le([1,1,1,-1], [${st(a)},${d(a)},c${e},${st(b)}], 0)`);
    }
  });
  // two subtasks with no path between them on one TaskManager: one before the other
  let q = 0;
  for (let a = 0; a < n; a++)
    for (let b = a + 1; b < n; b++) {
      if (p.reach[a * n + b] !== 0 || p.reach[b * n + a] !== 0) continue;
      out.push(`var bool: e${q};`, `var bool: f${q};`, `var bool: g${q};`);
      constraints.push(
        `int_eq_reif(${m(a)}, ${m(b)}, e${q})`,
        `int_lin_le_imp([1,1,-1], [${st(a)},${d(a)},${st(b)}], 0, f${q})`,
        `int_lin_le_imp([1,1,-1], [${st(b)},${d(b)},${st(a)}], 0, g${q})`,
        `bool_clause([f${q},g${q}], [e${q}])`,
      );
      q++;
    }
  // one subtask at a time per TaskManager (timetabling and edge finding over the subtasks placed there)
  const starts = list(Array.from({ length: n }, (_, i) => st(i)));
  for (let k = 0; k < K; k++)
    constraints.push(`chuffed_cumulative_vars(${starts}, ${list(Array.from({ length: n }, (_, i) => dur(i, k)))}, ${list(Array.from({ length: n }, (_, i) => use(i, k)))}, 1)`);
  // identical TaskManagers k < k' of one class: k' is used by a subtask only after k is used by an earlier one
  const members = new Map<number, number[]>();
  for (let k = 0; k < K; k++) {
    const c = p.tmClass[k]!;
    if (!members.has(c)) members.set(c, []);
    members.get(c)!.push(k);
  }
  for (const ks of members.values())
    for (let j = 0; j + 1 < ks.length; j++)
      for (let i = 0; i < n; i++) constraints.push(`bool_clause(${list(Array.from({ length: i }, (_, h) => on(h, ks[j]!)))}, [${on(i, ks[j + 1]!)}])`);
  out.push(`array [1..${n}] of var int: m :: output_array([1..${n}]) = ${list(Array.from({ length: n }, (_, i) => m(i)))};`);
  out.push(`array [1..${n}] of var int: s :: output_array([1..${n}]) = ${starts};`);
  for (const c of constraints) out.push(`constraint ${c};`);
  out.push('solve :: seq_search([int_search(m, first_fail, indomain_min, complete), int_search(s, smallest, indomain_min, complete)]) minimize mk;');
  return { flatzinc: `${out.join('\n')}\n`, scale };
}
