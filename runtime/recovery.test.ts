import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DagPlacementInstance } from '../models/dag-placement/instance.ts';
import { seededRng } from '../models/rng.ts';
import { parseFaultSpec, type FaultSpec } from '../models/recovery/fault-injection.ts';
import type { RecoveryTerms } from '../models/recovery/recovery-time.ts';
import { buildJobPlan, resolveRunOptions } from './plan.ts';
import { replaceLostTaskManagers } from '../solver/recovery/replace-lost-task-managers.ts';
import { RunFailedError, runPlacement, type ExecutionMode, type RunOptions, type RunReport } from './index.ts';
import type { Placement } from '../models/solution.ts';
import { expectExactlyOnce } from './test/exactly-once.ts';
import { plainReference, sortRows, twoPipelines, twoPipelinesPlacement, windowJob, windowPlacement, windowReference, wordCount, wordPlacement, wordReference, type Row } from './test/recovery-jobs.ts';

/**
 * Failures and recovery (issue #11): TaskManagers killed at seeded moments (a record count on a seeded TaskManager)
 * during a word count and a keyed windowed aggregation, in both modes, under full and region failover. The committed
 * output must be exactly the single-threaded reference: nothing lost, nothing duplicated.
 */

function threadCount(): number | undefined {
  return existsSync('/proc/self/task') ? readdirSync('/proc/self/task').length : undefined;
}

const RESTART_DELAY_MS = 5;

function recoveryOptions(instance: DagPlacementInstance, mode: ExecutionMode, failover: 'full' | 'region', faults: FaultSpec[]): RunOptions {
  return {
    mode,
    failover,
    faults,
    batchRecords: 128,
    creditsPerChannel: 2,
    restartStrategy: { type: 'fixed-delay', attempts: 3, delayMs: RESTART_DELAY_MS },
    replacePlacement: (lost, current) => replaceLostTaskManagers(instance, current, lost),
    ...(mode === 'pipelined' ? { checkpointIntervalMs: 15 } : {}),
  };
}

/** Two TaskManagers killed per run, each after a seeded record count (the second in whichever attempt reaches it). */
function seededKills(seed: number, maxRecords: number): FaultSpec[] {
  const rng = seededRng(seed);
  const tms = ['tm1', 'tm2', 'tm3'];
  const first = tms.splice(rng.int(0, 2), 1)[0]!;
  const second = tms[rng.int(0, 1)]!;
  return [
    { kind: 'kill', taskManager: first, afterRecords: rng.int(50, maxRecords) },
    { kind: 'kill', taskManager: second, afterRecords: rng.int(50, maxRecords) },
  ];
}

/** A job with its sinks' references (by sink operator). */
interface Case {
  readonly job: string;
  readonly instance: DagPlacementInstance;
  readonly placement: Placement;
  readonly references: Readonly<Record<string, readonly Row[]>>;
  readonly maxRecords: number;
}
const wordCase: Case = { job: 'word count', instance: wordCount(), placement: wordPlacement, references: { out: wordReference }, maxRecords: 3000 };
const windowCase: Case = { job: 'window sum', instance: windowJob, placement: windowPlacement, references: { out: windowReference }, maxRecords: 8000 };
/** Pipelined, the window sum runs beside a second pipeline (two regions), so that region failover restarts one of them. */
const twoPipelinesCase: Case = { job: 'two pipelines', instance: twoPipelines, placement: twoPipelinesPlacement, references: { out: windowReference, 'plain-out': plainReference }, maxRecords: 8000 };


/**
 * The recovery time is measured and predicted term by term (models/recovery/recovery-time.ts): the measured terms add
 * up to the measured recovery, the predicted ones to the prediction; a worker's exit and a throw are seen at once
 * (detection 0), the delay predicted is the strategy's; a restart cut short by the next failure has no measurement.
 */
