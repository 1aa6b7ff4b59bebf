/**
 * The DAG placement model as a time-indexed MILP (the formulation that solves
 * fastest here: NOTES.md measured big-M disjunctive models orders of magnitude
 * slower). Time is counted in units of `unitMs` (all durations and transfers
 * must be multiples of it), up to a horizon H (a known schedule's makespan).
 *
 * Resources r are TaskManagers, or — under `sequenced` when no transfer costs
 * anything and TaskManagers are identical — pools of identical TaskManagers,
 * whose slots are then interchangeable (the strongest symmetry breaking).
 *
 * Variables (step form of the start variables x_srt of the design's x_ijkl):
 *   Z(s,r,t) = 1 when subtask s has started on resource r by time t,  t ∈ [e_s, l_sr]
 *   (e_s: earliest start by the critical path; l_sr = H − d_sr − tail_s), and C (makespan).
 *   A(s,r) = Z(s,r,l_sr) says s runs on r;  start_s = Σ_r Σ_t t·(Z(s,r,t) − Z(s,r,t−1)).
 * Constraints:
 *   Z(s,r,t−1) ≤ Z(s,r,t)                                     (monotone steps)
 *   Σ_r A(s,r) = 1                                            (every subtask gets exactly one slot)
 *   Z(j,r',t) ≤ Σ_r Z(i,r, t − d_ir − c_e(r,r'))    ∀ edge e = i→j   (precedence; c_e = 0 on the same TaskManager)
 *   sequenced: Σ_s [Z(s,r,t) − Z(s,r,t−d_sr)] ≤ slots_r       (a slot runs one subtask at a time)
 *   shared:    Σ_s [Z(s,k,t) − Z(s,k,t−d_sk)] ≤ coreCount_k    (colocated subtasks share the CPU)
 *              Σ_{s∈o} A(s,k) ≤ G(k,g) ∀ operator o of group g,  Σ_g G(k,g) ≤ slots_k
 *              (a slot holds at most one subtask of each operator, of one slot sharing group)
 *   exclusive: Σ_s A(s,k) ≤ slots_k                            (one subtask per slot)
 *   memory:    exclusive/shared Σ_s mem_s A(s,k) ≤ mem_k; sequenced per t over running subtasks
 *   profiles (fine-grained resources, formulation-profiles.ts): A(s,k) only where s's slot sharing group may cut a
 *              slot of k; for a dynamic TaskManager k, Σ_g p_g[d]·N(k,g) ≤ R_k[d] per dimension d, with N(k,g) =
 *              exclusive Σ_{s∈g} A(s,k); shared G(k,g); sequenced Y(k,g), an integer with
 *              Σ_{s∈g} [Z(s,k,t) − Z(s,k,t−d_sk)] ≤ Y(k,g) ∀ t and Σ_g Y(k,g) ≤ slots_k (slots cut per group: a
 *              restriction, see docs/memory.md)
 *   C ≥ finish_s for every sink s;  C ≥ the critical-path and work bounds.
 * Symmetry: within a class of identical TaskManagers (uniform network), subtask
 * number i may only use the first i + 1 of them (relabel TaskManagers by first use).
 */
import { LinearExpr, LinearModel, equalTo, greaterEq, lessEq, type Formulation, type Var, type VarFamily } from '../milp/index.ts';
import { makespanMs, type IndexedSchedule } from '../solution.ts';
import { makespanLowerBounds } from './bounds.ts';
import { runningCapacity, type DagPlacementInstance, type PlacementVariant, type Subtask } from './instance.ts';
import { FormulationError } from '../errors.ts';
import { addSlotProfileRows, cutsDynamically, groupMayUse } from './formulation-profiles.ts';

/** A resource of the time-indexed model: one TaskManager, or a pool of identical ones (sequenced, no transfer cost). */
export interface TimeResource {
  readonly index: number;
  readonly id: string;
  /** TaskManager indices in the resource. */
  readonly taskManagers: readonly number[];
  /** Subtasks it can run at once (slots under sequenced, CPU cores under shared, slots under exclusive). */
  readonly capacity: number;
  /** Class of identical resources it belongs to, and its rank in the class (for symmetry breaking). */
  readonly symmetryClass: number;
  readonly rankInClass: number;
}

