import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../main.ts';
import { captureOutput } from '../test/capture.ts';
import { SOLVERS } from '../../solver/registry.ts';

const capture = captureOutput;

describe('slotlab solvers --params', () => {
  afterEach(() => vi.restoreAllMocks());

  it('documents bnb: the load balancing bnb takes targetMs in ms (default none), the DAG placement bnb nothing', async () => {
    const io = capture();
    expect(await main(['solvers', '--params', 'bnb'])).toBe(0);
    const text = io.out();
    expect(text).toMatch(/^bnb \(load-balancing, exact\): /m);
    expect(text).toMatch(/^ {2}targetMs: number > 0, in ms; default none \(minimise\)$/m);
    expect(text).toMatch(/^ {6}decision mode \(the bin-packing dual\)/m);
    expect(text).toMatch(/^bnb \(dag-placement, exact\): .*\n {2}no params/m);
  });

  it('documents milp (no params: the backend is a SolveOptions field, the time limit a solver entry field) and first-fit (slotSharing)', async () => {
    const io = capture();
    expect(await main(['solvers', '--params', 'milp'])).toBe(0);
    expect(io.out().match(/^milp \((slot-allocation|load-balancing|dag-placement), exact\)/gm)).toHaveLength(3);
    expect(io.out()).toMatch(/no params \(timeLimitMs and gap are fields of the suite solver entry/);
    expect(await main(['solvers', '--params', 'first-fit'])).toBe(0);
    expect(io.out()).toMatch(/^ {2}slotSharing: one of local-input, task-balanced; default local-input$/m);
  });

  it('refuses an unknown solver name with one line and exit 1', async () => {
    const io = capture();
    expect(await main(['solvers', '--params', 'hefty'])).toBe(1);
    expect(io.err()).toMatch(/^slotlab: --params: hefty: should be the name of a registered solver \(.*heft.*\)\n$/);
  });

  it('every param of every solver is documented with type, default and description, and only those keys are accepted', () => {
    for (const s of SOLVERS) {
      for (const d of s.params.docs) {
        expect(d.type, `${s.name} ${d.key}`).not.toBe('');
        expect(d.default, `${s.name} ${d.key}`).not.toBe('');
        expect(d.description.length, `${s.name} ${d.key}`).toBeGreaterThan(20);
      }
      expect(s.params.schema.safeParse({ notAParam: 1 }).success, s.name).toBe(false);
      expect(s.params.schema.safeParse({}).success, s.name).toBe(true);
    }
  });
});
