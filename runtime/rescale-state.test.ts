import { describe, expect, it } from 'vitest';
import { createDagPlacementInstance, type DagPlacementInstance } from '../models/dag-placement/instance.ts';
import { validateDagPlacement } from '../models/dag-placement/validator.ts';
import { defaultMaxParallelism, subtaskOfKey } from '../models/scaling/key-groups.ts';
import type { Placement } from '../models/solution.ts';
import { hashKey } from './records/hash.ts';
import { committedOverSegments, rescaleCheckpointState, runRescaledSegment, type RescaleFrom } from './rescale-state.ts';
import type { RunReport } from './report.ts';
import { sortRows, windowSumReference, type Row } from './test/recovery-jobs.ts';

/**
 * Rescaling with state (issue #13): stop-with-checkpoint, redistribute the keyed state by key group (Flink's
 * KeyGroupRangeAssignment, models/scaling/key-groups.ts), restart at the new parallelism with the sources at their
 * offsets. The committed output over all segments must equal the single-threaded reference: nothing lost, nothing
 * duplicated (the recovery tests' check).
 */

// keyed tumbling-window sum over a rate-limited generator: key = value mod 37, time = value, windows of 500
const N = 4000;
const KEYS = 37;
const SIZE = 500;
const reference: Row[] = windowSumReference(N, KEYS, SIZE);

/** The job with the window at `windows` subtasks (the source at `sources`), on 2 TaskManagers of 2 slots (slot sharing). */
function jobAt(windows: number, sources = 2): DagPlacementInstance {
  return createDagPlacementInstance({
    name: 'rescaled-window-sum',
    variant: 'shared',
    job: {
      operators: [
        { id: 'numbers', parallelism: sources, kind: 'generator', params: { count: N, keys: KEYS, timestamps: true, ratePerSecond: 8000 } },
        { id: 'sum', parallelism: windows, kind: 'window', params: { size: SIZE, aggregate: 'sum' } },
        { id: 'out', parallelism: 2, kind: 'sink', params: { keep: true } },
      ],
      edges: [
        { from: 'numbers', to: 'sum', partitioning: 'hash' },
        { from: 'sum', to: 'out', partitioning: 'rebalance' },
      ],
    },
    cluster: { taskManagers: [{ id: 'tm1', slotCount: 2 }, { id: 'tm2', slotCount: 2 }] },
  });
}

/** Subtask i of every operator in slot i (tm1/0, tm1/1, tm2/0, tm2/1): slot sharing. */
function placementOf(instance: DagPlacementInstance): Placement {
  const placement = { assignments: instance.subtasks.map((s) => ({ subtask: s.id, taskManager: s.subtaskIndex < 2 ? 'tm1' : 'tm2', slot: s.subtaskIndex % 2 })) };
  expect(validateDagPlacement(instance, placement)).toEqual([]);
  return placement;
}

type Entry = readonly [number, number, number, number, number];
const windowState = (firedBefore: number | string, windows: ReadonlyArray<readonly [number, readonly Entry[]]>) => ({ firedBefore, clock: [[5, 7]], windows });

