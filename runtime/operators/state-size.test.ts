import { describe, expect, it } from 'vitest';
import { BatchBuilder, type Key, type RecordBatch } from '../records/batch.ts';
import type { OperatorContext } from './context.ts';
import { join } from './join.ts';
import { ManagedMemoryAccount, ManagedMemoryExceededError } from './state-size.ts';
import type { Output, StreamOperator } from './types.ts';

// The join's state against managed memory, by hand: a stored record is its value and time (16 bytes), a key is
// stored once per (side, window) as its UTF-8 bytes; a window the watermark has passed gives its bytes back (after
// the batch that moved the watermark).

function one(key: Key, value: number, time: number): RecordBatch {
  let out: RecordBatch | undefined;
  const b = new BatchBuilder(1, (batch) => (out = batch));
  b.add(key, value, time);
  return out!;
}

const output: Output = { emit: () => undefined, emitTo: () => undefined, outputCount: 1 };

function windowJoin(limitBytes: number): { op: StreamOperator; memory: ManagedMemoryAccount } {
  const params = join.prepare({ left: 'L', size: 10 }, { source: 'test', at: 'job.operators[j]', operatorId: 'j', parallelism: 1, inputs: ['L', 'R'], outputs: ['out'], dataDirs: [] });
  const memory = new ManagedMemoryAccount(limitBytes, 'j#0', 'j', 'join');
  const ctx: OperatorContext = {
    params,
    subtaskIndex: 0,
    parallelism: 1,
    inputChannelCounts: [1, 1],
    plannedOutputRecords: [[undefined]],
    expectedInputRecords: undefined,
    timeScaleMsPerUnit: 1,
    speedFactor: 1,
    durationMs: 0,
    work: () => undefined,
    managedMemory: memory,
    restoredState: undefined,
  };
  return { op: join.create(ctx) as StreamOperator, memory };
}

// left ('ab', t 1): key + record 18; right ('ab', t 2): 18; left ('ab', t 3): record 16 -> 52;
// left ('c', t 12): 17 -> 69 (watermark 2); right ('c', t 12): 17 -> 86, then the watermark 12 evicts window [0, 10): 34
const steps: Array<[number, Key, number, number]> = [
  [0, 'ab', 1, 1],
  [1, 'ab', 2, 2],
  [0, 'ab', 3, 3],
  [0, 'c', 4, 12],
  [1, 'c', 5, 12],
];

describe('join state in managed memory', () => {
  it('counts keys and records, and gives an evicted window back', async () => {
    const { op, memory } = windowJoin(86);
    const used: number[] = [];
    for (const [input, key, value, time] of steps) {
      await op.process(input, 0, one(key, value, time), output);
      used.push(memory.usedBytes);
    }
    expect(used).toEqual([18, 36, 52, 69, 34]);
  });

  it('one byte below the peak the join fails, naming the subtask, the operator, the state size and the limit', async () => {
    const { op } = windowJoin(85);
    const error = await (async () => {
      for (const [input, key, value, time] of steps) await op.process(input, 0, one(key, value, time), output);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManagedMemoryExceededError);
    expect((error as Error).message).toMatch(/^subtask j#0 of operator j needs 86 bytes of join state, more than its 85 bytes of managed memory/);
  });
});
