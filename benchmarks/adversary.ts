/**
 * The adversarial search's goal (issue 14): on 10-task instances on 3 TaskManagers, find for HEFT an instance whose
 * makespan is at least 1.5 × the proven optimum within 10 minutes, save it, and check it again from the file.
 *
 *   npx tsx benchmarks/adversary.ts                       # 10 minutes, seed 1, results/adversary-benchmark/
 *   npx tsx benchmarks/adversary.ts --budget 60s --seed 2 # shorter
 *
 * Prints the time at which the best ratio first reached 1.5 (and 2, 3), the kept instances, and the re-check: the
 * best kept file is read back by the loader (as `slotlab solve` reads it), HEFT and the exact `bnb` solve it again,
 * both schedules go through the validator, and the ratio is recomputed. The machine's load average is printed
 * beside the times.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { adversarialSearch, readSidecar, writeKept } from './adversary/index.ts';
import { loadInstance } from '../datasets/loaders/index.ts';
import type { DagPlacementInstance } from '../models/dag-placement/instance.ts';
import { validateDagPlacement } from '../models/dag-placement/validator.ts';
import { seededRng } from '../models/rng.ts';
import type { Schedule } from '../models/solution.ts';
import { solveWith } from '../solver/registry.ts';
import { parseDurationMs } from '../cli/options.ts';

const arg = (flag: string, fallback: string) => {
  const i = process.argv.indexOf(flag);
  return i === -1 ? fallback : process.argv[i + 1]!;
};
const budgetMs = parseDurationMs(arg('--budget', '10m'), '--budget');
const seed = Number(arg('--seed', '1'));
const outDir = arg('--out-dir', 'results/adversary-benchmark');
const settings = { target: 'heft', against: 'optimum', taskCount: 10, taskManagerCount: 3, shape: 'layered' as const, seed, budgetMs, keep: 5, proofLimitMs: 5_000 };
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

console.log(`adversary benchmark: heft vs the proven optimum, 10 tasks, 3 TaskManagers, layered, seed ${seed}, budget ${budgetMs / 1000} s; load average at start ${load()}`);
const firstReached = new Map<number, { ms: number; iteration: number }>();
let written = new Set<string>();
let lastLine = 0;
const result = await adversarialSearch({
  ...settings,
  onKept: (kept) => {
    written = writeKept(outDir, settings, kept, written);
  },
  onIteration: (s) => {
    for (const level of [1.5, 2, 3]) if (s.bestRatio >= level && s.bestProof === 'optimal' && !firstReached.has(level)) firstReached.set(level, { ms: s.elapsedMs, iteration: s.iteration });
    if (s.elapsedMs - lastLine >= 30_000) {
      lastLine = s.elapsedMs;
      process.stderr.write(`  ${(s.elapsedMs / 1000).toFixed(0)} s: iteration ${s.iteration}, run ${s.run}, current ${s.currentRatio.toFixed(4)}, best ${s.bestRatio.toFixed(4)} (${s.bestProof})\n`);
    }
  },
});
console.log(`${result.iterations} instances evaluated in ${result.runs} runs, ${(result.elapsedMs / 1000).toFixed(1)} s, ${result.notProven} optima not proven within 5 s; load average at end ${load()}`);
for (const [level, at] of firstReached) console.log(`best ratio ≥ ${level} against the proven optimum first at ${(at.ms / 1000).toFixed(1)} s (iteration ${at.iteration})`);
if (!firstReached.has(1.5)) console.log('best ratio never reached 1.5 against a proven optimum');
console.log('kept (worst first):');
for (const k of result.kept)
  console.log(`  ratio ${k.ratio.toFixed(4)}  heft ${k.targetMakespanMs} ms  reference ${k.referenceMakespanMs} ms (${k.referenceSolver}, ${k.proof})  ${join(outDir, `${k.spec.name}.json`)}`);

// Re-check the worst one from its files.
const best = result.kept[0]!;
const file = join(outDir, `${best.spec.name}.json`);
const sidecar = readSidecar(join(outDir, `${best.spec.name}.adversary.json`));
const instance = loadInstance(file) as DagPlacementInstance;
const check = async (solver: string, options: { timeLimitMs?: number }) => {
  const r = await solveWith(solver, instance, { rng: seededRng(seed), ...options });
  const violations = r.solution ? validateDagPlacement(instance, r.solution as Schedule) : [{ message: 'no schedule' }];
  return { status: r.status, makespanMs: r.objective!, valid: violations.length === 0 };
};
const heft = await check('heft', {});
const optimum = await check('bnb', { timeLimitMs: 60_000 });
console.log(`re-check of ${file}: heft ${heft.makespanMs} ms (${heft.valid ? 'valid' : 'INVALID'}), bnb ${optimum.makespanMs} ms ${optimum.status} (${optimum.valid ? 'valid' : 'INVALID'}), ratio ${(heft.makespanMs / optimum.makespanMs).toFixed(4)}; sidecar says ${sidecar.ratio.toFixed(4)} (${sidecar.proof})`);
process.exit(heft.valid && optimum.valid && Math.abs(heft.makespanMs / optimum.makespanMs - sidecar.ratio) < 1e-9 ? 0 : 1);
