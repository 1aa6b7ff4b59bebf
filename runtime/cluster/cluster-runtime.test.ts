import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createJobGraph } from '../../models/graphs/job-graph.ts';
import { createWorkload, type WorkloadSpec } from '../../models/cluster/workload.ts';
import type { ClusterJobSpec } from '../../models/cluster/job.ts';
import { ClusterInterruptedError, ClusterRuntime, type ClusterRuntimeOptions } from './cluster-runtime.ts';
import { clusterRuntimeOptions } from '../../test/support/cluster-runtime-options.ts';
import { clusterGauges, type ClusterGauges } from './metrics.ts';

/** A job of one operator, `parallelism` subtasks of `workMs` each, under slot sharing: demand `parallelism` slots. */
function mapJob(id: string, arrivalMs: number, parallelism: number, workMs: number): ClusterJobSpec {
  return { id, arrivalMs, jobGraph: createJobGraph({ operators: [{ id: 'map', parallelism, workMs, kind: 'synthetic' }], edges: [] }, id), variant: 'shared' };
}

const TWO_TMS = { taskManagers: [{ id: 'tm1', slotCount: 2 }, { id: 'tm2', slotCount: 2 }] };

function options(extra: Partial<ClusterRuntimeOptions> = {}): ClusterRuntimeOptions {
  return clusterRuntimeOptions(extra);
}

/** The process's OS threads (Linux): every worker thread is one, and it is gone when the worker has exited.
 *  (process.getActiveResourcesInfo() does not list Worker handles, so it cannot tell.) */
function threadHandles(): number {
  return readdirSync('/proc/self/task').length;
}