describe('rescaling keyed state by key group', () => {
  it('2 -> 3 window subtasks: every (window, key) accumulator goes to the owner of its key group; fired = the least; sources and sinks as they were', () => {
    const from = jobAt(2);
    const to = jobAt(3);
    const keys = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const entry = (k: number): Entry => [k, 2, 10 * k, k, 9 * k];
    const state = {
      'numbers#0': { offset: 1200 },
      'numbers#1': { offset: 2550 },
      'sum#0': windowState(500, [[500, keys.filter((k) => k % 2 === 0).map(entry)]]),
      'sum#1': windowState(1000, [[500, keys.filter((k) => k % 2 === 1).map(entry)], [1000, [entry(1)]]]),
      'out#0': { staged: [{ checkpointId: 3, records: 4, valueSum: 10, digest: 7 }] },
    };
    const rescaled = rescaleCheckpointState(from, state, to);
    expect(rescaled['numbers#0']).toEqual({ offset: 1200 });
    expect(rescaled['numbers#1']).toEqual({ offset: 2550 });
    // same parallelism, but its input (the window) was rescaled: a fresh transaction (the old one was committed)
    expect(rescaled['out#0']).toBeUndefined();
    const owner = (k: number) => subtaskOfKey(hashKey(k), defaultMaxParallelism(3), 3);
    for (let i = 0; i < 3; i++) {
      const s = rescaled[`sum#${i}`] as { firedBefore: number; clock: null; windows: Array<[number, Entry[]]> };
      expect(s.firedBefore).toBe(500);
      expect(s.clock).toBeNull();
      const at500 = s.windows.find(([start]) => start === 500)?.[1] ?? [];
      expect(at500.map((e) => e[0]).sort((a, b) => a - b)).toEqual(keys.filter((k) => owner(k) === i));
      expect(at500.every((e) => e[2] === 10 * e[0])).toBe(true);
      expect((s.windows.find(([start]) => start === 1000)?.[1] ?? []).map((e) => e[0])).toEqual(owner(1) === i ? [1] : []);
    }
  });

  it('same parallelism behind a rescaled upstream: the window keeps its accumulators, its event-time clock restarts (its input channels changed)', () => {
    const job = (maps: number) =>
      createDagPlacementInstance({
        name: 'map-then-window',
        variant: 'exclusive',
        job: {
          operators: [
            { id: 'numbers', parallelism: 1, kind: 'generator', params: { count: 100, keys: 5 } },
            { id: 'map', parallelism: maps, kind: 'map', params: { fn: 'identity' } },
            { id: 'count', parallelism: 1, kind: 'window', params: { aggregate: 'count' } },
          ],
          edges: [
            { from: 'numbers', to: 'map', partitioning: 'rebalance' },
            { from: 'map', to: 'count', partitioning: 'hash' },
          ],
        },
        cluster: { taskManagers: [{ id: 'tm1', slotCount: 8 }] },
      });
    const count = windowState('-Infinity', [[0, [[0, 2, 10, 0, 9], [1, 3, 12, 1, 8]]]]);
    const state = { 'numbers#0': { offset: 40 }, 'map#0': null, 'count#0': count };
    expect(rescaleCheckpointState(job(1), state, job(1))['count#0']).toEqual(count); // nothing changed: kept as it was
    const rescaled = rescaleCheckpointState(job(1), state, job(3));
    expect(rescaled['count#0']).toEqual({ ...count, clock: null });
    expect(rescaled['numbers#0']).toEqual({ offset: 40 });
    expect(Object.keys(rescaled).filter((id) => id.startsWith('map'))).toEqual([]);
  });

  it('refuses, naming the operator: a source at another parallelism; a rescale across the default max parallelism (128 -> 256 key groups)', () => {
    const from = jobAt(2);
    expect(() => rescaleCheckpointState(from, { 'numbers#0': { offset: 1 }, 'numbers#1': { offset: 2001 } }, jobAt(2, 3))).toThrow(/source "numbers" cannot be rescaled from 2 to 3/);
    expect(() => rescaleCheckpointState(from, { 'sum#0': windowState(0, []), 'sum#1': windowState(0, []) }, jobAt(90))).toThrow(/operator sum: 2 -> 90 changes Flink's default max parallelism \(128 -> 256 key groups\)/);
  });

  it('a keyed window job rescaled mid-stream 2 -> 4 -> 1 by stop-with-checkpoint: the committed output equals the single-threaded reference', async () => {
    const segments: RunReport[] = [];
    let from: RescaleFrom | undefined;
    const plan = [
      { windows: 2, stopAfter: 1200 },
      { windows: 4, stopAfter: 800 },
      { windows: 1, stopAfter: undefined },
    ];
    for (const step of plan) {
      const instance = jobAt(step.windows);
      const report = await runRescaledSegment(
        instance,
        placementOf(instance),
        { mode: 'pipelined', batchRecords: 64, creditsPerChannel: 2, checkpointIntervalMs: 20, ...(step.stopAfter === undefined ? {} : { stopWithCheckpointAfterRecords: step.stopAfter }) },
        from,
      );
      segments.push(report);
      if (step.stopAfter !== undefined) {
        // stopped mid-stream: at a completed checkpoint, before the sources' end, with open windows to move
        expect(report.stoppedAt, `segment at ${step.windows}`).toBeTruthy();
        const offsets = [0, 1].map((i) => (report.stoppedAt!.subtasks[`numbers#${i}`] as { offset: number }).offset);
        expect(offsets[0]! < N / 2 || offsets[1]! < N).toBe(true);
        // the stopped run's figures are those of the subtasks so far: the sources emitted at least the records asked,
        // and the window subtasks (running at the stop) report what they had processed
        // (read from the checkpoint's offsets: the report's recordsOut counts sealed batches only)
        const startOffsets = from === undefined ? [0, N / 2] : [0, 1].map((i) => (from!.checkpoint.subtasks[`numbers#${i}`] as { offset: number }).offset);
        const emitted = offsets[0]! - startOffsets[0]! + offsets[1]! - startOffsets[1]!;
        expect(emitted).toBeGreaterThanOrEqual(step.stopAfter);
        expect(report.subtasks.filter((s) => s.operatorId === 'sum').reduce((n, s) => n + s.recordsIn, 0)).toBeGreaterThan(0);
        from = { instance, checkpoint: report.stoppedAt! };
      } else expect(report.stoppedAt).toBeUndefined();
    }
    const [out] = committedOverSegments(segments);
    expect(sortRows(out!.output as Row[])).toEqual(sortRows(reference));
    expect(out!.records).toBe(reference.length);
    // the last segment commits the windows still open at the stop (they fire at the end of the input); what the earlier
    // segments commit depends on how far event time got before their stop, so only their sum is asserted (above)
    expect(segments.at(-1)!.sinks[0]!.records).toBeGreaterThan(0);
  }, 60_000);
});
