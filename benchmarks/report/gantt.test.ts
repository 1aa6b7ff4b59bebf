import { describe, expect, it } from 'vitest';
import { createDagPlacementInstance } from '../../models/dag-placement/instance.ts';
import { earliestSchedule } from '../../models/dag-placement/evaluate.ts';
import { toIndexedPlacement } from '../../models/solution.ts';
import { evaluateDagPlacement } from '../../models/dag-placement/evaluate.ts';
import { validateDagPlacement } from '../../models/dag-placement/validator.ts';
import { seededRng } from '../../models/rng.ts';
import { heftFixtureDagPlacementSpec, heftPaperExpected, readHeftFixture } from '../../datasets/loaders/heft-paper.ts';
import { solveWith } from '../../solver/registry.ts';
import { GANTT_WIDTH_PX, ganttChart, ganttData, laneLabel } from './gantt.ts';
import { PNG_SIGNATURE, renderSvg, svgToPng } from './render.ts';

// The running example of Topcuoglu, Hariri, Wu, IEEE TPDS 13(3):260-274, 2002 (datasets/data/heft-fixtures/
// topcuoglu2002_fig2.json): HEFT's schedule (Fig. 4a) has makespan 80 on the processors P1, P2, P3 (one slot each).
const instance = createDagPlacementInstance(heftFixtureDagPlacementSpec(readHeftFixture()));
const published = heftPaperExpected();

