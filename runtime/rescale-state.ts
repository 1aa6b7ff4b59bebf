import type { DagPlacementInstance } from '../models/dag-placement/instance.ts';
import type { Placement } from '../models/solution.ts';
import { runPlacement } from './job-master.ts';
import type { RunOptions } from './plan.ts';
import { sumSinkFigures, type RunReport, type SinkRunFigures, type StoppedAtCheckpoint } from './report.ts';
import { defaultMaxParallelism, subtaskOfKey } from '../models/scaling/key-groups.ts';
import { RunConfigurationError } from './errors.ts';
import { findOperator } from './operators/index.ts';
import type { Key } from './records/batch.ts';
import { hashKey } from './records/hash.ts';

/**
 * A checkpoint taken at one parallelism, restored at another (issue #13, rescaling with state): the state of every
 * subtask of `from` (by subtask id, as a stopped job's `RunReport.stoppedAt.subtasks` or a checkpoint file holds it)
 * becomes the `initialState` of `to`, the same job at new parallelisms. Per operator:
 *
 * - same parallelism and inputs (every upstream operator at its parallelism): each subtask keeps its own state;
 * - stateless (map, filter, ...): nothing to move;
 * - otherwise the operator's `rescaleState` redistributes (also at the same parallelism when an upstream's changed:
 *   its input channels did, and with them any channel-indexed state such as a window's event-time clock): keyed state (window) by key group, each key to the new
 *   subtask that owns its group under the same max parallelism (models/scaling/key-groups.ts), which is where the
 *   `hash` partitioner sends that key's records from now on; source offsets stay with their subtasks (a source keeps
 *   its parallelism); sinks start fresh transactions (the old ones were committed when the checkpoint completed).
 *
 * Refused, with a message naming the operator: a different job (operators or kinds), an operator with state but no
 * `rescaleState`, and a rescale across Flink's default max parallelism (128 key groups for p ≤ 85), since the key
 * groups themselves would change.
 */
export function rescaleCheckpointState(
  from: DagPlacementInstance,
  state: Readonly<Record<string, unknown>>,
  to: DagPlacementInstance,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const fail = (message: string): never => {
    throw new RunConfigurationError(`rescale ${from.name}: ${message}`);
  };
  for (const op of to.operators) {
    if (!from.jobGraph.hasNode(op.id)) fail(`operator ${op.id} is not in the job the checkpoint was taken of`);
    const kind = to.jobGraph.getNodeAttributes(op.id).kind;
    const oldKind = from.jobGraph.getNodeAttributes(op.id).kind;
    if (kind !== oldKind) fail(`operator ${op.id} is a ${kind} here, a ${oldKind} in the checkpoint`);
    const oldSubtasks = from.subtasks.filter((s) => s.operatorId === op.id).sort((a, b) => a.subtaskIndex - b.subtaskIndex);
    const newSubtasks = to.subtasks.filter((s) => s.operatorId === op.id).sort((a, b) => a.subtaskIndex - b.subtaskIndex);
    const states = oldSubtasks.map((s) => state[s.id]);
    if (states.every((s) => s === undefined || s === null)) continue;
    const p = oldSubtasks.length;
    const q = newSubtasks.length;
    // channel-indexed state (a window's event-time clock) follows the inputs: an upstream at another parallelism
    // changes this operator's input channels even where its own parallelism stays
    const parallelismOf = (instance: DagPlacementInstance, id: string) => instance.operators.find((o) => o.id === id)?.parallelism;
    const inputsKept = to.jobGraph.inNeighbors(op.id).every((u) => parallelismOf(from, u) === parallelismOf(to, u));
    let moved: ReadonlyArray<unknown>;
    if (p === q && inputsKept) moved = states;
    else {
      const def = findOperator(kind ?? '');
      if (def?.rescaleState === undefined) return fail(`operator ${op.id} (${kind}) holds state that cannot follow a change of parallelism (${p} -> ${q})`);
      const maxParallelism = defaultMaxParallelism(p);
      if (defaultMaxParallelism(q) !== maxParallelism)
        fail(`operator ${op.id}: ${p} -> ${q} changes Flink's default max parallelism (${maxParallelism} -> ${defaultMaxParallelism(q)} key groups)`);
      try {
        moved = def.rescaleState(states, { operatorId: op.id, fromParallelism: p, toParallelism: q, ownerOf: (key: Key) => subtaskOfKey(hashKey(key), maxParallelism, q) });
      } catch (error) {
        return fail(error instanceof Error ? error.message : String(error));
      }
    }
    newSubtasks.forEach((s, i) => {
      if (moved[i] !== undefined) out[s.id] = moved[i];
    });
  }
  return out;
}

/** Where a rescaled run starts: the job (at its old parallelism) and the checkpoint it stopped at. */
export interface RescaleFrom {
  readonly instance: DagPlacementInstance;
  readonly checkpoint: StoppedAtCheckpoint;
}

/**
 * One segment of a job that is rescaled by stop-with-checkpoint and restart: runs `instance` (the job at its new
 * parallelism) on `placement`, from `from`'s checkpoint redistributed to it (none: from the sources' start). With
 * `options.stopWithCheckpointAfterRecords` the segment stops at a checkpoint again (`report.stoppedAt`), where the
 * next segment starts. Needs `options.checkpointIntervalMs` (pipelined mode).
 */
export function runRescaledSegment(instance: DagPlacementInstance, placement: Placement, options: RunOptions, from?: RescaleFrom): Promise<RunReport> {
  return runPlacement(instance, placement, from === undefined ? options : { ...options, initialState: rescaleCheckpointState(from.instance, from.checkpoint.subtasks, instance) });
}

/**
 * The committed output of a rescaled job: per sink operator, the sum over its segments (records, value sums, digests
 * mod 2^32, kept rows). Each segment committed what arrived before the checkpoint it stopped at; the next one replays
 * from that checkpoint, so together they are the job's exactly-once output.
 */
export function committedOverSegments(segments: readonly RunReport[]): SinkRunFigures[] {
  return sumSinkFigures(segments.flatMap((report) => report.sinks));
}
