import type { QueuePolicy } from '../../../models/cluster/policies.ts';
import { admitInOrder, rankBy } from './common.ts';

/**
 * Priority: the queued job with the highest `priority` first (ties: submission order), each with its full demand;
 * the highest-ranked job that does not fit waits and blocks the lower ones (no starvation of a large urgent job).
 * No preemption: running jobs keep their slots.
 */
export const priority: QueuePolicy = (view) => admitInOrder(view, rankBy(view.queue, (j) => [-j.job.priority]));
