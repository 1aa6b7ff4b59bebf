import { basename, extname } from 'node:path';
import { z } from 'zod';
import { CyclicGraphError, InstanceFormatError, InvalidInstanceError } from '../../models/errors.ts';
import type { ClusterSpec, TaskManagerSpec } from '../../models/graphs/cluster.ts';
import type { JobEdgeSpec, JobGraphSpec, OperatorSpec } from '../../models/graphs/job-graph.ts';
import type { DagPlacementSpec, PlacementVariant } from '../../models/dag-placement/instance.ts';
import { list, nonEmptyString, nonNegative, parseWithSchema, positive, text } from './schema.ts';

/**
 * WfCommons WfFormat 1.5 (https://github.com/wfcommons/wfformat), the format of the WfInstances traces.
 *
 * Mapping (see docs/formats.md):
 * - each specification task becomes an operator with parallelism 1 (same id, its `name`, `kind` `synthetic`
 *   so that the runtime replays its measured work, `params.program` = the program (`command.program`, else
 *   the id before `_ID`));
 * - its work is the measured `runtimeInSeconds` of its execution record × 1000, in ms at speed 1;
 *   `memoryInBytes` of the execution record, when present, becomes the operator's memory;
 * - an edge parent → child for every parent link (and every child link: the union, duplicates once), with
 *   `bytes` = Σ `sizeInBytes` of the files the parent writes (`outputFiles`) and the child reads
 *   (`inputFiles`); partitioning `forward` (1 → 1);
 * - the cluster, unless given: one TaskManager per `execution.machines` entry (`nodeName`), with one slot per
 *   CPU core (`cpu.coreCount`), its memory, speed 1, and no network description (transfers are free: give a
 *   cluster with a `defaultLink` to make them cost);
 * - variant `sequenced` (a core runs one task at a time) unless given.
 * A parent, child or file that names nothing is an error naming the task; a cycle is reported with the tasks
 * on it.
 */
const fileRef = nonEmptyString();

export const wfFormatSchema = z.looseObject({
  name: text(),
  schemaVersion: z.literal('1.5', { error: '"1.5" (slotlab reads WfFormat 1.5)' }),
  workflow: z.looseObject(
    {
      specification: z.looseObject(
        {
          tasks: list(
            z.looseObject(
              {
                id: nonEmptyString(),
                name: text().optional(),
                parents: list(nonEmptyString(), 'task ids'),
                children: list(nonEmptyString(), 'task ids').optional(),
                inputFiles: list(fileRef, 'file ids').optional(),
                outputFiles: list(fileRef, 'file ids').optional(),
              },
              { error: 'a task { id, name, parents, children, inputFiles, outputFiles } (a JSON object)' },
            ),
            'tasks',
          ),
          files: list(z.looseObject({ id: nonEmptyString(), sizeInBytes: nonNegative() }, { error: 'a file { id, sizeInBytes }' }), 'files').optional(),
        },
        { error: 'the workflow specification { tasks, files } (a JSON object)' },
      ),
      execution: z.looseObject(
        {
          makespanInSeconds: nonNegative().optional(),
          tasks: list(
            z.looseObject(
              {
                id: nonEmptyString(),
                runtimeInSeconds: nonNegative(),
                memoryInBytes: nonNegative().optional(),
                command: z.looseObject({ program: text().optional() }).optional(),
              },
              { error: 'an execution record { id, runtimeInSeconds, ... } (a JSON object)' },
            ),
            'execution records',
          ),
          machines: list(
            z.looseObject({
              nodeName: nonEmptyString(),
              memoryInBytes: nonNegative().optional(),
              cpu: z.looseObject({ coreCount: positive().optional(), speedInMHz: nonNegative().optional() }).optional(),
            }),
            'machines',
          ).optional(),
        },
        { error: 'the workflow execution { makespanInSeconds, tasks, machines } (a JSON object)' },
      ),
    },
    { error: 'the workflow { specification, execution } (a JSON object)' },
  ),
});
export type WfFormatDocument = z.output<typeof wfFormatSchema>;

export function looksLikeWfFormat(data: unknown): boolean {
  return typeof data === 'object' && data !== null && 'workflow' in data && 'schemaVersion' in data;
}

export interface WfWorkflow {
  readonly file: string;
  /** The file name without `.json` (workflow names such as `montage-0` repeat across traces). */
  readonly name: string;
  /** The document's own `name`. */
  readonly workflowName: string;
  readonly job: JobGraphSpec;
  /** From `execution.machines`, when it lists machines with core counts. */
  readonly cluster: ClusterSpec | undefined;
  /** The observed makespan of the real run (not an optimum), in ms. */
  readonly observedMakespanMs: number | undefined;
}

function taskKind(task: { id: string }, program: string | undefined): string {
  if (program) return program;
  const i = task.id.indexOf('_ID');
  return i > 0 ? task.id.slice(0, i) : task.id;
}