export interface TimeIndexingPlan {
  readonly variant: PlacementVariant;
  readonly unitMs: number;
  /** Integer durations in units, [subtask][TaskManager]. */
  readonly durations: readonly Int32Array[];
  readonly resources: readonly TimeResource[];
  /** True when no edge costs a transfer between any two TaskManagers. */
  readonly zeroCommunication: boolean;
  /** Why time indexing is impossible, or undefined. */
  readonly problem?: string;
}

const isNearInteger = (x: number): boolean => Math.abs(x - Math.round(x)) <= 1e-9 * Math.max(1, Math.abs(x));

/** The least denominator q ≤ maxDenominator with all values · q integral, or undefined. */
export function commonTimeScale(values: Iterable<number>, maxDenominator = 1000): number | undefined {
  const list = [...new Set(values)];
  for (let q = 1; q <= maxDenominator; q++) if (list.every((v) => isNearInteger(v * q))) return q;
  return undefined;
}

/** Decides the time unit and the resources for the time-indexed model of `instance` under `variant`. */
export function planTimeIndexing(instance: DagPlacementInstance, variant: PlacementVariant): TimeIndexingPlan {
  const n = instance.subtasks.length;
  const K = instance.taskManagers.length;
  const values: number[] = [];
  for (let s = 0; s < n; s++) for (let k = 0; k < K; k++) values.push(instance.durationMs(s, k));
  for (const e of instance.edges) for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) if (a !== b) values.push(instance.transferMs(e.index, a, b));
  const q = commonTimeScale(values);
  const unitMs = q === undefined ? 1 : 1 / q;
  const durations = instance.subtasks.map((s) => Int32Array.from(instance.taskManagers, (tm) => Math.round(instance.durationMs(s.index, tm.index) / unitMs)));
  const { zeroCommunication, memoryMatters } = instance.derived;
  const classOf = instance.derived.taskManagerClasses(variant);
  const classes = new Map<number, number[]>();
  for (let k = 0; k < K; k++) classes.set(classOf[k]!, [...(classes.get(classOf[k]!) ?? []), k]);
  // pools merge TaskManagers into one resource: not with fine-grained resources (slots are cut per TaskManager)
  const pool = variant === 'sequenced' && zeroCommunication && !memoryMatters && instance.derived.slotProfiles === undefined;
  const capacityOf = (k: number): number => runningCapacity(instance.taskManagers[k]!, variant);
  const resources: TimeResource[] = [];
  let cls = 0;
  for (const members of classes.values()) {
    if (pool) {
      resources.push({
        index: resources.length,
        id: members.map((k) => instance.taskManagers[k]!.id).join('+'),
        taskManagers: members,
        capacity: members.reduce((t, k) => t + capacityOf(k), 0),
        symmetryClass: cls,
        rankInClass: 0,
      });
    } else {
      members.forEach((k, rank) =>
        resources.push({ index: resources.length, id: instance.taskManagers[k]!.id, taskManagers: [k], capacity: capacityOf(k), symmetryClass: cls, rankInClass: rank }),
      );
    }
    cls++;
  }
  resources.sort((a, b) => a.taskManagers[0]! - b.taskManagers[0]!);
  const ordered = resources.map((r, index) => ({ ...r, index }));
  const problem = q === undefined ? 'durations and transfer times are not multiples of a common unit of at least 1/1000 ms' : undefined;
  return { variant, unitMs, durations, resources: ordered, zeroCommunication, ...(problem ? { problem } : {}) };
}

export interface TimeIndexedOptions {
  readonly plan: TimeIndexingPlan;
  /** Horizon in units: every schedule of the model ends by then (e.g. a heuristic's makespan). */
  readonly horizon: number;
  /** A known schedule to give the backend as its MIP start (must end by the horizon). */
  readonly start?: IndexedSchedule;
  /** Default true. */
  readonly symmetryBreaking?: boolean;
  /** A lower bound on the makespan proven elsewhere (ms), added as a bound on C. */
  readonly lowerBoundMs?: number;
}