/** Polls until the runtime's first job runs (its slots granted, its JobMaster started). */
async function untilRunning(runtime: ClusterRuntime): Promise<void> {
  while (runtime.view?.jobs[0]?.status !== 'running') {
    if (runtime.taskManagerWorkers.some((w) => w.exitCode !== null)) throw new Error('a TaskManager worker exited before the job ran');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the cluster runtime', () => {
  it('runs every job on the TaskManager workers, in the order fifo admits them, and leaves no worker behind', async () => {
    const before = threadHandles();
    const spec: WorkloadSpec = { name: 'two-in-a-row', cluster: TWO_TMS, jobs: [mapJob('a', 0, 4, 40), mapJob('b', 0, 4, 40)] };
    const runtime = new ClusterRuntime(createWorkload(spec), options());
    const report = await runtime.run();
    expect(report.mode).toBe('measured');
    expect(report.jobs.map((j) => [j.id, j.status, j.slots])).toEqual([
      ['a', 'finished', 4],
      ['b', 'finished', 4],
    ]);
    // b needs the whole cluster, so it starts when a has released its slots.
    const [a, b] = report.jobs;
    expect(b!.startMs!).toBeGreaterThanOrEqual(a!.endMs!);
    expect(report.events.filter((e) => e.kind !== 'taskmanager-registered').map((e) => `${e.kind} ${e.job}`)).toEqual([
      'job-submitted a',
      'job-submitted b',
      'job-admitted a',
      'slots-granted a',
      'job-finished a',
      'job-admitted b',
      'slots-granted b',
      'job-finished b',
    ]);
    expect(runtime.taskManagerWorkers.map((w) => w.taskManager)).toEqual(['tm1', 'tm2']);
    expect(runtime.taskManagerWorkers.every((w) => w.exitCode !== null && w.heartbeats > 0)).toBe(true);
    expect(threadHandles()).toBe(before);
  });

  it('a TaskManager that stops heartbeating is lost within timeout + one interval; its slots leave the registry, its job fails naming it', async () => {
    const before = threadHandles();
    const intervalMs = 100;
    const timeoutMs = 500;
    const stopAtMs = 200;
    const spec: WorkloadSpec = {
      name: 'lose-tm1',
      cluster: TWO_TMS,
      // `long` takes tm1's 2 slots (first-fit) and would run 8 s; `wide` needs all 4 slots and waits in the queue
      // (ahead of anything later, under fifo); after the loss only 2 slots remain, so it fails instead of waiting
      // for ever; `later` arrives after the loss and runs on tm2.
      jobs: [mapJob('long', 0, 2, 8000), mapJob('wide', 100, 4, 20), mapJob('later', 1500, 2, 20)],
    };
    const runtime = new ClusterRuntime(
      createWorkload(spec),
      options({ heartbeatIntervalMs: intervalMs, heartbeatTimeoutMs: timeoutMs, faults: [{ taskManager: 'tm1', stopHeartbeatsAtMs: stopAtMs }] }),
    );
    let during = 0;
    const sample = setTimeout(() => (during = threadHandles()), 100);
    const report = await runtime.run();
    clearTimeout(sample);
    expect(during).toBeGreaterThanOrEqual(before + 2); // the 2 TaskManager workers at least: the count sees worker threads
    const lost = report.events.filter((e) => e.kind === 'taskmanager-lost');
    expect(lost.map((e) => e.taskManager)).toEqual(['tm1']);
    const lostAt = lost[0]!.timeMs;
    expect(lostAt - stopAtMs).toBeLessThanOrEqual(timeoutMs + intervalMs);
    expect(lostAt - stopAtMs).toBeGreaterThan(timeoutMs - intervalMs);
    const long = report.jobs.find((j) => j.id === 'long')!;
    expect(long.grants).toEqual([{ taskManager: 'tm1', job: 'long', slots: 2 }]);
    expect(long.status).toBe('failed');
    expect(long.reason).toMatch(/^TaskManager tm1 was lost: no heartbeat for \d+ ms \(heartbeat\.timeout 500 ms\)$/);
    expect(long.endMs).toBe(lostAt);
    const wide = report.jobs.find((j) => j.id === 'wide')!;
    expect([wide.status, wide.reason, wide.endMs]).toEqual(['failed', 'needs at least 4 slots (shared) but after TaskManager tm1 was lost the cluster can offer at most 2', lostAt]);
    const later = report.jobs.find((j) => j.id === 'later')!;
    expect([later.status, later.grants]).toEqual(['finished', [{ taskManager: 'tm2', job: 'later', slots: 2 }]]);
    // The registry: tm1 and its slots are gone.
    const view = runtime.view!;
    expect(view.taskManagers.map((tm) => tm.id)).toEqual(['tm2']);
    expect([view.capacity.slots, view.freeSlots]).toEqual([2, 2]);
    // Every worker has exited: the TaskManagers' and the JobMasters' (no thread handle left).
    expect(runtime.taskManagerWorkers.map((w) => [w.taskManager, w.exitCode !== null])).toEqual([
      ['tm1', true],
      ['tm2', true],
    ]);
    expect(threadHandles()).toBe(before);
  });

  it('an abort stops every job and worker and rejects with ClusterInterruptedError', async () => {
    const before = threadHandles();
    const controller = new AbortController();
    const spec: WorkloadSpec = { name: 'interrupted', cluster: TWO_TMS, jobs: [mapJob('long', 0, 4, 5000)] };
    const runtime = new ClusterRuntime(createWorkload(spec), options({ signal: controller.signal }));
    const run = runtime.run();
    run.catch(() => undefined);
    await untilRunning(runtime);
    controller.abort('SIGINT');
    await expect(run).rejects.toThrow(ClusterInterruptedError);
    await expect(run).rejects.toThrow(/interrupted: SIGINT/);
    expect(runtime.view!.jobs.map((j) => j.status)).toEqual(['running']);
    expect(runtime.taskManagerWorkers.every((w) => w.exitCode !== null)).toBe(true);
    expect(threadHandles()).toBe(before);
  });

  it('serves Flink\'s cluster gauges and per-subtask task metrics as Prometheus text on 127.0.0.1 while it runs, and stops serving after', async () => {
    const before = threadHandles();
    const controller = new AbortController();
    // Two jobs at once on the long-lived TaskManager threads: `long` (2 slots, first-fit: tm1) and `pipe` (tm2), a
    // source feeding a map, whose subtasks all run on tm2's thread.
    const pipe: ClusterJobSpec = {
      id: 'pipe',
      arrivalMs: 0,
      jobGraph: createJobGraph(
        {
          operators: [
            { id: 'src', parallelism: 1, workMs: 5000, kind: 'synthetic' },
            { id: 'map', parallelism: 1, workMs: 10, kind: 'synthetic' },
          ],
          edges: [{ from: 'src', to: 'map', partitioning: 'forward', bytes: 1000 }],
        },
        'pipe',
      ),
      variant: 'shared',
    };
    const spec: WorkloadSpec = { name: 'metrics', cluster: TWO_TMS, jobs: [mapJob('long', 0, 2, 5000), pipe] };
    const runtime = new ClusterRuntime(createWorkload(spec), options({ signal: controller.signal, metricsPort: 0, metricsWindowMs: 500 }));
    const run = runtime.run();
    run.catch(() => undefined);
    await untilRunning(runtime);
    const port = runtime.metricsPort!;
    // Scrape until every running subtask (long's 2 on tm1, pipe's source on tm2) has a window of ≥ 2 heartbeats.
    let lines: string[] = [];
    let gauges: ClusterGauges | undefined;
    for (let attempt = 0; attempt < 50; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect([response.status, response.headers.get('content-type')]).toEqual([200, 'text/plain; version=0.0.4']);
      gauges = clusterGauges(runtime.view!);
      lines = (await response.text()).split('\n').filter((l) => l !== '' && !l.startsWith('#'));
      if (lines.filter((l) => l.startsWith('busyTimeMsPerSecond{')).length === 3) break;
    }
    // The slot gauges equal the ResourceManager's state.
    expect(lines.slice(0, 4)).toEqual(Object.entries(gauges!).map(([name, value]) => `${name} ${value}`));
    expect(lines.slice(0, 4)).toEqual(['numRegisteredTaskManagers 2', 'taskSlotsTotal 4', 'taskSlotsAvailable 1', 'numRunningJobs 2']);
    // Per running subtask, with Flink's Prometheus labels: busy + idle + back-pressured ≈ 1000 ms per second.
    const value = (name: string, labels: string): number => Number(lines.find((l) => l.startsWith(`${name}{${labels}}`))!.split(' ').at(-1));
    const subtasks = lines.filter((l) => l.startsWith('busyTimeMsPerSecond{')).map((l) => l.slice('busyTimeMsPerSecond{'.length, l.indexOf('}')));
    expect(subtasks.sort()).toEqual([
      'job_id="long",job_name="long",task_name="map",subtask_index="0",tm_id="tm1"',
      'job_id="long",job_name="long",task_name="map",subtask_index="1",tm_id="tm1"',
      'job_id="pipe",job_name="pipe",task_name="src",subtask_index="0",tm_id="tm2"',
    ]);
    for (const labels of subtasks) {
      const sum = value('busyTimeMsPerSecond', labels) + value('idleTimeMsPerSecond', labels) + value('backPressuredTimeMsPerSecond', labels);
      expect(Math.abs(sum - 1000)).toBeLessThanOrEqual(100);
      expect(value('numRecordsInPerSecond', labels)).toBeGreaterThanOrEqual(0);
      expect(value('numRecordsOutPerSecond', labels)).toBeGreaterThanOrEqual(0);
    }
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    controller.abort('test over');
    await expect(run).rejects.toThrow(ClusterInterruptedError);
    expect(runtime.metricsPort).toBeUndefined();
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
    expect(threadHandles()).toBe(before);
  });
});
