import { describe, expect, it } from 'vitest';
import { createDagPlacementInstance } from '../../models/dag-placement/instance.ts';
import { evaluateDagPlacement } from '../../models/dag-placement/evaluate.ts';
import { heftFixtureDagPlacementSpec, heftPaperExpected, readHeftFixture } from '../../datasets/loaders/heft-paper.ts';
import { scheduleText } from './schedule-text.ts';

// The HEFT schedule of Topcuoglu, Hariri, Wu 2002 (Fig. 4a, makespan 80), as the fixture records it.
const instance = createDagPlacementInstance(heftFixtureDagPlacementSpec(readHeftFixture()));
const schedule = evaluateDagPlacement(instance, heftPaperExpected().heftSchedule).schedule;

describe('schedule as text', () => {
  it('one line per slot, TaskManager by TaskManager, subtasks in start order with start–end, the critical path starred', () => {
    expect(scheduleText(instance, schedule)).toEqual([
      'makespan 80 ms; per slot: subtask start–end (ms), * = on the critical path',
      'P1 / slot 0  n2#0 27–40  n8#0* 57–62',
      'P2 / slot 0  n4#0* 18–26  n6#0* 26–42  n9#0 56–68  n10#0* 73–80',
      'P3 / slot 0  n1#0* 0–9  n3#0 9–28  n5#0 28–38  n7#0 38–49',
    ]);
  });

  it('wraps long lanes under their first subtask and cuts the list of slots', () => {
    const lines = scheduleText(instance, schedule, { widthChars: 40, maxLanes: 2 });
    expect(lines.slice(1)).toEqual([
      'P1 / slot 0  n2#0 27–40  n8#0* 57–62',
      'P2 / slot 0  n4#0* 18–26  n6#0* 26–42',
      '             n9#0 56–68  n10#0* 73–80',
      '... 1 more slot (slotlab solve --out writes the whole schedule as JSON)',
    ]);
  });
});
