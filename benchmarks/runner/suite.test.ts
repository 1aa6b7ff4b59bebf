import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EXECUTE, DEFAULT_RUN_TIME_LIMIT_MS, parseSuite, readSuiteFile, resolveSuitePath, shippedSuiteNames, SUITES_DIR } from './suite.ts';
import { expandGlob, globToRegExp } from './glob.ts';
import { planSuite } from './plan.ts';
import { DATA_ROOT } from '../../datasets/paths.ts';

const group = { name: 'g', instances: [{ data: 'stg/graphs/50/rand0000.stg' }], clusters: ['2x1'], solvers: ['heft'] };

describe('parseSuite', () => {
  it('fills defaults: name from the file, seed 1, 60 s hard limit, no execution', () => {
    const suite = parseSuite({ groups: [group] }, '/x/my-suite.json');
    expect(suite.name).toBe('my-suite');
    expect(suite.groups[0]).toMatchObject({ seeds: [1], timeLimitMs: DEFAULT_RUN_TIME_LIMIT_MS, execute: undefined, variant: undefined });
    expect(suite.groups[0]!.solvers[0]).toEqual({ name: 'heft', label: 'heft', timeLimitMs: undefined, relativeGap: undefined, params: undefined });
    expect(suite.groups[0]!.clusters).toEqual([{ label: '2x1', value: '2x1' }]);
  });

  it('lets groups override the suite-wide seeds, limit and execution', () => {
    const suite = parseSuite(
      { seeds: [1, 2], timeLimitMs: 5000, execute: true, groups: [group, { ...group, name: 'h', seeds: [7], timeLimitMs: 900, execute: { maxSubtasks: 10 } }] },
      's.json',
    );
    expect(suite.groups[0]).toMatchObject({ seeds: [1, 2], timeLimitMs: 5000, execute: DEFAULT_EXECUTE });
    expect(suite.groups[1]).toMatchObject({ seeds: [7], timeLimitMs: 900, execute: { ...DEFAULT_EXECUTE, maxSubtasks: 10 } });
  });

  it('reads solver options and labels', () => {
    const suite = parseSuite({ groups: [{ ...group, solvers: ['milp', { name: 'first-fit', label: 'first-fit@tb', timeLimitMs: 1000, gap: 0.01, params: { slotSharing: 'task-balanced' } }] }] }, 's.json');
    expect(suite.groups[0]!.solvers[1]).toEqual({ name: 'first-fit', label: 'first-fit@tb', timeLimitMs: 1000, relativeGap: 0.01, params: { slotSharing: 'task-balanced' } });
  });

  it.each([
    [{ groups: [] }, /^s\.json: \$\.groups should be a list with at least one group, got \[\]$/],
    [{ groups: [{ ...group, solvers: [] }] }, /\$\.groups\[0\]\.solvers should be a list with at least one solver/],
    [{ groups: [{ ...group, solvers: [42] }] }, /\$\.groups\[0\]\.solvers\[0\] should be a solver: its registry name, or .*, got 42$/],
    [{ groups: [{ ...group, solvers: [{ name: 'milp', timeLimit: 3 }] }] }, /\$\.groups\[0\]\.solvers\[0\]\.timeLimit should be absent: it is not a known field here/],
    [{ groups: [{ ...group, variant: 'parallel' }] }, /\$\.groups\[0\]\.variant should be one of exclusive, shared, sequenced, got "parallel"/],
    [{ groups: [{ ...group, instances: [{ path: 'x' }] }] }, /\$\.groups\[0\]\.instances\[0\] should be an instance entry/],
    [{ groups: [group, group] }, /\$\.groups\[1\]\.name should be unique within the suite, got "g"/],
    [{ groups: [{ ...group, solvers: ['heft', 'heft'] }] }, /\$\.groups\[0\]\.solvers\[1\] should be a solver label not used twice/],
    [{ timeLimitMs: 1000, groups: [{ ...group, solvers: [{ name: 'milp', timeLimitMs: 1000 }] }] }, /solvers\[0\]\.timeLimitMs should be below the group's hard per-run limit of 1000 ms/],
    [{ seeds: [1.5], groups: [group] }, /\$\.seeds\[0\] should be an integer seed, got 1\.5/],
    [{ groups: [group], colour: 'red' }, /\$\.colour should be absent/],
  ])('refuses a bad suite with one line naming the field (%#)', (value, message) => {
    expect(() => parseSuite(value, 's.json')).toThrow(message);
  });

  it.each([
    // misspelt key (the param is targetMs)
    [{ name: 'bnb', params: { targetMS: 100 } }, /^s\.json: \$\.groups\[0\]\.solvers\[1\]\.params\.targetMS should be absent: no solver named bnb takes it \(bnb \(load-balancing\) takes targetMs; bnb \(dag-placement\) takes no params; see `slotlab solvers --params bnb`\)$/],
    // mistyped value: a string where a number of ms belongs
    [{ name: 'bnb', params: { targetMs: '100' } }, /^s\.json: \$\.groups\[0\]\.solvers\[1\]\.params\.targetMs should be number > 0 \(ms\), got "100"$/],
    [{ name: 'first-fit', params: { slotSharing: 'nearest' } }, /\.solvers\[1\]\.params\.slotSharing should be one of local-input, task-balanced, got "nearest"$/],
    // a live object or a solver-entry field put into params
    [{ name: 'milp', params: { timeLimitMs: 100 } }, /\.solvers\[1\]\.params\.timeLimitMs should be absent: no solver named milp takes it \(milp \(slot-allocation\) takes no params;/],
  ])('refuses a misspelt or mistyped solver param with the file and its JSON path (%#)', (solver, message) => {
    expect(() => parseSuite({ groups: [{ ...group, solvers: ['heft', solver] }] }, 's.json')).toThrow(message);
  });

  it('accepts each solver\'s documented params', () => {
    const suite = parseSuite({ groups: [{ ...group, solvers: [{ name: 'bnb', params: { targetMs: 100 } }, { name: 'tasks-balanced', params: { slotSharing: 'task-balanced' } }] }] }, 's.json');
    expect(suite.groups[0]!.solvers.map((s) => s.params)).toEqual([{ targetMs: 100 }, { slotSharing: 'task-balanced' }]);
  });

  it('checks the params again against the solver of each instance\'s model when the runs are planned', () => {
    // bnb for load balancing takes targetMs, so the suite loads; its instances are DAG placements, whose bnb takes none
    const suite = parseSuite({ groups: [{ ...group, solvers: ['heft', { name: 'bnb', params: { targetMs: 100 } }] }] }, 's.json');
    expect(() => planSuite(suite)).toThrow(/^s\.json: \$\.groups\[0\]\.solvers\[1\]\.params\.targetMs should be absent: it is not a param of bnb \(dag-placement\); bnb \(dag-placement\) takes no params/);
  });

  it('reports JSON syntax errors and unreadable files with the file name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slotlab-suite-'));
    writeFileSync(join(dir, 'bad.json'), '{ "groups": [ }');
    expect(() => readSuiteFile(join(dir, 'bad.json'))).toThrow(/bad\.json: line 1 column 15 should be valid JSON/);
    expect(() => readSuiteFile(join(dir, 'missing.json'))).toThrow(/missing\.json/);
  });
});

