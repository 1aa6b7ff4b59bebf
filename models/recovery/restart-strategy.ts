/**
 * Flink's restart strategies: whether a failed job restarts, and after how long. The names, options and defaults
 * are Flink's (configuration reference, "Restart strategies"; "Task Failure Recovery",
 * https://nightlies.apache.org/flink/flink-docs-release-1.20/docs/ops/state/task_failure_recovery/; the
 * exponential-delay defaults are those of FLIP-364, Flink 1.19 and later):
 *
 * - `none`: the job fails at its first failure.
 * - `fixed-delay`: restarts `attempts` times (default 1), waiting `delay` (default 1 s) before each; the next
 *   failure fails the job.
 * - `failure-rate`: restarts after `delay` (default 1 s) while fewer than `max-failures-per-interval` (default 1)
 *   restarts happened within the last `failure-rate-interval` (default 1 min); otherwise the job fails.
 * - `exponential-delay`: the first restart waits `initial-backoff` (default 1 s); each further one waits the previous
 *   backoff × `backoff-multiplier` (default 1.5; whole milliseconds, truncated), at most `max-backoff` (default 1 min); a jitter of ±`jitter-factor`
 *   (default 0.1) × the backoff is drawn uniformly; when the job ran `reset-backoff-threshold` (default 1 h) without
 *   a failure, the backoff and the attempt count start again from the initial values; after
 *   `attempts-before-reset-backoff` restarts (default: unlimited) without such a reset, the job fails.
 *
 * Durations are milliseconds of the emulated cluster: `scaleRestartStrategy` multiplies them by the cluster's time
 * scale (as models/cluster/timers.ts does for heartbeats), so a 1 s Flink delay can be 10 ms on worker threads.
 * The decisions are pure functions of the failure times (and a seeded draw for the jitter), so that tests can
 * compare delay sequences with Flink's formulas.
 */
import { OptionError } from '../errors.ts';
import type { Rng } from '../rng.ts';

export const RESTART_STRATEGY_NAMES = ['none', 'fixed-delay', 'failure-rate', 'exponential-delay'] as const;
export type RestartStrategyName = (typeof RESTART_STRATEGY_NAMES)[number];

export type RestartStrategyConfig =
  | { readonly type: 'none' }
  | { readonly type: 'fixed-delay'; readonly attempts: number; readonly delayMs: number }
  | { readonly type: 'failure-rate'; readonly maxFailuresPerInterval: number; readonly failureRateIntervalMs: number; readonly delayMs: number }
  | {
      readonly type: 'exponential-delay';
      readonly initialBackoffMs: number;
      readonly maxBackoffMs: number;
      readonly backoffMultiplier: number;
      readonly resetBackoffThresholdMs: number;
      readonly jitterFactor: number;
      readonly attemptsBeforeResetBackoff: number;
    };

/** Flink's defaults for each strategy (Flink 1.20 configuration reference). */
export const RESTART_STRATEGY_DEFAULTS = Object.freeze({
  none: { type: 'none' },
  'fixed-delay': { type: 'fixed-delay', attempts: 1, delayMs: 1_000 },
  'failure-rate': { type: 'failure-rate', maxFailuresPerInterval: 1, failureRateIntervalMs: 60_000, delayMs: 1_000 },
  'exponential-delay': {
    type: 'exponential-delay',
    initialBackoffMs: 1_000,
    maxBackoffMs: 60_000,
    backoffMultiplier: 1.5,
    resetBackoffThresholdMs: 3_600_000,
    jitterFactor: 0.1,
    attemptsBeforeResetBackoff: Number.POSITIVE_INFINITY,
  },
} as const satisfies { [K in RestartStrategyName]: Extract<RestartStrategyConfig, { type: K }> });

