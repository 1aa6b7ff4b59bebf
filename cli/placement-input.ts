import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { DagPlacementInstance } from '../models/dag-placement/instance.ts';
import { InstanceFormatError, SolverNotApplicableError, describeValue } from '../models/errors.ts';
import { seededRng } from '../models/rng.ts';
import type { Placement } from '../models/solution.ts';
import { findSolver, solveWith } from '../solver/registry.ts';
import { readJsonFile } from '../datasets/loaders/files.ts';
import { parseDurationMs, parseInteger } from './options.ts';

/**
 * A placement given on the command line (`run --placement`, `plot --schedule`): a file written by `slotlab solve
 * --out`, or the name of a DAG placement solver that is run on the instance.
 */

/** Reads a Placement or Schedule written by `slotlab solve --out` (`{ "assignments": [{ subtask, taskManager, slot, startMs?, endMs? }] }`). */
export function readPlacementFile(file: string): Placement {
  const data = readJsonFile(file); // regular files only, a BOM dropped, syntax errors with line and column
  const assignments = (data as { assignments?: unknown } | null)?.assignments;
  if (!Array.isArray(assignments)) throw new InstanceFormatError(file, '$.assignments', 'a list of { subtask, taskManager, slot }', assignments);
  assignments.forEach((a: unknown, i) => {
    const x = a as Record<string, unknown> | null;
    const at = `$.assignments[${i}]`;
    if (typeof x !== 'object' || x === null) throw new InstanceFormatError(file, at, 'an object { subtask, taskManager, slot }', a);
    if (typeof x['subtask'] !== 'string') throw new InstanceFormatError(file, `${at}.subtask`, 'a subtask id such as "map#0"', x['subtask']);
    if (typeof x['taskManager'] !== 'string') throw new InstanceFormatError(file, `${at}.taskManager`, 'a TaskManager id', x['taskManager']);
    if (!Number.isInteger(x['slot'])) throw new InstanceFormatError(file, `${at}.slot`, 'a slot number (integer >= 0)', x['slot']);
    for (const t of ['startMs', 'endMs'])
      if (x[t] !== undefined && (typeof x[t] !== 'number' || !Number.isFinite(x[t]))) throw new InstanceFormatError(file, `${at}.${t}`, 'a number of ms', x[t]);
  });
  return data as Placement;
}

export interface PlacementSolveOptions {
  readonly seed: string;
  readonly timeLimit: string;
}

export interface ResolvedPlacement {
  readonly placement: Placement;
  /** `file schedule.json` or `solver heft (feasible, 2 ms)`, for reports. */
  readonly source: string;
  /** The file's base name or the solver's name, for titles and file names. */
  readonly label: string;
}

/** `value` names an existing file (read it) or a DAG placement solver (run it on `instance`); `option` names the flag in errors. */
export async function resolvePlacement(instance: DagPlacementInstance, value: string, option: string, opts: PlacementSolveOptions): Promise<ResolvedPlacement> {
  if (existsSync(value) && statSync(value).isFile()) return { placement: readPlacementFile(value), source: `file ${value}`, label: basename(value) };
  let solverName: string;
  try {
    solverName = findSolver(value, 'dag-placement').name;
  } catch (error) {
    if (error instanceof SolverNotApplicableError)
      throw new SolverNotApplicableError(`${option} ${describeValue(value)} is neither a file nor a DAG placement solver: ${error.message}`);
    throw error;
  }
  const result = await solveWith(solverName, instance, { rng: seededRng(parseInteger(opts.seed, '--seed')), timeLimitMs: parseDurationMs(opts.timeLimit) });
  if (result.solution === undefined)
    throw new SolverNotApplicableError(`solver ${solverName} gave no placement for ${instance.name} (status ${result.status}${result.message ? `: ${result.message}` : ''})`);
  return { placement: result.solution, source: `solver ${solverName} (${result.status}, ${result.timeMs.toFixed(0)} ms)`, label: solverName };
}
