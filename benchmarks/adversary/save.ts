import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toSlotlabDocument } from '../../datasets/loaders/slotlab-json.ts';
import type { AdversaryOptions, KeptInstance } from './search.ts';

/**
 * The files of the adversarial search, in one folder (`--out-dir`):
 * - `<name>.json`: the instance as `slotlab/dag-placement@1` (docs/formats.md), which `slotlab solve` reads; its
 *   `description` says the ratio, the proof status and the seeds in words;
 * - `<name>.adversary.json` (`slotlab/adversary-instance@1`): the figures as data: ratio, both makespans, which
 *   solver gave the reference and whether it is a proven optimum, both schedules, the search's options and seed,
 *   the run and iteration where the instance was found, and the command that finds it again;
 * - `summary.json` (`slotlab/adversary-summary@1`): the kept instances, worst first.
 * Files of instances that dropped out of the kept list are removed.
 */
export const SIDECAR_FORMAT = 'slotlab/adversary-instance@1';
export const SUMMARY_FORMAT = 'slotlab/adversary-summary@1';

export type SearchSettings = Omit<AdversaryOptions, 'onIteration' | 'onKept'>;

/** The command that finds `k` again: same options and seed, an iteration budget that ends right after it. */
export function reproduceCommand(settings: SearchSettings, k: KeptInstance): string {
  return [
    'slotlab adversary',
    `--target ${settings.target}`,
    `--against ${settings.against}`,
    `--tasks ${settings.taskCount}`,
    `--task-managers ${settings.taskManagerCount}`,
    `--shape ${settings.shape}`,
    `--seed ${settings.seed}`,
    `--iterations ${k.iteration + 1}`,
    ...(settings.proofLimitMs !== undefined ? [`--proof-limit ${settings.proofLimitMs}ms`] : []),
  ].join(' ');
}

export function describeKept(settings: SearchSettings, k: KeptInstance): string {
  const reference = settings.against === 'optimum' ? (k.proof === 'optimal' ? 'the proven optimum' : `the best known schedule (${k.referenceSolver}; optimum not proven)`) : settings.against;
  return `Found by slotlab adversary (simulated annealing after PISA, Coleman & Krishnamachari, IPDPS 2025): ${settings.target} makespan ${k.targetMakespanMs} ms vs ${reference} ${k.referenceMakespanMs} ms, ratio ${k.ratio.toFixed(4)}; search seed ${settings.seed}, run ${k.run}, iteration ${k.iteration}; reproduce: ${reproduceCommand(settings, k)}.`;
}

/** Writes the kept instances into `dir` (created if needed) and removes the files of those no longer kept. */
export function writeKept(dir: string, settings: SearchSettings, kept: readonly KeptInstance[], previous: Set<string> = new Set()): Set<string> {
  mkdirSync(dir, { recursive: true });
  const names = new Set<string>();
  for (const k of kept) {
    const name = k.spec.name;
    names.add(name);
    if (previous.has(name)) continue;
    const document = toSlotlabDocument({ kind: 'dag-placement', spec: k.spec }, describeKept(settings, k));
    writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(document, null, 2)}\n`);
    const sidecar = {
      format: SIDECAR_FORMAT,
      instance: `${name}.json`,
      target: settings.target,
      against: settings.against,
      ratio: k.ratio,
      targetMakespanMs: k.targetMakespanMs,
      referenceMakespanMs: k.referenceMakespanMs,
      referenceSolver: k.referenceSolver,
      proof: k.proof,
      search: { ...settings, run: k.run, iteration: k.iteration },
      reproduce: reproduceCommand(settings, k),
      targetSchedule: k.targetSchedule,
      referenceSchedule: k.referenceSchedule,
    };
    writeFileSync(join(dir, `${name}.adversary.json`), `${JSON.stringify(sidecar, null, 2)}\n`);
  }
  for (const name of previous)
    if (!names.has(name)) {
      rmSync(join(dir, `${name}.json`), { force: true });
      rmSync(join(dir, `${name}.adversary.json`), { force: true });
    }
  const summary = {
    format: SUMMARY_FORMAT,
    search: settings,
    kept: kept.map((k) => ({ instance: `${k.spec.name}.json`, ratio: k.ratio, targetMakespanMs: k.targetMakespanMs, referenceMakespanMs: k.referenceMakespanMs, referenceSolver: k.referenceSolver, proof: k.proof, run: k.run, iteration: k.iteration })),
  };
  writeFileSync(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return names;
}

/** Reads a sidecar back (tests, the benchmark's re-check). */
export function readSidecar(file: string): { readonly ratio: number; readonly targetMakespanMs: number; readonly referenceMakespanMs: number; readonly proof: string; readonly instance: string; readonly referenceSolver: string } {
  const data = JSON.parse(readFileSync(file, 'utf8')) as { format?: string };
  if (data.format !== SIDECAR_FORMAT) throw new Error(`${file}: not a ${SIDECAR_FORMAT} file`);
  return data as ReturnType<typeof readSidecar>;
}
