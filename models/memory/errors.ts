import { SlotlabError } from '../errors.ts';

/**
 * Errors of the TaskManager memory model. Flink reports both kinds as an `IllegalConfigurationException`
 * (see the "Troubleshooting" page of Flink's memory documentation): an invalid value (a negative size, a
 * fraction outside its range, a size it cannot parse), or options that contradict each other.
 */

/** One option has a value Flink would not accept. `source` is the file (or `--set`) the value came from. */
export class MemoryOptionError extends SlotlabError {
  override name = 'MemoryOptionError';
  constructor(
    readonly source: string,
    readonly key: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`${source}: ${key} should be ${expected}, got ${JSON.stringify(actual)}`);
  }
}

/**
 * The options are each valid but together they cannot describe a TaskManager (Flink's "TaskManager memory
 * configuration failed"). `reason` is Flink's own reason, with sizes printed the way Flink prints them;
 * `options` are the configuration keys involved, so that the user knows which lines to change.
 */
export class MemoryConfigurationError extends SlotlabError {
  override name = 'MemoryConfigurationError';
  constructor(
    readonly reason: string,
    readonly options: readonly string[],
  ) {
    super(`TaskManager memory configuration failed (${options.join(', ')}): ${reason}`);
  }
}
