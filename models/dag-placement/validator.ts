import type { DagPlacementInstance, PlacementVariant } from './instance.ts';
import type { Placement, ScheduledAssignment } from '../solution.ts';
import { isSchedule } from '../solution.ts';
import { fmt, peakConcurrency, type Violation } from '../violation.ts';
import { TIME_TOLERANCE } from '../metrics.ts';
import { dagResourceReasons } from './resources.ts';

/**
 * The independent validator of the DAG placement model. Checks, and reports in words, every constraint:
 * - every subtask sits in exactly one existing slot;
 * - `exclusive`: a slot holds at most one subtask; `shared`: a slot holds at most one subtask of each operator,
 *   all of one slot sharing group; in both, subtasks of one operator sit in different slots;
 * - memory: `exclusive`/`shared` reserve each subtask's memory on its TaskManager for the whole job;
 *   `sequenced` needs the memory of the subtasks running at once to fit;
 * and, when the solution is a Schedule (start/end times):
 * - end = start + duration on the TaskManager it sits on, start >= 0;
 * - start >= end of every predecessor, plus the transfer time when they sit on different TaskManagers;
 * - `sequenced`: the subtasks of a slot do not overlap in time;
 * - `shared`: at no instant do more subtasks run on a TaskManager than it has whole CPU cores (at least one);
 * - fine-grained resources: the slots in use on a TaskManager with `resources` can be cut from it (resources.ts).
 * It shares no code with any solver.
 */
