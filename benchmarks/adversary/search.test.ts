import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadInstance } from '../../datasets/loaders/index.ts';
import type { DagPlacementInstance } from '../../models/dag-placement/instance.ts';
import { validateDagPlacement } from '../../models/dag-placement/validator.ts';
import { seededRng } from '../../models/rng.ts';
import type { Schedule } from '../../models/solution.ts';
import { solveWith } from '../../solver/registry.ts';
import { adversarialSearch, type AdversaryOptions } from './search.ts';
import { SIDECAR_FORMAT, writeKept } from './save.ts';
import { perturb, randomGenome, SHAPES, toSpec } from './genome.ts';
import { createDagPlacementInstance } from '../../models/dag-placement/instance.ts';

const work = mkdtempSync(join(tmpdir(), 'slotlab-adversary-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Small enough that the exact solver proves every optimum in milliseconds: the ratios do not depend on the clock.
const options: AdversaryOptions = { target: 'heft', against: 'optimum', taskCount: 6, taskManagerCount: 2, shape: 'layered', seed: 7, iterations: 16, keep: 3 };

describe('adversarial search (simulated annealing after PISA)', () => {
  it('the best ratio never decreases, and the same seed gives the same search', async () => {
    const a = await adversarialSearch(options);
    expect(a.iterations).toBe(16);
    expect(a.notProven).toBe(0); // every optimum proven: nothing depends on the clock
    expect(a.bestRatioTrace).toHaveLength(16);
    for (let i = 1; i < a.bestRatioTrace.length; i++) expect(a.bestRatioTrace[i]).toBeGreaterThanOrEqual(a.bestRatioTrace[i - 1]!);
    expect(a.bestRatioTrace[0]).toBeGreaterThanOrEqual(1); // bnb is at least as good as HEFT (HEFT is among its starts)
    expect(a.kept).toHaveLength(3);
    expect(a.kept[0]!.ratio).toBe(a.bestRatioTrace.at(-1));
    const b = await adversarialSearch(options);
    expect(b.bestRatioTrace).toEqual(a.bestRatioTrace);
    expect(b.kept.map((k) => [k.spec, k.ratio, k.proof, k.iteration])).toEqual(a.kept.map((k) => [k.spec, k.ratio, k.proof, k.iteration]));
  });

  it('every kept instance is valid: it loads back, both schedules pass the validator, the ratio is recomputed', async () => {
    const result = await adversarialSearch({ ...options, seed: 11, against: 'optimum' });
    writeKept(work, result.options, result.kept);
    const files = readdirSync(work).filter((f) => f.endsWith('.adversary.json'));
    expect(files).toHaveLength(3);
    for (const f of files) {
      const sidecar = JSON.parse(readFileSync(join(work, f), 'utf8')) as { format: string; instance: string; ratio: number; proof: string; targetMakespanMs: number; referenceMakespanMs: number; targetSchedule: Schedule; referenceSchedule: Schedule; search: { seed: number } };
      expect(sidecar.format).toBe(SIDECAR_FORMAT);
      expect(sidecar.search.seed).toBe(11);
      expect(sidecar.proof).toBe('optimal');
      const instance = loadInstance(join(work, sidecar.instance)) as DagPlacementInstance;
      expect(validateDagPlacement(instance, sidecar.targetSchedule)).toEqual([]);
      expect(validateDagPlacement(instance, sidecar.referenceSchedule)).toEqual([]);
      const heft = await solveWith('heft', instance, { rng: seededRng(1) });
      const bnb = await solveWith('bnb', instance, { rng: seededRng(1), timeLimitMs: 30_000 });
      expect(bnb.status).toBe('optimal');
      expect(validateDagPlacement(instance, heft.solution!)).toEqual([]);
      expect(validateDagPlacement(instance, bnb.solution!)).toEqual([]);
      expect(heft.objective).toBe(sidecar.targetMakespanMs);
      expect(bnb.objective).toBe(sidecar.referenceMakespanMs);
      expect(heft.objective! / bnb.objective!).toBe(sidecar.ratio);
    }
  });

  it('against a heuristic: the reference is that solver and the proof status says so', async () => {
    const r = await adversarialSearch({ ...options, against: 'cpop', iterations: 10, keep: 1 });
    expect(r.kept[0]!.proof).toBe('heuristic');
    expect(r.kept[0]!.referenceSolver).toBe('cpop');
  });

  it('perturbations keep every instance acyclic and loadable, for every starting shape', () => {
    const rng = seededRng(3);
    for (const shape of SHAPES) {
      let g = randomGenome(rng, 8, 3, shape);
      for (let i = 0; i < 200; i++) {
        g = perturb(g, rng).genome;
        for (const key of g.edges.keys()) {
          const [a, b] = key.split('>').map(Number);
          expect(a).toBeLessThan(b!);
        }
      }
      const instance = createDagPlacementInstance(toSpec(g, `shape-${shape}`));
      expect(instance.subtasks).toHaveLength(8);
      expect(instance.derived.integralTimes).toBe(true);
    }
  });

  it('refuses bad options with the flag named', async () => {
    await expect(adversarialSearch({ ...options, target: 'nope' })).rejects.toThrow(/^--target: nope: no solver is named "nope"/);
    await expect(adversarialSearch({ ...options, taskCount: 1 })).rejects.toThrow(/^--tasks: 1: should be an integer from 2/);
    await expect(adversarialSearch({ ...options, against: 'ls' })).rejects.toThrow(/^--against: ls: solver "ls" solves load-balancing/);
  });
});