/** The Flink option behind each field, for messages and for reading a Flink configuration. */
const OPTION_KEYS: Record<string, string> = {
  attempts: 'restart-strategy.fixed-delay.attempts',
  'fixed-delay.delayMs': 'restart-strategy.fixed-delay.delay',
  maxFailuresPerInterval: 'restart-strategy.failure-rate.max-failures-per-interval',
  failureRateIntervalMs: 'restart-strategy.failure-rate.failure-rate-interval',
  'failure-rate.delayMs': 'restart-strategy.failure-rate.delay',
  initialBackoffMs: 'restart-strategy.exponential-delay.initial-backoff',
  maxBackoffMs: 'restart-strategy.exponential-delay.max-backoff',
  backoffMultiplier: 'restart-strategy.exponential-delay.backoff-multiplier',
  resetBackoffThresholdMs: 'restart-strategy.exponential-delay.reset-backoff-threshold',
  jitterFactor: 'restart-strategy.exponential-delay.jitter-factor',
  attemptsBeforeResetBackoff: 'restart-strategy.exponential-delay.attempts-before-reset-backoff',
};

/** Flink's spellings of the strategy type (`restart-strategy.type`), as its configuration accepts them. */
const TYPE_ALIASES: Record<string, RestartStrategyName> = {
  none: 'none',
  off: 'none',
  disable: 'none',
  'fixed-delay': 'fixed-delay',
  fixeddelay: 'fixed-delay',
  'failure-rate': 'failure-rate',
  failurerate: 'failure-rate',
  'exponential-delay': 'exponential-delay',
  exponentialdelay: 'exponential-delay',
};

const DURATION_UNITS_MS: readonly [RegExp, number][] = [
  [/^(ms|milli|millis|millisecond|milliseconds)$/, 1],
  [/^(s|sec|secs|second|seconds)$/, 1_000],
  [/^(min|m|minute|minutes)$/, 60_000],
  [/^(h|hour|hours)$/, 3_600_000],
  [/^(d|day|days)$/, 86_400_000],
];

/**
 * A Flink duration (`10 s`, `1 min`, `2000 ms`, `1h`; a bare number is milliseconds, as in Flink's TimeUtils), in ms.
 * `option` names the Flink key in the error.
 */
export function parseFlinkDurationMs(text: string, option: string): number {
  const m = /^\s*(\d+)\s*([a-zA-Z]*)\s*$/.exec(text);
  if (!m) throw OptionError.flag(option, text, 'should be a whole number with a unit: ms, s, min, h or d (e.g. 10 s, 1 min)');
  const unit = m[2]!.toLowerCase();
  const factor = unit === '' ? 1 : DURATION_UNITS_MS.find(([re]) => re.test(unit))?.[1];
  if (factor === undefined) throw OptionError.flag(option, text, `has an unknown time unit "${m[2]}" (ms, s, min, h or d)`);
  return Number(m[1]) * factor;
}

function positiveInteger(text: string, option: string, allowInfinite = false): number {
  if (allowInfinite && /^\s*(infinite|2147483647)\s*$/i.test(text)) return Number.POSITIVE_INFINITY;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw OptionError.flag(option, text, 'should be a whole number >= 1');
  return value;
}

function number(text: string, option: string, check: (x: number) => boolean, what: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || !check(value)) throw OptionError.flag(option, text, `should be ${what}`);
  return value;
}

/**
 * A restart strategy from Flink's own keys (`restart-strategy.type` and the strategy's options; unknown
 * `restart-strategy.*` keys and keys of another strategy are refused, naming the key). Absent options take
 * Flink's defaults.
 */
