import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { seededRng } from '../../models/rng.ts';
import { InstanceFormatError } from '../../models/errors.ts';
import { DATASETS_ROOT } from '../catalog.ts';
import { loadWorkload, parseWorkloadDocument } from './workload.ts';
import { generateWorkload } from '../generators/workload.ts';

const example = (name: string) => join(DATASETS_ROOT, 'examples', name);

describe('slotlab/workload@1', () => {
  it('loads the example: inline jobs and job files resolved against the workload folder', () => {
    const w = loadWorkload(example('workloads/two-teams.json'));
    expect(w.jobs.map((j) => [j.id, j.variant, j.demand.slots, j.demand.minSlots])).toEqual([
      ['diamond', 'sequenced', 2, 1],
      ['wordcount', 'shared', 4, 4],
      ['stg-rand1', 'sequenced', 8, 1],
      ['srasearch', 'sequenced', 11, 1],
      ['stg-rand', 'sequenced', 13, 1],
      ['too-wide', 'shared', 16, 16],
    ]);
    expect(w.timers.slotRequestTimeoutMs).toBe(300); // 5 min × timerScale 0.001
    expect(w.elastic).toMatchObject({ maxTaskManagers: 3 });
    const sra = w.jobs.find((j) => j.id === 'srasearch')!;
    expect(sra.demand.workMs).toBeCloseTo(6996779 * 0.0001, 3); // the WfCommons runtimes (s × 1000) × workScale
  });

  it('names the workload file and the JSON path of a missing job file', () => {
    const file = example('bad/workload-missing-file.json');
    expect(() => loadWorkload(file)).toThrow(InstanceFormatError);
    expect(() => loadWorkload(file)).toThrow(/bad\/workload-missing-file\.json: \$\.jobs\[1\]\.file should be the path of an existing job file \(resolved against the workload's folder: .*no-such-graph\.stg\), got "\.\.\/no-such-graph\.stg"$/);
  });

  it('refuses a negative arrival time with file, path and expectation', () => {
    const file = example('bad/workload-negative-arrival.json');
    expect(() => loadWorkload(file)).toThrow(`${file}: $.jobs[0].arrivalMs should be a finite number >= 0, got -5`);
  });

  it('a job needs exactly one of job and file; unknown fields are refused', () => {
    const base = { format: 'slotlab/workload@1', name: 'x', cluster: { taskManagers: [{ id: 'tm1', slotCount: 1 }] } };
    expect(() => parseWorkloadDocument({ ...base, jobs: [{ id: 'j', arrivalMs: 0 }] }, 'w.json')).toThrow('w.json: $.jobs[0] should be a job with exactly one of "job" (an inline job graph) and "file" (a path to a job file), got "neither"');
    expect(() => parseWorkloadDocument({ ...base, jobs: [], arrival: 3 }, 'w.json')).toThrow(/w\.json: \$\.arrival should be absent/);
  });
});

describe('the workload generator', () => {
  it('the bundled generated example is what seed 1 gives (same seed, same workload)', () => {
    const file = example('workloads/generated-rho0.7-seed1.json');
    const again = generateWorkload(seededRng(1), { jobs: 12, load: 0.7, cluster: '4x4' }, file);
    expect(JSON.parse(JSON.stringify(again))).toEqual(JSON.parse(readFileSync(file, 'utf8')));
    expect(loadWorkload(file).jobs).toHaveLength(12);
  });

  it('draws from STG, WfCommons and Flink topologies; arrivals are Poisson at the load asked for', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slotlab-workload-'));
    const file = join(dir, 'w.json');
    const doc = generateWorkload(seededRng(5), { jobs: 300, load: 0.5, cluster: '4x4' }, file);
    writeFileSync(file, JSON.stringify(doc));
    const w = loadWorkload(file);
    const kinds = new Set(doc.jobs.map((j) => (j.job ? 'flink' : j.file!.includes('wfinstances') ? 'wfcommons' : 'stg')));
    expect([...kinds].sort()).toEqual(['flink', 'stg', 'wfcommons']);
    // offered load: λ E[W] / C with λ estimated from the arrivals
    const meanWork = w.jobs.reduce((t, j) => t + j.demand.workMs, 0) / w.jobs.length;
    const lambda = (w.jobs.length - 1) / w.jobs[w.jobs.length - 1]!.arrivalMs;
    expect((lambda * meanWork) / 16).toBeGreaterThan(0.4);
    expect((lambda * meanWork) / 16).toBeLessThan(0.6);
  });
});
