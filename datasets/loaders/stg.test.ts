import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { dataPath } from '../paths.ts';
import { loadInstance } from './index.ts';
import { parseStg, readStg, stgDagPlacementSpec, stgGraphKey } from './stg.ts';
import { createDagPlacementInstance } from '../../models/dag-placement/instance.ts';
import { parseClusterShorthand } from '../../models/graphs/cluster.ts';
import { readStgGraphBounds, readStgOptima, stgOptimum } from './stg-reference.ts';
import { makespanLowerBounds } from '../../models/dag-placement/bounds.ts';
import { CyclicGraphError, InstanceFormatError, InvalidInstanceError } from '../../models/errors.ts';
import type { DagPlacementInstance } from '../../models/dag-placement/instance.ts';

const examples = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples');

function dag(file: string, processors: number): DagPlacementInstance {
  const instance = loadInstance(file, { taskManagers: processors });
  if (instance.kind !== 'dag-placement') throw new Error(instance.kind);
  return instance;
}

describe('STG loader on the bundled graphs (figures from graph_bounds.csv and the STG README)', () => {
  const bounds = readStgGraphBounds();
  const graphs = [...new Set(bounds.map((b) => b.graph))];

  it('graph_bounds.csv covers the 43 bundled graphs (27 + 13 random, 3 application) at P = 2, 4, 8, 16', () => {
    expect(graphs).toHaveLength(43);
    expect(bounds).toHaveLength(43 * 4);
  });

  it.each(graphs)('%s: task and edge counts, total work, critical path and the trivial bound match', (graph) => {
    const rows = bounds.filter((b) => b.graph === graph);
    const first = rows[0]!;
    const file = dataPath(`stg/graphs/${graph}`);
    const stg = readStg(file);
    expect(stgGraphKey(file)).toBe(graph);
    expect(stg.taskCount).toBe(first.tasks);
    for (const row of rows) {
      const instance = dag(file, row.processors);
      expect(instance.name).toBe(graph);
      expect(instance.variant).toBe('sequenced');
      expect(instance.subtasks).toHaveLength(first.tasks + 2); // dummy entry and exit kept
      expect(instance.edges).toHaveLength(first.edgesInclDummy);
      expect(instance.subtasks.reduce((t, s) => t + s.workMs, 0)).toBe(first.totalWork);
      const lb = makespanLowerBounds(instance);
      expect(lb.criticalPathMs).toBe(first.criticalPath);
      expect(Math.ceil(lb.lowerBoundMs)).toBe(row.trivialLowerBound);
      // the published table never goes below the trivial bound (README sanity check)
      if (row.tableLowerBound !== undefined) expect(row.tableLowerBound).toBeGreaterThanOrEqual(Math.ceil(lb.lowerBoundMs));
    }
  });

  it('robot: 88 tasks, CP 569, as its own comment block says', () => {
    const stg = readStg(dataPath('stg/graphs/app/robot.stg'));
    expect(stg.taskCount).toBe(88);
    expect(stg.comments).toContain('CP Length           : 569');
    expect(makespanLowerBounds(dag(dataPath('stg/graphs/app/robot.stg'), 4)).criticalPathMs).toBe(569);
  });

  it('the small example: a diamond with CP 10 and work 14; the dummies are zero-work operators', () => {
    const instance = dag(join(examples, 'small-diamond.stg'), 2);
    expect(instance.operators.map((o) => o.name)).toEqual(['entry', 'task 1', 'task 2', 'task 3', 'task 4', 'exit']);
    expect(instance.subtaskById.get('t0#0')!.workMs).toBe(0);
    const lb = makespanLowerBounds(instance);
    expect(lb.criticalPathMs).toBe(10);
    expect(lb.workMs).toBe(7);
  });
});

describe('the STG optimal schedule length table', () => {
  const table = readStgOptima();

  it('has the 10,788 (graph, P) rows the STG README counts', () => {
    expect(table.size).toBe(10788);
  });

  it('rand0000 (50 tasks) on 2 processors: proven optimum 131', () => {
    expect(stgOptimum('50/rand0000.stg', 2, table)).toEqual({ graph: '50/rand0000.stg', processors: 2, lowerBound: 131, bestKnown: 131, provenOptimal: true });
  });

  it('agrees with graph_bounds.csv on every bundled random graph', () => {
    for (const row of readStgGraphBounds()) {
      const opt = stgOptimum(row.graph, row.processors, table);
      if (row.graph.startsWith('app/')) {
        expect(opt).toBeUndefined();
        continue;
      }
      expect(opt?.lowerBound).toBe(row.tableLowerBound);
      expect(opt?.bestKnown).toBe(row.tableBestKnown);
      expect(opt?.provenOptimal).toBe(row.provenOptimal);
    }
  });
});

describe('bad STG input', () => {
  it('a truncated file names the line where the missing task belongs', () => {
    expect(() => loadInstance(join(examples, 'bad/truncated.stg'), { taskManagers: 2 })).toThrow(
      /bad\/truncated\.stg: line 5 should be task 3's line .* the file is truncated, got "the end of the file"/,
    );
  });

  it('a short task line, a wrong id, an unknown predecessor, trailing garbage', () => {
    expect(() => parseStg('2\n0 0 0\n1 4 2 0\n', 'a.stg')).toThrow(/^a\.stg: line 3 should be task 1's line with 2 predecessor ids .*got "1 4 2 0"$/);
    expect(() => parseStg('2\n0 0 0\n2 4 1 0\n', 'b.stg')).toThrow(/^b\.stg: line 3 should be .*the task id 1 first, got "2 4 1 0"$/);
    expect(() => parseStg('1\n0 0 0\n1 4 1 7\n2 0 1 1\n', 'c.stg')).toThrow(/^c\.stg: line 3 should be predecessor ids of task 1 among 0\.\.2 other than 1, got 7$/);
    expect(() => parseStg('1\n0 0 0\n1 4 1 0\n2 0 1 1\n3 0 0\n', 'd.stg')).toThrow(/^d\.stg: line 5 should be a "#" comment or the end of the file/);
    expect(() => parseStg('x\n', 'e.stg')).toThrow(InstanceFormatError);
  });

  it('a cycle through predecessor lists is reported with the tasks on it', () => {
    const cyclic = parseStg('2\n0 0 0\n1 4 2 0 2\n2 3 1 1\n3 0 1 2\n', 'cyc.stg');
    const error = (() => {
      try {
        createDagPlacementInstance(stgDagPlacementSpec(cyclic, parseClusterShorthand('2x1')), 'cyc.stg');
      } catch (e) {
        return e as CyclicGraphError;
      }
      throw new Error('no error');
    })();
    expect(error).toBeInstanceOf(CyclicGraphError);
    expect([...error.cycle].sort()).toEqual(['t1', 't2']);
    expect(error.message).toMatch(/^cyc\.stg: .*cycle t[12] -> t[12] -> t[12]$/);
  });

  it('an STG file without a cluster is refused with a hint', () => {
    expect(() => loadInstance(join(examples, 'small-diamond.stg'))).toThrow(InvalidInstanceError);
    expect(() => loadInstance(join(examples, 'small-diamond.stg'))).toThrow(/--cluster 4x1/);
  });
});
