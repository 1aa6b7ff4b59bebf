/**
 * Exact depth (issue #16): per class of instances and per exact solver, the share proven optimal within the time
 * limit and the median time to proof (over the proven runs), every answer checked by the model's validator.
 *
 * Classes (`--classes`, comma-separated; default all):
 * - `stg50`, `stg100`: every bundled STG random graph of 50 / 100 tasks at P = 2, 4, 8, 16 (Tobita & Kasahara 2002;
 *   no communication, identical TaskManagers with one slot);
 * - `bpplib`: every bundled BPPLIB instance as P‖Cmax with m = the optimal bin count B* (decided = an assignment
 *   with max utilisation ≤ the bin capacity c is found) and with m = B* − 1 (decided = the proven bound lies above
 *   c), load-balancing solvers; `bnb` runs in decision mode (params.targetMs = c), the others minimise; a table
 *   per instance follows the summary (B*, both sides decided or not, times);
 * - `sinnen`: a Sinnen-style generated set (Sinnen, "Task scheduling for parallel systems", 2007, ch. 4–5 test
 *   graphs: random layered DAGs): 10–30 subtasks, CCR 0.1 / 1 / 10, 2–8 TaskManagers with one slot, homogeneous
 *   (speed 1) and heterogeneous (speeds 1–3), seeded;
 * - `layered50`: random layered DAGs of 50 subtasks, CCR ≈ 1, on 4 and 8 identical or related TaskManagers, seeded
 *   (the "≥ 90 % proven within 10 s each" target), in the shape of the Sinnen-style set: about √50 ≈ 7
 *   layers of 5–9 subtasks, durations 10–100 ms at speed 1, 10–100 bytes per edge;
 * - `layered50x5`: the same target in the shape of the instances behind the CP-SAT figure ("CP-SAT proves
 *   such instances in under 0.3 s": benchmarks/exact-backends.ts's layered DAGs, 10 layers of 5 subtasks, edge
 *   probability 0.3, durations 2–20 ms) with 0–22 bytes per edge so that CCR ≈ 1 (their 0–8 bytes gave CCR ≈ 0.36),
 *   on 4 and 8 identical or related TaskManagers, 24 seeded;
 * - `exact-comm`: the two 30-subtask instances of datasets/data/exact-comm/ with their CP-SAT optima (a solver that
 *   claims a different optimum counts as invalid).
 * CCR = mean transfer time / mean duration at speed 1; bytes drawn so that one byte costs 1 ms.
 *
 *   npx tsx benchmarks/exact-depth.ts --classes layered50,sinnen --limit-ms 10000 --sample 10
 *   npx tsx benchmarks/exact-depth.ts --classes stg50 --sample 20 --solvers bnb,allocation-ordering
 *   npx tsx benchmarks/exact-depth.ts --classes bpplib --lb-solvers bnb --only HARD0,Hard28_BPP60 --side fit
 *
 * `--sample N` keeps N instances per class (an even spread over the class, deterministic); `--seed S` seeds the
 * generated classes (default 1). Default limit 10 s per run: a full run of every class at 60 s would take days.
 */
import { readdirSync } from 'node:fs';
import { randomLayeredDag } from '../datasets/generators/layered-dag.ts';
import { readBppOptima } from '../datasets/loaders/bpplib.ts';
import { loadInstance } from '../datasets/loaders/index.ts';
import { dataPath } from '../datasets/paths.ts';
import { createDagPlacementInstance } from '../models/dag-placement/instance.ts';
import type { ClusterSpec } from '../models/graphs/cluster.ts';
import type { JobGraphSpec } from '../models/graphs/job-graph.ts';
import type { AnyInstance } from '../models/model-kind.ts';
import { seededRng, type Rng } from '../models/rng.ts';
import { validateSolution } from '../models/validate.ts';
import { solveWith } from '../solver/registry.ts';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const limitMs = Number(arg('--limit-ms') ?? 10_000);
const sample = arg('--sample') === undefined ? Infinity : Number(arg('--sample'));
const seed = Number(arg('--seed') ?? 1);
const classes = (arg('--classes') ?? 'stg50,stg100,bpplib,sinnen,layered50,layered50x5,exact-comm').split(',');
const DAG_SOLVERS = (arg('--solvers') ?? 'bnb,allocation-ordering,milp').split(',');
const LB_SOLVERS = (arg('--lb-solvers') ?? 'bnb,milp').split(',');

