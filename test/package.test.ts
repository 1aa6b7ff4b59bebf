import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * slotlab as a user gets it: `npm pack` (of the dist/ that `npm test` has just built), installed into a scratch
 * project, imported as 'slotlab' from TypeScript that slotlab's own compiler type-checks against the shipped
 * declarations, then run on plain Node (no tsx). The script loads the HEFT paper example from the installed
 * package's data, schedules it with HEFT and with the exact MILP (HiGHS in its worker thread), validates both and
 * executes the HEFT schedule on the runtime (TaskManager worker threads), which exercises every file the package
 * resolves at run time.
 *
 * Figures: HEFT makespan 80 (Topcuoglu, Hariri & Wu, IEEE TPDS 13(3), 2002, Fig. 2 example); optimum 73 (proved
 * independently by OR-tools CP-SAT, /work/shared/NOTES.md).
 */

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const work = mkdtempSync(join(tmpdir(), 'slotlab-package-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first (`npm test` builds before it runs the tests)');
});

function run(command: string, args: readonly string[], cwd: string, timeoutMs: number): SpawnSyncReturns<string> {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  return r;
}

const SCRIPT = `import { dataPath, loadInstance, runPlacement, seededRng, solve, validateSolution, type SolveResult, type Schedule } from 'slotlab';

const instance = loadInstance(dataPath('heft-fixtures/topcuoglu2002_fig2.json'));
if (instance.kind !== 'dag-placement') throw new Error(\`expected a DAG placement instance, got \${instance.kind}\`);

const heft: SolveResult<Schedule> = await solve('heft', instance, { rng: seededRng(1) });
if (heft.solution === undefined) throw new Error(\`heft gave no schedule: \${heft.status}\`);
// @ts-expect-error: the objective is a number; this line fails to compile if the declarations resolve to any
const notAString: string = heft.objective;
void notAString;

const exact = await solve('milp:highs', instance, { rng: seededRng(1), timeLimitMs: 120_000 });
const report = await runPlacement(instance, heft.solution, { timeScaleMsPerUnit: 1 });

console.log(JSON.stringify({
  heft: { status: heft.status, makespanMs: heft.objective, violations: validateSolution(instance, heft.solution).length },
  exact: { status: exact.status, makespanMs: exact.objective, violations: exact.solution ? validateSolution(instance, exact.solution).length : null },
  run: { predictedMs: report.predictedMs, measuredMs: report.measuredMs, subtasks: report.subtasks.length },
}));
`;

describe("the packed package, installed and imported as 'slotlab'", () => {
  it('type-checks against the shipped declarations and runs on plain Node: HEFT 80, optimum 73, valid, executed', { timeout: 600_000 }, () => {
    const packed = run(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], root, 120_000);
    const [pack] = JSON.parse(packed.stdout) as Array<{ filename: string }>;
    const tarball = join(work, pack!.filename);

    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'slotlab-scratch', private: true, type: 'module' }, null, 2)}\n`);
    writeFileSync(
      join(app, 'tsconfig.json'),
      `${JSON.stringify(
        {
          compilerOptions: {
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            strict: true,
            skipLibCheck: true,
            types: ['node'],
            outDir: 'out',
          },
          files: ['main.ts'],
        },
        null,
        2,
      )}\n`,
    );
    writeFileSync(join(app, 'main.ts'), SCRIPT);
    const typesNode = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies['@types/node'];
    run(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, `@types/node@${typesNode}`], app, 480_000);

    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    run(process.execPath, [tsc, '-p', join(app, 'tsconfig.json')], app, 120_000);

    const out = run(process.execPath, [join(app, 'out', 'main.js')], app, 240_000);
    const result = JSON.parse(out.stdout.trim().split('\n').at(-1)!) as {
      heft: { status: string; makespanMs: number; violations: number };
      exact: { status: string; makespanMs: number; violations: number | null };
      run: { predictedMs: number; measuredMs: number; subtasks: number };
    };
    expect(result.heft).toEqual({ status: 'feasible', makespanMs: 80, violations: 0 });
    expect(result.exact).toEqual({ status: 'optimal', makespanMs: 73, violations: 0 });
    expect(result.run.subtasks).toBe(10);
    expect(result.run.predictedMs).toBe(80);
    expect(result.run.measuredMs).toBeGreaterThanOrEqual(80);
  });
});
