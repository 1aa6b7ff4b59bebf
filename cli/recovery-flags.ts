import { OptionError } from '../models/errors.ts';
import type { FaultSpec } from '../models/recovery/fault-injection.ts';
import type { RecoveryTerms } from '../models/recovery/recovery-time.ts';
import type { RestartStrategyConfig } from '../models/recovery/restart-strategy.ts';
import type { RunReport } from '../runtime/report.ts';
import { parseDurationMs } from './options.ts';

/**
 * The recovery flags `slotlab run` and `slotlab cluster` share (issue #11, docs/runtime.md "Failures and recovery"):
 * `--inject`, `--restart-strategy`, `--checkpoint-interval`, `--failover`, read once here, and the report lines
 * both print for a run (checkpoints, failures, restarts with the recovery-time model's terms).
 */
export interface RecoveryCliOptions {
  inject?: string;
  restartStrategy?: string;
  checkpointInterval?: string;
  failover: string;
  mode: string;
}

export const INJECT_HELP =
  'faults to inject, ";"-separated: kill:TM@250ms | kill:TM@5000rec[@attempt=N] | kill:random@SEED | throw:SUBTASK@5000rec[@attempt=N] | corrupt:checkpoint@restore | slow:TM1-TM2@x4 | stall:TM@250ms+500ms (cluster)';
export const RESTART_STRATEGY_HELP =
  "NAME[:key=value,...] with Flink's names: none | fixed-delay:attempts=3,delay=10ms | failure-rate:max-failures-per-interval=2,failure-rate-interval=1s,delay=10ms | exponential-delay:initial-backoff=10ms,max-backoff=1s (default none; with checkpoints exponential-delay)";

export interface RecoveryFlags {
  readonly restartStrategy?: RestartStrategyConfig;
  readonly faults?: readonly FaultSpec[];
  readonly checkpointIntervalMs?: number;
  readonly failover: 'full' | 'region';
}

/** Checks the recovery flags (one line naming the flag when one is wrong). */
export async function parseRecoveryFlags(opts: RecoveryCliOptions): Promise<RecoveryFlags> {
  const [{ parseRestartStrategySpec }, { parseFaultSpec }] = await Promise.all([import('../models/recovery/restart-strategy.ts'), import('../models/recovery/fault-injection.ts')]);
  const restartStrategy = opts.restartStrategy === undefined ? undefined : parseRestartStrategySpec(opts.restartStrategy, '--restart-strategy');
  const faults = opts.inject === undefined ? undefined : parseFaultSpec(opts.inject, '--inject');
  if (opts.failover !== 'full' && opts.failover !== 'region') throw OptionError.flag('--failover', opts.failover, 'should be full or region');
  let checkpointIntervalMs: number | undefined;
  if (opts.checkpointInterval !== undefined) {
    checkpointIntervalMs = /^\s*\d+(\.\d+)?\s*$/.test(opts.checkpointInterval) ? Number(opts.checkpointInterval) : parseDurationMs(opts.checkpointInterval, '--checkpoint-interval');
    if (!(checkpointIntervalMs > 0)) throw OptionError.flag('--checkpoint-interval', opts.checkpointInterval, 'should be a number of ms > 0');
    if (opts.mode !== 'pipelined') throw OptionError.flag('--checkpoint-interval', opts.checkpointInterval, 'needs --mode pipelined (in blocking mode a failed job re-runs from its sources)');
  }
  return {
    failover: opts.failover,
    ...(restartStrategy === undefined ? {} : { restartStrategy }),
    ...(faults === undefined ? {} : { faults }),
    ...(checkpointIntervalMs === undefined ? {} : { checkpointIntervalMs }),
  };
}

const ms = (x: number) => x.toFixed(1);
const count = (x: number) => x.toLocaleString('en');
const terms = (t: RecoveryTerms) => `detection ${ms(t.detectionMs)} + delay ${ms(t.delayMs)} + redeploy ${ms(t.redeployMs)} + replay ${ms(t.replayMs)}`;

/** A run's committed sinks, checkpoints, failures and restarts, one line each (`slotlab run`, and per job `slotlab cluster`), then its notes. */
export function recoveryLines(report: RunReport, notes = true): string[] {
  const lines: string[] = [];
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
  for (const f of report.failures) lines.push(`failure at ${ms(f.atMs)} ms: ${f.cause}`);
  for (const r of report.restarts)
    lines.push(
      `restart ${r.attempt} (${r.failover}: ${r.regionSubtasks} subtasks in the failed regions, ${r.restartedSubtasks} restarted${r.restartedSubtasks < report.subtasks.length ? `: ${r.restarted.join(' ')}; the others ran on` : ''}) after ${ms(r.delayMs)} ms delay from ${r.restoredCheckpoint === null ? 'the sources\' start' : `checkpoint ${r.restoredCheckpoint}`}` +
        `${r.movedSubtasks.length > 0 ? `; moved ${r.movedSubtasks.join(', ')}` : ''}; recovery ${r.measured === null || r.recoveryMs === null ? 'n/a (not back before the next failure or the end)' : `${ms(r.recoveryMs)} ms = ${terms(r.measured)}`}` +
        ` (model ${r.predictedRecoveryMs === null ? 'n/a' : `${ms(r.predictedRecoveryMs)} ms = ${terms(r.predicted)}`}, replay of ${count(r.replayRecords)} records)`,
    );
  if (notes) for (const w of report.warnings) lines.push(`note: ${w}`);
  return lines;
}

/** A cluster job's recovery figures in `slotlab cluster --json` (sinks without their kept rows). */
export function recoveryJson(report: RunReport) {
  return {
    sinks: report.sinks.map((s) => ({ operatorId: s.operatorId, records: s.records, valueSum: s.valueSum, digest: s.digest })),
    failures: report.failures,
    restarts: report.restarts,
    recoveryMs: report.recoveryMs,
    checkpoints: report.checkpoints,
  };
}
