import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where slotlab's own files are, whether it runs from its TypeScript sources (vitest, tsx, the notebooks' Deno
 * kernel) or from the JavaScript that `npm run build` compiles into `dist/` (the CLI, `import ... from 'slotlab'`).
 * The rules, written once for every layer:
 *
 * - a module runs compiled when its own file is JavaScript (`.js`, `.cjs`, `.mjs`), from source when it is
 *   TypeScript (`.ts`, `.mts`, `.cts`);
 * - `dist/` mirrors the source tree one folder down, and only code is compiled: data files (`datasets/data`,
 *   `runtime/data`, `benchmarks/suites`, ...) are read from the package root, never from `dist/`;
 * - a worker thread or child process runs the entry module of its caller's kind (`worker.js` beside `bench.js`,
 *   `worker.ts` beside `bench.ts`); a TypeScript entry needs tsx's loader, a JavaScript one runs on plain Node.
 */

const THIS_FILE = fileURLToPath(import.meta.url);

/** True for a file Node cannot run without a TypeScript loader. */
export function isTypeScriptFile(file: string): boolean {
  return /\.[cm]?ts$/.test(file);
}

/** Absolute path of the package root: the folder that holds package.json, `datasets/` and `dist/`. */
export const PACKAGE_ROOT = join(dirname(THIS_FILE), isTypeScriptFile(THIS_FILE) ? '..' : join('..', '..'));

/** Absolute path of a file or folder the package ships, e.g. `packagePath('runtime', 'data')`. */
export function packagePath(...segments: string[]): string {
  return join(PACKAGE_ROOT, ...segments);
}

/**
 * Absolute path of the module `relativeStem` (no extension, relative to the calling module `moduleUrl`, pass
 * `import.meta.url`) in the caller's language: `./worker` beside `bench.ts` is `worker.ts`, beside `bench.js`
 * it is `worker.js`.
 */
export function siblingModulePath(moduleUrl: string, relativeStem: string): string {
  const extension = isTypeScriptFile(fileURLToPath(moduleUrl)) ? '.ts' : '.js';
  return fileURLToPath(new URL(`${relativeStem}${extension}`, moduleUrl));
}
