import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createJobGraph } from '../../models/graphs/job-graph.ts';
import { parseFaultSpec } from '../../models/recovery/fault-injection.ts';
import { validateDagPlacement } from '../../models/dag-placement/validator.ts';
import type { DagPlacementInstance } from '../../models/dag-placement/instance.ts';
import type { Placement } from '../../models/solution.ts';
import { createWorkload, type Workload } from '../../models/cluster/workload.ts';
import { loadWorkload, parseWorkloadDocument } from '../../datasets/loaders/workload.ts';
import { replaceLostTaskManagers } from '../../solver/recovery/replace-lost-task-managers.ts';
import { ClusterRuntime, type ClusterRuntimeOptions } from './cluster-runtime.ts';
import { clusterRuntimeOptions } from '../../test/support/cluster-runtime-options.ts';
import { ClusterFailover, type ClusterRecoveryOptions } from './failover.ts';
import { expectExactlyOnce } from '../test/exactly-once.ts';
import { windowSumReference, wordReference } from '../test/recovery-jobs.ts';

/**
 * Recovery in the cluster runtime (issue #11): a job that loses a TaskManager fails over with the JobMaster's own
 * path (restart strategy, replacement slots from the ResourceManager, re-placement, restore, exactly-once commit)
 * while the other jobs run on. The workload is the bundled datasets/examples/workloads/recovery.json.
 */

const BUNDLED_FILE = join(import.meta.dirname, '../../datasets/examples/workloads/recovery.json');
/** With a slot.request.timeout of 60 s (the file's 3 s): a replacement TaskManager's worker took longer than that to start at load average 43. */
const loaded = loadWorkload(BUNDLED_FILE);
const bundled: Workload = { ...loaded, timers: { ...loaded.timers, slotRequestTimeoutMs: 60_000 } };
const references = { wordcount: { references: { out: wordReference } }, windows: { references: { out: windowSumReference(30_000, 37, 1000) } } };

function threadHandles(): number {
  return readdirSync('/proc/self/task').length;
}

/**
 * A killed worker is lost when it exits; the heartbeat timeout only has to be long enough that a TaskManager thread
 * kept busy by the word count on a loaded machine is not taken for lost as well (a TaskManager heartbeats from the
 * thread that runs its subtasks; 500 ms was too short at load average 15-20).
 */
const KILL_HEARTBEATS = { heartbeatIntervalMs: 100, heartbeatTimeoutMs: 5000 } as const;

/** Every re-placement the runs made, checked by the model's validator (none may break a rule or use a lost TaskManager). */
const replacements: Array<{ readonly violations: readonly unknown[]; readonly onLost: readonly string[] }> = [];
function validatedReplacement(instance: DagPlacementInstance, current: Placement, lost: readonly string[]): Placement {
  const placement = replaceLostTaskManagers(instance, current, lost);
  replacements.push({ violations: validateDagPlacement(instance, placement), onLost: placement.assignments.filter((a) => lost.includes(a.taskManager)).map((a) => a.subtask) });
  return placement;
}

function options(recovery: ClusterRecoveryOptions, extra: Partial<ClusterRuntimeOptions> = {}): ClusterRuntimeOptions {
  return clusterRuntimeOptions({ mode: 'pipelined', recovery: { replaceLostSubtasks: validatedReplacement, ...recovery }, ...extra });
}

/** Every job's committed output is its reference; returns the run reports. */
function expectCommittedReferences(runtime: ClusterRuntime, what: string): void {
  for (const [job, c] of Object.entries(references)) {
    const report = runtime.jobRunReports.get(job);
    expect(report, `${what}: ${job} has a run report`).toBeDefined();
    expectExactlyOnce(c, report!, `${what}: ${job}`);
  }
}

/** The bundled workload changed for one test: `elastic` off, or jobs replaced. */
function variant(change: (w: Workload) => Partial<Workload>): Workload {
  return { ...bundled, ...change(bundled) };
}

/** The bundled cluster (elastic up to 4 TaskManagers) with some of the bundled jobs and a synthetic background job of `parallelism` subtasks of `workMs`. */
function bundledWith(jobs: readonly string[], parallelism: number, workMs: number): Workload {
  const background = createJobGraph({ operators: [{ id: 'map', parallelism, workMs, kind: 'synthetic' }], edges: [] }, 'background');
  return createWorkload({
    name: `recovery-${jobs.join('-')}-background`,
    cluster: bundled.clusterSpec,
    ...(bundled.elastic ? { elastic: bundled.elastic } : {}),
    timers: bundled.timers,
    jobs: [
      ...bundled.jobs.filter((j) => jobs.includes(j.id)).map((j) => ({ id: j.id, name: j.name, arrivalMs: 0, jobGraph: j.jobGraph, variant: j.variant })),
      { id: 'background', arrivalMs: 0, jobGraph: background, variant: 'shared' as const },
    ],
  });
}

