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
  readonly model: string;
  readonly data: string;
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
 * The model and its data for `p`, searching makespans in [lowerBoundMs, upperBoundMs] (both rounded into the
 * scaled integers: the upper bound down, the lower bound up). `strictlyBelow`: search only makespans below
 * `upperBoundMs` (an incumbent of that makespan is known).
 */
export function buildCpDagModel(p: AoProblem, scale: number, lowerBoundMs: number, upperBoundMs: number, strictlyBelow: boolean): CpDagModel {
  const { n, K } = p;
  const instance: DagPlacementInstance = p.instance;
  const E = instance.edges.length;
  const unit = (ms: number) => toUnits(ms, scale);
  const upperScaled = upperBoundMs * scale;
  const ub = isNearInteger(upperScaled) ? Math.round(upperScaled) - (strictlyBelow ? 1 : 0) : Math.floor(upperScaled);
  const lowerScaled = lowerBoundMs * scale;
  const lb = Math.min(ub, Math.max(0, isNearInteger(lowerScaled) ? Math.round(lowerScaled) : Math.ceil(lowerScaled)));
  const dur: number[] = [];
  for (let i = 0; i < n * K; i++) dur.push(unit(p.dur[i]!));
  const from = instance.edges.map((e) => e.from + 1);
  const to = instance.edges.map((e) => e.to + 1);
  // one cost between every two distinct TaskManagers per edge?
  let uniform = true;
  for (let e = 0; e < E && uniform; e++) {
    const c = p.comm[e]!;
    const first = K > 1 ? c[1]! : 0;
    for (let a = 0; a < K && uniform; a++) for (let b = 0; b < K; b++) if (a !== b && c[a * K + b] !== first) { uniform = false; break; }
  }
  const pairsA: number[] = [];
  const pairsB: number[] = [];
  for (let a = 0; a < n; a++)
    for (let b = a + 1; b < n; b++)
      if (p.reach[a * n + b] === 0 && p.reach[b * n + a] === 0) {
        pairsA.push(a + 1);
        pairsB.push(b + 1);
      }
  const classes = new Map<number, number[]>();
  for (let k = 0; k < K; k++) {
    const c = p.tmClass[k]!;
    if (!classes.has(c)) classes.set(c, []);
    classes.get(c)!.push(k + 1);
  }
  const chains = [...classes.values()].filter((members) => members.length > 1);
  const list = (xs: readonly number[]) => `[${xs.join(',')}]`;
  const lines = [
    `n = ${n}; K = ${K}; E = ${E}; P = ${pairsA.length}; C = ${chains.length};`,
    `UB = ${ub}; LB = ${lb};`,
    `dur = array2d(1..n, 1..K, ${list(dur)});`,
    `from = ${list(from)}; to = ${list(to)};`,
    `pa = ${list(pairsA)}; pb = ${list(pairsB)};`,
    `chains = [${chains.map((members) => `{${members.join(',')}}`).join(',')}];`,
  ];
  let transferDecl: string;
  let transferTerm: string;
  if (uniform) {
    lines.push(`transfer = ${list(Array.from({ length: E }, (_, e) => (K > 1 ? unit(p.comm[e]![1]!) : 0)))};`);
    transferDecl = 'array[1..E] of int: transfer;';
    transferTerm = 'transfer[e] * bool2int(m[from[e]] != m[to[e]])';
  } else {
    const cm: number[] = [];
    for (let e = 0; e < E; e++) for (let i = 0; i < K * K; i++) cm.push(unit(p.comm[e]![i]!));
    lines.push(`transfer = array3d(1..E, 1..K, 1..K, ${list(cm)});`);
    transferDecl = 'array[1..E, 1..K, 1..K] of int: transfer;';
    transferTerm = 'transfer[e, m[from[e]], m[to[e]]]';
  }
  const model = `include "cumulative.mzn";
include "value_precede_chain.mzn";
int: n; int: K; int: E; int: P; int: C; int: UB; int: LB;
array[1..n, 1..K] of int: dur;
array[1..E] of 1..n: from; array[1..E] of 1..n: to;
${transferDecl}
array[1..P] of 1..n: pa; array[1..P] of 1..n: pb;
array[1..C] of set of int: chains;
array[1..n] of var 1..K: m;
array[1..n] of var 0..UB: s;
array[1..n] of var 0..UB: d;
var LB..UB: mk;
constraint forall(i in 1..n)(d[i] = dur[i, m[i]] /\\ s[i] + d[i] <= mk);
constraint forall(e in 1..E)(s[to[e]] >= s[from[e]] + d[from[e]] + ${transferTerm});
constraint forall(q in 1..P)(m[pa[q]] != m[pb[q]] \\/ s[pa[q]] + d[pa[q]] <= s[pb[q]] \\/ s[pb[q]] + d[pb[q]] <= s[pa[q]]);
constraint forall(k in 1..K)(cumulative(s, [dur[i, k] | i in 1..n], [bool2int(m[i] = k) | i in 1..n], 1));
constraint forall(c in 1..C)(value_precede_chain([k | k in chains[c]], m));
solve :: seq_search([int_search(m, first_fail, indomain_min), int_search(s, smallest, indomain_min)]) minimize mk;
output ["{\\"mk\\": \\(mk), \\"m\\": \\(m), \\"s\\": \\(s)}\\n"];
`;
  return { model, data: `${lines.join('\n')}\n`, scale };
}
