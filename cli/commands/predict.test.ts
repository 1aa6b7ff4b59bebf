import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli as slotlab } from '../test/run-cli.ts';

/** `slotlab sweep` and `slotlab predict`, each command run in-process as the launcher runs it (cli/test/run-cli.ts). */
const work = mkdtempSync(join(tmpdir(), 'slotlab-predict-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function csv(name: string, text: string): string {
  const file = join(work, name);
  writeFileSync(file, text);
  return file;
}
const oneLine = (stderr: string) => stderr.trimEnd().split('\n');

describe('slotlab predict (CSV)', () => {
  // t = 100 + 800/m exactly (Amdahl with s = 100 ms, p = 800 ms), measured at 1..4 and at the targets 8, 16
  const exact = csv('amdahl.csv', ['task_managers,measured_ms', ...[1, 2, 3, 4, 8, 16].map((m) => `${m},${100 + 800 / m}`)].join('\n'));

  it('fits on --train, predicts --at, reports the error where measured', async () => {
    const r = await slotlab('predict', exact, '--train', '1,2,3,4', '--at', '8,16', '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { models: { model: string; coefficients: Record<string, number>; targets: { taskManagers: number; predictedMs: number; measuredMs: number; errorPct: number }[]; mapePct: number }[] };
    const amdahl = out.models.find((m) => m.model === 'amdahl')!;
    expect(amdahl.coefficients['s']).toBeCloseTo(100, 6);
    expect(amdahl.coefficients['p']).toBeCloseTo(800, 6);
    expect(amdahl.targets.map((t) => t.measuredMs)).toEqual([200, 150]);
    expect(amdahl.mapePct).toBeLessThan(1e-6);
    const ernest = out.models.find((m) => m.model === 'ernest')!;
    expect(ernest.mapePct).toBeLessThan(1e-4); // θ = (100, 800, 0, 0) is inside Ernest's family
    // least-squares line through (1, 900), (2, 500), (3, 366.7), (4, 300): a = Sxy/Sxx = -966.7/5 = -193.3, b = 1000;
    // at 8 TMs it predicts 1000 - 8·193.3 = -546.7 ms (the baseline cannot bend)
    const linear = out.models.find((m) => m.model === 'linear')!;
    expect(linear.coefficients['a']).toBeCloseTo(-2900 / 15, 6);
    expect(linear.targets[0]!.predictedMs).toBeCloseTo(1000 - (8 * 2900) / 15, 6);
  });

  it('prints the coefficients, a table with intervals and the MAPE', async () => {
    const r = await slotlab('predict', exact, '--model', 'ernest');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/ernest +t = θ0 \+ θ1·\(scale\/m\) \+ θ2·log\(m\) \+ θ3·m: theta0 = 100, theta1 = 800/);
    expect(r.stdout).toMatch(/│ ernest │ 16 +│ 150\.0 /);
    expect(r.stdout).toMatch(/MAPE at the measured targets: ernest 0\.0 %/);
  });

  it('--budget chooses the training runs (A-optimal) and says what it saved', async () => {
    const r = await slotlab('predict', exact, '--model', 'amdahl', '--budget', '5', '--candidates', '1,2,3,4');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/train on 1, 4 \(cost 5 of the full sweep's 10: saved 50 %/);
  });

  it('bad input: one line naming the file or flag and the field, exit 1', async () => {
    const few = csv('few.csv', 'task_managers,measured_ms\n1,900\n2,500\n3,366\n');
    const cases: [string[], RegExp][] = [
      [['predict', few, '--model', 'ernest'], /few\.csv: training points: model ernest has 4 parameters but only 3 training points were given \(task_managers 1, 2, 3\)/],
      [['predict', csv('zero.csv', 'task_managers,measured_ms\n0,900\n1,500\n'), '--model', 'linear'], /zero\.csv: line 2, column task_managers should be a number of TaskManagers > 0, got "0"/],
      [['predict', csv('notime.csv', 'task_managers,seconds\n1,9\n'), '--model', 'linear'], /notime\.csv: line 1 \(header\) should be a header with a time column \(measured_ms or measured_completion\)/],
      [['predict', csv('notm.csv', 'machines,measured_ms\n1,9\n')], /notm\.csv: line 1 \(header\) should be a header with a task_managers column/],
      [['predict', exact, '--train', '0,1'], /--train: 0,1: should list TaskManager counts/],
      [['predict', exact, '--model', 'cubic'], /--model: cubic: should name models among linear, ernest, amdahl/],
    ];
    for (const [args, message] of cases) {
      const r = await slotlab(...args);
      expect(r.status, args.join(' ')).toBe(1);
      expect(oneLine(r.stderr)).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  }, 240_000);
});

describe('slotlab sweep', () => {
  it('runs a job on the runtime at each TaskManager count and writes the CSV; predict reads it back', async () => {
    const out = join(work, 'diamond.csv');
    const r = await slotlab('sweep', 'datasets/examples/small-diamond.stg', '--task-managers', '1,2', '--time-scale', '2', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('instance,task_managers,slots,placement,predicted_ms,measured_ms,startup_ms,repeat,seed');
    expect(lines).toHaveLength(3);
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.map((c) => c[1])).toEqual(['1', '2']);
    for (const c of rows) expect(Number(c[5])).toBeGreaterThan(0);
    // two points: the Amdahl model (2 parameters) fits, Ernest (4) is refused
    expect((await slotlab('predict', out, '--train', '1,2', '--at', '4', '--model', 'amdahl')).status).toBe(0);
    expect((await slotlab('predict', out, '--train', '1,2', '--model', 'ernest')).stderr).toMatch(/model ernest has 4 parameters but only 2 training points/);
  });

  it('refuses a bad TaskManager list', async () => {
    const r = await slotlab('sweep', 'datasets/examples/small-diamond.stg', '--task-managers', '1,-2');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/--task-managers: 1,-2: should list TaskManager counts \(integers >= 1\)/);
  });
});