describe('slotlab cluster: a job that loses a TaskManager fails over, the others run on', () => {
  it('fixed cluster: tm1 killed after 2,000 records of the word count; it waits for slots the others free, restores, commits its reference; the others run on', async () => {
    const before = threadHandles();
    const workload = variant(() => ({ elastic: undefined }));
    const runtime = new ClusterRuntime(workload, options({ restartStrategy: { type: 'fixed-delay', attempts: 2, delayMs: 5 }, checkpointIntervalMs: 20, faults: parseFaultSpec('kill:tm1@2000rec') }, KILL_HEARTBEATS));
    const report = await runtime.run();
    expect(report.jobs.map((j) => [j.id, j.status, j.reason])).toEqual([
      ['wordcount', 'finished', null],
      ['windows', 'finished', null],
      ['background', 'finished', null],
    ]);
    expectCommittedReferences(runtime, 'fixed, kill:tm1@2000rec');
    const wc = runtime.jobRunReports.get('wordcount')!;
    expect(wc.failures.map((f) => f.cause)).toEqual(['word-count-alice: TaskManager tm1 was lost: the worker exited unexpectedly (exit code 137)']);
    expect(wc.restarts.map((r) => [r.attempt, r.delayMs])).toEqual([[1, 5]]);
    expect(wc.recoveryMs).toBeGreaterThan(0);
    // every subtask of tm1 moved to the slots the ResourceManager granted again; the new placement is valid
    expect(wc.subtasks.filter((s) => s.taskManager === 'tm1')).toEqual([]);
    // the other jobs never failed
    for (const id of ['windows', 'background']) expect(runtime.jobRunReports.get(id)!.failures, id).toEqual([]);
    const kinds = report.events.filter((e) => e.job === 'wordcount' || e.taskManager === 'tm1').map((e) => `${e.kind}${e.job ? ` ${e.job}` : ''}${e.taskManager ? ` ${e.taskManager}` : ''}`);
    expect(kinds.filter((k) => k !== 'taskmanager-registered tm1')).toEqual([
      'job-submitted wordcount',
      'job-admitted wordcount',
      'slots-granted wordcount',
      'taskmanager-lost tm1',
      'replacement-requested wordcount',
      'slots-granted wordcount',
      'job-finished wordcount',
    ]);
    expect(report.events.filter((e) => e.kind === 'taskmanager-starting')).toEqual([]);
    expect(threadHandles()).toBe(before);
  });

  it('elastic, every slot held: the ResourceManager starts a TaskManager for the replacement request', async () => {
    const before = threadHandles();
    const workload = bundledWith(['wordcount'], 3, 1500);
    const runtime = new ClusterRuntime(workload, options({ restartStrategy: { type: 'fixed-delay', attempts: 2, delayMs: 5 }, checkpointIntervalMs: 20, faults: parseFaultSpec('kill:tm1@2000rec') }, KILL_HEARTBEATS));
    const report = await runtime.run();
    expect(report.jobs.map((j) => [j.id, j.status])).toEqual([
      ['wordcount', 'finished'],
      ['background', 'finished'],
    ]);
    expectExactlyOnce(references.wordcount, runtime.jobRunReports.get('wordcount')!, 'elastic, kill:tm1@2000rec');
    // no slot was free when the word count asked for 2: the ResourceManager started a TaskManager at once; the grant
    // lands on it, or on the background job's slots if that job ends first (a new worker thread takes seconds to start
    // when the machine is loaded)
    const kinds = report.events.map((e) => `${e.kind} ${e.job ?? e.taskManager}`);
    const requested = kinds.indexOf('replacement-requested wordcount');
    expect(requested).toBeGreaterThan(kinds.indexOf('taskmanager-lost tm1'));
    expect(kinds[requested + 1]).toBe('taskmanager-starting tm-started-1');
    const replacement = report.events.find((e) => e.kind === 'slots-granted' && e.detail?.startsWith('added'));
    expect(replacement?.detail).toMatch(/^added (tm-started-1:2|tm\d:\d( tm\d:\d)?); holds /);
    expect(runtime.jobRunReports.get('background')!.failures).toEqual([]);
    expect(threadHandles()).toBe(before);
  });

  it('stall:tm3@50ms+2500ms past heartbeat.timeout: tm3 is lost (detection = declared - stall start > 0), its job fails over, its resumed heartbeats are ignored; a stall shorter than the timeout loses nothing', async () => {
    const before = threadHandles();
    // windows on tm1 (2 slots), the background job on tm2 (2) and tm3 (1); synthetic work leaves the workers free to heartbeat
    const runtime = new ClusterRuntime(
      bundledWith(['windows'], 3, 3000),
      options(
        { restartStrategy: { type: 'fixed-delay', attempts: 2, delayMs: 5 }, checkpointIntervalMs: 20, faults: parseFaultSpec('stall:tm2@30ms+150ms; stall:tm3@50ms+2500ms') },
        // 1 s: at load average 43 a 600 ms timeout lost TaskManagers that were not stalled
        { heartbeatIntervalMs: 50, heartbeatTimeoutMs: 1000 },
      ),
    );
    const report = await runtime.run();
    expect(report.jobs.map((j) => [j.id, j.status, j.reason])).toEqual([
      ['windows', 'finished', null],
      ['background', 'finished', null],
    ]);
    expectExactlyOnce(references.windows, runtime.jobRunReports.get('windows')!, 'stall:tm3');
    expect(report.events.filter((e) => e.kind === 'taskmanager-lost').map((e) => e.taskManager)).toEqual(['tm3']);
    const background = runtime.jobRunReports.get('background')!;
    expect(background.failures.map((f) => f.cause)).toEqual([expect.stringMatching(/^background: TaskManager tm3 was lost: no heartbeat for \d+ ms \(heartbeat\.timeout 1000 ms\)$/)]);
    const r = background.restarts[0]!;
    expect(r.detectionMs).toBeGreaterThan(0);
    // the model's detection term, known before the loss: the heartbeat timeout of a TaskManager that went silent
    expect(r.predicted.detectionMs).toBe(1000);
    expect(r.predictedRecoveryMs).toBeGreaterThanOrEqual(1000);
    expect(runtime.jobRunReports.get('windows')!.failures).toEqual([]);
    // fenced: tm3 resumed heartbeating after it was declared lost; none was taken, it never registered again
    const tm3 = runtime.taskManagerWorkers.find((w) => w.taskManager === 'tm3')!;
    expect(tm3.fencedHeartbeats).toBeGreaterThan(0);
    expect(report.events.filter((e) => e.taskManager === 'tm3').map((e) => e.kind)).toEqual(['taskmanager-registered', 'taskmanager-lost']);
    expect(threadHandles()).toBe(before);
  });

  it('every re-placement of these runs passed the validator and left the lost TaskManagers empty', () => {
    expect(replacements.length).toBeGreaterThanOrEqual(3);
    for (const r of replacements) expect(r).toEqual({ violations: [], onLost: [] });
  });
});

