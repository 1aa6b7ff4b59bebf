import { describe, expect, it } from 'vitest';
import {
  CyclicGraphError,
  FormulationError,
  InstanceFormatError,
  InvalidInstanceError,
  InvalidSolutionError,
  OptionError,
  SlotlabError,
  SolverNotApplicableError,
} from '../models/errors.ts';
import { RunConfigurationError, RunFailedError, RunTimeoutError } from '../runtime/errors.ts';
import { SubtaskError } from '../runtime/worker/task.ts';
import { ScheduleConflictError } from '../solver/heuristics/common/schedule-builder.ts';
import { PlotFontError } from '../benchmarks/report/fonts.ts';
import { NotebookError } from '../benchmarks/report/notebook-cells.ts';
import { LinearModel } from '../models/milp/model.ts';
import { toIndexedPlacement } from '../models/solution.ts';
import { createDagPlacementInstance } from '../models/dag-placement/instance.ts';

// ky's habit: every error class says what it is, `error.name === ClassName`, so a log line or a test names it.
describe('typed errors', () => {
  const errors: Array<[Function, Error]> = [
    [SlotlabError, new SlotlabError('x')],
    [InstanceFormatError, new InstanceFormatError('f.json', '$.a', 'a number', 'x')],
    [InvalidInstanceError, new InvalidInstanceError('f.json', 'a', 'bad')],
    [CyclicGraphError, new CyclicGraphError('f.json', ['a', 'b'])],
    [SolverNotApplicableError, new SolverNotApplicableError('x')],
    [OptionError, OptionError.flag('--jobs', '0', 'should be at least 1')],
    [FormulationError, new FormulationError('milp', 'x')],
    [InvalidSolutionError, new InvalidSolutionError('x')],
    [RunConfigurationError, new RunConfigurationError('x')],
    [RunFailedError, new RunFailedError('x', undefined, undefined, undefined, 'x', [])],
    [RunTimeoutError, new RunTimeoutError('x', [], [])],
    [SubtaskError, new SubtaskError(0, new Error('x'))],
    [ScheduleConflictError, new ScheduleConflictError('x')],
    [PlotFontError, new PlotFontError('x')],
    [NotebookError, new NotebookError('n.ipynb', 'cell 1', 'x')],
  ];
  it.each(errors.map(([cls, error]) => [cls.name, error] as const))('%s: name equals the class name', (className, error) => {
    expect(error.name).toBe(className);
  });

  it('option errors read as one line: the flag or option, the value, what would do', () => {
    expect(OptionError.flag('--jobs', '0', 'should be at least 1').message).toBe('--jobs: 0: should be at least 1');
    const e = OptionError.value('bnb (load-balancing) params.targetMs', 'number > 0 (ms)', '100');
    expect(e.message).toBe('bnb (load-balancing) params.targetMs: should be number > 0 (ms), got "100"');
    expect(e).toMatchObject({ option: 'bnb (load-balancing) params.targetMs', actual: '100' });
  });

  it('the MILP layer and the formulations throw FormulationError, not RangeError', () => {
    const m = new LinearModel('m');
    expect(() => m.intVar('x', { min: Number.NaN })).toThrow(FormulationError);
    expect(() => m.intVar('y', { min: Number.NaN })).toThrow('milp: bounds of y are NaN');
  });

  it('reading a placement that does not fit its instance throws InvalidSolutionError', () => {
    const instance = createDagPlacementInstance({
      name: 'one',
      variant: 'exclusive',
      job: { operators: [{ id: 'a', parallelism: 1, workMs: 1 }], edges: [] },
      cluster: { taskManagers: [{ id: 'tm1', slotCount: 1 }] },
    });
    expect(() => toIndexedPlacement(instance, { assignments: [{ subtask: 'a#0', taskManager: 'tm9', slot: 0 }] })).toThrow(InvalidSolutionError);
    expect(() => toIndexedPlacement(instance, { assignments: [] })).toThrow('placement leaves subtask a#0 unplaced');
  });
});