export interface DagPlacementFormulation extends Formulation<IndexedSchedule> {
  /** Lower bound in ms (critical path, work). */
  readonly lowerBound: number;
  readonly unitMs: number;
  readonly horizon: number;
  /**
   * Set when the model is narrower than the placement model, so that its optimum is only an upper bound on the
   * true one (sequenced with fine-grained resources: slots cut per slot sharing group, docs/memory.md).
   */
  readonly restriction?: string;
}

/** Transitive reduction (keeps an edge only if no longer path connects its ends), from the instance's transitive closure. */
function transitiveReduction(instance: DagPlacementInstance): boolean[] {
  const { derived } = instance;
  return instance.edges.map((e) => !instance.outEdges[e.from]!.some((f) => instance.edges[f]!.to !== e.to && derived.reaches(instance.edges[f]!.to, e.to)));
}

/**
 * The step variables and what every constraint family reads: Z(s,r,t) for t in the window [e_s, l_sr] of s on r,
 * A(s,r) = Z(s,r,l_sr), and Z at any τ with its boundary values (0 before the window, A after it).
 */
interface StepModel {
  readonly instance: DagPlacementInstance;
  readonly m: LinearModel;
  readonly variant: PlacementVariant;
  readonly R: readonly TimeResource[];
  /** Horizon in units. */
  readonly H: number;
  /** ms per unit. */
  readonly u: number;
  readonly zeroCommunication: boolean;
  /** d_sr in units. */
  d(s: number, r: TimeResource): number;
  /** c_e(r, r') in units, 0 within one TaskManager or pool. */
  comm(e: number, a: TimeResource, b: TimeResource): number;
  /** [e_s, l_sr] = [head_s, H − d_sr − tail_s]. */
  window(s: number, r: TimeResource): readonly [number, number];
  /** Whether s may run on r at all (non-empty window, a slot under exclusive, symmetry breaking). */
  allowed(s: number, r: TimeResource): boolean;
  readonly Z: VarFamily<[Subtask, TimeResource, number]>;
  /** Z(s,r,τ): undefined (= 0) before the window or when s may not use r, A(s,r) after the window. */
  zAt(s: number, r: TimeResource, tau: number): Var | undefined;
  /** A(s,r) = Z(s,r,l_sr): s runs on r. */
  A(s: number, r: TimeResource): Var | undefined;
}

export function formulateDagPlacementTimeIndexed(instance: DagPlacementInstance, options: TimeIndexedOptions): DagPlacementFormulation {
  if (options.plan.problem) throw new FormulationError('time-indexed formulation', `${options.plan.problem}`);
  const sm = stepVariables(instance, options);
  addAssignment(sm);
  addPrecedence(sm);
  addRunningCapacity(sm);
  if (sm.variant === 'exclusive') addExclusiveSlots(sm);
  const sharedGroupSlots = sm.variant === 'shared' ? addSlotSharing(sm) : undefined;
  if (instance.derived.memoryMatters) addMemory(sm);
  addProfiles(sm, sharedGroupSlots);
  const lowerBoundMs = Math.max(makespanLowerBounds(instance, sm.variant).lowerBoundMs, options.lowerBoundMs ?? 0);
  const C = addMakespan(sm, lowerBoundMs);
  if (options.start) setMipStart(sm, C, options.start);
  const restriction = sequencedProfileRestriction(instance, sm.variant);
  return { model: sm.m, decode: (values) => decodeSchedule(sm, values), lowerBound: lowerBoundMs, unitMs: sm.u, horizon: sm.H, ...(restriction ? { restriction } : {}) };
}

