import type { DagPlacementInstance } from '../../models/dag-placement/instance.ts';
import type { IndexedSchedule } from '../../models/solution.ts';
import { formatMs, ganttData } from './gantt.ts';

export interface ScheduleTextOptions {
  /** Lines are wrapped to this many characters (default 100). */
  readonly widthChars?: number;
  /** Slots listed at most; the rest are counted in one line (default 40). */
  readonly maxLanes?: number;
}

/**
 * A schedule as compact text, the Gantt chart's content in lines (gantt.ts computes both): one line per used slot,
 * TaskManager by TaskManager, with its subtasks in start order as `subtask start–end` (ms); `*` marks the subtasks on
 * the schedule's critical path. Long lanes wrap, indented under their first subtask.
 */
export function scheduleText(instance: DagPlacementInstance, schedule: IndexedSchedule, options: ScheduleTextOptions = {}): string[] {
  const width = options.widthChars ?? 100;
  const maxLanes = options.maxLanes ?? 40;
  const data = ganttData(instance, schedule);
  const pad = Math.max(...data.lanes.map((l) => l.length));
  const lines = [`makespan ${formatMs(data.makespanMs)} ms; per slot: subtask start–end (ms), * = on the critical path`];
  for (const lane of data.lanes.slice(0, maxLanes)) {
    const entries = data.bars
      .filter((b) => b.lane === lane)
      .sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs)
      .map((b) => `${b.subtask}${b.critical ? '*' : ''} ${formatMs(b.startMs)}–${formatMs(b.endMs)}`);
    let line = lane.padEnd(pad);
    let used = 0;
    for (const entry of entries) {
      if (used > 0 && line.length + 2 + entry.length > width) {
        lines.push(line);
        line = ' '.repeat(pad);
        used = 0;
      }
      line += `  ${entry}`;
      used++;
    }
    lines.push(line);
  }
  const more = data.lanes.length - maxLanes;
  if (more > 0) lines.push(`... ${more} more slot${more === 1 ? '' : 's'} (slotlab solve --out writes the whole schedule as JSON)`);
  return lines;
}
