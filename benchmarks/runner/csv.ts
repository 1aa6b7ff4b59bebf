import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Papa from 'papaparse';
import { InstanceFormatError, OutputFileError } from '../../models/errors.ts';
import { COLUMNS, COLUMN_NAMES, ROW_STATUSES, type ResultRow } from './columns.ts';

/**
 * Result CSV, written and read with papaparse: a header row with COLUMN_NAMES, then one row per run.
 * Empty cell = null; numbers are written with JavaScript's shortest round-trip form, so reading a file back gives
 * exactly the rows that were written; booleans are `true` / `false`.
 */

type Cell = string | number | boolean | null;

/** Makes a row writable without loss: non-finite numbers and empty strings become null, -0 becomes 0. */
export function normalizeRow(row: ResultRow): ResultRow {
  const out: Record<string, Cell> = {};
  for (const c of COLUMNS) {
    const v = (row as unknown as Record<string, Cell | undefined>)[c.name];
    out[c.name] = v === undefined || (typeof v === 'number' && !Number.isFinite(v)) || v === '' ? null : Object.is(v, -0) ? 0 : v;
  }
  return out as unknown as ResultRow;
}

function cells(row: ResultRow): string[] {
  return COLUMNS.map((c) => {
    const v = (row as unknown as Record<string, Cell>)[c.name];
    if (v === null || v === undefined) return '';
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
    return String(v);
  });
}

/** CSV text: header and rows, `\n` line ends, a final newline. */
export function rowsToCsv(rows: readonly ResultRow[], header = true): string {
  const body = Papa.unparse({ fields: [...COLUMN_NAMES], data: rows.map(cells) }, { header, newline: '\n' });
  return body === '' || body.endsWith('\n') ? body : `${body}\n`;
}

/** Parses result CSV text; any deviation from the format names the file, the line and the column. */
export function csvToRows(text: string, file: string): ResultRow[] {
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  const fields = parsed.meta.fields ?? [];
  if (fields.join(',') !== COLUMN_NAMES.join(','))
    throw new InstanceFormatError(file, 'line 1 (header)', `the slotlab result header ${COLUMN_NAMES.join(',')}`, fields.join(','));
  const badParse = parsed.errors[0];
  if (badParse) throw new InstanceFormatError(file, `line ${(badParse.row ?? 0) + 2}`, `a CSV row with ${COLUMN_NAMES.length} cells (${badParse.message})`);
  return parsed.data.map((record, i) => {
    const line = `line ${i + 2}`;
    const row: Record<string, Cell> = {};
    for (const c of COLUMNS) {
      const text = record[c.name] ?? '';
      if (text === '') {
        if (!c.nullable) throw new InstanceFormatError(file, `${line}, column ${c.name}`, 'a value (the column may not be empty)');
        row[c.name] = null;
      } else if (c.type === 'number') {
        const v = Number(text);
        if (!Number.isFinite(v)) throw new InstanceFormatError(file, `${line}, column ${c.name}`, 'a finite number', text);
        row[c.name] = v;
      } else if (c.type === 'boolean') {
        if (text !== 'true' && text !== 'false') throw new InstanceFormatError(file, `${line}, column ${c.name}`, 'true or false', text);
        row[c.name] = text === 'true';
      } else row[c.name] = text;
    }
    if (!(ROW_STATUSES as readonly string[]).includes(row['status'] as string))
      throw new InstanceFormatError(file, `${line}, column status`, `one of ${ROW_STATUSES.join(', ')}`, row['status']);
    return row as unknown as ResultRow;
  });
}

export function readResultsFile(file: string): ResultRow[] {
  return csvToRows(readFileSync(file, 'utf8'), file);
}

/** Writes the whole file at once (to a temporary file renamed over it, so a crash leaves the old file whole). */
export function writeResultsFile(file: string, rows: readonly ResultRow[]): void {
  writingTo(file, () => {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, rowsToCsv(rows));
    renameSync(tmp, file);
  });
}

/** Runs a write; a failure of the file system (ENOTDIR, EISDIR, EACCES, ENOSPC) becomes one line naming the file. */
function writingTo(file: string, write: () => void): void {
  try {
    write();
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (typeof e.code !== 'string') throw error;
    const why: Record<string, string> = { EISDIR: 'is a folder', ENOTDIR: 'has a file where a folder should be on its path', EACCES: 'may not be written (permission denied)', EROFS: 'is on a read-only file system', ENOSPC: 'cannot be written: no space left on the device' };
    throw new OutputFileError(file, why[e.code] ?? `cannot be written (${e.code})`);
  }
}

/** Appends rows as runs finish (the header first when the file is new or empty), so an interrupted bench can --resume. */
export function appendResults(file: string, rows: readonly ResultRow[]): void {
  writingTo(file, () => {
    mkdirSync(dirname(file), { recursive: true });
    const fresh = !existsSync(file) || statSync(file).size === 0;
    appendFileSync(file, rowsToCsv(rows, fresh));
  });
}
