import { beforeAll, describe, expect, it } from 'vitest';
import { OptionError } from '../../models/errors.ts';
import { blankRow } from './test-rows.ts';
import { planSuite, type Plan, type RunSpec } from './plan.ts';
import { measuredTimes, parseShardSpec, planShards, predictRunMs, predictRunParts, shardOf, shardRunOrder } from './shard.ts';
import { readSuiteFile, resolveSuitePath } from './suite.ts';

/** A run with only what the partition reads: its id (and, for the predictor, its solver and limits). */
function run(runId: string, overrides: Partial<RunSpec> = {}): RunSpec {
  return {
    runId,
    suite: 't',
    group: 'g',
    instance: { kind: 'generate', generator: 'x', params: {}, seed: 1, label: runId, dataset: 'generated' },
    cluster: undefined,
    variant: undefined,
    solver: { name: 'heft', label: 'heft', kind: 'heuristic', timeLimitMs: undefined, relativeGap: undefined, params: undefined },
    seed: 1,
    hardLimitMs: 10_000,
    execute: undefined,
    ...overrides,
  };
}

const ids = (runs: readonly RunSpec[]) => runs.map((r) => r.runId);

describe('parseShardSpec', () => {
  it('reads i/N', () => {
    expect(parseShardSpec('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShardSpec(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
  });

  it.each([
    ['3/2', /^--shard: 3\/2: should name a shard from 1\/2 to 2\/2/],
    ['0/0', /^--shard: 0\/0: should have at least 1 shard/],
    ['1/0', /^--shard: 1\/0: should have at least 1 shard/],
    ['0/4', /^--shard: 0\/4: should name a shard from 1\/4 to 4\/4 \(shards are numbered from 1\)$/],
    ['a/b', /^--shard: a\/b: should be i\/N, shard i of N/],
    ['2', /^--shard: 2: should be i\/N/],
    ['1.5/3', /^--shard: 1\.5\/3: should be i\/N/],
    ['1/1000000', /^--shard: 1\/1000000: should have at most 100000 shards$/],
  ])('refuses %s with one line naming the flag', (text, message) => {
    expect(() => parseShardSpec(text)).toThrow(OptionError);
    expect(() => parseShardSpec(text)).toThrow(message);
  });
});

describe('planShards (LPT)', () => {
  it('places the longest run first on the least loaded shard: Graham\'s 5,4,3,3,3 on 2 shards gives 8 and 10 (the optimum is 9)', () => {
    const times = new Map([['a', 5], ['b', 4], ['c', 3], ['d', 3], ['e', 3]]);
    const plan = planShards([...times.keys()].map((id) => run(id)), 2, (r) => times.get(r.runId)!);
    expect(plan.shards.map((s) => ids(s.runs))).toEqual([['a', 'd'], ['b', 'c', 'e']]);
    expect(plan.shards.map((s) => s.predictedMs)).toEqual([8, 10]);
    expect(plan.totalPredictedMs).toBe(18);
    expect(plan.maxOverMean).toBeCloseTo(10 / 9, 12);
  });

  it('breaks ties by run id, whatever the input order, and gives empty shards when there are fewer runs than shards', () => {
    const runs = ['r3', 'r1', 'r2'].map((id) => run(id));
    const a = planShards(runs, 5, () => 1);
    const b = planShards([...runs].reverse(), 5, () => 1);
    expect(a.shards.map((s) => ids(s.runs))).toEqual([['r1'], ['r2'], ['r3'], [], []]);
    expect(b.shards.map((s) => ids(s.runs))).toEqual(a.shards.map((s) => ids(s.runs)));
  });

  it('refuses a count below 1 and a time that is not a finite number >= 0', () => {
    expect(() => planShards([run('a')], 0, () => 1)).toThrow(RangeError);
    expect(() => planShards([run('a')], 2, () => Number.NaN)).toThrow(/predicted time of a should be a finite number >= 0/);
  });
});

describe('predictRunMs', () => {
  it('grows with the time limit and the size for exact solvers, with the size for heuristics, and stays within the hard limit', () => {
    const exact = { name: 'milp', label: 'milp', kind: 'exact' as const, timeLimitMs: 5000, relativeGap: undefined, params: undefined };
    const small = run('s', { solver: exact, size: { subtasks: 10, taskManagers: 2, slots: 2 } });
    const large = run('l', { solver: exact, size: { subtasks: 100, taskManagers: 4, slots: 8 } });
    const longer = run('x', { solver: { ...exact, timeLimitMs: 9000 }, size: { subtasks: 100, taskManagers: 4, slots: 8 } });
    const heuristic = run('h', { size: { subtasks: 100, taskManagers: 4, slots: 8 } });
    expect(predictRunMs(small)).toBeLessThan(predictRunMs(large));
    expect(predictRunMs(large)).toBeLessThan(predictRunMs(longer));
    expect(predictRunMs(heuristic)).toBeLessThan(predictRunMs(small));
    expect(predictRunMs(run('big', { solver: exact, hardLimitMs: 6000, size: { subtasks: 1e6, taskManagers: 64, slots: 64 } }))).toBeLessThanOrEqual(6000);
  });

  it('adds the runtime execution the suite asks for when the scaled lower bound fits in maxWallMs', () => {
    const base = run('e', { model: 'dag-placement', size: { subtasks: 10, taskManagers: 3, slots: 3 }, lowerBound: 73 });
    const execute = { mode: 'blocking' as const, timeScaleMsPerUnit: 5, maxSubtasks: 64, maxWallMs: 2000 };
    expect(predictRunMs({ ...base, execute }) - predictRunMs(base)).toBeCloseTo(300 + 1.3 * 73 * 5, 9);
    expect(predictRunMs({ ...base, execute: { ...execute, maxWallMs: 100 } })).toBe(predictRunMs(base));
  });
});

describe('shardRunOrder', () => {
  const execute = { mode: 'blocking' as const, timeScaleMsPerUnit: 20, maxSubtasks: 64, maxWallMs: 8000 };
  const exact = { name: 'milp', label: 'milp', kind: 'exact' as const, timeLimitMs: 5000, relativeGap: undefined, params: undefined };
  const size = { subtasks: 10, taskManagers: 3, slots: 6 };
  // plan order: a solve, a heuristic, an executed heuristic (mostly waiting), another solve, an executed solve
  const runs = [
    run('solve-1', { solver: exact, size }),
    run('heuristic', { size }),
    run('executed', { model: 'dag-placement', size, lowerBound: 100, execute }),
    run('solve-2', { solver: exact, size }),
    run('executed-solve', { solver: exact, model: 'dag-placement', size, lowerBound: 100, execute }),
  ];

  it('splits the prediction: the executed placement waits (its emulated work is slept), everything else is on a core', () => {
    expect(predictRunParts(runs[2]!)).toEqual({ cpuMs: 5 + 0.002 * 60 + 300, waitMs: 1.3 * 100 * 20 });
    expect(predictRunParts(runs[0]!).waitMs).toBe(0);
    expect(predictRunMs(runs[4]!)).toBeCloseTo(predictRunParts(runs[4]!).cpuMs + predictRunParts(runs[4]!).waitMs, 9);
  });

  it('odd shards start with the runs that wait most, even shards with those that wait least; ties keep plan order', () => {
    expect(ids(shardRunOrder(runs, 1))).toEqual(['executed', 'executed-solve', 'solve-1', 'heuristic', 'solve-2']);
    expect(ids(shardRunOrder(runs, 2))).toEqual(['solve-1', 'heuristic', 'solve-2', 'executed-solve', 'executed']);
    expect(ids(shardRunOrder(runs.slice(0, 2), 1))).toEqual(['solve-1', 'heuristic']);
  });
});

describe('shards of the dag-placement suite', () => {
  let plan: Plan;
  beforeAll(() => {
    plan = planSuite(readSuiteFile(resolveSuitePath('dag-placement')));
  });

  it.each([2, 3, 4, 7])('%i shards: every run in exactly one shard, the same partition on every call', (count) => {
    const a = planShards(plan.runs, count, predictRunMs);
    const all = a.shards.flatMap((s) => ids(s.runs));
    expect(all).toHaveLength(plan.runs.length);
    expect(new Set(all)).toEqual(new Set(ids(plan.runs)));
    // each shard runs its runs in shardRunOrder of its part in plan order
    const position = new Map(plan.runs.map((r, i) => [r.runId, i]));
    for (const s of a.shards) expect(ids(s.runs)).toEqual(ids(shardRunOrder([...s.runs].sort((x, y) => position.get(x.runId)! - position.get(y.runId)!), s.index)));
    const b = planShards([...plan.runs].reverse(), count, predictRunMs);
    expect(b.shards.map((s) => ids(s.runs).sort())).toEqual(a.shards.map((s) => ids(s.runs).sort()));
    for (let i = 1; i <= count; i++) expect(ids(shardOf(plan.runs, { index: i, count }, predictRunMs).shard.runs)).toEqual(ids(a.shards[i - 1]!.runs));
  });

  it('4 shards are balanced by predicted time: the largest within 10 % of the mean, unlike a split by count', () => {
    const sharded = planShards(plan.runs, 4, predictRunMs);
    expect(plan.runs.length).toBe(890);
    expect(sharded.maxOverMean).toBeLessThanOrEqual(1.1);
    // Contiguous quarters of the plan (the same number of runs each) are far from balanced: exact runs cluster in groups.
    const quarter = Math.ceil(plan.runs.length / 4);
    const byCount = [0, 1, 2, 3].map((q) => plan.runs.slice(q * quarter, (q + 1) * quarter).reduce((t, r) => t + predictRunMs(r), 0));
    expect(Math.max(...byCount) / (sharded.totalPredictedMs / 4)).toBeGreaterThan(1.1);
  });

  it('balances on measured times from an earlier file, predicting the runs it lacks', () => {
    const measured = plan.runs.slice(0, 100).map((r, i) => blankRow({ run_id: r.runId, run_ms: 1000 + i }));
    const times = measuredTimes('earlier.csv', plan.runs, measured);
    expect(times.measured).toBe(100);
    expect(times.ofRun(plan.runs[5]!)).toBe(1005);
    expect(times.ofRun(plan.runs[500]!)).toBe(predictRunMs(plan.runs[500]!));
    expect(() => measuredTimes('other.csv', plan.runs, [blankRow({ run_id: 'smoke|x|y||||seed=1' })])).toThrow(/^other\.csv: column run_id should be the id of a run of suite "dag-placement" .*got "smoke\|x\|y\|\|\|\|seed=1"$/);
  });
});
