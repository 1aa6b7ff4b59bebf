import { describe, expect, it } from 'vitest';
import { runCli as slotlab } from '../cli/test/run-cli.ts';

// Each command runs in-process as the launcher runs it (cli/test/run-cli.ts); the launcher itself: test/cli-process.test.ts.
describe('slotlab CLI, as a user runs it', () => {
  it('--help lists the commands', async () => {
    const r = await slotlab('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/solve/);
  });

  it('solve prints a validated answer and --json one object', async () => {
    const r = await slotlab('solve', 'datasets/examples/design-example.json', '--solver', 'heft', '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { status: string; objective: number; valid: boolean; timeMs: number; solution: { assignments: unknown[] } };
    expect(out.valid).toBe(true);
    expect(out.solution.assignments).toHaveLength(6);
    expect(out.objective).toBeGreaterThan(0);
  });

  it('solve prints the schedule per slot (HEFT paper example, Topcuoglu et al. 2002 Fig. 4a, makespan 80); --quiet hides it', async () => {
    const file = 'datasets/data/heft-fixtures/topcuoglu2002_fig2.json';
    const r = await slotlab('solve', file, '--solver', 'heft');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      [
        'schedule   makespan 80 ms; per slot: subtask start–end (ms), * = on the critical path',
        '  P1 / slot 0  n2#0 27–40  n8#0* 57–62',
        '  P2 / slot 0  n4#0* 18–26  n6#0* 26–42  n9#0 56–68  n10#0* 73–80',
        '  P3 / slot 0  n1#0* 0–9  n3#0 9–28  n5#0 28–38  n7#0 38–49',
      ].join('\n'),
    );
    const quiet = await slotlab('solve', file, '--solver', 'heft', '--quiet');
    expect(quiet.status).toBe(0);
    expect(quiet.stdout).toMatch(/^objective +80 /m);
    expect(quiet.stdout).not.toMatch(/schedule|slot 0/);
  });

  it('an infeasible instance is a result: status infeasible with the reason, exit 2', async () => {
    const r = await slotlab('solve', 'datasets/examples/bad/exclusive-too-few-slots.json', '--solver', 'heft', '--json');
    expect(r.status).toBe(2);
    const out = JSON.parse(r.stdout) as { status: string; message: string };
    expect(out.status).toBe('infeasible');
    expect(out.message).toMatch(/subtasks but the cluster has \d+ slots/);
  });

  const bad: Array<[string, RegExp]> = [
    ['cyclic-job.json', /cyclic-job\.json: the graph must be acyclic, but it has the cycle A -> B -> C -> A/],
    ['negative-cost.json', /negative-cost\.json: \$\.job\.operators\[1\]\.workMs should be a finite number >= 0, got -5/],
    ['forward-unequal-parallelism.json', /forward edge needs equal parallelism on both ends, but A has 2 and B has 3/],
    ['missing-field.json', /missing-field\.json: \$\.job\.operators\[2\]\.parallelism .*missing/],
    ['truncated.stg', /truncated\.stg: line 5 .*truncated/],
    ['dangling-parent.wfformat.json', /dangling-parent\.wfformat\.json: .*parents\[1\].*does not exist/],
  ];
  it.each(bad)('refuses %s with one clear line and a non-zero exit, no stack trace', async (file, message) => {
    const r = await slotlab('solve', `datasets/examples/bad/${file}`, '--solver', 'heft', '--cluster', '2x2');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('names the models a solver applies to', async () => {
    const r = await slotlab('solve', 'datasets/examples/design-example.json', '--solver', 'lpt');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/solver "lpt" solves load-balancing instances, not dag-placement/);
  });

  it('names what is missing: the instance first, then --solver (solve) or --placement (run)', async () => {
    const none = await slotlab('solve');
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/missing required argument 'instance'/);
    const noSolver = await slotlab('solve', 'datasets/examples/design-example.json');
    expect([noSolver.status, noSolver.stderr.trimEnd()]).toEqual([1, 'slotlab: --solver: is required: name a solver for the instance (`slotlab solvers` lists them)']);
    const noPlacement = await slotlab('run', 'datasets/examples/design-example.json');
    expect([noPlacement.status, noPlacement.stderr.trimEnd()]).toEqual([1, 'slotlab: --placement: is required: a placement file or a DAG placement solver name, e.g. heft']);
  });
});
