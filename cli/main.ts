import { Command, CommanderError } from 'commander';
import { isSlotlabError } from '../models/errors.ts';
import { registerCommands } from './commands/index.ts';

/**
 * `slotlab`: solve | run | bench | compare | datasets. Errors the user can fix (bad files, unknown solvers)
 * print one line and exit 1; an infeasible instance prints its reason and exits 2.
 */
export function buildProgram(): Command {
  const program = new Command('slotlab')
    .description('Slot allocation and task placement for Flink-style dataflow clusters: exact and heuristic solvers, an executing runtime, benchmark suites.')
    .showHelpAfterError('(run slotlab --help for usage)')
    .exitOverride();
  registerCommands(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1;
    if (isSlotlabError(error)) {
      process.stderr.write(`slotlab: ${error.message}\n`);
      return 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`slotlab: ${message}\n`);
    if (process.env['SLOTLAB_DEBUG']) process.stderr.write(`${error instanceof Error ? error.stack : ''}\n`);
    return 1;
  }
}

/**
 * Runs the CLI as the process: `main`, then the exit code. stdout and stderr are flushed before the process exits, so
 * a large `--json` result piped to a slow reader arrives whole (an immediate `process.exit` drops what the pipe has
 * not taken yet); the exit itself ends whatever a command left running.
 */
export async function runCli(argv: readonly string[]): Promise<void> {
  exitOnShutdownSignals();
  exitWhenTheReaderLeaves();
  const code = await main(argv);
  process.exitCode = code;
  await Promise.all([flush(process.stdout), flush(process.stderr)]);
  process.exit(code);
}

/** The signals that end the CLI, with their numbers (exit code 128 + number, as a shell reports a killed process). */
export const SHUTDOWN_SIGNALS = Object.freeze({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const);
/** How long a command that handles a shutdown signal itself may take before the CLI exits anyway, in ms. */
const SHUTDOWN_GRACE_MS = 2_000;

/**
 * SIGINT, SIGTERM and SIGHUP end the CLI at once with exit code 128 + the signal's number. The handler runs between
 * two events, never inside a synchronous write, so every CSV row appended so far is whole; `process.exit` runs the
 * 'exit' listeners, which SIGKILL every benchmark pool worker (pool.ts) and release the output lock (lock.ts); the
 * runtime's and the MILP solvers' worker threads end with the process.
 */
function exitOnShutdownSignals(): void {
  for (const [signal, number] of Object.entries(SHUTDOWN_SIGNALS)) {
    process.once(signal, () => {
      // A command that stops its own work on this signal (slotlab cluster: every job and worker, then exit 130/143)
      // has a listener of its own: let it finish, and end the process anyway if it takes longer than the grace.
      if (process.listenerCount(signal) > 0) {
        setTimeout(() => process.exit(128 + number), SHUTDOWN_GRACE_MS).unref();
        return;
      }
      try {
        process.stderr.write(`slotlab: stopped by ${signal}\n`);
      } catch {
        // stderr may be closed (SIGHUP of a terminal); the exit code still tells
      }
      process.exit(128 + number);
    });
  }
}

/** SIGPIPE's number: a writer whose reader has gone exits with 128 + 13, as a shell reports `yes | head`. */
const SIGPIPE_EXIT_CODE = 128 + 13;

/**
 * `slotlab solve ... | head -1`: when the reader of stdout (or stderr) closes the pipe, the next write fails with
 * EPIPE. Node ignores SIGPIPE, so that error would surface as an unhandled 'error' event and a stack trace; instead the
 * CLI ends at once, silently, with 141 (not 0: the output did not arrive whole), and the 'exit' listeners stop the
 * pool workers and release the output lock as for any other exit.
 */
function exitWhenTheReaderLeaves(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(SIGPIPE_EXIT_CODE);
      throw error;
    });
  }
}

/** Resolves once everything written to `stream` so far has been handed to the operating system. */
function flush(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) resolve();
    else stream.write('', () => resolve());
  });
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('cli/main.ts')) {
  void runCli(process.argv.slice(2));
}
