import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import type { ResultRow } from '../runner/columns.ts';
import { csvToRows, rowsToCsv } from '../runner/csv.ts';
import { blankRow } from '../runner/test-rows.ts';
import { PLOT_FONT_FAMILY, PNG_SIGNATURE, buildPlots, plotFontFiles, renderSvg, svgToPng, type PlotSpec } from './index.ts';

/**
 * A tiny results CSV (written and read back with the runner's csv.ts): two DAG-placement solvers on three STG
 * instances with hand-set gaps, times and completion times, one slot-allocation row and one failed run.
 */
function tinyRows(): ResultRow[] {
  const rows: ResultRow[] = [];
  const instances = [
    { instance: 'stg/graphs/50/rand0000.stg', subtasks: 52, best: 131 },
    { instance: 'stg/graphs/50/rand0001.stg', subtasks: 52, best: 120 },
    { instance: 'stg/graphs/100/rand0000.stg', subtasks: 102, best: 250 },
  ];
  for (const [i, inst] of instances.entries()) {
    for (const [solver, gap, ms] of [['heft', 0.01 * i, 2 + i], ['random', 0.3 + 0.1 * i, 0.5]] as const) {
      const objective = inst.best * (1 + gap);
      rows.push(
        blankRow({
          suite: 'tiny',
          instance: inst.instance,
          subtasks: inst.subtasks,
          solver,
          objective,
          best_known: inst.best,
          best_known_source: 'published-optimum',
          gap_to_best_known: gap,
          solve_ms: ms,
          predicted_completion: objective,
          measured_completion: objective * 1.1,
          run_id: `tiny|${inst.instance}|${solver}`,
        }),
      );
    }
  }
  rows.push(blankRow({ suite: 'tiny', instance: 'stg/graphs/50/rand0002.stg', solver: 'heft', status: 'timeout', valid: null, run_id: 'tiny|timeout' }));
  rows.push(
    blankRow({
      suite: 'tiny',
      dataset: 'examples',
      instance: 'datasets/examples/slot-allocation.json',
      model: 'slot-allocation',
      variant: null,
      cluster: null,
      subtasks: 3,
      slots: 16,
      solver: 'milp',
      solver_kind: 'exact',
      status: 'optimal',
      objective: 4,
      best_known: 4,
      best_known_source: 'suite-exact',
      gap_to_best_known: 0,
      solve_ms: 300,
      run_id: 'tiny|slot-allocation|milp',
    }),
  );
  return csvToRows(rowsToCsv(rows), 'tiny.csv');
}

