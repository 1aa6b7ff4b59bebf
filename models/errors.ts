/**
 * slotlab's typed errors. Every error says what was wrong and where (file, JSON path or line, field),
 * so that the CLI can print one clear line and exit non-zero without a stack trace.
 * An infeasible instance is never an error: it is a result with `status: 'infeasible'`.
 */
export class SlotlabError extends Error {
  override name = 'SlotlabError';
}

/** A file (or an in-memory spec) does not have the shape a format requires. */
export class InstanceFormatError extends SlotlabError {
  override name = 'InstanceFormatError';
  constructor(
    readonly file: string,
    /** JSON path (`$.job.operators[2].parallelism`) or `line N` for text formats. */
    readonly field: string,
    readonly expected: string,
    readonly actual?: unknown,
  ) {
    super(
      `${file}: ${field} should be ${expected}` +
        (actual === undefined ? '' : `, got ${describeValue(actual)}`),
    );
  }
}

/** The instance is well-formed but violates a rule of the model (forward edge between unequal parallelisms, ...). */
export class InvalidInstanceError extends SlotlabError {
  override name = 'InvalidInstanceError';
  constructor(
    readonly source: string,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${source}: ${field}: ${reason}`);
  }
}

/** A graph that must be acyclic has a cycle; `cycle` lists the nodes on it in order. */
export class CyclicGraphError extends SlotlabError {
  override name = 'CyclicGraphError';
  constructor(
    readonly source: string,
    readonly cycle: readonly string[],
  ) {
    super(`${source}: the graph must be acyclic, but it has the cycle ${[...cycle, cycle[0]].join(' -> ')}`);
  }
}

/** A solver was asked for a model it does not solve, or by a name nobody registered. */
export class SolverNotApplicableError extends SlotlabError {
  override name = 'SolverNotApplicableError';
}

/**
 * A command-line flag or a solver option has a value slotlab cannot use, or is not known. `option` names it
 * (`--time-limit`, `bnb (load-balancing) params.targetMs`, `solve options.variant`), `reason` says what is wrong
 * and what would do, `actual` is the value given (undefined when the option itself is unknown).
 */
export class OptionError extends SlotlabError {
  override name = 'OptionError';
  constructor(
    readonly option: string,
    readonly reason: string,
    readonly actual?: unknown,
  ) {
    super(`${option}: ${reason}`);
  }

  /** `--jobs: 0: should be at least 1`: a command-line flag and the text given for it. */
  static flag(flag: string, text: string, reason: string): OptionError {
    return new OptionError(flag, `${text}: ${reason}`, text);
  }

  /** `bnb (load-balancing) params.targetMs: should be number > 0 (ms), got "100"`: an option given as data. */
  static value(option: string, expected: string, actual?: unknown): OptionError {
    return new OptionError(option, `should be ${expected}` + (actual === undefined ? '' : `, got ${describeValue(actual)}`), actual);
  }
}

/**
 * A formulation, a MILP model or a decoder met something it cannot represent (a NaN bound, a subtask that fits
 * nowhere within the horizon, a solver answer that does not decode into a solution). `where` names the
 * formulation or model (`time-indexed formulation`, `milp`, `placement`), `reason` says what.
 */
export class FormulationError extends SlotlabError {
  override name = 'FormulationError';
  constructor(
    readonly where: string,
    readonly reason: string,
  ) {
    super(`${where}: ${reason}`);
  }
}

/**
 * An output file cannot be written: its folder is missing, it is a folder, another slotlab process holds its lock.
 * `file` is the path as given, `reason` says what is wrong.
 */
export class OutputFileError extends SlotlabError {
  override name = 'OutputFileError';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/** A solution does not fit its instance (unknown subtask, TaskManager or slot; an unplaced subtask). */
export class InvalidSolutionError extends SlotlabError {
  override name = 'InvalidSolutionError';
  constructor(readonly reason: string) {
    super(reason);
  }
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (typeof value === 'number' && !Number.isFinite(value))
    return Number.isNaN(value) ? 'NaN (not a number)' : `${value > 0 ? '' : '-'}a number too large for a 64-bit float (read as ${value})`;
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function isSlotlabError(error: unknown): error is SlotlabError {
  return error instanceof SlotlabError;
}
