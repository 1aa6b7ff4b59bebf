/**
 * Continuous-time MILPs for DAG placement, for instances whose durations and
 * transfers lie on no common time grid (e.g. speed factors like 1.37), where the
 * time-indexed model of formulation.ts does not apply.
 *
 * `exclusive` (exact and without big-M: slots are never shared in time):
 *   x(s,k) ∈ {0,1}: subtask s on TaskManager k;  S_s ≥ 0 its start;  D_s = Σ_k d_sk x(s,k)
 *   Σ_k x(s,k) = 1,   Σ_s x(s,k) ≤ slots_k,   Σ_s mem_s x(s,k) ≤ mem_k
 *   S_j ≥ S_i + D_i + T_e  for every edge e = i→j, with the transfer T_e ≥ c_e(k,k')·(x(i,k) + x(j,k') − 1), k ≠ k'
 *   C ≥ S_s + D_s;  min C
 * `sequenced` (disjunctive, big-M = the horizon; NOTES.md: orders of magnitude slower
 * than time-indexing, so only a fallback for small instances):
 *   y(s,l) ∈ {0,1}: subtask s in slot l; for subtasks i < j not ordered by the DAG and
 *   every slot l, o_ij ∈ {0,1} chooses the order when both sit in l:
 *     S_j ≥ S_i + D_i − H·(3 − y(i,l) − y(j,l) − o_ij),  S_i ≥ S_j + D_j − H·(2 − y(i,l) − y(j,l) + o_ij)
 * Fine-grained resources (formulation-profiles.ts): x(s,k) = 0 where s's slot sharing group cannot cut a slot of k;
 * for a dynamic TaskManager k, per dimension d:
 *   exclusive: Σ_g p_g[d] Σ_{s∈g} x(s,k) ≤ R_k[d]   (a slot per subtask)
 *   sequenced: P(l,d) ≥ p_{g(s)}[d]·y(s,l) ∀ s, l of k;  Σ_{l of k} P(l,d) ≤ R_k[d]   (a slot is cut to the maximum
 *              profile of the groups it runs: exact, the validator's rule)
 * Decoding keeps the placement and recomputes the earliest times, so that the
 * times are exact rather than LP-rounded.
 */
import { LinearExpr, LinearModel, equalTo, greaterEq, lessEq, sum, type Formulation, type Var } from '../milp/index.ts';
import type { IndexedSchedule } from '../solution.ts';
import { makespanLowerBounds } from './bounds.ts';
import { earliestSchedule } from './evaluate.ts';
import type { DagPlacementInstance, PlacementVariant, Subtask, TaskManager } from './instance.ts';
import { FormulationError } from '../errors.ts';
import { addSlotProfileRows, cutsDynamically, groupMayUse } from './formulation-profiles.ts';
import { RESOURCE_DIMENSIONS } from '../resources/profile.ts';

export interface ContinuousOptions {
  readonly variant: PlacementVariant;
  /** Upper bound on the makespan in ms (big-M of the disjunctions); required for `sequenced`. */
  readonly horizonMs?: number;
  /** MIP start. */
  readonly start?: IndexedSchedule;
  /** Extra lower bound on the makespan (ms). */
  readonly lowerBoundMs?: number;
}

/** Why the continuous-time model does not apply, or null. */
export function continuousNotApplicable(instance: DagPlacementInstance, variant: PlacementVariant): string | null {
  if (variant === 'shared') return 'the shared variant needs the time-indexed model (CPU sharing over time)';
  if (variant === 'sequenced') {
    if (instance.derived.memoryMatters) return 'memory limits of sequenced slots need the time-indexed model';
  }
  return null;
}

