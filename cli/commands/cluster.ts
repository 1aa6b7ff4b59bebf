import type { Command } from 'commander';
import { SlotlabError, OptionError } from '../../models/errors.ts';
import { seededRng } from '../../models/rng.ts';
import type { ClusterReport } from '../../models/cluster/report.ts';
import { parseDurationMs, parseInteger, parseNonNegativeNumber } from '../options.ts';

interface ClusterCliOptions {
  queue: string;
  allocation: string;
  placement: string;
  simulate?: boolean;
  timeScale?: string;
  seed: string;
  timeLimit: string;
  json?: boolean;
}

const ms = (x: number | null) => (x === null ? '-' : x.toFixed(1));

async function printReport(report: ClusterReport, placement: string, timeScale: number): Promise<void> {
  const { default: Table } = await import('cli-table3');
  const color = Boolean(process.stdout.isTTY);
  const style = { head: color ? ['cyan'] : [], border: color ? ['grey'] : [], compact: true };
  const lines: string[] = [];
  lines.push(`workload   ${report.workload} (${report.jobs.length} jobs), ${report.mode}, ${timeScale} ms per model unit`);
  lines.push(`policies   queue ${report.queuePolicy}, allocation ${report.allocationPolicy}, placement ${placement}`);
  const table = new Table({ head: ['job', 'user', 'prio', 'status', 'arrival', 'start', 'end', 'completion', 'slowdown', 'slots held/demand'], style });
  for (const j of report.jobs)
    table.push([j.id, j.user, String(j.priority), j.status, ms(j.arrivalMs), ms(j.startMs), ms(j.endMs), ms(j.completionMs), j.slowdown === null ? '-' : j.slowdown.toFixed(2), `${j.slots}/${j.demandSlots}`]);
  lines.push(table.toString());
  const s = report.summary;
  lines.push(`completion average ${ms(s.averageCompletionMs)} ms, p95 ${ms(s.p95CompletionMs)} ms   makespan ${ms(s.makespanMs)} ms`);
  lines.push(`slot utilisation ${(100 * s.slotUtilization).toFixed(1)} %   fairness (Jain over slowdowns) ${s.fairness.toFixed(3)}   finished ${s.finished}, rejected ${s.rejected}, failed ${s.failed}`);
  for (const j of report.jobs) if (j.reason !== null) lines.push(`${j.status} ${j.id}: ${j.reason}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function registerCluster(program: Command): void {
  program
    .command('cluster')
    .description('run a workload (jobs with arrival times) on a cluster: Dispatcher queue policy, ResourceManager allocation policy, a JobMaster placing each job')
    .argument('<workload>', 'a slotlab/workload@1 file (docs/formats.md)')
    .option('--queue <policy>', 'queue policy: fifo | priority | fair | drf | sjf | packing (docs/cluster.md)', 'fifo')
    .option('--allocation <policy>', 'allocation policy: first-fit | least-utilization | water-filling | milp (docs/cluster.md)', 'first-fit')
    .option('--placement <solver>', 'DAG placement solver each JobMaster runs on its granted slots', 'flink-default')
    .option('--simulate', 'discrete-event simulation with predicted run times (the measured runtime mode comes later)')
    .option('--time-scale <ms>', "cluster-clock ms per model time unit of job work (default: the workload's, else 1)")
    .option('--seed <n>', 'seed for randomised solvers and policies', '1')
    .option('--time-limit <duration>', 'time limit per exact solve (milp allocation, exact placement)', '10s')
    .option('--json', 'print one JSON object: jobs[] and summary')
    .action(async (path: string, opts: ClusterCliOptions) => {
      // Loaded in the action, so that --help stays fast.
      const [{ findQueuePolicy }, { findAllocationPolicy }, { placementPredictor }, { createMilpBackend }, { loadWorkload }, { simulateCluster }] = await Promise.all([
        import('../../solver/cluster/queue/index.ts'),
        import('../../solver/cluster/allocation/index.ts'),
        import('../../solver/cluster/predict.ts'),
        import('../../solver/milp/backends.ts'),
        import('../../datasets/loaders/workload.ts'),
        import('../../models/cluster/simulator.ts'),
      ]);
      // Every input is checked before anything runs.
      const queue = findQueuePolicy(opts.queue);
      const allocation = findAllocationPolicy(opts.allocation);
      const seed = parseInteger(opts.seed, '--seed');
      const timeLimitMs = parseDurationMs(opts.timeLimit);
      const predictor = placementPredictor(opts.placement, { rng: seededRng(seed), timeLimitMs });
      let timeScale: number | undefined;
      if (opts.timeScale !== undefined) {
        timeScale = parseNonNegativeNumber(opts.timeScale, '--time-scale');
        if (!(timeScale > 0)) throw OptionError.flag('--time-scale', opts.timeScale, 'should be a number > 0 (ms per model unit)');
      }
      const loaded = loadWorkload(path);
      const workload = timeScale === undefined ? loaded : { ...loaded, timeScaleMsPerUnit: timeScale };
      if (!opts.simulate)
        throw new SlotlabError('measured mode is not available yet (the cluster runtime with worker TaskManagers comes later); run with --simulate for the discrete-event simulation');
      const backend = allocation.name === 'milp' ? createMilpBackend() : undefined;
      try {
        const report = await simulateCluster(workload, {
          queuePolicy: queue.policy,
          queuePolicyName: queue.name,
          allocationPolicy: allocation.policy,
          allocationPolicyName: allocation.name,
          predictDuration: predictor,
          rng: seededRng(seed),
          allocationTimeLimitMs: timeLimitMs,
          ...(backend ? { allocationParams: { backend } } : {}),
        });
        if (opts.json) {
          const jobs = report.jobs.map((j) => ({
            id: j.id,
            name: j.name,
            user: j.user,
            priority: j.priority,
            status: j.status,
            arrivalMs: j.arrivalMs,
            startMs: j.startMs,
            endMs: j.endMs,
            completionMs: j.completionMs,
            slowdown: j.slowdown,
            slots: j.slots,
            demandSlots: j.demandSlots,
            grants: j.grants,
            reason: j.reason,
          }));
          const { workload: name, mode, queuePolicy, allocationPolicy, summary } = report;
          process.stdout.write(`${JSON.stringify({ workload: name, mode, queuePolicy, allocationPolicy, placement: opts.placement, timeScaleMsPerUnit: workload.timeScaleMsPerUnit, jobs, summary })}\n`);
        } else await printReport(report, opts.placement, workload.timeScaleMsPerUnit);
      } finally {
        backend?.dispose();
      }
    });
}
