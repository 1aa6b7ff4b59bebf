import Papa from 'papaparse';
import { InstanceFormatError } from '../../models/errors.ts';
import { readTextFile } from './files.ts';

/** One CSV row with its 1-based line in the file (header = line 1; no field in these files spans lines). */
export interface CsvRow {
  readonly line: number;
  readonly values: Readonly<Record<string, string>>;
}

/** Reads a comma-separated file with a header row (papaparse); refuses missing columns and ragged rows. */
export function readCsv(file: string, requiredColumns: readonly string[]): CsvRow[] {
  const parsed = Papa.parse<Record<string, string>>(readTextFile(file), { header: true, delimiter: ',' });
  const columns = parsed.meta.fields ?? [];
  for (const c of requiredColumns)
    if (!columns.includes(c)) throw new InstanceFormatError(file, 'line 1 (header)', `a header naming the column "${c}"`, columns.join(','));
  const rows: CsvRow[] = [];
  parsed.data.forEach((values, i) => {
    if (Object.values(values).every((v) => v === '')) return; // blank line
    const problem = parsed.errors.find((e) => e.row === i);
    if (problem) throw new InstanceFormatError(file, `line ${i + 2}`, `a row with the ${columns.length} columns of the header`, problem.message);
    rows.push({ line: i + 2, values });
  });
  return rows;
}

/** A numeric cell; `optional` cells may be empty (then undefined). */
export function csvNumber(file: string, row: CsvRow, column: string, options: { integer?: boolean; optional?: boolean } = {}): number | undefined {
  const raw = row.values[column] ?? '';
  if (raw.trim() === '') {
    if (options.optional) return undefined;
    throw new InstanceFormatError(file, `line ${row.line} column ${column}`, options.integer ? 'an integer' : 'a number', raw);
  }
  const value = Number(raw);
  if (!Number.isFinite(value) || (options.integer && !Number.isInteger(value)))
    throw new InstanceFormatError(file, `line ${row.line} column ${column}`, options.integer ? 'an integer' : 'a number', raw);
  return value;
}

export function csvRequiredNumber(file: string, row: CsvRow, column: string, integer = true): number {
  return csvNumber(file, row, column, { integer })!;
}
