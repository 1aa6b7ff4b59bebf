import { z } from 'zod';
import type { DagPlacementInstance, OperatorInfo } from '../../../models/dag-placement/instance.ts';
import { producerSubtaskIndices } from '../../../models/graphs/execution-graph.ts';
import type { Partitioning } from '../../../models/graphs/job-graph.ts';
import { solverParams } from '../../params.ts';

/**
 * Flink's slot sharing strategies: how the subtasks of a job are grouped into execution slot sharing groups
 * (ESSGs), each of which later takes one slot. Subtasks of one operator always land in different ESSGs and an
 * ESSG holds subtasks of one slot sharing group only. Operators are visited in topological order (Flink
 * iterates job vertices topologically), subtasks by subtask index. Co-location constraints are not modelled.
 *
 * Described from Flink's sources (org.apache.flink.runtime.scheduler), written anew here:
 * - `LocalInputPreferredSlotSharingStrategy` (the default): a subtask joins, in order, (1) an ESSG of one of
 *   its producers in the same slot sharing group that does not yet hold a subtask of its operator, trying its
 *   inputs in order; a forward (pointwise) input offers the group of the producer subtask with the same index,
 *   an all-to-all input offers the groups of all producer subtasks in producer order, as one candidate list
 *   shared by all consumer subtasks of that input, each candidate taken off the list once looked at;
 *   (2) else the first ESSG of its slot sharing group, in creation order, without a subtask of its operator;
 *   (3) else a new ESSG. So a slot sharing group ends up with as many ESSGs as its largest parallelism.
 * - `TaskBalancedPreferredSlotSharingStrategy` (FLIP-370, `taskmanager.load-balance.mode: TASKS`): a slot
 *   sharing group gets exactly as many ESSGs as its largest parallelism; an operator of that largest
 *   parallelism deals its subtasks onto ESSGs 0, 1, 2, … and leaves the cursor alone; any other operator
 *   deals its subtasks round-robin from the group's cursor and moves the cursor past its last subtask.
 */
export type SlotSharingStrategy = 'local-input' | 'task-balanced';
export const SLOT_SHARING_STRATEGIES: readonly SlotSharingStrategy[] = ['local-input', 'task-balanced'];

/** The param of the DAG placement heuristics that form execution slot sharing groups the way Flink does. */
export const SLOT_SHARING_PARAMS = solverParams({
  slotSharing: {
    schema: z.enum(['local-input', 'task-balanced']).default('local-input'),
    type: `one of ${SLOT_SHARING_STRATEGIES.join(', ')}`,
    default: 'local-input',
    description: "Flink's slot sharing strategy that forms the execution slot sharing groups: local-input (LocalInputPreferredSlotSharingStrategy, Flink's default) or task-balanced (TaskBalancedPreferredSlotSharingStrategy, FLIP-370)",
  },
});
export type SlotSharingParams = { readonly slotSharing: SlotSharingStrategy };

export interface ExecutionSlotSharingGroups {
  /** ESSG index of every subtask. */
  readonly groupOfSubtask: Int32Array;
  /** Subtask indices of every ESSG, ESSGs in the order the job first needs them (subtasks in topological order). */
  readonly members: readonly (readonly number[])[];
}

export function executionSlotSharingGroups(instance: DagPlacementInstance, strategy: SlotSharingStrategy): ExecutionSlotSharingGroups {
  return strategy === 'local-input' ? localInputPreferredGroups(instance) : taskBalancedGroups(instance);
}

/** One ESSG per subtask (no slot sharing, as under `exclusive`). */
export function singletonGroups(instance: DagPlacementInstance): ExecutionSlotSharingGroups {
  const n = instance.subtasks.length;
  const groupOfSubtask = new Int32Array(n);
  const members: number[][] = new Array(n);
  for (let s = 0; s < n; s++) {
    groupOfSubtask[s] = s;
    members[s] = [s];
  }
  return { groupOfSubtask, members };
}

