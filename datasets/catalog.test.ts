import { describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOG, DATASETS_ROOT, catalogFigures, datasetFiles, globFiles } from './catalog.ts';
import { loadInstanceFile } from './loaders/index.ts';

/** Instance counts stated in the READMEs of datasets/data (STG: 27 + 13 + 3; WfInstances 10; BPPLIB 25; HEFT 1). */
const README_COUNTS: Record<string, number> = { 'stg-random-50': 27, 'stg-random-100': 13, 'stg-app': 3, wfinstances: 10, 'heft-paper': 1, bpplib: 25, 'exact-comm': 2 };

describe('the catalog of bundled datasets', () => {
  const figures = catalogFigures();

  it('counts the instances the data READMEs list', () => {
    for (const [name, count] of Object.entries(README_COUNTS)) expect(figures.find((f) => f.entry.name === name)!.instances).toBe(count);
  });

  it('computes sizes from disk and names existing ground-truth files, a source, a licence and a citation', () => {
    for (const f of figures) {
      expect(f.instances).toBeGreaterThan(0);
      expect(f.bytes).toBe(datasetFiles(f.entry).reduce((t, p) => t + statSync(p).size, 0));
      for (const g of f.entry.groundTruth) expect(statSync(join(DATASETS_ROOT, g)).isFile()).toBe(true);
      expect(f.entry.source.length).toBeGreaterThan(5);
      expect(f.entry.licence.length).toBeGreaterThan(2);
      expect(f.entry.citation.length).toBeGreaterThan(2);
    }
  });

  it('every bundled instance loads in the format and model its entry states', () => {
    for (const entry of CATALOG)
      for (const file of datasetFiles(entry)) {
        const loaded = loadInstanceFile(file, entry.needs ? { taskManagers: 4, checkFeasibility: false } : {});
        expect(loaded.format).toBe(entry.format);
        if (entry.model !== 'mixed') expect(loaded.instance.kind).toBe(entry.model);
      }
  });

  it('globs match within one segment only', () => {
    expect(globFiles('data/bpplib/*.txt')).toEqual([]);
    expect(globFiles('data/bpplib/scholl/N1C1W1_?.txt').map((p) => p.slice(p.lastIndexOf('/') + 1))).toEqual(['N1C1W1_A.txt', 'N1C1W1_B.txt']);
  });
});
