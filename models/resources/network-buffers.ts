/**
 * Network buffers (Flink 1.20, "Network memory tuning guide", …/docs/deployment/memory/network_mem_tuning/, and the
 * configuration reference): network memory is cut into memory segments of `taskmanager.memory.segment-size`
 * (default 32 kb); each input gate's buffer pool has the target `#channels × taskmanager.network.memory.buffers-per-channel
 * (default 2) + taskmanager.network.memory.floating-buffers-per-gate (default 8)`; the exclusive buffers of the
 * channels are required (a task fails without them: "Insufficient number of network buffers: required X, but only
 * Y available", NetworkBufferPool), the floating ones optional (fewer of them only slow the job down). Only remote
 * input channels take network buffers (a local channel hands the producer's buffer over). Output buffers are not
 * counted here (a simplification: docs/memory.md).
 */
import type { DagPlacementInstance } from '../dag-placement/instance.ts';

export const NETWORK_BUFFER_DEFAULTS = Object.freeze({ buffersPerChannel: 2, floatingBuffersPerGate: 8, segmentSizeBytes: 32 * 1024 });

export interface NetworkBufferOptions {
  readonly buffersPerChannel?: number;
  readonly floatingBuffersPerGate?: number;
  readonly segmentSizeBytes?: number;
}

export interface NetworkBufferDemand {
  readonly taskManager: string;
  /** Network memory / segment size, rounded down. */
  readonly availableBuffers: number;
  /** Exclusive buffers of the remote input channels: what the job cannot start without. */
  readonly requiredBuffers: number;
  /** Required + floating buffers of every input gate with a remote channel: what the pools would like. */
  readonly targetBuffers: number;
  readonly remoteChannels: number;
}

/**
 * Buffers each TaskManager with fine-grained `resources` needs for the placement (`tmOf[s]` = TaskManager index of
 * subtask s): one input gate per (consumer subtask, producer operator), its remote channels × buffers-per-channel
 * required, plus floating-buffers-per-gate wanted.
 */
export function networkBufferDemand(instance: DagPlacementInstance, tmOf: ArrayLike<number>, options: NetworkBufferOptions = {}): NetworkBufferDemand[] {
  const perChannel = options.buffersPerChannel ?? NETWORK_BUFFER_DEFAULTS.buffersPerChannel;
  const floating = options.floatingBuffersPerGate ?? NETWORK_BUFFER_DEFAULTS.floatingBuffersPerGate;
  const segment = options.segmentSizeBytes ?? NETWORK_BUFFER_DEFAULTS.segmentSizeBytes;
  const out: NetworkBufferDemand[] = [];
  instance.taskManagers.forEach((tm, k) => {
    const resources = instance.cluster.taskManagers[k]!.resources;
    if (resources === undefined) return;
    let required = 0;
    let target = 0;
    let remote = 0;
    for (const s of instance.subtasks) {
      if (tmOf[s.index] !== k) continue;
      const gates = new Map<number, number>(); // producer operator -> remote channels
      for (const e of instance.inEdges[s.index]!) {
        const from = instance.edges[e]!.from;
        if (tmOf[from] === k) continue;
        const op = instance.subtasks[from]!.operatorIndex;
        gates.set(op, (gates.get(op) ?? 0) + 1);
      }
      for (const channels of gates.values()) {
        remote += channels;
        required += channels * perChannel;
        target += channels * perChannel + floating;
      }
    }
    out.push({ taskManager: tm.id, availableBuffers: Math.floor(resources.networkBytes / segment), requiredBuffers: required, targetBuffers: target, remoteChannels: remote });
  });
  return out;
}

/** Flink's wording when a TaskManager has fewer network buffers than its tasks' channels require. */
export function insufficientNetworkBuffersMessage(d: NetworkBufferDemand, options: NetworkBufferOptions = {}): string {
  const segment = options.segmentSizeBytes ?? NETWORK_BUFFER_DEFAULTS.segmentSizeBytes;
  return (
    `Insufficient number of network buffers: required ${d.requiredBuffers}, but only ${d.availableBuffers} available ` +
    `on TaskManager ${d.taskManager} (${d.remoteChannels} remote input channels × taskmanager.network.memory.buffers-per-channel ` +
    `${options.buffersPerChannel ?? NETWORK_BUFFER_DEFAULTS.buffersPerChannel}; network memory / segment size ${segment} bytes). ` +
    'Increase the TaskManager\'s network memory (taskmanager.memory.network.fraction, .min, .max) or lower the parallelism.'
  );
}
