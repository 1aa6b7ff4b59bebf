/**
 * The network buffer pool of each TaskManager (models/resources/network-buffers.ts holds Flink's rule): before a run
 * starts, a TaskManager with fine-grained `resources` must have the exclusive buffers of its remote input channels,
 * else the run fails with Flink's "Insufficient number of network buffers" before any worker starts. With fewer
 * buffers than the pools' target, the consumers grant fewer credits per channel (at least buffers-per-channel): the
 * job still progresses, back-pressured. TaskManagers without `resources` keep the run's `creditsPerChannel`.
 */
import type { DagPlacementInstance } from '../../models/dag-placement/instance.ts';
import type { Placement } from '../../models/solution.ts';
import { insufficientNetworkBuffersMessage, NETWORK_BUFFER_DEFAULTS, networkBufferDemand } from '../../models/resources/network-buffers.ts';
import { RunConfigurationError } from '../errors.ts';

/** The credits per channel the network memory allows (≤ `creditsPerChannel`), or a RunConfigurationError. */
export function creditsFromNetworkPool(instance: DagPlacementInstance, placement: Placement, creditsPerChannel: number): number {
  const tmOf = new Int32Array(instance.subtasks.length).fill(-1);
  for (const a of placement.assignments) {
    const s = instance.subtaskById.get(a.subtask);
    const tm = instance.taskManagerById.get(a.taskManager);
    if (s && tm) tmOf[s.index] = tm.index;
  }
  let credits = creditsPerChannel;
  for (const d of networkBufferDemand(instance, tmOf)) {
    if (d.requiredBuffers > d.availableBuffers) throw new RunConfigurationError(insufficientNetworkBuffersMessage(d));
    if (d.remoteChannels > 0 && d.availableBuffers < d.targetBuffers)
      credits = Math.min(credits, Math.max(NETWORK_BUFFER_DEFAULTS.buffersPerChannel, Math.floor(d.availableBuffers / d.remoteChannels)));
  }
  return credits;
}
