/**
 * Proofs kept, incumbents from the heuristics: the exact solvers on the cases of issue "Exact depth" (part 1),
 * one markdown table of status, objective, proven bound, wall time and validity, with the published optimum.
 * Run it on two checkouts to compare before and after (docs/exact-solving.md quotes both):
 *
 *   npx tsx benchmarks/exact-proofs.ts                      # 10 s per run
 *   npx tsx benchmarks/exact-proofs.ts --time-limit 30000   # ms per run
 *
 * Every answer is checked by the model's validator (not timed). Timing goals live here, never in unit tests:
 * `milp` on STG 100/rand0001, P = 2, proves the optimum 267 in under 1 s.
 */
import { loadInstance } from '../datasets/loaders/index.ts';
import { readBppOptima } from '../datasets/loaders/bpplib.ts';
import { readStgOptima } from '../datasets/loaders/stg-reference.ts';
import { dataPath } from '../datasets/paths.ts';
import type { AnyInstance } from '../models/model-kind.ts';
import { seededRng } from '../models/rng.ts';
import { validateSolution } from '../models/validate.ts';
import { solveWith } from '../solver/registry.ts';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const timeLimitMs = Number(arg('--time-limit') ?? 10_000);

interface Case {
  readonly label: string;
  readonly instance: AnyInstance;
  readonly solvers: readonly string[];
  readonly known: string;
}

function cases(): Case[] {
  const stg = readStgOptima();
  const out: Case[] = [];
  for (const [graph, P] of [
    ['100/rand0001.stg', 2],
    ['100/rand0086.stg', 4],
    ['50/rand0000.stg', 2],
    ['50/rand0001.stg', 4],
    ['50/rand0075.stg', 2],
  ] as const) {
    const row = stg.get(`${graph}|${P}`);
    out.push({
      label: `STG ${graph}, P = ${P}`,
      instance: loadInstance(dataPath(`stg/graphs/${graph}`), { taskManagers: P }),
      solvers: ['milp', 'bnb'],
      known: row ? (row.provenOptimal ? `${row.bestKnown}` : `[${row.lowerBound}, ${row.bestKnown}]`) : '–',
    });
  }
  const bpp = readBppOptima();
  for (const file of ['falkenauer_u/Falkenauer_u120_00.txt', 'falkenauer_t/Falkenauer_t60_00.txt']) {
    const name = file.split('/')[1]!.replace('.txt', '');
    const ref = bpp.find((r) => r.name === name);
    const m = ref?.optimalBins;
    if (m === undefined) throw new Error(`no optimal bin count for ${name} in datasets/data/bpplib/bounds.csv`);
    out.push({
      label: `${name}, m = ${m}`,
      instance: loadInstance(dataPath(`bpplib/${file}`), { taskManagers: m }),
      solvers: ['milp', 'bnb'],
      known: `≤ ${ref!.capacity} (${m} bins of capacity ${ref!.capacity})`,
    });
  }
  return out;
}

const fmt = (v: number | undefined, digits = 2): string => (v === undefined ? '–' : Number.isInteger(v) ? String(v) : v.toFixed(digits));

console.log(`Exact solvers, time limit ${timeLimitMs} ms per run, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
console.log('| instance | known optimum | solver | status | objective | bound | time (ms) | valid |');
console.log('|---|---|---|---|---|---|---|---|');
for (const c of cases()) {
  for (const name of c.solvers) {
    const r = await solveWith(name, c.instance, { rng: seededRng(1), timeLimitMs });
    const valid = r.solution === undefined ? '–' : validateSolution(c.instance, r.solution as never).length === 0 ? 'yes' : 'NO';
    console.log(`| ${c.label} | ${c.known} | ${name} | ${r.status} | ${fmt(r.objective)} | ${fmt(r.bestBound)} | ${Math.round(r.timeMs)} | ${valid} |`);
  }
}
