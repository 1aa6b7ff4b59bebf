import { z } from 'zod';
import { nonNegative, positive } from '../loaders/schema.ts';

/** A link's parameters in generator params: `{ bandwidthBytesPerMs?, latencyMs? }` (omitted = free). */
export const linkParams = z.strictObject({ bandwidthBytesPerMs: positive().optional(), latencyMs: nonNegative().optional() });

/** 1 Gbit/s Ethernet in bytes per ms (125 MB/s) with 0.1 ms latency: the generators' default intra-rack link. */
export const GIGABIT_LINK = Object.freeze({ bandwidthBytesPerMs: 125_000, latencyMs: 0.1 });
/** 10 times slower and 0.5 ms: the generators' default link between racks. */
export const UPLINK = Object.freeze({ bandwidthBytesPerMs: 12_500, latencyMs: 0.5 });