/** Checks a parsed WfFormat document and turns it into a job graph (and the recorded machines). */
export function parseWfFormat(data: unknown, file: string): WfWorkflow {
  const doc = parseWithSchema(wfFormatSchema, data, file);
  const spec = doc.workflow.specification;
  const exec = doc.workflow.execution;
  const specAt = '$.workflow.specification';

  const fileSize = new Map<string, number>();
  (spec.files ?? []).forEach((f, i) => {
    if (fileSize.has(f.id)) throw new InstanceFormatError(file, `${specAt}.files[${i}].id`, 'a file id not used before', f.id);
    fileSize.set(f.id, f.sizeInBytes);
  });
  const taskIndex = new Map<string, number>();
  spec.tasks.forEach((t, i) => {
    if (taskIndex.has(t.id)) throw new InstanceFormatError(file, `${specAt}.tasks[${i}].id`, 'a task id not used before', t.id);
    taskIndex.set(t.id, i);
  });
  const records = new Map<string, (typeof exec.tasks)[number]>();
  exec.tasks.forEach((r, i) => {
    if (records.has(r.id)) throw new InstanceFormatError(file, `$.workflow.execution.tasks[${i}].id`, 'one execution record per task', r.id);
    if (!taskIndex.has(r.id)) throw new InstanceFormatError(file, `$.workflow.execution.tasks[${i}].id`, `the id of a task in ${specAt}.tasks`, r.id);
    records.set(r.id, r);
  });

  const checkFiles = (i: number, field: 'inputFiles' | 'outputFiles') =>
    (spec.tasks[i]![field] ?? []).forEach((f, j) => {
      if (!fileSize.has(f))
        throw new InstanceFormatError(file, `${specAt}.tasks[${i}].${field}[${j}]`, `the id of a file in ${specAt}.files (task "${spec.tasks[i]!.id}" names a file that is not listed)`, f);
    });

  const operators: OperatorSpec[] = spec.tasks.map((t, i) => {
    checkFiles(i, 'inputFiles');
    checkFiles(i, 'outputFiles');
    const record = records.get(t.id);
    if (!record)
      throw new InstanceFormatError(file, '$.workflow.execution.tasks', `an execution record (with runtimeInSeconds) for every task, but task "${t.id}" has none`);
    return {
      id: t.id,
      name: t.name ?? t.id,
      parallelism: 1,
      workMs: record.runtimeInSeconds * 1000,
      ...(record.memoryInBytes === undefined ? {} : { memoryBytes: record.memoryInBytes }),
      // the trace records what ran, not what the runtime should run: replay its measured work
      kind: 'synthetic',
      params: { program: taskKind(t, record.command?.program) },
    };
  });

  const edgeKeys = new Set<string>();
  const edges: JobEdgeSpec[] = [];
  const addEdge = (from: number, to: number) => {
    const k = `${from}>${to}`;
    if (edgeKeys.has(k)) return;
    edgeKeys.add(k);
    const produced = new Set(spec.tasks[from]!.outputFiles ?? []);
    let bytes = 0;
    for (const f of new Set(spec.tasks[to]!.inputFiles ?? [])) if (produced.has(f)) bytes += fileSize.get(f)!;
    edges.push({ from: spec.tasks[from]!.id, to: spec.tasks[to]!.id, partitioning: 'forward', bytes });
  };
  spec.tasks.forEach((t, i) => {
    const link = (field: 'parents' | 'children') =>
      (t[field] ?? []).forEach((other, j) => {
        const k = taskIndex.get(other);
        if (k === undefined)
          throw new InstanceFormatError(file, `${specAt}.tasks[${i}].${field}[${j}]`, `the id of a task in ${specAt}.tasks (task "${t.id}" names a ${field === 'parents' ? 'parent' : 'child'} that does not exist)`, other);
        if (k === i) throw new CyclicGraphError(file, [t.id]);
        if (field === 'parents') addEdge(k, i);
        else addEdge(i, k);
      });
    link('parents');
    link('children');
  });

  let cluster: ClusterSpec | undefined;
  const machines = exec.machines ?? [];
  if (machines.length > 0 && machines.every((m) => m.cpu?.coreCount !== undefined)) {
    const ids = new Set<string>();
    const taskManagers: TaskManagerSpec[] = [];
    for (const m of machines) {
      if (ids.has(m.nodeName)) continue;
      ids.add(m.nodeName);
      taskManagers.push({
        id: m.nodeName,
        slotCount: Math.max(1, Math.floor(m.cpu!.coreCount!)),
        ...(m.memoryInBytes ? { memoryBytes: m.memoryInBytes } : {}),
      });
    }
    cluster = { taskManagers };
  }
  return {
    file,
    name: basename(file, extname(file)),
    workflowName: doc.name,
    job: { operators, edges },
    cluster,
    observedMakespanMs: exec.makespanInSeconds === undefined ? undefined : exec.makespanInSeconds * 1000,
  };
}

/** The DAG placement spec of a workflow: the given cluster, else the recorded machines; `sequenced` by default. */
export function wfDagPlacementSpec(workflow: WfWorkflow, cluster: ClusterSpec | undefined, variant: PlacementVariant = 'sequenced'): DagPlacementSpec {
  const chosen = cluster ?? workflow.cluster;
  if (!chosen)
    throw new InvalidInstanceError(workflow.file, '$.workflow.execution.machines', 'lists no machines with cpu.coreCount: give a cluster (e.g. --cluster 4x8)');
  return { name: workflow.name, variant, job: workflow.job, cluster: chosen };
}
