import { describe, expect, it } from 'vitest';
import { createDagPlacementInstance } from '../../models/dag-placement/instance.ts';
import { NETWORK_BUFFER_DEFAULTS } from '../../models/resources/network-buffers.ts';
import { runPlacement } from '../index.ts';
import { RunConfigurationError } from '../errors.ts';

// Flink 1.20 defaults (configuration reference): taskmanager.network.memory.buffers-per-channel 2,
// taskmanager.network.memory.floating-buffers-per-gate 8, taskmanager.memory.segment-size 32 kb.
const SEGMENT = 32 * 1024;

/** source (parallelism 2) on tm1 → sink (parallelism 1) on tm2: one input gate with 2 remote channels. */
const instance = (networkSegments: number) =>
  createDagPlacementInstance({
    name: 'network-pool',
    variant: 'exclusive',
    job: {
      operators: [
        { id: 'source', parallelism: 2, kind: 'synthetic', params: { records: 2000, perRecordMs: 0.0002, cost: 'emulated' } },
        { id: 'sink', parallelism: 1, kind: 'synthetic', params: { perRecordMs: 0.002, cost: 'emulated' } },
      ],
      edges: [{ from: 'source', to: 'sink', partitioning: 'rebalance' }],
    },
    cluster: {
      taskManagers: [
        { id: 'tm1', slotCount: 2 },
        { id: 'tm2', slotCount: 1, resources: { cpuCores: 1, taskHeapBytes: 0, taskOffHeapBytes: 0, managedBytes: 0, networkBytes: networkSegments * SEGMENT } },
      ],
    },
  });
const placement = {
  assignments: [
    { subtask: 'source#0', taskManager: 'tm1', slot: 0 },
    { subtask: 'source#1', taskManager: 'tm1', slot: 1 },
    { subtask: 'sink#0', taskManager: 'tm2', slot: 0 },
  ],
};

describe('network buffers drawn from the TaskManager network memory', () => {
  it('the defaults are Flink 1.20\'s', () => {
    expect(NETWORK_BUFFER_DEFAULTS).toEqual({ buffersPerChannel: 2, floatingBuffersPerGate: 8, segmentSizeBytes: 32768 });
  });

  it('below the required exclusive buffers (2 channels × 2 = 4) the run fails before it starts, in Flink\'s words', async () => {
    const error = await runPlacement(instance(3), placement, { mode: 'pipelined' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunConfigurationError);
    expect((error as Error).message).toMatch(/^Insufficient number of network buffers: required 4, but only 3 available on TaskManager tm2 \(2 remote input channels/);
  });

  it('at the required count the job runs, back-pressured to 2 credits per channel; at the target (4 + 8) with the configured credits', async () => {
    const tight = await runPlacement(instance(4), placement, { mode: 'pipelined', creditsPerChannel: 8 });
    expect(tight.creditsPerChannel).toBe(2);
    const roomy = await runPlacement(instance(12), placement, { mode: 'pipelined', creditsPerChannel: 8 });
    expect(roomy.creditsPerChannel).toBe(8);
    for (const r of [tight, roomy]) expect(r.subtasks.find((s) => s.id === 'sink#0')?.recordsIn).toBe(4000);
  });
});
