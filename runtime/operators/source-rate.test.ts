import { describe, expect, it } from 'vitest';
import { runPlacement } from '../index.ts';
import { expectExactlyOnce } from '../test/exactly-once.ts';
import { wordCount, wordPlacement, wordReference } from '../test/recovery-jobs.ts';

/**
 * A source's `ratePerSecond` (runtime/operators/source-rate.ts; the recovery benchmark's steady sources): the text
 * source at 20,000 lines/s over its two subtasks, 10,000 each. The output is the word count's, unchanged; each subtask
 * takes at least its lines / its rate (a lower bound: load only makes it slower).
 */
describe('ratePerSecond: a rate-limited text source', () => {
  it('emits the same lines, each subtask no faster than its share of the rate', async () => {
    const linesPerSecond = 20_000;
    const report = await runPlacement(wordCount(linesPerSecond), wordPlacement, { mode: 'pipelined', batchRecords: 16, creditsPerChannel: 8 });
    expectExactlyOnce({ references: { out: wordReference } }, report, 'paced word count');
    const sources = report.subtasks.filter((s) => s.operatorId === 'lines');
    expect(sources).toHaveLength(2);
    for (const s of sources) {
      const leastMs = (1000 * s.recordsOut) / (linesPerSecond / 2);
      // the last batch's wait may stay owed (< 1 ms: emulated waits below a millisecond accumulate)
      expect(s.endMs - s.startMs, s.id).toBeGreaterThanOrEqual(leastMs - 1);
    }
  });
});