interface Case {
  readonly label: string;
  readonly instance: AnyInstance;
  /** Decision run: proven when the bound exceeds this (m = B* − 1), instead of an optimal status. */
  readonly aboveMs?: number;
  /** Decision run: proven when the objective is at most this (m = B*), instead of an optimal status. */
  readonly fitsMs?: number;
  /** The BPPLIB instance and its published optimal bin count (per-instance table). */
  readonly bpp?: { readonly name: string; readonly optimalBins: number; readonly side: 'fit' | 'not' };
  /** A published optimum: an `optimal` claim with another objective counts as invalid. */
  readonly knownOptimumMs?: number;
}

function spread<T>(items: T[]): T[] {
  if (items.length <= sample) return items;
  return Array.from({ length: sample }, (_, i) => items[Math.floor(((i + 0.5) * items.length) / sample)]!);
}

function stg(size: 50 | 100): Case[] {
  const files = readdirSync(dataPath(`stg/graphs/${size}`)).filter((f) => f.endsWith('.stg')).sort();
  const out: Case[] = [];
  for (const f of files) for (const P of [2, 4, 8, 16]) out.push({ label: `${size}/${f} P=${P}`, instance: loadInstance(dataPath(`stg/graphs/${size}/${f}`), { taskManagers: P }) });
  return spread(out);
}

/** `--only A,B`: the BPPLIB instances of these names only; `--side fit|not`: one side only (both by default). */
const onlyBpp = arg('--only')?.split(',');
const bppSide = arg('--side');

function bpplib(): Case[] {
  const out: Case[] = [];
  for (const ref of readBppOptima()) {
    if (ref.optimalBins === undefined || (onlyBpp && !onlyBpp.includes(ref.name))) continue;
    const bpp = (side: 'fit' | 'not') => ({ name: ref.name, optimalBins: ref.optimalBins!, side });
    if (bppSide !== 'not') out.push({ label: `${ref.name} m=B*`, instance: loadInstance(dataPath(`bpplib/${ref.file}`), { taskManagers: ref.optimalBins }), fitsMs: ref.capacity, bpp: bpp('fit') });
    if (ref.optimalBins > 1 && bppSide !== 'fit')
      out.push({ label: `${ref.name} m=B*-1`, instance: loadInstance(dataPath(`bpplib/${ref.file}`), { taskManagers: ref.optimalBins - 1 }), aboveMs: ref.capacity, bpp: bpp('not') });
  }
  return spread(out);
}

/** `job` on `tms` one-slot TaskManagers over 1 byte/ms links, speeds 1–3 drawn from `rng` when `related`. */
function oneSlotInstance(rng: Rng, name: string, job: JobGraphSpec, tms: number, related: boolean): AnyInstance {
  const cluster: ClusterSpec = {
    taskManagers: Array.from({ length: tms }, (_, i) => ({ id: `tm${i + 1}`, slotCount: 1, speedFactor: related ? 1 + Math.floor(rng.next() * 3) : 1 })),
    defaultLink: { bandwidthBytesPerMs: 1, latencyMs: 0 },
  };
  return createDagPlacementInstance({ name, variant: 'sequenced', job, cluster });
}

/** A layered DAG of about `subtasks` subtasks in about √subtasks layers, durations 10–100 ms, with CCR ≈ `ccr`. */
function layeredJob(rng: Rng, name: string, subtasks: number, ccr: number): JobGraphSpec {
  const width = Math.max(2, Math.round(Math.sqrt(subtasks)));
  const layers = Math.max(2, Math.round(subtasks / width));
  const bytes: [number, number] = [Math.max(0, Math.round(10 * ccr)), Math.max(1, Math.round(100 * ccr))];
  return randomLayeredDag(rng, { layers, width: [Math.max(1, width - 2), width + 2], edgeProbability: 0.3, workMs: [10, 100], bytes }, name);
}

/** 24 seeded instances of a 50-subtask class: 12 jobs on 4 and 12 on 8 TaskManagers, every other pair related. */
function fiftySubtaskClass(name: string, rngSeed: number, jobOf: (rng: Rng, label: string) => JobGraphSpec): Case[] {
  const rng = seededRng(rngSeed);
  const out: Case[] = [];
  for (let i = 0; i < 12; i++)
    for (const tms of [4, 8]) {
      const related = i % 2 === 1;
      const label = `${name} #${i} tm${tms}${related ? ' related' : ''}`;
      out.push({ label, instance: oneSlotInstance(rng, label, jobOf(rng, label), tms, related) });
    }
  return spread(out);
}

function sinnen(): Case[] {
  const rng = seededRng(seed);
  const out: Case[] = [];
  for (const n of [10, 20, 30])
    for (const ccr of [0.1, 1, 10])
      for (const tms of [2, 4, 8])
        for (const het of [false, true]) {
          const label = `n${n} ccr${ccr} tm${tms}${het ? ' het' : ''}`;
          out.push({ label, instance: oneSlotInstance(rng, label, layeredJob(rng, label, n, ccr), tms, het) });
        }
  return spread(out);
}

