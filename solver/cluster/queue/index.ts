import type { QueuePolicy } from '../../../models/cluster/policies.ts';
import { findNamed, type NamedEntry } from '../named-entries.ts';
import { fifo } from './fifo.ts';
import { priority } from './priority.ts';
import { fair } from './fair.ts';
import { drf } from './drf.ts';
import { sjf } from './sjf.ts';
import { packing } from './packing.ts';

export { fifo, priority, fair, drf, sjf, packing };

export type QueuePolicyEntry = NamedEntry<QueuePolicy>;

/** Every queue policy of the Dispatcher, one per file, by name. */
export const QUEUE_POLICIES: readonly QueuePolicyEntry[] = Object.freeze([
  Object.freeze({ name: 'fifo', description: 'submission order, full demand, the head blocks', policy: fifo }),
  Object.freeze({ name: 'priority', description: 'highest priority first, full demand, no preemption', policy: priority }),
  Object.freeze({ name: 'fair', description: 'max-min fair share of slots among users; elastic jobs may get less than their demand', policy: fair }),
  Object.freeze({ name: 'drf', description: 'dominant resource fairness over CPU and memory (Ghodsi et al., NSDI 2011)', policy: drf }),
  Object.freeze({ name: 'sjf', description: 'shortest predicted work first', policy: sjf }),
  Object.freeze({ name: 'packing', description: 'best alignment of demand and free resources (Tetris, Grandl et al., SIGCOMM 2014)', policy: packing }),
]);

export function queuePolicyNames(): string[] {
  return QUEUE_POLICIES.map((p) => p.name);
}

export function findQueuePolicy(name: string): QueuePolicyEntry {
  return findNamed(QUEUE_POLICIES, name, 'queue policy');
}