function stepVariables(instance: DagPlacementInstance, options: TimeIndexedOptions): StepModel {
  const { plan, horizon: H } = options;
  const variant = plan.variant;
  const R = plan.resources;
  const u = plan.unitMs;
  const zeroCommunication = instance.derived.zeroCommunication;
  const d = (s: number, r: TimeResource): number => plan.durations[s]![r.taskManagers[0]!]!;
  const comm = (e: number, a: TimeResource, b: TimeResource): number =>
    zeroCommunication || a === b ? 0 : Math.round(instance.transferMs(e, a.taskManagers[0]!, b.taskManagers[0]!) / u);
  // heads and tails in units (fastest durations, no transfers: valid for every placement)
  const head = Int32Array.from(instance.derived.headMs, (t) => Math.round(t / u));
  const tail = Int32Array.from(instance.derived.tailMs, (t) => Math.round(t / u));
  const symmetry = options.symmetryBreaking !== false;
  // fine-grained resources: may s's slot sharing group cut a slot of TaskManager k (resources are single TaskManagers then)
  const K = instance.taskManagers.length;
  const mayUse = instance.derived.slotProfiles === undefined ? undefined : Uint8Array.from({ length: instance.subtasks.length * K }, (_, i) => (groupMayUse(instance, Math.floor(i / K), i % K) ? 1 : 0));
  const window = (s: number, r: TimeResource): [number, number] => [head[s]!, H - d(s, r) - tail[s]!];
  const allowed = (s: number, r: TimeResource): boolean => {
    const [e, l] = window(s, r);
    if (e > l) return false;
    if (variant === 'exclusive' && r.capacity < 1) return false;
    if (mayUse !== undefined && mayUse[s * K + r.taskManagers[0]!] === 0) return false;
    if (symmetry && r.rankInClass > s) return false; // subtask number s uses only the first s + 1 of a class
    return true;
  };
  const m = new LinearModel(`dag-placement:${variant}:${instance.name}`, 'minimize');
  const times = Array.from({ length: H + 1 }, (_, t) => t);
  const Z = m.binaryVars('started', instance.subtasks, R, times, {
    where: (s, r, t) => allowed(s.index, r) && t >= window(s.index, r)[0] && t <= window(s.index, r)[1],
    label: (e, dim) => (dim === 0 ? (e as { id: string }).id : dim === 1 ? (e as TimeResource).id : String(e)),
  });
  const zAt = (s: number, r: TimeResource, tau: number): Var | undefined => {
    if (!allowed(s, r)) return undefined;
    const [e, l] = window(s, r);
    if (tau < e) return undefined;
    return Z(instance.subtasks[s]!, r, Math.min(tau, l));
  };
  const A = (s: number, r: TimeResource): Var | undefined => (allowed(s, r) ? Z(instance.subtasks[s]!, r, window(s, r)[1]) : undefined);
  return { instance, m, variant, R, H, u, zeroCommunication, d, comm, window, allowed, Z, zAt, A };
}

// Z(s,r,t−1) ≤ Z(s,r,t)  ∀ s, r, t;   Σ_r A(s,r) = 1  ∀ s   (every subtask gets exactly one slot)
function addAssignment(sm: StepModel): void {
  const { instance, m, R, Z, H, u } = sm;
  for (const st of instance.subtasks) {
    const s = st.index;
    const assign = new LinearExpr();
    for (const r of R) {
      const a = sm.A(s, r);
      if (!a) continue;
      assign.add(a);
      const [e, l] = sm.window(s, r);
      for (let t = e + 1; t <= l; t++) m.constrain(`monotone[${st.id},${r.id},${t}]`, new LinearExpr().add(Z(st, r, t - 1)).sub(Z(st, r, t)), lessEq(0));
    }
    if (assign.termCount === 0) throw new FormulationError('time-indexed formulation', `subtask ${st.id} fits nowhere within the horizon ${H * u} ms`);
    m.constrain(`assign[${st.id}]`, assign, equalTo(1));
  }
}

// Z(j,r',t) ≤ Σ_r Z(i,r, t − d_ir − c_e(r,r'))  ∀ edge e = i→j, r', t   (only the transitive reduction when no transfer costs)
function addPrecedence(sm: StepModel): void {
  const { instance, m, R, Z } = sm;
  const keep = sm.zeroCommunication ? transitiveReduction(instance) : instance.edges.map(() => true);
  for (const edge of instance.edges) {
    if (!keep[edge.index]) continue;
    const i = edge.from;
    const j = edge.to;
    for (const rj of R) {
      if (!sm.allowed(j, rj)) continue;
      const [e, l] = sm.window(j, rj);
      for (let t = e; t <= l; t++) {
        const row = new LinearExpr().add(Z(instance.subtasks[j]!, rj, t));
        let trivially = true; // every producer placement has surely finished: the row is redundant
        for (const ri of R) {
          if (!sm.allowed(i, ri)) continue;
          const tau = t - sm.d(i, ri) - sm.comm(edge.index, ri, rj);
          if (tau < sm.window(i, ri)[1]) trivially = false;
          const z = sm.zAt(i, ri, tau);
          if (z !== undefined) row.sub(z);
        }
        if (trivially) break; // larger t are redundant too
        m.constrain(`precedence[${instance.subtasks[i]!.id}>${instance.subtasks[j]!.id},${rj.id},${t}]`, row, lessEq(0));
      }
    }
  }
}