export function localInputPreferredGroups(instance: DagPlacementInstance): ExecutionSlotSharingGroups {
  const n = instance.subtasks.length;
  const groupOf = new Int32Array(n).fill(-1);
  const lastOperator: number[] = []; // per ESSG: the last operator that put a subtask in it
  const groupsOfSsg = new Map<string, number[]>(); // creation order
  const operatorById = new Map(instance.operators.map((op) => [op.id, op]));
  let groupCount = 0;

  for (const op of instance.operators) {
    const ssg = op.slotSharingGroup;
    let own = groupsOfSsg.get(ssg);
    if (own === undefined) groupsOfSsg.set(ssg, (own = []));
    // Inputs in the job graph's order, producers of the same slot sharing group only.
    const inputs: Array<{ producer: OperatorInfo; partitioning: Partitioning; pointwise: boolean; candidates: number[] | undefined; cursor: number }> = [];
    instance.jobGraph.forEachInEdge(op.id, (_e, attr, source) => {
      const producer = operatorById.get(source)!;
      const pointwise = attr.partitioning === 'forward' || attr.partitioning === 'rescale';
      if (producer.slotSharingGroup === ssg) inputs.push({ producer, partitioning: attr.partitioning, pointwise, candidates: undefined, cursor: 0 });
    });
    const available = (g: number) => lastOperator[g] !== op.index;
    const remaining: number[] = [];
    for (let j = 0; j < op.subtasks.length; j++) {
      const s = op.subtasks[j]!;
      let g = -1;
      for (const input of inputs) {
        if (input.pointwise) {
          // a pointwise input (forward, rescale) offers the groups of the producer subtasks this subtask reads
          for (const k of producerSubtaskIndices(input.partitioning, input.producer.parallelism, op.parallelism, j)) {
            const c = groupOf[input.producer.subtasks[k]!]!;
            if (available(c)) {
              g = c;
              break;
            }
          }
        } else {
          if (input.candidates === undefined) {
            const seen = new Set<number>();
            input.candidates = [];
            for (const p of input.producer.subtasks) {
              const c = groupOf[p]!;
              if (!seen.has(c)) {
                seen.add(c);
                input.candidates.push(c);
              }
            }
          }
          while (input.cursor < input.candidates.length) {
            const c = input.candidates[input.cursor++]!;
            if (available(c)) {
              g = c;
              break;
            }
          }
        }
        if (g !== -1) break;
      }
      if (g === -1) remaining.push(s);
      else {
        groupOf[s] = g;
        lastOperator[g] = op.index;
      }
    }
    let pointer = 0;
    for (const s of remaining) {
      while (pointer < own.length && !available(own[pointer]!)) pointer++;
      let g: number;
      if (pointer < own.length) g = own[pointer]!;
      else {
        g = groupCount++;
        own.push(g);
      }
      groupOf[s] = g;
      lastOperator[g] = op.index;
    }
  }
  return inFirstUseOrder(groupOf, groupCount);
}

export function taskBalancedGroups(instance: DagPlacementInstance): ExecutionSlotSharingGroups {
  const groupOf = new Int32Array(instance.subtasks.length).fill(-1);
  const width = new Map<string, number>(); // ESSGs per slot sharing group = its largest parallelism
  for (const op of instance.operators) width.set(op.slotSharingGroup, Math.max(width.get(op.slotSharingGroup) ?? 0, op.parallelism));
  const base = new Map<string, number>();
  let groupCount = 0;
  for (const [ssg, w] of width) {
    base.set(ssg, groupCount);
    groupCount += w;
  }
  const cursor = new Map<string, number>();
  for (const op of instance.operators) {
    const ssg = op.slotSharingGroup;
    const w = width.get(ssg)!;
    const widest = op.parallelism === w;
    let index = widest ? 0 : (cursor.get(ssg) ?? 0);
    for (const s of op.subtasks) {
      groupOf[s] = base.get(ssg)! + index;
      index = (index + 1) % w;
    }
    if (!widest) cursor.set(ssg, index);
  }
  return inFirstUseOrder(groupOf, groupCount);
}

/** Renumbers ESSGs in the order subtasks (topological) first use them and lists their members. */
function inFirstUseOrder(groupOf: Int32Array, groupCount: number): ExecutionSlotSharingGroups {
  const rename = new Int32Array(groupCount).fill(-1);
  const members: number[][] = [];
  for (let s = 0; s < groupOf.length; s++) {
    const g = groupOf[s]!;
    if (rename[g] === -1) {
      rename[g] = members.length;
      members.push([]);
    }
    const r = rename[g]!;
    groupOf[s] = r;
    members[r]!.push(s);
  }
  return { groupOfSubtask: groupOf, members };
}
