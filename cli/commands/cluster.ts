import type { Command } from 'commander';
import { InvalidInstanceError, OptionError } from '../../models/errors.ts';
import { seededRng } from '../../models/rng.ts';
import type { ClusterJobResult, ClusterReport, ClusterSummary } from '../../models/cluster/report.ts';
import { parseDurationMs, parseInteger, parseNonNegativeNumber, parseTimeScale } from '../options.ts';
import type { RunReport } from '../../runtime/report.ts';
import { INJECT_HELP, parseRecoveryFlags, recoveryJson, recoveryLines, RESTART_STRATEGY_HELP, type RecoveryCliOptions } from '../recovery-flags.ts';

interface ClusterCliOptions extends RecoveryCliOptions {
  queue: string;
  allocation: string;
  placement: string;
  simulate?: boolean;
  timeScale?: string;
  seed: string;
  timeLimit: string;
  json?: boolean;
  heartbeatInterval: string;
  heartbeatTimeout: string;
  metricsPort?: string;
  autoscale: string;
  autoscaleWindow: string;
}

const ms = (x: number | null) => (x === null ? '-' : x.toFixed(1));

/** One job's figures in --json (measured or predicted). */
function jobJson(j: ClusterJobResult) {
  return {
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
  };
}

/** The --json object; measured runs carry the simulator's figures under `predicted`, per job and in the summary. */
function reportJson(report: ClusterReport, placement: string, timeScaleMsPerUnit: number, predicted?: ClusterReport, runs?: ReadonlyMap<string, RunReport>): string {
  const scaling = report.scaling === undefined ? {} : { scaling: report.scaling };
  const byId = new Map(predicted?.jobs.map((j) => [j.id, j]));
  const jobs = report.jobs.map((j) => {
    const p = byId.get(j.id);
    const { id: _id, name: _name, user: _user, priority: _priority, arrivalMs: _arrival, demandSlots: _demand, ...predictedFigures } = p ? jobJson(p) : ({} as ReturnType<typeof jobJson>);
    const run = runs?.get(j.id);
    const figures = { ...jobJson(j), ...(run ? recoveryJson(run) : {}) };
    return predicted ? { ...figures, predicted: predictedFigures } : figures;
  });
  const { workload, mode, queuePolicy, allocationPolicy, summary } = report;
  return JSON.stringify({
    workload,
    mode,
    queuePolicy,
    allocationPolicy,
    placement,
    timeScaleMsPerUnit,
    jobs,
    summary: predicted ? { ...summary, predicted: predicted.summary } : summary,
    ...scaling,
  });
}