/** Adds coef · [Z(s,r,t) − Z(s,r,t − d_sr)] (s runs on r at t) to `row`. */
function addRunning(sm: StepModel, s: number, r: TimeResource, t: number, row: LinearExpr, coef: number): void {
  const dur = sm.d(s, r);
  if (dur === 0) return;
  const now = sm.zAt(s, r, t);
  if (now === undefined) return;
  row.add(now, coef);
  const before = sm.zAt(s, r, t - dur);
  if (before !== undefined) row.sub(before, coef);
}

const usersOf = (sm: StepModel, r: TimeResource) => sm.instance.subtasks.filter((s) => sm.allowed(s.index, r));

// sequenced: Σ_s [Z(s,r,t) − Z(s,r,t−d_sr)] ≤ slots_r;  shared: ≤ coreCount_k   ∀ r, t   (r.capacity = runningCapacity)
function addRunningCapacity(sm: StepModel): void {
  if (sm.variant === 'exclusive') return;
  for (const r of sm.R) {
    const users = usersOf(sm, r);
    if (users.length <= r.capacity) continue;
    for (let t = 0; t < sm.H; t++) {
      const row = new LinearExpr();
      for (const s of users) addRunning(sm, s.index, r, t, row, 1);
      if (row.termCount > r.capacity) sm.m.constrain(`${sm.variant === 'shared' ? 'cpu' : 'slots'}[${r.id},${t}]`, row, lessEq(r.capacity));
    }
  }
}

// exclusive: Σ_s A(s,k) ≤ slots_k  ∀ k   (one subtask per slot for the whole job)
function addExclusiveSlots(sm: StepModel): void {
  for (const r of sm.R) {
    const users = usersOf(sm, r);
    const tm = sm.instance.taskManagers[r.taskManagers[0]!]!;
    if (users.length <= tm.slotCount) continue;
    const row = new LinearExpr();
    for (const s of users) row.add(sm.A(s.index, r)!);
    sm.m.constrain(`slots[${r.id}]`, row, lessEq(tm.slotCount));
  }
}

// shared: Σ_{s∈o} A(s,k) ≤ G(k,g)  ∀ operator o of group g;   Σ_g G(k,g) ≤ slots_k   ∀ k
// (a slot holds at most one subtask of each operator, all of one slot sharing group)
function addSlotSharing(sm: StepModel): Map<TimeResource, Map<string, Var>> {
  const { instance, m } = sm;
  const out = new Map<TimeResource, Map<string, Var>>();
  for (const r of sm.R) {
    const tm = instance.taskManagers[r.taskManagers[0]!]!;
    const groups = new Map<string, Var>();
    for (const op of instance.operators) {
      const onR = op.subtasks.filter((s) => sm.allowed(s, r));
      if (onR.length === 0) continue;
      let g = groups.get(op.slotSharingGroup);
      if (!g) {
        g = m.intVar(`groupSlots[${r.id},${op.slotSharingGroup}]`, { min: 0, max: tm.slotCount });
        groups.set(op.slotSharingGroup, g);
      }
      const row = new LinearExpr();
      for (const s of onR) row.add(sm.A(s, r)!);
      m.constrain(`operator-slots[${r.id},${op.id}]`, row.sub(g), lessEq(0));
    }
    if (groups.size > 1) m.constrain(`slot-sharing[${r.id}]`, [...groups.values()].reduce((e, g) => e.add(g), new LinearExpr()), lessEq(tm.slotCount));
    out.set(r, groups);
  }
  return out;
}