function expectRecoveryTerms(r: RunReport['restarts'][number], what: string): void {
  const sum = (t: RecoveryTerms) => t.detectionMs + t.delayMs + t.redeployMs + t.replayMs;
  expect(r.predicted.detectionMs, what).toBe(0);
  expect(r.predicted.delayMs, what).toBe(RESTART_DELAY_MS);
  expect(r.predicted.redeployMs, what).toBeGreaterThan(0);
  expect(sum(r.predicted), what).toBeCloseTo(r.predictedRecoveryMs!, 6);
  if (r.measured === null) return;
  expect(sum(r.measured), what).toBeCloseTo(r.recoveryMs!, 6);
  expect(r.measured.detectionMs, what).toBe(0); // the worker exits by itself: the exit is the failure's first sign
  expect(r.measured.delayMs, what).toBeGreaterThanOrEqual(RESTART_DELAY_MS - 1); // timers may round down by < 1 ms
  expect(Math.min(r.measured.redeployMs, r.measured.replayMs), what).toBeGreaterThanOrEqual(0);
}

/** Every consumer of a restarted subtask restarted too (Flink's rule: it would read the restarted result again). */
function closedDownstream(instance: DagPlacementInstance, restarted: readonly string[]): boolean {
  const set = new Set(restarted);
  return instance.edges.every((e) => !set.has(instance.subtasks[e.from]!.id) || set.has(instance.subtasks[e.to]!.id));
}


/**
 * Two TaskManagers killed per run at seeded record counts, over both modes and both failover strategies (10 runs; what
 * a run costs is mostly one TaskManager thread start-up per TaskManager, so the faults share runs), then region failover on fixed kills whose
 * restart sets are known: at least 20 kills in all, every committed output exactly the reference.
 */
