/**
 * Stranded resources of fine-grained slot allocation (docs/memory.md, "Fine-grained resources"): on seeded
 * `fine-grained-slots` workloads (several slot profiles on TaskManagers whose memory Flink's rules derive from their
 * process size), Flink's own strategy (`first-fit`: DefaultResourceAllocationStrategy takes the first registered
 * TaskManager that can fulfil a requirement), `best-fit` and the exact optimum (`min-stranded`, HiGHS, proven)
 * are compared by the CPU cores and memory left on TaskManagers where no request profile of the workload fits.
 * Every answer is checked by the model's validator.
 *
 *   npx tsx benchmarks/stranded-resources.ts                     # seeds 1..8, 20 s per exact run
 *   npx tsx benchmarks/stranded-resources.ts --seeds 20 --time-limit 60000
 */
import { generateInstance } from '../datasets/generators/index.ts';
import { seededRng } from '../models/rng.ts';
import { validateSolution } from '../models/validate.ts';
import type { SlotAllocationInstance } from '../models/slot-allocation/instance.ts';
import { createMilpBackend } from '../solver/milp/backends.ts';
import { solveWith } from '../solver/registry.ts';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const seeds = Number(arg('--seeds') ?? 8);
const timeLimitMs = Number(arg('--time-limit') ?? 20_000);
const SOLVERS = ['first-fit', 'best-fit', 'min-stranded'] as const;
const GIB = 1024 ** 3;

const backend = createMilpBackend('highs');
const totals = new Map<string, { cpu: number; memory: number; share: number; runs: number }>(SOLVERS.map((s) => [s, { cpu: 0, memory: 0, share: 0, runs: 0 }]));
let proven = 0;
// the same figures over the workloads every solver answered, so that the means compare like with like
const common = new Map<string, { cpu: number; memory: number; share: number }>(SOLVERS.map((s) => [s, { cpu: 0, memory: 0, share: 0 }]));
let commonRuns = 0;
console.log('| seed | TMs | jobs | slots | solver | status | stranded CPU (cores) | stranded memory (GiB) | stranded share | ms | valid |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
try {
  for (let seed = 1; seed <= seeds; seed++) {
    const instance = generateInstance('fine-grained-slots', {}, seededRng(seed)) as SlotAllocationInstance;
    const slots = instance.jobs.reduce((t, j) => t + j.minSlots, 0);
    const answers = new Map<string, Readonly<Record<string, number>>>();
    for (const name of SOLVERS) {
      const r = await solveWith(name, instance, { rng: seededRng(seed), timeLimitMs, backend });
      if (r.metrics && r.solution) answers.set(name, r.metrics);
      const valid = r.solution ? validateSolution(instance, r.solution).length === 0 : false;
      const m = r.metrics;
      if (m && r.solution) {
        const t = totals.get(name)!;
        t.cpu += m.strandedCpuCores!;
        t.memory += m.strandedMemoryBytes!;
        t.share += m.strandedShare!;
        t.runs++;
      }
      if (name === 'min-stranded' && r.status === 'optimal') proven++;
      console.log(
        `| ${seed} | ${instance.taskManagers.length} | ${instance.jobs.length} | ${slots} | ${name} | ${r.status} | ${m ? m.strandedCpuCores!.toFixed(2) : '-'} | ${m ? (m.strandedMemoryBytes! / GIB).toFixed(2) : '-'} | ${m ? m.strandedShare!.toFixed(4) : '-'} | ${r.timeMs.toFixed(0)} | ${valid ? 'yes' : 'no'} |`,
      );
    }
    if (answers.size === SOLVERS.length) {
      commonRuns++;
      for (const [name, m] of answers) {
        const c = common.get(name)!;
        c.cpu += m.strandedCpuCores!;
        c.memory += m.strandedMemoryBytes!;
        c.share += m.strandedShare!;
      }
    }
  }
} finally {
  backend.dispose();
}
console.log();
console.log(`min-stranded proved the optimum on ${proven} of ${seeds} workloads.`);
console.log('| solver | answered | mean stranded CPU (cores) | mean stranded memory (GiB) | mean stranded share |');
console.log('|---|---|---|---|---|');
for (const [name, t] of totals)
  console.log(`| ${name} | ${t.runs} of ${seeds} | ${(t.cpu / Math.max(1, t.runs)).toFixed(3)} | ${(t.memory / Math.max(1, t.runs) / GIB).toFixed(3)} | ${(t.share / Math.max(1, t.runs)).toFixed(4)} |`);
console.log();
console.log(`Over the ${commonRuns} workloads every solver answered:`);
console.log('| solver | mean stranded CPU (cores) | mean stranded memory (GiB) | mean stranded share |');
console.log('|---|---|---|---|');
for (const [name, c] of common)
  console.log(`| ${name} | ${(c.cpu / Math.max(1, commonRuns)).toFixed(3)} | ${(c.memory / Math.max(1, commonRuns) / GIB).toFixed(3)} | ${(c.share / Math.max(1, commonRuns)).toFixed(4)} |`);