// profiles, dynamic TaskManagers: Σ_g p_g[d]·N(k,g) ≤ R_k[d]  ∀ k, d  (formulation-profiles.ts), N(k,g) =
//   exclusive Σ_{s∈g} A(s,k);  shared G(k,g);  sequenced Y(k,g) ≥ Σ_{s∈g} running(s,k,t) ∀ t,  Σ_g Y(k,g) ≤ slots_k
function addProfiles(sm: StepModel, sharedGroupSlots: Map<TimeResource, Map<string, Var>> | undefined): void {
  const { instance, m } = sm;
  const profiles = instance.derived.slotProfiles;
  if (profiles === undefined) return;
  for (const r of sm.R) {
    const k = r.taskManagers[0]!;
    if (!cutsDynamically(instance, k)) continue;
    const tm = instance.taskManagers[k]!;
    const users = usersOf(sm, r);
    const byGroup = new Map<number, typeof users>();
    for (const s of users) {
      const g = profiles.groupOfSubtask[s.index]!;
      byGroup.set(g, [...(byGroup.get(g) ?? []), s]);
    }
    const slots = new Map<number, LinearExpr>();
    const most = new Map<number, number>();
    if (sm.variant === 'exclusive') {
      for (const [g, list] of byGroup) {
        slots.set(g, list.reduce((e, s) => e.add(sm.A(s.index, r)!), new LinearExpr()));
        most.set(g, Math.min(list.length, tm.slotCount));
      }
    } else if (sm.variant === 'shared') {
      for (const [name, G] of sharedGroupSlots?.get(r) ?? []) {
        const g = profiles.groups.indexOf(name);
        slots.set(g, new LinearExpr().add(G));
        most.set(g, tm.slotCount);
      }
    } else {
      const Y = new LinearExpr();
      for (const [g, list] of byGroup) {
        const y = m.intVar(`groupSlots[${r.id},${profiles.groups[g]}]`, { min: 0, max: tm.slotCount });
        for (let t = 0; t < sm.H; t++) {
          const row = new LinearExpr();
          for (const s of list) addRunning(sm, s.index, r, t, row, 1);
          if (row.termCount > 0) m.constrain(`group-running[${r.id},${profiles.groups[g]},${t}]`, row.sub(y), lessEq(0));
        }
        Y.add(y);
        slots.set(g, new LinearExpr().add(y));
        most.set(g, tm.slotCount);
      }
      if (byGroup.size > 1) m.constrain(`group-slots[${r.id}]`, Y, lessEq(tm.slotCount));
    }
    addSlotProfileRows(m, instance, k, r.id, slots, (g) => most.get(g) ?? tm.slotCount);
  }
}

// sequenced: Σ_s mem_s [Z(s,k,t) − Z(s,k,t−d_sk)] ≤ mem_k  ∀ k, t;   exclusive, shared: Σ_s mem_s A(s,k) ≤ mem_k  ∀ k
function addMemory(sm: StepModel): void {
  for (const r of sm.R) {
    const tm = sm.instance.taskManagers[r.taskManagers[0]!]!;
    if (!Number.isFinite(tm.memoryBytes)) continue;
    const users = usersOf(sm, r).filter((s) => s.memoryBytes > 0);
    if (sm.variant === 'sequenced') {
      for (let t = 0; t < sm.H; t++) {
        const row = new LinearExpr();
        for (const s of users) addRunning(sm, s.index, r, t, row, s.memoryBytes);
        if (row.termCount > 0) sm.m.constrain(`memory[${r.id},${t}]`, row, lessEq(tm.memoryBytes));
      }
    } else {
      const row = new LinearExpr();
      for (const s of users) row.add(sm.A(s.index, r)!, s.memoryBytes);
      if (row.termCount > 0) sm.m.constrain(`memory[${r.id}]`, row, lessEq(tm.memoryBytes));
    }
  }
}

