import { describe, expect, it } from 'vitest';
import { predictRecoveryMs, predictRedeployMs, replayTimeMs, warmBuildMsPerSubtask } from './recovery-time.ts';

describe('recovery-time model: each term from what was known before the failure', () => {
  const first = { planMs: 3, buildMsPerSubtask: 0.5, exchangeMs: 2 };

  it('redeploy: re-plan only when subtasks moved; the deploy exchange with the busiest TaskManager\'s builds; the start exchange only when sources restart', () => {
    // a lost TaskManager: re-planned, 4 restarted subtasks on the busiest survivor, the sources among them
    expect(predictRedeployMs(first, { replanned: true, maxSubtasksPerTaskManager: 4, restartsSources: true })).toBe(3 + 2 + 0.5 * 4 + 2);
    // a subtask that threw, same placement: no new plan; region failover restarting 1 subtask per TaskManager
    expect(predictRedeployMs(first, { replanned: false, maxSubtasksPerTaskManager: 1, restartsSources: true })).toBe(2 + 0.5 + 2);
    // blocking region failover downstream of the loss: no source reruns, the restart is back once its subtasks are built
    expect(predictRedeployMs(first, { replanned: true, maxSubtasksPerTaskManager: 3, restartsSources: false })).toBe(3 + 2 + 0.5 * 3);
    // fewer subtasks redeployed (region failover) never cost more than all of them
    const shape = (maxSubtasksPerTaskManager: number) => ({ replanned: false, maxSubtasksPerTaskManager, restartsSources: true });
    expect(predictRedeployMs(first, shape(2))).toBeLessThan(predictRedeployMs(first, shape(3)));
  });

  it('warm build per subtask: the median of the builds after each TaskManager\'s first (the first compiles the runtime code once)', () => {
    // three TaskManagers of a first deployment: 6.1, 1.8, 0.7 ms cold first builds, then warm ones
    expect(warmBuildMsPerSubtask([[6.1, 0.3, 0.1], [1.8, 0.2], [0.7, 0.25, 0.05, 0.4]])).toBe(0.225); // median of 0.3 0.1 0.2 0.25 0.05 0.4
    expect(warmBuildMsPerSubtask([[6.1, 0.3, 0.1], [1.8, 0.2]])).toBe(0.2);
    // one subtask per TaskManager: no warm build was seen, the median of the cold ones
    expect(warmBuildMsPerSubtask([[3], [1], [2]])).toBe(2);
    expect(warmBuildMsPerSubtask([])).toBe(0);
  });

  it('replay: records / rate; nothing to replay costs nothing; records without a rate never finish', () => {
    expect(replayTimeMs(3000, 150)).toBe(20);
    expect(replayTimeMs(0, 0)).toBe(0);
    expect(replayTimeMs(10, 0)).toBe(Number.POSITIVE_INFINITY);
  });

  it('the prediction is the sum of its terms (Flink "Task Failure Recovery": detection, restart delay, redeploy, replay)', () => {
    const redeployMs = predictRedeployMs(first, { replanned: true, maxSubtasksPerTaskManager: 4, restartsSources: true });
    const p = predictRecoveryMs({ detectionMs: 0, restartDelayMs: 20, redeployMs, replayRecords: 3000, recordsPerMs: 150 });
    expect(p.recoveryMs).toBe(0 + 20 + 9 + 20);
  });
});