const layered50 = (): Case[] => fiftySubtaskClass('layered50', seed + 1000, (rng, label) => layeredJob(rng, label, 50, 1));
const layered50x5 = (): Case[] =>
  fiftySubtaskClass('layered50x5', seed + 2000, (rng, label) => randomLayeredDag(rng, { layers: 10, width: 5, edgeProbability: 0.3, workMs: [2, 20], bytes: [0, 22] }, label));

function exactComm(): Case[] {
  return [
    { label: 'exact-comm s2-links', instance: loadInstance(dataPath('exact-comm/layered-30x4-s2-links.json')), knownOptimumMs: 3376 / 12 },
    { label: 'exact-comm s3-matrix', instance: loadInstance(dataPath('exact-comm/layered-30x4-s3-matrix.json')), knownOptimumMs: 543 },
  ];
}

const BUILD: Record<string, () => Case[]> = { stg50: () => stg(50), stg100: () => stg(100), bpplib, sinnen, layered50, layered50x5, 'exact-comm': exactComm };
const median = (xs: number[]): number | undefined => {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

console.log(`Exact depth: limit ${limitMs} ms per run, Node ${process.version}, ${new Date().toISOString()}, seed ${seed}, sample ${sample}\n`);
console.log('| class | solver | instances | proven | share | median time to proof (ms) | invalid |');
console.log('|---|---|---|---|---|---|---|');
const perInstance: string[] = [];
for (const cls of classes) {
  const build = BUILD[cls];
  if (!build) throw new Error(`exact-depth: unknown class "${cls}"; known: ${Object.keys(BUILD).join(', ')}`);
  const cases = build();
  const solvers = cls === 'bpplib' ? LB_SOLVERS : DAG_SOLVERS;
  for (const name of solvers) {
    const times: number[] = [];
    let invalid = 0;
    const rows = new Map<string, { optimalBins: number; fit?: string; not?: string }>();
    for (const c of cases) {
      const decision = c.aboveMs ?? c.fitsMs;
      const params = name === 'bnb' && decision !== undefined ? { params: { targetMs: decision } } : {};
      const cpu0 = process.cpuUsage();
      const r = await solveWith(name, c.instance as never, { rng: seededRng(1), timeLimitMs: limitMs, ...params });
      const cpu = process.cpuUsage(cpu0);
      const cpuS = (cpu.user + cpu.system) / 1e6; // the whole process, worker threads (HiGHS) included
      if (r.solution !== undefined && validateSolution(c.instance, r.solution as never).length > 0) invalid++;
      else if (c.knownOptimumMs !== undefined && r.status === 'optimal' && Math.abs(r.objective! - c.knownOptimumMs) > 1e-6 * c.knownOptimumMs) invalid++;
      const proven =
        c.aboveMs !== undefined
          ? r.bestBound !== undefined && r.bestBound > c.aboveMs
          : c.fitsMs !== undefined
            ? r.objective !== undefined && r.objective <= c.fitsMs && r.solution !== undefined
            : r.status === 'optimal';
      if (proven) times.push(r.timeMs);
      if (c.bpp) {
        const row = rows.get(c.bpp.name) ?? { optimalBins: c.bpp.optimalBins };
        row[c.bpp.side] = `${proven ? 'yes' : 'no'} | ${(r.timeMs / 1000).toFixed(2)} | ${cpuS.toFixed(2)}`;
        rows.set(c.bpp.name, row);
      }
      if (process.argv.includes('--verbose'))
        console.error(`${cls} ${name} ${c.label}: ${r.status} ${r.objective ?? '–'} / ${r.bestBound ?? '–'} in ${Math.round(r.timeMs)} ms, CPU ${cpuS.toFixed(2)} s`);
    }
    if (rows.size > 0) {
      perInstance.push('', `${cls}, ${name} (decided: m = B* packs within the capacity / m = B* − 1 proven above it; wall and CPU time in s, CPU of the whole process):`, '');
      perInstance.push('| instance | B* | B* fit | wall (s) | CPU (s) | B* − 1 do not | wall (s) | CPU (s) |', '|---|---|---|---|---|---|---|---|');
      for (const [inst, row] of rows) perInstance.push(`| ${inst} | ${row.optimalBins} | ${row.fit ?? '– | – | –'} | ${row.not ?? '– | – | –'} |`);
    }
    const med = median(times);
    console.log(`| ${cls} | ${name} | ${cases.length} | ${times.length} | ${((100 * times.length) / Math.max(1, cases.length)).toFixed(0)} % | ${med === undefined ? '–' : Math.round(med)} | ${invalid} |`);
  }
}
for (const line of perInstance) console.log(line);