// C ≥ finish_s = Σ_r [(l + d_sr) A(s,r) − Σ_{t=e}^{l−1} Z(s,r,t)]  ∀ sink s;   ⌈lower bound⌉ ≤ C ≤ H;   min C
function addMakespan(sm: StepModel, lowerBoundMs: number): Var {
  const { instance, m, R, Z, H } = sm;
  const lowerUnits = Math.max(0, Math.ceil(lowerBoundMs / sm.u - 1e-7));
  const C = m.intVar('makespan', { min: Math.min(lowerUnits, H), max: H });
  for (const st of instance.subtasks) {
    if (instance.outEdges[st.index]!.length > 0) continue;
    const finish = new LinearExpr();
    for (const r of R) {
      if (!sm.allowed(st.index, r)) continue;
      const [e, l] = sm.window(st.index, r);
      finish.add(Z(st, r, l), l + sm.d(st.index, r));
      for (let t = e; t < l; t++) finish.sub(Z(st, r, t));
    }
    m.constrain(`makespan[${st.id}]`, new LinearExpr().add(C).sub(finish), greaterEq(0));
  }
  m.minimize(C);
  return C;
}

/** MIP start from a known schedule: identical TaskManagers relabelled by first use, to satisfy the symmetry rows; skipped if it leaves a window. */
function setMipStart(sm: StepModel, C: Var, sched: IndexedSchedule): void {
  const { instance, m, R, Z, u } = sm;
  const relabel = new Map<TimeResource, TimeResource>();
  const used = new Set<TimeResource>();
  const resourceOfTm = (k: number): TimeResource => R.find((res) => res.taskManagers.includes(k))!;
  let ok = true;
  const startValues = new Map<number, number>();
  for (const st of instance.subtasks) {
    const original = resourceOfTm(instance.slots[sched.slotOfSubtask[st.index]!]!.taskManager);
    let r = relabel.get(original);
    if (!r) {
      r = R.filter((res) => res.symmetryClass === original.symmetryClass && !used.has(res)).sort((a, b) => a.rankInClass - b.rankInClass)[0]!;
      relabel.set(original, r);
      used.add(r);
    }
    const t0 = Math.round(sched.startMs[st.index]! / u);
    if (!sm.allowed(st.index, r) || t0 < sm.window(st.index, r)[0] || t0 > sm.window(st.index, r)[1]) ok = false;
    for (const res of R) {
      if (!sm.allowed(st.index, res)) continue;
      const [e, l] = sm.window(st.index, res);
      for (let t = e; t <= l; t++) startValues.set(Z(st, res, t).index, res === r && t >= t0 ? 1 : 0);
    }
  }
  if (!ok) return;
  for (const [i, v] of startValues) m.setStart(m.variables[i]!, v);
  m.setStart(C, Math.round(makespanMs(sched) / u));
}

/** Resource and start of each subtask from the step variables; slots by `assignSlots`. */
function decodeSchedule(sm: StepModel, values: ArrayLike<number>): IndexedSchedule {
  const { instance, R, Z, u } = sm;
  const n = instance.subtasks.length;
  const startMs = new Float64Array(n);
  const endMs = new Float64Array(n);
  const resourceOf = new Int32Array(n);
  for (const st of instance.subtasks) {
    let chosen: TimeResource | undefined;
    for (const r of R) {
      const a = sm.A(st.index, r);
      if (a && values[a.index]! > 0.5) chosen = r;
    }
    if (!chosen) throw new FormulationError('decode', `subtask ${st.id} is not placed`);
    const [e, l] = sm.window(st.index, chosen);
    let t0 = l;
    for (let t = e; t <= l; t++) {
      if (values[Z(st, chosen, t).index]! > 0.5) {
        t0 = t;
        break;
      }
    }
    resourceOf[st.index] = chosen.index;
    startMs[st.index] = t0 * u;
    endMs[st.index] = (t0 + sm.d(st.index, chosen)) * u;
  }
  return { slotOfSubtask: assignSlots(instance, sm.variant, R, resourceOf, startMs, endMs), startMs, endMs };
}

/**
 * Slots for subtasks placed on resources with times: sequenced by interval colouring
 * (earliest start first, any slot free by then), exclusive one slot each, shared by
 * slot sharing group blocks (the i-th subtask of an operator on a TaskManager goes to
 * the i-th slot of its group's block).
 */
