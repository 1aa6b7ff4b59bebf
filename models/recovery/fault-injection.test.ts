import { describe, expect, it } from 'vitest';
import { parseFaultSpec, resolveRandomKill, resolveSlowLink } from './fault-injection.ts';
import { pipelinedRegions, regionsToRestart } from './pipelined-regions.ts';
import { predictRecoveryMs } from './recovery-time.ts';
import { parseRestartStrategySpec, RESTART_STRATEGY_DEFAULTS } from './restart-strategy.ts';

describe('--inject specs', () => {
  it('reads every kind, ";"-separated', () => {
    expect(parseFaultSpec('kill:tm2@250ms; kill:tm1@5000rec;throw:count#1@10rec;kill:random@7;corrupt:checkpoint@restore')).toEqual([
      { kind: 'kill', taskManager: 'tm2', atMs: 250 },
      { kind: 'kill', taskManager: 'tm1', afterRecords: 5000 },
      { kind: 'throw', subtask: 'count#1', afterRecords: 10 },
      { kind: 'kill-random', seed: 7 },
      { kind: 'corrupt-checkpoint' },
    ]);
    expect(parseFaultSpec('slow:tm-a-tm2@x2.5')).toEqual([{ kind: 'slow-link', link: 'tm-a-tm2', factor: 2.5 }]);
    expect(resolveSlowLink('tm-a-tm2', ['tm-a', 'tm2', 'tm3'])).toEqual(['tm-a', 'tm2']);
    expect(() => parseFaultSpec('slow:tm1-tm2@4')).toThrow(/^--inject: slow:tm1-tm2@4: slow takes a factor >= 1 \(x4\)/);
    expect(() => resolveSlowLink('a-b-c', ['a', 'b-c', 'a-b', 'c'])).toThrow(/is ambiguous: a and b-c, or a-b and c$/);
  });
  it('stall:TM@start+duration (cluster heartbeats), and @attempt=N on record-count kills and throws', () => {
    expect(parseFaultSpec('stall:tm3@250ms+500ms; kill:tm1@300rec@attempt=1; kill:tm2@300rec@attempt=2; throw:sum#1@10rec@attempt=3')).toEqual([
      { kind: 'stall', taskManager: 'tm3', atMs: 250, forMs: 500 },
      { kind: 'kill', taskManager: 'tm1', afterRecords: 300, attempt: 1 },
      { kind: 'kill', taskManager: 'tm2', afterRecords: 300, attempt: 2 },
      { kind: 'throw', subtask: 'sum#1', afterRecords: 10, attempt: 3 },
    ]);
    expect(() => parseFaultSpec('stall:tm3@250ms')).toThrow(/^--inject: stall:tm3@250ms: stall takes a start and a duration > 0 \(250ms\+500ms\)/);
    expect(() => parseFaultSpec('stall:tm3@250ms+0ms')).toThrow(/stall takes a start and a duration > 0/);
    expect(() => parseFaultSpec('kill:tm1@250ms@attempt=2')).toThrow(/^--inject: kill:tm1@250ms@attempt=2: @attempt= qualifies a record-count kill or throw only/);
    expect(() => parseFaultSpec('kill:tm1@300rec@attempt=0')).toThrow(/@attempt= takes a whole number >= 1 \(the first run is attempt 1\)/);
  });
  it('refuses a bad fault in one line naming the flag and the fault', () => {
    expect(() => parseFaultSpec('kill:tm2@soon')).toThrow(/^--inject: kill:tm2@soon: kill takes a time \(250ms\) or a record count >= 1 \(5000rec\)/);
    expect(() => parseFaultSpec('throw:count@5rec')).toThrow(/throw names a subtask as operator#index/);
    expect(() => parseFaultSpec('melt:tm1@1rec')).toThrow(/unknown fault kind "melt"/);
    expect(() => parseFaultSpec(' ; ')).toThrow(/names no fault/);
  });
  it('kill:random draws the same TaskManager and count from the same seed, within the planned records', () => {
    const tms = [{ taskManager: 'tm1', records: 100 }, { taskManager: 'tm2', records: 0 }, { taskManager: 'tm3', records: 50 }];
    const a = resolveRandomKill(7, tms);
    expect(resolveRandomKill(7, tms)).toEqual(a);
    expect(a.taskManager).not.toBe('tm2');
    expect(a.afterRecords).toBeGreaterThanOrEqual(1);
    expect(a.afterRecords).toBeLessThanOrEqual(a.taskManager === 'tm1' ? 100 : 50);
  });
});

describe('--restart-strategy NAME[:key=value,...] (Flink option names)', () => {
  it('reads a strategy with options, and the defaults without', () => {
    expect(parseRestartStrategySpec('fixed-delay:attempts=3,delay=10ms')).toEqual({ type: 'fixed-delay', attempts: 3, delayMs: 10 });
    expect(parseRestartStrategySpec('exponential-delay')).toEqual(RESTART_STRATEGY_DEFAULTS['exponential-delay']);
    expect(parseRestartStrategySpec('failure-rate:max-failures-per-interval=2,failure-rate-interval=1 s')).toEqual({ type: 'failure-rate', maxFailuresPerInterval: 2, failureRateIntervalMs: 1000, delayMs: 1000 });
  });
  it('names the flag and the Flink key that is wrong', () => {
    expect(() => parseRestartStrategySpec('fixed-delay:tries=2')).toThrow(/^--restart-strategy: fixed-delay:tries=2: restart-strategy.fixed-delay.tries: 2: is not an option/);
    expect(() => parseRestartStrategySpec('sometimes')).toThrow(/should start with one of none, fixed-delay, failure-rate, exponential-delay/);
  });
});

describe('pipelined regions (Flink PipelinedRegionComputeUtil)', () => {
  it('pipelined edges join subtasks into regions; without them every subtask is its own', () => {
    // 0 -> 2, 1 -> 2, 3 -> 4 (two connected components)
    const edges = [[0, 2], [1, 2], [3, 4]] as const;
    const regions = pipelinedRegions({ subtaskCount: 5, pipelinedEdges: edges });
    const none = () => false;
    expect(regionsToRestart({ regions, edges, failed: [1], resultLost: none })).toEqual([0, 1, 2]);
    expect(regionsToRestart({ regions, edges, failed: [4], resultLost: none })).toEqual([3, 4]);
  });

  it('blocking (every subtask its own region): downstream regions restart; a lost producer result restarts its producer', () => {
    // a diamond 0 -> 1, 0 -> 2, 1 -> 3, 2 -> 3, and 4 -> 5 apart; all edges blocking
    const edges = [[0, 1], [0, 2], [1, 3], [2, 3], [4, 5]] as const;
    const regions = pipelinedRegions({ subtaskCount: 6, pipelinedEdges: [] });
    const none = () => false;
    // 2 failed: it and its consumer 3 restart; 0 (its result is kept) and 1 keep what they did; 4 -> 5 untouched
    expect(regionsToRestart({ regions, edges, failed: [2], resultLost: none })).toEqual([2, 3]);
    // ... and when 0's result was on the lost TaskManager, 0 restarts too, and with it every consumer of 0
    expect(regionsToRestart({ regions, edges, failed: [2], resultLost: (p) => p === 0 })).toEqual([0, 1, 2, 3]);
    expect(regionsToRestart({ regions, edges, failed: [5], resultLost: none })).toEqual([5]);
    // pipelined edges 0 -> 1 -> 3 make one region {0, 1, 3}: 2 failing restarts 2 and, as consumer of 2, that region
    const mixed = pipelinedRegions({ subtaskCount: 6, pipelinedEdges: [[0, 1], [1, 3]] });
    expect(regionsToRestart({ regions: mixed, edges, failed: [2], resultLost: none })).toEqual([0, 1, 2, 3]);
  });
});

describe('recovery-time model', () => {
  it('detection + delay + redeploy + records to replay / rate', () => {
    const p = predictRecoveryMs({ detectionMs: 50, restartDelayMs: 1000, redeployMs: 200, replayRecords: 30_000, recordsPerMs: 100 });
    expect(p.replayMs).toBe(300);
    expect(p.recoveryMs).toBe(1550);
    expect(predictRecoveryMs({ detectionMs: 0, restartDelayMs: 0, redeployMs: 0, replayRecords: 0, recordsPerMs: 0 }).recoveryMs).toBe(0);
  });
});
