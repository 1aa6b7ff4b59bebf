import { vi } from 'vitest';

/**
 * Test helper for the CLI run in-process (`main(argv)`): captures what a command writes to stdout and stderr.
 * Call `vi.restoreAllMocks()` after each test (an `afterEach`) to give the streams back.
 */
export function captureOutput(): { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  return { out: () => out, err: () => err };
}
