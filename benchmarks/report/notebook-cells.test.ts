import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NotebookError, mapModuleLines, notebookModule, readNotebook } from './notebook-cells.ts';

const NOTEBOOKS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'notebooks');

function notebook(cells: object[], kernel = 'deno'): string {
  return JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: kernel, display_name: 'Deno', language: 'typescript' } }, cells });
}
const md = (text: string) => ({ cell_type: 'markdown', metadata: {}, source: [text] });
const code = (lines: string[], executionCount: number | null = null, outputs: object[] = []) => ({
  cell_type: 'code',
  metadata: {},
  execution_count: executionCount,
  outputs,
  source: lines,
});

describe('notebook cells as one module', () => {
  it('joins the code cells in order and maps module lines back to cell and line', () => {
    const text = notebook([md('# title'), code(['const a = 1;\n', 'const b = a + 1;']), md('text'), code(['console.log(b);\n'])]);
    const nb = readNotebook(text, 'x.ipynb');
    expect(nb.cells.map((c) => c.cell)).toEqual([2, 4]);
    const module = notebookModule(nb, 'x.ipynb');
    const lines = module.text.split('\n');
    expect(lines.indexOf('const b = a + 1;')).toBeGreaterThan(lines.indexOf('const a = 1;'));
    expect(lines.indexOf('console.log(b);')).toBeGreaterThan(lines.indexOf('const b = a + 1;'));
    expect(module.origin(lines.indexOf('const b = a + 1;') + 1)).toEqual({ cell: 2, line: 2 });
    expect(module.origin(lines.indexOf('console.log(b);') + 1)).toEqual({ cell: 4, line: 1 });
    expect(module.origin(1)).toBeNull(); // the header comment
    const at = lines.indexOf('console.log(b);') + 1;
    expect(mapModuleLines(`notebooks/.check-x.ts(${at},13): error TS2304: Cannot find name 'b'.`, '.check-x.ts', 'x.ipynb', module)).toBe(
      "x.ipynb cell 4 line 1, column 13: error TS2304: Cannot find name 'b'.",
    );
    expect(mapModuleLines(`    at file:///repo/notebooks/.check-x.ts:${at}:9`, '.check-x.ts', 'x.ipynb', module)).toBe('    at x.ipynb cell 4 line 1, column 9');
  });

  it('accepts stripped outputs or one run from the top, and refuses anything else, naming the cell', () => {
    expect(readNotebook(notebook([code(['1;'], 1, [{ output_type: 'stream', name: 'stdout', text: ['x'] }]), code(['2;'], 2)]), 'ok.ipynb').cellsWithOutputs).toBe(1);
    expect(() => readNotebook(notebook([code(['1;'], 2), code(['2;'], 3)]), 'rerun.ipynb')).toThrow(/rerun\.ipynb: cell 1: execution_count should be 1/);
    expect(() => readNotebook(notebook([code(['1;'], 1), code(['2;'], null)]), 'partial.ipynb')).toThrow(/partial\.ipynb: cell 2: execution_count should be 2/);
    expect(() => readNotebook(notebook([code(['throw 1;'], 1, [{ output_type: 'error', ename: 'Error', evalue: 'boom', traceback: [] }])]), 'e.ipynb')).toThrow(
      /e\.ipynb: cell 1: has a saved error output \(Error: boom\)/,
    );
    expect(() => readNotebook(notebook([code(['1;'])], 'python3'), 'py.ipynb')).toThrow(NotebookError);
    expect(() => readNotebook('{"nbformat": 4', 'broken.ipynb')).toThrow(/broken\.ipynb: the file: should be JSON/);
  });

  it("slotlab's own notebooks are Deno notebooks whose saved outputs come from one run", () => {
    const files = readdirSync(NOTEBOOKS).filter((f) => f.endsWith('.ipynb'));
    expect(files).toEqual(expect.arrayContaining(['heuristic-vs-exact.ipynb', 'predicted-vs-measured.ipynb']));
    for (const file of files) expect(readNotebook(readFileSync(join(NOTEBOOKS, file), 'utf8'), file).cells.length).toBeGreaterThan(3);
  });
});
