import type { DagPlacementInstance } from './instance.ts';
import { compileDagPlacementInstance } from './instance.ts';
import type { Placement } from '../solution.ts';
import { toIndexedPlacement } from '../solution.ts';

/**
 * What Flink can express of a placement (docs/flink.md): the pure translation. A Flink job cannot name the
 * TaskManager or slot of a subtask; it can say which operators share slots (slot sharing groups, with fine-grained
 * resource profiles), how wide each operator is (parallelism), how many slots a TaskManager offers
 * (`taskmanager.numberOfTaskSlots`) and how the ResourceManager spreads slots and tasks over TaskManagers
 * (`taskmanager.load-balance.mode`). Which of Flink's own placement strategies then comes closest is decided by the
 * layer above, which runs them (benchmarks/flink/export.ts).
 *
 * Option names and values, from Flink's configuration reference
 * (https://nightlies.apache.org/flink/flink-docs-release-1.20/docs/deployment/config/ and, for TASKS,
 * https://nightlies.apache.org/flink/flink-docs-release-2.2/docs/deployment/tasks-scheduling/balanced_tasks_scheduling/):
 * - `taskmanager.numberOfTaskSlots` (integer, default 1);
 * - `taskmanager.load-balance.mode`: Flink 1.20 NONE (default) | SLOTS; Flink 2.2 adds TASKS (FLIP-370). Flink
 *   1.20's test `TaskManagerLoadBalanceModeTest` reads SLOTS from the older `cluster.evenly-spread-out-slots: true`;
 * - `cluster.evenly-spread-out-slots` (boolean, deprecated in 1.20 for the mode SLOTS, gone in 2.x);
 * - `pipeline.jobvertex-parallelism-overrides` (map JobVertexID → parallelism, Flink 1.17+): parallelism without a
 *   code change, when the operator ids are Flink's job vertex ids (a REST plan).
 */
export const FLINK_OPTION = Object.freeze({
  numberOfTaskSlots: 'taskmanager.numberOfTaskSlots',
  loadBalanceMode: 'taskmanager.load-balance.mode',
  evenlySpreadOutSlots: 'cluster.evenly-spread-out-slots',
  parallelismOverrides: 'pipeline.jobvertex-parallelism-overrides',
} as const);

export type FlinkVersion = '1.20' | '2.2';
export const FLINK_VERSIONS: readonly FlinkVersion[] = ['1.20', '2.2'];
export type LoadBalanceMode = 'NONE' | 'SLOTS' | 'TASKS';
/** The values of `taskmanager.load-balance.mode` each Flink version accepts. */
export const LOAD_BALANCE_MODES: Readonly<Record<FlinkVersion, readonly LoadBalanceMode[]>> = { '1.20': ['NONE', 'SLOTS'], '2.2': ['NONE', 'SLOTS', 'TASKS'] };
/** slotlab's registered heuristic that places the way Flink does under each mode (solver/heuristics/). */
export const LOAD_BALANCE_MODE_STRATEGY: Readonly<Record<LoadBalanceMode, string>> = { NONE: 'flink-default', SLOTS: 'least-utilization', TASKS: 'flink-task-balanced' };

/** A fine-grained resource profile of a slot sharing group (Flink's `SlotSharingGroup.newBuilder(...).setCpuCores(...).setTaskHeapMemoryMB(...)`). */
export interface FlinkResourceProfile {
  readonly cpuCores: number;
  readonly taskHeapMemoryMB: number;
  readonly taskOffHeapMemoryMB?: number;
  readonly managedMemoryMB?: number;
}

/**
 * Extension point for fine-grained resources: given a group's operators, the profile each of its slots needs, or
 * undefined (coarse-grained: every slot alike). An instance that carries resource profiles supplies one; without it
 * the export names none.
 */
export type ResourceProfileOf = (instance: DagPlacementInstance, operatorIds: readonly string[]) => FlinkResourceProfile | undefined;

/**
 * The slot sharing groups a placement implies: operators whose subtasks meet in a slot belong together (the
 * connected components of "shares a slot with"), since Flink can only put subtasks of one slot sharing group into
 * one slot. Groups are named `ssg-1`, `ssg-2`, ... in the order of their first operator (topological); one group for
 * the whole job is Flink's `default`. Returns the group of every operator id.
 */
