import { dirname, relative } from 'node:path';
import { z } from 'zod';
import type { Rng } from '../../models/rng.ts';
import { InstanceFormatError } from '../../models/errors.ts';
import { parseClusterShorthand } from '../../models/graphs/cluster.ts';
import type { JobGraphSpec } from '../../models/graphs/job-graph.ts';
import { CATALOG, datasetFiles } from '../catalog.ts';
import { loadInstance } from '../loaders/index.ts';
import { int, parseWithSchema, positive } from '../loaders/schema.ts';
import { WORKLOAD_FORMAT, type WorkloadDocument } from '../loaders/workload.ts';
import { flinkPipeline } from './flink-pipeline.ts';
import { flinkJoin } from './flink-join.ts';
import { intRange, sampleInt } from './sampling.ts';

/**
 * A seeded workload (`slotlab/workload@1`): `jobs` jobs drawn from a mix of bundled STG random graphs (50 tasks,
 * batch, `sequenced`), WfCommons workflow traces (batch, `sequenced`; their runtimes, recorded in seconds, × 
 * `wfcommonsWorkScale`) and generated Flink topologies (`flink-pipeline` or `flink-join`, streaming, `shared`,
 * inline), with weights `mix`; Poisson arrivals at offered load ρ = `load`.
 *
 * ρ = λ · E[W] / C: λ is the arrival rate (jobs per ms), W a job's work (Σ of its subtasks' work at speed 1 ×
 * workScale × timeScaleMsPerUnit, in slot-ms) averaged over the jobs drawn, C the cluster's slots. ρ is the share
 * of slot time the work would fill if it were packed without gaps; a DAG's precedence and rigid demands leave gaps,
 * so queues grow before ρ = 1. Interarrival gaps are exponential with mean 1/λ; the first job arrives at 0.
 * Job files are named relative to `outputFile`'s folder (where the workload will be written).
 */
export const workloadGeneratorParams = z.strictObject({
  name: z.string({ error: 'a non-empty string' }).min(1, { error: 'a non-empty string' }).optional(),
  jobs: int(1).default(12),
  load: positive().default(0.7),
  cluster: z.string({ error: 'a cluster shorthand such as "4x4"' }).default('4x4'),
  maxTaskManagers: int(1).optional(),
  mix: z
    .strictObject({ stg: z.number().min(0).default(1), wfcommons: z.number().min(0).default(1), flink: z.number().min(0).default(1) })
    .default({ stg: 1, wfcommons: 1, flink: 1 }),
  users: int(1).default(3),
  priorities: intRange(0).default([0, 2]),
  timeScaleMsPerUnit: positive().default(1),
  timerScale: positive().default(0.001),
  wfcommonsWorkScale: positive().default(0.001),
});
export type WorkloadGeneratorParams = z.input<typeof workloadGeneratorParams>;

type Kind = 'stg' | 'wfcommons' | 'flink';

function jobGraphWork(spec: JobGraphSpec): number {
  return spec.operators.reduce((t, op) => t + (op.subtaskWorkMs ? op.subtaskWorkMs.reduce((a, b) => a + b, 0) : (op.workMs ?? 0) * op.parallelism), 0);
}

export function generateWorkload(rng: Rng, params: WorkloadGeneratorParams, outputFile: string, source = 'workload generator'): WorkloadDocument {
  const p = parseWithSchema(workloadGeneratorParams, params, source, ['params']);
  const cluster = parseClusterShorthand(p.cluster, `${source}: $.params.cluster`);
  const slots = cluster.taskManagers.reduce((t, tm) => t + tm.slotCount, 0);
  const pools: Record<Exclude<Kind, 'flink'>, string[]> = {
    stg: datasetFiles(CATALOG.find((e) => e.name === 'stg-random-50')!),
    wfcommons: datasetFiles(CATALOG.find((e) => e.name === 'wfinstances')!),
  };
  const kinds: Kind[] = (['stg', 'wfcommons', 'flink'] as const).filter((k) => p.mix[k] > 0);
  const totalWeight = kinds.reduce((t, k) => t + p.mix[k], 0);
  if (kinds.length === 0) throw new InstanceFormatError(source, '$.params.mix', 'weights with at least one > 0', p.mix);
  const workOf = new Map<string, number>();
  const fileWork = (file: string): number => {
    let w = workOf.get(file);
    if (w === undefined) {
      const instance = loadInstance(file, { taskManagers: 1, checkFeasibility: false });
      w = instance.kind === 'dag-placement' ? instance.subtasks.reduce((t, s) => t + s.workMs, 0) : 0;
      workOf.set(file, w);
    }
    return w;
  };
  const base = dirname(outputFile);
  const drawn = Array.from({ length: p.jobs }, (_, i) => {
    let u = rng.next() * totalWeight;
    const kind = kinds.find((k) => (u -= p.mix[k]) < 0) ?? kinds[kinds.length - 1]!;
    const id = `job${String(i + 1).padStart(2, '0')}`;
    const common = { id, priority: sampleInt(rng, p.priorities), user: `user${rng.int(1, p.users)}` };
    if (kind === 'flink') {
      const join = rng.next() < 0.5;
      const job = join ? flinkJoin(rng, {}, source) : flinkPipeline(rng, {}, source);
      return { entry: { ...common, name: join ? 'flink-join' : 'flink-pipeline', job, variant: 'shared' as const }, workMs: jobGraphWork(job) };
    }
    const pool = pools[kind];
    const file = pool[rng.int(0, pool.length - 1)]!;
    const workScale = kind === 'wfcommons' ? p.wfcommonsWorkScale : 1;
    const entry = { ...common, name: relative(dirname(file), file), file: relative(base, file), ...(workScale === 1 ? {} : { workScale }) };
    return { entry, workMs: fileWork(file) * workScale };
  });
  const meanWorkMs = (drawn.reduce((t, d) => t + d.workMs, 0) / drawn.length) * p.timeScaleMsPerUnit;
  const ratePerMs = (p.load * slots) / Math.max(meanWorkMs, Number.MIN_VALUE);
  let t = 0;
  const jobs = drawn.map((d, i) => {
    if (i > 0) t += -Math.log(1 - rng.next()) / ratePerMs;
    return { ...d.entry, arrivalMs: Math.round(t * 1000) / 1000 };
  });
  return {
    format: WORKLOAD_FORMAT,
    name: p.name ?? `workload-rho${p.load}-seed${rng.seed}`,
    description: `generated by slotlab (datasets/generators/workload.ts): ${p.jobs} jobs, mix stg ${p.mix.stg} / wfcommons ${p.mix.wfcommons} / flink ${p.mix.flink}, Poisson arrivals at load ${p.load} on ${p.cluster}, seed ${rng.seed}`,
    timeScaleMsPerUnit: p.timeScaleMsPerUnit,
    timerScale: p.timerScale,
    cluster,
    ...(p.maxTaskManagers === undefined ? {} : { elastic: { maxTaskManagers: p.maxTaskManagers, taskManager: { slotCount: cluster.taskManagers[0]!.slotCount } } }),
    jobs,
  };
}