describe('TaskManagers killed: the committed output is exactly the reference; region failover restarts only the affected regions', () => {
  let seed = 1;
  let kills = 0;
  const matrix = [
    { mode: 'pipelined', failover: 'full', c: wordCase, runs: 2 },
    { mode: 'pipelined', failover: 'region', c: wordCase, runs: 2 },
    // ... and a subtask that throws, restarted with the rest
    { mode: 'pipelined', failover: 'full', c: twoPipelinesCase, runs: 1, throwing: 'sum#1' },
    { mode: 'pipelined', failover: 'region', c: twoPipelinesCase, runs: 1 },
    { mode: 'blocking', failover: 'full', c: wordCase, runs: 1 },
    { mode: 'blocking', failover: 'region', c: wordCase, runs: 1 },
    { mode: 'blocking', failover: 'full', c: windowCase, runs: 1 },
    { mode: 'blocking', failover: 'region', c: windowCase, runs: 1 },
  ] as const;
  for (const entry of matrix) {
    const { mode, failover, c, runs } = entry;
    const throwing = 'throwing' in entry ? entry.throwing : undefined;
    const seeds = Array.from({ length: runs }, () => seed++);
    it(`${c.job}, ${mode}, ${failover} failover, seed${runs > 1 ? 's' : ''} ${seeds.join(', ')} (2 kills each${throwing === undefined ? '' : `, ${throwing} throws`})`, async () => {
      // the seeds of one test run side by side (two at most): a run mostly waits for its TaskManager threads to start
      await Promise.all(seeds.map(async (s) => {
        const faults: FaultSpec[] = [...seededKills(s, c.maxRecords), ...(throwing === undefined ? [] : [{ kind: 'throw' as const, subtask: throwing, afterRecords: 4000 }])];
        const report = await runPlacement(c.instance, c.placement, recoveryOptions(c.instance, mode, failover, faults));
        const what = `seed ${s}: ${JSON.stringify(faults)}; failures ${JSON.stringify(report.failures.map((f) => f.cause))}`;
        expectExactlyOnce(c, report, what);
        expect(report.restarts.length, what).toBe(report.failures.length);
        const lostTaskManagers = report.failures.filter((f) => f.lostTaskManager);
        kills += lostTaskManagers.length;
        for (const f of lostTaskManagers) expect(f.cause, what).toMatch(/TaskManager tm\d was lost: the worker exited unexpectedly \(exit code 137\)/);
        if (throwing !== undefined)
          expect(report.failures.filter((f) => !f.lostTaskManager).map((f) => f.cause), what).toEqual([
            expect.stringMatching(new RegExp(`operator "sum" failed in subtask ${throwing} on TaskManager tm\\d: injected failure after 4000 records$`)),
          ]);
        for (const r of report.restarts) {
          if (mode === 'blocking') expect(r.restoredCheckpoint, what).toBeNull();
          else if (r.restoredCheckpoint !== null) expect(report.checkpoints.list.map((k) => k.id), what).toContain(r.restoredCheckpoint);
          if (failover === 'full') expect(r.restartedSubtasks, what).toBe(c.instance.subtasks.length);
          expect(r.restarted.length, what).toBe(r.restartedSubtasks);
          expect(closedDownstream(c.instance, r.restarted), what).toBe(true);
          expectRecoveryTerms(r, what);
        }
        // the last restart got back (the job ended after its sources were back at their pre-failure offsets)
        expect(report.restarts.at(-1)!.measured, what).not.toBeNull();
        if (mode === 'pipelined') for (const k of report.checkpoints.list) expect(k.stateBytes, what).toBeGreaterThan(0);
        // every lost TaskManager's subtasks moved to the others
        const lost = new Set(lostTaskManagers.map((f) => f.taskManager));
        for (const sub of report.subtasks) expect(lost.has(sub.taskManager), `${what}: ${sub.id} on ${sub.taskManager}`).toBe(false);
      }));
    });
  }

  it('blocking word count, tm3 lost while count#0 runs: the sources and words#0 are not rerun; lines#1 ships its kept result to the moved words#1', async () => {
    const report = await runPlacement(wordCase.instance, wordPlacement, recoveryOptions(wordCase.instance, 'blocking', 'region', [{ kind: 'kill', taskManager: 'tm3', afterRecords: 3000 }]));
    expectExactlyOnce(wordCase, report, 'tm3@3000rec');
    expect(report.restarts).toHaveLength(1);
    kills += report.failures.length;
    const r = report.restarts[0]!;
    // tm3 held words#1 (finished: its result went with tm3), count#0 (running) and out#2 (waiting)
    for (const id of ['words#1', 'count#0', 'out#2']) expect(r.restarted).toContain(id);
    for (const id of ['lines#0', 'lines#1', 'words#0']) expect(r.restarted).not.toContain(id);
    expect(closedDownstream(wordCase.instance, r.restarted)).toBe(true);
  });

  for (const lost of ['tm3'] as const)
    it(`pipelined, two pipelines apart (two regions), ${lost} lost: only its region restarts from the checkpoint, the other keeps running`, async () => {
      const report = await runPlacement(twoPipelines, twoPipelinesPlacement, recoveryOptions(twoPipelines, 'pipelined', 'region', [{ kind: 'kill', taskManager: lost, afterRecords: 2000 }]));
      expectExactlyOnce(twoPipelinesCase, report, `${lost}@2000rec`);
      expect(report.restarts).toHaveLength(1);
      kills += report.failures.length;
      const r = report.restarts[0]!;
      const region = lost === 'tm3' ? ['plain#0', 'plain-out#0'] : ['numbers#0', 'numbers#1', 'sum#0', 'sum#1', 'out#0'];
      expect([...r.restarted].sort()).toEqual(region.sort());
      expect(r.regionSubtasks).toBe(region.length);
    });

  it('at least 20 TaskManagers were killed over these runs', () => {
    expect(kills).toBeGreaterThanOrEqual(20);
  });
});