export function formulateDagPlacementContinuous(instance: DagPlacementInstance, options: ContinuousOptions): Formulation<IndexedSchedule> & { readonly lowerBound: number } {
  const variant = options.variant;
  const why = continuousNotApplicable(instance, variant);
  if (why) throw new FormulationError('continuous-time formulation', why);
  const H = options.horizonMs;
  if (variant === 'sequenced' && (H === undefined || !Number.isFinite(H))) throw new FormulationError('continuous-time formulation', 'sequenced needs a finite horizon');
  const m = new LinearModel(`dag-placement:${variant}:continuous:${instance.name}`, 'minimize');
  const subtasks = instance.subtasks;
  const tms = instance.taskManagers;
  const K = tms.length;
  const bounds = makespanLowerBounds(instance, variant);
  const lower = Math.max(bounds.lowerBoundMs, options.lowerBoundMs ?? 0);
  const S = m.continuousVars('start', subtasks, { min: 0, ...(H !== undefined ? { max: H } : {}) });
  const C = m.continuousVar('makespan', { min: lower, ...(H !== undefined ? { max: H } : {}) });

  // placement: on TaskManagers (exclusive) or in slots (sequenced)
  const x = m.binaryVars('on', subtasks, tms, { where: (_s: Subtask, tm: TaskManager) => tm.slotCount > 0 });
  let y: ((s: Subtask, l: number) => Var) | undefined;
  if (variant === 'sequenced') {
    const slots = instance.slots.map((l) => l.index);
    const yf = m.binaryVars('slot', subtasks, slots);
    y = (s, l) => yf(s, l);
    for (const s of subtasks) {
      m.constrain(`slot[${s.id}]`, sum(slots.map((l) => yf(s, l))), equalTo(1));
      for (const tm of tms) {
        const row = new LinearExpr().add(x(s, tm));
        for (let l = tm.firstSlot; l < tm.firstSlot + tm.slotCount; l++) row.sub(yf(s, l));
        m.constrain(`slot-tm[${s.id},${tm.id}]`, row, equalTo(0));
      }
    }
  } else {
    for (const s of subtasks) m.constrain(`assign[${s.id}]`, sum(tms.filter((tm) => tm.slotCount > 0).map((tm) => x(s, tm))), equalTo(1));
    for (const tm of tms) {
      if (tm.slotCount === 0) continue;
      m.constrain(`slots[${tm.id}]`, sum(subtasks.map((s) => x(s, tm))), lessEq(tm.slotCount));
      if (instance.derived.memoryMatters && Number.isFinite(tm.memoryBytes)) {
        const row = new LinearExpr();
        for (const s of subtasks) row.add(x(s, tm), s.memoryBytes);
        m.constrain(`memory[${tm.id}]`, row, lessEq(tm.memoryBytes));
      }
    }
  }
  // fine-grained resources
  const profiles = instance.derived.slotProfiles;
  if (profiles !== undefined) {
    for (const s of subtasks)
      for (const tm of tms) if (tm.slotCount > 0 && !groupMayUse(instance, s.index, tm.index)) m.constrain(`profile-misfit[${s.id},${tm.id}]`, new LinearExpr().add(x(s, tm)), lessEq(0));
    for (const tm of tms) {
      if (tm.slotCount === 0 || !cutsDynamically(instance, tm.index)) continue;
      if (variant === 'exclusive') {
        const slots = new Map<number, LinearExpr>();
        for (const s of subtasks) {
          const g = profiles.groupOfSubtask[s.index]!;
          slots.set(g, (slots.get(g) ?? new LinearExpr()).add(x(s, tm)));
        }
        addSlotProfileRows(m, instance, tm.index, tm.id, slots, (g) => Math.min(tm.slotCount, profiles.groupOfSubtask.filter((h) => h === g).length));
      } else if (y) {
        const resources = profiles.taskManagers[tm.index]!.resources;
        for (const d of RESOURCE_DIMENSIONS) {
          const total = resources[d];
          if (!subtasks.some((s) => profiles.profileOf(profiles.groupOfSubtask[s.index]!, tm.index)[d] > 0)) continue;
          const capacity = new LinearExpr();
          for (let l = tm.firstSlot; l < tm.firstSlot + tm.slotCount; l++) {
            const P = m.continuousVar(`slot-profile[${instance.slots[l]!.id},${d}]`, { min: 0 });
            for (const s of subtasks) {
              const need = profiles.profileOf(profiles.groupOfSubtask[s.index]!, tm.index)[d];
              if (need > 0) m.constrain(`slot-profile[${s.id},${instance.slots[l]!.id},${d}]`, new LinearExpr().add(P).sub(y(s, l), total > 0 ? need / total : need), greaterEq(0));
            }
            capacity.add(P);
          }
          m.constrain(`profile[${tm.id},${d}]`, capacity, lessEq(total > 0 ? 1 : 0));
        }
      }
    }
  }

  const duration = (s: Subtask): LinearExpr => {
    const e = new LinearExpr();
    for (const tm of tms) if (tm.slotCount > 0) e.add(x(s, tm), instance.durationMs(s.index, tm.index));
    return e;
  };

  // precedence with transfers across TaskManagers
  for (const edge of instance.edges) {
    const i = subtasks[edge.from]!;
    const j = subtasks[edge.to]!;
    let maxC = 0;
    for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) if (a !== b) maxC = Math.max(maxC, instance.transferMs(edge.index, a, b));
    const row = new LinearExpr().add(S(j)).sub(S(i)).sub(duration(i));
    if (maxC > 0) {
      const T = m.continuousVar(`transfer[${i.id}>${j.id}]`, { min: 0, max: maxC });
      for (const a of tms)
        for (const b of tms) {
          if (a === b || a.slotCount === 0 || b.slotCount === 0) continue;
          const c = instance.transferMs(edge.index, a.index, b.index);
          if (c > 0) m.constrain(`transfer[${i.id}@${a.id}>${j.id}@${b.id}]`, new LinearExpr().add(T).sub(x(i, a), c).sub(x(j, b), c), greaterEq(-c));
        }
      row.sub(T);
    }
    m.constrain(`precedence[${i.id}>${j.id}]`, row, greaterEq(0));
  }

  // one subtask at a time in a sequenced slot
  if (variant === 'sequenced' && y) {
    const { derived } = instance;
    const ordered = (a: number, b: number) => derived.reaches(a, b) || derived.reaches(b, a);
    for (let a = 0; a < subtasks.length; a++)
      for (let b = a + 1; b < subtasks.length; b++) {
        if (ordered(a, b)) continue;
        const i = subtasks[a]!;
        const j = subtasks[b]!;
        // zero-length work occupies nothing: only slots where both take time need an order
        const slotsBoth = instance.slots.filter((l) => instance.durationMs(a, l.taskManager) > 0 && instance.durationMs(b, l.taskManager) > 0);
        if (slotsBoth.length === 0) continue;
        const o = m.binaryVar(`before[${i.id},${j.id}]`);
        for (const slot of slotsBoth) {
          // S_j − S_i − D_i − H y_i − H y_j − H o ≥ −3H
          m.constrain(`order[${i.id},${j.id},${slot.id}]`, new LinearExpr().add(S(j)).sub(S(i)).add(duration(i), -1).sub(y(i, slot.index), H!).sub(y(j, slot.index), H!).sub(o, H!), greaterEq(-3 * H!));
          // S_i − S_j − D_j − H y_i − H y_j + H o ≥ −2H
          m.constrain(`order[${j.id},${i.id},${slot.id}]`, new LinearExpr().add(S(i)).sub(S(j)).add(duration(j), -1).sub(y(i, slot.index), H!).sub(y(j, slot.index), H!).add(o, H!), greaterEq(-2 * H!));
        }
      }
  }

  for (const s of subtasks) {
    if (instance.outEdges[s.index]!.length > 0) continue;
    m.constrain(`makespan[${s.id}]`, new LinearExpr().add(C).sub(S(s)).sub(duration(s)), greaterEq(0));
  }
  m.minimize(C);

  if (options.start) {
    const st = options.start;
    let makespan = 0;
    for (const s of subtasks) {
      const slot = instance.slots[st.slotOfSubtask[s.index]!]!;
      for (const tm of tms) if (tm.slotCount > 0) m.setStart(x(s, tm), tm.index === slot.taskManager ? 1 : 0);
      if (y) for (const l of instance.slots) m.setStart(y(s, l.index), l.index === slot.index ? 1 : 0);
      m.setStart(S(s), st.startMs[s.index]!);
      makespan = Math.max(makespan, st.endMs[s.index]!);
    }
    m.setStart(C, makespan);
  }

  const decode = (values: ArrayLike<number>): IndexedSchedule => {
    const slotOfSubtask = new Int32Array(subtasks.length);
    if (y) {
      for (const s of subtasks) slotOfSubtask[s.index] = instance.slots.find((l) => values[y!(s, l.index).index]! > 0.5)!.index;
      // keep the slot order the MILP chose: earliest schedule in the order of the MILP's starts
      const order = subtasks.map((s) => s.index).sort((a, b) => values[S(subtasks[a]!).index]! - values[S(subtasks[b]!).index]! || a - b);
      return sequenceInOrder(instance, slotOfSubtask, order);
    }
    const used = new Int32Array(K);
    for (const s of subtasks) {
      const tm = tms.find((t) => t.slotCount > 0 && values[x(s, t).index]! > 0.5)!;
      slotOfSubtask[s.index] = tm.firstSlot + used[tm.index]!;
      used[tm.index] = used[tm.index]! + 1;
    }
    return earliestSchedule(instance, { slotOfSubtask }, 'exclusive');
  };
  return { model: m, decode, lowerBound: lower };
}