/** The items (one `<path>` each) of the symbol marks of a vega SVG: the dots of a scatter or strip plot. */
function symbolItems(svg: string): number {
  const groups = [...svg.matchAll(/<g class="mark-symbol role-mark[^"]*"[^>]*>(.*?)<\/g>/g)];
  return groups.reduce((t, g) => t + (g[1]!.match(/<path /g) ?? []).length, 0);
}

/** The texts of a role (axis-label, legend-label, title-text...), in document order. */
function texts(svg: string, role: string): string[] {
  const group = new RegExp(`<g class="mark-text role-${role}"[^>]*>(.*?)</g>`, 'g');
  return [...svg.matchAll(group)].flatMap((g) => [...g[1]!.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((t) => t[1]!));
}

function plot(plots: readonly PlotSpec[], name: string): PlotSpec {
  const found = plots.find((p) => p.name === name);
  if (!found) throw new Error(`no plot ${name}; have ${plots.map((p) => p.name).join(', ')}`);
  return found;
}

describe('plots from a results CSV', () => {
  const rows = tinyRows();
  const { plots, skipped } = buildPlots(rows);

  it('draws every kind for the models that have the columns, and says why the others are missing', () => {
    expect(plots.map((p) => p.name).sort()).toEqual([
      'gap-dag-placement',
      'gap-slot-allocation',
      'predicted-vs-measured-dag-placement',
      'solve-time-dag-placement',
      'solve-time-slot-allocation',
      'summary-dag-placement',
      'summary-slot-allocation',
    ]);
    expect(skipped).toEqual([]);
    const none = buildPlots(rows.map((r) => ({ ...r, measured_completion: null })), ['predicted-vs-measured']);
    expect(none.plots).toEqual([]);
    expect(none.skipped).toEqual([
      { name: 'predicted-vs-measured', reason: expect.stringContaining('no placement was executed on the runtime') },
    ]);
    expect(() => buildPlots(rows, ['pie'])).toThrow(/unknown plot kind "pie"/);
  });

  it('gap plot: one dot per solved run with a gap, solvers sorted by median gap, datasets in the legend', async () => {
    const gap = plot(plots, 'gap-dag-placement');
    expect(gap.rows).toBe(6); // the timeout row has no gap
    const svg = await renderSvg(gap.spec);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(symbolItems(svg)).toBe(6);
    expect(texts(svg, 'axis-label')).toEqual(expect.arrayContaining(['heft', 'random']));
    const labels = texts(svg, 'axis-label');
    expect(labels.indexOf('heft')).toBeLessThan(labels.indexOf('random')); // heft's median gap (1 %) is below random's (40 %)
    expect(texts(svg, 'legend-label')).toEqual(['stg']);
    expect(texts(svg, 'title-text')).toEqual(['DAG placement: gap to best known per solver']);
    expect(svg).toContain(`font-family="${PLOT_FONT_FAMILY}"`);
  });

  it('solve time: log axes, one dot per timed run, one line per solver', async () => {
    const time = plot(plots, 'solve-time-dag-placement');
    expect(time.rows).toBe(7); // the six solved runs and the timeout (its time is the limit it hit)
    const svg = await renderSvg(time.spec);
    expect(symbolItems(svg)).toBe(7);
    expect(svg).toMatch(/solve time \(ms, log scale\)/);
    const lines = [...svg.matchAll(/<g class="mark-line role-mark[^"]*"[^>]*>(.*?)<\/g>/g)];
    expect(lines.reduce((t, g) => t + (g[1]!.match(/<path /g) ?? []).length, 0)).toBe(2);
    expect(texts(svg, 'legend-label')).toEqual(expect.arrayContaining(['heft', 'random']));
  });

  it('predicted vs measured: one dot per executed placement and the y = x line', async () => {
    const completion = plot(plots, 'predicted-vs-measured-dag-placement');
    expect(completion.rows).toBe(6);
    const svg = await renderSvg(completion.spec);
    expect(symbolItems(svg)).toBe(6);
    expect(svg).toMatch(/<g class="mark-line role-mark[^"]*"[^>]*><path [^>]*stroke-dasharray="6,4"/);
    expect(texts(svg, 'axis-title')).toEqual(['predicted completion (ms)', 'measured completion (ms)']);
  });

  it('summary: the runner summary as bars, runs by outcome including the timeout', async () => {
    const summary = plot(plots, 'summary-dag-placement');
    const svg = await renderSvg(summary.spec);
    expect(texts(svg, 'legend-label')).toEqual(['best of its instance', 'solved, not best', 'timeout']);
    expect(texts(svg, 'axis-title')).toEqual(expect.arrayContaining(['mean gap, tick = worst (%)', 'runs by outcome', 'mean solve time (ms, log)']));
  });

  it('PNG: the PNG signature, twice the SVG size by default', async () => {
    const svg = await renderSvg(plot(plots, 'gap-slot-allocation').spec);
    const width = Number(/<svg[^>]* width="(\d+(?:\.\d+)?)"/.exec(svg)![1]);
    const png = svgToPng(svg);
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
    expect(view.getUint32(16)).toBe(Math.ceil(width * 2)); // IHDR width
    expect([...svgToPng(svg, { scale: 1 }).subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  });

  it('text is drawn with the bundled font and no system fonts (resvg draws nothing without a font)', () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="30"><text x="4" y="22" font-family="${PLOT_FONT_FAMILY}" font-size="18">slotlab</text></svg>`;
    const inked = (fontFiles: string[]) => {
      const pixels = new Resvg(svg, { font: { fontFiles, loadSystemFonts: false, defaultFontFamily: PLOT_FONT_FAMILY } }).render().pixels;
      let count = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) count++;
      return count;
    };
    expect(inked([])).toBe(0);
    expect(inked(plotFontFiles())).toBeGreaterThan(100);
  });
});
