import { existsSync, readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { packagePath } from '../../models/package-files.ts';

/**
 * The shipped suites, apart from suite.ts (which loads the schema library) so that `slotlab --help` can name them
 * without loading anything heavy.
 */

/** Folder of the shipped suites: `slotlab bench NAME` finds `benchmarks/suites/NAME.json`. */
export const SUITES_DIR = packagePath('benchmarks', 'suites');

/** The names of the shipped suites (`benchmarks/suites/*.json`). */
export function shippedSuiteNames(dir = SUITES_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => basename(f, '.json'))
    .sort();
}
