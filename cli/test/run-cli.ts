import { vi } from 'vitest';
import { main } from '../main.ts';

/** What one CLI command gave: its exit code and everything it wrote to stdout and stderr. */
export interface CliOutcome {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs one `slotlab` command in this test process (`main(argv)`, the function the launcher calls), with stdout and
 * stderr captured: the exit code and the text are the ones the launcher would print, without starting a Node process
 * per command (about a second each on this 2-core machine, minutes per file under load). What only a process shows
 * (the launcher, signals, pipes, exit codes of a killed child) stays in test/cli-process.test.ts,
 * test/signals.test.ts and the launcher cases of test/bad-input.test.ts.
 *
 * `process.exitCode` is reset before and after the command, so a command that sets it (infeasible: 2) does not leak
 * its code into the next one.
 */
export async function runCli(...args: string[]): Promise<CliOutcome> {
  process.exitCode = undefined;
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(writer((text) => (stdout += text)));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(writer((text) => (stderr += text)));
  try {
    const status = await main(args);
    return { status, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
  }
}

/** A stand-in for `stream.write(chunk[, encoding][, callback])` that keeps the text and calls the callback. */
function writer(keep: (text: string) => void) {
  return ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    keep(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const callback = rest.find((r): r is () => void => typeof r === 'function');
    if (callback !== undefined) queueMicrotask(callback);
    return true;
  }) as typeof process.stdout.write;
}
