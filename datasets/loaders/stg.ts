import { basename, dirname } from 'node:path';
import { INSTANCE_LIMITS } from '../../models/limits.ts';
import { InstanceFormatError, InvalidInstanceError } from '../../models/errors.ts';
import type { JobGraphSpec } from '../../models/graphs/job-graph.ts';
import type { DagPlacementSpec } from '../../models/dag-placement/instance.ts';
import { lineAfterContent, readTextFile } from './files.ts';

/**
 * Standard Task Graph Set (Tobita & Kasahara, J. Scheduling 5(5):379-394, 2002), `.stg` files without
 * communication costs:
 *
 *     <n>                                         line 1: number of real tasks
 *     <id> <proc_time> <k> <pred_1> ... <pred_k>   n + 2 lines, ids 0 .. n+1 in order
 *     # comments
 *
 * Mapping to slotlab (see docs/formats.md): one operator `t<id>` with parallelism 1 per task, its processing
 * time taken as `workMs` (1 STG time unit = 1 ms), one `forward` edge with 0 bytes per predecessor (STG has no
 * communication cost). The dummy entry `t0` and exit `t<n+1>` are **kept** as operators of 0 work (named
 * `entry` and `exit`), so the edge count equals `edges_incl_dummy` of graph_bounds.csv and a schedule's
 * makespan is unchanged by them. The STG table's model (P identical processors, non-preemptive, no
 * communication) is the `sequenced` variant on P TaskManagers with one slot each (`4x1`).
 */
export interface StgTask {
  readonly id: number;
  readonly processingTime: number;
  readonly predecessors: readonly number[];
  /** 1-based line in the file. */
  readonly line: number;
}

export interface StgGraph {
  readonly file: string;
  /** Real tasks (line 1), dummies excluded. */
  readonly taskCount: number;
  /** All n + 2 tasks, ids 0 .. n+1. */
  readonly tasks: readonly StgTask[];
  /** The `#` comment lines after the tasks, without the `#`. */
  readonly comments: readonly string[];
}

const INTEGER = /^\d+$/;