/** Earliest times for a sequenced placement when each slot runs its subtasks in the given global order. */
function sequenceInOrder(instance: DagPlacementInstance, slotOfSubtask: Int32Array, order: readonly number[]): IndexedSchedule {
  const n = instance.subtasks.length;
  const startMs = new Float64Array(n);
  const endMs = new Float64Array(n);
  const free = new Float64Array(instance.slots.length);
  const done = new Uint8Array(n);
  // the order respects precedence (starts of a feasible MILP solution do), but be safe: take the
  // first subtask of the order whose inputs are done
  const pending = order.slice();
  while (pending.length > 0) {
    const idx = pending.findIndex((s) => instance.inEdges[s]!.every((e) => done[instance.edges[e]!.from]));
    const s = pending.splice(idx, 1)[0]!;
    const l = slotOfSubtask[s]!;
    const k = instance.slots[l]!.taskManager;
    let ready = 0;
    for (const e of instance.inEdges[s]!) {
      const p = instance.edges[e]!.from;
      ready = Math.max(ready, endMs[p]! + instance.transferMs(e, instance.slots[slotOfSubtask[p]!]!.taskManager, k));
    }
    const d = instance.durationMs(s, k);
    startMs[s] = Math.max(ready, free[l]!);
    endMs[s] = startMs[s]! + d;
    if (d > 0) free[l] = endMs[s]!;
    done[s] = 1;
  }
  return { slotOfSubtask, startMs, endMs };
}