export function restartStrategyFromFlinkOptions(options: Readonly<Record<string, string>>): RestartStrategyConfig {
  const typeText = options['restart-strategy.type'] ?? options['restart-strategy'];
  if (typeText === undefined) throw OptionError.flag('restart-strategy.type', '', `is required: one of ${RESTART_STRATEGY_NAMES.join(', ')}`);
  const type = TYPE_ALIASES[typeText.trim().toLowerCase()];
  if (type === undefined) throw OptionError.flag('restart-strategy.type', typeText, `should be one of ${RESTART_STRATEGY_NAMES.join(', ')}`);
  const prefix = `restart-strategy.${type}.`;
  for (const key of Object.keys(options))
    if (key.startsWith('restart-strategy.') && key !== 'restart-strategy.type' && !key.startsWith(prefix))
      throw OptionError.flag(key, options[key]!, `is not an option of restart-strategy.type ${type}`);
  const get = (field: string) => options[OPTION_KEYS[field] ?? OPTION_KEYS[`${type}.${field}`]!];
  const key = (field: string) => OPTION_KEYS[field] ?? OPTION_KEYS[`${type}.${field}`]!;
  const known = new Set(Object.values(OPTION_KEYS));
  for (const k of Object.keys(options)) if (k.startsWith(prefix) && !known.has(k)) throw OptionError.flag(k, options[k]!, `is not an option of restart-strategy.type ${type}`);
  switch (type) {
    case 'none':
      return RESTART_STRATEGY_DEFAULTS.none;
    case 'fixed-delay': {
      const d = RESTART_STRATEGY_DEFAULTS['fixed-delay'];
      return {
        type,
        attempts: get('attempts') === undefined ? d.attempts : positiveInteger(get('attempts')!, key('attempts')),
        delayMs: get('delayMs') === undefined ? d.delayMs : parseFlinkDurationMs(get('delayMs')!, key('delayMs')),
      };
    }
    case 'failure-rate': {
      const d = RESTART_STRATEGY_DEFAULTS['failure-rate'];
      return {
        type,
        maxFailuresPerInterval: get('maxFailuresPerInterval') === undefined ? d.maxFailuresPerInterval : positiveInteger(get('maxFailuresPerInterval')!, key('maxFailuresPerInterval')),
        failureRateIntervalMs: get('failureRateIntervalMs') === undefined ? d.failureRateIntervalMs : parseFlinkDurationMs(get('failureRateIntervalMs')!, key('failureRateIntervalMs')),
        delayMs: get('delayMs') === undefined ? d.delayMs : parseFlinkDurationMs(get('delayMs')!, key('delayMs')),
      };
    }
    case 'exponential-delay': {
      const d = RESTART_STRATEGY_DEFAULTS['exponential-delay'];
      const duration = (field: 'initialBackoffMs' | 'maxBackoffMs' | 'resetBackoffThresholdMs') => (get(field) === undefined ? d[field] : parseFlinkDurationMs(get(field)!, key(field)));
      const config = {
        type,
        initialBackoffMs: duration('initialBackoffMs'),
        maxBackoffMs: duration('maxBackoffMs'),
        backoffMultiplier: get('backoffMultiplier') === undefined ? d.backoffMultiplier : number(get('backoffMultiplier')!, key('backoffMultiplier'), (x) => x >= 1, 'a number >= 1'),
        resetBackoffThresholdMs: duration('resetBackoffThresholdMs'),
        jitterFactor: get('jitterFactor') === undefined ? d.jitterFactor : number(get('jitterFactor')!, key('jitterFactor'), (x) => x >= 0 && x <= 1, 'a number from 0 to 1'),
        attemptsBeforeResetBackoff:
          get('attemptsBeforeResetBackoff') === undefined ? d.attemptsBeforeResetBackoff : positiveInteger(get('attemptsBeforeResetBackoff')!, key('attemptsBeforeResetBackoff'), true),
      } as const;
      if (config.initialBackoffMs > config.maxBackoffMs)
        throw OptionError.flag(key('initialBackoffMs'), get('initialBackoffMs') ?? `${config.initialBackoffMs} ms`, `should not exceed ${key('maxBackoffMs')} (${config.maxBackoffMs} ms)`);
      return config;
    }
  }
}

/** The same strategy with every duration multiplied by `factor` (the emulated cluster's time scale). */
export function scaleRestartStrategy(config: RestartStrategyConfig, factor: number): RestartStrategyConfig {
  switch (config.type) {
    case 'none':
      return config;
    case 'fixed-delay':
      return { ...config, delayMs: config.delayMs * factor };
    case 'failure-rate':
      return { ...config, delayMs: config.delayMs * factor, failureRateIntervalMs: config.failureRateIntervalMs * factor };
    case 'exponential-delay':
      return {
        ...config,
        initialBackoffMs: config.initialBackoffMs * factor,
        maxBackoffMs: config.maxBackoffMs * factor,
        resetBackoffThresholdMs: config.resetBackoffThresholdMs * factor,
      };
  }
}

export type RestartDecision = { readonly restart: true; readonly delayMs: number; readonly attempt: number } | { readonly restart: false; readonly reason: string };

/**
 * The state of one job's restart strategy. `onFailure(atMs)` is called once per failure (failures that arrive
 * while a restart is pending belong to it: call it once); it says whether to restart and after how long, or why the
 * job fails.
 */