/** The rectangles of one named mark layer of a vega SVG: the subtask named in each item's aria-label, x, y, width, height. */
function rectsOf(svg: string, layer: string): { subtask: string | undefined; x: number; y: number; width: number; height: number }[] {
  const start = svg.indexOf(`${layer}_marks"`);
  expect(start).toBeGreaterThan(0);
  const group = svg.slice(start, svg.indexOf('</g>', start));
  return [...group.matchAll(/<path aria-label="([^"]*)"[^>]* d="M([\d.]+),([\d.]+)h([\d.]+)v([\d.]+)h/g)].map((m) => ({
    subtask: /subtask: ([^;"]+)/.exec(m[1]!)?.[1],
    x: Number(m[2]),
    y: Number(m[3]),
    width: Number(m[4]),
    height: Number(m[5]),
  }));
}

describe('Gantt chart of the HEFT paper example (Topcuoglu et al. 2002, makespan 80)', async () => {
  const result = await solveWith('heft', instance, { rng: seededRng(1) });
  const schedule = evaluateDagPlacement(instance, result.solution!).schedule;
  const plot = ganttChart(instance, schedule, { scheduleSource: 'heft' });
  const svg = await renderSvg(plot.spec);

  it('draws the published schedule: HEFT is valid with makespan 80', () => {
    expect(validateDagPlacement(instance, result.solution!)).toEqual([]);
    expect(result.objective).toBe(80);
    expect(plot.title).toBe('Schedule of topcuoglu2002-fig2 (heft): makespan 80 ms');
  });

  it('one lane per used slot, grouped by TaskManager; each bar sits in its slot lane, x and width proportional to start and end', () => {
    const bars = rectsOf(svg, 'bars');
    expect(bars).toHaveLength(10);
    const laneYs = [...new Set(bars.map((b) => b.y))].sort((a, b) => a - b);
    expect(laneYs).toHaveLength(3); // P1, P2, P3 with one slot each, all used
    const pxPerMs = GANTT_WIDTH_PX / 80;
    for (const want of published.heftSchedule.assignments) {
      const bar = bars.find((b) => b.subtask === want.subtask)!;
      expect(bar.x).toBeCloseTo(want.startMs * pxPerMs, 6);
      expect(bar.width).toBeCloseTo((want.endMs - want.startMs) * pxPerMs, 6);
      // lanes top to bottom in TaskManager order P1, P2, P3
      expect(laneYs.indexOf(bar.y)).toBe(['P1', 'P2', 'P3'].indexOf(want.taskManager));
    }
  });

  it('marks the critical path n1 -> n4 -> n6 -> n8 -> n10 (9 ms transfer, slot wait, 15 ms, 11 ms: 18, 26, 57, 73 ms)', () => {
    // n4 on P2 starts at 18 = n1's end 9 + c(1,4) 9; n6 waits for n4 in P2's slot (26); n8 on P1 starts at 57 =
    // n6's end 42 + c(6,8) 15; n10 on P2 starts at 73 = n8's end 62 + c(8,10) 11 (the paper's Fig. 2 weights)
    expect(ganttData(instance, schedule).criticalPath).toEqual(['n1#0', 'n4#0', 'n6#0', 'n8#0', 'n10#0']);
    const outlined = rectsOf(svg, 'critical');
    const bars = rectsOf(svg, 'bars');
    expect(outlined).toHaveLength(5);
    for (const id of ['n1#0', 'n4#0', 'n6#0', 'n8#0', 'n10#0']) {
      const bar = bars.find((b) => b.subtask === id)!;
      expect(outlined.some((o) => o.x === bar.x && o.y === bar.y && o.width === bar.width)).toBe(true);
    }
  });

  it('draws every transfer between TaskManagers from the producer end to the arrival', () => {
    const data = ganttData(instance, schedule);
    const crossing = instance.edges.filter((e) => schedule.slotOfSubtask[e.from] !== schedule.slotOfSubtask[e.to]);
    expect(data.transfers).toHaveLength(crossing.length);
    const n6n8 = data.transfers.find((t) => t.fromSubtask === 'n6#0' && t.toSubtask === 'n8#0')!;
    expect([n6n8.fromLane, n6n8.toLane, n6n8.startMs, n6n8.arrivalMs, n6n8.critical]).toEqual([laneLabel('P2', 0), laneLabel('P1', 0), 42, 57, true]);
    const lines = [...svg.slice(svg.indexOf('transfers_marks"')).split('</g>')[0]!.matchAll(/<line [^>]*transform="translate\(([\d.]+),([\d.]+)\)" x2="(-?[\d.]+)"/g)];
    expect(lines).toHaveLength(crossing.length);
    const pxPerMs = GANTT_WIDTH_PX / 80;
    for (const t of data.transfers)
      expect(lines.some((m) => Math.abs(Number(m[1]) - t.startMs * pxPerMs) < 1e-6 && Math.abs(Number(m[3]) - (t.arrivalMs - t.startMs) * pxPerMs) < 1e-6)).toBe(true);
  });

  it('renders a PNG', () => {
    const png = svgToPng(svg);
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(png.byteLength).toBeGreaterThan(10_000);
  });
});

describe('Gantt chart under shared: subtasks side by side in one slot', () => {
  it('overlapping subtasks of one slot get rows of their lane, each bar still from its start to its end', async () => {
    // two independent operators in the one slot of a TaskManager with 2 cores: both run from 0 (A 10 ms, B 20 ms)
    const shared = createDagPlacementInstance({
      name: 'two-in-a-slot',
      variant: 'shared',
      job: { operators: [{ id: 'A', parallelism: 1, workMs: 10 }, { id: 'B', parallelism: 1, workMs: 20 }, { id: 'C', parallelism: 1, workMs: 5 }], edges: [{ from: 'A', to: 'C', partitioning: 'forward' }] },
      cluster: { taskManagers: [{ id: 'tm1', slotCount: 1, cpuCores: 2 }] },
    });
    const placement = { assignments: ['A#0', 'B#0', 'C#0'].map((subtask) => ({ subtask, taskManager: 'tm1', slot: 0 })) };
    const schedule = earliestSchedule(shared, toIndexedPlacement(shared, placement));
    const data = ganttData(shared, schedule);
    expect(data.rowsPerLane).toBe(2);
    expect(data.bars.map((b) => [b.subtask, b.startMs, b.endMs, b.row])).toEqual([['A#0', 0, 10, 0], ['B#0', 0, 20, 1], ['C#0', 10, 15, 0]]);
    const bars = rectsOf(await renderSvg(ganttChart(shared, schedule, { scheduleSource: 'test' }).spec), 'bars');
    const a = bars.find((b) => b.subtask === 'A#0')!;
    const b = bars.find((x) => x.subtask === 'B#0')!;
    const c = bars.find((x) => x.subtask === 'C#0')!;
    expect(a.y).toBe(c.y);
    expect(b.y).toBeGreaterThanOrEqual(a.y + a.height);
    expect([a.x, a.width, b.width, c.x]).toEqual([0, GANTT_WIDTH_PX * (10 / 20), GANTT_WIDTH_PX, GANTT_WIDTH_PX * (10 / 20)]);
  });
});