describe('which jobs fail over', () => {
  it("a job's own restartStrategy in the workload file wins over the cluster's; a bad one names the file and the field", () => {
    const doc = JSON.parse(readFileSync(BUNDLED_FILE, 'utf8')) as { jobs: Array<Record<string, unknown>> };
    doc.jobs[0]!['restartStrategy'] = 'fixed-delay:attempts=3,delay=10ms';
    const workload = createWorkload(parseWorkloadDocument(doc, 'recovery.json'));
    const roles = { step: () => undefined, after: () => undefined, state: () => undefined as never, thread: () => undefined, loseNow: () => undefined, heartbeatIntervalMs: 100, mode: 'pipelined' as const };
    const failover = new ClusterFailover(workload, { restartStrategy: { type: 'none' } }, roles);
    expect(workload.jobs.map((j) => [j.id, failover.failsOver(j.id)])).toEqual([
      ['wordcount', true],
      ['windows', false],
      ['background', false],
    ]);
    expect(failover.restartStrategyOf('wordcount')).toEqual({ type: 'fixed-delay', attempts: 3, delayMs: 10 });
    doc.jobs[1]!['restartStrategy'] = 'fixed-delay:tries=2';
    expect(() => parseWorkloadDocument(doc, 'recovery.json')).toThrow(/^recovery\.json: \$\.jobs\[1\]\.restartStrategy: fixed-delay:tries=2: restart-strategy\.fixed-delay\.tries: 2: is not an option/);
  });
});
