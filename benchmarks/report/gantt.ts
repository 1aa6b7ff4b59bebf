import type { TopLevelSpec } from 'vega-lite';
import type { DagPlacementInstance } from '../../models/dag-placement/instance.ts';
import { scheduleCriticalPath } from '../../models/dag-placement/schedule-critical-path.ts';
import type { IndexedSchedule } from '../../models/solution.ts';
import { slug } from './data.ts';
import { plotFontFiles } from './fonts.ts';
import { readFontMetrics } from './text-width.ts';
import { PLOT_CONFIG } from './theme.ts';
import type { PlotSpec } from './types.ts';

/** Width of the time axis in px: the x scale maps [0, makespan] ms onto [0, GANTT_WIDTH_PX]. */
export const GANTT_WIDTH_PX = 720;
/** Height of one slot lane in px. */
export const GANTT_LANE_PX = 30;
/** Font size of the subtask labels inside the bars, px. */
const LABEL_FONT_PX = 10;

/** One bar: a subtask in its slot lane from startMs to endMs. */
export interface GanttBar {
  readonly lane: string;
  readonly taskManager: string;
  readonly subtask: string;
  readonly operator: string;
  readonly startMs: number;
  readonly endMs: number;
  /** On the schedule's critical path (models/dag-placement/schedule-critical-path.ts). */
  readonly critical: boolean;
  /** Row within the lane: 0, or more where subtasks overlap in one slot (`shared` runs them side by side). */
  readonly row: number;
}

/** One transfer between TaskManagers: from the producer's end in its lane to its arrival in the consumer's lane. */
export interface GanttTransfer {
  readonly fromLane: string;
  readonly toLane: string;
  readonly fromSubtask: string;
  readonly toSubtask: string;
  readonly startMs: number;
  readonly arrivalMs: number;
  readonly bytes: number;
  readonly critical: boolean;
}

export interface GanttData {
  /** Slot lanes in drawing order (TaskManager by TaskManager, slot by slot); only slots the schedule uses. */
  readonly lanes: readonly string[];
  /** The TaskManager of each lane. */
  readonly taskManagerOfLane: ReadonlyMap<string, string>;
  readonly bars: readonly GanttBar[];
  readonly transfers: readonly GanttTransfer[];
  /** Subtask ids of the critical path, in time order. */
  readonly criticalPath: readonly string[];
  readonly makespanMs: number;
  readonly slotCount: number;
  /** The most rows a lane needs (1 unless subtasks overlap in a slot). */
  readonly rowsPerLane: number;
}

/** The lane of a slot: `tm1 / slot 0`. */
export function laneLabel(taskManager: string, slotNumber: number): string {
  return `${taskManager} / slot ${slotNumber}`;
}

