import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidInstanceError, OptionError } from '../../models/errors.ts';
import { EXECUTION_MODES, type ExecutionMode } from '../../runtime/execution-mode.ts';
import type { RunReport } from '../../runtime/report.ts';
import type { RecoveryTerms } from '../../models/recovery/recovery-time.ts';
import { addInstanceOptions, loadInstanceFromCli, type InstanceInputOptions } from './solve.ts';
import { parseDurationMs, parseInteger, parseTimeScale } from '../options.ts';

interface RunCliOptions extends InstanceInputOptions {
  placement?: string;
  mode: string;
  timeScale: string;
  credits?: string;
  batchRecords?: string;
  timeout: string;
  seed: string;
  timeLimit: string;
  json?: boolean;
  progress?: boolean;
  inject?: string;
  restartStrategy?: string;
  checkpointInterval?: string;
  checkpointDir?: string;
  failover: string;
}

const ms = (x: number) => x.toFixed(1);
const pct = (x: number) => `${(100 * x).toFixed(0)} %`;
const count = (x: number) => x.toLocaleString('en');
const MAX_SUBTASK_ROWS = 60;
/** Buffers granted per channel at most: each is allocated up front. */
const MAX_CREDITS = 10_000;
/** Records per buffer at most: a buffer is one Float64Array per field. */
const MAX_BATCH_RECORDS = 1_000_000;