export interface RestartStrategyState {
  readonly config: RestartStrategyConfig;
  onFailure(atMs: number): RestartDecision;
  /** Restarts decided so far. */
  readonly restarts: number;
}

export function createRestartStrategy(config: RestartStrategyConfig, rng?: Rng): RestartStrategyState {
  let restarts = 0;
  const restartTimes: number[] = [];
  // exponential-delay: the backoff of the next restart, attempts since the last reset, the last failure's time
  let backoffMs = config.type === 'exponential-delay' ? config.initialBackoffMs : 0;
  let attemptsSinceReset = 0;
  let lastFailureMs: number | undefined;
  const decide = (atMs: number): RestartDecision => {
    switch (config.type) {
      case 'none':
        return { restart: false, reason: 'restart-strategy.type none: a failed job is not restarted' };
      case 'fixed-delay':
        if (restarts >= config.attempts) return { restart: false, reason: `restart-strategy fixed-delay gave up after ${config.attempts} restart${config.attempts === 1 ? '' : 's'} (restart-strategy.fixed-delay.attempts)` };
        return { restart: true, delayMs: config.delayMs, attempt: restarts + 1 };
      case 'failure-rate': {
        const recent = restartTimes.filter((t) => atMs - t < config.failureRateIntervalMs).length;
        if (recent >= config.maxFailuresPerInterval)
          return {
            restart: false,
            reason: `restart-strategy failure-rate gave up: ${recent} restart${recent === 1 ? '' : 's'} within the last ${config.failureRateIntervalMs} ms already (restart-strategy.failure-rate.max-failures-per-interval ${config.maxFailuresPerInterval})`,
          };
        return { restart: true, delayMs: config.delayMs, attempt: restarts + 1 };
      }
      case 'exponential-delay': {
        if (lastFailureMs !== undefined && atMs - lastFailureMs >= config.resetBackoffThresholdMs) {
          backoffMs = config.initialBackoffMs;
          attemptsSinceReset = 0;
        }
        if (attemptsSinceReset >= config.attemptsBeforeResetBackoff)
          return { restart: false, reason: `restart-strategy exponential-delay gave up after ${attemptsSinceReset} restarts without a reset (restart-strategy.exponential-delay.attempts-before-reset-backoff)` };
        const jitter = config.jitterFactor === 0 || rng === undefined ? 0 : (2 * rng.next() - 1) * config.jitterFactor * backoffMs;
        const delayMs = Math.max(0, backoffMs + jitter);
        // Flink keeps the backoff in whole milliseconds: the product is truncated
        backoffMs = Math.min(Math.trunc(backoffMs * config.backoffMultiplier), config.maxBackoffMs);
        attemptsSinceReset++;
        return { restart: true, delayMs, attempt: restarts + 1 };
      }
    }
  };
  return {
    config,
    get restarts() {
      return restarts;
    },
    onFailure(atMs) {
      const decision = decide(atMs);
      lastFailureMs = atMs;
      if (decision.restart) {
        restarts++;
        restartTimes.push(atMs);
      }
      return decision;
    },
  };
}

/**
 * The command line's `NAME[:key=value,...]` (`--restart-strategy fixed-delay:attempts=3,delay=10ms`): the keys are
 * the strategy's Flink options without the `restart-strategy.NAME.` prefix. Errors name `flag` and the text.
 */
export function parseRestartStrategySpec(text: string, flag = '--restart-strategy'): RestartStrategyConfig {
  const [name = '', rest] = text.split(/:(.*)/s, 2) as [string, string | undefined];
  const options: Record<string, string> = { 'restart-strategy.type': name.trim() };
  const type = TYPE_ALIASES[name.trim().toLowerCase()];
  if (type === undefined) throw OptionError.flag(flag, text, `should start with one of ${RESTART_STRATEGY_NAMES.join(', ')}`);
  for (const pair of (rest ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw OptionError.flag(flag, text, `"${pair}" should be key=value (e.g. ${type === 'fixed-delay' ? 'attempts=3' : 'delay=10ms'})`);
    options[`restart-strategy.${type}.${pair.slice(0, eq).trim()}`] = pair.slice(eq + 1).trim();
  }
  try {
    return restartStrategyFromFlinkOptions(options);
  } catch (error) {
    if (error instanceof OptionError) throw OptionError.flag(flag, text, error.message);
    throw error;
  }
}
