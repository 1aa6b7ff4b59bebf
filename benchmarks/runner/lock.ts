import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { OutputFileError } from '../../models/errors.ts';

/**
 * An exclusive lock on a result CSV, so that two bench runs (a `--resume` started while an earlier run still
 * writes, say) never append to the same file. The lock is the file `<csv>.lock`, created with `wx` (fails when it
 * exists) and holding the owner's pid. A lock whose pid is no longer alive (its owner was killed with SIGKILL) is
 * stale and taken over; a live one refuses with the pid. The lock is released by the returned function and, should
 * the process end first (a signal, `process.exit`), by an 'exit' listener.
 */
export function lockOutputFile(file: string): () => void {
  const lockFile = `${file}.lock`;
  try {
    mkdirSync(dirname(file), { recursive: true });
  } catch (error) {
    throw new OutputFileError(file, `its folder ${dirname(file)} cannot be created (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(lockFile, 'wx');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw new OutputFileError(file, `cannot create its lock file ${lockFile} (${code ?? String(error)})`);
      const holder = lockHolder(lockFile);
      if (holder !== undefined && holder !== process.pid && isAlive(holder))
        throw new OutputFileError(file, `is being written by process ${holder} (lock file ${lockFile}); wait for it to end or stop it`);
      rmSync(lockFile, { force: true }); // stale: its owner is gone
      continue;
    }
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    const release = () => {
      process.removeListener('exit', release);
      if (lockHolder(lockFile) === process.pid) rmSync(lockFile, { force: true });
    };
    process.on('exit', release);
    return release;
  }
  throw new OutputFileError(file, `cannot take its lock file ${lockFile}: another process took it at the same time`);
}

/** The pid written in a lock file, or undefined when it holds none (a lock half-written by a killed process). */
function lockHolder(lockFile: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(lockFile, 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