export function validateDagPlacement(
  instance: DagPlacementInstance,
  solution: Placement,
  variant: PlacementVariant = instance.variant,
  tolerance = TIME_TOLERANCE,
): Violation[] {
  const out: Violation[] = [];
  const n = instance.subtasks.length;
  const tmOf = new Int32Array(n).fill(-1);
  const slotOf = new Int32Array(n).fill(-1);
  const entryOf: Array<ScheduledAssignment | undefined> = new Array(n);
  const timed = isSchedule(solution);

  const assignments = solution.assignments;
  for (let i = 0; i < assignments.length; i++) {
    const a = assignments[i]!;
    // assignments usually list the subtasks in instance order: a string comparison then spares the lookup by id
    const atPosition = instance.subtasks[i];
    const s = atPosition !== undefined && atPosition.id === a.subtask ? atPosition : instance.subtaskById.get(a.subtask);
    if (!s) {
      out.push({ constraint: 'assignment', message: `the placement names subtask "${a.subtask}", which the job does not have`, subjects: [a.subtask] });
      continue;
    }
    const tm = instance.taskManagerById.get(a.taskManager);
    if (!tm) {
      out.push({ constraint: 'assignment', message: `${s.id} is placed on TaskManager "${a.taskManager}", which the cluster does not have`, subjects: [s.id] });
      continue;
    }
    if (!Number.isInteger(a.slot) || a.slot < 0 || a.slot >= tm.slotCount) {
      out.push({ constraint: 'assignment', message: `${s.id} is placed in slot ${a.slot} of ${tm.id}, which has slots 0..${tm.slotCount - 1}`, subjects: [s.id], where: tm.id });
      continue;
    }
    if (slotOf[s.index] !== -1) {
      out.push({ constraint: 'assignment', message: `${s.id} is placed more than once (every subtask gets exactly one slot)`, subjects: [s.id] });
      continue;
    }
    tmOf[s.index] = tm.index;
    slotOf[s.index] = tm.firstSlot + a.slot;
    if (timed) entryOf[s.index] = a as ScheduledAssignment;
  }
  for (const s of instance.subtasks)
    if (slotOf[s.index] === -1 && !out.some((v) => v.subjects?.includes(s.id)))
      out.push({ constraint: 'assignment', message: `${s.id} is not placed (every subtask gets exactly one slot)`, subjects: [s.id] });

  // Slot contents.
  const bySlot = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const l = slotOf[i]!;
    if (l < 0) continue;
    let list = bySlot.get(l);
    if (!list) bySlot.set(l, (list = []));
    list.push(i);
  }
  const slotName = (l: number) => instance.slots[l]!.id;
  const id = (i: number) => instance.subtasks[i]!.id;
  for (const [l, list] of bySlot) {
    if (variant === 'exclusive' && list.length > 1)
      out.push({ constraint: 'slot-capacity', message: `slot ${slotName(l)} holds ${list.length} subtasks (${list.map(id).join(', ')}), but under exclusive a slot holds one`, subjects: list.map(id), where: slotName(l), amount: list.length - 1 });
    if (variant !== 'sequenced') {
      const byOperator = new Map<number, number[]>();
      for (const i of list) {
        const o = instance.subtasks[i]!.operatorIndex;
        byOperator.set(o, [...(byOperator.get(o) ?? []), i]);
      }
      for (const [o, same] of byOperator)
        if (same.length > 1)
          out.push({ constraint: 'operator-distinct-slots', message: `${same.map(id).join(' and ')} are subtasks of operator ${instance.operators[o]!.id} in the same slot ${slotName(l)}; subtasks of one operator go to different slots`, subjects: same.map(id), where: slotName(l) });
    }
    if (variant === 'shared') {
      const groups = new Set(list.map((i) => instance.subtasks[i]!.slotSharingGroup));
      if (groups.size > 1)
        out.push({ constraint: 'slot-sharing-group', message: `slot ${slotName(l)} mixes slot sharing groups ${[...groups].join(', ')}; a shared slot holds subtasks of one group`, subjects: list.map(id), where: slotName(l) });
    }
  }

  for (const { taskManager, reason } of dagResourceReasons(instance, slotOf))
    out.push({ constraint: 'resources', message: `${taskManager} cannot cut the slots the placement uses: ${reason}`, where: taskManager });

  const onTm: Array<Array<(typeof instance.subtasks)[number]>> = instance.taskManagers.map(() => []);
  for (const s of instance.subtasks) if (tmOf[s.index]! >= 0) onTm[tmOf[s.index]!]!.push(s);

  // Memory.
  for (const tm of instance.taskManagers) {
    if (!Number.isFinite(tm.memoryBytes)) continue;
    const on = onTm[tm.index]!;
    if (variant !== 'sequenced' || !timed) {
      const need = variant === 'sequenced' ? on.reduce((m, s) => Math.max(m, s.memoryBytes), 0) : on.reduce((t, s) => t + s.memoryBytes, 0);
      if (need > tm.memoryBytes)
        out.push({ constraint: 'memory', message: `${tm.id} has ${fmt(tm.memoryBytes)} bytes of memory but its subtasks need ${fmt(need)}`, subjects: on.map((s) => s.id), where: tm.id, amount: need - tm.memoryBytes });
    } else {
      const peak = peakConcurrency(on.map((s) => ({ startMs: entryOf[s.index]!.startMs, endMs: entryOf[s.index]!.endMs, weight: s.memoryBytes })), tolerance);
      if (peak.weight > tm.memoryBytes)
        out.push({ constraint: 'memory', message: `${tm.id} has ${fmt(tm.memoryBytes)} bytes of memory but the subtasks running at ${fmt(peak.atMs)} ms need ${fmt(peak.weight)}`, where: tm.id, amount: peak.weight - tm.memoryBytes });
    }
  }

  if (!timed || out.some((v) => v.constraint === 'assignment')) return out;

  // Times.
  const tol = (x: number) => tolerance * Math.max(1, Math.abs(x));
  for (const s of instance.subtasks) {
    const e = entryOf[s.index]!;
    const k = tmOf[s.index]!;
    const d = instance.durationMs(s.index, k);
    if (!(e.startMs >= -tol(0))) out.push({ constraint: 'time', message: `${s.id} starts at ${fmt(e.startMs)} ms, before the job starts (0 ms)`, subjects: [s.id] });
    if (Math.abs(e.endMs - e.startMs - d) > tol(d))
      out.push({ constraint: 'duration', message: `${s.id} runs from ${fmt(e.startMs)} to ${fmt(e.endMs)} ms on ${instance.taskManagers[k]!.id}, but takes ${fmt(d)} ms there`, subjects: [s.id], amount: e.endMs - e.startMs - d });
  }
  const { from, to } = instance.edgeArrays;
  for (let edge = 0; edge < from.length; edge++) {
    const p = entryOf[from[edge]!]!;
    const c = entryOf[to[edge]!]!;
    const transfer = instance.transferMs(edge, tmOf[from[edge]!]!, tmOf[to[edge]!]!);
    const ready = p.endMs + transfer;
    if (c.startMs < ready - tol(ready))
      out.push({
        constraint: 'precedence',
        message: `${c.subtask} starts at ${fmt(c.startMs)} ms, before ${p.subtask} ends at ${fmt(p.endMs)} ms` + (transfer > 0 ? ` plus the ${fmt(transfer)} ms transfer from ${p.taskManager} to ${c.taskManager}` : '') + ` (short by ${fmt(ready - c.startMs)} ms)`,
        subjects: [p.subtask, c.subtask],
        amount: ready - c.startMs,
      });
  }
  if (variant === 'sequenced')
    for (const [l, list] of bySlot) {
      const sorted = list.map((i) => entryOf[i]!).sort((a, b) => a.startMs - b.startMs);
      for (let i = 1; i < sorted.length; i++) {
        const prev = sorted[i - 1]!;
        const cur = sorted[i]!;
        if (cur.startMs < prev.endMs - tol(prev.endMs) && cur.endMs > cur.startMs && prev.endMs > prev.startMs)
          out.push({ constraint: 'slot-overlap', message: `${prev.subtask} (${fmt(prev.startMs)}-${fmt(prev.endMs)} ms) and ${cur.subtask} (${fmt(cur.startMs)}-${fmt(cur.endMs)} ms) overlap in slot ${slotName(l)}; a sequenced slot runs one subtask at a time`, subjects: [prev.subtask, cur.subtask], where: slotName(l), amount: prev.endMs - cur.startMs });
      }
    }
  if (variant === 'shared')
    for (const tm of instance.taskManagers) {
      const on = onTm[tm.index]!;
      const peak = peakConcurrency(on.map((s) => ({ startMs: entryOf[s.index]!.startMs, endMs: entryOf[s.index]!.endMs, weight: 1 })), tolerance);
      if (peak.count > tm.coreCount)
        out.push({ constraint: 'cpu', message: `${peak.count} subtasks run at once on ${tm.id} at ${fmt(peak.atMs)} ms, but its ${fmt(tm.cpuCores)} CPU cores run at most ${tm.coreCount} at once`, where: tm.id, amount: peak.count - tm.coreCount });
    }
  return out;
}
