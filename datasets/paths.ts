import { join } from 'node:path';
import { packagePath } from '../models/package-files.ts';

/** Root of the bundled data (`datasets/data/`), copied unmodified from the public sources named in its READMEs. */
export const DATA_ROOT = packagePath('datasets', 'data');

/** Absolute path of a bundled data file, e.g. `dataPath('stg/graphs/50/rand0000.stg')`. */
export function dataPath(relative: string): string {
  return join(DATA_ROOT, relative);
}
