import { basename, extname } from 'node:path';
import { INSTANCE_LIMITS } from '../../models/limits.ts';
import { InstanceFormatError, InvalidInstanceError } from '../../models/errors.ts';
import type { LoadBalancingSpec } from '../../models/load-balancing/instance.ts';
import { dataPath } from '../paths.ts';
import { lineAfterContent, readTextFile } from './files.ts';
import { csvNumber, csvRequiredNumber, readCsv } from './csv.ts';

/**
 * BPPLIB one-dimensional bin packing (Delorme, Iori, Martello, Optimization Letters 12(2):235-250, 2018),
 * BPP format: line 1 the number of items n, line 2 the bin capacity c, then n lines with one integer weight.
 *
 * slotlab reads it as a **load balancing** instance: item i becomes task `item<i>` (1-based) with
 * `load` = its weight; the TaskManagers are a parameter (`taskManagers: m` identical ones without a slot
 * limit, or a cluster). Objective: max utilisation, i.e. P||Cmax.
 * Duality (why this is a test of P||Cmax): a makespan T is feasible on m identical machines exactly when the
 * items fit into m bins of capacity T. So with m = the optimal bin count (bppOptimum), the optimal makespan is
 * at most c; with m = optimal bins − 1 it is above c. The capacity itself is not part of the load balancing
 * instance; `readBpp` returns it.
 */
export interface BppInstance {
  readonly file: string;
  /** File name without extension, as BPPLIB names it (`Falkenauer_u120_00`). */
  readonly name: string;
  readonly capacity: number;
  readonly weights: readonly number[];
}

const INTEGER = /^\d+$/;

export function parseBpp(content: string, file: string): BppInstance {
  const lines = content.split(/\r?\n/);
  const valueLines: Array<{ line: number; text: string }> = [];
  lines.forEach((l, i) => {
    if (l.trim() !== '') valueLines.push({ line: i + 1, text: l.trim() });
  });
  const integerAt = (k: number, what: string, min: number, max = Number.POSITIVE_INFINITY): number => {
    const entry = valueLines[k];
    if (!entry) throw new InstanceFormatError(file, `line ${lineAfterContent(lines)}`, `${what}; the file is truncated`, 'the end of the file');
    if (!INTEGER.test(entry.text) || Number(entry.text) < min || Number(entry.text) > max)
      throw new InstanceFormatError(file, `line ${entry.line}`, `${what} (one integer${max === Number.POSITIVE_INFINITY ? ` >= ${min}` : ` in ${min}..${max}`} on the line)`, entry.text);
    return Number(entry.text);
  };
  const n = integerAt(0, `the number of items n, at most ${INSTANCE_LIMITS.subtasks} (docs/formats.md, "Limits")`, 1, INSTANCE_LIMITS.subtasks);
  const capacity = integerAt(1, `the bin capacity c, at most ${INSTANCE_LIMITS.quantity} (docs/formats.md, "Limits")`, 1, INSTANCE_LIMITS.quantity);
  const weights: number[] = [];
  for (let i = 0; i < n; i++) weights.push(integerAt(2 + i, `the weight of item ${i + 1} of ${n}, at most the capacity ${capacity}`, 1, capacity));
  const extra = valueLines[2 + n];
  if (extra) throw new InstanceFormatError(file, `line ${extra.line}`, `the end of the file after the ${n} weights that line 1 announces`, extra.text);
  return { file, name: basename(file, extname(file)), capacity, weights };
}

export function readBpp(file: string): BppInstance {
  return parseBpp(readTextFile(file), file);
}

/** The load balancing spec of a BPP instance on the given TaskManagers (required: BPP names none). */
export function bppLoadBalancingSpec(bpp: BppInstance, taskManagers: LoadBalancingSpec['taskManagers'] | undefined): LoadBalancingSpec {
  if (!taskManagers || taskManagers.length === 0)
    throw new InvalidInstanceError(
      bpp.file,
      'taskManagers',
      'a BPPLIB instance names no machines: give the number of TaskManagers (e.g. --task-managers 10, or the optimal bin count from bppOptimum) or a cluster',
    );
  return {
    name: bpp.name,
    objective: 'max-utilization',
    taskManagers,
    tasks: bpp.weights.map((w, i) => ({ id: `item${i + 1}`, load: w })),
  };
}

/** One row of bpplib/bounds.csv: the optimal bin count and simple bounds of a bundled instance. */
export interface BppOptimum {
  /** Path under datasets/data/bpplib, e.g. `scholl/HARD0.txt`. */
  readonly file: string;
  readonly name: string;
  readonly items: number;
  readonly capacity: number;
  readonly totalWeight: number;
  readonly maxWeight: number;
  /** ceil(total weight / c). */
  readonly l1Bins: number;
  readonly lowerBoundBins: number;
  readonly upperBoundBins: number;
  /** lowerBoundBins when it equals upperBoundBins, else undefined. */
  readonly optimalBins: number | undefined;
  /** First-fit decreasing, computed by the data's curators. */
  readonly ffdBins: number | undefined;
}

export function readBppOptima(file = dataPath('bpplib/bounds.csv')): BppOptimum[] {
  const cols = ['file', 'bpplib_name', 'n_items', 'capacity', 'total_weight', 'max_weight', 'L1_ceil_sum_over_c', 'lb_bins', 'ub_bins', 'optimal_known', 'ffd_bins_computed_by_us'];
  return readCsv(file, cols).map((row) => {
    const lowerBoundBins = csvRequiredNumber(file, row, 'lb_bins');
    const upperBoundBins = csvRequiredNumber(file, row, 'ub_bins');
    const known = csvRequiredNumber(file, row, 'optimal_known');
    if (known === 1 && lowerBoundBins !== upperBoundBins)
      throw new InstanceFormatError(file, `line ${row.line}`, 'lb_bins = ub_bins when optimal_known = 1', `${lowerBoundBins}, ${upperBoundBins}`);
    return {
      file: row.values['file']!,
      name: row.values['bpplib_name']!,
      items: csvRequiredNumber(file, row, 'n_items'),
      capacity: csvRequiredNumber(file, row, 'capacity'),
      totalWeight: csvRequiredNumber(file, row, 'total_weight'),
      maxWeight: csvRequiredNumber(file, row, 'max_weight'),
      l1Bins: csvRequiredNumber(file, row, 'L1_ceil_sum_over_c'),
      lowerBoundBins,
      upperBoundBins,
      optimalBins: known === 1 ? lowerBoundBins : undefined,
      ffdBins: csvNumber(file, row, 'ffd_bins_computed_by_us', { integer: true, optional: true }),
    };
  });
}

/** The bounds row of a bundled BPPLIB instance, by BPPLIB name (`HARD0`) or file name (`HARD0.txt`). */
export function bppOptimum(name: string, table: readonly BppOptimum[] = readBppOptima()): BppOptimum | undefined {
  const bare = basename(name, extname(name));
  return table.find((r) => r.name === bare || basename(r.file, extname(r.file)) === bare);
}
