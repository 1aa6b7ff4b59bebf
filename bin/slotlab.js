#!/usr/bin/env node
// Launcher: runs the compiled CLI (dist/cli/main.js) in this process, so start-up compiles nothing and signals reach
// the CLI directly. dist/ is built by `npm run build`, which `npm ci` runs as the `prepare` script.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(`slotlab: the compiled CLI ${fileURLToPath(entry)} is missing: run \`npm ci\` or \`npm run build\` in ${fileURLToPath(new URL('..', import.meta.url))}\n`);
  process.exit(1);
}
const { runCli } = await import(entry.href);
await runCli(process.argv.slice(2));
