import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Papa from 'papaparse';
import { InstanceFormatError } from '../../models/errors.ts';
import type { PerformancePoint } from '../../models/predict/types.ts';
import { SWEEP_COLUMNS, type SweepRow } from './sweep.ts';

/**
 * The sweep CSV (papaparse): header SWEEP_COLUMNS, one row per run. `slotlab predict` reads it back, or any CSV with
 * a `task_managers` column and a time column: `measured_ms` (a sweep) or `measured_completion` (a benchmark result
 * file, `slotlab bench`); an optional `scale` column is Ernest's input fraction. Rows with an empty time are skipped
 * (benchmark rows that were not run); anything else that is not a positive number names the file, line and column.
 */
export function sweepToCsv(rows: readonly SweepRow[]): string {
  const text = Papa.unparse({ fields: [...SWEEP_COLUMNS], data: rows.map((r) => SWEEP_COLUMNS.map((c) => r[c])) }, { newline: '\n' });
  return text.endsWith('\n') ? text : `${text}\n`;
}

export function writeSweepCsv(file: string, rows: readonly SweepRow[]): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, sweepToCsv(rows));
}

export const TIME_COLUMNS = ['measured_ms', 'measured_completion'] as const;
/** The schedule's predicted time (read into `modelMs`, for the `calibrated` model). */
export const MODEL_TIME_COLUMNS = ['predicted_ms', 'predicted_completion'] as const;

export interface PerformanceCsv {
  readonly points: readonly PerformancePoint[];
  /** The time column read. */
  readonly timeColumn: string;
  /** The schedule's predicted time per TaskManager count, from every row that has one (run or only placed). */
  readonly modelMsAt: ReadonlyMap<number, number>;
  /** The `instance` column's distinct values, when there is one. */
  readonly instances: readonly string[];
}

/** `instance`: keep only the rows of that instance (a CSV of several jobs must name one). */
export function csvToPerformancePoints(text: string, file: string, instance?: string): PerformanceCsv {
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  const fields = parsed.meta.fields ?? [];
  if (!fields.includes('task_managers'))
    throw new InstanceFormatError(file, 'line 1 (header)', 'a header with a task_managers column', fields.join(',') || 'an empty file');
  const timeColumn = TIME_COLUMNS.find((c) => fields.includes(c));
  if (timeColumn === undefined)
    throw new InstanceFormatError(file, 'line 1 (header)', `a header with a time column (${TIME_COLUMNS.join(' or ')})`, fields.join(','));
  const bad = parsed.errors[0];
  if (bad) throw new InstanceFormatError(file, `line ${(bad.row ?? 0) + 2}`, `a CSV row (${bad.message})`);
  const points: PerformancePoint[] = [];
  const modelColumn = MODEL_TIME_COLUMNS.find((c) => fields.includes(c));
  const modelMsAt = new Map<number, number>();
  const instances = new Set<string>();
  parsed.data.forEach((record, i) => {
    const line = `line ${i + 2}`;
    if (instance !== undefined && record['instance'] !== instance) return;
    const timeText = record[timeColumn] ?? '';
    const modelText = modelColumn === undefined ? '' : (record[modelColumn] ?? '');
    if (timeText === '' && modelText === '') return;
    const tmText = record['task_managers'] ?? '';
    const taskManagers = Number(tmText);
    if (tmText === '' || !Number.isFinite(taskManagers) || taskManagers <= 0)
      throw new InstanceFormatError(file, `${line}, column task_managers`, 'a number of TaskManagers > 0', tmText);
    const modelMs = modelText === '' ? undefined : Number(modelText);
    if (modelMs !== undefined && !(Number.isFinite(modelMs) && modelMs >= 0)) throw new InstanceFormatError(file, `${line}, column ${modelColumn}`, 'a time >= 0 ms', modelText);
    if (modelMs !== undefined && !modelMsAt.has(taskManagers)) modelMsAt.set(taskManagers, modelMs);
    if (timeText === '') return;
    const measuredMs = Number(timeText);
    if (!Number.isFinite(measuredMs) || measuredMs < 0) throw new InstanceFormatError(file, `${line}, column ${timeColumn}`, 'a time >= 0 ms', timeText);
    const scaleText = record['scale'] ?? '';
    const scale = scaleText === '' ? undefined : Number(scaleText);
    if (scale !== undefined && !(Number.isFinite(scale) && scale > 0)) throw new InstanceFormatError(file, `${line}, column scale`, 'a fraction > 0', scaleText);
    if (record['instance']) instances.add(record['instance']);
    points.push({ taskManagers, measuredMs, ...(scale === undefined ? {} : { scale }), ...(modelMs === undefined ? {} : { modelMs }) });
  });
  if (instance === undefined && instances.size > 1)
    throw new InstanceFormatError(file, 'column instance', `rows of one job (or name one with --instance), got ${instances.size}: ${[...instances].slice(0, 5).join(', ')}${instances.size > 5 ? ', ...' : ''}`);
  if (instance !== undefined && points.length === 0) throw new InstanceFormatError(file, 'column instance', `rows of instance ${instance}`, 'none');
  return { points, timeColumn, modelMsAt, instances: [...instances] };
}

export function readPerformanceCsv(file: string, instance?: string): PerformanceCsv {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InstanceFormatError(file, 'the file', 'a readable CSV file', error instanceof Error ? error.message : String(error));
  }
  return csvToPerformancePoints(text, file, instance);
}
