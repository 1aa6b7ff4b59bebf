import { describe, expect, it } from 'vitest';
import { OptionError } from '../errors.ts';
import { seededRng } from '../rng.ts';
import {
  createRestartStrategy,
  parseFlinkDurationMs,
  RESTART_STRATEGY_DEFAULTS,
  restartStrategyFromFlinkOptions,
  scaleRestartStrategy,
  type RestartDecision,
} from './restart-strategy.ts';

const delays = (decisions: RestartDecision[]) => decisions.map((d) => (d.restart ? d.delayMs : 'fail'));

describe('restart strategies (Flink 1.20, "Task Failure Recovery" and the configuration reference)', () => {
  it("has Flink's defaults", () => {
    expect(RESTART_STRATEGY_DEFAULTS['fixed-delay']).toMatchObject({ attempts: 1, delayMs: 1_000 });
    expect(RESTART_STRATEGY_DEFAULTS['failure-rate']).toMatchObject({ maxFailuresPerInterval: 1, failureRateIntervalMs: 60_000, delayMs: 1_000 });
    expect(RESTART_STRATEGY_DEFAULTS['exponential-delay']).toMatchObject({
      initialBackoffMs: 1_000,
      maxBackoffMs: 60_000,
      backoffMultiplier: 1.5,
      resetBackoffThresholdMs: 3_600_000,
      jitterFactor: 0.1,
      attemptsBeforeResetBackoff: Number.POSITIVE_INFINITY,
    });
  });

  it('none: the first failure fails the job', () => {
    const s = createRestartStrategy(restartStrategyFromFlinkOptions({ 'restart-strategy.type': 'none' }));
    expect(s.onFailure(0)).toEqual({ restart: false, reason: 'restart-strategy.type none: a failed job is not restarted' });
  });

  it("fixed-delay, the documentation's example (3 attempts, 10 s): three restarts after 10 s, then the job fails", () => {
    const s = createRestartStrategy(restartStrategyFromFlinkOptions({ 'restart-strategy.type': 'fixed-delay', 'restart-strategy.fixed-delay.attempts': '3', 'restart-strategy.fixed-delay.delay': '10 s' }));
    const d = [0, 20_000, 40_000, 60_000].map((t) => s.onFailure(t));
    expect(delays(d)).toEqual([10_000, 10_000, 10_000, 'fail']);
    expect(d[3]).toMatchObject({ reason: expect.stringMatching(/gave up after 3 restarts \(restart-strategy\.fixed-delay\.attempts\)/) });
    expect(s.restarts).toBe(3);
  });

  it("failure-rate, the documentation's example (3 per 5 min, 10 s delay): a fourth failure within 5 min fails the job, a later one restarts", () => {
    const options = { 'restart-strategy.type': 'failure-rate', 'restart-strategy.failure-rate.max-failures-per-interval': '3', 'restart-strategy.failure-rate.failure-rate-interval': '5 min', 'restart-strategy.failure-rate.delay': '10 s' };
    const s = createRestartStrategy(restartStrategyFromFlinkOptions(options));
    expect(delays([0, 60_000, 120_000, 180_000].map((t) => s.onFailure(t)))).toEqual([10_000, 10_000, 10_000, 'fail']);
    const spaced = createRestartStrategy(restartStrategyFromFlinkOptions(options));
    // one failure every 2 minutes: never more than 3 restarts within 5 minutes
    expect(delays([0, 120_000, 240_000, 360_000, 480_000].map((t) => spaced.onFailure(t)))).toEqual([10_000, 10_000, 10_000, 10_000, 10_000]);
  });

  it("exponential-delay, the documentation's example (initial 1 s, multiplier 2, max 10 s, no jitter): 1, 2, 4, 8, 10, 10 s", () => {
    const s = createRestartStrategy(
      restartStrategyFromFlinkOptions({
        'restart-strategy.type': 'exponential-delay',
        'restart-strategy.exponential-delay.initial-backoff': '1 s',
        'restart-strategy.exponential-delay.backoff-multiplier': '2',
        'restart-strategy.exponential-delay.max-backoff': '10 s',
        'restart-strategy.exponential-delay.jitter-factor': '0',
      }),
    );
    expect(delays([0, 5, 10, 15, 20, 25].map((t) => s.onFailure(t * 1000)))).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
  });

  it('exponential-delay with the defaults and no jitter: 1 s × 1.5^k in whole ms (FLIP-364), capped at 1 min; reset after 1 h without failure', () => {
    const config = { ...RESTART_STRATEGY_DEFAULTS['exponential-delay'], jitterFactor: 0 };
    const s = createRestartStrategy(config);
    const got = delays(Array.from({ length: 13 }, (_, i) => s.onFailure(i * 1000)));
    let b = 1000;
    const expected: number[] = [];
    for (let i = 0; i < 13; i++) {
      expected.push(b);
      b = Math.min(Math.trunc(b * 1.5), 60_000);
    }
    expect(got).toEqual(expected);
    expect(got.slice(0, 6)).toEqual([1000, 1500, 2250, 3375, 5062, 7593]);
    expect(got.at(-1)).toBe(60_000);
    // an hour without failure: back to the initial backoff
    expect(s.onFailure(12_000 + 3_600_000)).toMatchObject({ restart: true, delayMs: 1_000 });
  });

  it('exponential-delay: jitter stays within ±jitter-factor × backoff, seeded; attempts-before-reset-backoff ends the job', () => {
    const s = createRestartStrategy({ ...RESTART_STRATEGY_DEFAULTS['exponential-delay'], attemptsBeforeResetBackoff: 4 }, seededRng(7));
    const d = [0, 1, 2, 3, 4].map((t) => s.onFailure(t * 1000));
    const nominal = [1000, 1500, 2250, 3375];
    d.slice(0, 4).forEach((x, i) => {
      expect(x.restart).toBe(true);
      if (x.restart) expect(Math.abs(x.delayMs - nominal[i]!)).toBeLessThanOrEqual(0.1 * nominal[i]! + 1e-9);
    });
    expect(d[4]).toMatchObject({ restart: false, reason: expect.stringMatching(/attempts-before-reset-backoff/) });
    const again = createRestartStrategy({ ...RESTART_STRATEGY_DEFAULTS['exponential-delay'], attemptsBeforeResetBackoff: 4 }, seededRng(7));
    expect(delays([0, 1, 2, 3, 4].map((t) => again.onFailure(t * 1000)))).toEqual(delays(d));
  });

  it('scales every duration for the emulated cluster', () => {
    expect(scaleRestartStrategy(RESTART_STRATEGY_DEFAULTS['exponential-delay'], 0.01)).toMatchObject({ initialBackoffMs: 10, maxBackoffMs: 600, resetBackoffThresholdMs: 36_000 });
    expect(scaleRestartStrategy(RESTART_STRATEGY_DEFAULTS['failure-rate'], 0.01)).toMatchObject({ delayMs: 10, failureRateIntervalMs: 600 });
  });

  it("reads Flink's durations and refuses bad options with the option's name", () => {
    expect([parseFlinkDurationMs('10 s', 'x'), parseFlinkDurationMs('1 min', 'x'), parseFlinkDurationMs('2000', 'x'), parseFlinkDurationMs('1h', 'x')]).toEqual([10_000, 60_000, 2_000, 3_600_000]);
    const bad: [Record<string, string>, RegExp][] = [
      [{ 'restart-strategy.type': 'sometimes' }, /restart-strategy\.type.*should be one of none, fixed-delay, failure-rate, exponential-delay/],
      [{ 'restart-strategy.type': 'fixed-delay', 'restart-strategy.fixed-delay.delay': '10 lightyears' }, /restart-strategy\.fixed-delay\.delay.*unknown time unit/],
      [{ 'restart-strategy.type': 'fixed-delay', 'restart-strategy.fixed-delay.attempts': '-1' }, /restart-strategy\.fixed-delay\.attempts.*whole number >= 1/],
      [{ 'restart-strategy.type': 'fixed-delay', 'restart-strategy.failure-rate.delay': '1 s' }, /restart-strategy\.failure-rate\.delay.*not an option of restart-strategy\.type fixed-delay/],
      [{ 'restart-strategy.type': 'exponential-delay', 'restart-strategy.exponential-delay.jitter-factor': '1.5' }, /jitter-factor.*from 0 to 1/],
      [{ 'restart-strategy.type': 'exponential-delay', 'restart-strategy.exponential-delay.initial-backoff': '2 min' }, /initial-backoff.*should not exceed restart-strategy\.exponential-delay\.max-backoff/],
    ];
    for (const [options, message] of bad) {
      expect(() => restartStrategyFromFlinkOptions(options)).toThrow(OptionError);
      expect(() => restartStrategyFromFlinkOptions(options)).toThrow(message);
    }
  });
});