describe('slow:TM1-TM2@xF, a slow link (plan only, no workers)', () => {
  it('the channels between the two TaskManagers get F x the latency and 1/F the bandwidth, both ways; the others and the prediction are untouched', () => {
    const instance = wordCount();
    const options = (faults: FaultSpec[]) => resolveRunOptions(instance, { mode: 'pipelined', faults });
    const plain = buildJobPlan(instance, wordPlacement, options([]));
    const slow = buildJobPlan(instance, wordPlacement, options(parseFaultSpec('slow:tm1-tm2@x4')));
    const tm = (id: string) => instance.taskManagerById.get(id)!.index;
    const pair = new Set([tm('tm1'), tm('tm2')]);
    let slowed = 0;
    slow.channels.forEach((ch, i) => {
      const before = plain.channels[i]!;
      if (ch.fromTm !== ch.toTm && pair.has(ch.fromTm) && pair.has(ch.toTm)) {
        slowed++;
        expect(ch.latencyMs).toBeCloseTo(before.latencyMs * 4, 9);
        expect(ch.bandwidthBytesPerMs).toBeCloseTo(before.bandwidthBytesPerMs / 4, 9);
      } else expect(ch).toEqual(before);
    });
    expect(slowed).toBeGreaterThan(0);
    expect(slow.predictedMs).toEqual(plain.predictedMs);
    expect(() => buildJobPlan(instance, wordPlacement, options(parseFaultSpec('slow:tm1-tm9@x4')))).toThrow(/^--inject: slow:tm1-tm9: names no link between two TaskManagers of the cluster \(tm1, tm2, tm3\)$/);
  });
});

describe('checkpoints and restart strategies', () => {
  // The two kills are armed in attempts 1 and 2 (`@attempt=N`), so they cannot land in one attempt.
  it('the restart strategy gives up: one line naming the cause and the strategy, every worker gone', async () => {
    const before = threadCount();
    const error = await runPlacement(wordCount(), wordPlacement, {
      ...recoveryOptions(wordCount(), 'pipelined', 'full', parseFaultSpec('kill:tm1@300rec@attempt=1; kill:tm2@300rec@attempt=2')),
      restartStrategy: { type: 'fixed-delay', attempts: 1, delayMs: 1 },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RunFailedError);
    const e = error as RunFailedError;
    expect(e.message.split('\n')).toHaveLength(1);
    expect(e.message).toBe('word-count-alice: TaskManager tm2 was lost: the worker exited unexpectedly (exit code 137); restart-strategy fixed-delay gave up after 1 restart (restart-strategy.fixed-delay.attempts)');
    expect(e.workerExits.length).toBe(3);
    const after = threadCount();
    if (before !== undefined) expect(after).toBe(before);
  });

  it('a truncated newest checkpoint is refused naming the file; the job falls back to the previous one and loses nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slotlab-recovery-test-'));
    try {
      const report = await runPlacement(windowJob, windowPlacement, {
        ...recoveryOptions(windowJob, 'pipelined', 'full', [{ kind: 'throw', subtask: 'out#0', afterRecords: 200 }, { kind: 'corrupt-checkpoint' }]),
        checkpointIntervalMs: 5,
        checkpointDirectory: dir,
        checkpointsRetained: 2,
      });
      const refused = report.warnings.filter((w) => /refused/.test(w));
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatch(new RegExp(`checkpoint ${dir}/chk-(\\d+)\\.json refused: is not whole JSON \\(truncated or corrupted, 20 bytes\\); falling back to the previous complete checkpoint`));
      const newest = Number(/chk-(\d+)\.json/.exec(refused[0]!)![1]);
      const r = report.restarts[0]!;
      expect(r.restoredCheckpoint === null || r.restoredCheckpoint < newest).toBe(true);
      // nothing lost: every reference window appears (a fallback past committed transactions may repeat some, as in Flink)
      const committed = new Set(sortRows(report.sinks[0]!.output as Row[]));
      for (const row of sortRows(windowReference)) expect(committed.has(row), row).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
