import { InvalidInstanceError } from '../errors.ts';

/**
 * The cluster's timers, named after the Flink options they copy (Flink 1.20 defaults), in ms of the cluster clock.
 * Flink's values are wall-clock ms; a workload whose jobs last milliseconds scales them with `timerScale` so that
 * their ratio to job durations stays as in a real cluster (a 5 min slot request timeout against jobs of minutes).
 * `taskManagerStartupMs` is not a Flink option: it is how long a new TaskManager takes to start and register
 * (a container or pod start), slotlab's assumption.
 */
export interface ClusterTimers {
  /** `slot.request.timeout`: a slot request not fulfilled within this time fails its job. Flink default 5 min. */
  readonly slotRequestTimeoutMs: number;
  /** `resourcemanager.taskmanager-timeout`: a started TaskManager idle this long is released. Flink default 30 s. */
  readonly taskManagerTimeoutMs: number;
  /** `heartbeat.interval`: for the runtime (workers heartbeat the ResourceManager). Flink default 10 s. */
  readonly heartbeatIntervalMs: number;
  /** `heartbeat.timeout`: a TaskManager silent this long is lost (runtime). Flink default 50 s. */
  readonly heartbeatTimeoutMs: number;
  /** slotlab: time from starting a TaskManager to its registration with free slots. Default 10 s. */
  readonly taskManagerStartupMs: number;
}

export type ClusterTimerName = keyof ClusterTimers;

/** Each timer with the Flink option it copies and its default (unscaled, ms). */
export const CLUSTER_TIMERS: Readonly<Record<ClusterTimerName, { readonly flinkOption: string; readonly defaultMs: number }>> = Object.freeze({
  slotRequestTimeoutMs: { flinkOption: 'slot.request.timeout', defaultMs: 300_000 },
  taskManagerTimeoutMs: { flinkOption: 'resourcemanager.taskmanager-timeout', defaultMs: 30_000 },
  heartbeatIntervalMs: { flinkOption: 'heartbeat.interval', defaultMs: 10_000 },
  heartbeatTimeoutMs: { flinkOption: 'heartbeat.timeout', defaultMs: 50_000 },
  taskManagerStartupMs: { flinkOption: '(slotlab) TaskManager start-up', defaultMs: 10_000 },
});

export const CLUSTER_TIMER_NAMES = Object.freeze(Object.keys(CLUSTER_TIMERS) as ClusterTimerName[]);

/** The defaults × `timerScale`, then the overrides (already in ms of the cluster clock, not scaled). */
export function clusterTimers(timerScale = 1, overrides: Partial<ClusterTimers> = {}, source = 'timers'): ClusterTimers {
  if (!(timerScale > 0) || !Number.isFinite(timerScale)) throw new InvalidInstanceError(source, 'timerScale', `should be a finite number > 0, got ${JSON.stringify(timerScale)}`);
  const out = {} as Record<ClusterTimerName, number>;
  for (const name of CLUSTER_TIMER_NAMES) {
    const value = overrides[name] ?? CLUSTER_TIMERS[name].defaultMs * timerScale;
    if (!(value >= 0) || !Number.isFinite(value)) throw new InvalidInstanceError(source, name, `should be a finite number of ms >= 0, got ${JSON.stringify(value)}`);
    out[name] = value;
  }
  return out;
}
