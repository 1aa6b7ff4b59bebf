import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { COLUMN_NAMES } from './columns.ts';
import { appendResults, csvToRows, normalizeRow, readResultsFile, rowsToCsv, writeResultsFile } from './csv.ts';
import { blankRow } from './test-rows.ts';

const tricky = [
  blankRow({ instance: '0001', note: 'a, "quoted" note\nover two lines', objective: 0.1 + 0.2, best_bound: 1e-7, solve_ms: 123456789.123, run_id: 'r1' }),
  blankRow({ status: 'invalid', valid: false, violations: 3, violation: 'slot tm1/0 holds 2 subtasks (a, b)', objective: -0, cross_tm_bytes: 2 ** 53, run_id: 'r2' }),
  blankRow({ status: 'timeout', valid: null, violations: null, solve_ms: null, variant: null, cluster: null, note: 'ünïcødé · 4×1', run_id: 'r3' }),
];

describe('result CSV', () => {
  it('reads back exactly the rows it wrote, header first', () => {
    const text = rowsToCsv(tricky);
    expect(text.split('\n')[0]).toBe(COLUMN_NAMES.join(','));
    expect(rowsToCsv([])).toBe(`${COLUMN_NAMES.join(',')}\n`);
    expect(csvToRows(text, 'x.csv')).toEqual(tricky.map(normalizeRow));
  });

  it('is plain papaparse CSV: papaparse alone sees the same header and cells', () => {
    const parsed = Papa.parse<Record<string, string>>(rowsToCsv(tricky), { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual([...COLUMN_NAMES]);
    expect(parsed.data).toHaveLength(3);
    expect(parsed.data[0]!['instance']).toBe('0001');
    expect(parsed.data[0]!['objective']).toBe(String(0.1 + 0.2));
    expect(parsed.data[2]!['valid']).toBe('');
  });

  it('normalises what CSV cannot carry: non-finite numbers and empty strings become empty cells, -0 becomes 0', () => {
    const row = normalizeRow(blankRow({ gap_to_best_known: Number.POSITIVE_INFINITY, objective: Number.NaN, note: '', best_bound: -0 }));
    expect(Object.is(row.best_bound, 0)).toBe(true);
    expect(row).toMatchObject({ gap_to_best_known: null, objective: null, note: null });
  });

  it('appends rows under one header and rewrites a file whole', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slotlab-csv-'));
    const file = join(dir, 'r.csv');
    appendResults(file, [tricky[0]!]);
    appendResults(file, [tricky[1]!, tricky[2]!]);
    expect(readResultsFile(file)).toEqual(tricky.map(normalizeRow));
    writeResultsFile(file, [tricky[2]!]);
    expect(readResultsFile(file)).toEqual([normalizeRow(tricky[2]!)]);
  });

  it('names the file, line and column of a bad cell', () => {
    const text = rowsToCsv([tricky[0]!]).replace(/,0.30000000000000004,/, ',fast,');
    expect(() => csvToRows(text, 'r.csv')).toThrow(/^r\.csv: line 2, column objective should be a finite number, got "fast"$/);
    const lines = rowsToCsv([tricky[0]!]).split('\n');
    expect(() => csvToRows(['a,b', lines[1]].join('\n'), 'r.csv')).toThrow(/r\.csv: line 1 \(header\) should be the slotlab result header/);
    const dir = mkdtempSync(join(tmpdir(), 'slotlab-csv-'));
    writeFileSync(join(dir, 'bad.csv'), rowsToCsv([blankRow()]).replace(',feasible,', ',great,'));
    expect(() => readResultsFile(join(dir, 'bad.csv'))).toThrow(/column status should be one of optimal, feasible/);
    expect(readFileSync(join(dir, 'bad.csv'), 'utf8')).toContain('great');
  });
});
