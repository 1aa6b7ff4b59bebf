import { seededRng } from '../../models/rng.ts';
import { simulateCluster } from '../../models/cluster/simulator.ts';
import type { ClusterReport } from '../../models/cluster/report.ts';
import type { Workload } from '../../models/cluster/workload.ts';
import { findQueuePolicy } from '../../solver/cluster/queue/index.ts';
import { findAllocationPolicy } from '../../solver/cluster/allocation/index.ts';
import { jobPlacer, placementPredictor } from '../../solver/cluster/predict.ts';
import { createMilpBackend } from '../../solver/milp/backends.ts';
import { runCluster } from '../../runtime/cluster/index.ts';
import type { ResultRow } from './columns.ts';
import { normalizeRow } from './csv.ts';
import type { RunSpec, WorkloadRun } from './plan.ts';
import { loadRunWorkload } from './instances.ts';

/**
 * A workload row: the workload (a `slotlab/workload@1` file, or the workload generator with its params and seed) run
 * under one queue policy and one allocation policy, with the suite's placement solver in every JobMaster, on the
 * discrete-event simulator (`simulateCluster`) and, when the suite asks (`execute`), on the cluster runtime
 * (`runCluster`, TaskManager worker threads) at the workload's own time scale. The row's `objective` and
 * `predicted_completion` are the simulator's average job completion time (ms), so the references and gaps compare
 * the policies on one workload; `measured_completion` is the runtime's.
 */

function ms(value: number): number {
  return Math.round(value * 1000) / 1000;
}

export async function runWorkload(spec: RunSpec, run: WorkloadRun, base: ResultRow, t0: number): Promise<ResultRow> {
  const row = { ...base, model: 'cluster', queue_policy: run.queue, allocation_policy: run.allocation };
  let workload: Workload;
  try {
    workload = loadRunWorkload(spec.instance);
  } catch (error) {
    return normalizeRow({ ...row, note: `could not load the workload: ${error instanceof Error ? error.message : String(error)}`, run_ms: ms(performance.now() - t0) });
  }
  const slots = workload.cluster.taskManagers.reduce((t, tm) => t + tm.slotCount, 0);
  const sized = { ...row, task_managers: workload.cluster.taskManagers.length, slots, subtasks: workload.jobs.length };
  const queue = findQueuePolicy(run.queue);
  const allocation = findAllocationPolicy(run.allocation);
  const backend = allocation.name === 'milp' ? createMilpBackend() : undefined;
  const policies = {
    queuePolicy: queue.policy,
    queuePolicyName: queue.name,
    allocationPolicy: allocation.policy,
    allocationPolicyName: allocation.name,
    ...(backend ? { allocationParams: { backend } } : {}),
  };
  const notes: string[] = [`${workload.jobs.length} jobs on ${slots} slots`];
  try {
    const s0 = performance.now();
    const predicted: ClusterReport = await simulateCluster(workload, { ...policies, predictDuration: placementPredictor(spec.solver.name, { rng: seededRng(spec.seed) }), rng: seededRng(spec.seed) });
    const solveMs = performance.now() - s0;
    const counts = (r: ClusterReport) => ['finished', 'rejected', 'failed'].map((s) => `${r.jobs.filter((j) => j.status === s).length} ${s}`).join(', ');
    notes.push(`simulated: ${counts(predicted)}`);
    let measured: ClusterReport | null = null;
    if (spec.execute) {
      if (predicted.summary.makespanMs > spec.execute.maxWallMs)
        notes.push(`runtime: not executed, the predicted makespan ${Math.round(predicted.summary.makespanMs)} ms is more than the suite's maxWallMs ${spec.execute.maxWallMs}`);
      else
        try {
          measured = await runCluster(workload, {
            ...policies,
            placeJob: jobPlacer(spec.solver.name, { rng: seededRng(spec.seed) }),
            rng: seededRng(spec.seed),
            isolatedMs: new Map(predicted.jobs.filter((j) => j.isolatedMs !== null).map((j) => [j.id, j.isolatedMs!])),
          });
          notes.push(`runtime: ${counts(measured)}, makespan ${Math.round(measured.summary.makespanMs)} ms, slot utilisation ${measured.summary.slotUtilization.toFixed(3)}, fairness ${measured.summary.fairness.toFixed(3)}`);
        } catch (error) {
          notes.push(`runtime: the run failed: ${error instanceof Error ? error.message : String(error)}`);
        }
    }
    const p = predicted.summary;
    return normalizeRow({
      ...sized,
      status: 'feasible',
      // Every grant of the simulation passed the slot-allocation validator (models/cluster/resource-manager.ts).
      valid: true,
      violations: 0,
      objective: p.averageCompletionMs,
      predicted_completion: p.averageCompletionMs,
      measured_completion: measured?.summary.averageCompletionMs ?? null,
      avg_completion_predicted: p.averageCompletionMs,
      avg_completion_measured: measured?.summary.averageCompletionMs ?? null,
      p95_completion_predicted: p.p95CompletionMs,
      p95_completion_measured: measured?.summary.p95CompletionMs ?? null,
      makespan: p.makespanMs,
      slot_utilization: p.slotUtilization,
      fairness: p.fairness,
      solve_ms: ms(solveMs),
      run_ms: ms(performance.now() - t0),
      note: notes.join('; '),
    });
  } catch (error) {
    return normalizeRow({ ...sized, note: `${notes.join('; ')}; the simulation failed: ${error instanceof Error ? error.message : String(error)}`, run_ms: ms(performance.now() - t0) });
  } finally {
    backend?.dispose();
  }
}