async function printReport(report: ClusterReport, placement: string, timeScale: number, predicted?: ClusterReport, runs?: ReadonlyMap<string, RunReport>): Promise<void> {
  const { default: Table } = await import('cli-table3');
  const color = Boolean(process.stdout.isTTY);
  const style = { head: color ? ['cyan'] : [], border: color ? ['grey'] : [], compact: true };
  const lines: string[] = [];
  lines.push(`workload   ${report.workload} (${report.jobs.length} jobs), ${report.mode}${predicted ? ' (predicted: the simulator)' : ''}, ${timeScale} ms per model unit`);
  lines.push(`policies   queue ${report.queuePolicy}, allocation ${report.allocationPolicy}, placement ${placement}`);
  const byId = new Map(predicted?.jobs.map((j) => [j.id, j]));
  const head = ['job', 'user', 'prio', 'status', 'arrival', 'start', 'end', 'completion', ...(predicted ? ['predicted', 'predicted status'] : []), 'slowdown', 'slots held/demand'];
  const table = new Table({ head, style });
  for (const j of report.jobs) {
    const p = byId.get(j.id);
    table.push([
      j.id,
      j.user,
      String(j.priority),
      j.status,
      ms(j.arrivalMs),
      ms(j.startMs),
      ms(j.endMs),
      ms(j.completionMs),
      ...(predicted ? [ms(p?.completionMs ?? null), p?.status ?? '-'] : []),
      j.slowdown === null ? '-' : j.slowdown.toFixed(2),
      `${j.slots}/${j.demandSlots}`,
    ]);
  }
  lines.push(table.toString());
  const summaryLines = (s: ClusterSummary, label: string) => [
    `${label}completion average ${ms(s.averageCompletionMs)} ms, p95 ${ms(s.p95CompletionMs)} ms   makespan ${ms(s.makespanMs)} ms`,
    `${label}slot utilisation ${(100 * s.slotUtilization).toFixed(1)} %   fairness (Jain over slowdowns) ${s.fairness.toFixed(3)}   finished ${s.finished}, rejected ${s.rejected}, failed ${s.failed}`,
  ];
  if (predicted) lines.push(...summaryLines(report.summary, 'measured   '), ...summaryLines(predicted.summary, 'predicted  '));
  else lines.push(...summaryLines(report.summary, ''));
  for (const j of report.jobs) if (j.reason !== null) lines.push(`${j.status} ${j.id}: ${j.reason}`);
  // what each job committed, and its failures and restarts (with checkpoints or faults: --checkpoint-interval, --inject)
  for (const [id, run] of runs ?? [])
    if (run.failures.length > 0 || run.checkpoints.intervalMs !== null)
      lines.push(`job ${id}: failures ${run.failures.length}, restarts ${run.restarts.length}, recovery ${run.recoveryMs.toFixed(1)} ms`, ...recoveryLines(run, false).map((l) => `  ${l}`));
  lines.push(...scalingLines(report));
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** `--autoscale`: per job, each decision (window, time, parallelism before -> after, reason, slots, TaskManagers) and the committed output. */
function scalingLines(report: ClusterReport): string[] {
  const p = (x: Readonly<Record<string, number>>) => Object.values(x).join('/');
  const out: string[] = [];
  for (const s of report.scaling ?? []) {
    for (const d of s.decisions)
      out.push(
        `autoscale ${s.job} (${s.policy}) window ${d.window} at ${ms(d.atMs)} ms: ${p(d.from)} -> ${p(d.to)} (${Object.keys(d.from).join('/')}), ${d.reason}; slots ${d.slotsBefore} -> ${d.slotsAfter}; TaskManagers started ${d.taskManagersStarted.join(' ') || '-'}, released ${d.taskManagersReleased.join(' ') || '-'}`,
      );
    out.push(`autoscale ${s.job}: ${s.segments} segments (stop-with-checkpoint, restore); committed ${s.committed.map((c) => `${c.operatorId} ${c.records} records, value sum ${c.valueSum}`).join('; ')}`);
  }
  return out;
}

export function registerCluster(program: Command): void {
  program
    .command('cluster')
    .description('run a workload (jobs with arrival times) on a cluster: Dispatcher queue policy, ResourceManager allocation policy, a JobMaster placing each job')
    .argument('<workload>', 'a slotlab/workload@1 file (docs/formats.md)')
    .option('--queue <policy>', 'queue policy: fifo | priority | fair | drf | sjf | packing (docs/cluster.md)', 'fifo')
    .option('--allocation <policy>', 'allocation policy: first-fit | least-utilization | water-filling | milp (docs/cluster.md)', 'first-fit')
    .option('--placement <solver>', 'DAG placement solver each JobMaster runs on its granted slots', 'flink-default')
    .option('--simulate', 'discrete-event simulation with predicted run times only; without it the workload runs on the cluster runtime (worker threads) and the report shows measured beside predicted')
    .option('--time-scale <ms>', "cluster-clock ms per model time unit of job work (default: the workload's, else 1)")
    .option('--seed <n>', 'seed for randomised solvers and policies', '1')
    .option('--time-limit <duration>', 'time limit per exact solve (milp allocation, exact placement)', '10s')
    .option('--heartbeat-interval <duration>', 'runtime: heartbeat.interval of the TaskManager workers (Flink 10s, scaled)', '100ms')
    .option('--heartbeat-timeout <duration>', 'runtime: heartbeat.timeout, after which a silent TaskManager is lost (Flink 50s, scaled)', '500ms')
    .option('--metrics-port <port>', 'runtime: serve numRegisteredTaskManagers, taskSlotsTotal, taskSlotsAvailable, numRunningJobs as Prometheus text at http://127.0.0.1:<port>/metrics')
    .option('--mode <mode>', 'runtime: how jobs execute, blocking | pipelined', 'blocking')
    .option('--restart-strategy <spec>', `runtime: every job's restart strategy when it loses a TaskManager or a subtask fails: ${RESTART_STRATEGY_HELP}`)
    .option('--checkpoint-interval <ms>', 'runtime: aligned-barrier checkpoints every this many ms (--mode pipelined) for the jobs whose operators all take part')
    .option('--failover <strategy>', "runtime: full | region (the pipelined regions of the failed subtasks, Flink's default)", 'region')
    .option('--inject <spec>', `runtime: ${INJECT_HELP}`)
    .option('--json', 'print one JSON object: jobs[] and summary (measured runs: the simulator\'s figures under predicted; per job failures, restarts, recoveryMs, checkpoints, sinks; with --autoscale, scaling)')
    .option('--autoscale <policy>', 'runtime: a scaling loop per job: ds2 | threshold | none (docs/scaling.md); jobs run pipelined with checkpoints, their generators\' ratePerSecond is the rate to sustain', 'none')
    .option('--autoscale-window <duration>', 'runtime, --autoscale: a job stops with a checkpoint once its sources emitted their rate x this, and the policy decides', '2s')
    .action(async (path: string, opts: ClusterCliOptions) => {
      // Loaded in the action, so that --help stays fast.
      const [{ findQueuePolicy }, { findAllocationPolicy }, { placementPredictor, jobPlacer }, { createMilpBackend }, { loadWorkload }, { simulateCluster }] = await Promise.all([
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
      const timeScale = opts.timeScale === undefined ? undefined : parseTimeScale(opts.timeScale);
      const heartbeatIntervalMs = parseDurationMs(opts.heartbeatInterval, '--heartbeat-interval');
      const heartbeatTimeoutMs = parseDurationMs(opts.heartbeatTimeout, '--heartbeat-timeout');
      if (!(heartbeatIntervalMs > 0)) throw OptionError.flag('--heartbeat-interval', opts.heartbeatInterval, 'should be a duration > 0');
      if (!(heartbeatTimeoutMs > heartbeatIntervalMs)) throw OptionError.flag('--heartbeat-timeout', opts.heartbeatTimeout, `should be longer than --heartbeat-interval (${heartbeatIntervalMs} ms)`);
      let metricsPort: number | undefined;
      if (opts.metricsPort !== undefined) {
        metricsPort = parseInteger(opts.metricsPort, '--metrics-port');
        if (metricsPort < 1 || metricsPort > 65535) throw OptionError.flag('--metrics-port', opts.metricsPort, 'should be a port number from 1 to 65535');
      }
      if (opts.mode !== 'blocking' && opts.mode !== 'pipelined') throw OptionError.flag('--mode', opts.mode, 'should be blocking or pipelined');
      const recoveryFlags = await parseRecoveryFlags(opts);
      let autoscale: import('../../runtime/cluster/autoscaler.ts').ClusterAutoscaleOptions | undefined;
      if (opts.autoscale !== 'none') {
        const { SCALING_POLICIES } = await import('../../models/scaling/index.ts');
        const policy = SCALING_POLICIES[opts.autoscale];
        if (!policy) throw OptionError.flag('--autoscale', opts.autoscale, `should be one of ${[...Object.keys(SCALING_POLICIES), 'none'].join(', ')}`);
        if (opts.simulate) throw OptionError.flag('--autoscale', opts.autoscale, 'runs on the cluster runtime; leave out --simulate');
        const windowMs = parseDurationMs(opts.autoscaleWindow, '--autoscale-window');
        if (!(windowMs > 0)) throw OptionError.flag('--autoscale-window', opts.autoscaleWindow, 'should be a duration > 0');
        for (const [flag, value] of [['--inject', opts.inject], ['--restart-strategy', opts.restartStrategy], ['--checkpoint-interval', opts.checkpointInterval]] as const)
          if (value !== undefined) throw OptionError.flag('--autoscale', opts.autoscale, `cannot be combined with ${flag} yet: an autoscaled job checkpoints at its windows and has no failover (docs/scaling.md)`);
        autoscale = { policy, policyName: opts.autoscale, windowMs };
      }
      const loaded = loadWorkload(path);
      const workload = timeScale === undefined ? loaded : { ...loaded, timeScaleMsPerUnit: timeScale };
      if (autoscale !== undefined) {
        const { sourceRates } = await import('../../runtime/cluster/autoscaler.ts');
        for (const job of workload.jobs) {
          const rates = sourceRates(job);
          if ('failure' in rates) throw new InvalidInstanceError(path, `jobs[${job.id}]`, `--autoscale sizes for the sources' rate: ${rates.failure}`);
        }
      }
      const backend = allocation.name === 'milp' ? createMilpBackend() : undefined;
      try {
        const policies = {
          queuePolicy: queue.policy,
          queuePolicyName: queue.name,
          allocationPolicy: allocation.policy,
          allocationPolicyName: allocation.name,
          allocationTimeLimitMs: timeLimitMs,
          ...(backend ? { allocationParams: { backend } } : {}),
        };
        const predicted = await simulateCluster(workload, { ...policies, predictDuration: predictor, rng: seededRng(seed) });
        if (opts.simulate) {
          if (opts.json) process.stdout.write(`${reportJson(predicted, opts.placement, workload.timeScaleMsPerUnit)}\n`);
          else await printReport(predicted, opts.placement, workload.timeScaleMsPerUnit);
          return;
        }
        const [{ ClusterRuntime, ClusterInterruptedError }, { replaceLostTaskManagers }] = await Promise.all([
          import('../../runtime/cluster/index.ts'),
          import('../../solver/recovery/replace-lost-task-managers.ts'),
        ]);
        // Ctrl-C (SIGINT) or SIGTERM: every job and worker is stopped, then the command exits 130 / 143.
        const controller = new AbortController();
        const onSignal = (signal: NodeJS.Signals) => controller.abort(signal);
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        try {
          const runtime = new ClusterRuntime(workload, {
            ...policies,
            placeJob: jobPlacer(opts.placement, { rng: seededRng(seed), timeLimitMs }),
            rng: seededRng(seed),
            heartbeatIntervalMs,
            heartbeatTimeoutMs,
            isolatedMs: new Map(predicted.jobs.filter((j) => j.isolatedMs !== null).map((j) => [j.id, j.isolatedMs!])),
            signal: controller.signal,
            ...(metricsPort === undefined ? {} : { metricsPort }),
            mode: opts.mode,
            recovery: { ...recoveryFlags, replaceLostSubtasks: replaceLostTaskManagers },
            ...(autoscale === undefined ? {} : { autoscale }),
          });
          // after the constructor, which refuses faults the cluster cannot take (one line, nothing started)
          process.stderr.write(
            `slotlab: cluster runtime: ${workload.cluster.taskManagers.length} TaskManager workers, heartbeat.interval ${heartbeatIntervalMs} ms, heartbeat.timeout ${heartbeatTimeoutMs} ms${metricsPort === undefined ? '' : `, metrics at http://127.0.0.1:${metricsPort}/metrics`}; Ctrl-C stops every worker\n`,
          );
          const measured = await runtime.run();
          if (opts.json) process.stdout.write(`${reportJson(measured, opts.placement, workload.timeScaleMsPerUnit, predicted, runtime.jobRunReports)}\n`);
          else await printReport(measured, opts.placement, workload.timeScaleMsPerUnit, predicted, runtime.jobRunReports);
        } catch (error) {
          if (!(error instanceof ClusterInterruptedError)) throw error;
          process.stderr.write(`slotlab: ${error.message}; every worker has exited\n`);
          process.exitCode = controller.signal.reason === 'SIGTERM' ? 143 : 130;
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
      } finally {
        backend?.dispose();
      }
    });
}
