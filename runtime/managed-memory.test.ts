import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDagPlacementInstance, type DagPlacementSpec } from '../models/dag-placement/instance.ts';
import type { Placement } from '../models/solution.ts';
import { hashKey } from './records/hash.ts';
import { defaultMaxParallelism, subtaskOfKey } from '../models/scaling/key-groups.ts';
import { words } from './operators/functions.ts';
import { RUNTIME_DATA_DIR, RunFailedError, runPlacement } from './index.ts';

/**
 * Window state against the slot's managed memory: the bundled word count (runtime/data/word-count.json over
 * carroll-alice.txt, one global window per count subtask) on TaskManagers whose fine-grained resources give each slot
 * a managed memory of L bytes (3 slots, managed 3L: the default slot profile). A count subtask holds, until the input
 * ends, one entry per distinct word routed to it (hash(word) mod 3): the word's UTF-8 bytes + 4 numbers of 8 bytes
 * (runtime/operators/state-size.ts). Computed here without the runtime: at L = the largest such state the job runs,
 * one byte less and the subtask holding it fails, naming itself, the operator, the state size and the limit.
 */
const readJson = <T>(name: string): T => JSON.parse(readFileSync(join(RUNTIME_DATA_DIR, name), 'utf8')) as T;
const doc = readJson<DagPlacementSpec & { format: string; description: string }>('word-count.json');
const placement = readJson<Placement>('word-count.placement-three-tms.json');
const text = readFileSync(join(RUNTIME_DATA_DIR, 'carroll-alice.txt'), 'utf8');

/** Window state bytes of each count subtask (parallelism 3), from the text alone. */
function expectedStateBytes(): number[] {
  const distinct = new Set<string>();
  for (const line of text.split('\n')) for (const w of words(line)) distinct.add(w);
  const bytes = [0, 0, 0];
  for (const w of distinct) bytes[subtaskOfKey(hashKey(w), defaultMaxParallelism(3), 3)]! += Buffer.byteLength(w, 'utf8') + 32;
  return bytes;
}

function instanceWithManagedPerSlot(managedPerSlotBytes: number) {
  const { format: _f, description: _d, ...spec } = doc;
  const resources = { cpuCores: 3, taskHeapBytes: 256 << 20, taskOffHeapBytes: 0, managedBytes: 3 * managedPerSlotBytes, networkBytes: 64 << 20 };
  return createDagPlacementInstance({ ...spec, cluster: { ...spec.cluster, taskManagers: spec.cluster.taskManagers.map((tm) => ({ ...tm, resources })) } });
}

describe("window state is accounted against the slot's managed memory", () => {
  const state = expectedStateBytes();
  const largest = Math.max(...state);
  const holder = state.indexOf(largest);
  const holderTm = placement.assignments.find((a) => a.subtask === `count#${holder}`)!.taskManager;

  it('the word count fits when every slot has as much managed memory as the largest window state', async () => {
    expect(state.filter((b) => b === largest)).toHaveLength(1);
    const report = await runPlacement(instanceWithManagedPerSlot(largest), placement, { mode: 'pipelined' });
    const sink = report.sinks.find((s) => s.operatorId === 'out')!;
    expect(sink.records).toBe(new Set(text.split('\n').flatMap((l) => words(l))).size); // one count per distinct word
  });

  it('one byte less: the count subtask with that state fails, naming itself, the operator, the state size and the limit', async () => {
    const error = await runPlacement(instanceWithManagedPerSlot(largest - 1), placement, { mode: 'pipelined' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RunFailedError);
    const e = error as RunFailedError;
    expect([e.operatorId, e.subtaskId, e.taskManager]).toEqual(['count', `count#${holder}`, holderTm]);
    expect(e.reason).toMatch(new RegExp(`^subtask count#${holder} of operator count needs ${largest} bytes of window state, more than its ${largest - 1} bytes of managed memory`));
  });
});
