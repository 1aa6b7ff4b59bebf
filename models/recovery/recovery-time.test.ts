import { describe, expect, it } from 'vitest';
import { predictRecoveryMs, predictRedeployMs, replayTimeMs } from './recovery-time.ts';

describe('recovery-time model: each term from what was known before the failure', () => {
  const first = { planMs: 3, initMsPerSubtask: 0.5, startMs: 2 };

  it('redeploy: re-plan only when subtasks moved, build the most loaded TaskManager\'s restarted subtasks, start', () => {
    // a lost TaskManager: re-planned, 4 restarted subtasks on the busiest survivor
    expect(predictRedeployMs(first, { replanned: true, maxSubtasksPerTaskManager: 4 })).toBe(3 + 0.5 * 4 + 2);
    // a subtask that threw, same placement: no new plan; region failover restarting 1 subtask per TaskManager
    expect(predictRedeployMs(first, { replanned: false, maxSubtasksPerTaskManager: 1 })).toBe(0.5 + 2);
    // fewer subtasks redeployed (region failover) never cost more than all of them
    expect(predictRedeployMs(first, { replanned: false, maxSubtasksPerTaskManager: 2 })).toBeLessThan(predictRedeployMs(first, { replanned: false, maxSubtasksPerTaskManager: 3 }));
  });

  it('replay: records / rate; nothing to replay costs nothing; records without a rate never finish', () => {
    expect(replayTimeMs(3000, 150)).toBe(20);
    expect(replayTimeMs(0, 0)).toBe(0);
    expect(replayTimeMs(10, 0)).toBe(Number.POSITIVE_INFINITY);
  });

  it('the prediction is the sum of its terms (Flink "Task Failure Recovery": detection, restart delay, redeploy, replay)', () => {
    const redeployMs = predictRedeployMs(first, { replanned: true, maxSubtasksPerTaskManager: 4 });
    const p = predictRecoveryMs({ detectionMs: 0, restartDelayMs: 20, redeployMs, replayRecords: 3000, recordsPerMs: 150 });
    expect(p.recoveryMs).toBe(0 + 20 + 7 + 20);
  });
});
