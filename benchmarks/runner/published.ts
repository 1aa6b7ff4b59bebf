import { isAbsolute, relative } from 'node:path';
import type { DagPlacementInstance } from '../../models/dag-placement/instance.ts';
import type { LoadBalancingInstance } from '../../models/load-balancing/instance.ts';
import type { LoadedInstance } from '../../datasets/loaders/index.ts';
import { readStgOptima, stgOptimum, type StgOptimaTable } from '../../datasets/loaders/stg-reference.ts';
import { stgGraphKey } from '../../datasets/loaders/stg.ts';
import { bppOptimum, readBppOptima, type BppOptimum } from '../../datasets/loaders/bpplib.ts';
import { heftPaperExpected, HEFT_PAPER_FILE } from '../../datasets/loaders/heft-paper.ts';
import { dataPath } from '../../datasets/paths.ts';

/**
 * Published reference values of a run's instance, read through the datasets layer's ground-truth readers, and
 * only when the run poses the question the publication answers:
 * - STG (Tobita & Kasahara 2002, optimal schedule length table): `sequenced` on P TaskManager slots of speed 1
 *   with P in the table (2, 4, 8, 16): lower bound and best known length, equal when proven optimal.
 * - BPPLIB (Delorme, Iori, Martello 2018, optimal bin counts B*), read as P||Cmax on m identical TaskManagers
 *   (speed 1, no slot limit below the item count) by the bin-packing duality: with m >= B* bins of capacity c
 *   suffice, so the optimal makespan is at most c (best known c) and at least max(ceil(W / m), max weight)
 *   (equal for the Falkenauer triplets, where every bin is exactly full); with m < B* it is above c, so at
 *   least c + 1 (integer weights).
 * - The HEFT paper example (Topcuoglu, Hariri, Wu 2002) on its own three processors, `sequenced`: HEFT's
 *   published schedule of length 80 is a best known value, not an optimum.
 */
export interface PublishedReference {
  readonly lowerBound: number | null;
  readonly bestKnown: number | null;
  /** Where the values come from, for the row's note. */
  readonly source: string;
}

/** Ground-truth tables a worker reads once and reuses for all its runs. */
export interface ReferenceTables {
  stg(): StgOptimaTable;
  bpp(): readonly BppOptimum[];
  heftMakespanMs(): number;
}

/** Lazily read tables, kept by the returned object (not at module level). */
export function referenceTables(): ReferenceTables {
  let stg: StgOptimaTable | undefined;
  let bpp: readonly BppOptimum[] | undefined;
  let heft: number | undefined;
  return {
    stg: () => (stg ??= readStgOptima()),
    bpp: () => (bpp ??= readBppOptima()),
    heftMakespanMs: () => (heft ??= heftPaperExpected().heftMakespanMs),
  };
}

function stgReference(instance: DagPlacementInstance, file: string, tables: ReferenceTables): PublishedReference | null {
  if (instance.variant !== 'sequenced') return null;
  if (instance.taskManagers.some((tm) => tm.speedFactor !== 1)) return null;
  if (instance.subtasks.some((s) => s.durationMsByTaskManager !== undefined)) return null;
  if (instance.edges.some((e) => e.bytes !== 0)) return null;
  const row = stgOptimum(stgGraphKey(file), instance.slots.length, tables.stg());
  if (!row) return null;
  return { lowerBound: row.lowerBound, bestKnown: row.bestKnown, source: `STG table, P = ${row.processors}${row.provenOptimal ? ', proven optimal' : ', open interval'}` };
}

function bppReference(instance: LoadBalancingInstance, file: string, tables: ReferenceTables): PublishedReference | null {
  if (instance.objective !== 'max-utilization') return null;
  const row = bppOptimum(file, tables.bpp());
  if (!row || row.optimalBins === undefined) return null;
  const m = instance.taskManagers.length;
  if (instance.taskManagers.some((tm) => tm.speedFactor !== 1 || tm.slotCount < instance.tasks.length)) return null;
  if (m >= row.optimalBins) {
    const lower = Math.max(Math.ceil(row.totalWeight / m), row.maxWeight);
    return { lowerBound: Math.min(lower, row.capacity), bestKnown: row.capacity, source: `BPPLIB: ${row.optimalBins} bins of capacity ${row.capacity} suffice, m = ${m}` };
  }
  return { lowerBound: row.capacity + 1, bestKnown: null, source: `BPPLIB: ${row.optimalBins} bins of capacity ${row.capacity} are needed, m = ${m}` };
}

function inside(folder: string, file: string): boolean {
  const rel = relative(folder, file);
  return !rel.startsWith('..') && !isAbsolute(rel);
}

/** The published reference for `instance` loaded from the bundled file `file` (absolute), or null when none applies. */
export function publishedReference(instance: LoadedInstance, file: string, tables: ReferenceTables): PublishedReference | null {
  if (instance.kind === 'dag-placement' && inside(dataPath('stg/graphs'), file)) return stgReference(instance, file, tables);
  if (instance.kind === 'load-balancing' && inside(dataPath('bpplib'), file)) return bppReference(instance, file, tables);
  if (instance.kind === 'dag-placement' && file === dataPath(HEFT_PAPER_FILE)) {
    const own = instance.taskManagers.map((tm) => tm.id).join(',') === 'P1,P2,P3' && instance.slots.length === 3;
    if (instance.variant !== 'sequenced' || !own) return null;
    return { lowerBound: null, bestKnown: tables.heftMakespanMs(), source: 'HEFT paper (Topcuoglu et al. 2002): HEFT schedule of length 80' };
  }
  return null;
}