/** What a Gantt chart draws, computed from the instance and a schedule (indexed, as the evaluator returns it). */
export function ganttData(instance: DagPlacementInstance, schedule: IndexedSchedule): GanttData {
  const used = new Set<number>();
  for (const s of instance.subtasks) used.add(schedule.slotOfSubtask[s.index]!);
  const laneOfSlot = (slot: number) => {
    const x = instance.slots[slot]!;
    return laneLabel(instance.taskManagers[x.taskManager]!.id, x.slotNumber);
  };
  const usedSlots = instance.slots.filter((slot) => used.has(slot.index));
  const lanes = usedSlots.map((slot) => laneOfSlot(slot.index));
  const taskManagerOfLane = new Map(usedSlots.map((slot) => [laneOfSlot(slot.index), instance.taskManagers[slot.taskManager]!.id]));
  const path = scheduleCriticalPath(instance, schedule);
  const onPath = new Set(path.map((p) => p.subtask));
  const pathEdges = new Set(path.flatMap((p) => (p.edge === undefined ? [] : [p.edge])));
  const tmOf = (s: number) => instance.slots[schedule.slotOfSubtask[s]!]!.taskManager;
  const unplaced = instance.subtasks.map((s) => ({
    lane: laneOfSlot(schedule.slotOfSubtask[s.index]!),
    taskManager: instance.taskManagers[tmOf(s.index)]!.id,
    subtask: s.id,
    operator: s.operatorId,
    startMs: schedule.startMs[s.index]!,
    endMs: schedule.endMs[s.index]!,
    critical: onPath.has(s.index),
  }));
  // rows inside a lane: interval partitioning, each subtask in the lowest row that is free at its start
  const rowOf = new Map<string, number>();
  const rowEnds = new Map<string, number[]>();
  for (const b of [...unplaced].sort((x, y) => x.startMs - y.startMs || x.endMs - y.endMs)) {
    const ends = rowEnds.get(b.lane) ?? [];
    let row = ends.findIndex((end) => end <= b.startMs + 1e-9);
    if (row === -1) row = ends.length;
    ends[row] = b.endMs;
    rowEnds.set(b.lane, ends);
    rowOf.set(b.subtask, row);
  }
  const bars: GanttBar[] = unplaced.map((b) => ({ ...b, row: rowOf.get(b.subtask)! }));
  const rowsPerLane = Math.max(1, ...[...rowEnds.values()].map((e) => e.length));
  const transfers: GanttTransfer[] = [];
  for (const e of instance.edges) {
    const from = tmOf(e.from);
    const to = tmOf(e.to);
    if (from === to) continue;
    const startMs = schedule.endMs[e.from]!;
    transfers.push({
      fromLane: laneOfSlot(schedule.slotOfSubtask[e.from]!),
      toLane: laneOfSlot(schedule.slotOfSubtask[e.to]!),
      fromSubtask: instance.subtasks[e.from]!.id,
      toSubtask: instance.subtasks[e.to]!.id,
      startMs,
      arrivalMs: startMs + instance.transferMs(e.index, from, to),
      bytes: e.bytes,
      critical: pathEdges.has(e.index),
    });
  }
  let makespanMs = 0;
  for (const b of bars) makespanMs = Math.max(makespanMs, b.endMs);
  return { lanes, taskManagerOfLane, bars, transfers, criticalPath: path.map((p) => instance.subtasks[p.subtask]!.id), makespanMs, slotCount: instance.slots.length, rowsPerLane };
}

export interface GanttOptions {
  /** Who made the schedule (a solver name or a file), for the title. */
  readonly scheduleSource: string;
}

/**
 * A Gantt chart of a DAG placement schedule: one lane per used slot, lanes grouped by TaskManager (alternate
 * TaskManagers on a grey band), one bar per subtask from its start to its end coloured by operator and labelled
 * with the subtask where the label fits; a transfer between TaskManagers is a line from the producer's end in its
 * lane to the data's arrival in the consumer's lane (its slope is the transfer time); the bars and transfers of the
 * schedule's critical path are outlined in black. The x scale is linear in ms from 0 to the makespan.
 */