/** Parses the text of an `.stg` file; every problem names the line and what was expected there. */
export function parseStg(content: string, file: string): StgGraph {
  const lines = content.split(/\r?\n/);
  let at = 0; // index into lines
  const skipBlank = () => {
    while (at < lines.length && lines[at]!.trim() === '') at++;
  };
  skipBlank();
  if (at >= lines.length) throw new InstanceFormatError(file, 'line 1', 'the number of tasks n', 'an empty file');
  const header = lines[at]!.trim().split(/\s+/);
  if (header.length !== 1 || !INTEGER.test(header[0]!) || Number(header[0]) < 1 || Number(header[0]) > INSTANCE_LIMITS.subtasks - 2)
    throw new InstanceFormatError(file, `line ${at + 1}`, `the number of tasks n (one integer from 1 to ${INSTANCE_LIMITS.subtasks - 2}, docs/formats.md, "Limits")`, lines[at]!.trim());
  const n = Number(header[0]);
  at++;
  const tasks: StgTask[] = [];
  for (let id = 0; id <= n + 1; id++) {
    skipBlank();
    const lineNo = at >= lines.length ? lineAfterContent(lines) : at + 1;
    const expectLine = `task ${id}'s line "${id} <proc_time> <k> <pred_1> ... <pred_k>" (line 1 announces ${n} tasks, so ids 0..${n + 1} follow)`;
    if (at >= lines.length || lines[at]!.trim().startsWith('#'))
      throw new InstanceFormatError(file, `line ${lineNo}`, `${expectLine}; the file is truncated`, at >= lines.length ? 'the end of the file' : lines[at]!.trim());
    const raw = lines[at]!.trim();
    const tokens = raw.split(/\s+/);
    const bad = tokens.findIndex((t) => !INTEGER.test(t));
    if (bad !== -1) throw new InstanceFormatError(file, `line ${lineNo}`, `${expectLine}, whitespace-separated integers >= 0`, raw);
    const nums = tokens.map(Number);
    if (nums.some((x) => x > INSTANCE_LIMITS.quantity))
      throw new InstanceFormatError(file, `line ${lineNo}`, `${expectLine}, integers at most ${INSTANCE_LIMITS.quantity} (docs/formats.md, "Limits")`, raw.length > 60 ? `${raw.slice(0, 57)}...` : raw);
    if (nums.length < 3) throw new InstanceFormatError(file, `line ${lineNo}`, `${expectLine}; at least 3 numbers`, raw);
    if (nums[0] !== id) throw new InstanceFormatError(file, `line ${lineNo}`, `${expectLine}; the task id ${id} first`, raw);
    const k = nums[2]!;
    if (nums.length !== 3 + k)
      throw new InstanceFormatError(file, `line ${lineNo}`, `task ${id}'s line with ${k} predecessor ids after "${id} ${nums[1]} ${k}" (the line may be truncated)`, raw);
    const predecessors = nums.slice(3);
    for (const p of predecessors)
      if (p > n + 1 || p === id)
        throw new InstanceFormatError(file, `line ${lineNo}`, `predecessor ids of task ${id} among 0..${n + 1} other than ${id}`, p);
    if (new Set(predecessors).size !== predecessors.length)
      throw new InstanceFormatError(file, `line ${lineNo}`, `distinct predecessor ids of task ${id}`, raw);
    tasks.push({ id, processingTime: nums[1]!, predecessors, line: lineNo });
    at++;
  }
  const comments: string[] = [];
  for (; at < lines.length; at++) {
    const raw = lines[at]!.trim();
    if (raw === '') continue;
    if (!raw.startsWith('#'))
      throw new InstanceFormatError(file, `line ${at + 1}`, `a "#" comment or the end of the file after the ${n + 2} task lines (line 1 announces ${n} tasks)`, raw);
    comments.push(raw.slice(1).trim());
  }
  return { file, taskCount: n, tasks, comments };
}

export function stgOperatorId(taskId: number): string {
  return `t${taskId}`;
}

/** The job graph of an STG graph: one operator per task (dummies kept, 0 work), forward edges of 0 bytes. */
export function stgJobGraph(graph: StgGraph): JobGraphSpec {
  const last = graph.taskCount + 1;
  return {
    operators: graph.tasks.map((t) => ({
      id: stgOperatorId(t.id),
      name: t.id === 0 ? 'entry' : t.id === last ? 'exit' : `task ${t.id}`,
      parallelism: 1,
      workMs: t.processingTime,
    })),
    edges: graph.tasks.flatMap((t) => t.predecessors.map((p) => ({ from: stgOperatorId(p), to: stgOperatorId(t.id), partitioning: 'forward' as const, bytes: 0 }))),
  };
}

/**
 * The key of an STG file in the ground-truth CSVs: its folder and file name, `50/rand0000.stg`,
 * `app/robot.stg`. Also the name of the loaded instance.
 */
export function stgGraphKey(file: string): string {
  return `${basename(dirname(file))}/${basename(file)}`;
}

export function readStg(file: string): StgGraph {
  return parseStg(readTextFile(file), file);
}

/** The DAG placement spec of an STG file on `cluster` (required: STG has none), variant `sequenced` by default. */
export function stgDagPlacementSpec(graph: StgGraph, cluster: DagPlacementSpec['cluster'] | undefined, variant: DagPlacementSpec['variant'] = 'sequenced'): DagPlacementSpec {
  if (!cluster)
    throw new InvalidInstanceError(
      graph.file,
      'cluster',
      'an STG graph describes no processors: give a cluster (e.g. --cluster 4x1 for the STG table\'s 4 identical processors, or the taskManagers option)',
    );
  return { name: stgGraphKey(graph.file), variant, job: stgJobGraph(graph), cluster };
}
