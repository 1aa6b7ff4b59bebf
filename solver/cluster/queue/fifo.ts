import type { QueuePolicy } from '../../../models/cluster/policies.ts';
import { admitInOrder } from './common.ts';

/**
 * FIFO: jobs in submission order, each with its full demand, as long as it fits; the head waits for its slots and
 * blocks the jobs behind it (Flink's Dispatcher runs jobs as submitted; no backfilling).
 */
export const fifo: QueuePolicy = (view) => admitInOrder(view, view.queue);