export function slotSharingGroupsOfPlacement(instance: DagPlacementInstance, placement: Placement): Map<string, string> {
  const parent = instance.operators.map((_o, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const { slotOfSubtask } = toIndexedPlacement(instance, placement);
  const firstInSlot = new Map<number, number>();
  for (const s of instance.subtasks) {
    const slot = slotOfSubtask[s.index]!;
    const other = firstInSlot.get(slot);
    if (other === undefined) firstInSlot.set(slot, s.operatorIndex);
    else parent[find(s.operatorIndex)] = find(other);
  }
  const roots = new Map<number, string>();
  for (const op of instance.operators) {
    const r = find(op.index);
    if (!roots.has(r)) roots.set(r, `ssg-${roots.size + 1}`);
  }
  const groupOf = new Map<string, string>();
  for (const op of instance.operators) groupOf.set(op.id, roots.size === 1 ? 'default' : roots.get(find(op.index))!);
  return groupOf;
}

/** The instance with each operator in the slot sharing group `groupOf` names (the rest unchanged), for Flink's strategies to place. */
export function withSlotSharingGroups(instance: DagPlacementInstance, groupOf: ReadonlyMap<string, string>): DagPlacementInstance {
  const job = instance.jobGraph.copy();
  job.forEachNode((id, attrs) => job.replaceNodeAttributes(id, { ...attrs, slotSharingGroup: groupOf.get(id) ?? attrs.slotSharingGroup }));
  return compileDagPlacementInstance(instance.name, instance.variant, job, instance.cluster);
}

export interface FlinkSlotSharingGroup {
  readonly name: string;
  readonly operators: readonly string[];
  /** Slots the group takes in Flink: its largest parallelism. */
  readonly slots: number;
  readonly resourceProfile: FlinkResourceProfile | null;
}

export interface FlinkOperatorSettings {
  readonly id: string;
  readonly name: string;
  readonly parallelism: number;
  readonly slotSharingGroup: string;
}

/** The settings of one export, ready to be written as YAML or JSON. `config` holds Flink configuration options only. */
export interface FlinkSettings {
  readonly flinkVersion: FlinkVersion;
  readonly config: Readonly<Record<string, string | number | boolean>>;
  readonly operators: readonly FlinkOperatorSettings[];
  readonly slotSharingGroups: readonly FlinkSlotSharingGroup[];
  /** What the settings cannot say, in sentences. */
  readonly notes: readonly string[];
}

/** A 32-hex Flink JobVertexID (the ids of a REST job plan). */
const JOB_VERTEX_ID = /^[0-9a-f]{32}$/;

/** Builds the settings: groups from `groupOf`, the given load-balance mode (it must be one `flinkVersion` accepts). */
export function flinkSettings(
  instance: DagPlacementInstance,
  groupOf: ReadonlyMap<string, string>,
  mode: LoadBalanceMode,
  flinkVersion: FlinkVersion,
  resourceProfileOf?: ResourceProfileOf,
): FlinkSettings {
  if (!LOAD_BALANCE_MODES[flinkVersion].includes(mode)) throw new RangeError(`taskmanager.load-balance.mode ${mode} does not exist in Flink ${flinkVersion} (${LOAD_BALANCE_MODES[flinkVersion].join(', ')})`);
  const operators = instance.operators.map((op) => ({ id: op.id, name: op.name, parallelism: op.parallelism, slotSharingGroup: groupOf.get(op.id) ?? op.slotSharingGroup }));
  const members = new Map<string, string[]>();
  for (const op of operators) members.set(op.slotSharingGroup, [...(members.get(op.slotSharingGroup) ?? []), op.id]);
  const slotSharingGroups = [...members].map(([name, ops]) => ({
    name,
    operators: ops,
    slots: Math.max(...ops.map((id) => instance.operators.find((o) => o.id === id)!.parallelism)),
    resourceProfile: resourceProfileOf?.(instance, ops) ?? null,
  }));
  const slotCounts = new Set(instance.taskManagers.map((tm) => tm.slotCount));
  const config: Record<string, string | number | boolean> = {
    [FLINK_OPTION.numberOfTaskSlots]: Math.max(...slotCounts),
    [FLINK_OPTION.loadBalanceMode]: mode,
  };
  if (flinkVersion === '1.20' && mode === 'SLOTS') config[FLINK_OPTION.evenlySpreadOutSlots] = true; // the pre-1.20 spelling, still read
  const notes: string[] = [
    'Flink does not let a job pin a subtask to a TaskManager or a slot: the ResourceManager matches slot requests to TaskManagers itself. ' +
      'The export keeps what Flink can express (which operators share slots, their parallelism, the slots per TaskManager, the load-balance mode); ' +
      '`prediction` is the model\'s makespan for the placement Flink makes from these settings.',
  ];
  if (slotCounts.size > 1)
    notes.push(
      `The TaskManagers have different slot counts (${[...slotCounts].sort((a, b) => a - b).join(', ')}): ${FLINK_OPTION.numberOfTaskSlots} is set per TaskManager process, so give each TaskManager its own value; the file names the largest.`,
    );
  if (instance.operators.every((op) => JOB_VERTEX_ID.test(op.id)))
    config[FLINK_OPTION.parallelismOverrides] = instance.operators.map((op) => `${op.id}:${op.parallelism}`).join(',');
  else notes.push('Parallelism and slot sharing groups are set in the job\'s code: `.setParallelism(n)` and `.slotSharingGroup("ssg-1")` on each operator (or `SET \'parallelism.default\'` for SQL).');
  if (slotSharingGroups.every((g) => g.resourceProfile === null) && resourceProfileOf === undefined)
    notes.push('No fine-grained resource profiles: the instance carries none, so every slot is alike (coarse-grained).');
  return { flinkVersion, config, operators, slotSharingGroups, notes };
}