export function ganttChart(instance: DagPlacementInstance, schedule: IndexedSchedule, options: GanttOptions): PlotSpec {
  const data = ganttData(instance, schedule);
  const domainMs = data.makespanMs > 0 ? data.makespanMs : 1;
  const pxPerMs = GANTT_WIDTH_PX / domainMs;
  const font = readFontMetrics(plotFontFiles()[0]!);
  const tmOrder = [...new Set(data.lanes.map((lane) => data.taskManagerOfLane.get(lane)!))];
  const shadedLanes = data.lanes.filter((lane) => tmOrder.indexOf(data.taskManagerOfLane.get(lane)!) % 2 === 1);
  const labels = data.bars.filter((b) => font.width(b.subtask, LABEL_FONT_PX) + 4 <= (b.endMs - b.startMs) * pxPerMs);
  const title = `Schedule of ${instance.name} (${options.scheduleSource}): makespan ${formatMs(data.makespanMs)} ms`;
  const crossing = data.transfers.length;
  const lane = { field: 'lane', type: 'nominal' as const, title: 'slot', scale: { domain: [...data.lanes], paddingInner: 0.2, paddingOuter: 0.1 }, sort: null };
  const x = { type: 'quantitative' as const, title: 'time (ms)', scale: { domain: [0, domainMs], nice: false, zero: true } };
  // subtasks that overlap in one slot (shared) sit in rows of their lane
  const rows = data.rowsPerLane > 1 ? { yOffset: { field: 'row', type: 'nominal' as const, scale: { domain: [...Array(data.rowsPerLane).keys()] } } } : {};
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: title,
      subtitle: [
        `${instance.variant}; ${data.lanes.length} of ${data.slotCount} slots used, grouped by TaskManager; bars: subtasks, coloured by operator`,
        `${crossing} transfer${crossing === 1 ? '' : 's'} between TaskManagers (lines from the producer's end to the arrival); black outline: critical path ${data.criticalPath.join(' → ')}`,
      ],
    },
    config: { ...PLOT_CONFIG, axisY: { grid: false }, legend: { ...PLOT_CONFIG.legend, orient: 'right' } },
    width: GANTT_WIDTH_PX,
    height: GANTT_LANE_PX * Math.max(1, data.lanes.length) * Math.min(data.rowsPerLane, 3),
    layer: [
      {
        name: 'taskmanagers',
        data: { values: shadedLanes.map((l) => ({ lane: l, startMs: 0, endMs: domainMs })) },
        mark: { type: 'bar', color: '#ececec' },
        encoding: { y: lane, x: { field: 'startMs', ...x }, x2: { field: 'endMs' } },
      },
      {
        name: 'bars',
        data: { values: data.bars.map((b) => ({ ...b, durationMs: b.endMs - b.startMs })) },
        mark: { type: 'bar', stroke: 'white', strokeWidth: 0.5 },
        encoding: {
          y: lane,
          ...rows,
          x: { field: 'startMs', ...x },
          x2: { field: 'endMs' },
          color: { field: 'operator', type: 'nominal', title: 'operator', sort: instance.operators.map((o) => o.id) },
          tooltip: [{ field: 'subtask' }, { field: 'lane' }, { field: 'startMs', title: 'start (ms)' }, { field: 'endMs', title: 'end (ms)' }],
        },
      },
      {
        name: 'critical',
        data: { values: data.bars.filter((b) => b.critical) },
        mark: { type: 'bar', filled: false, stroke: 'black', strokeWidth: 2.5 },
        encoding: { y: lane, ...rows, x: { field: 'startMs', ...x }, x2: { field: 'endMs' } },
      },
      {
        name: 'transfers',
        data: { values: data.transfers.map((t) => ({ ...t, width: t.critical ? 2.5 : 1 })) },
        mark: { type: 'rule', color: '#333', opacity: 0.8 },
        encoding: {
          y: { ...lane, field: 'fromLane', bandPosition: 0.5 },
          // vega-lite honours bandPosition on y2 too (the line ends at the lane's centre); its y2 type leaves it out
          y2: { field: 'toLane', bandPosition: 0.5 } as { field: string },
          x: { field: 'startMs', ...x },
          x2: { field: 'arrivalMs' },
          strokeWidth: { field: 'width', type: 'quantitative', scale: null, legend: null },
          strokeDash: { condition: { test: 'datum.critical', value: [1, 0] }, value: [4, 2] },
        },
      },
      {
        name: 'labels',
        data: { values: labels.map((b) => ({ lane: b.lane, row: b.row, subtask: b.subtask, midMs: (b.startMs + b.endMs) / 2 })) },
        mark: { type: 'text', fontSize: LABEL_FONT_PX, color: '#111', baseline: 'middle', align: 'center' },
        encoding: { y: { ...lane, bandPosition: 0.5 }, ...(data.rowsPerLane > 1 ? { yOffset: { field: 'row', type: 'nominal' as const, scale: { domain: [...Array(data.rowsPerLane).keys()] }, bandPosition: 0.5 } } : {}), x: { field: 'midMs', ...x }, text: { field: 'subtask' } },
      },
    ],
  };
  return {
    name: `gantt-${slug(instance.name)}`,
    title,
    description:
      `Gantt chart of the schedule of ${instance.name} by ${options.scheduleSource}: one lane per used slot, grouped by TaskManager; ` +
      `bars are subtasks from start to end (ms); lines are transfers between TaskManagers; the critical path is outlined in black.`,
    spec,
    rows: data.bars.length,
  };
}

/** ms with at most 3 decimals. */
export function formatMs(ms: number): string {
  return String(Number(ms.toFixed(3)));
}
