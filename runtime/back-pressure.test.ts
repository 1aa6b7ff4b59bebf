import { describe, expect, it } from 'vitest';
import { createDagPlacementInstance } from '../models/dag-placement/instance.ts';
import { runPlacement } from './index.ts';

/**
 * A source and a sink 10x slower per record (emulated time, so that other test files sharing the CPU do not
 * change the ratio), on two TaskManagers, pipelined. With
 * credit-based flow control the source is throttled to the sink's pace; without it (infinite credits) it runs
 * ahead and everything piles up at the sink. The 10-million-record version, with real CPU work on both sides, is benchmarks/runtime-throughput.ts.
 */
// The emulated work dominates the real per-batch overhead (about 1 ms per 500-record batch here), so that the ratios
// below hold on a loaded machine: at 0.2 µs per record the free source's real overhead made it 0.51 of the sink.
const RECORDS = 20_000;
const SOURCE_MS_PER_RECORD = 0.002; // 2 µs
const SINK_MS_PER_RECORD = 10 * SOURCE_MS_PER_RECORD;

const instance = createDagPlacementInstance({
  name: 'slow-sink',
  variant: 'exclusive',
  job: {
    operators: [
      { id: 'source', parallelism: 1, kind: 'synthetic', params: { records: RECORDS, perRecordMs: SOURCE_MS_PER_RECORD, cost: 'emulated' } },
      { id: 'sink', parallelism: 1, kind: 'synthetic', params: { perRecordMs: SINK_MS_PER_RECORD, cost: 'emulated' } },
    ],
    edges: [{ from: 'source', to: 'sink', partitioning: 'forward' }],
  },
  cluster: { taskManagers: [{ id: 'tm1', slotCount: 1 }, { id: 'tm2', slotCount: 1 }] },
});
const placement = {
  assignments: [
    { subtask: 'source#0', taskManager: 'tm1', slot: 0 },
    { subtask: 'sink#0', taskManager: 'tm2', slot: 0 },
  ],
};

describe('back-pressure: a sink 10x slower than its source', () => {
  it('throttles the source with credits, and does not without', async () => {
    const options = { mode: 'pipelined' as const, batchRecords: 500 };
    const bounded = await runPlacement(instance, placement, { ...options, creditsPerChannel: 2 });
    const unbounded = await runPlacement(instance, placement, { ...options, creditsPerChannel: Number.POSITIVE_INFINITY });
    for (const r of [bounded, unbounded]) {
      const [source, sink] = r.subtasks;
      expect(source!.recordsOut).toBe(RECORDS);
      expect(sink!.recordsIn).toBe(RECORDS);
      // The sink does its 10x work: 20,000 x 20 µs = 400 ms.
      expect(sink!.busyMs).toBeGreaterThanOrEqual(RECORDS * SINK_MS_PER_RECORD - 1);
    }
    const [source, sink] = bounded.subtasks;
    // Throttled: the source spends most of its life waiting for credits and ends only shortly before the sink
    // (at most 2 credits x 500 records of 20,000 are still in flight when it ends).
    expect(source!.backPressuredMs).toBeGreaterThan(0.5 * (source!.endMs - source!.startMs));
    expect(source!.endMs - source!.startMs).toBeGreaterThan(0.8 * (sink!.endMs - sink!.startMs));
    // Without flow control the source runs at its own pace: never back-pressured, done long before the sink.
    const [freeSource, freeSink] = unbounded.subtasks;
    expect(freeSource!.backPressuredMs).toBe(0);
    expect(freeSource!.endMs - freeSource!.startMs).toBeLessThan(0.5 * (freeSink!.endMs - freeSink!.startMs));
  });
});
