import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../main.ts';
import { captureOutput } from '../test/capture.ts';

const capture = captureOutput;

const EXAMPLE = 'datasets/examples/workloads/two-teams.json';

interface JsonReport {
  jobs: Array<{ id: string; arrivalMs: number; startMs: number | null; endMs: number | null; completionMs: number | null; status: string; reason: string | null }>;
  summary: { averageCompletionMs: number; p95CompletionMs: number; makespanMs: number; slotUtilization: number; fairness: number };
}

describe('slotlab cluster', () => {
  afterEach(() => vi.restoreAllMocks());

  it('--simulate --json: one object with jobs[] and summary; the never-fitting job is rejected with its reason, the others run', async () => {
    const io = capture();
    expect(await main(['cluster', EXAMPLE, '--simulate', '--queue', 'fair', '--allocation', 'water-filling', '--placement', 'heft', '--json'])).toBe(0);
    const report = JSON.parse(io.out()) as JsonReport;
    expect(Object.keys(report.summary).sort()).toEqual(expect.arrayContaining(['averageCompletionMs', 'p95CompletionMs', 'makespanMs', 'slotUtilization', 'fairness']));
    for (const j of report.jobs) expect(Object.keys(j)).toEqual(expect.arrayContaining(['id', 'arrivalMs', 'startMs', 'endMs', 'completionMs', 'status']));
    const wide = report.jobs.find((j) => j.id === 'too-wide')!;
    expect(wide).toMatchObject({ status: 'rejected', reason: 'needs at least 16 slots (shared) but the cluster can offer at most 12' });
    expect(report.jobs.filter((j) => j.status === 'finished')).toHaveLength(5);
    for (const j of report.jobs.filter((x) => x.status === 'finished')) expect(j.completionMs).toBeCloseTo(j.endMs! - j.arrivalMs, 9);
    expect(report.summary.slotUtilization).toBeGreaterThan(0);
    expect(report.summary.slotUtilization).toBeLessThanOrEqual(1);
  });

  it('the same workload and seed print the same report', async () => {
    const run = async () => {
      const io = capture();
      expect(await main(['cluster', 'datasets/examples/workloads/generated-rho0.7-seed1.json', '--simulate', '--queue', 'drf', '--json'])).toBe(0);
      vi.restoreAllMocks();
      return io.out();
    };
    const first = await run();
    expect(await run()).toBe(first);
    expect((JSON.parse(first) as JsonReport).jobs).toHaveLength(12);
  });

  it('prints the per-job table and the summary', async () => {
    const io = capture();
    expect(await main(['cluster', EXAMPLE, '--simulate'])).toBe(0);
    expect(io.out()).toMatch(/│ job +│ user +│ prio +│ status +│ arrival +│ start +│ end +│ completion +│ slowdown +│ slots held\/demand/);
    expect(io.out()).toMatch(/completion average [\d.]+ ms, p95 [\d.]+ ms {3}makespan [\d.]+ ms/);
    expect(io.out()).toContain('rejected too-wide: needs at least 16 slots');
  });

  const bad: Array<[string, string[], RegExp]> = [
    ['a workload naming a missing file', ['datasets/examples/bad/workload-missing-file.json', '--simulate'], /workload-missing-file\.json: \$\.jobs\[1\]\.file should be the path of an existing job file .*no-such-graph\.stg/],
    ['a negative arrival time', ['datasets/examples/bad/workload-negative-arrival.json', '--simulate'], /workload-negative-arrival\.json: \$\.jobs\[0\]\.arrivalMs should be a finite number >= 0, got -5/],
    ['an unknown queue policy', [EXAMPLE, '--simulate', '--queue', 'lottery'], /no queue policy is named "lottery"; known queue policies: fifo, priority, fair, drf, sjf, packing/],
    ['an unknown allocation policy', [EXAMPLE, '--simulate', '--allocation', 'random'], /no allocation policy is named "random"; known allocation policies: first-fit, least-utilization, water-filling, milp/],
    ['an unknown placement solver', [EXAMPLE, '--simulate', '--placement', 'nope'], /no solver is named "nope"/],
    ['a metrics port out of range', [EXAMPLE, '--metrics-port', '70000'], /--metrics-port.*should be a port number from 1 to 65535/],
    ['a heartbeat timeout not longer than the interval', [EXAMPLE, '--heartbeat-interval', '100ms', '--heartbeat-timeout', '50ms'], /--heartbeat-timeout.*should be longer than --heartbeat-interval \(100 ms\)/],
    ['checkpoints without pipelined mode', [EXAMPLE, '--checkpoint-interval', '20'], /^slotlab: --checkpoint-interval: 20: needs --mode pipelined/],
    ['a malformed fault', [EXAMPLE, '--inject', 'stall:tm1@5ms'], /^slotlab: --inject: stall:tm1@5ms: stall takes a start and a duration > 0 \(250ms\+500ms\)/],
    ['a fault on a TaskManager the cluster does not have', ['datasets/examples/workloads/recovery.json', '--inject', 'kill:tm9@10ms'], /^slotlab: --inject: kill:tm9: names TaskManager "tm9", which the cluster of recovery does not have \(tm1, tm2, tm3\)/],
    ['a fault the cluster does not take', ['datasets/examples/workloads/recovery.json', '--inject', 'throw:count#1@5rec'], /^slotlab: --inject: throw:count#1: is not supported by slotlab cluster/],
  ];
  it.each(bad)('%s: one line on stderr, exit 1, nothing on stdout', async (_what, args, message) => {
    const io = capture();
    expect(await main(['cluster', ...args])).toBe(1);
    expect(io.err()).toMatch(message);
    expect(io.err().trim().split('\n')).toHaveLength(1);
    expect(io.out()).toBe('');
  });

  it('without --simulate: measured on the runtime, the simulator\'s figures under predicted (per job and summary)', async () => {
    // Flink's unscaled timers (slot.request.timeout 5 min), so that no request times out on a busy machine.
    const dir = mkdtempSync(join(tmpdir(), 'slotlab-cluster-'));
    try {
      const file = join(dir, 'three.json');
      const map = (parallelism: number, workMs: number) => ({ operators: [{ id: 'map', parallelism, workMs, kind: 'synthetic' }], edges: [] });
      writeFileSync(
        file,
        JSON.stringify({
          format: 'slotlab/workload@1',
          name: 'three',
          cluster: { taskManagers: [{ id: 'tm1', slotCount: 4 }, { id: 'tm2', slotCount: 4 }] },
          jobs: [
            { id: 'a', arrivalMs: 0, variant: 'shared', job: map(4, 50) },
            { id: 'b', arrivalMs: 10, variant: 'shared', job: map(6, 30) },
            { id: 'wide', arrivalMs: 20, variant: 'shared', job: map(9, 10) },
          ],
        }),
      );
      const simulated = capture();
      expect(await main(['cluster', file, '--simulate', '--json'])).toBe(0);
      const predicted = JSON.parse(simulated.out()) as JsonReport;
      vi.restoreAllMocks();
      const io = capture();
      expect(await main(['cluster', file, '--json'])).toBe(0);
      const report = JSON.parse(io.out()) as {
        mode: string;
        jobs: Array<JsonReport['jobs'][number] & { predicted: Record<string, unknown> }>;
        summary: JsonReport['summary'] & { predicted: Record<string, unknown> };
      };
      expect(report.mode).toBe('measured');
      expect(report.jobs.map((j) => [j.id, j.status])).toEqual([
        ['a', 'finished'],
        ['b', 'finished'],
        ['wide', 'rejected'],
      ]);
      expect(predicted.jobs.map((j) => [j.id, j.status])).toEqual(report.jobs.map((j) => [j.id, j.status]));
      // predicted = the --simulate figures, job by job and in the summary
      for (const [i, j] of report.jobs.entries()) {
        const { id: _id, name: _name, user: _user, priority: _p, arrivalMs: _a, demandSlots: _d, ...rest } = predicted.jobs[i] as unknown as Record<string, unknown>;
        expect(j.predicted).toEqual(rest);
      }
      expect(report.summary.predicted).toEqual(predicted.summary);
      for (const j of report.jobs.filter((x) => x.status === 'finished')) expect(j.completionMs).toBeCloseTo(j.endMs! - j.arrivalMs, 9);
      // b needs 6 of the 8 slots: it starts when a has ended, measured as predicted
      expect(report.jobs[1]!.startMs!).toBeGreaterThanOrEqual(report.jobs[0]!.endMs!);
      expect(io.err()).toMatch(/^slotlab: cluster runtime: 2 TaskManager workers, heartbeat\.interval 100 ms, heartbeat\.timeout 500 ms; Ctrl-C stops every worker\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s during a measured run: every worker is stopped, exit %i', async (signal, code) => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), 'slotlab-cluster-'));
    try {
      const file = join(dir, 'long.json');
      const job = { operators: [{ id: 'map', parallelism: 4, workMs: 60_000, kind: 'synthetic' }], edges: [] };
      writeFileSync(file, JSON.stringify({ format: 'slotlab/workload@1', name: 'long', cluster: { taskManagers: [{ id: 'tm1', slotCount: 4 }] }, jobs: [{ id: 'long', arrivalMs: 0, variant: 'shared', job }] }));
      const child = spawn(process.execPath, [join(root, 'bin', 'slotlab.js'), 'cluster', file], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += String(d)));
      const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
      await new Promise<void>((resolve) =>
        child.stderr.on('data', (d: Buffer) => {
          err += String(d);
          if (err.includes('Ctrl-C stops every worker')) resolve();
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 500)); // the job's workers are running
      child.kill(signal);
      // The process exits by itself with the code (not killed by the signal), after the runtime saw every worker exit.
      expect(await exited).toEqual([code, null]);
      expect(err).toContain(`slotlab: cluster run of long interrupted: ${signal}; every worker has exited`);
      expect(out).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
