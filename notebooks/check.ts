/**
 * The notebook check, for CI (`.ci/notebooks-check`). Jupyter's Deno kernel does not type-check, so this does:
 *
 * 1. every `notebooks/*.ipynb` is read (Deno kernel; no saved error output; saved outputs from one run from the top);
 * 2. its code cells, in order, become one module beside it (`notebooks/.check-NAME.ts`), type-checked by the
 *    project's tsc with the project's tsconfig (strict, NodeNext, noUncheckedIndexedAccess);
 * 3. each module runs under tsx, with the working directory `notebooks/` as in Jupyter and `SLOTLAB_RESULTS`
 *    pointing at a results CSV: by default one written now by `slotlab bench notebooks/check-suite.json` (a few
 *    seconds: STG, BPPLIB, the HEFT paper, an exact solver, executed placements), or the file given by --results.
 *
 * Errors name the notebook, the cell and the line. Generated files are removed at the end (--keep keeps them).
 *
 *   node --import tsx notebooks/check.ts [--results FILE] [--deno] [--keep] [NOTEBOOK.ipynb ...]
 *
 * --deno also runs each module with Deno (`npx deno@2.9.6`, fetched from the npm registry), the runtime of the kernel.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mapModuleLines, notebookModule, readNotebook, type NotebookModule } from '../benchmarks/report/notebook-cells.ts';
import { isSlotlabError } from '../models/errors.ts';

const DENO = 'deno@2.9.6';
const RUN_LIMIT_MS = 120_000;

const notebooksDir = dirname(fileURLToPath(import.meta.url));
const root = dirname(notebooksDir);

interface Options {
  results: string | undefined;
  deno: boolean;
  keep: boolean;
  notebooks: string[];
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { results: undefined, deno: false, keep: false, notebooks: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--results') {
      const file = argv[++i];
      if (file === undefined) throw new Error('--results needs a file');
      options.results = resolve(file);
    } else if (arg === '--deno') options.deno = true;
    else if (arg === '--keep') options.keep = true;
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg} (options: --results FILE, --deno, --keep)`);
    else options.notebooks.push(resolve(arg));
  }
  if (options.notebooks.length === 0)
    options.notebooks = readdirSync(notebooksDir)
      .filter((f) => f.endsWith('.ipynb'))
      .sort()
      .map((f) => join(notebooksDir, f));
  return options;
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

function tail(text: string, lines = 30): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

interface Generated {
  readonly notebook: string;
  readonly name: string;
  readonly file: string;
  readonly module: NotebookModule;
}

function main(): number {
  const started = performance.now();
  const options = parseArgs(process.argv.slice(2));
  const problems: string[] = [];
  const generated: Generated[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'slotlab-notebooks-'));
  const tsconfig = join(notebooksDir, '.check-tsconfig.json');
  try {
    // 1. read the notebooks and write their modules
    for (const notebook of options.notebooks) {
      const name = relative(root, notebook);
      if (!existsSync(notebook)) {
        problems.push(`${name}: no such notebook`);
        continue;
      }
      const code = readNotebook(readFileSync(notebook, 'utf8'), name);
      const module = notebookModule(code, name);
      const file = join(dirname(notebook), `.check-${basename(notebook, '.ipynb')}.ts`);
      writeFileSync(file, module.text);
      generated.push({ notebook, name, file, module });
      console.log(`${name}: ${code.cells.length} code cells, ${code.cellsWithOutputs} with saved outputs`);
    }
    if (generated.length === 0) {
      problems.push('no notebook to check');
      return 1;
    }

    // 2. type-check them with the project's settings
    let since = performance.now();
    writeFileSync(
      tsconfig,
      JSON.stringify({ extends: '../tsconfig.json', compilerOptions: { noEmit: true }, include: [], files: [...generated.map((g) => basename(g.file)), 'check.ts', 'show.ts'] }, null, 2),
    );
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const typecheck = spawnSync(process.execPath, [tsc, '-p', tsconfig, '--pretty', 'false'], { cwd: root, encoding: 'utf8' });
    let tscOutput = `${typecheck.stdout}${typecheck.stderr}`;
    for (const g of generated) tscOutput = mapModuleLines(tscOutput, basename(g.file), g.name, g.module);
    if (typecheck.status !== 0) problems.push(`type errors:\n${tscOutput.trimEnd()}`);
    console.log(`tsc: ${typecheck.status === 0 ? 'no errors' : 'errors'} (${seconds(since)})`);

    // 3. run them on a results CSV
    let results = options.results;
    if (results === undefined) {
      since = performance.now();
      results = join(scratch, 'check.csv');
      const bench = spawnSync(process.execPath, [join(root, 'bin', 'slotlab.js'), 'bench', join(notebooksDir, 'check-suite.json'), '--out', results, '--no-progress'], {
        cwd: root,
        encoding: 'utf8',
        timeout: RUN_LIMIT_MS,
      });
      if (bench.status !== 0) {
        problems.push(`slotlab bench notebooks/check-suite.json failed:\n${tail(`${bench.stdout}${bench.stderr}`)}`);
        return 1;
      }
      console.log(`results: ${tail(bench.stdout, 1)} (${seconds(since)})`);
    } else if (!existsSync(results)) {
      problems.push(`--results ${results}: no such file`);
      return 1;
    }
    const runners: { label: string; command: string; args: (file: string) => string[] }[] = [
      { label: 'tsx', command: process.execPath, args: (file) => ['--import', 'tsx', file] },
    ];
    if (options.deno) runners.push({ label: 'deno', command: 'npx', args: (file) => ['--yes', DENO, 'run', '--allow-all', '--quiet', file] });
    for (const g of generated)
      for (const runner of runners) {
        since = performance.now();
        const run = spawnSync(runner.command, runner.args(g.file), {
          cwd: notebooksDir,
          encoding: 'utf8',
          timeout: RUN_LIMIT_MS,
          env: { ...process.env, SLOTLAB_RESULTS: results, NO_COLOR: '1' },
        });
        const output = mapModuleLines(`${run.stdout}${run.stderr}`, basename(g.file), g.name, g.module);
        if (run.status !== 0) problems.push(`${g.name} failed under ${runner.label}${run.signal ? ` (${run.signal}, limit ${RUN_LIMIT_MS / 1000} s)` : ''}:\n${tail(output)}`);
        console.log(`${g.name} under ${runner.label}: ${run.status === 0 ? 'ran' : 'FAILED'}, ${run.stdout.split('\n').filter((l) => l.trim() !== '').length} lines of output (${seconds(since)})`);
      }
    return problems.length === 0 ? 0 : 1;
  } finally {
    if (!options.keep) {
      for (const g of generated) rmSync(g.file, { force: true });
      rmSync(tsconfig, { force: true });
    }
    rmSync(scratch, { recursive: true, force: true });
    for (const p of problems) console.error(`notebooks-check: ${p}`);
    console.log(`notebooks-check: ${problems.length === 0 ? 'ok' : `${problems.length} problem(s)`} in ${seconds(started)}`);
  }
}

try {
  process.exitCode = main();
} catch (error) {
  // a SlotlabError (a malformed notebook) names the file and the cell; anything else is a bug in this script
  console.error(`notebooks-check: ${isSlotlabError(error) ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
}
