import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { OptionError } from '../models/errors.ts';

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'cannot be written: its folder does not exist',
  EISDIR: 'cannot be written: it is a folder',
  ENOTDIR: 'cannot be written: a file stands where a folder should be on its path',
  EACCES: 'cannot be written: permission denied',
  EROFS: 'cannot be written: the file system is read-only',
  ENOSPC: 'cannot be written: no space left on the device',
};

/** Writes a file named by a flag (`--out`), creating its folder when asked; a failure is one line naming the flag, the path and why. */
export function writeOutputFile(file: string, content: string, options: { readonly flag?: string; readonly makeFolder?: boolean } = {}): void {
  const flag = options.flag ?? '--out';
  try {
    if (options.makeFolder) mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code !== 'string') throw error;
    throw OptionError.flag(flag, file, REASONS[code] ?? `cannot be written (${code})`);
  }
}
