import { InstanceFormatError } from '../../models/errors.ts';
import { dataPath } from '../paths.ts';
import { csvNumber, csvRequiredNumber, readCsv } from './csv.ts';

/**
 * Ground truth for the STG graphs (see datasets/data/stg/README.md):
 * - `optimal_schedule_lengths_v2.csv`: Kasahara's table for every STG v2.0 random graph and P = 2, 4, 8, 16
 *   (identical processors, no communication). `proven_optimal = 1`: lower_bound = best_known = the optimum;
 *   otherwise the optimum lies in [lower_bound, best_known].
 * - `graph_bounds.csv`: for each bundled graph and P, task and edge counts, total work, critical path and the
 *   trivial bound max(CP, ceil(work / P)), with the table values where they exist (not for the app graphs).
 * Graph keys are `<folder>/<file>` (`50/rand0000.stg`, `app/robot.stg`), as `stgGraphKey` returns.
 * The readers keep no cache: read a table once and pass it in when looking up many graphs.
 */
export interface StgOptimum {
  readonly graph: string;
  readonly processors: number;
  readonly lowerBound: number;
  readonly bestKnown: number;
  readonly provenOptimal: boolean;
}

export type StgOptimaTable = ReadonlyMap<string, StgOptimum>;

const key = (graph: string, processors: number) => `${graph}|${processors}`;

function flag(file: string, line: number, column: string, value: number | undefined): boolean {
  if (value !== 0 && value !== 1) throw new InstanceFormatError(file, `line ${line} column ${column}`, '0 or 1', value);
  return value === 1;
}

export function readStgOptima(file = dataPath('stg/optimal_schedule_lengths_v2.csv')): StgOptimaTable {
  const table = new Map<string, StgOptimum>();
  for (const row of readCsv(file, ['graph', 'processors', 'lower_bound', 'best_known', 'proven_optimal'])) {
    const graph = row.values['graph']!;
    const processors = csvRequiredNumber(file, row, 'processors');
    const lowerBound = csvRequiredNumber(file, row, 'lower_bound');
    const bestKnown = csvRequiredNumber(file, row, 'best_known');
    const provenOptimal = flag(file, row.line, 'proven_optimal', csvRequiredNumber(file, row, 'proven_optimal'));
    if (lowerBound > bestKnown || (provenOptimal && lowerBound !== bestKnown))
      throw new InstanceFormatError(file, `line ${row.line}`, 'lower_bound <= best_known, equal when proven_optimal = 1', `${lowerBound}, ${bestKnown}`);
    table.set(key(graph, processors), { graph, processors, lowerBound, bestKnown, provenOptimal });
  }
  return table;
}

/** The published optimum (or [lower bound, best known]) of STG graph `graph` on `processors` processors. */
export function stgOptimum(graph: string, processors: number, table: StgOptimaTable = readStgOptima()): StgOptimum | undefined {
  return table.get(key(graph, processors));
}

export interface StgGraphBounds {
  readonly graph: string;
  /** Real tasks, dummies excluded. */
  readonly tasks: number;
  /** Edges including the ones to the dummy entry and exit. */
  readonly edgesInclDummy: number;
  readonly totalWork: number;
  readonly criticalPath: number;
  readonly processors: number;
  /** max(CP, ceil(work / P)). */
  readonly trivialLowerBound: number;
  readonly tableLowerBound: number | undefined;
  readonly tableBestKnown: number | undefined;
  readonly provenOptimal: boolean | undefined;
}

export function readStgGraphBounds(file = dataPath('stg/graph_bounds.csv')): StgGraphBounds[] {
  const cols = ['graph', 'tasks', 'edges_incl_dummy', 'total_work', 'critical_path', 'processors', 'trivial_lower_bound', 'table_lower_bound', 'table_best_known', 'proven_optimal'];
  return readCsv(file, cols).map((row) => {
    const proven = csvNumber(file, row, 'proven_optimal', { integer: true, optional: true });
    return {
      graph: row.values['graph']!,
      tasks: csvRequiredNumber(file, row, 'tasks'),
      edgesInclDummy: csvRequiredNumber(file, row, 'edges_incl_dummy'),
      totalWork: csvRequiredNumber(file, row, 'total_work'),
      criticalPath: csvRequiredNumber(file, row, 'critical_path'),
      processors: csvRequiredNumber(file, row, 'processors'),
      trivialLowerBound: csvRequiredNumber(file, row, 'trivial_lower_bound'),
      tableLowerBound: csvNumber(file, row, 'table_lower_bound', { integer: true, optional: true }),
      tableBestKnown: csvNumber(file, row, 'table_best_known', { integer: true, optional: true }),
      provenOptimal: proven === undefined ? undefined : flag(file, row.line, 'proven_optimal', proven),
    };
  });
}