async function printReport(report: RunReport, source: string): Promise<void> {
  const { default: Table } = await import('cli-table3');
  const color = Boolean(process.stdout.isTTY);
  const style = { head: color ? ['cyan'] : [], border: color ? ['grey'] : [], compact: true };
  const lines: string[] = [];
  const err = report.relativeError === null ? 'n/a (the model predicts 0)' : `${report.relativeError >= 0 ? '+' : ''}${(100 * report.relativeError).toFixed(2)} %`;
  lines.push(`instance   ${report.instance} (${report.variant}, ${report.subtasks.length} subtasks on ${report.workers} TaskManager workers)`);
  lines.push(`placement  ${source}`);
  lines.push(`mode       ${report.mode}, ${report.timeScaleMsPerUnit} ms per model unit, ${report.batchRecords} records per buffer, ${Number.isFinite(report.creditsPerChannel) ? report.creditsPerChannel : 'unlimited'} credits per channel`);
  lines.push(`predicted  ${ms(report.predictedMs)} ms (evaluator's makespan x time scale)`);
  lines.push(`measured   ${ms(report.measuredMs)} ms   relative error ${err}`);
  lines.push(`startup    ${ms(report.startupMs)} ms (workers, not counted)   peak RSS ${(report.peakRssBytes / 1e6).toFixed(0)} MB`);
  const tms = new Table({ head: ['TaskManager', 'slots', 'subtasks', 'busy ms', 'busy util', 'predicted util', 'thread util'], style });
  for (const t of report.taskManagers)
    tms.push([t.id, String(t.slotCount), String(t.subtaskCount), ms(t.busyMs), pct(t.busyUtilization), pct(t.predictedBusyUtilization), t.worker ? pct(t.threadUtilization) : 'no worker']);
  lines.push(tms.toString());
  const subs = new Table({ head: ['subtask', 'kind', 'slot', 'start', 'end', 'busy', 'back-pressured', 'records in', 'records out', 'bytes in', 'bytes out', 'predicted'], style });
  for (const s of report.subtasks.slice(0, MAX_SUBTASK_ROWS))
    subs.push([s.id, s.kind, s.slot, ms(s.startMs), ms(s.endMs), ms(s.busyMs), ms(s.backPressuredMs), count(s.recordsIn), count(s.recordsOut), count(s.bytesIn), count(s.bytesOut), `${ms(s.predictedStartMs)}-${ms(s.predictedEndMs)}`]);
  lines.push(subs.toString());
  if (report.subtasks.length > MAX_SUBTASK_ROWS) lines.push(`(${report.subtasks.length - MAX_SUBTASK_ROWS} more subtasks; --json prints all)`);
  for (const s of report.sinks) lines.push(`sink ${s.operatorId}: ${count(s.records)} records, value sum ${s.valueSum}, digest ${s.digest.toString(16).padStart(8, '0')} (committed)`);
  const c = report.checkpoints;
  if (c.intervalMs !== null) {
    const durations = c.list.map((x) => x.durationMs).sort((a, b) => a - b);
    const sizes = c.list.map((x) => x.stateBytes);
    lines.push(
      `checkpoints every ${c.intervalMs} ms: ${c.completed} completed` +
        (c.completed > 0 ? `, duration median ${ms(durations[Math.floor(durations.length / 2)]!)} ms (max ${ms(durations.at(-1)!)}), state ${count(Math.min(...sizes))}-${count(Math.max(...sizes))} bytes` : ''),
    );
  }
  const terms = (t: RecoveryTerms) => `detection ${ms(t.detectionMs)} + delay ${ms(t.delayMs)} + redeploy ${ms(t.redeployMs)} + replay ${ms(t.replayMs)}`;
  for (const f of report.failures) lines.push(`failure at ${ms(f.atMs)} ms: ${f.cause}`);
  for (const r of report.restarts)
    lines.push(
      `restart ${r.attempt} (${r.failover}: ${r.regionSubtasks} subtasks in the failed regions, ${r.restartedSubtasks} restarted${r.restartedSubtasks < report.subtasks.length ? `: ${r.restarted.join(' ')}; the others ran on` : ''}) after ${ms(r.delayMs)} ms delay from ${r.restoredCheckpoint === null ? 'the sources\' start' : `checkpoint ${r.restoredCheckpoint}`}` +
        `${r.movedSubtasks.length > 0 ? `; moved ${r.movedSubtasks.join(', ')}` : ''}; recovery ${r.measured === null || r.recoveryMs === null ? 'n/a (not back before the next failure or the end)' : `${ms(r.recoveryMs)} ms = ${terms(r.measured)}`}` +
        ` (model ${r.predictedRecoveryMs === null ? 'n/a' : `${ms(r.predictedRecoveryMs)} ms = ${terms(r.predicted)}`}, replay of ${count(r.replayRecords)} records)`,
    );
  for (const w of report.warnings) lines.push(`note: ${w}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function registerRun(program: Command): void {
  addInstanceOptions(
    program
      .command('run')
      .description("execute a placement on slotlab's runtime (one worker thread per TaskManager) and compare the measured completion time with the model's")
      .argument('<instance>', 'a DAG placement instance: slotlab JSON, .stg, WfFormat JSON, the HEFT paper JSON, a Flink execution plan JSON')
      .option('-p, --placement <file|solver>', 'required: a placement/schedule JSON file (as written by `slotlab solve --out`) or a solver name, e.g. heft'),
  )
    .option('--mode <mode>', `${EXECUTION_MODES.join(' | ')}: a subtask starts when its inputs are complete, or everything streams at once`, 'blocking')
    .option('--time-scale <ms>', 'wall-clock ms per model time unit (replayed work and link times)', '1')
    .option('--credits <n>', 'buffers granted per channel (pipelined flow control); 0 = unlimited', undefined)
    .option('--batch-records <n>', 'records per buffer', undefined)
    .option('--timeout <duration>', 'fail the run if it has not finished after this long', '10m')
    .option('--seed <n>', 'seed for a randomised placement solver', '1')
    .option('--time-limit <duration>', 'time limit for an exact placement solver', '30s')
    .option('--checkpoint-interval <ms>', 'aligned-barrier checkpoints every this many ms (pipelined mode); sinks then commit per checkpoint (exactly-once)')
    .option('--checkpoint-dir <dir>', 'where completed checkpoints are written (default: a temporary folder, removed after the run)')
    .option('--restart-strategy <spec>', "NAME[:key=value,...] with Flink's names: none | fixed-delay:attempts=3,delay=10ms | failure-rate:max-failures-per-interval=2,failure-rate-interval=1s,delay=10ms | exponential-delay:initial-backoff=10ms,max-backoff=1s (default none; with checkpoints exponential-delay)")
    .option('--failover <strategy>', 'full | region (the pipelined regions of the failed subtasks, Flink\'s default)', 'region')
    .option('--inject <spec>', 'faults to inject, ";"-separated: kill:TM@250ms | kill:TM@5000rec | kill:random@SEED | throw:SUBTASK@5000rec | corrupt:checkpoint@restore')
    .option('--json', 'print one JSON object: predictedMs, measuredMs, relativeError, per-subtask and per-TaskManager figures')
    .option('--progress', 'say on stderr that a run over 1 s is still running, even when stderr is not a terminal (default on a terminal)')
    .option('--no-progress', 'no progress on stderr, even on a terminal')
    .action(async (path: string, opts: RunCliOptions) => {
      // checked here, after the instance argument, so that `slotlab run` alone names the missing instance first
      if (opts.placement === undefined) throw new OptionError('--placement', 'is required: a placement file or a DAG placement solver name, e.g. heft');
      if (!EXECUTION_MODES.includes(opts.mode as ExecutionMode)) throw OptionError.flag('--mode', opts.mode, `should be one of ${EXECUTION_MODES.join(', ')}`);
      const timeScale = parseTimeScale(opts.timeScale);
      const loaded = await loadInstanceFromCli(path, opts);
      if (loaded.kind !== 'dag-placement') throw new InvalidInstanceError(path, 'the instance', `slotlab run executes DAG placement instances, but this is a ${loaded.kind} instance`);
      const instance = loaded;
      // loaded in the action, so that --help stays fast
      const [{ RUNTIME_DATA_DIR, runPlacement }, { resolvePlacement }] = await Promise.all([import('../../runtime/index.ts'), import('../placement-input.ts')]);
      const { placement, source } = await resolvePlacement(instance, opts.placement, '--placement', opts);
      const credits = opts.credits === undefined ? undefined : parseInteger(opts.credits, '--credits');
      if (credits !== undefined && (credits < 0 || credits > MAX_CREDITS)) throw OptionError.flag('--credits', opts.credits!, `should be an integer from 0 to ${MAX_CREDITS} (0 = unlimited)`);
      const batchRecords = opts.batchRecords === undefined ? undefined : parseInteger(opts.batchRecords, '--batch-records');
      if (batchRecords !== undefined && (batchRecords < 1 || batchRecords > MAX_BATCH_RECORDS))
        throw OptionError.flag('--batch-records', opts.batchRecords!, `should be an integer from 1 to ${MAX_BATCH_RECORDS}`);
      const { parseRestartStrategySpec } = await import('../../models/recovery/restart-strategy.ts');
      const { parseFaultSpec } = await import('../../models/recovery/fault-injection.ts');
      const restartStrategy = opts.restartStrategy === undefined ? undefined : parseRestartStrategySpec(opts.restartStrategy, '--restart-strategy');
      const faults = opts.inject === undefined ? undefined : parseFaultSpec(opts.inject, '--inject');
      if (opts.failover !== 'full' && opts.failover !== 'region') throw OptionError.flag('--failover', opts.failover, 'should be full or region');
      let checkpointIntervalMs: number | undefined;
      if (opts.checkpointInterval !== undefined) {
        checkpointIntervalMs = /^\s*\d+(\.\d+)?\s*$/.test(opts.checkpointInterval) ? Number(opts.checkpointInterval) : parseDurationMs(opts.checkpointInterval, '--checkpoint-interval');
        if (!(checkpointIntervalMs > 0)) throw OptionError.flag('--checkpoint-interval', opts.checkpointInterval, 'should be a number of ms > 0');
        if (opts.mode !== 'pipelined') throw OptionError.flag('--checkpoint-interval', opts.checkpointInterval, 'needs --mode pipelined (in blocking mode a failed job re-runs from its sources)');
      }
      const { replaceLostTaskManagers } = await import('../../solver/recovery/replace-lost-task-managers.ts');
      // a run that takes over a second says so on stderr (on a terminal, or with --progress)
      const { createSolveProgress } = await import('../solve-progress.ts');
      const progress = (opts.progress ?? process.stderr.isTTY === true) ? createSolveProgress(`${instance.name} on ${instance.taskManagers.length} TaskManagers, placement from ${source} (${opts.mode}, ${timeScale} ms per unit)`, { verb: 'running' }) : undefined;
      const report = await runPlacement(instance, placement, {
        mode: opts.mode as ExecutionMode,
        timeScaleMsPerUnit: timeScale,
        ...(credits === undefined ? {} : { creditsPerChannel: credits === 0 ? Number.POSITIVE_INFINITY : credits }),
        ...(batchRecords === undefined ? {} : { batchRecords }),
        timeoutMs: parseDurationMs(opts.timeout, '--timeout'),
        dataDirs: [dirname(resolve(path)), RUNTIME_DATA_DIR],
        failover: opts.failover,
        replacePlacement: (lost, current) => replaceLostTaskManagers(instance, current, lost),
        ...(restartStrategy === undefined ? {} : { restartStrategy }),
        ...(faults === undefined ? {} : { faults }),
        ...(checkpointIntervalMs === undefined ? {} : { checkpointIntervalMs }),
        ...(opts.checkpointDir === undefined ? {} : { checkpointDirectory: resolve(opts.checkpointDir) }),
      }).finally(() => progress?.stop());
      if (opts.json) process.stdout.write(`${JSON.stringify({ ...report, placement: source })}\n`);
      else await printReport(report, source);
    });
}