describe('resolveSuitePath', () => {
  it('finds shipped suites by name and takes paths as they are', () => {
    expect(shippedSuiteNames()).toEqual(expect.arrayContaining(['default', 'smoke']));
    expect(resolveSuitePath('smoke')).toBe(join(SUITES_DIR, 'smoke.json'));
    const dir = mkdtempSync(join(tmpdir(), 'slotlab-suite-'));
    writeFileSync(join(dir, 'mine.json'), '{}');
    expect(resolveSuitePath(join(dir, 'mine.json'))).toBe(join(dir, 'mine.json'));
    expect(() => resolveSuitePath('no-such-suite')).toThrow(/no-such-suite: suite should be the name of a shipped suite \(.*default.*\) or the path of a suite file/);
  });
});

describe('glob', () => {
  it('matches *, **, ?, classes and alternatives', () => {
    expect(globToRegExp('50/rand000[0-2].stg').test('50/rand0001.stg')).toBe(true);
    expect(globToRegExp('50/rand000[0-2].stg').test('50/rand0003.stg')).toBe(false);
    expect(globToRegExp('**/*.stg').test('graphs/50/x.stg')).toBe(true);
    expect(globToRegExp('**/*.stg').test('x.stg')).toBe(true);
    expect(globToRegExp('*.stg').test('a/x.stg')).toBe(false);
    expect(globToRegExp('{a,b}?.txt').test('b1.txt')).toBe(true);
  });

  it('expands against the bundled data (the STG README lists 27 graphs of 50 tasks)', () => {
    expect(expandGlob('stg/graphs/50/*.stg', DATA_ROOT)).toHaveLength(27);
    expect(expandGlob('stg/graphs/50/rand000[0-2].stg', DATA_ROOT).map((f) => f.slice(DATA_ROOT.length + 1))).toEqual([
      'stg/graphs/50/rand0000.stg',
      'stg/graphs/50/rand0001.stg',
      'stg/graphs/50/rand0002.stg',
    ]);
    expect(expandGlob('stg/graphs/50/rand0000.stg', DATA_ROOT)).toHaveLength(1);
    expect(expandGlob('stg/graphs/50/none.stg', DATA_ROOT)).toEqual([]);
  });
});

