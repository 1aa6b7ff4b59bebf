import type { Key } from '../records/batch.ts';
import type { ManagedMemory } from './context.ts';

/**
 * How many bytes of managed memory a piece of keyed state takes: its serialized size, as a binary state backend
 * (Flink's RocksDB backend, which lives in managed memory) stores it: a string key as its UTF-8 bytes, a number key
 * as 8 bytes, a null key as nothing; every number of a value 8 bytes. Object and index overheads of a heap backend
 * are not counted (a simplification: docs/memory.md, "Managed memory in the runtime").
 */
export function keyBytes(key: Key): number {
  if (key === null) return 0;
  if (typeof key === 'number') return 8;
  return Buffer.byteLength(key, 'utf8');
}

/** Bytes of `numbers` 8-byte numbers. */
export function numberBytes(numbers: number): number {
  return 8 * numbers;
}

/** Raised by `grow` past the limit: the subtask, the operator, the state size and the limit in the message. */
export class ManagedMemoryExceededError extends Error {
  override name = 'ManagedMemoryExceededError';
}

/** The managed memory account of one subtask (`runtime/worker/operator-context.ts` creates it). */
export class ManagedMemoryAccount implements ManagedMemory {
  usedBytes = 0;
  constructor(
    readonly limitBytes: number,
    private readonly subtaskId: string,
    private readonly operatorId: string,
    private readonly stateKind: string,
  ) {}

  grow(bytes: number): void {
    const next = this.usedBytes + bytes;
    if (bytes > 0 && next > this.limitBytes)
      throw new ManagedMemoryExceededError(
        `subtask ${this.subtaskId} of operator ${this.operatorId} needs ${next} bytes of ${this.stateKind} state, more than its ${this.limitBytes} bytes of managed memory ` +
          '(its share of the slot\'s managed memory: raise the slot sharing group\'s managed memory or taskmanager.memory.managed.size / .fraction, or raise the parallelism)',
      );
    this.usedBytes = next;
  }
}
