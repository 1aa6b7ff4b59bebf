import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { dataPath } from '../paths.ts';
import { loadInstance } from './index.ts';
import { bppOptimum, parseBpp, readBpp, readBppOptima } from './bpplib.ts';
import { InvalidInstanceError } from '../../models/errors.ts';
import { parseClusterShorthand } from '../../models/graphs/cluster.ts';

const examples = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples');

describe('BPPLIB loader on the bundled instances (figures from bpplib/bounds.csv)', () => {
  const table = readBppOptima();

  it('bounds.csv lists the 25 bundled instances, each with a known optimum', () => {
    expect(table).toHaveLength(25);
    expect(table.every((r) => r.optimalBins !== undefined)).toBe(true);
  });

  it.each(readBppOptima().map((r) => [r.file, r] as const))('%s: n, capacity, total and max weight', (file, row) => {
    const bpp = readBpp(dataPath(`bpplib/${file}`));
    expect(bpp.name).toBe(row.name);
    expect(bpp.weights).toHaveLength(row.items);
    expect(bpp.capacity).toBe(row.capacity);
    expect(bpp.weights.reduce((a, b) => a + b, 0)).toBe(row.totalWeight);
    expect(Math.max(...bpp.weights)).toBe(row.maxWeight);
    expect(Math.ceil(row.totalWeight / row.capacity)).toBe(row.l1Bins);
    // as load balancing on m = optimal-bins TaskManagers: one task per item, load = weight
    const instance = loadInstance(dataPath(`bpplib/${file}`), { taskManagers: row.optimalBins! });
    if (instance.kind !== 'load-balancing') throw new Error(instance.kind);
    expect(instance.tasks).toHaveLength(row.items);
    expect(instance.taskManagers).toHaveLength(row.optimalBins!);
    expect(instance.tasks.reduce((t, x) => t + x.load, 0)).toBe(row.totalWeight);
    expect(instance.objective).toBe('max-utilization');
  });

  it('bppOptimum finds rows by BPPLIB name or file name (README: N1C1W1_B has L1 = 28, optimum 31)', () => {
    const row = bppOptimum('N1C1W1_B', table)!;
    expect([row.l1Bins, row.optimalBins]).toEqual([28, 31]);
    expect(bppOptimum('N1C1W1_B.txt', table)).toBe(row);
    expect(bppOptimum('Falkenauer_t501_00', table)!.optimalBins).toBe(167);
    expect(bppOptimum('nothing', table)).toBeUndefined();
  });

  it('a cluster gives the TaskManagers their slots and speeds', () => {
    const instance = loadInstance(dataPath('bpplib/scholl/N1C1W1_A.txt'), { cluster: parseClusterShorthand('2x30@1,2') });
    if (instance.kind !== 'load-balancing') throw new Error(instance.kind);
    expect(instance.taskManagers.map((tm) => [tm.id, tm.slotCount, tm.speedFactor])).toEqual([
      ['tm1', 30, 1],
      ['tm2', 30, 2],
    ]);
  });
});

describe('bad BPP input', () => {
  it('a truncated file names the line of the first missing weight', () => {
    expect(() => loadInstance(join(examples, 'bad/truncated-bpp.txt'), { taskManagers: 2 })).toThrow(
      /bad\/truncated-bpp\.txt: line 6 should be the weight of item 4 of 5, at most the capacity 10; the file is truncated, got "the end of the file"$/,
    );
  });

  it('a weight above the capacity, a pair per line, extra lines and no TaskManagers are refused', () => {
    expect(() => parseBpp('2\n10\n4\n11\n', 'w.txt')).toThrow('w.txt: line 4 should be the weight of item 2 of 2, at most the capacity 10 (one integer in 1..10 on the line), got "11"');
    expect(() => parseBpp('2\n10\n4 2\n1\n', 'p.txt')).toThrow(/^p\.txt: line 3 should be the weight of item 1/);
    expect(() => parseBpp('1\n10\n4\n5\n', 'x.txt')).toThrow('x.txt: line 4 should be the end of the file after the 1 weights that line 1 announces, got "5"');
    expect(() => loadInstance(dataPath('bpplib/scholl/N1C1W1_A.txt'))).toThrow(InvalidInstanceError);
    expect(() => loadInstance(dataPath('bpplib/scholl/N1C1W1_A.txt'))).toThrow(/names no machines/);
  });
});