describe('workload groups', () => {
  const workloadGroup = {
    name: 'w',
    workloads: [{ file: '../../datasets/examples/workloads/two-teams.json' }, { generate: 'workload', params: { jobs: 4, load: 0.8, cluster: '2x2' }, seed: 3 }],
    queues: ['fifo', 'sjf'],
    allocations: ['first-fit', 'water-filling'],
    placement: 'heft',
    seeds: [1, 2],
  };

  it('plan one run per workload x queue x allocation x seed, with the placement solver', () => {
    const suite = parseSuite({ groups: [workloadGroup] }, join(SUITES_DIR, 'w.json'));
    expect(suite.groups[0]!.workloads).toEqual({ entries: workloadGroup.workloads, queues: ['fifo', 'sjf'], allocations: ['first-fit', 'water-filling'], placement: 'heft' });
    const plan = planSuite(suite);
    expect(plan.runs).toHaveLength(2 * 2 * 2 * 2);
    expect(plan.runs.map((r) => r.runId).slice(0, 3)).toEqual([
      'w|w|datasets/examples/workloads/two-teams.json|fifo|first-fit|heft|seed=1',
      'w|w|datasets/examples/workloads/two-teams.json|fifo|first-fit|heft|seed=2',
      'w|w|datasets/examples/workloads/two-teams.json|fifo|water-filling|heft|seed=1',
    ]);
    expect(plan.runs.at(-1)).toMatchObject({ instance: { kind: 'generate', generator: 'workload', seed: 3, dataset: 'generated-workload' }, workload: { queue: 'sjf', allocation: 'water-filling' }, solver: { name: 'heft', kind: 'heuristic' } });
  });

  it.each([
    [{ ...workloadGroup, queues: ['lifo'] }, 's.json: $.groups[0].queues[0] should be a queue policy (fifo, priority, fair, drf, sjf, packing), got "lifo"'],
    [{ ...workloadGroup, allocations: ['best-fit'] }, 's.json: $.groups[0].allocations[0] should be an allocation policy'],
    [{ ...workloadGroup, solvers: ['heft'] }, 's.json: $.groups[0].solvers should be absent in a workload group'],
    [{ ...workloadGroup, instances: [{ data: 'x' }] }, 's.json: $.groups[0] should be a group with exactly one of "instances"'],
    [{ name: 'g', instances: [{ data: 'x' }], solvers: ['heft'], queues: ['fifo'] }, 's.json: $.groups[0].queues should be absent in an instance group'],
  ])('refuses a bad workload group with the JSON path (%#)', (group, message) => {
    expect(() => parseSuite({ groups: [group] }, 's.json')).toThrow(message);
  });
});