export function assignSlots(
  instance: DagPlacementInstance,
  variant: PlacementVariant,
  resources: readonly TimeResource[],
  resourceOf: Int32Array,
  startMs: Float64Array,
  endMs: Float64Array,
): Int32Array {
  const n = instance.subtasks.length;
  const slotOf = new Int32Array(n).fill(-1);
  for (const r of resources) {
    const members = instance.subtasks.filter((s) => resourceOf[s.index] === r.index).map((s) => s.index);
    const slots = r.taskManagers.flatMap((k) => {
      const tm = instance.taskManagers[k]!;
      return Array.from({ length: tm.slotCount }, (_, l) => tm.firstSlot + l);
    });
    if (variant === 'sequenced') {
      // fine-grained, dynamic TaskManager: each slot sharing group coloured into a block of slots of its own (the
      // model cuts slots per group); otherwise all members into all slots
      const profiles = instance.derived.slotProfiles;
      const blocks = profiles !== undefined && r.taskManagers.length === 1 && cutsDynamically(instance, r.taskManagers[0]!)
        ? groupsOf(members, profiles.groupOfSubtask)
        : [members];
      let offset = 0;
      for (const block of blocks) {
        const free = slots.slice(offset);
        const freeAt = new Float64Array(free.length);
        let used = 0;
        block.sort((a, b) => startMs[a]! - startMs[b]! || endMs[a]! - endMs[b]! || a - b);
        for (const s of block) {
          let best = -1;
          for (let q = 0; q < free.length; q++) {
            if (freeAt[q]! <= startMs[s]! + 1e-9 && (best < 0 || freeAt[q]! > freeAt[best]!)) best = q;
          }
          if (best < 0) throw new FormulationError('decode', `no free slot for ${instance.subtasks[s]!.id} on ${r.id}`);
          slotOf[s] = free[best]!;
          used = Math.max(used, best + 1);
          if (endMs[s]! > startMs[s]!) freeAt[best] = endMs[s]!;
        }
        offset += used;
      }
    } else if (variant === 'exclusive') {
      members.forEach((s, q) => {
        if (q >= slots.length) throw new FormulationError('decode', `${r.id} has ${slots.length} slots for ${members.length} subtasks`);
        slotOf[s] = slots[q]!;
      });
    } else {
      // shared: per slot sharing group a block of slots, as wide as its most numerous operator here
      const byGroup = new Map<string, Map<number, number[]>>();
      for (const s of members) {
        const st = instance.subtasks[s]!;
        let ops = byGroup.get(st.slotSharingGroup);
        if (!ops) byGroup.set(st.slotSharingGroup, (ops = new Map()));
        ops.set(st.operatorIndex, [...(ops.get(st.operatorIndex) ?? []), s]);
      }
      let offset = 0;
      for (const ops of byGroup.values()) {
        let width = 0;
        for (const list of ops.values()) {
          list.forEach((s, q) => (slotOf[s] = slots[offset + q]!));
          width = Math.max(width, list.length);
        }
        offset += width;
      }
      if (offset > slots.length) throw new FormulationError('decode', `${r.id} needs ${offset} slots for its slot sharing groups but has ${slots.length}`);
    }
  }
  return slotOf;
}

/** `members` split by group, groups in order of first appearance. */
function groupsOf(members: readonly number[], groupOf: Int32Array): number[][] {
  const by = new Map<number, number[]>();
  for (const s of members) {
    const g = groupOf[s]!;
    let list = by.get(g);
    if (!list) by.set(g, (list = []));
    list.push(s);
  }
  return [...by.values()];
}

/** Why the time-indexed model is narrower than the placement model under `sequenced` with fine-grained resources, or undefined. */
export function sequencedProfileRestriction(instance: DagPlacementInstance, variant: PlacementVariant): string | undefined {
  const profiles = instance.derived.slotProfiles;
  if (variant !== 'sequenced' || profiles === undefined || profiles.groups.length < 2) return undefined;
  if (!instance.taskManagers.some((tm) => cutsDynamically(instance, tm.index))) return undefined;
  return 'the time-indexed model cuts the slots of a dynamic TaskManager per slot sharing group under sequenced, while a slot may also run several groups one after another, cut to the largest of their profiles';
}
