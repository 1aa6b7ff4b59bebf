import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { prestartWorkers, runPool, type PoolOutcome, type PoolTask } from './pool.ts';

const workerFile = fileURLToPath(new URL('./pool.test-worker.ts', import.meta.url));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('runPool', () => {
  it('runs every task, records an overrun as timeout, kills the stuck worker and goes on', async () => {
    const tasks: PoolTask<unknown>[] = [
      { id: 'a', payload: { action: 'echo', value: 1 }, hardLimitMs: 10_000 },
      { id: 'spin', payload: { action: 'spin' }, hardLimitMs: 300 },
      { id: 'throw', payload: { action: 'throw' }, hardLimitMs: 10_000 },
      { id: 'die', payload: { action: 'die' }, hardLimitMs: 10_000 },
      { id: 'b', payload: { action: 'echo', value: 21 }, hardLimitMs: 10_000 },
      { id: 'c', payload: { action: 'echo', value: 5 }, hardLimitMs: 10_000 },
    ];
    const outcomes = new Map<string, PoolOutcome<{ value: number; pid: number }>>();
    await runPool<unknown, { value: number; pid: number }>(tasks, { workerFile, jobs: 2, onOutcome: (t, o) => void outcomes.set(t.id, o) });
    expect([...outcomes.keys()].sort()).toEqual(['a', 'b', 'c', 'die', 'spin', 'throw']);
    expect(outcomes.get('a')).toMatchObject({ kind: 'result', value: { value: 2 } });
    expect(outcomes.get('b')).toMatchObject({ kind: 'result', value: { value: 42 } });
    const spin = outcomes.get('spin')!;
    expect(spin.kind).toBe('timeout');
    expect(spin.elapsedMs).toBeGreaterThanOrEqual(290);
    expect(spin.elapsedMs).toBeLessThan(5000);
    expect(outcomes.get('throw')).toMatchObject({ kind: 'crash', reason: expect.stringMatching(/asked to throw/) });
    expect(outcomes.get('die')).toMatchObject({ kind: 'crash', reason: expect.stringMatching(/exited with code 3: dying on purpose/) });
    const pids = [...outcomes.values()].flatMap((o) => (o.kind === 'result' ? [o.value.pid] : []));
    await new Promise((r) => setTimeout(r, 100));
    for (const pid of pids) expect(alive(pid)).toBe(false);
  });

  it('runs tasks on workers started before them and ends the ones it did not need', async () => {
    const prestarted = prestartWorkers(workerFile, 2);
    const [first, second] = prestarted.pids();
    const outcomes: Array<PoolOutcome<{ value: number; pid: number }>> = [];
    const tasks: PoolTask<unknown>[] = [1, 2, 3].map((value) => ({ id: `t${value}`, payload: { action: 'echo', value }, hardLimitMs: 10_000 }));
    await runPool<unknown, { value: number; pid: number }>(tasks, { workerFile, jobs: 1, prestarted, onOutcome: (_, o) => void outcomes.push(o) });
    expect(outcomes.map((o) => (o.kind === 'result' ? o.value.value : o.kind))).toEqual([2, 4, 6]);
    // one lane: every task ran on the first prestarted worker; the second was never needed and is gone
    expect(outcomes.map((o) => (o.kind === 'result' ? o.value.pid : 0))).toEqual([first, first, first]);
    expect(prestarted.pids()).toEqual([]);
    await new Promise((r) => setTimeout(r, 100));
    expect(alive(first!)).toBe(false);
    expect(alive(second!)).toBe(false);
  });

  it('ends prestarted workers that no pool takes', async () => {
    const prestarted = prestartWorkers(workerFile, 1);
    const [pid] = prestarted.pids();
    expect(alive(pid!)).toBe(true);
    await prestarted.close();
    await prestarted.close(); // idempotent
    expect(alive(pid!)).toBe(false);
  });
});
