import type { QueuePolicy } from '../../../models/cluster/policies.ts';
import { admitInOrder, rankBy } from './common.ts';

/**
 * Shortest job first: the queued job with the least predicted work (Σ of its subtasks' work at speed 1,
 * `demand.workMs`, computed once per job) first, ties in submission order; each with its full demand, no
 * backfilling past a job that does not fit. Minimises average completion time on one machine (Smith's rule with
 * equal weights); here a heuristic.
 */
export const sjf: QueuePolicy = (view) => admitInOrder(view, rankBy(view.queue, (j) => [j.job.demand.workMs]));
