import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../main.ts';
import { captureOutput } from '../test/capture.ts';

/**
 * `slotlab cluster --autoscale` (issue #13): bad input is one line naming the flag or the workload file and job, exit
 * 1, before any worker starts. The run itself is checked in runtime/cluster/autoscaler.test.ts (its example command,
 * on datasets/examples/workloads/autoscale-keyed.json, is quoted in docs/scaling.md).
 */
const EXAMPLE = 'datasets/examples/workloads/autoscale-keyed.json';

describe('slotlab cluster --autoscale', () => {
  afterEach(() => vi.restoreAllMocks());

  const bad: Array<[string, string[], RegExp]> = [
    ['an unknown policy', [EXAMPLE, '--autoscale', 'ds3'], /^slotlab: --autoscale: ds3: should be one of ds2, threshold, none\n?$/],
    ['with --simulate', [EXAMPLE, '--autoscale', 'ds2', '--simulate'], /--autoscale: ds2: runs on the cluster runtime; leave out --simulate/],
    ['a window of 0', [EXAMPLE, '--autoscale', 'threshold', '--autoscale-window', '0s'], /--autoscale-window: 0s: should be a duration > 0/],
    [
      'a job whose source has no rate',
      ['datasets/examples/workloads/two-teams.json', '--autoscale', 'ds2'],
      /two-teams\.json: jobs\[diamond\]: --autoscale sizes for the sources' rate: source t0 has no params\.ratePerSecond/,
    ],
  ];
  it.each(bad)('%s: one line on stderr, exit 1, nothing on stdout', async (_what, args, message) => {
    const io = captureOutput();
    expect(await main(['cluster', ...args])).toBe(1);
    expect(io.err()).toMatch(message);
    expect(io.err().trim().split('\n')).toHaveLength(1);
    expect(io.out()).toBe('');
  });
});
